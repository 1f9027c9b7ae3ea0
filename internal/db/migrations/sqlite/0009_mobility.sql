-- 流动党员 and 失联党员 (issue 4 §4, internal/mobility). An outing is one spell away from home
-- (外出登记 → 返回), a loss one spell out of contact (标记失联 → 查找记录 → 恢复联系). Both are
-- scoped through the member's 党支部 (JOIN members, orgs.path); an outing's 流入地党组织 sees it
-- through host_org_id. The flags members.mobile/mobile_to and members.lost_contact/lost_on/
-- lost_situation follow these records (member.SetMobileTx / SetLostTx, same transaction).
-- At most one open outing and one open loss per member.

CREATE TABLE mobility_outings (
    id            INTEGER PRIMARY KEY,
    member_id     INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    left_on       DATE NOT NULL,                    -- 外出日期
    scope         TEXT NOT NULL,                    -- 外出流向: cross_province 跨省, cross_city 省内跨市, cross_county 市内跨县, in_county 县内
    division_code TEXT NOT NULL DEFAULT '',         -- 流入地行政区划 (internal/division), optional
    place         TEXT NOT NULL,                    -- 流入地（地点、单位）
    reason        TEXT NOT NULL,                    -- 外出原因 code (internal/mobility)
    fixed_place   BOOLEAN NOT NULL DEFAULT FALSE,   -- 地点相对固定
    host_org_id   INTEGER REFERENCES orgs(id),      -- 流入地党组织 in the system
    host_name     TEXT NOT NULL DEFAULT '',         -- 流入地党组织 outside the system (name as text)
    host_contact  TEXT NOT NULL DEFAULT '',         -- its contact person
    phone_cipher  TEXT NOT NULL DEFAULT '',         -- the contact's phone, sealed
    phone_mask    TEXT NOT NULL DEFAULT '',
    has_card      BOOLEAN NOT NULL DEFAULT FALSE,   -- 持《流动党员活动证》
    card_no       TEXT NOT NULL DEFAULT '',
    expected_back DATE,                             -- 预计返回日期
    note          TEXT NOT NULL DEFAULT '',
    returned_on   DATE,                             -- 返回日期; NULL while away
    return_note   TEXT NOT NULL DEFAULT '',
    created_by    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX mobility_outings_open ON mobility_outings(member_id) WHERE returned_on IS NULL;
CREATE INDEX mobility_outings_member ON mobility_outings(member_id, left_on);
CREATE INDEX mobility_outings_host ON mobility_outings(host_org_id) WHERE host_org_id IS NOT NULL;

CREATE TABLE mobility_losses (
    id           INTEGER PRIMARY KEY,
    member_id    INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    lost_on      DATE NOT NULL,                     -- 失去联系日期
    basis        TEXT NOT NULL,                     -- attendance, dues (computed from the last of either), manual
    basis_note   TEXT NOT NULL DEFAULT '',          -- how the date was found, shown with it
    situation    TEXT NOT NULL,                     -- 失联情形 code 1–7 (member code table lost_situation)
    note         TEXT NOT NULL DEFAULT '',
    found_on     DATE,                              -- 恢复联系日期; NULL while lost
    outcome      TEXT NOT NULL DEFAULT '',          -- manage 重新纳管, correct 限期改正, dispose 按规定处置
    outcome_note TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX mobility_losses_open ON mobility_losses(member_id) WHERE found_on IS NULL;
CREATE INDEX mobility_losses_member ON mobility_losses(member_id, lost_on);

-- 查找记录: each attempt to reach a lost member.
CREATE TABLE mobility_searches (
    id          INTEGER PRIMARY KEY,
    loss_id     INTEGER NOT NULL REFERENCES mobility_losses(id) ON DELETE CASCADE,
    searched_on DATE NOT NULL,
    way         TEXT NOT NULL,                      -- 查找方式
    result      TEXT NOT NULL,                      -- 查找结果
    by_whom     TEXT NOT NULL,                      -- 查找人
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX mobility_searches_loss ON mobility_searches(loss_id, searched_on);
