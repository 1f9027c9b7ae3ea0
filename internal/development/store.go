package development

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/pii"
	"github.com/dangjian/dangjian/internal/rules"
)

// Store keeps the 发展党员 cases. The 公民身份号码 is sealed with the platform's PII key (the
// one the member registry uses, passed in by the server), indexed by its keyed hash so one
// applicant has one open case and an applicant already in the registry is noticed, and shown
// masked only: this package never reveals it.
type Store struct {
	db      *db.DB
	key     *pii.Key
	members *member.Store
	// Today is the current day; tests replace it.
	Today func() civil.Date
}

// NewStore returns a Store on d sealing 公民身份号码 with key.
func NewStore(d *db.DB, key *pii.Key) *Store {
	s := &Store{db: d, key: key, Today: civil.Today}
	s.members = member.NewStore(d, key)
	s.members.Today = func() civil.Date { return s.Today() }
	return s
}

type orgRow struct {
	ID       int64
	Code     string
	Name     string
	Type     org.Type
	UnitType org.UnitType
	Path     string
	Status   org.Status
}

func (o *orgRow) ref() OrgRef {
	return OrgRef{ID: o.ID, Code: o.Code, Name: o.Name, Type: o.Type, TypeName: o.Type.Name()}
}

const orgSelect = `SELECT o.id, o.code, o.name, o.type, o.unit_type, o.path, o.status FROM orgs o`

func scanOrg(row interface{ Scan(...any) error }) (*orgRow, error) {
	var o orgRow
	err := row.Scan(&o.ID, &o.Code, &o.Name, &o.Type, &o.UnitType, &o.Path, &o.Status)
	return &o, err
}

var errOrgNotFound = api.NotFound("组织不存在，或不在您的管理范围内")

// org loads an organisation the caller holds perm on.
func (s *Store) org(ctx context.Context, q db.Querier, id int64, perm access.Perm) (*orgRow, error) {
	where, args := access.Filter(ctx, "o.path", perm)
	o, err := scanOrg(q.QueryRow(ctx, orgSelect+` WHERE o.id = ? AND `+where, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errOrgNotFound
	}
	return o, err
}

// orgAny loads an organisation regardless of scope: only for ancestors of a case's branch
// (the approving 党委), which the caller may not read but must be able to name.
func orgAny(ctx context.Context, q db.Querier, id int64) (*orgRow, error) {
	o, err := scanOrg(q.QueryRow(ctx, orgSelect+` WHERE o.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return o, err
}

type caseRow struct {
	Case
	branch *orgRow
	idHash string
	st     state // derived state (query only)
}

const caseSelect = `SELECT c.id, c.org_id, o.code, o.name, o.type, o.unit_type, o.path, o.status, c.name, c.gender, c.id_mask, c.id_hash,
	c.birth_date, c.rule_version, c.status, c.phase, c.joined_on, c.full_on, c.member_id, c.created_at, c.updated_at, c.version,
	c.ethnicity, c.education, c.job, c.native_place, c.phone_mask, c.address_mask
	FROM dev_cases c JOIN orgs o ON o.id = c.org_id`

func scanCase(row interface{ Scan(...any) error }) (*caseRow, error) {
	c := &caseRow{branch: &orgRow{}}
	b := c.branch
	err := row.Scan(&c.ID, &b.ID, &b.Code, &b.Name, &b.Type, &b.UnitType, &b.Path, &b.Status, &c.Name, &c.Gender, &c.IDNumber, &c.idHash,
		&c.BirthDate, &c.RuleVersion, &c.Status, &c.Phase, &c.JoinedOn, &c.FullOn, &c.MemberID, &c.CreatedAt, &c.UpdatedAt, &c.Version,
		&c.Profile.Ethnicity, &c.Profile.Education, &c.Profile.Job, &c.Profile.NativePlace, &c.Profile.Phone, &c.Profile.Address)
	if err != nil {
		return nil, err
	}
	c.Profile.EthnicityName = member.DefaultCodes.Name(member.KindEthnicity, c.Profile.Ethnicity)
	c.Profile.EducationName = member.DefaultCodes.Name(member.KindEducation, c.Profile.Education)
	c.Profile.JobName = member.DefaultCodes.Name(member.KindJob, c.Profile.Job)
	c.Profile.Missing = missingProfile(c)
	c.Org = b.ref()
	c.PhaseName = c.Phase.Name()
	c.GenderName = map[string]string{"1": "男", "2": "女"}[c.Gender]
	return c, nil
}

var errCaseNotFound = api.NotFound("发展党员案例不存在，或不在您的管理范围内")

// findCase loads a case whose 党支部 the caller holds perm on.
func (s *Store) findCase(ctx context.Context, q db.Querier, id int64, perm access.Perm) (*caseRow, error) {
	where, args := access.Filter(ctx, "o.path", perm)
	c, err := scanCase(q.QueryRow(ctx, caseSelect+` WHERE c.id = ? AND `+where, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errCaseNotFound
	}
	if err != nil {
		return nil, err
	}
	if c.Steps, err = loadSteps(ctx, q, []int64{c.ID}, ruleSets[c.RuleVersion]); err != nil {
		return nil, err
	}
	return c, nil
}

func loadSteps(ctx context.Context, q db.Querier, ids []int64, rs *RuleSet) ([]StepRecord, error) {
	out := []StepRecord{}
	if len(ids) == 0 {
		return out, nil
	}
	strs := make([]string, len(ids))
	for i, id := range ids {
		strs[i] = strconv.FormatInt(id, 10) // integers from the database
	}
	rows, err := q.Query(ctx, `SELECT id, case_id, seq, step, done_on, data, warnings, note, created_by, created_at FROM dev_steps
		WHERE case_id IN (`+strings.Join(strs, ",")+`) ORDER BY case_id, seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r StepRecord
		var caseID int64
		var data, warnings string
		if err := rows.Scan(&r.ID, &caseID, &r.Seq, &r.Step, &r.On, &data, &warnings, &r.Note, &r.CreatedBy, &r.CreatedAt); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(data), &r.StepData); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(warnings), &r.Warnings); err != nil {
			return nil, err
		}
		if r.Warnings == nil {
			r.Warnings = []Finding{}
		}
		if rs != nil {
			if st, ok := rs.step(r.Step); ok {
				r.Name = st.Name
			}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// loadStepsByCase returns the steps of several cases, by case id.
func loadStepsByCase(ctx context.Context, q db.Querier, ids []int64) (map[int64][]StepRecord, error) {
	out := map[int64][]StepRecord{}
	if len(ids) == 0 {
		return out, nil
	}
	strs := make([]string, len(ids))
	for i, id := range ids {
		strs[i] = strconv.FormatInt(id, 10)
	}
	rows, err := q.Query(ctx, `SELECT case_id, seq, step, done_on, data FROM dev_steps WHERE case_id IN (`+strings.Join(strs, ",")+`) ORDER BY case_id, seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r StepRecord
		var caseID int64
		var data string
		if err := rows.Scan(&caseID, &r.Seq, &r.Step, &r.On, &data); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(data), &r.StepData); err != nil {
			return nil, err
		}
		out[caseID] = append(out[caseID], r)
	}
	return out, rows.Err()
}

// state is what the recorded steps amount to.
type state struct {
	done          map[string]StepRecord // latest record of each step in force (a 延长 clears s22–s24)
	all           []StepRecord
	phase         Phase
	status        string
	appliedOn     civil.Date
	joinedOn      civil.Date
	probationEnds civil.Date
	fullOn        civil.Date
	extended      bool
	extendedOn    civil.Date
}

func derive(steps []StepRecord) state {
	st := state{done: map[string]StepRecord{}, all: steps, phase: PhaseApplicant, status: "open"}
	for _, r := range steps {
		st.done[r.Step] = r
		switch r.Step {
		case StepApply:
			st.appliedOn = r.On
		case StepActivist:
			st.phase = PhaseActivist
		case StepCandidate:
			st.phase = PhaseCandidate
		case StepApproval:
			st.phase = PhaseProbationary
			st.joinedOn = st.done[StepCongress].On
			st.probationEnds = st.joinedOn.AddDate(rules.Get("dev.probation").Value, 0, 0)
		case StepFullApproval:
			switch r.Outcome {
			case OutcomeFull:
				st.phase, st.fullOn = PhaseFull, st.probationEnds
			case OutcomeExtend:
				st.extended, st.extendedOn = true, r.On
				st.probationEnds = st.probationEnds.AddDate(0, r.ExtendMonths, 0)
				delete(st.done, StepFullApply)
				delete(st.done, StepFullCongress)
				delete(st.done, StepFullApproval)
			case OutcomeCancel:
				st.phase, st.status = PhaseCancelled, "closed"
			}
		case StepArchive:
			if st.phase == PhaseFull {
				st.status = "closed"
			}
		}
	}
	return st
}

func addMonths(d civil.Date, n int) civil.Date { return d.AddDate(0, n, 0) }

// next works out what is due next on a case in state st.
func next(rs *RuleSet, eff Effective, st state, today civil.Date) *Next {
	if st.status != "open" {
		return nil
	}
	var step Step
	found := false
	for _, s := range rs.Steps {
		if _, ok := st.done[s.Code]; !ok {
			step, found = s, true
			break
		}
	}
	if !found {
		return nil
	}
	// Between 积极分子 and 发展对象 the branch examines every half year: when the next 考察 falls
	// before the year is up, that is what is due.
	if step.Code == StepCandidate {
		last := st.done[StepActivist].On
		for _, r := range st.all {
			if r.Step == StepReview && r.On.After(last) {
				last = r.On
			}
		}
		if due := addMonths(last, 6); due.Before(st.done[StepActivist].On.AddDate(1, 0, 0)) {
			rv, _ := rs.step(StepReview)
			n := nextOf(rs, rv, "dev.review_half_year")
			n.DueOn = due
			n.Text = "每半年考察一次：下次考察应在 " + due.String() + " 前"
			return finish(n, today)
		}
	}
	n := nextOf(rs, step, "")
	switch step.Code {
	case StepTalk:
		n.Rule, n.DueOn = "dev.talk", addMonths(st.appliedOn, 1)
		n.Text = "收到入党申请书后一个月内派人谈话"
	case StepActivist:
		if eff.ActivistMinMonths > 0 {
			n.Rule, n.NotBefore = "dev.activist_wait", addMonths(st.appliedOn, eff.ActivistMinMonths)
			n.Text = fmt.Sprintf("本地要求：递交申请书满 %d 个月后才能确定为积极分子", eff.ActivistMinMonths)
		}
	case StepCandidate:
		n.Rule, n.NotBefore = "dev.candidate_one_year", st.done[StepActivist].On.AddDate(1, 0, 0)
		n.Text = "经过一年以上培养教育和考察才能确定为发展对象"
	case StepCongress:
		if eff.PreReviewDays > 0 {
			n.Rule, n.DueOn = "dev.pre_review_to_congress", st.done[StepPreReview].On.AddDate(0, 0, eff.PreReviewDays)
			n.Text = fmt.Sprintf("本地要求：预审合格后 %d 天内召开支部大会", eff.PreReviewDays)
		}
	case StepApproval, StepFullApproval:
		base := st.done[StepCongress].On
		if step.Code == StepFullApproval {
			base = st.done[StepFullCongress].On
		}
		n.Rule, n.DueOn, n.Limit = "dev.approval.time", addMonths(base, 3), addMonths(base, 6)
		n.Text = "支部大会通过后三个月内审批；特殊情况可延长，但不超过六个月"
	case StepFullApply:
		n.Rule, n.DueOn = "dev.probation", st.probationEnds
		n.Text = "预备期满时提出书面转正申请（预备期从支部大会通过之日算起）"
	case StepFullCongress:
		n.Rule, n.NotBefore, n.DueOn = "dev.probation", st.probationEnds, st.probationEnds
		n.Text = "预备期满，党支部应当及时讨论其能否转为正式党员"
	}
	return finish(n, today)
}

func nextOf(rs *RuleSet, s Step, rule string) *Next {
	stage := ""
	for _, g := range rs.Stages {
		if g.Code == s.Stage {
			stage = g.Name
		}
	}
	return &Next{Step: s.Code, Name: s.Name, Stage: stage, Actor: s.Actor, ActorLevel: s.ActorLevel, Rule: rule}
}

func finish(n *Next, today civil.Date) *Next {
	if n.Rule != "" {
		n.Article = articles2014[n.Rule]
	}
	n.Overdue = !n.DueOn.IsZero() && n.DueOn.Before(today)
	return n
}

func (s *Store) fill(c *caseRow, st state, eff Effective) {
	rs := ruleSets[c.RuleVersion]
	c.AppliedOn, c.ProbationEnds, c.Extended = st.appliedOn, st.probationEnds, st.extended
	c.Next = next(rs, eff, st, s.Today())
	c.Letters = []LetterRef{}
	for _, k := range LetterKinds {
		if _, ok := st.done[k.After]; ok {
			c.Letters = append(c.Letters, LetterRef{Kind: k.Code, Name: k.Name})
		}
	}
}

// Get returns one case with its steps.
func (s *Store) Get(ctx context.Context, id int64) (*Case, error) {
	c, err := s.findCase(ctx, s.db, id, access.OrgRead)
	if err != nil {
		return nil, err
	}
	eff, err := s.effective(ctx, s.db, c.branch)
	if err != nil {
		return nil, err
	}
	st := derive(c.Steps)
	s.fill(c, st, eff)
	if c.Next != nil && approvalSteps[c.Next.Step] {
		o, err := s.approverOf(ctx, s.db, c.branch, st, c.Next.Step, map[int64]*orgRow{})
		if err != nil {
			return nil, err
		}
		if o != nil {
			c.Next.Approver = o.Name
		}
	}
	return &c.Case, nil
}

// ListFilter narrows the cases.
type ListFilter struct {
	Under  int64 // subtree root; 0: the caller's whole scope
	Phase  Phase
	Q      string
	Status string // open (default), closed, all
}

// List returns a page of cases.
func (s *Store) List(ctx context.Context, f ListFilter, page api.Paging) (api.List[Case], error) {
	out := api.List[Case]{Items: []Case{}, Page: page.Page, PageSize: page.Size}
	cond, args := access.Filter(ctx, "o.path", access.OrgRead)
	if f.Under != 0 {
		root, err := s.org(ctx, s.db, f.Under, access.OrgRead)
		if err != nil {
			return out, err
		}
		cond += " AND o.path LIKE ?"
		args = append(args, root.Path+"%")
	}
	if f.Phase != "" {
		if !f.Phase.Valid() {
			return out, api.FieldInvalid("phase", "阶段应为 applicant、activist、candidate、probationary、full 或 cancelled")
		}
		cond += " AND c.phase = ?"
		args = append(args, f.Phase)
	}
	switch f.Status {
	case "", "open":
		cond += " AND c.status = 'open'"
	case "closed":
		cond += " AND c.status = 'closed'"
	case "all":
	default:
		return out, api.FieldInvalid("status", "应为 open（进行中）、closed（已结束）或 all")
	}
	if f.Q != "" {
		cond += " AND c.name LIKE ?"
		args = append(args, "%"+f.Q+"%")
	}
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM dev_cases c JOIN orgs o ON o.id = c.org_id WHERE `+cond, args...).Scan(&out.Total); err != nil {
		return out, err
	}
	cases, err := s.query(ctx, cond+` ORDER BY c.id DESC LIMIT ? OFFSET ?`, append(args, page.Size, page.Offset())...)
	if err != nil {
		return out, err
	}
	for _, c := range cases {
		out.Items = append(out.Items, c.Case)
	}
	return out, nil
}

// query loads cases matching cond with their derived state (steps not included).
func (s *Store) query(ctx context.Context, cond string, args ...any) ([]*caseRow, error) {
	rows, err := s.db.Query(ctx, caseSelect+` WHERE `+cond, args...)
	if err != nil {
		return nil, err
	}
	var cases []*caseRow
	var ids []int64
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		cases = append(cases, c)
		ids = append(ids, c.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	steps, err := loadStepsByCase(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	effs := map[int64]Effective{}
	for _, c := range cases {
		eff, ok := effs[c.branch.ID]
		if !ok {
			if eff, err = s.effective(ctx, s.db, c.branch); err != nil {
				return nil, err
			}
			effs[c.branch.ID] = eff
		}
		c.st = derive(steps[c.ID])
		s.fill(c, c.st, eff)
	}
	return cases, nil
}

// Todo lists what is due on the open cases in the caller's scope (or under one organisation),
// soonest first; actor narrows to self, branch or upper (the 党委's 预审 and 审批).
func (s *Store) Todo(ctx context.Context, under int64, actor string) ([]TodoItem, error) {
	cond, args := access.Filter(ctx, "o.path", access.OrgRead)
	if under != 0 {
		root, err := s.org(ctx, s.db, under, access.OrgRead)
		if err != nil {
			return nil, err
		}
		cond += " AND o.path LIKE ?"
		args = append(args, root.Path+"%")
	}
	switch actor {
	case "", ActorSelf, ActorBranch, ActorUpper:
	default:
		return nil, api.FieldInvalid("actor", "应为 self（本人）、branch（党支部）或 upper（上级党委）")
	}
	cases, err := s.query(ctx, cond+` AND c.status = 'open' ORDER BY c.id LIMIT 2000`, args...)
	if err != nil {
		return nil, err
	}
	items := []TodoItem{}
	approvers := map[int64]*orgRow{}
	for _, c := range cases {
		if c.Next == nil || (actor != "" && c.Next.ActorLevel != actor) {
			continue
		}
		if approvalSteps[c.Next.Step] {
			// 预审 and 审批 are the approving 党委's: only its users see them.
			o, err := s.approverOf(ctx, s.db, c.branch, c.st, c.Next.Step, approvers)
			if err != nil {
				return nil, err
			}
			if o == nil || !access.Covers(ctx, access.OrgWrite, o.Path) {
				continue
			}
			c.Next.Approver = o.Name
		}
		items = append(items, TodoItem{CaseID: c.ID, Name: c.Name, StepName: c.Next.Name, Org: c.Org, Phase: c.Phase, PhaseName: c.PhaseName, Next: *c.Next,
			branchPath: c.branch.Path})
	}
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i].DueOn, items[j].DueOn
		if a.IsZero() != b.IsZero() {
			return !a.IsZero()
		}
		return a.Before(b)
	})
	return items, nil
}

// ruleError is the 422 answered when an entry breaks a blocking rule.
func ruleError(blocking, all []Finding) error {
	f := blocking[0]
	e := api.Status(422, "rule_violation", f.Message+"（依据："+f.Source+"）")
	e.Extra = map[string]any{"rule": f.Rule, "article": f.Article, "source": f.Source, "message": f.Message, "violations": all}
	return e
}

type checker struct {
	rs       *RuleSet
	eff      Effective
	findings []Finding
}

func (k *checker) add(id, msg string) {
	c := k.rs.check(id)
	k.findings = append(k.findings, Finding{Rule: id, Title: c.Title, Article: c.Article, Source: c.Source, Message: msg, Level: k.eff.level(id)})
}

// warn adds a finding that never blocks (what the system cannot verify).
func (k *checker) warn(id, msg string) {
	k.add(id, msg)
	k.findings[len(k.findings)-1].Level = rules.Warn
}

func (k *checker) split() (blocking, warnings []Finding) {
	warnings = []Finding{}
	for _, f := range k.findings {
		if f.Level == rules.Block {
			blocking = append(blocking, f)
		} else {
			warnings = append(warnings, f)
		}
	}
	return blocking, warnings
}

// Create opens a case with its application (step s01).
func (s *Store) Create(ctx context.Context, in CaseInput) (*StepAnswer, error) {
	in.Name = strings.TrimSpace(in.Name)
	today := s.Today()
	var f api.Fields
	if n := utf8.RuneCountInString(in.Name); n == 0 || n > 50 {
		f.Add("name", "请填写申请人姓名（最长50字）")
	}
	var idNumber string
	if strings.TrimSpace(in.IDNumber) != "" {
		info, msg := member.ParseID(in.IDNumber, today)
		if msg != "" {
			f.Add("id_number", msg)
		} else {
			idNumber = info.Number
			if !in.BirthDate.IsZero() && in.BirthDate != info.BirthDate {
				f.Add("birth_date", "出生日期与公民身份号码不一致（号码中为 "+info.BirthDate.String()+"）")
			}
			if in.Gender != "" && in.Gender != info.Gender {
				f.Add("gender", "性别与公民身份号码不一致")
			}
			in.BirthDate, in.Gender = info.BirthDate, info.Gender
		}
	} else {
		if in.BirthDate.IsZero() {
			f.Add("birth_date", "请填写出生日期（或填写公民身份号码）")
		} else if in.BirthDate.After(today) {
			f.Add("birth_date", "出生日期不能晚于今天")
		}
		if in.Gender != "1" && in.Gender != "2" {
			f.Add("gender", "请选择性别：1 男、2 女")
		}
	}
	if in.AppliedOn.IsZero() {
		f.Add("applied_on", "请填写递交入党申请书的日期")
	}
	profile := in.ProfileFields
	more, err := s.checkProfile(ctx, s.db, &in, &profile, "")
	if err != nil {
		return nil, err
	}
	f = append(f, more...)
	if err := f.Err(); err != nil {
		return nil, err
	}
	var id int64
	var warnings []Finding
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		b, err := s.org(ctx, tx, in.OrgID, access.OrgRead)
		if err != nil {
			return api.FieldInvalid("org_id", "党支部不存在，或不在您的管理范围内")
		}
		if !access.Covers(ctx, access.OrgWrite, b.Path) {
			return api.Forbidden("您对“" + b.Name + "”只有查看权限")
		}
		if !b.Type.IsBranchLike() {
			return api.FieldInvalid("org_id", "入党申请由党支部受理：“"+b.Name+"”是"+b.Type.Name())
		}
		if b.Status != org.StatusActive {
			return api.FieldInvalid("org_id", "“"+b.Name+"”已撤销")
		}
		eff, err := s.effective(ctx, tx, b)
		if err != nil {
			return err
		}
		k := &checker{rs: ruleSets[eff.RuleVersion], eff: eff}
		if in.AppliedOn.After(today) {
			k.add("dev.date.future", "递交入党申请书日期 "+in.AppliedOn.String()+" 晚于今天")
		}
		if age := member.Age(in.BirthDate, in.AppliedOn); age < 18 {
			k.add("dev.age", fmt.Sprintf("递交入党申请书时（%s）申请人 %d 周岁，未满18周岁", in.AppliedOn, age))
		}
		blocking, warn := k.split()
		if len(blocking) > 0 {
			return ruleError(blocking, k.findings)
		}
		warnings = warn
		var cipher, hash, mask string
		if idNumber != "" {
			hash = s.key.Hash(idNumber)
			var name string
			err := tx.QueryRow(ctx, `SELECT name FROM members WHERE id_hash = ?`, hash).Scan(&name)
			switch {
			case err == nil:
				return api.Conflict("该公民身份号码已登记在党员名册中（" + name + "），不能再作为入党申请人")
			case !errors.Is(err, sql.ErrNoRows):
				return err
			}
			err = tx.QueryRow(ctx, `SELECT c.name FROM dev_cases c WHERE c.id_hash = ? AND c.status = 'open'`, hash).Scan(&name)
			switch {
			case err == nil:
				return api.Conflict("该申请人（" + name + "）已有进行中的发展党员案例：一人一案")
			case !errors.Is(err, sql.ErrNoRows):
				return err
			}
			if cipher, err = s.key.Seal(idNumber); err != nil {
				return err
			}
			mask = pii.MaskID(idNumber)
		}
		now := time.Now().UTC()
		if err := tx.QueryRow(ctx, `INSERT INTO dev_cases (org_id, name, gender, id_cipher, id_hash, id_mask, birth_date, rule_version, status, phase,
			created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?) RETURNING id`,
			b.ID, in.Name, in.Gender, cipher, hash, mask, in.BirthDate, eff.RuleVersion, PhaseApplicant, username(ctx), now, now).Scan(&id); err != nil {
			if db.IsUniqueViolation(err) {
				return api.Conflict("该申请人已有进行中的发展党员案例：一人一案")
			}
			return err
		}
		if sets, args, err := s.profileColumns(profile); err != nil {
			return err
		} else if sets != "" {
			if _, err := tx.Exec(ctx, `UPDATE dev_cases SET `+sets+` WHERE id = ?`, append(args, id)...); err != nil {
				return err
			}
		}
		data := StepData{Documents: cleanDocs(in.Documents)}
		if err := insertStep(ctx, tx, id, 1, StepApply, in.AppliedOn, data, warnings, in.Note); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "development.create", Entity: "dev_case", EntityID: strconv.FormatInt(id, 10),
			Summary: fmt.Sprintf("%s：登记入党申请人“%s”（%s 递交入党申请书）", b.Name, in.Name, in.AppliedOn),
			After:   map[string]any{"org_id": b.ID, "name": in.Name, "gender": in.Gender, "id_number": mask, "birth_date": in.BirthDate, "applied_on": in.AppliedOn}})
	})
	if err != nil {
		return nil, err
	}
	c, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return &StepAnswer{Case: c, Warnings: warnings}, nil
}

func cleanDocs(docs []string) []string {
	var out []string
	for _, d := range docs {
		if d = strings.TrimSpace(d); d != "" {
			out = append(out, d)
		}
	}
	return out
}

func insertStep(ctx context.Context, tx *db.Tx, caseID int64, seq int, step string, on civil.Date, data StepData, warnings []Finding, note string) error {
	if warnings == nil {
		warnings = []Finding{}
	}
	dj, _ := json.Marshal(data)
	wj, _ := json.Marshal(warnings)
	_, err := tx.Exec(ctx, `INSERT INTO dev_steps (case_id, seq, step, done_on, data, warnings, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		caseID, seq, step, on, string(dj), string(wj), strings.TrimSpace(note), username(ctx), time.Now().UTC())
	return err
}
