package dues

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/rules"
)

// CalcRequest is POST /dues/calculate: a category with a base, or wage items the base follows
// from (with the formula of org), or a fixed amount.
type CalcRequest struct {
	CalcInput
	Items *BaseItems `json:"items" doc:"按工资项目计算基数（按 org 的公式）；给出时不看 base_fen"`
	OrgID int64      `json:"org_id" doc:"用哪个组织的“税后”公式；不填为系统默认（工资项目合计 − 个人所得税）"`
	Month Month      `json:"month" doc:"按哪个月的标准版本；不填为本月"`
}

// CalcAnswer is the amount with its basis and, for items, how the base followed.
type CalcAnswer struct {
	Calc
	BaseFormula string `json:"base_formula"`
	FormulaText string `json:"formula_text"`
}

// Calculate answers POST /dues/calculate.
func (s *Store) Calculate(ctx context.Context, in CalcRequest) (*CalcAnswer, error) {
	mo := in.Month
	if mo.IsZero() {
		mo = s.thisMonth()
	}
	formula := DefaultFormula
	if in.OrgID != 0 {
		o, err := findOrg(ctx, s.db, in.OrgID, false)
		if err != nil {
			return nil, err
		}
		st, _, _, err := settingsFor(ctx, s.db, o.path)
		if err != nil {
			return nil, err
		}
		formula = st.Formula
	}
	out := &CalcAnswer{FormulaText: formula.Text()}
	ci := in.CalcInput
	if in.Items != nil && ci.Category.UsesBase() {
		base, text, f := formula.Base(*in.Items)
		if err := f.Err(); err != nil {
			return nil, err
		}
		ci.BaseFen, out.BaseFormula = base, text
	}
	c, f := Calculate(TableFor(mo), ci)
	if err := f.Err(); err != nil {
		return nil, err
	}
	out.Calc = c
	return out, nil
}

// StandardInput sets a member's standard from a month on (第十条: a new base applies from the
// month it is paid at).
type StandardInput struct {
	From         Month      `json:"from" doc:"从哪个月起执行（YYYY-MM）"`
	Category     Category   `json:"category"`
	BaseFen      int64      `json:"base_fen" doc:"计算基数（分）"`
	Items        *BaseItems `json:"items" doc:"或：工资项目和扣除数，按所在组织的公式算出基数"`
	FixedFen     int64      `json:"fixed_fen" doc:"农民：每月数额（20–100分）；少交：经批准的数额"`
	ApprovalBody string     `json:"approval_body" doc:"少交、免交：批准的上一级党委"`
	ApprovalDoc  string     `json:"approval_doc" doc:"少交、免交：批准文件（文号）"`
	Note         string     `json:"note"`
	source       string
}

// MemberDues is one member's dues: standards, the months from joining (at most the last
// three years) with what was due and paid, and the reminders.
type MemberDues struct {
	Member    MemberRef    `json:"member"`
	Standards []*Standard  `json:"standards" doc:"全部标准，含被替换的（superseded_at 不为空）"`
	Current   *Standard    `json:"current" doc:"本月执行的标准"`
	Months    []MonthState `json:"months" doc:"逐月应交、实交，最近的月份在前"`
	Unpaid    []Month      `json:"unpaid" doc:"未交清的月份"`
	OwedFen   int64        `json:"owed_fen" doc:"未交清月份合计欠交"`
	Reminder  string       `json:"reminder"`
	Settings  Settings     `json:"settings"`
}

// memberDues builds m's view; months go back at most back months from this month.
func (s *Store) memberDues(ctx context.Context, q db.Querier, m *memberInfo, back int) (*MemberDues, error) {
	cur := s.thisMonth()
	from := MonthOf(m.JoinedOn)
	if cur.Sub(from) > back {
		from = cur.Add(-back)
	}
	if from.After(cur) {
		from = cur
	}
	b, err := loadBook(ctx, q, "m.id = ?", []any{m.ID}, from, cur.Add(3), true)
	if err != nil {
		return nil, err
	}
	if len(b.members) == 1 {
		m = b.members[0]
	}
	out := &MemberDues{Member: *m, Standards: []*Standard{}, Months: []MonthState{}, Unpaid: []Month{}}
	rows, err := q.Query(ctx, `SELECT `+standardCols+` FROM dues_standards WHERE member_id = ? ORDER BY effective_month DESC, id DESC`, m.ID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		st, err := scanStandard(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out.Standards = append(out.Standards, st)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out.Current = inForce(b.standards[m.ID], cur)
	if out.Settings, _, _, err = settingsFor(ctx, q, m.path); err != nil {
		return nil, err
	}
	// Months paid ahead (按季度) show too.
	last := cur
	for mo := range b.paid[m.ID] {
		if mo.After(last) {
			last = mo
		}
	}
	for _, mo := range monthRange(from, last) {
		st := b.state(m, mo)
		if st.Status == StatusNotDue && len(st.Entries) == 0 {
			continue
		}
		out.Months = append(out.Months, st)
		if mo.Before(cur) && (st.Status == StatusUnpaid || st.Status == StatusPartial) {
			out.Unpaid = append(out.Unpaid, mo)
			out.OwedFen += *st.DueFen - st.PaidFen
		}
	}
	for i, j := 0, len(out.Months)-1; i < j; i, j = i+1, j-1 {
		out.Months[i], out.Months[j] = out.Months[j], out.Months[i]
	}
	if len(out.Unpaid) > 0 {
		labels := make([]string, len(out.Unpaid))
		for i, mo := range out.Unpaid {
			labels[i] = mo.Label()
		}
		out.Reminder = fmt.Sprintf("%s的党费尚未交清，合计 %s", strings.Join(labels, "、"), yuanText(out.OwedFen))
	}
	return out, nil
}

// MemberDues returns a member's dues for the branch (org.read).
func (s *Store) MemberDues(ctx context.Context, id int64) (*MemberDues, error) {
	m, err := findMember(ctx, s.db, id, false)
	if err != nil {
		return nil, err
	}
	return s.memberDues(ctx, s.db, m, 36)
}

// MyDues returns the caller's own dues (党员 role, account linked to a member record). The
// reminder shows only where the branch's settings turn member reminders on.
func (s *Store) MyDues(ctx context.Context) (*MemberDues, error) {
	m, err := memberByUser(ctx, s.db)
	if err != nil {
		return nil, err
	}
	d, err := s.memberDues(ctx, s.db, m, 24)
	if err != nil {
		return nil, err
	}
	if !d.Settings.MemberReminders {
		d.Reminder = ""
	}
	return d, nil
}

// SetStandard gives a member a standard from in.From on. A standard already set for that month
// is replaced (kept, marked superseded). Refused when it would change the due of a month that
// is already paid or closed.
func (s *Store) SetStandard(ctx context.Context, memberID int64, in StandardInput) (*Standard, error) {
	var out *Standard
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		m, err := findMember(ctx, tx, memberID, true)
		if err != nil {
			return err
		}
		st, err := s.setStandard(ctx, tx, m, in)
		if err != nil {
			return err
		}
		out = st
		return audit.Record(ctx, tx, audit.Entry{Action: "dues.standard", Entity: "member", EntityID: itoa(m.ID),
			Summary: fmt.Sprintf("核定党员“%s”的党费标准：自%s起%s，每月 %s", m.Name, st.EffectiveMonth.Label(), st.CategoryName, yuanText(st.MonthlyFen)),
			After:   st})
	})
	return out, err
}

// setStandard validates and saves one standard inside tx (also used by the import, which
// reports field errors per row).
func (s *Store) setStandard(ctx context.Context, tx *db.Tx, m *memberInfo, in StandardInput) (*Standard, error) {
	var f api.Fields
	in.ApprovalBody, in.ApprovalDoc, in.Note = strings.TrimSpace(in.ApprovalBody), strings.TrimSpace(in.ApprovalDoc), strings.TrimSpace(in.Note)
	cur := s.thisMonth()
	joined := MonthOf(m.JoinedOn)
	switch {
	case in.From.IsZero():
		f.Add("from", "请选择从哪个月起执行")
	case in.From.Before(joined):
		f.Add("from", fmt.Sprintf("不能早于入党当月（%s）：%s", joined.Label(), rules.Get("dues.probationary").Text))
	case in.From.Sub(cur) > 12:
		f.Add("from", "最多提前12个月核定标准")
	}
	if !in.Category.Valid() {
		f.Add("category", "请选择党费交纳类别")
	}
	if in.Category.NeedsApproval() {
		if in.ApprovalBody == "" {
			f.Add("approval_body", "少交、免交须经党支部研究、报上一级党委批准：请填写批准的党委")
		}
		if in.ApprovalDoc == "" {
			f.Add("approval_doc", "请填写批准文件（文号），如：×党组〔2026〕3号")
		}
	}
	if utf8.RuneCountInString(in.ApprovalBody) > 100 || utf8.RuneCountInString(in.ApprovalDoc) > 100 {
		f.Add("approval_doc", "批准机关和文号各最长100字")
	}
	if utf8.RuneCountInString(in.Note) > 200 {
		f.Add("note", "说明最长200字")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var itemsJSON *string
	formulaText := ""
	if in.Items != nil && in.Category.UsesBase() {
		settings, _, _, err := settingsFor(ctx, tx, m.path)
		if err != nil {
			return nil, err
		}
		base, text, ff := settings.Formula.Base(*in.Items)
		if err := ff.Err(); err != nil {
			return nil, err
		}
		raw, _ := json.Marshal(in.Items)
		js := string(raw)
		itemsJSON, in.BaseFen, formulaText = &js, base, text
	}
	if !in.Category.UsesBase() {
		in.BaseFen = 0
	}
	if in.Category == Salaried || in.Category == AnnualSalary || in.Category == SelfEmployed || in.Category == Retired {
		in.FixedFen = 0
	}
	c, cf := Calculate(TableFor(in.From), CalcInput{Category: in.Category, BaseFen: in.BaseFen, FixedFen: in.FixedFen})
	if err := cf.Err(); err != nil {
		return nil, err
	}
	if !in.Category.NeedsApproval() {
		in.ApprovalBody, in.ApprovalDoc = "", ""
	}
	if err := lockRow(ctx, tx, "orgs", m.OrgID); err != nil {
		return nil, err
	}
	if err := lockRow(ctx, tx, "members", m.ID); err != nil {
		return nil, err
	}
	// The months the new standard governs: from in.From to the next standard.
	var list []*Standard
	rows, err := tx.Query(ctx, `SELECT `+standardCols+` FROM dues_standards WHERE member_id = ? AND superseded_at IS NULL ORDER BY effective_month`, m.ID)
	if err != nil {
		return nil, err
	}
	var same *Standard
	var next Month
	for rows.Next() {
		st, err := scanStandard(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		list = append(list, st)
		if st.EffectiveMonth == in.From {
			same = st
		} else if st.EffectiveMonth.After(in.From) && next.IsZero() {
			next = st.EffectiveMonth
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	newStd := &Standard{Category: in.Category, BaseFen: in.BaseFen, FixedFen: in.FixedFen}
	// Months already paid or closed whose due would change.
	cond := `member_id = ? AND month >= ?`
	args := []any{m.ID, in.From}
	ccond := `org_id = ? AND month >= ?`
	cargs := []any{m.OrgID, in.From}
	if !next.IsZero() {
		cond += ` AND month < ?`
		ccond += ` AND month < ?`
		args, cargs = append(args, next), append(cargs, next)
	}
	fixed := map[Month]string{}
	prow, err := tx.Query(ctx, `SELECT DISTINCT month FROM dues_payments WHERE `+cond, args...)
	if err != nil {
		return nil, err
	}
	for prow.Next() {
		var mo Month
		if err := prow.Scan(&mo); err != nil {
			prow.Close()
			return nil, err
		}
		fixed[mo] = "已有交纳记录"
	}
	prow.Close()
	crow, err := tx.Query(ctx, `SELECT month FROM dues_month_close WHERE `+ccond, cargs...)
	if err != nil {
		return nil, err
	}
	for crow.Next() {
		var mo Month
		if err := crow.Scan(&mo); err != nil {
			crow.Close()
			return nil, err
		}
		fixed[mo] = "已结账"
	}
	crow.Close()
	var blocked []Month
	for mo := range fixed {
		if due, _ := m.dueIn(mo); !due {
			continue
		}
		old := inForce(list, mo)
		var oldFen int64 = -1
		if old != nil {
			oldFen = old.dueFen(mo)
		}
		if newStd.dueFen(mo) != oldFen {
			blocked = append(blocked, mo)
		}
	}
	if len(blocked) > 0 {
		last := blocked[0]
		for _, mo := range blocked {
			if mo.After(last) {
				last = mo
			}
		}
		return nil, api.FieldInvalid("from", fmt.Sprintf("%s%s，改变标准会改变该月的应交数：新标准最早从%s起执行（%s）",
			last.Label(), fixed[last], last.Add(1).Label(), rules.Get("dues.base_change").Text))
	}
	now := time.Now().UTC()
	if same != nil {
		if _, err := tx.Exec(ctx, `UPDATE dues_standards SET superseded_at = ? WHERE id = ?`, now, same.ID); err != nil {
			return nil, err
		}
	}
	source := in.source
	if source == "" {
		source = "manual"
	}
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO dues_standards (member_id, effective_month, category, base_fen, base_items_json, base_formula,
		fixed_fen, rate_bp, monthly_fen, rate_version, approval_body, approval_doc, note, source, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		m.ID, in.From, in.Category, in.BaseFen, itemsJSON, formulaText, in.FixedFen, c.RateBP, c.MonthlyFen, c.Version,
		in.ApprovalBody, in.ApprovalDoc, in.Note, source, principalName(ctx), now).Scan(&id); err != nil {
		return nil, err
	}
	return scanStandard(tx.QueryRow(ctx, `SELECT `+standardCols+` FROM dues_standards WHERE id = ?`, id))
}

var _ = access.OrgRead
