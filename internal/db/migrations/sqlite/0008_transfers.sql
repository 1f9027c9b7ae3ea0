-- 组织关系转接 (issue 4 §3): one row per 介绍信 or transfer act. kind: internal (in the system,
-- one 党支部 to another, accepted or returned by the receiver), out (to an organisation outside
-- the system: pending until the 回执 is recorded), in (from outside: registered by the receiving
-- branch), org (整建制转接 of an organisation subtree). Until an internal or out transfer is
-- accepted the member stays where they are (第二十五条: 转出未被接收的，原党组织仍负管理责任).
-- from_path/to_path are the org paths at the time of the act, as in member_events; '' = outside
-- the system. Scope: the sender sees it through from_path, the receiver through to_path.

CREATE TABLE transfers (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL,                 -- internal, out, in, org
    status         TEXT NOT NULL,                 -- pending, accepted, returned, withdrawn
    letter_no      TEXT NOT NULL UNIQUE,          -- 介绍信编号, assigned by the system
    member_id      INTEGER REFERENCES members(id),
    member_name    TEXT NOT NULL DEFAULT '',
    gender         TEXT NOT NULL DEFAULT '',
    birth_date     DATE,
    ethnicity      TEXT NOT NULL DEFAULT '',
    category       TEXT NOT NULL DEFAULT '',      -- full 正式党员, probationary 预备党员 (at issue)
    id_mask        TEXT NOT NULL DEFAULT '',
    subject_org_id INTEGER REFERENCES orgs(id),   -- kind org: the organisation moved
    member_count   INTEGER NOT NULL DEFAULT 0,    -- kind org: members who moved with it
    from_org_id    INTEGER REFERENCES orgs(id),
    from_path      TEXT NOT NULL DEFAULT '',
    from_name      TEXT NOT NULL DEFAULT '',      -- the sending organisation (text for kind in)
    to_org_id      INTEGER REFERENCES orgs(id),
    to_path        TEXT NOT NULL DEFAULT '',
    to_name        TEXT NOT NULL DEFAULT '',      -- the receiving organisation (text for kind out)
    ext_letter_no  TEXT NOT NULL DEFAULT '',      -- kind in: the number on the incoming letter
    reason         TEXT NOT NULL DEFAULT '',
    issued_on      DATE NOT NULL,
    valid_until    DATE,                          -- 有效期截止日
    dues_paid_to   TEXT NOT NULL DEFAULT '',      -- 党费交至 'YYYY-MM'
    decided_on     DATE,                          -- accepted / returned / withdrawn / 回执 date
    decided_by     TEXT NOT NULL DEFAULT '',
    decision_note  TEXT NOT NULL DEFAULT '',      -- reason of a return or withdrawal, the 回执 note
    created_by     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX transfers_from ON transfers(from_path, status);
CREATE INDEX transfers_to ON transfers(to_path, status);
-- One open transfer per member.
CREATE UNIQUE INDEX transfers_one_open ON transfers(member_id) WHERE status = 'pending' AND member_id IS NOT NULL;
