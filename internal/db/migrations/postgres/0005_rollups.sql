-- Roll-ups (issue 7: province scale): see the SQLite migration of the same number for the
-- design. Same tables, kept by the same triggers (PL/pgSQL here).

CREATE TABLE member_rollup (
    org_id   BIGINT NOT NULL,
    status   TEXT NOT NULL,
    edu      TEXT NOT NULL,
    gender   TEXT NOT NULL,
    is_full  BOOLEAN NOT NULL,
    mobile   BOOLEAN NOT NULL,
    lost     BOOLEAN NOT NULL,
    birth_ym INTEGER NOT NULL,
    n        BIGINT NOT NULL,
    PRIMARY KEY (org_id, status, edu, gender, is_full, mobile, lost, birth_ym)
) WITH (fillfactor = 85); -- room for HOT updates of n by the triggers

CREATE TABLE member_rollup_dims (
    org_id BIGINT NOT NULL,
    dim    TEXT NOT NULL,
    val    TEXT NOT NULL,
    n      BIGINT NOT NULL,
    PRIMARY KEY (org_id, dim, val)
) WITH (fillfactor = 85);

CREATE TABLE org_rollup (
    org_id BIGINT NOT NULL,
    type   TEXT NOT NULL,
    status TEXT NOT NULL,
    n      BIGINT NOT NULL,
    PRIMARY KEY (org_id, type, status)
);

CREATE INDEX members_birth ON members(birth_date, org_path text_pattern_ops, status, education, gender);

CREATE FUNCTION member_rollup_add(m members, d integer) RETURNS void LANGUAGE sql AS $$
    INSERT INTO member_rollup (org_id, status, edu, gender, is_full, mobile, lost, birth_ym, n)
    SELECT o.id, m.status, CASE WHEN substr(m.education, 1, 1) = '1' THEN '1' WHEN substr(m.education, 1, 1) = '2' THEN '2'
        WHEN substr(m.education, 1, 1) = '3' THEN '3' WHEN substr(m.education, 1, 2) IN ('40', '41', '42', '43') THEN '4'
        WHEN substr(m.education, 1, 1) IN ('4', '5', '6') THEN '5' WHEN substr(m.education, 1, 1) IN ('7', '8', '9') THEN '6' ELSE '' END,
        m.gender, m.full_on IS NOT NULL, m.mobile, m.lost_contact, (EXTRACT(YEAR FROM m.birth_date) * 100 + EXTRACT(MONTH FROM m.birth_date))::integer, d
    FROM orgs o WHERE o.id = ANY (string_to_array(trim(both '/' from m.org_path), '/')::bigint[]) AND o.type IN ('committee', 'working_committee', 'leading_group', 'general_branch')
    ORDER BY o.id
    ON CONFLICT (org_id, status, edu, gender, is_full, mobile, lost, birth_ym) DO UPDATE SET n = member_rollup.n + EXCLUDED.n;
    INSERT INTO member_rollup_dims (org_id, dim, val, n)
    SELECT o.id, d2.dim, d2.val, d
    FROM orgs o, (VALUES ('job', m.job), ('eth', m.ethnicity), ('joined', CASE WHEN m.joined_on <= '1937-07-06'::date THEN '1' WHEN m.joined_on <= '1945-09-02'::date THEN '2' WHEN m.joined_on <= '1949-09-30'::date THEN '3' WHEN m.joined_on <= '1966-04-30'::date THEN '4' WHEN m.joined_on <= '1976-10-31'::date THEN '5' WHEN m.joined_on <= '1978-12-31'::date THEN '6' WHEN m.joined_on <= '2002-10-31'::date THEN '7' WHEN m.joined_on <= '2012-10-31'::date THEN '8' ELSE '9' END)) AS d2 (dim, val)
    WHERE m.status = 'normal' AND o.id = ANY (string_to_array(trim(both '/' from m.org_path), '/')::bigint[]) AND o.type IN ('committee', 'working_committee', 'leading_group', 'general_branch')
    ORDER BY o.id, d2.dim
    ON CONFLICT (org_id, dim, val) DO UPDATE SET n = member_rollup_dims.n + EXCLUDED.n;
$$;

CREATE FUNCTION members_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN PERFORM member_rollup_add(OLD, -1); END IF;
    IF TG_OP <> 'DELETE' THEN PERFORM member_rollup_add(NEW, 1); END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER members_rollup AFTER INSERT OR DELETE ON members FOR EACH ROW EXECUTE FUNCTION members_rollup();
CREATE TRIGGER members_rollup_update AFTER UPDATE ON members FOR EACH ROW
    WHEN (OLD.org_path IS DISTINCT FROM NEW.org_path OR OLD.status IS DISTINCT FROM NEW.status OR OLD.education IS DISTINCT FROM NEW.education OR OLD.gender IS DISTINCT FROM NEW.gender OR OLD.full_on IS DISTINCT FROM NEW.full_on OR OLD.mobile IS DISTINCT FROM NEW.mobile OR OLD.lost_contact IS DISTINCT FROM NEW.lost_contact OR OLD.birth_date IS DISTINCT FROM NEW.birth_date OR OLD.job IS DISTINCT FROM NEW.job OR OLD.joined_on IS DISTINCT FROM NEW.joined_on OR OLD.ethnicity IS DISTINCT FROM NEW.ethnicity)
    EXECUTE FUNCTION members_rollup();

CREATE FUNCTION org_rollup_add(o orgs, d integer) RETURNS void LANGUAGE sql AS $$
    INSERT INTO org_rollup (org_id, type, status, n)
    SELECT a.id, o.type, o.status, d FROM unnest(string_to_array(trim(both '/' from o.path), '/')::bigint[]) AS a (id) ORDER BY a.id
    ON CONFLICT (org_id, type, status) DO UPDATE SET n = org_rollup.n + EXCLUDED.n;
$$;

CREATE FUNCTION orgs_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN PERFORM org_rollup_add(OLD, -1); END IF;
    IF TG_OP <> 'DELETE' THEN PERFORM org_rollup_add(NEW, 1); END IF;
    IF TG_OP = 'DELETE' THEN
        DELETE FROM member_rollup WHERE org_id = OLD.id;
        DELETE FROM member_rollup_dims WHERE org_id = OLD.id;
        DELETE FROM org_rollup WHERE org_id = OLD.id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER orgs_rollup AFTER INSERT OR DELETE ON orgs FOR EACH ROW EXECUTE FUNCTION orgs_rollup();
CREATE TRIGGER orgs_rollup_update AFTER UPDATE ON orgs FOR EACH ROW
    WHEN (OLD.path IS DISTINCT FROM NEW.path OR OLD.type IS DISTINCT FROM NEW.type OR OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION orgs_rollup();

-- The roll-ups of the data already there (in key order, so that an organisation's rows lie
-- together on disk for the sums that read them).
INSERT INTO org_rollup (org_id, type, status, n)
SELECT a.id, o.type, o.status, COUNT(*) FROM orgs o, unnest(string_to_array(trim(both '/' from o.path), '/')::bigint[]) AS a (id) GROUP BY 1, 2, 3;
INSERT INTO member_rollup (org_id, status, edu, gender, is_full, mobile, lost, birth_ym, n)
SELECT o.id, m.status, CASE WHEN substr(m.education, 1, 1) = '1' THEN '1' WHEN substr(m.education, 1, 1) = '2' THEN '2'
        WHEN substr(m.education, 1, 1) = '3' THEN '3' WHEN substr(m.education, 1, 2) IN ('40', '41', '42', '43') THEN '4'
        WHEN substr(m.education, 1, 1) IN ('4', '5', '6') THEN '5' WHEN substr(m.education, 1, 1) IN ('7', '8', '9') THEN '6' ELSE '' END,
    m.gender, m.full_on IS NOT NULL, m.mobile, m.lost_contact, (EXTRACT(YEAR FROM m.birth_date) * 100 + EXTRACT(MONTH FROM m.birth_date))::integer, COUNT(*)
FROM members m, unnest(string_to_array(trim(both '/' from m.org_path), '/')::bigint[]) AS a (id) JOIN orgs o ON o.id = a.id
WHERE o.type IN ('committee', 'working_committee', 'leading_group', 'general_branch')
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ORDER BY 1, 2, 3, 4, 5, 6, 7, 8;
INSERT INTO member_rollup_dims (org_id, dim, val, n)
SELECT o.id, x.dim, x.val, SUM(x.n)
FROM (SELECT m.org_path, d.dim, CASE d.dim WHEN 'job' THEN m.job WHEN 'eth' THEN m.ethnicity ELSE CASE WHEN m.joined_on <= '1937-07-06'::date THEN '1' WHEN m.joined_on <= '1945-09-02'::date THEN '2' WHEN m.joined_on <= '1949-09-30'::date THEN '3' WHEN m.joined_on <= '1966-04-30'::date THEN '4' WHEN m.joined_on <= '1976-10-31'::date THEN '5' WHEN m.joined_on <= '1978-12-31'::date THEN '6' WHEN m.joined_on <= '2002-10-31'::date THEN '7' WHEN m.joined_on <= '2012-10-31'::date THEN '8' ELSE '9' END END AS val, COUNT(*) AS n
    FROM members m, (VALUES ('job'), ('eth'), ('joined')) AS d (dim)
    WHERE m.status = 'normal' GROUP BY 1, 2, 3) x,
    unnest(string_to_array(trim(both '/' from x.org_path), '/')::bigint[]) AS a (id) JOIN orgs o ON o.id = a.id
WHERE o.type IN ('committee', 'working_committee', 'leading_group', 'general_branch')
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3;
