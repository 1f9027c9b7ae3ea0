package dues

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/rules"
)

// LedgerRow is one member's line of a branch's monthly sheet.
type LedgerRow struct {
	Member MemberRef `json:"member"`
	MonthState
	LastPaidOn string `json:"last_paid_on" doc:"该月最近一次交纳的日期"`
	Method     string `json:"method"`
	Payer      string `json:"payer"`
	ReceiptNo  string `json:"receipt_no"`
}

// Totals add up a sheet.
type Totals struct {
	Members       int            `json:"members" doc:"应交人数"`
	PayingMembers int            `json:"paying_members" doc:"已交（含少交、多交）人数"`
	DueFen        int64          `json:"due_fen"`
	PaidFen       int64          `json:"paid_fen"`
	ByStatus      map[string]int `json:"by_status"`
}

// Close is a month's close of a branch.
type Close struct {
	OrgID         int64     `json:"org_id"`
	Month         Month     `json:"month"`
	ClosedAt      time.Time `json:"closed_at"`
	ClosedBy      string    `json:"closed_by"`
	Members       int       `json:"members"`
	PayingMembers int       `json:"paying_members"`
	DueFen        int64     `json:"due_fen"`
	PaidFen       int64     `json:"paid_fen"`
}

// Ledger is a branch's sheet for one month.
type Ledger struct {
	Org      OrgRef      `json:"org"`
	Month    Month       `json:"month"`
	Rows     []LedgerRow `json:"rows"`
	Totals   Totals      `json:"totals"`
	Close    *Close      `json:"close" doc:"已结账时的结账记录"`
	Settings Settings    `json:"settings"`
	Rounding string      `json:"rounding"`
}

func (t *Totals) add(st *MonthState) {
	if t.ByStatus == nil {
		t.ByStatus = map[string]int{}
	}
	t.ByStatus[st.Status]++
	t.PaidFen += st.PaidFen
	if st.DueFen != nil {
		t.Members++
		t.DueFen += *st.DueFen
	}
	if st.PaidFen > 0 {
		t.PayingMembers++
	}
}

// Ledger returns a branch's sheet for month mo: one row per member due that month (or with an
// entry in it).
func (s *Store) Ledger(ctx context.Context, orgID int64, mo Month) (*Ledger, error) {
	if mo.IsZero() {
		mo = s.thisMonth()
	}
	br, err := findBranch(ctx, s.db, orgID, false, "org")
	if err != nil {
		return nil, err
	}
	return s.ledger(ctx, s.db, br, mo)
}

func (s *Store) ledger(ctx context.Context, q db.Querier, br *OrgRef, mo Month) (*Ledger, error) {
	where, args := access.Filter(ctx, "m.org_path", access.OrgRead)
	b, err := loadBook(ctx, q, `m.org_id = ? AND `+where, append([]any{br.ID}, args...), mo, mo, true)
	if err != nil {
		return nil, err
	}
	out := &Ledger{Org: *br, Month: mo, Rows: []LedgerRow{}, Totals: Totals{ByStatus: map[string]int{}},
		Rounding: rules.Get("dues.rounding").Text}
	if out.Settings, _, _, err = settingsFor(ctx, q, br.path); err != nil {
		return nil, err
	}
	for _, m := range b.members {
		st := b.state(m, mo)
		if st.Status == StatusNotDue && len(st.Entries) == 0 {
			continue
		}
		row := LedgerRow{Member: *m, MonthState: st}
		for _, e := range st.Entries {
			row.LastPaidOn, row.Method, row.Payer = e.PaidOn.String(), e.MethodName, e.Payer
			if e.ReceiptNo != "" {
				row.ReceiptNo = e.ReceiptNo
			}
		}
		out.Totals.add(&row.MonthState)
		out.Rows = append(out.Rows, row)
	}
	c, err := loadClose(ctx, q, br.ID, mo)
	if err != nil {
		return nil, err
	}
	out.Close = c
	return out, nil
}

func loadClose(ctx context.Context, q db.Querier, orgID int64, mo Month) (*Close, error) {
	var c Close
	err := q.QueryRow(ctx, `SELECT org_id, month, closed_at, closed_by, members, paying_members, due_fen, paid_fen
		FROM dues_month_close WHERE org_id = ? AND month = ?`, orgID, mo).
		Scan(&c.OrgID, &c.Month, &c.ClosedAt, &c.ClosedBy, &c.Members, &c.PayingMembers, &c.DueFen, &c.PaidFen)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return &c, err
}

// CloseInput closes a branch's month.
type CloseInput struct {
	OrgID int64 `json:"org_id"`
	Month Month `json:"month"`
}

// CloseMonth closes a branch's month with its totals: afterwards entries for the month are
// corrections only.
func (s *Store) CloseMonth(ctx context.Context, in CloseInput) (*Close, error) {
	var out *Close
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		br, err := findBranch(ctx, tx, in.OrgID, true, "org_id")
		if err != nil {
			return err
		}
		if err := lockRow(ctx, tx, "orgs", br.ID); err != nil {
			return err
		}
		switch {
		case in.Month.IsZero():
			return api.FieldInvalid("month", "请选择结账的月份")
		case in.Month.After(s.thisMonth()):
			return api.FieldInvalid("month", in.Month.Label()+"还没到，不能结账")
		}
		if c, err := loadClose(ctx, tx, br.ID, in.Month); err != nil {
			return err
		} else if c != nil {
			return api.Conflict(fmt.Sprintf("%s%s已于 %s 由 %s 结账", br.Name, in.Month.Label(), c.ClosedAt.In(cst).Format("2006-01-02 15:04"), c.ClosedBy))
		}
		l, err := s.ledger(ctx, tx, br, in.Month)
		if err != nil {
			return err
		}
		out = &Close{OrgID: br.ID, Month: in.Month, ClosedAt: time.Now().UTC(), ClosedBy: principalName(ctx),
			Members: l.Totals.Members, PayingMembers: l.Totals.PayingMembers, DueFen: l.Totals.DueFen, PaidFen: l.Totals.PaidFen}
		if _, err := tx.Exec(ctx, `INSERT INTO dues_month_close (org_id, month, closed_at, closed_by, members, paying_members, due_fen, paid_fen)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, out.OrgID, out.Month, out.ClosedAt, out.ClosedBy, out.Members, out.PayingMembers, out.DueFen, out.PaidFen); err != nil {
			if db.IsUniqueViolation(err) {
				return api.Conflict(br.Name + in.Month.Label() + "已结账")
			}
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "dues.close", Entity: "org", EntityID: itoa(br.ID),
			Summary: fmt.Sprintf("%s%s党费结账：应交 %s，实交 %s，%d 人中 %d 人已交", br.Name, in.Month.Label(), yuanText(out.DueFen),
				yuanText(out.PaidFen), out.Members, out.PayingMembers), After: out})
	})
	return out, err
}

var cst = time.FixedZone("CST", 8*3600)

// Settings returns an organisation's effective dues settings and its own values.
func (s *Store) Settings(ctx context.Context, orgID int64) (*SettingsAnswer, error) {
	o, err := findOrg(ctx, s.db, orgID, false)
	if err != nil {
		return nil, err
	}
	eff, from, own, err := settingsFor(ctx, s.db, o.path)
	if err != nil {
		return nil, err
	}
	own.OrgID = o.ID
	return &SettingsAnswer{Org: *o, Effective: eff, Own: own, From: from, FormulaText: eff.Formula.Text()}, nil
}

// SetSettings saves an organisation's own settings (null: inherit from above).
func (s *Store) SetSettings(ctx context.Context, in SettingsInput) (*SettingsAnswer, error) {
	if in.BackPayLimit != nil && (*in.BackPayLimit < 1 || *in.BackPayLimit > 12) {
		return nil, api.FieldInvalid("back_pay_limit", "补交期限应为1到12个月（规定一般不超过6个月）")
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		if in.OrgID == 0 {
			return api.FieldInvalid("org_id", "请选择组织")
		}
		o, err := findOrg(ctx, tx, in.OrgID, true)
		if err != nil {
			return err
		}
		_, _, before, err := settingsFor(ctx, tx, o.path)
		if err != nil {
			return err
		}
		if err := settingsTable.Save(ctx, tx, o.ID, principalName(ctx), in.DeductIncomeTax, in.DeductSocialInsurance,
			in.DeductHousingFund, in.AllowQuarterly, in.BackPayLimit, in.MemberReminders); err != nil {
			return err
		}
		in.OrgID = o.ID
		return audit.Record(ctx, tx, audit.Entry{Action: "dues.settings", Entity: "org", EntityID: itoa(o.ID),
			Summary: "修改“" + o.Name + "”的党费设置", Before: before, After: in})
	})
	if err != nil {
		return nil, err
	}
	return s.Settings(ctx, in.OrgID)
}

// Arrear is a member unpaid for several consecutive months, for the 收缴员 and the branch
// secretary.
type Arrear struct {
	Member   MemberRef `json:"member"`
	Months   int       `json:"months" doc:"截至上月连续未交的月数（只计应交大于0的月份）"`
	Since    Month     `json:"since" doc:"从哪个月起未交"`
	OwedFen  int64     `json:"owed_fen"`
	LastPaid Month     `json:"last_paid" doc:"最近交纳的月份；null 为从未交纳"`
	Level    int       `json:"level" doc:"3、5 或 6（连续6个月以上）"`
	Reminder string    `json:"reminder" doc:"给收缴员和支部书记的提醒"`
	RuleID   string    `json:"rule_id" doc:"适用的规则，见 rules"`
}

// ArrearsAnswer lists the members of a subtree unpaid for 3, 5, ≥6 consecutive months.
type ArrearsAnswer struct {
	Org         OrgRef                `json:"org"`
	AsOf        Month                 `json:"as_of" doc:"计算到哪个月（本月尚未结束，不计入）"`
	AddressedTo string                `json:"addressed_to"`
	Items       []Arrear              `json:"items" doc:"连续未交月数多的在前；分页"`
	Total       int                   `json:"total"`
	Page        int                   `json:"page"`
	PageSize    int                   `json:"page_size"`
	Rules       map[string]rules.Rule `json:"rules" doc:"各条提醒适用的规则（正文和依据）"`
	Counts      struct {
		Three int `json:"three"`
		Five  int `json:"five"`
		Six   int `json:"six"`
	} `json:"counts"`
	NoStandard int `json:"no_standard" doc:"本月还没有核定标准的党员人数"`
}

// arrearsWindow is how far back consecutive months are counted.
const arrearsWindow = 36

// runOf counts member m's consecutive unpaid months up to month last: months with nothing paid
// and a due above 0; months without a due (before joining, not a member, 免交, no standard) are
// skipped; a month with any payment ends the run.
func (b *book) runOf(m *memberInfo, last Month, window int) (run int, since Month, owed int64, lastPaid Month) {
	joined := MonthOf(m.JoinedOn)
	for i := 0; i < window; i++ {
		mo := last.Add(-i)
		if mo.Before(joined) {
			break
		}
		if b.paid[m.ID][mo] > 0 {
			lastPaid = mo
			break
		}
		due := b.due(m, mo)
		if due == nil || *due == 0 {
			continue
		}
		run++
		since = mo
		owed += *due
	}
	return
}

// Arrears lists the members of the subtree under orgID who have not paid for 3 or more
// consecutive months, counted to last month.
func (s *Store) Arrears(ctx context.Context, orgID int64, page api.Paging) (*ArrearsAnswer, error) {
	o, err := findOrg(ctx, s.db, orgID, false)
	if err != nil {
		return nil, err
	}
	cur := s.thisMonth()
	last := cur.Add(-1)
	where, args := access.Filter(ctx, "m.org_path", access.OrgRead)
	b, err := loadBook(ctx, s.db, `m.org_path LIKE ? AND m.status = 'normal' AND `+where, append([]any{o.path + "%"}, args...),
		last.Add(-arrearsWindow), cur, false)
	if err != nil {
		return nil, err
	}
	six, remind := rules.Get("dues.six_months"), rules.Get("dues.arrears.remind")
	out := &ArrearsAnswer{Org: *o, AsOf: last, Items: []Arrear{}, AddressedTo: "本支部党费收缴员、党支部书记",
		Page: page.Page, PageSize: page.Size, Rules: map[string]rules.Rule{six.ID: six, remind.ID: remind}}
	for _, m := range b.members {
		if ok, _ := m.dueIn(cur); ok && inForce(b.standards[m.ID], cur) == nil {
			out.NoStandard++
		}
		run, since, owed, lastPaid := b.runOf(m, last, arrearsWindow)
		if run < remind.Value {
			continue
		}
		a := Arrear{Member: *m, Months: run, Since: since, OwedFen: owed, LastPaid: lastPaid}
		switch {
		case run >= six.Value:
			a.Level, a.RuleID = 6, six.ID
			a.Reminder = fmt.Sprintf("%s自%s起已连续%d个月未交纳党费（欠交 %s）。请党支部书记、党费收缴员尽快与本人谈话，核实有无正当理由，按党章第九条的规定和程序研究处理。",
				m.Name, since.Label(), run, yuanText(owed))
			out.Counts.Six++
		case run >= 5:
			a.Level, a.RuleID = 5, remind.ID
			a.Reminder = fmt.Sprintf("%s已连续%d个月未交纳党费（欠交 %s），再有%d个月即满6个月，请及时了解情况、提醒交纳。", m.Name, run, yuanText(owed), six.Value-run)
			out.Counts.Five++
		default:
			a.Level, a.RuleID = 3, remind.ID
			a.Reminder = fmt.Sprintf("%s已连续%d个月未交纳党费（欠交 %s），请了解情况、提醒交纳。", m.Name, run, yuanText(owed))
			out.Counts.Three++
		}
		out.Items = append(out.Items, a)
	}
	sort.SliceStable(out.Items, func(i, j int) bool { return out.Items[i].Months > out.Items[j].Months })
	out.Total = len(out.Items)
	start := min(page.Offset(), len(out.Items))
	out.Items = out.Items[start:min(start+page.Size, len(out.Items))]
	return out, nil
}
