-- Member lifecycle (issue 4): the membership ledger behind 党员数量变化 (党内统计 table 1).
-- Every act that changes who counts where writes one row: 发展, 重新入党, 恢复党籍, a transfer
-- (in the system, from or to outside it, or a whole organisation's), 出党 of each kind,
-- 停止党籍 and 死亡. from_path/to_path are the org paths ('/1/5/23/', ids from the root) at
-- the time of the act; '' means "not counted here" (not yet a member, outside the system, no
-- longer counted). Because paths are ids, "under organisation N" is a path containing '/N/',
-- which stays true when N itself moves later.

CREATE TABLE member_events (
    id         INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    on_date    DATE NOT NULL,
    kind       TEXT NOT NULL,                   -- member.EventKind
    from_path  TEXT NOT NULL DEFAULT '',
    to_path    TEXT NOT NULL DEFAULT '',
    ref        TEXT NOT NULL DEFAULT '',        -- the act behind it, e.g. 'transfer:12', 'status:5'
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX member_events_date ON member_events(on_date);
CREATE INDEX member_events_member ON member_events(member_id, on_date);

-- 年报封存: an organisation's year-end total as reported, the independent 上年底数 that the
-- next year's balance (上年底 + 增加 − 减少 = 本年底) is checked against.
CREATE TABLE member_count_snapshots (
    org_id    INTEGER NOT NULL REFERENCES orgs(id),
    year      INTEGER NOT NULL,
    total     INTEGER NOT NULL,
    frozen_at TIMESTAMP NOT NULL,
    username  TEXT NOT NULL,
    PRIMARY KEY (org_id, year)
);

-- The procedure behind a change of 党籍状态 (停止党籍, 恢复党籍, each kind of 出党, 死亡 …) and
-- the document that decided it (文件名称和文号).
ALTER TABLE member_status_changes ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE member_status_changes ADD COLUMN document TEXT NOT NULL DEFAULT '';
