-- Foundation: organisations and their 班子, users, sessions, settings, audit log.

CREATE TABLE orgs (
    id                   INTEGER PRIMARY KEY,
    code                 TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL,
    short_name           TEXT NOT NULL DEFAULT '',
    type                 TEXT NOT NULL,
    unit_type            TEXT NOT NULL,
    division_code        TEXT NOT NULL DEFAULT '',
    parent_id            INTEGER REFERENCES orgs(id),
    path                 TEXT NOT NULL,          -- '/1/5/23/': ids from the root, for subtree queries
    depth                INTEGER NOT NULL,
    sort_order           INTEGER NOT NULL DEFAULT 0,
    status               TEXT NOT NULL DEFAULT 'active',
    established_on       DATE,
    dissolved_on         DATE,
    dissolved_reason     TEXT NOT NULL DEFAULT '',
    full_members         INTEGER,                -- filled by the member registry; NULL = not known yet
    probationary_members INTEGER,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    version              INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX orgs_path ON orgs(path);
CREATE INDEX orgs_parent ON orgs(parent_id, sort_order, code);

CREATE TABLE org_units (
    org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    seq    INTEGER NOT NULL,
    name   TEXT NOT NULL,
    PRIMARY KEY (org_id, seq)
);

CREATE TABLE org_events (
    id       INTEGER PRIMARY KEY,
    org_id   INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    at       TIMESTAMP NOT NULL,
    user_id  INTEGER,
    username TEXT NOT NULL,
    kind     TEXT NOT NULL,
    summary  TEXT NOT NULL
);
CREATE INDEX org_events_org ON org_events(org_id, id);

CREATE TABLE org_terms (
    id                 INTEGER PRIMARY KEY,
    org_id             INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    elected_on         DATE NOT NULL,
    term_years         INTEGER NOT NULL,
    ends_on            DATE NOT NULL,
    extended_to        DATE,
    extension_reason   TEXT NOT NULL DEFAULT '',
    extension_approval TEXT NOT NULL DEFAULT '',
    closed_on          DATE,                     -- set when the next term is elected
    created_at         TIMESTAMP NOT NULL
);
CREATE INDEX org_terms_org ON org_terms(org_id, elected_on);
CREATE UNIQUE INDEX org_terms_current ON org_terms(org_id) WHERE closed_on IS NULL;

CREATE TABLE org_leaders (
    id         INTEGER PRIMARY KEY,
    term_id    INTEGER NOT NULL REFERENCES org_terms(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    post       TEXT NOT NULL,
    started_on DATE,
    ended_on   DATE,
    note       TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX org_leaders_term ON org_leaders(term_id, sort_order);

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    username            TEXT NOT NULL UNIQUE,
    display_name        TEXT NOT NULL,
    password_hash       TEXT NOT NULL,
    disabled            BOOLEAN NOT NULL DEFAULT FALSE,
    failed_logins       INTEGER NOT NULL DEFAULT 0,
    locked_until        TIMESTAMP,
    last_login_at       TIMESTAMP,
    password_changed_at TIMESTAMP NOT NULL,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);

CREATE TABLE user_roles (
    id      INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role    TEXT NOT NULL,
    org_id  INTEGER REFERENCES orgs(id)
);
CREATE INDEX user_roles_user ON user_roles(user_id);
CREATE INDEX user_roles_org ON user_roles(org_id);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_throttle (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    window_start TIMESTAMP NOT NULL
);

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TIMESTAMP NOT NULL,
    user_id     INTEGER,
    username    TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL DEFAULT '',
    summary     TEXT NOT NULL DEFAULT '',
    before_json TEXT,
    after_json  TEXT,
    ip          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log(at);

-- The audit log is append-only: the application has no code to change it, and the database refuses too.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
