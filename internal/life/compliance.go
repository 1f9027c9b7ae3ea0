package life

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/rules"
)

// Status of a requirement in a period.
type Status string

const (
	Held    Status = "held"    // 已召开
	Pending Status = "pending" // 未到期：本期尚未召开，期末之前都不算晚
	Missed  Status = "missed"  // 未召开：期间已过
	NA      Status = "na"      // 不作要求（如组织在期中才成立）
)

var statusNames = map[Status]string{Held: "已召开", Pending: "未到期", Missed: "未召开", NA: "不作要求"}

// PeriodCheck is one requirement in one of its periods.
type PeriodCheck struct {
	Period PeriodJSON   `json:"period"`
	Status Status       `json:"status"`
	Dates  []civil.Date `json:"dates" doc:"本期召开的日期"`
	Text   string       `json:"text"`
}

// Requirement is one required meeting type of an organisation in the asked period.
type Requirement struct {
	Type          string        `json:"type"`
	TypeName      string        `json:"type_name"`
	Frequency     Frequency     `json:"frequency"`
	FrequencyName string        `json:"frequency_name"`
	RuleID        string        `json:"rule_id"`
	RuleText      string        `json:"rule_text"`
	Source        string        `json:"source"`
	FrequencyFrom string        `json:"frequency_from" doc:"频次来源：系统默认或调整它的组织"`
	Status        Status        `json:"status"`
	StatusName    string        `json:"status_name"`
	Text          string        `json:"text"`
	Periods       []PeriodCheck `json:"periods"`
}

// Finding is an organisation-level observation with its rule.
type Finding struct {
	RuleID  string      `json:"rule_id"`
	Level   rules.Level `json:"level"`
	Message string      `json:"message"`
	Source  string      `json:"source"`
}

// Lapse is a member with no 组织生活 (present or 补课) for the last 6 months while the branch
// held meetings: a signal for the branch to look into, not a verdict.
type Lapse struct {
	MemberID     int64      `json:"member_id"`
	Name         string     `json:"name"`
	OrgID        int64      `json:"org_id"`
	LastAttended civil.Date `json:"last_attended" doc:"最近一次出席或补课的会议日期；从未有记录时为 null"`
	Leaves       int        `json:"leaves" doc:"这6个月内请假次数"`
	Mobile       bool       `json:"mobile"`
	Text         string     `json:"text"`
	Source       string     `json:"source"`
}

// Tally counts requirements by status.
type Tally struct {
	Held    int `json:"held"`
	Pending int `json:"pending"`
	Missed  int `json:"missed"`
	NA      int `json:"na"`
}

func (t *Tally) add(s Status) {
	switch s {
	case Held:
		t.Held++
	case Pending:
		t.Pending++
	case Missed:
		t.Missed++
	case NA:
		t.NA++
	}
}

// UnitCompliance is one organisation's requirements in the period.
type UnitCompliance struct {
	Org          Ref           `json:"org"`
	ParentName   string        `json:"parent_name"`
	Requirements []Requirement `json:"requirements"`
	Findings     []Finding     `json:"findings"`
	Lapses       []Lapse       `json:"lapses"`
	Tally        Tally         `json:"tally"`
}

// ChildSummary counts one direct child's subtree (or the root itself) for upper levels.
type ChildSummary struct {
	Org          Ref   `json:"org"`
	Self         bool  `json:"self" doc:"为本级组织自身"`
	Units        int   `json:"units" doc:"有组织生活要求的组织数"`
	Tally        Tally `json:"tally"`
	UnitsMissing int   `json:"units_missing" doc:"有未召开事项的组织数"`
	Silent       int   `json:"silent" doc:"近6个月未开展组织生活的党支部数"`
	Lapsed       int   `json:"lapsed" doc:"连续6个月未参加组织生活的党员数（待核实）"`
}

// Compliance is the 组织生活 check of a subtree for a period.
type Compliance struct {
	Org       Ref              `json:"org"`
	Period    PeriodJSON       `json:"period"`
	Closed    bool             `json:"closed" doc:"期间是否已结束"`
	Today     civil.Date       `json:"today"`
	LapseFrom civil.Date       `json:"lapse_from" doc:"连续6个月判断的起点（不含）"`
	LapseTo   civil.Date       `json:"lapse_to"`
	Items     []UnitCompliance `json:"items"`
	Total     int              `json:"total"`
	Page      int              `json:"page"`
	PageSize  int              `json:"page_size"`
	Summary   []ChildSummary   `json:"summary"`
	Totals    ChildSummary     `json:"totals"`
	Elections org.ElectionSum  `json:"elections" doc:"换届情况（来自组织管理的换届提醒）"`
	Notes     []string         `json:"notes"`
}

// held is one meeting as compliance sees it.
type held struct {
	orgID int64
	path  string
	types []string // its type, the also_types and what its type also counts as
	on    civil.Date
}

func (h held) counts(code string) bool { return slices.Contains(h.types, code) }

func (h held) life() bool {
	for _, c := range h.types {
		if t, ok := typeByCode(c); ok && t.Life {
			return true
		}
	}
	return false
}

// subtreeUnits lists the active organisations at or under root the caller may read, with the
// number of serving members of their current 班子.
func (s *Store) subtreeUnits(ctx context.Context, q db.Querier, root *unit) ([]*unit, map[int64]int, map[int64]string, error) {
	where, args := access.Filter(ctx, "o.path", access.OrgRead)
	rows, err := q.Query(ctx, unitSelect+` WHERE o.path LIKE ? AND o.status = 'active' AND `+where+` ORDER BY o.path`,
		append([]any{root.Path + "%"}, args...)...)
	if err != nil {
		return nil, nil, nil, err
	}
	var units []*unit
	names := map[int64]string{}
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			rows.Close()
			return nil, nil, nil, err
		}
		units = append(units, u)
		names[u.ID] = u.Name
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, nil, err
	}
	// The serving members of each current 班子, as org's walkSubtree counts them.
	crow, err := q.Query(ctx, `SELECT t.org_id, (SELECT COUNT(*) FROM org_leaders l WHERE l.term_id = t.id AND l.ended_on IS NULL)
		FROM org_terms t JOIN orgs o ON o.id = t.org_id WHERE t.closed_on IS NULL AND o.path LIKE ?`, root.Path+"%")
	if err != nil {
		return nil, nil, nil, err
	}
	defer crow.Close()
	sizes := map[int64]int{}
	for crow.Next() {
		var id int64
		var n int
		if err := crow.Scan(&id, &n); err != nil {
			return nil, nil, nil, err
		}
		sizes[id] = n
	}
	return units, sizes, names, crow.Err()
}

// requiredTypes lists the meeting types u must hold, with their effective frequency.
func requiredTypes(u *unit, committeeSize int, e Effective) []*MeetingType {
	var out []*MeetingType
	for i := range meetingTypes {
		t := &meetingTypes[i]
		if !t.heldBy(u.Type) || e.Frequencies[t.Code] == Never || e.Frequencies[t.Code] == "" {
			continue
		}
		if t.Condition == HasCommittee && committeeSize < minCommittee {
			continue
		}
		out = append(out, t)
	}
	return out
}

// meetingsIn loads the meetings of the subtree held in [from, to].
func (s *Store) meetingsIn(ctx context.Context, q db.Querier, root *unit, from, to civil.Date) ([]held, error) {
	where, args := access.Filter(ctx, "o.path", access.OrgRead)
	rows, err := q.Query(ctx, `SELECT mt.org_id, o.path, mt.type, mt.also_types, mt.held_on FROM meetings mt JOIN orgs o ON o.id = mt.org_id
		WHERE o.path LIKE ? AND mt.held_on >= ? AND mt.held_on <= ? AND `+where, append([]any{root.Path + "%", from, to}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []held
	for rows.Next() {
		var h held
		var typ, also string
		if err := rows.Scan(&h.orgID, &h.path, &typ, &also, &h.on); err != nil {
			return nil, err
		}
		h.types = []string{typ}
		if also != "" {
			h.types = append(h.types, strings.Split(also, ",")...)
		}
		if t, ok := typeByCode(typ); ok {
			h.types = append(h.types, t.Counts...)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// evaluate is the pure core: requirement t of u over period p, given u's meetings.
func evaluate(t *MeetingType, freq Frequency, u *unit, p Period, meetings []held, today civil.Date) Requirement {
	req := Requirement{Type: t.Code, TypeName: t.Name, Frequency: freq, FrequencyName: freq.Name(), RuleID: t.RuleID,
		RuleText: rules.Get(t.RuleID).Text, Source: t.Source, Periods: []PeriodCheck{}}
	var tally Tally
	for _, sub := range p.Split(freq) {
		pc := PeriodCheck{Period: sub.JSON(), Dates: []civil.Date{}}
		for _, m := range meetings {
			if m.orgID == u.ID && m.counts(t.Code) && sub.Contains(m.on) {
				pc.Dates = append(pc.Dates, m.on)
			}
		}
		slices.SortFunc(pc.Dates, func(a, b civil.Date) int { return strings.Compare(a.String(), b.String()) })
		switch {
		case len(pc.Dates) > 0:
			pc.Status = Held
			pc.Text = "已召开（" + joinDates(pc.Dates) + "）"
		case !u.EstablishedOn.IsZero() && u.EstablishedOn.After(sub.From()):
			pc.Status = NA
			pc.Text = fmt.Sprintf("%s 成立，%s不作要求", u.EstablishedOn, sub.Label())
		case !today.After(sub.To()):
			pc.Status = Pending
			pc.Text = "本期尚未召开，截止 " + sub.To().String()
		default:
			pc.Status = Missed
			pc.Text = sub.Label() + "未召开"
		}
		tally.add(pc.Status)
		req.Periods = append(req.Periods, pc)
	}
	switch {
	case tally.Missed > 0:
		req.Status = Missed
	case tally.Pending > 0:
		req.Status = Pending
	case tally.Held > 0:
		req.Status = Held
	default:
		req.Status = NA
	}
	req.StatusName = statusNames[req.Status]
	req.Text = requirementText(req)
	return req
}

func joinDates(ds []civil.Date) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = d.String()
	}
	return strings.Join(s, "、")
}

// requirementText is the line the branch reads, e.g. "本期尚未召开，截止 2026-09-30".
func requirementText(r Requirement) string {
	if len(r.Periods) == 1 {
		return r.Periods[0].Text
	}
	var missed, pending []string
	held := 0
	due := ""
	for _, pc := range r.Periods {
		switch pc.Status {
		case Held:
			held++
		case Missed:
			missed = append(missed, pc.Period.Label)
		case Pending:
			pending = append(pending, pc.Period.Label)
			if due == "" {
				due = pc.Period.To.String()
			}
		}
	}
	var parts []string
	if held > 0 {
		parts = append(parts, fmt.Sprintf("已召开 %d 期", held))
	}
	if len(missed) > 0 {
		parts = append(parts, strings.Join(missed, "、")+"未召开")
	}
	if len(pending) > 0 {
		parts = append(parts, fmt.Sprintf("%s尚未召开，截止 %s", pending[0], due))
		if len(pending) > 1 {
			parts = append(parts, fmt.Sprintf("其后 %d 期未到期", len(pending)-1))
		}
	}
	if len(parts) == 0 {
		return "本期不作要求"
	}
	return strings.Join(parts, "；")
}

// ComplianceFilter selects what the compliance answer lists.
type ComplianceFilter struct {
	Org    int64
	Period Period
	Status Status // only units with a requirement in this status ("" for all)
}

// Compliance checks the 组织生活 of every organisation in a subtree for a period.
func (s *Store) Compliance(ctx context.Context, f ComplianceFilter, page api.Paging) (*Compliance, error) {
	root, err := s.unitRequired(ctx, f.Org)
	if err != nil {
		return nil, err
	}
	today := s.Today()
	p := f.Period
	out := &Compliance{Org: root.ref(), Period: p.JSON(), Closed: today.After(p.To()), Today: today, Items: []UnitCompliance{},
		Page: page.Page, PageSize: page.Size, Summary: []ChildSummary{}, Notes: []string{}}
	units, sizes, names, err := s.subtreeUnits(ctx, s.db, root)
	if err != nil {
		return nil, err
	}
	tree, err := settingsTable.Tree(ctx, s.db, root.Path)
	if err != nil {
		return nil, err
	}
	yearFrom := civil.New(p.From().Year(), 1, 1)
	yearTo := civil.New(p.To().Year(), 12, 31)
	meetings, err := s.meetingsIn(ctx, s.db, root, yearFrom, yearTo)
	if err != nil {
		return nil, err
	}
	byOrg := map[int64][]held{}
	for _, m := range meetings {
		byOrg[m.orgID] = append(byOrg[m.orgID], m)
	}
	// 连续6个月 as of the end of the period (or today, while it is open).
	asOf := p.To()
	if today.Before(asOf) {
		asOf = today
	}
	lapseFrom := asOf.AddDate(0, -rules.Get("life.lapse").Value, 0)
	out.LapseFrom, out.LapseTo = lapseFrom, asOf
	recent, err := s.meetingsIn(ctx, s.db, root, lapseFrom.AddDate(0, 0, 1), asOf)
	if err != nil {
		return nil, err
	}
	lapses, err := s.lapses(ctx, root, lapseFrom, asOf)
	if err != nil {
		return nil, err
	}

	// Buckets for the summary: the root itself and each direct child's subtree.
	bucketOf := func(u *unit) int64 {
		ids := pathIDs(u.Path)
		depth := len(pathIDs(root.Path))
		if len(ids) > depth {
			return ids[depth]
		}
		return root.ID
	}
	sums := map[int64]*ChildSummary{}
	var order []int64
	for _, u := range units {
		if u.ParentID != nil && *u.ParentID == root.ID || u.ID == root.ID {
			sums[u.ID] = &ChildSummary{Org: u.ref(), Self: u.ID == root.ID}
			order = append(order, u.ID)
		}
	}
	var all []UnitCompliance
	for _, u := range units {
		if !holdsLife(u.Type) {
			continue
		}
		e := merge(tree.Chain(u.Path))
		uc := UnitCompliance{Org: u.ref(), Requirements: []Requirement{}, Findings: []Finding{}, Lapses: []Lapse{}}
		if u.ParentID != nil {
			uc.ParentName = names[*u.ParentID]
		}
		for _, t := range requiredTypes(u, sizes[u.ID], e) {
			req := evaluate(t, e.Frequencies[t.Code], u, p, byOrg[u.ID], today)
			req.FrequencyFrom = e.From["frequencies."+t.Code]
			if t.Code == TypeThemeDay && e.ThemeDay > 0 {
				req.Text += fmt.Sprintf("（固定日：每月 %d 日）", e.ThemeDay)
			}
			if t.Code == TypeLifeMeeting && req.Status == Pending {
				req.Text += "（一般安排在第四季度）"
			}
			uc.Tally.add(req.Status)
			uc.Requirements = append(uc.Requirements, req)
		}
		if u.Type.IsBranchLike() {
			s.lifeSignals(&uc, u, recent, lapses, lapseFrom, asOf)
		}
		if len(uc.Requirements) == 0 && len(uc.Findings) == 0 {
			continue
		}
		b := sums[bucketOf(u)]
		if b == nil { // a unit whose direct child bucket is outside the caller's scope
			b = &ChildSummary{Org: root.ref(), Self: true}
			sums[root.ID] = b
			order = append(order, root.ID)
		}
		for _, sum := range []*ChildSummary{b, &out.Totals} {
			sum.Units++
			sum.Tally.Held += uc.Tally.Held
			sum.Tally.Pending += uc.Tally.Pending
			sum.Tally.Missed += uc.Tally.Missed
			sum.Tally.NA += uc.Tally.NA
			if uc.Tally.Missed > 0 {
				sum.UnitsMissing++
			}
			sum.Lapsed += len(uc.Lapses)
			for _, fi := range uc.Findings {
				if fi.RuleID == "life.silent" {
					sum.Silent++
				}
			}
		}
		if f.Status != "" && !slices.ContainsFunc(uc.Requirements, func(r Requirement) bool { return r.Status == f.Status }) &&
			!(f.Status == Missed && len(uc.Findings) > 0) {
			continue
		}
		all = append(all, uc)
	}
	out.Totals.Org = root.ref()
	for _, id := range order {
		if sum := sums[id]; sum.Units > 0 {
			out.Summary = append(out.Summary, *sum)
		}
	}
	out.Total = len(all)
	start := min(page.Offset(), len(all))
	out.Items = append(out.Items, all[start:min(start+page.Size, len(all))]...)
	st, err := s.orgs.Stats(ctx, root.ID)
	if err != nil {
		return nil, err
	}
	out.Elections = st.Elections
	if !out.Closed {
		out.Notes = append(out.Notes, "本期尚未结束：未召开的事项在期末之前显示为“未到期”，不算延误。")
	}
	return out, nil
}

// lapses finds the members of the subtree's branches who were members for the whole window
// and have no present or 补课 attendance at any meeting held in it.
func (s *Store) lapses(ctx context.Context, root *unit, from, to civil.Date) (map[int64][]Lapse, error) {
	where, args := access.Filter(ctx, "o.path", access.OrgRead)
	const attended = `SELECT 1 FROM meeting_attendance a JOIN meetings mt ON mt.id = a.meeting_id
		WHERE a.member_id = m.id AND a.status IN ('present', 'makeup') AND mt.held_on > ? AND mt.held_on <= ?`
	rows, err := s.db.Query(ctx, `SELECT m.id, m.name, m.org_id, m.mobile,
		(SELECT MAX(mt.held_on) FROM meeting_attendance a JOIN meetings mt ON mt.id = a.meeting_id
			WHERE a.member_id = m.id AND a.status IN ('present', 'makeup') AND mt.held_on <= ?),
		(SELECT COUNT(*) FROM meeting_attendance a JOIN meetings mt ON mt.id = a.meeting_id
			WHERE a.member_id = m.id AND a.status = 'leave' AND mt.held_on > ? AND mt.held_on <= ?)
		FROM members m JOIN orgs o ON o.id = m.org_id
		WHERE o.path LIKE ? AND `+where+` AND m.status = 'normal' AND m.joined_on <= ? AND NOT EXISTS (`+attended+`)
		ORDER BY m.org_id, m.id`,
		append(append([]any{to, from, to, root.Path + "%"}, args...), from, from, to)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	src := rules.Get("life.lapse")
	out := map[int64][]Lapse{}
	for rows.Next() {
		var l Lapse
		if err := rows.Scan(&l.MemberID, &l.Name, &l.OrgID, &l.Mobile, &l.LastAttended, &l.Leaves); err != nil {
			return nil, err
		}
		l.Source = src.Source
		switch {
		case l.LastAttended.IsZero():
			l.Text = fmt.Sprintf("%s 至 %s 没有出席或补课记录", from.AddDate(0, 0, 1), to)
		default:
			l.Text = fmt.Sprintf("最近一次参加组织生活为 %s，已连续 %d 个月以上没有出席或补课记录", l.LastAttended, src.Value)
		}
		if l.Leaves > 0 {
			l.Text += fmt.Sprintf("（其间请假 %d 次）", l.Leaves)
		}
		if l.Mobile {
			l.Text += "；流动党员，请核实是否在流入地参加组织生活"
		}
		l.Text += "。请核实有无正当理由"
		out[l.OrgID] = append(out[l.OrgID], l)
	}
	return out, rows.Err()
}

// lifeSignals adds the 6-month findings of a branch: the branch's own silence, or its members'.
func (s *Store) lifeSignals(uc *UnitCompliance, u *unit, recent []held, lapses map[int64][]Lapse, from, to civil.Date) {
	if !u.EstablishedOn.IsZero() && u.EstablishedOn.After(from) {
		return // not yet 6 months old
	}
	n := 0
	for _, m := range recent {
		if strings.HasPrefix(m.path, u.Path) && m.life() {
			n++
		}
	}
	if n == 0 {
		r := rules.Get("life.silent")
		uc.Findings = append(uc.Findings, Finding{RuleID: r.ID, Level: r.Level, Source: r.Source,
			Message: fmt.Sprintf("%s 至 %s 没有党员大会、党小组会、党课、主题党日等组织生活的记录", from.AddDate(0, 0, 1), to)})
		return
	}
	if ls := lapses[u.ID]; len(ls) > 0 {
		uc.Lapses = ls
		r := rules.Get("life.lapse")
		uc.Findings = append(uc.Findings, Finding{RuleID: r.ID, Level: r.Level, Source: r.Source,
			Message: fmt.Sprintf("%d 名党员连续%d个月没有出席或补课记录，请核实", len(ls), r.Value)})
	}
}
