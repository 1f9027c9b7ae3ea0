-- 党费 (party dues): each member's standard, effective-dated by month; the ledger of payments,
-- append-only (corrections and refunds are new entries); month close per 党支部; settings per
-- organisation, inherited down the tree; the text of the yearly 公示. Amounts are integer 分.

CREATE TABLE dues_settings (
    org_id                  INTEGER PRIMARY KEY REFERENCES orgs(id) ON DELETE CASCADE,
    -- NULL in any column: as the nearest ancestor that set it (the system default at the top).
    deduct_income_tax       BOOLEAN,
    deduct_social_insurance BOOLEAN,
    deduct_housing_fund     BOOLEAN,
    allow_quarterly         BOOLEAN,
    back_pay_limit          INTEGER,
    member_reminders        BOOLEAN,
    updated_at              TIMESTAMP NOT NULL,
    updated_by              TEXT NOT NULL
);

CREATE TABLE dues_standards (
    id              INTEGER PRIMARY KEY,
    member_id       INTEGER NOT NULL REFERENCES members(id),
    effective_month TEXT NOT NULL,              -- 'YYYY-MM': in force from this month to the next standard
    category        TEXT NOT NULL,              -- salaried, annual_salary, self_employed, retired, farmer, student_etc, reduced, exempt
    base_fen        INTEGER NOT NULL DEFAULT 0,
    base_items_json TEXT,                       -- the wage items and deductions, when entered as items
    base_formula    TEXT NOT NULL DEFAULT '',   -- how the base followed from the items
    fixed_fen       INTEGER NOT NULL DEFAULT 0, -- the chosen amount of 农民 or the approved amount of 少交
    rate_bp         INTEGER NOT NULL DEFAULT 0, -- basis points, as computed in effective_month
    monthly_fen     INTEGER NOT NULL,           -- as computed in effective_month (later table versions may differ)
    rate_version    TEXT NOT NULL,
    approval_body   TEXT NOT NULL DEFAULT '',   -- 少交、免交: the approving 上一级党委
    approval_doc    TEXT NOT NULL DEFAULT '',   -- and its document
    note            TEXT NOT NULL DEFAULT '',
    source          TEXT NOT NULL DEFAULT 'manual', -- manual, import
    superseded_at   TIMESTAMP,                  -- set when a new standard for the same month replaced it
    created_by      TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX dues_standards_current ON dues_standards(member_id, effective_month) WHERE superseded_at IS NULL;

CREATE TABLE dues_payments (
    id            INTEGER PRIMARY KEY,
    member_id     INTEGER NOT NULL REFERENCES members(id),
    org_id        INTEGER NOT NULL REFERENCES orgs(id), -- the member's 党支部 when the entry was made: its books
    org_path      TEXT NOT NULL,
    month         TEXT NOT NULL,                -- 'YYYY-MM' the entry is for
    due_fen       INTEGER NOT NULL,             -- the month's due when the entry was made
    paid_fen      INTEGER NOT NULL,             -- negative for refunds and downward corrections
    paid_on       DATE NOT NULL,
    method        TEXT NOT NULL,                -- cash, transfer, online
    payer         TEXT NOT NULL DEFAULT '',     -- 代交人; '' = the member
    receipt_no    TEXT NOT NULL DEFAULT '',     -- receipt or bank / 复兴壹号 serial number
    kind          TEXT NOT NULL,                -- payment, voluntary, correction, refund
    corrects_id   INTEGER REFERENCES dues_payments(id),
    to_centre     BOOLEAN NOT NULL DEFAULT FALSE, -- 一次多交1000元以上: all of it to the centre
    approval_note TEXT NOT NULL DEFAULT '',     -- 补交 beyond the limit: who approved
    source        TEXT NOT NULL DEFAULT 'manual', -- manual, import
    note          TEXT NOT NULL DEFAULT '',
    created_by    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX dues_payments_member ON dues_payments(member_id, month);
CREATE INDEX dues_payments_path ON dues_payments(org_path, month);
CREATE INDEX dues_payments_receipt ON dues_payments(receipt_no);

-- The ledger is append-only, like the audit log.
CREATE TRIGGER dues_payments_no_update BEFORE UPDATE ON dues_payments
BEGIN SELECT RAISE(ABORT, 'dues_payments is append-only'); END;
CREATE TRIGGER dues_payments_no_delete BEFORE DELETE ON dues_payments
BEGIN SELECT RAISE(ABORT, 'dues_payments is append-only'); END;

CREATE TABLE dues_month_close (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES orgs(id),
    month          TEXT NOT NULL,
    closed_at      TIMESTAMP NOT NULL,
    closed_by      TEXT NOT NULL,
    members        INTEGER NOT NULL,            -- members with a due that month
    paying_members INTEGER NOT NULL,
    due_fen        INTEGER NOT NULL,
    paid_fen       INTEGER NOT NULL,
    UNIQUE (org_id, month)
);

CREATE TABLE dues_publications (
    org_id     INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    year       INTEGER NOT NULL,
    usage_json TEXT NOT NULL,                   -- ["line", …]: how the dues were used, as the branch writes it
    updated_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (org_id, year)
);
