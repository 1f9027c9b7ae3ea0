package demo

import (
	"context"
	"fmt"

	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/development"
	"github.com/dangjian/dangjian/internal/mobility"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/transfer"
)

// CaseworkSummary says what Development and Casework recorded.
type CaseworkSummary struct {
	Cases, Probationary, Full          int // 发展党员 cases; of them 预备党员 and 正式党员 (with their member records)
	LettersIn, LettersOut, Returned    int // pending letters into and out of the street, letters returned
	Outings, Returned2, Lost, Searches int // outings (of them returned), lost members, search records
}

func (s CaseworkSummary) String() string {
	return fmt.Sprintf("进行中的工作：发展党员 %d 人（其中预备党员 %d 人、已转正 %d 人）、待接收转入介绍信 %d 份、未办结转出介绍信 %d 份、退回 %d 份、流动党员外出登记 %d 人次（已返回 %d）、失联党员 %d 人（查找记录 %d 条）",
		s.Cases, s.Probationary, s.Full, s.LettersIn, s.LettersOut, s.Returned, s.Outings, s.Returned2, s.Lost, s.Searches)
}

// branchesOf lists the active 支部 inside (or outside) the street with at least min 正式党员,
// in id order.
func branchesOf(ctx context.Context, d *db.DB, street string, inside bool, min int) ([]int64, error) {
	op := "LIKE"
	if !inside {
		op = "NOT LIKE"
	}
	return ids(ctx, d, `SELECT o.id FROM orgs o WHERE o.path `+op+` ? AND o.status = 'active' AND o.type IN (?, ?, ?)
		AND (SELECT COUNT(*) FROM members m WHERE m.org_id = o.id AND m.status = 'normal' AND m.full_on IS NOT NULL) >= ? ORDER BY o.id`,
		street+"%", org.TypeBranch, org.TypeJointBranch, org.TypeTemporaryBranch, min)
}

func streetPath(ctx context.Context, d *db.DB, streetID int64) (string, error) {
	var p string
	err := d.QueryRow(ctx, `SELECT path FROM orgs WHERE id = ?`, streetID).Scan(&p)
	return p, err
}

// devStep is one step of the demo's script: days after the application.
type devStep struct {
	code string
	day  int
	data func(b *devBranch, on civil.Date) (development.StepData, error)
}

// devBranch is a 支部 where cases are walked: two 正式党员 for 培养联系人 and 入党介绍人.
type devBranch struct {
	id     int64
	people []int64
	roll   func(on civil.Date) (int, error)
}

// Development opens about eight 发展党员 cases in the street's 支部 (a demo's first street),
// each walked through the development store's rules to a different phase, dated relative to
// today: two 入党申请人 (one whose 谈话 is due within days), two 积极分子 (one whose next
// half-yearly 考察 is due within a fortnight), a 发展对象 waiting for the 党委's 预审, a 预备党员 approved this year, one
// whose 预备期 ends within a month and one 转正 and archived. The 审批 creates their member
// records (with their develop ledger rows), so Development must run before the year is frozen.
// ctx must be the system principal; dev.Today must return today.
func Development(ctx context.Context, d *db.DB, dev *development.Store, streetID int64, today civil.Date) (CaseworkSummary, error) {
	var sum CaseworkSummary
	street, err := streetPath(ctx, d, streetID)
	if err != nil {
		return sum, err
	}
	in, err := branchesOf(ctx, d, street, true, 8)
	if err != nil {
		return sum, err
	}
	// Not the first three nor the last 支部: Lifecycle draws its moves from those.
	if len(in) < 6 {
		return sum, nil
	}
	in = in[3 : len(in)-1]
	branch := func(i int) (*devBranch, error) {
		id := in[i%len(in)]
		// Two 正式党员 of long standing, not under 留党察看 (the 介绍人 rule).
		people, err := ids(ctx, d, `SELECT m.id FROM members m WHERE m.org_id = ? AND m.status = 'normal' AND m.full_on IS NOT NULL
			AND m.full_on < ? AND m.lost_contact = ? AND NOT EXISTS (SELECT 1 FROM member_history h WHERE h.member_id = m.id AND h.kind = 'punishment')
			ORDER BY m.id LIMIT 2`, id, today.AddDate(-4, 0, 0), false)
		if err != nil {
			return nil, err
		}
		if len(people) < 2 {
			return nil, fmt.Errorf("演示发展党员：支部 %d 没有两名可作介绍人的正式党员", id)
		}
		return &devBranch{id: id, people: people, roll: func(on civil.Date) (int, error) {
			var n int
			err := d.QueryRow(ctx, `SELECT COUNT(*) FROM members WHERE org_id = ? AND status = 'normal' AND full_on IS NOT NULL AND full_on <= ?`, id, on).Scan(&n)
			return n, err
		}}, nil
	}
	people := func(role string) func(b *devBranch, on civil.Date) (development.StepData, error) {
		return func(b *devBranch, on civil.Date) (development.StepData, error) {
			return development.StepData{People: []development.Person{{Role: role, MemberID: &b.people[0]}, {Role: role, MemberID: &b.people[1]}}}, nil
		}
	}
	vote := func(b *devBranch, on civil.Date) (*development.Vote, error) {
		n, err := b.roll(on)
		if err != nil {
			return nil, err
		}
		present := n - n/8 // a few on leave
		return &development.Vote{Entitled: n, PresentEntitled: present, Yes: present}, nil
	}
	apply := 0
	script := []devStep{
		{development.StepTalk, 14, func(b *devBranch, on civil.Date) (development.StepData, error) {
			return development.StepData{People: []development.Person{{Role: "talker", MemberID: &b.people[0]}}}, nil
		}},
		{development.StepActivist, 60, nil},
		{development.StepActivistFiling, 67, nil},
		{development.StepContacts, 67, people("contact")},
		{development.StepReview, 240, nil},
		{development.StepReview, 420, nil},
		{development.StepCandidate, 430, nil},
		{development.StepCandidateFile, 450, func(b *devBranch, on civil.Date) (development.StepData, error) {
			base := on.AddDate(0, 0, -450)
			return development.StepData{PublicityFrom: base.AddDate(0, 0, 432), PublicityTo: base.AddDate(0, 0, 446)}, nil
		}},
		{development.StepIntroducers, 453, people("introducer")},
		{development.StepPolitical, 470, nil},
		{development.StepTraining, 480, func(*devBranch, civil.Date) (development.StepData, error) {
			return development.StepData{TrainingDays: 3, TrainingHours: 24}, nil
		}},
		{development.StepCommitteeCheck, 495, nil},
		{development.StepPreReview, 500, nil},
		{development.StepForm, 505, nil},
		{development.StepCongress, 515, func(b *devBranch, on civil.Date) (development.StepData, error) {
			v, err := vote(b, on)
			return development.StepData{Vote: v}, err
		}},
		{development.StepUpperTalk, 522, nil},
		{development.StepApproval, 535, nil},
		{development.StepUpperFiling, 540, nil},
		{development.StepAssign, 542, nil},
		{development.StepOath, 550, nil},
		{development.StepProbationEdu, 665, nil},
		{development.StepFullApply, 860, nil},
		{development.StepFullCongress, 885, func(b *devBranch, on civil.Date) (development.StepData, error) {
			v, err := vote(b, on)
			base := on.AddDate(0, 0, -885)
			return development.StepData{Outcome: development.OutcomeFull, Vote: v,
				PublicityFrom: base.AddDate(0, 0, 862), PublicityTo: base.AddDate(0, 0, 876)}, err
		}},
		{development.StepFullApproval, 900, nil},
		{development.StepArchive, 905, nil},
	}
	// Approved this year: about three months ago, or on 1 January early in the year.
	sinceJan1 := max(civil.New(today.Year(), 1, 1).DaysUntil(today), 0)
	cases := []struct {
		name, birth string
		seq         int
		ago         int    // days since the application
		stop        string // the first step not recorded ("" all)
	}{
		{"陈思雨", "2000-02-29", 102, 22, development.StepTalk},
		{"刘浩然", "1996-02-29", 111, 45, development.StepActivist},
		{"王梓涵", "1992-02-29", 122, 408, ""}, // one 考察 done, the next due within a fortnight
		{"李俊杰", "2004-02-29", 131, 100, development.StepReview},
		{"张雅婷", "1988-02-29", 142, 507, development.StepPreReview},
		{"杨明轩", "2000-02-29", 151, 535 + min(90, sinceJan1), development.StepProbationEdu},
		{"赵欣怡", "1996-02-29", 162, 860, development.StepFullCongress},
		{"黄子豪", "1992-02-29", 171, 915, ""},
	}
	for i, c := range cases {
		b, err := branch(i)
		if err != nil {
			return sum, err
		}
		birth, err := civil.Parse(c.birth)
		if err != nil {
			return sum, err
		}
		applied := today.AddDate(0, 0, -c.ago)
		apply++
		a, err := dev.Create(ctx, development.CaseInput{OrgID: b.id, Name: c.name,
			IDNumber:  IDNumber("430702", birth, c.seq), // 2月29日：演示名册的号码不含闰日，不会重复
			AppliedOn: applied, Documents: []string{fmt.Sprintf("入党申请书（档号 %d-%03d）", applied.Year(), apply)},
			ProfileFields: development.ProfileFields{Ethnicity: "01", Education: "21", NativePlace: "湖南常德",
				Phone: fmt.Sprintf("1387362%04d", 1000+i), Address: "湖南省常德市武陵区启明街道人民路" + fmt.Sprint(10+i) + "号"}})
		if err != nil {
			return sum, fmt.Errorf("演示发展党员 %s：%w", c.name, err)
		}
		cs := a.Case
		for _, st := range script {
			if st.code == c.stop {
				break
			}
			on := applied.AddDate(0, 0, st.day)
			if on.After(today) {
				break
			}
			in := development.StepInput{Step: st.code, On: on, Version: cs.Version}
			if st.data != nil {
				if in.StepData, err = st.data(b, on); err != nil {
					return sum, err
				}
			}
			a, err := dev.RecordStep(ctx, cs.ID, in)
			if err != nil {
				return sum, fmt.Errorf("演示发展党员 %s 的步骤 %s（%s）：%w", c.name, st.code, on, err)
			}
			cs = a.Case
		}
		sum.Cases++
		switch cs.Phase {
		case development.PhaseProbationary:
			sum.Probationary++
		case development.PhaseFull:
			sum.Full++
		}
	}
	return sum, nil
}

// Casework adds the street's work in progress after its year of changes (Lifecycle): letters
// of 组织关系转接 through the transfer store — two from another street waiting to be accepted,
// one sent out and past its validity, one to an organisation outside the system waiting for its
// 回执, one returned with its reason — and through the mobility store four outings (one
// 跨省 at a fixed place for more than six months, one hosted by an organisation of another
// street, one with a 《流动党员活动证》, one returned) and two lost members (one eight months
// ago and searched for, one two months ago). ctx must be the system principal; the stores'
// Today must return today.
func Casework(ctx context.Context, d *db.DB, ts *transfer.Store, mob *mobility.Store, streetID int64, today civil.Date, sum *CaseworkSummary) error {
	street, err := streetPath(ctx, d, streetID)
	if err != nil {
		return err
	}
	in, err := branchesOf(ctx, d, street, true, 8)
	if err != nil {
		return err
	}
	out, err := branchesOf(ctx, d, street, false, 8)
	if err != nil {
		return err
	}
	if len(in) < 8 || len(out) < 4 {
		return nil // too small a tree for the story
	}
	used := map[int64]bool{}
	// A 正式党员 of the 支部 in contact, at home, with no open letter, not drawn yet, who
	// joined before since (so that every date is after joining).
	pick := func(branch int64, since civil.Date) (int64, error) {
		got, err := ids(ctx, d, `SELECT m.id FROM members m WHERE m.org_id = ? AND m.status = 'normal' AND m.full_on IS NOT NULL
			AND m.joined_on < ? AND m.lost_contact = ? AND m.mobile = ?
			AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.member_id = m.id AND t.status = 'pending')
			ORDER BY m.id DESC LIMIT 20`, branch, since, false, false)
		if err != nil {
			return 0, err
		}
		for _, id := range got {
			if !used[id] {
				used[id] = true
				return id, nil
			}
		}
		return 0, fmt.Errorf("演示数据：支部 %d 没有可用的党员", branch)
	}
	days := func(n int) civil.Date { return today.AddDate(0, 0, -n) }

	// 组织关系转接.
	letter := func(from, to int64, ago int, reason string) (*transfer.Transfer, error) {
		m, err := pick(from, days(ago))
		if err != nil {
			return nil, err
		}
		t, err := ts.Create(ctx, transfer.CreateInput{MemberID: m, ToOrgID: to, Reason: reason, IssuedOn: days(ago)})
		if err != nil {
			return nil, fmt.Errorf("演示组织关系介绍信：%w", err)
		}
		return t, nil
	}
	if _, err := letter(out[1], in[4], 6, "经常居住地变动，转入居住地社区党组织"); err != nil {
		return err
	}
	if _, err := letter(out[2], in[6], 12, "工作调动，转入新工作单位所在地党组织"); err != nil {
		return err
	}
	sum.LettersIn += 2
	if _, err := letter(in[5], out[3], 130, "工作调动，转往新工作单位党组织"); err != nil { // 有效期三个月，已逾期
		return err
	}
	m, err := pick(in[7], days(20))
	if err != nil {
		return err
	}
	if _, err := ts.Create(ctx, transfer.CreateInput{Kind: transfer.KindOut, MemberID: m, ToName: "中共长沙市岳麓区岳麓街道桃花岭社区委员会",
		CrossProvince: false, Reason: "随子女迁居长沙，转往经常居住地社区党组织", IssuedOn: days(20)}); err != nil {
		return fmt.Errorf("演示转出系统外介绍信：%w", err)
	}
	sum.LettersOut += 2
	t, err := letter(out[0], in[3], 40, "居住地变动")
	if err != nil {
		return err
	}
	if _, err := ts.Return(ctx, t.ID, transfer.Decision{Version: t.Version, On: days(35),
		Note: "经核实，该党员经常居住地在丹阳街道，不在本社区：请转往其居住地社区党组织"}); err != nil {
		return fmt.Errorf("演示退回介绍信：%w", err)
	}
	sum.Returned++

	// 流动党员.
	goOut := func(branch int64, ago int, in mobility.OutingInput) (int64, error) {
		m, err := pick(branch, days(ago))
		if err != nil {
			return 0, err
		}
		in.LeftOn = days(ago)
		if _, err := mob.Go(ctx, m, in); err != nil {
			return 0, fmt.Errorf("演示外出登记：%w", err)
		}
		sum.Outings++
		return m, nil
	}
	if _, err := goOut(in[1], 240, mobility.OutingInput{Scope: "cross_province", Place: "广东省深圳市南山区科技园（深圳某电子科技有限公司）",
		Reason: "1", FixedPlace: true, HostName: "中共深圳市南山区粤海街道科技园社区委员会", HostContact: "周志华", HostPhone: "0755-26881234",
		ExpectedBack: today.AddDate(1, 0, 0), Note: "在深圳长期务工，每月通过电话向支部汇报"}); err != nil {
		return err
	}
	if _, err := goOut(in[2], 90, mobility.OutingInput{Scope: "in_county", Place: "武陵区（外街道工地项目部）", Reason: "1",
		HostOrgID: &out[1], HostContact: "李建军", HostPhone: "13907360123", ExpectedBack: today.AddDate(0, 6, 0)}); err != nil {
		return err
	}
	if _, err := goOut(in[3], 120, mobility.OutingInput{Scope: "cross_city", Place: "湖南省长沙市岳麓区（湖南某大学）", Reason: "2",
		HostName: "中共湖南某大学研究生工作部委员会", HasCard: true, CardNo: fmt.Sprintf("湘流证字〔%d〕第0%03d号", days(120).Year(), 27),
		ExpectedBack: today.AddDate(1, 6, 0), Note: "在职攻读硕士学位，持《流动党员活动证》参加流入地组织生活"}); err != nil {
		return err
	}
	back, err := goOut(in[4], 150, mobility.OutingInput{Scope: "cross_county", Place: "常德市鼎城区（灌溪镇工业园）", Reason: "1",
		ExpectedBack: days(30)})
	if err != nil {
		return err
	}
	if _, err := mob.Return(ctx, back, mobility.ReturnInput{ReturnedOn: days(30), Note: "项目结束返回，已参加本支部组织生活"}); err != nil {
		return fmt.Errorf("演示返回登记：%w", err)
	}
	sum.Returned2++

	// 失联党员.
	lost := func(branch int64, ago int, situation, note string) (int64, error) {
		m, err := pick(branch, days(ago))
		if err != nil {
			return 0, err
		}
		if _, err := mob.MarkLost(ctx, m, mobility.LostInput{LostOn: days(ago), Situation: situation, Note: note}); err != nil {
			return 0, fmt.Errorf("演示标记失联：%w", err)
		}
		sum.Lost++
		return m, nil
	}
	long, err := lost(in[5], 240, "1", "外出务工后更换手机号码，家属也不知其去向")
	if err != nil {
		return err
	}
	for _, s := range []mobility.SearchInput{
		{SearchedOn: days(200), Way: "电话", Result: "原手机号码已停机", ByWhom: "支部组织委员"},
		{SearchedOn: days(120), Way: "走访家属", Result: "家属称已一年多没有联系，不知去向", ByWhom: "支部书记、网格员"},
		{SearchedOn: days(45), Way: "发函原工作单位", Result: "原单位回函称其已离职，无新的联系方式", ByWhom: "支部书记"},
	} {
		if _, err := mob.AddSearch(ctx, long, s); err != nil {
			return fmt.Errorf("演示查找记录：%w", err)
		}
		sum.Searches++
	}
	if _, err := lost(in[6], 60, "6", "搬离原住址后连续两个月未参加组织生活、未交纳党费，电话无人接听"); err != nil {
		return err
	}
	return nil
}
