-- Roll-ups (issue 7: province scale). Structure statistics and roster totals of a node read
-- counts kept per organisation for its whole subtree instead of counting millions of member
-- rows. Every write keeps them current in its own transaction: the triggers below fire on every
-- INSERT, UPDATE and DELETE of members and orgs, whatever code runs it. Only the 党委, 党工委, 党组
-- and 党总支 (the organisations above the 支部) keep roll-ups: a 支部's members are few and are
-- counted directly. The expressions must match internal/member (eduBucketSQL, JoinedPeriods) and
-- internal/org/rollup.go (which rebuilds the same rows after a bulk load); the roll-up tests
-- compare every figure with a full recount.

-- member_rollup: members of the subtree by 党籍状态, 学历档位 (eduBucketSQL), 性别, 正式/预备,
-- 流动, 失联 and birth month (birth_ym = year*100 + month). Ages move with the calendar: a
-- count "age >= n on day T" is the whole months before the month of the threshold date, read
-- here, plus the members born in that month up to the threshold day, counted from
-- members_birth (at most one month of births); see internal/member/rollup.go.
CREATE TABLE member_rollup (
    org_id   INTEGER NOT NULL,
    status   TEXT NOT NULL,
    edu      TEXT NOT NULL,
    gender   TEXT NOT NULL,
    is_full  BOOLEAN NOT NULL,
    mobile   BOOLEAN NOT NULL,
    lost     BOOLEAN NOT NULL,
    birth_ym INTEGER NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (org_id, status, edu, gender, is_full, mobile, lost, birth_ym)
) WITHOUT ROWID;

-- member_rollup_dims: members (党籍状态正常) of the subtree by one more dimension each: job
-- (exact 工作岗位 code: statistics sum the prefixes of the current code table), joined (入党时间
-- group 1–9 of member.JoinedPeriods), eth (民族 code).
CREATE TABLE member_rollup_dims (
    org_id INTEGER NOT NULL,
    dim    TEXT NOT NULL,
    val    TEXT NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (org_id, dim, val)
) WITHOUT ROWID;

-- org_rollup: organisations of the subtree (itself included) by type and status.
CREATE TABLE org_rollup (
    org_id INTEGER NOT NULL,
    type   TEXT NOT NULL,
    status TEXT NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (org_id, type, status)
) WITHOUT ROWID;

-- The birth-date index answers the partial month of an age threshold (and sorts by birth date).
CREATE INDEX members_birth ON members(birth_date, org_path, status, education, gender);

CREATE TRIGGER members_rollup_insert AFTER INSERT ON members
BEGIN
    INSERT INTO member_rollup (org_id, status, edu, gender, is_full, mobile, lost, birth_ym, n)
    SELECT o.id, NEW.status, CASE WHEN substr(NEW.education, 1, 1) = '1' THEN '1' WHEN substr(NEW.education, 1, 1) = '2' THEN '2'
        WHEN substr(NEW.education, 1, 1) = '3' THEN '3' WHEN substr(NEW.education, 1, 2) IN ('40', '41', '42', '43') THEN '4'
        WHEN substr(NEW.education, 1, 1) IN ('4', '5', '6') THEN '5' WHEN substr(NEW.education, 1, 1) IN ('7', '8', '9') THEN '6' ELSE '' END,
        NEW.gender, NEW.full_on IS NOT NULL, NEW.mobile, NEW.lost_contact, CAST(substr(NEW.birth_date, 1, 4) AS INTEGER) * 100 + CAST(substr(NEW.birth_date, 6, 2) AS INTEGER), 1
    FROM json_each('[' || replace(trim(NEW.org_path, '/'), '/', ',') || ']') a CROSS JOIN orgs o
    WHERE o.id = a.value AND o.type IN ('committee', 'working_committee', 'leading_group', 'general_branch')
    ON CONFLICT (org_id, status, edu, gender, is_full, mobile, lost, birth_ym) DO UPDATE SET n = n + excluded.n;
    INSERT INTO member_rollup_dims (org_id, dim, val, n)
    SELECT o.id, d.dim, d.val, 1
    FROM json_each('[' || replace(trim(NEW.org_path, '/'), '/', ',') || ']') a CROSS JOIN orgs o
    CROSS JOIN (SELECT 'job' AS dim, NEW.job AS val UNION ALL SELECT 'eth', NEW.ethnicity
        UNION ALL SELECT 'joined', CASE WHEN NEW.joined_on <= '1937-07-06' THEN '1' WHEN NEW.joined_on <= '1945-09-02' THEN '2' WHEN NEW.joined_on <= '1949-09-30' THEN '3' WHEN NEW.joined_on <= '1966-04-30' THEN '4' WHEN NEW.joined_on <= '1976-10-31' THEN '5' WHEN NEW.joined_on <= '1978-12-31' THEN '6' WHEN NEW.joined_on <= '2002-10-31' THEN '7' WHEN NEW.joined_on <= '2012-10-31' THEN '8' ELSE '9' END) d
    WHERE NEW.status = 'normal' AND o.id = a.value AND o.type IN ('committee', 'working_committee', 'leading_group', 'general_branch')
    ON CONFLICT (org_id, dim, val) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER members_rollup_delete AFTER DELETE ON members
BEGIN
    INSERT INTO member_rollup (org_id, status, edu, gender, is_full, mobile, lost, birth_ym, n)
    SELECT o.id, OLD.status, CASE WHEN substr(OLD.education, 1, 1) = '1' THEN '1' WHEN substr(OLD.education, 1, 1) = '2' THEN '2'
        WHEN substr(OLD.education, 1, 1) = '3' THEN '3' WHEN substr(OLD.education, 1, 2) IN ('40', '41', '42', '43') THEN '4'
        WHEN substr(OLD.education, 1, 1) IN ('4', '5', '6') THEN '5' WHEN substr(OLD.education, 1, 1) IN ('7', '8', '9') THEN '6' ELSE '' END,
        OLD.gender, OLD.full_on IS NOT NULL, OLD.mobile, OLD.lost_contact, CAST(substr(OLD.birth_date, 1, 4) AS INTEGER) * 100 + CAST(substr(OLD.birth_date, 6, 2) AS INTEGER), -1
    FROM json_each('[' || replace(trim(OLD.org_path, '/'), '/', ',') || ']') a CROSS JOIN orgs o
    WHERE o.id = a.value AND o.type IN ('committee', 'working_committee', 'leading_group', 'general_branch')
    ON CONFLICT (org_id, status, edu, gender, is_full, mobile, lost, birth_ym) DO UPDATE SET n = n + excluded.n;
    INSERT INTO member_rollup_dims (org_id, dim, val, n)
    SELECT o.id, d.dim, d.val, -1
    FROM json_each('[' || replace(trim(OLD.org_path, '/'), '/', ',') || ']') a CROSS JOIN orgs o
    CROSS JOIN (SELECT 'job' AS dim, OLD.job AS val UNION ALL SELECT 'eth', OLD.ethnicity
        UNION ALL SELECT 'joined', CASE WHEN OLD.joined_on <= '1937-07-06' THEN '1' WHEN OLD.joined_on <= '1945-09-02' THEN '2' WHEN OLD.joined_on <= '1949-09-30' THEN '3' WHEN OLD.joined_on <= '1966-04-30' THEN '4' WHEN OLD.joined_on <= '1976-10-31' THEN '5' WHEN OLD.joined_on <= '1978-12-31' THEN '6' WHEN OLD.joined_on <= '2002-10-31' THEN '7' WHEN OLD.joined_on <= '2012-10-31' THEN '8' ELSE '9' END) d
    WHERE OLD.status = 'normal' AND o.id = a.value AND o.type IN ('committee', 'working_committee', 'leading_group', 'general_branch')
    ON CONFLICT (org_id, dim, val) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER members_rollup_update AFTER UPDATE OF org_path, status, education, gender, full_on, mobile, lost_contact, birth_date, job, joined_on, ethnicity ON members
WHEN OLD.org_path IS NOT NEW.org_path OR OLD.status IS NOT NEW.status OR OLD.education IS NOT NEW.education OR OLD.gender IS NOT NEW.gender OR OLD.full_on IS NOT NEW.full_on OR OLD.mobile IS NOT NEW.mobile OR OLD.lost_contact IS NOT NEW.lost_contact OR OLD.birth_date IS NOT NEW.birth_date OR OLD.job IS NOT NEW.job OR OLD.joined_on IS NOT NEW.joined_on OR OLD.ethnicity IS NOT NEW.ethnicity
BEGIN
    INSERT INTO member_rollup (org_id, status, edu, gender, is_full, mobile, lost, birth_ym, n)
    SELECT o.id, OLD.status, CASE WHEN substr(OLD.education, 1, 1) = '1' THEN '1' WHEN substr(OLD.education, 1, 1) = '2' THEN '2'
        WHEN substr(OLD.education, 1, 1) = '3' THEN '3' WHEN substr(OLD.education, 1, 2) IN ('40', '41', '42', '43') THEN '4'
        WHEN substr(OLD.education, 1, 1) IN ('4', '5', '6') THEN '5' WHEN substr(OLD.education, 1, 1) IN ('7', '8', '9') THEN '6' ELSE '' END,
        OLD.gender, OLD.full_on IS NOT NULL, OLD.mobile, OLD.lost_contact, CAST(substr(OLD.birth_date, 1, 4) AS INTEGER) * 100 + CAST(substr(OLD.birth_date, 6, 2) AS INTEGER), -1
    FROM json_each('[' || replace(trim(OLD.org_path, '/'), '/', ',') || ']') a CROSS JOIN orgs o
    WHERE o.id = a.value AND o.type IN ('committee', 'working_committee', 'leading_group', 'general_branch')
    ON CONFLICT (org_id, status, edu, gender, is_full, mobile, lost, birth_ym) DO UPDATE SET n = n + excluded.n;
    INSERT INTO member_rollup_dims (org_id, dim, val, n)
    SELECT o.id, d.dim, d.val, -1
    FROM json_each('[' || replace(trim(OLD.org_path, '/'), '/', ',') || ']') a CROSS JOIN orgs o
    CROSS JOIN (SELECT 'job' AS dim, OLD.job AS val UNION ALL SELECT 'eth', OLD.ethnicity
        UNION ALL SELECT 'joined', CASE WHEN OLD.joined_on <= '1937-07-06' THEN '1' WHEN OLD.joined_on <= '1945-09-02' THEN '2' WHEN OLD.joined_on <= '1949-09-30' THEN '3' WHEN OLD.joined_on <= '1966-04-30' THEN '4' WHEN OLD.joined_on <= '1976-10-31' THEN '5' WHEN OLD.joined_on <= '1978-12-31' THEN '6' WHEN OLD.joined_on <= '2002-10-31' THEN '7' WHEN OLD.joined_on <= '2012-10-31' THEN '8' ELSE '9' END) d
    WHERE OLD.status = 'normal' AND o.id = a.value AND o.type IN ('committee', 'working_committee', 'leading_group', 'general_branch')
    ON CONFLICT (org_id, dim, val) DO UPDATE SET n = n + excluded.n;
    INSERT INTO member_rollup (org_id, status, edu, gender, is_full, mobile, lost, birth_ym, n)
    SELECT o.id, NEW.status, CASE WHEN substr(NEW.education, 1, 1) = '1' THEN '1' WHEN substr(NEW.education, 1, 1) = '2' THEN '2'
        WHEN substr(NEW.education, 1, 1) = '3' THEN '3' WHEN substr(NEW.education, 1, 2) IN ('40', '41', '42', '43') THEN '4'
        WHEN substr(NEW.education, 1, 1) IN ('4', '5', '6') THEN '5' WHEN substr(NEW.education, 1, 1) IN ('7', '8', '9') THEN '6' ELSE '' END,
        NEW.gender, NEW.full_on IS NOT NULL, NEW.mobile, NEW.lost_contact, CAST(substr(NEW.birth_date, 1, 4) AS INTEGER) * 100 + CAST(substr(NEW.birth_date, 6, 2) AS INTEGER), 1
    FROM json_each('[' || replace(trim(NEW.org_path, '/'), '/', ',') || ']') a CROSS JOIN orgs o
    WHERE o.id = a.value AND o.type IN ('committee', 'working_committee', 'leading_group', 'general_branch')
    ON CONFLICT (org_id, status, edu, gender, is_full, mobile, lost, birth_ym) DO UPDATE SET n = n + excluded.n;
    INSERT INTO member_rollup_dims (org_id, dim, val, n)
    SELECT o.id, d.dim, d.val, 1
    FROM json_each('[' || replace(trim(NEW.org_path, '/'), '/', ',') || ']') a CROSS JOIN orgs o
    CROSS JOIN (SELECT 'job' AS dim, NEW.job AS val UNION ALL SELECT 'eth', NEW.ethnicity
        UNION ALL SELECT 'joined', CASE WHEN NEW.joined_on <= '1937-07-06' THEN '1' WHEN NEW.joined_on <= '1945-09-02' THEN '2' WHEN NEW.joined_on <= '1949-09-30' THEN '3' WHEN NEW.joined_on <= '1966-04-30' THEN '4' WHEN NEW.joined_on <= '1976-10-31' THEN '5' WHEN NEW.joined_on <= '1978-12-31' THEN '6' WHEN NEW.joined_on <= '2002-10-31' THEN '7' WHEN NEW.joined_on <= '2012-10-31' THEN '8' ELSE '9' END) d
    WHERE NEW.status = 'normal' AND o.id = a.value AND o.type IN ('committee', 'working_committee', 'leading_group', 'general_branch')
    ON CONFLICT (org_id, dim, val) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER orgs_rollup_insert AFTER INSERT ON orgs
BEGIN
    INSERT INTO org_rollup (org_id, type, status, n)
    SELECT a.value, NEW.type, NEW.status, 1 FROM json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']') a WHERE true
    ON CONFLICT (org_id, type, status) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER orgs_rollup_delete AFTER DELETE ON orgs
BEGIN
    INSERT INTO org_rollup (org_id, type, status, n)
    SELECT a.value, OLD.type, OLD.status, -1 FROM json_each('[' || replace(trim(OLD.path, '/'), '/', ',') || ']') a WHERE true
    ON CONFLICT (org_id, type, status) DO UPDATE SET n = n + excluded.n;
    DELETE FROM member_rollup WHERE org_id = OLD.id;
    DELETE FROM member_rollup_dims WHERE org_id = OLD.id;
    DELETE FROM org_rollup WHERE org_id = OLD.id;
END;

CREATE TRIGGER orgs_rollup_update AFTER UPDATE OF path, type, status ON orgs
WHEN OLD.path IS NOT NEW.path OR OLD.type IS NOT NEW.type OR OLD.status IS NOT NEW.status
BEGIN
    INSERT INTO org_rollup (org_id, type, status, n)
    SELECT a.value, OLD.type, OLD.status, -1 FROM json_each('[' || replace(trim(OLD.path, '/'), '/', ',') || ']') a WHERE true
    ON CONFLICT (org_id, type, status) DO UPDATE SET n = n + excluded.n;
    INSERT INTO org_rollup (org_id, type, status, n)
    SELECT a.value, NEW.type, NEW.status, 1 FROM json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']') a WHERE true
    ON CONFLICT (org_id, type, status) DO UPDATE SET n = n + excluded.n;
END;

-- The roll-ups of the data already there.
INSERT INTO org_rollup (org_id, type, status, n)
SELECT a.value, o.type, o.status, COUNT(*) FROM orgs o CROSS JOIN json_each('[' || replace(trim(o.path, '/'), '/', ',') || ']') a GROUP BY 1, 2, 3;
INSERT INTO member_rollup (org_id, status, edu, gender, is_full, mobile, lost, birth_ym, n)
SELECT o.id, m.status, CASE WHEN substr(m.education, 1, 1) = '1' THEN '1' WHEN substr(m.education, 1, 1) = '2' THEN '2'
        WHEN substr(m.education, 1, 1) = '3' THEN '3' WHEN substr(m.education, 1, 2) IN ('40', '41', '42', '43') THEN '4'
        WHEN substr(m.education, 1, 1) IN ('4', '5', '6') THEN '5' WHEN substr(m.education, 1, 1) IN ('7', '8', '9') THEN '6' ELSE '' END,
    m.gender, m.full_on IS NOT NULL, m.mobile, m.lost_contact, CAST(substr(m.birth_date, 1, 4) AS INTEGER) * 100 + CAST(substr(m.birth_date, 6, 2) AS INTEGER), COUNT(*)
FROM members m CROSS JOIN json_each('[' || replace(trim(m.org_path, '/'), '/', ',') || ']') a CROSS JOIN orgs o
WHERE o.id = a.value AND o.type IN ('committee', 'working_committee', 'leading_group', 'general_branch')
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
INSERT INTO member_rollup_dims (org_id, dim, val, n)
SELECT o.id, x.dim, x.val, SUM(x.n)
FROM (SELECT m.org_path, d.dim, CASE d.dim WHEN 'job' THEN m.job WHEN 'eth' THEN m.ethnicity ELSE CASE WHEN m.joined_on <= '1937-07-06' THEN '1' WHEN m.joined_on <= '1945-09-02' THEN '2' WHEN m.joined_on <= '1949-09-30' THEN '3' WHEN m.joined_on <= '1966-04-30' THEN '4' WHEN m.joined_on <= '1976-10-31' THEN '5' WHEN m.joined_on <= '1978-12-31' THEN '6' WHEN m.joined_on <= '2002-10-31' THEN '7' WHEN m.joined_on <= '2012-10-31' THEN '8' ELSE '9' END END AS val, COUNT(*) AS n
    FROM members m CROSS JOIN (SELECT 'job' AS dim UNION ALL SELECT 'eth' UNION ALL SELECT 'joined') d
    WHERE m.status = 'normal' GROUP BY 1, 2, 3) x
CROSS JOIN json_each('[' || replace(trim(x.org_path, '/'), '/', ',') || ']') a CROSS JOIN orgs o
WHERE o.id = a.value AND o.type IN ('committee', 'working_committee', 'leading_group', 'general_branch')
GROUP BY 1, 2, 3;
