-- Member registry (党员信息库): members with their personal data sealed (AES-256-GCM) and indexed
-- by keyed hash, repeatable histories, status changes, self-service change requests, and the
-- edited entries of the code tables (defaults live in Go, internal/member/codes.go).

CREATE TABLE members (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES orgs(id),
    org_path        TEXT NOT NULL,              -- copy of orgs.path, rewritten when the org moves
    name            TEXT NOT NULL,
    gender          TEXT NOT NULL,
    id_cipher       TEXT NOT NULL,              -- 公民身份号码, sealed
    id_hash         TEXT NOT NULL UNIQUE,       -- keyed HMAC of the normalised number
    id_mask         TEXT NOT NULL,
    ethnicity       TEXT NOT NULL,
    birth_date      DATE NOT NULL,
    education       TEXT NOT NULL,
    joined_on       DATE NOT NULL,
    full_on         DATE,
    job             TEXT NOT NULL DEFAULT '',
    phone_cipher    TEXT NOT NULL DEFAULT '',
    phone_hash      TEXT NOT NULL DEFAULT '',
    phone_mask      TEXT NOT NULL DEFAULT '',
    address_cipher  TEXT NOT NULL DEFAULT '',
    address_mask    TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'normal',
    status_on       DATE,
    lost_contact    BOOLEAN NOT NULL DEFAULT FALSE,
    lost_on         DATE,
    lost_situation  TEXT NOT NULL DEFAULT '',
    mobile          BOOLEAN NOT NULL DEFAULT FALSE,
    mobile_to       TEXT NOT NULL DEFAULT '',
    native_place    TEXT NOT NULL DEFAULT '',
    degree          TEXT NOT NULL DEFAULT '',
    tech_title      TEXT NOT NULL DEFAULT '',
    party_post      TEXT NOT NULL DEFAULT '',
    work_started_on DATE,
    hardship        BOOLEAN NOT NULL DEFAULT FALSE,
    introducers     TEXT NOT NULL DEFAULT '',
    photo           BLOB,
    user_id         INTEGER UNIQUE REFERENCES users(id) ON DELETE SET NULL,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX members_path_name ON members(org_path, name);
CREATE INDEX members_org ON members(org_id, status);
CREATE INDEX members_phone ON members(phone_hash);
CREATE INDEX members_path_status ON members(org_path, status, birth_date);

CREATE TABLE member_history (
    id         INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,                   -- post 职务, award 奖励, punishment 惩处, transfer 组织关系变动
    started_on DATE,
    ended_on   DATE,
    title      TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX member_history_member ON member_history(member_id, kind, started_on);

CREATE TABLE member_status_changes (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    changed_on  DATE NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    reason      TEXT NOT NULL,
    approved_by TEXT NOT NULL DEFAULT '',      -- 批准机关
    username    TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX member_status_changes_member ON member_status_changes(member_id, changed_on);

CREATE TABLE member_change_requests (
    id           INTEGER PRIMARY KEY,
    member_id    INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    changes_json TEXT NOT NULL,                -- {field: new value}; personal data sealed
    status       TEXT NOT NULL DEFAULT 'pending', -- pending, approved, rejected
    requested_at TIMESTAMP NOT NULL,
    requested_by TEXT NOT NULL,
    decided_at   TIMESTAMP,
    decided_by   TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX member_change_requests_status ON member_change_requests(status, member_id);
CREATE INDEX member_change_requests_member ON member_change_requests(member_id, id);

CREATE TABLE code_items (
    kind       TEXT NOT NULL,
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    parent     TEXT NOT NULL DEFAULT '',
    sort       INTEGER NOT NULL DEFAULT 0,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (kind, code)
);
