-- 发展党员 (issue 4, core): one case per applicant, the steps recorded against the 25-step flow
-- of the rule set in force (internal/development), each organisation's local rule settings
-- (inherited down the tree, like life_settings), and the working-day calendar (法定节假日 and
-- 调休上班日) used to count 公示 days. Cases are scoped through their 党支部 (JOIN orgs,
-- orgs.path), never a copied path. The 公民身份号码 is sealed with the platform's PII key and
-- indexed by its keyed hash, as in members.

CREATE TABLE dev_cases (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES orgs(id),   -- the 党支部 that develops the applicant
    name         TEXT NOT NULL,
    gender       TEXT NOT NULL,                          -- GB/T 2261.1: 1 男, 2 女
    id_cipher    TEXT NOT NULL DEFAULT '',
    id_hash      TEXT NOT NULL DEFAULT '',
    id_mask      TEXT NOT NULL DEFAULT '',
    birth_date   DATE NOT NULL,
    rule_version TEXT NOT NULL,                          -- rule set the case follows (e.g. 2014)
    status       TEXT NOT NULL DEFAULT 'open',           -- open, done (转正), closed (取消资格 / 终止)
    phase        TEXT NOT NULL,                          -- applicant, activist, candidate, probationary, full, cancelled
    joined_on    DATE,                                   -- 支部大会通过为预备党员之日
    full_on      DATE,                                   -- 预备期满转为正式党员之日
    member_id    INTEGER REFERENCES members(id) ON DELETE SET NULL,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX dev_cases_org ON dev_cases(org_id, phase);
CREATE UNIQUE INDEX dev_cases_one_open ON dev_cases(id_hash) WHERE id_hash <> '' AND status = 'open';

CREATE TABLE dev_steps (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES dev_cases(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,                         -- order of recording within the case
    step       TEXT NOT NULL,                            -- step code of the rule set (s01 … s25)
    done_on    DATE NOT NULL,
    data       TEXT NOT NULL DEFAULT '{}',               -- people, vote counts, documents, training … as JSON
    warnings   TEXT NOT NULL DEFAULT '[]',               -- rule warnings accepted when it was recorded
    note       TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (case_id, seq)
);
CREATE INDEX dev_steps_case ON dev_steps(case_id, step);

-- Local rules; NULL inherits from the nearest ancestor that sets it.
CREATE TABLE dev_settings (
    org_id                INTEGER PRIMARY KEY REFERENCES orgs(id) ON DELETE CASCADE,
    rule_version          TEXT,
    publicity_days        INTEGER,   -- 公示 working days
    activist_min_months   INTEGER,   -- 递交申请书后至确定积极分子 (months)
    pre_review_days       INTEGER,   -- 预审合格后至支部大会 (days; 0: no limit)
    levels                TEXT,      -- JSON {rule id: block|warn}
    updated_by            TEXT NOT NULL,
    updated_at            TIMESTAMP NOT NULL
);

-- Working-day calendar: holiday = 法定节假日/调休放假 (a weekday that is not worked), workday =
-- 调休上班 (a weekend day that is worked). Other days follow the week.
CREATE TABLE dev_calendar (
    day    DATE PRIMARY KEY,
    kind   TEXT NOT NULL,
    name   TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT ''
);
