-- 发展党员 linked to the registry (issue 4): the 党员信息 a case must hold before the 上级党委's
-- 审批 creates the member record (民族, 学历, 工作岗位, 籍贯, 联系电话, 家庭住址). Codes are those
-- of the member registry's code tables; the phone and address are sealed with the platform's
-- PII key and shown masked, as in members. (Named 0010_development_link.sql in the plan; it
-- is numbered after the last migration of this branch so the sequence has no gap.)
ALTER TABLE dev_cases ADD COLUMN ethnicity TEXT NOT NULL DEFAULT '';
ALTER TABLE dev_cases ADD COLUMN education TEXT NOT NULL DEFAULT '';
ALTER TABLE dev_cases ADD COLUMN job TEXT NOT NULL DEFAULT '';
ALTER TABLE dev_cases ADD COLUMN native_place TEXT NOT NULL DEFAULT '';
ALTER TABLE dev_cases ADD COLUMN phone_cipher TEXT NOT NULL DEFAULT '';
ALTER TABLE dev_cases ADD COLUMN phone_mask TEXT NOT NULL DEFAULT '';
ALTER TABLE dev_cases ADD COLUMN address_cipher TEXT NOT NULL DEFAULT '';
ALTER TABLE dev_cases ADD COLUMN address_mask TEXT NOT NULL DEFAULT '';
