package development

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/org"
)

// RecordStep records one step of a case after checking it against the rule set in force:
// a blocking rule refuses it (422 naming the rule, article and source), a warning rule lets it
// through and comes back with the answer. in.Version must be the version the caller read.
func (s *Store) RecordStep(ctx context.Context, caseID int64, in StepInput) (*StepAnswer, error) {
	var warnings []Finding
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		c, err := s.findCase(ctx, tx, caseID, access.OrgRead)
		if err != nil {
			return err
		}
		if !access.Covers(ctx, access.OrgWrite, c.branch.Path) {
			return api.Forbidden("您对“" + c.branch.Name + "”只有查看权限")
		}
		if in.Version != c.Version {
			return api.Conflict("该案例已被他人修改（当前版本 " + strconv.Itoa(c.Version) + "），请刷新后重试")
		}
		rs := ruleSets[c.RuleVersion]
		idx := rs.index(in.Step)
		if idx < 0 {
			return api.FieldInvalid("step", "未知的步骤："+in.Step)
		}
		step := rs.Steps[idx]
		st := derive(c.Steps)
		if st.status != "open" {
			return api.Conflict("该案例已结束（" + st.phase.Name() + "），不能再登记步骤")
		}
		if in.On.IsZero() {
			return api.FieldInvalid("on", "请填写完成日期")
		}
		if _, done := st.done[in.Step]; done && !step.Repeatable {
			return api.FieldInvalid("step", "“"+step.Name+"”已登记")
		}
		eff, err := s.effective(ctx, tx, c.branch)
		if err != nil {
			return err
		}
		cal, err := loadCalendar(ctx, tx)
		if err != nil {
			return err
		}
		k := &checker{rs: rs, eff: eff}
		var f api.Fields
		data := in.StepData
		data.Documents = cleanDocs(data.Documents)
		data.ApproverName, data.PublicityDays, data.ProbationEnds = "", 0, civil.Date{}
		s.checkOrder(k, rs, st, idx)
		s.checkDates(k, rs, st, idx, in.On)
		if err := s.checkStep(ctx, tx, k, &f, c, st, cal, in, &data); err != nil {
			return err
		}
		if err := s.checkAuthority(ctx, tx, rs, step, &f, c, data); err != nil {
			return err
		}
		if in.Profile != nil {
			if c.MemberID != nil {
				f.Add("profile", "已建立党员名册记录：请在党员名册中修改其信息")
			} else if _, err := s.applyProfile(ctx, tx, c, *in.Profile); err != nil {
				return err
			}
		}
		if in.Step == StepApproval {
			requireProfile(&f, c)
		}
		if err := f.Err(); err != nil {
			return err
		}
		blocking, warn := k.split()
		if len(blocking) > 0 {
			return ruleError(blocking, k.findings)
		}
		warnings = warn
		seq := len(c.Steps) + 1
		if err := insertStep(ctx, tx, c.ID, seq, in.Step, in.On, data, warnings, in.Note); err != nil {
			return err
		}
		after := derive(append(c.Steps, StepRecord{Seq: seq, Step: in.Step, On: in.On, StepData: data}))
		res, err := tx.Exec(ctx, `UPDATE dev_cases SET phase = ?, status = ?, joined_on = ?, full_on = ?, updated_at = ?, version = version + 1
			WHERE id = ? AND version = ?`, after.phase, after.status, after.joinedOn, after.fullOn, time.Now().UTC(), c.ID, c.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return api.Conflict("该案例已被他人修改，请刷新后重试")
		}
		switch in.Step {
		case StepApproval:
			if _, err := s.enroll(ctx, tx, c, after); err != nil {
				return err
			}
		case StepFullApproval:
			if err := s.settle(ctx, tx, c, data, in.On); err != nil {
				return err
			}
		}
		summary := fmt.Sprintf("%s：%s “%s” %s", c.branch.Name, c.Name, step.Name, in.On)
		if len(warnings) > 0 {
			summary += fmt.Sprintf("（%d 条规则提示）", len(warnings))
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "development.step", Entity: "dev_case", EntityID: strconv.FormatInt(c.ID, 10),
			Summary: summary, Before: map[string]any{"phase": c.Phase, "version": c.Version},
			After: map[string]any{"step": in.Step, "on": in.On, "data": data, "warnings": warnings, "phase": after.phase}})
	})
	if err != nil {
		return nil, err
	}
	c, err := s.Get(ctx, caseID)
	if err != nil {
		return nil, err
	}
	return &StepAnswer{Case: c, Warnings: warnings}, nil
}

// checkOrder: every earlier step must be done; a repeatable step only until the next one is.
func (s *Store) checkOrder(k *checker, rs *RuleSet, st state, idx int) {
	var missing []string
	for _, p := range rs.Steps[:idx] {
		if _, ok := st.done[p.Code]; !ok {
			missing = append(missing, p.Name)
		}
	}
	if len(missing) > 0 {
		k.add("dev.order", "请先完成前面的步骤："+strings.Join(missing, "、"))
	}
	step := rs.Steps[idx]
	if step.Repeatable && idx+1 < len(rs.Steps) {
		if _, ok := st.done[rs.Steps[idx+1].Code]; ok {
			k.add("dev.order", "已进行“"+rs.Steps[idx+1].Name+"”，不能再登记“"+step.Name+"”")
		}
	}
}

// checkDates: not in the future, not before the previous step.
func (s *Store) checkDates(k *checker, rs *RuleSet, st state, idx int, on civil.Date) {
	if on.After(s.Today()) {
		k.add("dev.date.future", "日期 "+on.String()+" 晚于今天：只能登记已经完成的步骤")
	}
	var prev civil.Date
	var prevName string
	for _, r := range st.all {
		if i := rs.index(r.Step); i < idx && r.On.After(prev) {
			prev, prevName = r.On, rs.Steps[i].Name
		}
	}
	if idx >= rs.index(StepProbationEdu) && st.extendedOn.After(prev) {
		prev, prevName = st.extendedOn, "批准延长预备期"
	}
	if !prev.IsZero() && on.Before(prev) {
		k.add("dev.date.sequence", fmt.Sprintf("日期 %s 早于上一步骤“%s”的日期 %s", on, prevName, prev))
	}
}

func (s *Store) checkStep(ctx context.Context, tx *db.Tx, k *checker, f *api.Fields, c *caseRow, st state, cal *Calendar, in StepInput, data *StepData) error {
	on := in.On
	dateOf := func(code string) civil.Date { return st.done[code].On }
	switch in.Step {
	case StepTalk:
		if len(data.People) == 0 {
			f.Add("people", "请填写谈话人")
		}
		if limit := addMonths(st.appliedOn, 1); on.After(limit) {
			k.add("dev.talk", fmt.Sprintf("谈话日期 %s 距收到入党申请书（%s）已超过一个月（应在 %s 前）", on, st.appliedOn, limit))
		}
	case StepActivist:
		if m := k.eff.ActivistMinMonths; m > 0 {
			if earliest := addMonths(st.appliedOn, m); on.Before(earliest) {
				k.add("dev.activist_wait", fmt.Sprintf("递交申请书（%s）未满 %d 个月，%s 后才能确定为入党积极分子", st.appliedOn, m, earliest))
			}
		}
	case StepContacts:
		if n := len(data.People); n < 1 || n > 2 {
			k.add("dev.contacts", fmt.Sprintf("培养联系人应为一至两名正式党员，这里填写了 %d 名", n))
		}
		if err := s.checkPeople(ctx, tx, k, f, data, "contact", "dev.contacts", "培养联系人", on, false); err != nil {
			return err
		}
	case StepCandidate:
		if earliest := dateOf(StepActivist).AddDate(1, 0, 0); on.Before(earliest) {
			k.add("dev.candidate_one_year", fmt.Sprintf("确定为入党积极分子（%s）后培养考察不满一年：%s 后才能确定为发展对象", dateOf(StepActivist), earliest))
		}
		last := dateOf(StepActivist)
		for _, d := range append(reviewDates(st), on) {
			if d.After(addMonths(last, 6)) {
				k.add("dev.review_half_year", fmt.Sprintf("%s 至 %s 之间超过半年没有考察记录", last, d))
				break
			}
			if d.After(last) {
				last = d
			}
		}
	case StepCandidateFile:
		s.checkPublicity(k, f, cal, data, dateOf(StepCandidate), on, "确定发展对象")
	case StepIntroducers:
		if n := len(data.People); n != 2 {
			k.add("dev.introducers", fmt.Sprintf("发展对象应当有两名正式党员作入党介绍人，这里填写了 %d 名", n))
		}
		if err := s.checkPeople(ctx, tx, k, f, data, "introducer", "dev.introducers", "入党介绍人", on, true); err != nil {
			return err
		}
	case StepTraining:
		if data.TrainingDays < 0 || data.TrainingHours < 0 {
			f.Add("training_days", "培训天数、学时不能为负数")
		} else if data.TrainingDays < 3 && data.TrainingHours < 24 {
			k.add("dev.training", fmt.Sprintf("集中培训 %g 天、%g 学时：一般不少于三天或24学时", data.TrainingDays, data.TrainingHours))
		}
	case StepPreReview:
		if err := s.checkApprover(ctx, tx, k, f, c.branch, data, 0); err != nil {
			return err
		}
		if data.LeavingSoon {
			k.add("dev.pre_review.departure", "发展对象未来3个月内将离开工作、学习单位，一般不办理接收预备党员的手续")
		}
	case StepCongress:
		if err := s.linkMeeting(ctx, tx, f, c, data, on); err != nil {
			return err
		}
		if d := k.eff.PreReviewDays; d > 0 {
			if limit := dateOf(StepPreReview).AddDate(0, 0, d); on.After(limit) {
				k.add("dev.pre_review_to_congress", fmt.Sprintf("预审（%s）后超过 %d 天才召开支部大会（应在 %s 前）", dateOf(StepPreReview), d, limit))
			}
		}
		if err := s.checkVote(ctx, tx, k, f, c.branch, data, on); err != nil {
			return err
		}
	case StepApproval, StepFullApproval:
		base := dateOf(StepCongress)
		if in.Step == StepFullApproval {
			base = dateOf(StepFullCongress)
			outcome := st.done[StepFullCongress].Outcome
			if data.Outcome != "" && data.Outcome != outcome {
				f.Add("outcome", "上级党委审批的是支部大会的决议（"+outcomeName(outcome)+"）；不同意的，请先由支部大会重新讨论")
			}
			data.Outcome, data.ExtendMonths = outcome, st.done[StepFullCongress].ExtendMonths
			switch outcome {
			case OutcomeFull:
				data.ProbationEnds = st.probationEnds
			case OutcomeExtend:
				data.ProbationEnds = st.probationEnds.AddDate(0, data.ExtendMonths, 0)
			}
		} else {
			data.ProbationEnds = base.AddDate(1, 0, 0)
		}
		s.checkApprovalTime(k, base, on, data.DelayReason)
		if err := s.checkApprover(ctx, tx, k, f, c.branch, data, priorApprover(st, in.Step)); err != nil {
			return err
		}
	case StepFullCongress:
		if on.Before(st.probationEnds) {
			k.add("dev.probation", fmt.Sprintf("预备期从支部大会通过之日（%s）算起，%s 期满；期满前不能讨论转正", st.joinedOn, st.probationEnds))
		}
		switch data.Outcome {
		case OutcomeFull:
			data.ExtendMonths = 0
			s.checkPublicity(k, f, cal, data, dateOf(StepFullApply), on, "提出转正申请")
		case OutcomeExtend:
			if st.extended {
				k.add("dev.extension", "预备期已经延长过一次，只能延长一次：请讨论按期转正或取消预备党员资格")
			}
			if data.ExtendMonths < 6 || data.ExtendMonths > 12 {
				k.add("dev.extension", fmt.Sprintf("延长预备期 %d 个月：不能少于半年，最长不超过一年", data.ExtendMonths))
			}
		case OutcomeCancel:
			data.ExtendMonths = 0
		default:
			f.Add("outcome", "请选择支部大会的决议：full（按期转正）、extend（延长预备期）或 cancel（取消预备党员资格）")
		}
		if err := s.linkMeeting(ctx, tx, f, c, data, on); err != nil {
			return err
		}
		if err := s.checkVote(ctx, tx, k, f, c.branch, data, on); err != nil {
			return err
		}
	}
	return nil
}

func outcomeName(o string) string {
	return map[string]string{OutcomeFull: "按期转正", OutcomeExtend: "延长预备期", OutcomeCancel: "取消预备党员资格"}[o]
}

func reviewDates(st state) []civil.Date {
	var out []civil.Date
	for _, r := range st.all {
		if r.Step == StepReview {
			out = append(out, r.On)
		}
	}
	return out
}

// checkPublicity: a 公示 of at least the configured working days, after the step it follows
// and finished by the day of this one.
func (s *Store) checkPublicity(k *checker, f *api.Fields, cal *Calendar, data *StepData, after, on civil.Date, afterName string) {
	from, to := data.PublicityFrom, data.PublicityTo
	if from.IsZero() || to.IsZero() {
		k.add("dev.publicity", "未登记公示起止日期")
		return
	}
	if to.Before(from) {
		f.Add("publicity_to", "公示结束日期早于开始日期")
		return
	}
	if from.Before(after) {
		k.add("dev.publicity", fmt.Sprintf("公示开始日期 %s 早于%s的日期 %s", from, afterName, after))
	}
	if to.After(on) {
		k.add("dev.publicity", fmt.Sprintf("公示到 %s 才结束，晚于本步骤日期 %s", to, on))
	}
	n := cal.WorkingDays(from, to)
	data.PublicityDays = n
	if n < k.eff.PublicityDays {
		msg := fmt.Sprintf("公示 %s 至 %s 只有 %d 个工作日，应不少于 %d 个工作日", from, to, n, k.eff.PublicityDays)
		for y := from.Year(); y <= to.Year(); y++ {
			if !cal.Known(y) {
				msg += fmt.Sprintf("（%d 年的节假日安排尚未录入，按周一至周五计算）", y)
			}
		}
		k.add("dev.publicity", msg)
	}
}

// checkApprovalTime: within three months of the 支部大会, up to six with a reason.
func (s *Store) checkApprovalTime(k *checker, base, on civil.Date, reason string) {
	three, six := addMonths(base, 3), addMonths(base, 6)
	switch {
	case on.After(six):
		k.add("dev.approval.time", fmt.Sprintf("支部大会（%s）后超过六个月才审批（最迟 %s）", base, six))
	case on.After(three) && strings.TrimSpace(reason) == "":
		k.add("dev.approval.time", fmt.Sprintf("支部大会（%s）后超过三个月审批（应在 %s 前）：请填写延长审批的原因（delay_reason）", base, three))
	}
}

// canApprove says why an organisation may not approve 预备党员 ("" when it may).
func canApprove(o *orgRow) string {
	switch {
	case o.Status != org.StatusActive:
		return "“" + o.Name + "”已撤销"
	case o.Type == org.TypeGeneralBranch:
		return "“" + o.Name + "”是党总支：党总支不能审批预备党员（可以审议）"
	case o.Type == org.TypeTemporaryBranch:
		return "“" + o.Name + "”是临时党组织：临时党组织不能审批预备党员"
	case o.Type != org.TypeCommittee && o.Type != org.TypeWorkingCommittee:
		return "“" + o.Name + "”是" + o.Type.Name() + "，不是具有审批权限的基层党委（党委、党工委）"
	case o.UnitType == org.UnitVillage || o.UnitType == org.UnitCommunity:
		return "“" + o.Name + "”是村、社区党委：乡镇（街道）党委所属的村、社区党委不能审批预备党员（可以审议）"
	}
	return ""
}

// checkApprover: the 预审/审批 organisation must be an ancestor 基层党委 with the power to
// approve; when none is named, the nearest such ancestor is taken.
func (s *Store) checkApprover(ctx context.Context, tx *db.Tx, k *checker, f *api.Fields, branch *orgRow, data *StepData, prior int64) error {
	if data.ApproverOrgID == 0 && prior != 0 {
		if o, err := orgAny(ctx, tx, prior); err != nil {
			return err
		} else if o != nil && canApprove(o) == "" && strings.HasPrefix(branch.Path, o.Path) && o.ID != branch.ID {
			data.ApproverOrgID, data.ApproverName = o.ID, o.Name
			return nil
		}
	}
	if data.ApproverOrgID == 0 {
		ids := pathIDs(branch.Path)
		for i := len(ids) - 2; i >= 0; i-- {
			o, err := orgAny(ctx, tx, ids[i])
			if err != nil {
				return err
			}
			if o != nil && canApprove(o) == "" {
				data.ApproverOrgID, data.ApproverName = o.ID, o.Name
				return nil
			}
		}
		k.add("dev.approver", "“"+branch.Name+"”的上级组织中没有具有审批权限的基层党委（党委或党工委，且不是村、社区党委）")
		return nil
	}
	o, err := orgAny(ctx, tx, data.ApproverOrgID)
	if err != nil {
		return err
	}
	if o == nil || o.ID == branch.ID || !strings.HasPrefix(branch.Path, o.Path) {
		f.Add("approver_org_id", "审批组织应为“"+branch.Name+"”的上级党委")
		return nil
	}
	data.ApproverName = o.Name
	if why := canApprove(o); why != "" {
		k.add("dev.approver", why)
	}
	return nil
}

// checkVote: the counts of a 支部大会 表决 against the branch's roll and the quorum and pass
// rules (denominator: 应到会有表决权的正式党员).
func (s *Store) checkVote(ctx context.Context, tx *db.Tx, k *checker, f *api.Fields, branch *orgRow, data *StepData, on civil.Date) error {
	v := data.Vote
	if v == nil {
		f.Add("vote", "请填写支部大会表决票数")
		return nil
	}
	if v.Entitled < 0 || v.PresentEntitled < 0 || v.Yes < 0 || v.No < 0 || v.Abstain < 0 {
		f.Add("vote", "票数不能为负数")
		return nil
	}
	var roll int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM members WHERE org_id = ? AND status = 'normal' AND full_on IS NOT NULL AND full_on <= ?`,
		branch.ID, on).Scan(&roll); err != nil {
		return err
	}
	switch {
	case v.Entitled == 0:
		k.add("dev.vote.counts", "应到会有表决权人数为 0")
	case v.Entitled > roll:
		k.add("dev.vote.counts", fmt.Sprintf("应到会有表决权 %d 人，多于党员名册中“%s”%s 的正式党员 %d 人", v.Entitled, branch.Name, on, roll))
	}
	if v.PresentEntitled > v.Entitled {
		k.add("dev.vote.counts", fmt.Sprintf("到会有表决权 %d 人，多于应到会的 %d 人", v.PresentEntitled, v.Entitled))
	}
	if sum := v.Yes + v.No + v.Abstain; sum > v.PresentEntitled {
		k.add("dev.vote.counts", fmt.Sprintf("赞成 %d、反对 %d、弃权 %d，合计 %d 票，多于到会有表决权的 %d 人", v.Yes, v.No, v.Abstain, sum, v.PresentEntitled))
	}
	if v.Entitled > 0 && v.PresentEntitled*2 <= v.Entitled {
		k.add("dev.congress.quorum", fmt.Sprintf("应到会有表决权 %d 人，到会 %d 人，未超过半数（至少 %d 人）", v.Entitled, v.PresentEntitled, v.Entitled/2+1))
	}
	v.Passed = v.Entitled > 0 && v.Yes*2 > v.Entitled
	if !v.Passed && v.Entitled > 0 {
		k.add("dev.congress.pass", fmt.Sprintf("赞成 %d 票，未超过应到会有表决权的正式党员 %d 人的半数（至少 %d 票）：决议未通过", v.Yes, v.Entitled, v.Entitled/2+1))
	}
	return nil
}

// checkPeople checks 培养联系人 or 入党介绍人: named, and when linked to the registry, 正式党员
// (not 预备党员), 党籍正常, and for 介绍人 not under 留党察看.
func (s *Store) checkPeople(ctx context.Context, tx *db.Tx, k *checker, f *api.Fields, data *StepData, role, rule, label string, on civil.Date, introducer bool) error {
	seen := map[int64]bool{}
	where, args := access.Filter(ctx, "o.path", access.OrgRead)
	for i := range data.People {
		p := &data.People[i]
		if p.Role == "" {
			p.Role = role
		}
		p.Name = strings.TrimSpace(p.Name)
		if p.MemberID == nil {
			if p.Name == "" {
				f.Add(fmt.Sprintf("people[%d].name", i), "请填写"+label+"姓名，或选择名册中的党员")
				continue
			}
			k.warn(rule, "“"+p.Name+"”未关联党员名册，系统无法核对其是否为正式党员"+map[bool]string{true: "、是否受留党察看处分", false: ""}[introducer])
			continue
		}
		if seen[*p.MemberID] {
			k.add(rule, "同一名党员填写了两次")
			continue
		}
		seen[*p.MemberID] = true
		var name, status string
		var fullOn civil.Date
		err := tx.QueryRow(ctx, `SELECT m.name, m.status, m.full_on FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.id = ? AND `+where,
			append([]any{*p.MemberID}, args...)...).Scan(&name, &status, &fullOn)
		if err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				f.Add(fmt.Sprintf("people[%d].member_id", i), "党员不存在，或不在您的管理范围内")
				continue
			}
			return err
		}
		p.Name = name
		switch {
		case status != "normal":
			k.add(rule, "“"+name+"”党籍状态不正常，不能作"+label)
		case fullOn.IsZero() || fullOn.After(on):
			k.add(rule, "“"+name+"”是预备党员，不能作"+label+"（须为正式党员）")
		}
		if introducer {
			var n int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM member_history WHERE member_id = ? AND kind = 'punishment' AND title LIKE ?
				AND (started_on IS NULL OR started_on <= ?) AND (ended_on IS NULL OR ended_on > ?)`, *p.MemberID, "%留党察看%", on, on).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				k.add(rule, "“"+name+"”受留党察看处分、尚未恢复党员权利，不能作入党介绍人")
			}
		}
	}
	return nil
}
