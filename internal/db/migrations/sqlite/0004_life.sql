-- 组织生活: meetings (三会一课, 主题党日, 组织生活会, 民主评议, 换届选举 …) recorded once, with
-- attendance and vote counts; edits kept as versions; 谈心谈话; 民主评议党员 results; and the
-- organisations' local overrides of the rule defaults (inherited down the tree).
-- Rows are scoped through their organisation (JOIN orgs, orgs.path), not a copied path, so
-- moving an organisation can never leave a stale scope behind.

CREATE TABLE meetings (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    type        TEXT NOT NULL,                 -- meeting type code (internal/life/types.go)
    also_types  TEXT NOT NULL DEFAULT '',      -- comma-separated types this meeting also counts as
    held_on     DATE NOT NULL,
    start_time  TEXT NOT NULL DEFAULT '',      -- HH:MM, optional
    end_time    TEXT NOT NULL DEFAULT '',
    place       TEXT NOT NULL DEFAULT '',
    host        TEXT NOT NULL DEFAULT '',      -- 主持人 / 主讲人
    topic       TEXT NOT NULL DEFAULT '',
    first_topic TEXT NOT NULL DEFAULT '',      -- 第一议题
    agenda      TEXT NOT NULL DEFAULT '',
    minutes     TEXT NOT NULL DEFAULT '',
    decisions   TEXT NOT NULL DEFAULT '',
    study_hours REAL NOT NULL DEFAULT 0,
    created_by  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX meetings_once ON meetings(org_id, type, held_on);
CREATE INDEX meetings_org ON meetings(org_id, held_on);

CREATE TABLE meeting_versions (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    snapshot   TEXT NOT NULL,                  -- the whole record as JSON, as saved
    summary    TEXT NOT NULL DEFAULT '',
    user_id    INTEGER,
    username   TEXT NOT NULL,
    saved_at   TIMESTAMP NOT NULL,
    UNIQUE (meeting_id, version)
);

CREATE TABLE meeting_attendance (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    member_id  INTEGER NOT NULL REFERENCES members(id),
    status     TEXT NOT NULL,                  -- present 出席, leave 请假, absent 缺席, makeup 补课
    reason     TEXT NOT NULL DEFAULT '',
    makeup_on  DATE,
    PRIMARY KEY (meeting_id, member_id)
);
CREATE INDEX meeting_attendance_member ON meeting_attendance(member_id, status);

-- Counts only: who voted how is never recorded.
CREATE TABLE meeting_votes (
    id               INTEGER PRIMARY KEY,
    meeting_id       INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    seq              INTEGER NOT NULL,
    subject          TEXT NOT NULL,
    entitled         INTEGER NOT NULL,         -- 应到会有表决权人数
    present_entitled INTEGER NOT NULL,         -- 实到会有表决权人数
    yes              INTEGER NOT NULL,
    no               INTEGER NOT NULL,
    abstain          INTEGER NOT NULL
);
CREATE INDEX meeting_votes_meeting ON meeting_votes(meeting_id, seq);

CREATE TABLE talks (
    id               INTEGER PRIMARY KEY,
    org_id           INTEGER NOT NULL REFERENCES orgs(id),
    held_on          DATE NOT NULL,
    kind             TEXT NOT NULL,
    talker_member_id INTEGER REFERENCES members(id),
    talker_name      TEXT NOT NULL,
    with_member_id   INTEGER REFERENCES members(id),
    with_leader_id   INTEGER REFERENCES org_leaders(id) ON DELETE SET NULL,
    with_name        TEXT NOT NULL,
    summary          TEXT NOT NULL DEFAULT '',
    created_by       TEXT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX talks_org ON talks(org_id, held_on);

CREATE TABLE evaluations (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES orgs(id),
    member_id       INTEGER NOT NULL REFERENCES members(id),
    year            INTEGER NOT NULL,
    meeting_id      INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    self_assessment TEXT NOT NULL DEFAULT '',
    counts          TEXT NOT NULL DEFAULT '{}', -- 民主测评票数 by grade, JSON
    grade           TEXT NOT NULL,
    disposal        TEXT NOT NULL DEFAULT '',
    disposal_note   TEXT NOT NULL DEFAULT '',
    decided_on      DATE,
    created_by      TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    UNIQUE (member_id, year)
);
CREATE INDEX evaluations_org ON evaluations(org_id, year);

-- Local overrides of the rule defaults; NULL inherits from the nearest ancestor that sets it.
CREATE TABLE life_settings (
    org_id                    INTEGER PRIMARY KEY REFERENCES orgs(id) ON DELETE CASCADE,
    theme_day                 INTEGER,          -- 主题党日 固定日 (1–31)
    study_hours_target        REAL,
    leader_study_hours_target REAL,
    grade_set                 TEXT,             -- '4' or '3'
    frequencies               TEXT,             -- JSON {meeting type: month|quarter|half|year|none}
    updated_by                TEXT NOT NULL,
    updated_at                TIMESTAMP NOT NULL
);
