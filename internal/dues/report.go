package dues

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/rules"
)

// Figures are the totals of a subtree (or of an organisation's own members) for a period.
// Due, members and arrears follow each member's current 党支部; paid, voluntary and
// to-centre amounts follow the books the entries were made in (the member's branch when
// paid), so a member who moved keeps their old payments where they were made.
type Figures struct {
	DueFen         int64 `json:"due_fen" doc:"应交"`
	PaidFen        int64 `json:"paid_fen" doc:"实交（含自愿多交、更正、退还）"`
	VoluntaryFen   int64 `json:"voluntary_fen" doc:"其中自愿多交"`
	ToCentreFen    int64 `json:"to_centre_fen" doc:"其中一次多交1000元以上、全部上缴中央的"`
	Members        int   `json:"members" doc:"应交人数（期间内有应交月份的党员）"`
	PayingMembers  int   `json:"paying_members" doc:"期间内有交纳的党员人数"`
	ArrearsMembers int   `json:"arrears_members" doc:"期间内有未交清月份的党员人数"`
}

func (f *Figures) addFigures(o Figures) {
	f.DueFen += o.DueFen
	f.PaidFen += o.PaidFen
	f.VoluntaryFen += o.VoluntaryFen
	f.ToCentreFen += o.ToCentreFen
	f.Members += o.Members
	f.PayingMembers += o.PayingMembers
	f.ArrearsMembers += o.ArrearsMembers
}

// ReportRow is one child organisation (its whole subtree), or the node's own members.
type ReportRow struct {
	Org  OrgRef `json:"org"`
	Self bool   `json:"self" doc:"为 true 时是本级直属党员（节点本身是党支部）"`
	Figures
}

// MonthFigures are one month's due and paid of the whole subtree.
type MonthFigures struct {
	Month   Month `json:"month"`
	DueFen  int64 `json:"due_fen"`
	PaidFen int64 `json:"paid_fen"`
}

// Remittance is the 5% to the centre (dues.remit_centre) of a year's 实交.
type Remittance struct {
	BaseFen     int64      `json:"base_fen" doc:"计算基数：实交总额减去已全部上缴中央的一次多交1000元以上部分"`
	RateBP      int        `json:"rate_bp"`
	CentreFen   int64      `json:"centre_fen" doc:"按5%上缴中央（四舍五入到分）"`
	ToCentreFen int64      `json:"to_centre_fen" doc:"一次多交1000元以上、全部上缴中央的"`
	TotalFen    int64      `json:"total_fen" doc:"上缴中央合计"`
	Deadline    civil.Date `json:"deadline" doc:"次年4月底前"`
	Text        string     `json:"text"`
	Source      string     `json:"source"`
}

// Report is the roll-up of a node for a year or a month.
type Report struct {
	Org        OrgRef         `json:"org"`
	Year       int            `json:"year"`
	Month      Month          `json:"month" doc:"只看一个月时为该月"`
	From, To   Month          `json:"-"`
	Period     string         `json:"period"`
	Rows       []ReportRow    `json:"rows"`
	Total      Figures        `json:"total" doc:"整个子树的合计（独立计算，等于各行之和）"`
	Months     []MonthFigures `json:"months"`
	Remittance *Remittance    `json:"remittance" doc:"全年报表时：按5%上缴中央的数额"`
	Note       string         `json:"note"`
}

// period is the months of the year (or the one month), up to this month.
func (s *Store) period(year int, mo Month) (Month, Month, error) {
	cur := s.thisMonth()
	if !mo.IsZero() {
		if mo.After(cur) {
			return "", "", api.FieldInvalid("month", mo.Label()+"还没到")
		}
		return mo, mo, nil
	}
	if year < 2008 || year > cur.Year() {
		return "", "", api.FieldInvalid("year", fmt.Sprintf("年度应为2008到%d之间", cur.Year()))
	}
	from, to := NewMonth(year, time.January), NewMonth(year, time.December)
	if to.After(cur) {
		to = cur
	}
	return from, to, nil
}

type payAgg struct {
	path      string
	month     Month
	kind      string
	toCentre  bool
	sum       int64
	memberIDs map[int64]bool
}

// Report rolls up the subtree of orgID for a year (or one month of it).
func (s *Store) Report(ctx context.Context, orgID int64, year int, mo Month) (*Report, error) {
	node, err := findOrg(ctx, s.db, orgID, false)
	if err != nil {
		return nil, err
	}
	from, to, err := s.period(year, mo)
	if err != nil {
		return nil, err
	}
	cur := s.thisMonth()
	rep := &Report{Org: *node, Year: from.Year(), Month: mo, From: from, To: to, Rows: []ReportRow{}, Months: []MonthFigures{},
		Note: "应交、应交人数和欠交人数按党员现在所在的党支部统计；实交按交纳时所在党支部的账目统计。"}
	rep.Period = from.Label()
	if from != to {
		rep.Period = from.Label() + "至" + to.Label()
	}
	where, args := access.Filter(ctx, "m.org_path", access.OrgRead)
	b, err := loadBook(ctx, s.db, `m.org_path LIKE ? AND `+where, append([]any{node.path + "%"}, args...), from, to, false)
	if err != nil {
		return nil, err
	}
	pwhere, pargs := access.Filter(ctx, "p.org_path", access.OrgRead)
	rows, err := s.db.Query(ctx, `SELECT p.org_path, p.month, p.kind, p.to_centre, p.member_id, SUM(p.paid_fen) FROM dues_payments p
		WHERE p.org_path LIKE ? AND p.month >= ? AND p.month <= ? AND `+pwhere+`
		GROUP BY p.org_path, p.month, p.kind, p.to_centre, p.member_id`, append([]any{node.path + "%", from, to}, pargs...)...)
	if err != nil {
		return nil, err
	}
	var pays []payAgg
	for rows.Next() {
		var p payAgg
		var member int64
		if err := rows.Scan(&p.path, &p.month, &p.kind, &p.toCentre, &member, &p.sum); err != nil {
			rows.Close()
			return nil, err
		}
		p.memberIDs = map[int64]bool{member: true}
		pays = append(pays, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// The children, in the tree's order; dissolved ones only when they have figures.
	crow, err := s.db.Query(ctx, `SELECT id, code, name, type, path, status FROM orgs WHERE parent_id = ? ORDER BY sort_order, code`, node.ID)
	if err != nil {
		return nil, err
	}
	var children []OrgRef
	for crow.Next() {
		var c OrgRef
		if err := crow.Scan(&c.ID, &c.Code, &c.Name, &c.Type, &c.path, &c.status); err != nil {
			crow.Close()
			return nil, err
		}
		c.TypeName = c.Type.Name()
		children = append(children, c)
	}
	crow.Close()
	if err := crow.Err(); err != nil {
		return nil, err
	}
	// Each member's figures once; the rows add up those whose path they cover.
	type memberFig struct {
		path                 string
		due                  int64
		has, arrears, paying bool
	}
	mfs := make([]memberFig, 0, len(b.members))
	period := monthRange(from, to)
	for _, m := range b.members {
		mf := memberFig{path: m.path}
		for _, x := range period {
			paid := b.paid[m.ID][x]
			if paid > 0 {
				mf.paying = true
			}
			due := b.due(m, x)
			if due == nil {
				continue
			}
			mf.has = true
			mf.due += *due
			// The month under way is not in arrears yet, unless it is the period itself.
			if paid < *due && (x.Before(cur) || from == to) {
				mf.arrears = true
			}
		}
		mfs = append(mfs, mf)
	}
	figures := func(match func(path string) bool) Figures {
		var f Figures
		for _, mf := range mfs {
			if !match(mf.path) {
				continue
			}
			f.DueFen += mf.due
			if mf.has {
				f.Members++
			}
			if mf.arrears {
				f.ArrearsMembers++
			}
			if mf.paying {
				f.PayingMembers++
			}
		}
		for _, p := range pays {
			if !match(p.path) {
				continue
			}
			f.PaidFen += p.sum
			if p.kind == "voluntary" {
				f.VoluntaryFen += p.sum
			}
			if p.toCentre {
				f.ToCentreFen += p.sum
			}
		}
		return f
	}
	var sum Figures
	self := figures(func(p string) bool { return p == node.path })
	if self != (Figures{}) || node.Type.IsBranchLike() {
		rep.Rows = append(rep.Rows, ReportRow{Org: *node, Self: true, Figures: self})
		sum.addFigures(self)
	}
	for _, c := range children {
		f := figures(func(p string) bool { return strings.HasPrefix(p, c.path) })
		sum.addFigures(f)
		if c.status != org.StatusActive && f == (Figures{}) {
			continue
		}
		rep.Rows = append(rep.Rows, ReportRow{Org: c, Figures: f})
	}
	rep.Total = figures(func(p string) bool { return strings.HasPrefix(p, node.path) })
	if sum != rep.Total {
		// Every path under the node is the node's or lies under exactly one child.
		return nil, fmt.Errorf("dues report of org %d does not reconcile: rows %+v, total %+v", node.ID, sum, rep.Total)
	}
	for _, x := range monthRange(from, to) {
		mf := MonthFigures{Month: x}
		for _, m := range b.members {
			if due := b.due(m, x); due != nil {
				mf.DueFen += *due
			}
		}
		for _, p := range pays {
			if p.month == x {
				mf.PaidFen += p.sum
			}
		}
		rep.Months = append(rep.Months, mf)
	}
	if mo.IsZero() {
		r := rules.Get("dues.remit_centre")
		base := rep.Total.PaidFen - rep.Total.ToCentreFen
		rem := &Remittance{BaseFen: base, RateBP: r.Value * 100, CentreFen: RoundHalfUp(base, r.Value*100), ToCentreFen: rep.Total.ToCentreFen,
			Deadline: civil.New(rep.Year+1, time.April, 30), Text: r.Text, Source: r.Source}
		rem.TotalFen = rem.CentreFen + rem.ToCentreFen
		rep.Remittance = rem
	}
	return rep, nil
}

// Export writes the report as an .xlsx workbook (streamed): the rows with the total, the
// months, and the 5% remittance of a year.
func (s *Store) Export(ctx context.Context, orgID int64, year int, mo Month, w io.Writer) error {
	rep, err := s.Report(ctx, orgID, year, mo)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "党费收缴汇总"
	f.SetSheetName("Sheet1", sheet)
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"F2DCDB"}, Pattern: 1}})
	money, _ := f.NewStyle(&excelize.Style{NumFmt: 4}) // #,##0.00
	title, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	for i, width := range []float64{40, 14, 14, 14, 14, 10, 10, 10} {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	r := 1
	put := func(cells ...any) error {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		r++
		return sw.SetRow(cell, cells)
	}
	yuan := func(fen int64) excelize.Cell { return excelize.Cell{StyleID: money, Value: float64(fen) / 100} }
	if err := put(excelize.Cell{StyleID: title, Value: rep.Org.Name + " 党费收缴情况（" + rep.Period + "）"}); err != nil {
		return err
	}
	if err := put("金额单位：元；" + rep.Note); err != nil {
		return err
	}
	head := []any{}
	for _, h := range []string{"组织", "应交", "实交", "其中自愿多交", "其中上缴中央", "应交人数", "已交人数", "欠交人数"} {
		head = append(head, excelize.Cell{StyleID: bold, Value: h})
	}
	if err := put(head...); err != nil {
		return err
	}
	line := func(name string, x Figures) error {
		return put(name, yuan(x.DueFen), yuan(x.PaidFen), yuan(x.VoluntaryFen), yuan(x.ToCentreFen), x.Members, x.PayingMembers, x.ArrearsMembers)
	}
	for _, row := range rep.Rows {
		name := row.Org.Name
		if row.Self {
			name += "（本级）"
		}
		if err := line(name, row.Figures); err != nil {
			return err
		}
	}
	if err := line("合计", rep.Total); err != nil {
		return err
	}
	r++
	if err := put(excelize.Cell{StyleID: bold, Value: "月份"}, excelize.Cell{StyleID: bold, Value: "应交"}, excelize.Cell{StyleID: bold, Value: "实交"}); err != nil {
		return err
	}
	for _, m := range rep.Months {
		if err := put(m.Month.Label(), yuan(m.DueFen), yuan(m.PaidFen)); err != nil {
			return err
		}
	}
	if rem := rep.Remittance; rem != nil {
		r++
		rows := [][]any{
			{excelize.Cell{StyleID: bold, Value: "上缴中央（" + rem.Source + "）"}},
			{"按5%上缴的计算基数", yuan(rem.BaseFen)},
			{"按5%上缴（四舍五入到分）", yuan(rem.CentreFen)},
			{"一次多交1000元以上全部上缴", yuan(rem.ToCentreFen)},
			{"上缴中央合计", yuan(rem.TotalFen)},
			{"上缴期限", rem.Deadline.String() + "前"},
		}
		for _, cells := range rows {
			if err := put(cells...); err != nil {
				return err
			}
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// Publication is a branch's yearly 公示 of dues collected and used.
type Publication struct {
	Org         OrgRef         `json:"org"`
	Year        int            `json:"year"`
	Period      string         `json:"period"`
	Members     int            `json:"members"`
	DueFen      int64          `json:"due_fen"`
	PaidFen     int64          `json:"paid_fen"`
	Voluntary   int64          `json:"voluntary_fen"`
	HandedFen   int64          `json:"handed_fen" doc:"已结账月份的实交合计：已按月上缴上级党组织"`
	OpenFen     int64          `json:"open_fen" doc:"未结账月份的实交"`
	ClosedCount int            `json:"closed_months"`
	Months      []MonthFigures `json:"months"`
	Usage       []string       `json:"usage" doc:"党费使用情况，由党支部逐行填写"`
	UpdatedBy   string         `json:"updated_by"`
	Generated   civil.Date     `json:"generated"`
	RuleText    string         `json:"rule_text"`
	Source      string         `json:"source"`
}

// Publication gathers a branch's 公示 for a year from its books.
func (s *Store) Publication(ctx context.Context, orgID int64, year int) (*Publication, error) {
	br, err := findBranch(ctx, s.db, orgID, false, "org")
	if err != nil {
		return nil, err
	}
	rep, err := s.Report(ctx, br.ID, year, "")
	if err != nil {
		return nil, err
	}
	r := rules.Get("dues.publish")
	pub := &Publication{Org: *br, Year: rep.Year, Period: rep.Period, Members: rep.Total.Members, DueFen: rep.Total.DueFen,
		PaidFen: rep.Total.PaidFen, Voluntary: rep.Total.VoluntaryFen, Months: rep.Months, Usage: []string{},
		Generated: s.Today(), RuleText: r.Text, Source: r.Source}
	closed := map[Month]bool{}
	rows, err := s.db.Query(ctx, `SELECT month FROM dues_month_close WHERE org_id = ? AND month >= ? AND month <= ?`, br.ID, rep.From, rep.To)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var mo Month
		if err := rows.Scan(&mo); err != nil {
			rows.Close()
			return nil, err
		}
		closed[mo] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	pub.ClosedCount = len(closed)
	for _, m := range rep.Months {
		if closed[m.Month] {
			pub.HandedFen += m.PaidFen
		} else {
			pub.OpenFen += m.PaidFen
		}
	}
	var usage string
	err = s.db.QueryRow(ctx, `SELECT usage_json, updated_by FROM dues_publications WHERE org_id = ? AND year = ?`, br.ID, pub.Year).Scan(&usage, &pub.UpdatedBy)
	if err == nil {
		_ = json.Unmarshal([]byte(usage), &pub.Usage)
	} else if !isNoRows(err) {
		return nil, err
	}
	return pub, nil
}

// UsageInput is the 使用情况 a branch writes for its yearly 公示.
type UsageInput struct {
	OrgID int64    `json:"org_id"`
	Year  int      `json:"year"`
	Lines []string `json:"lines" doc:"逐行填写，如“2026年7月慰问困难党员3名，支出600.00元（经上级党委同意）”"`
}

// SetUsage saves the 使用情况 lines of a branch's 公示.
func (s *Store) SetUsage(ctx context.Context, in UsageInput) (*Publication, error) {
	var lines []string
	var f api.Fields
	for i, l := range in.Lines {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if utf8.RuneCountInString(l) > 200 {
			f.Add(fmt.Sprintf("lines[%d]", i), "每行最长200字")
		}
		lines = append(lines, l)
	}
	if len(lines) > 50 {
		f.Add("lines", "最多50行")
	}
	if in.Year < 2008 || in.Year > s.Today().Year() {
		f.Add("year", "年度不正确")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if lines == nil {
		lines = []string{}
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		br, err := findBranch(ctx, tx, in.OrgID, true, "org_id")
		if err != nil {
			return err
		}
		raw, _ := json.Marshal(lines)
		if _, err := tx.Exec(ctx, `INSERT INTO dues_publications (org_id, year, usage_json, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (org_id, year) DO UPDATE SET usage_json = excluded.usage_json, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			br.ID, in.Year, string(raw), time.Now().UTC(), principalName(ctx)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "dues.publication", Entity: "org", EntityID: itoa(br.ID),
			Summary: fmt.Sprintf("填写%s%d年度党费使用情况（%d行）", br.Name, in.Year, len(lines)), After: lines})
	})
	if err != nil {
		return nil, err
	}
	return s.Publication(ctx, in.OrgID, in.Year)
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
