package dues

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/rules"
)

// centreFen is 一次多交1000元以上 (dues.voluntary_centre), in 分.
func centreFen() int64 { return int64(rules.Get("dues.voluntary_centre").Value) * 100 }

// PaymentInput records what one member paid, for one month or several.
type PaymentInput struct {
	MemberID int64   `json:"member_id"`
	Months   []Month `json:"months" doc:"交纳哪些月份（YYYY-MM）；按季度交纳时可含本季度以后的月份"`
	Kind     string  `json:"kind" doc:"payment 按标准交纳（默认）、voluntary 自愿多交、correction 更正（已结账月份的补录，须写明原因）"`
	// AmountFen is the amount for a single month; absent for payment means the month's balance.
	AmountFen    *int64     `json:"amount_fen" doc:"金额（分）：只交一个月时可填；不填为该月未交清的数额。自愿多交、更正必填"`
	PaidOn       civil.Date `json:"paid_on" doc:"交纳日期；不填为今天"`
	Method       string     `json:"method" doc:"cash 现金、transfer 转账、online 网上交纳"`
	Payer        string     `json:"payer" doc:"受委托代交的人；本人交纳不填"`
	ReceiptNo    string     `json:"receipt_no" doc:"收据号或银行、复兴壹号的流水号"`
	ApprovalNote string     `json:"approval_note" doc:"补交超过期限的月份：批准情况"`
	Note         string     `json:"note"`
	source       string
}

// PaymentResult is what was recorded.
type PaymentResult struct {
	Entries  []Payment `json:"entries"`
	TotalFen int64     `json:"total_fen"`
	ToCentre bool      `json:"to_centre" doc:"含一次多交1000元以上的党费：全部上缴中央"`
	Notice   string    `json:"notice"`
}

// CorrectInput is a correction or refund of an entry: a new entry, never an edit.
type CorrectInput struct {
	Kind      string     `json:"kind" doc:"correction 更正（金额可正可负）或 refund 退还（填退还的数额）"`
	AmountFen int64      `json:"amount_fen" doc:"更正：增减的数额（分，负数为减少）；退还：退还的数额（正数）"`
	PaidOn    civil.Date `json:"paid_on" doc:"更正或退还日期；不填为今天"`
	Method    string     `json:"method" doc:"不填沿用原记录"`
	ReceiptNo string     `json:"receipt_no"`
	Note      string     `json:"note" doc:"原因（必填）"`
}

func checkText(f *api.Fields, field, v string, max int, label string) {
	if utf8.RuneCountInString(v) > max {
		f.Add(field, fmt.Sprintf("%s最长%d字", label, max))
	}
}

// Pay records a payment; all months are checked first and nothing is saved if one is refused.
func (s *Store) Pay(ctx context.Context, in PaymentInput) (*PaymentResult, error) {
	var res *PaymentResult
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		m, err := findMember(ctx, tx, in.MemberID, true)
		if err != nil {
			if in.MemberID == 0 {
				return api.FieldInvalid("member_id", "请选择党员")
			}
			return err
		}
		r, err := s.pay(ctx, tx, m, in)
		if err != nil {
			return err
		}
		res = r
		months := make([]string, len(r.Entries))
		for i, e := range r.Entries {
			months[i] = e.Month.Label()
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "dues.payment", Entity: "member", EntityID: itoa(m.ID),
			Summary: fmt.Sprintf("登记党员“%s”%s%s：%s，合计 %s", m.Name, kindNames[r.Entries[0].Kind], methodNames[r.Entries[0].Method],
				strings.Join(months, "、"), yuanText(r.TotalFen)),
			After: r.Entries})
	})
	return res, err
}

// pay validates and records one member's payment inside tx.
func (s *Store) pay(ctx context.Context, tx *db.Tx, m *memberInfo, in PaymentInput) (*PaymentResult, error) {
	var f api.Fields
	in.Payer, in.ReceiptNo = strings.TrimSpace(in.Payer), strings.TrimSpace(in.ReceiptNo)
	in.ApprovalNote, in.Note = strings.TrimSpace(in.ApprovalNote), strings.TrimSpace(in.Note)
	if in.Kind == "" {
		in.Kind = "payment"
	}
	today, cur := s.Today(), s.thisMonth()
	if in.PaidOn.IsZero() {
		in.PaidOn = today
	}
	switch in.Kind {
	case "payment", "voluntary", "correction":
	default:
		f.Add("kind", "应为 payment（交纳）、voluntary（自愿多交）或 correction（更正）；退还请用“更正/退还”")
	}
	if methodNames[in.Method] == "" {
		f.Add("method", "请选择交纳方式：cash（现金）、transfer（转账）或 online（网上交纳）")
	}
	if in.PaidOn.After(today) {
		f.Add("paid_on", "交纳日期不能晚于今天")
	}
	checkText(&f, "payer", in.Payer, 50, "代交人")
	checkText(&f, "receipt_no", in.ReceiptNo, 64, "收据号或流水号")
	checkText(&f, "approval_note", in.ApprovalNote, 200, "批准情况")
	checkText(&f, "note", in.Note, 200, "说明")
	seen := map[Month]bool{}
	var list []Month
	for i, mo := range in.Months {
		if mo.IsZero() {
			f.Add(fmt.Sprintf("months[%d]", i), "月份不能为空")
			continue
		}
		if !seen[mo] {
			seen[mo] = true
			list = append(list, mo)
		}
	}
	switch {
	case len(in.Months) == 0:
		f.Add("months", "请选择交纳哪个月的党费")
	case len(list) > 24:
		f.Add("months", "一次最多登记24个月")
	}
	if in.AmountFen != nil && len(list) > 1 {
		f.Add("amount_fen", "一次交纳多个月时按各月标准收齐，不能另填金额；金额不同的请逐月登记")
	}
	switch in.Kind {
	case "voluntary":
		if in.AmountFen == nil || *in.AmountFen <= 0 {
			f.Add("amount_fen", "请填写自愿多交的金额")
		}
	case "correction":
		if in.AmountFen == nil || *in.AmountFen == 0 {
			f.Add("amount_fen", "请填写更正的金额（负数为减少）")
		}
		if in.Note == "" {
			f.Add("note", "更正须写明原因")
		}
	case "payment":
		if in.AmountFen != nil && *in.AmountFen <= 0 {
			f.Add("amount_fen", "金额应大于0")
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	sort.Slice(list, func(i, j int) bool { return list[i] < list[j] })
	// The branch first, then the member, in every writer (month close locks the branch).
	if err := lockRow(ctx, tx, "orgs", m.OrgID); err != nil {
		return nil, err
	}
	if err := lockRow(ctx, tx, "members", m.ID); err != nil {
		return nil, err
	}
	settings, _, _, err := settingsFor(ctx, tx, m.path)
	if err != nil {
		return nil, err
	}
	b, err := loadBook(ctx, tx, "m.id = ?", []any{m.ID}, list[0], list[len(list)-1], false)
	if err != nil {
		return nil, err
	}
	if len(b.members) == 1 {
		m = b.members[0]
	}
	limit := settings.BackPayLimit
	type planned struct {
		mo    Month
		due   int64
		paid  int64
		centr bool
	}
	var plan []planned
	for i, mo := range list {
		field := fmt.Sprintf("months[%d]", i)
		st := b.state(m, mo)
		switch {
		case st.Reason == notDueBeforeJoining:
			f.Add(field, fmt.Sprintf("%s早于%s入党（支部大会通过）的当月%s，无需交纳党费（%s）", mo.Label(), m.Name,
				MonthOf(m.JoinedOn).Label(), rules.Get("dues.probationary").Source))
			continue
		case st.Reason == notDueNotMember:
			f.Add(field, fmt.Sprintf("%s%s已不是正常党籍（已出党、去世或停止党籍），不能登记交纳", mo.Label(), m.Name))
			continue
		}
		if mo.After(cur) {
			if !settings.AllowQuarterly {
				f.Add(field, fmt.Sprintf("%s还没到，不能预交；经党支部同意按季度交纳的，请先在党费设置中开启“允许按季度交纳”（%s）", mo.Label(), rules.Get("dues.monthly").Source))
				continue
			}
			if mo.Year() != cur.Year() || mo.Quarter() != cur.Quarter() {
				f.Add(field, fmt.Sprintf("按季度交纳只能预交本季度的月份，%s不在本季度", mo.Label()))
				continue
			}
		}
		if st.Closed && in.Kind != "correction" {
			f.Add(field, fmt.Sprintf("%s已结账，只能登记更正（kind=correction，写明原因，如“结账后补交”）", mo.Label()))
			continue
		}
		if in.Kind != "correction" && cur.Sub(mo) > limit && in.ApprovalNote == "" {
			f.Add(field, fmt.Sprintf("补交一般不超过%d个月：%s已超过%d个月，须写明批准情况（approval_note）", limit, mo.Label(), limit))
			continue
		}
		var due int64
		if st.DueFen != nil {
			due = *st.DueFen
		}
		p := planned{mo: mo, due: due}
		switch in.Kind {
		case "payment":
			if st.DueFen == nil {
				f.Add(field, fmt.Sprintf("%s%s还没有核定党费标准，请先核定标准", m.Name, mo.Label()))
				continue
			}
			balance := due - st.PaidFen
			if due == 0 {
				f.Add(field, fmt.Sprintf("%s%s经批准免交，无需交纳；自愿交纳的请选“自愿多交”", m.Name, mo.Label()))
				continue
			}
			if balance <= 0 {
				f.Add(field, fmt.Sprintf("%s%s的党费已交清（应交 %s，已交 %s），不能重复交纳；自愿多交的请选“自愿多交”",
					m.Name, mo.Label(), yuanText(due), yuanText(st.PaidFen)))
				continue
			}
			p.paid = balance
			if in.AmountFen != nil {
				p.paid = *in.AmountFen
			}
			// 多交 over the balance counts as a voluntary extra (dues.voluntary_centre).
			p.centr = p.paid-balance >= centreFen()
		case "voluntary":
			p.paid = *in.AmountFen
			p.centr = p.paid >= centreFen()
		case "correction":
			p.paid = *in.AmountFen
			if st.PaidFen+p.paid < 0 {
				f.Add("amount_fen", fmt.Sprintf("更正后%s的实交为负数（现已交 %s）", mo.Label(), yuanText(st.PaidFen)))
				continue
			}
		}
		plan = append(plan, p)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	source := in.source
	if source == "" {
		source = "manual"
	}
	res := &PaymentResult{Entries: []Payment{}}
	now := time.Now().UTC()
	for _, p := range plan {
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO dues_payments (member_id, org_id, org_path, month, due_fen, paid_fen, paid_on, method, payer,
			receipt_no, kind, to_centre, approval_note, source, note, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			m.ID, m.OrgID, m.path, p.mo, p.due, p.paid, in.PaidOn, in.Method, in.Payer, in.ReceiptNo, in.Kind, p.centr,
			in.ApprovalNote, source, in.Note, principalName(ctx), now).Scan(&id); err != nil {
			return nil, err
		}
		e, err := loadPayment(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		res.Entries = append(res.Entries, *e)
		res.TotalFen += p.paid
		res.ToCentre = res.ToCentre || p.centr
	}
	if res.ToCentre {
		res.Notice = rules.Get("dues.voluntary_centre").Text
	}
	return res, nil
}

func loadPayment(ctx context.Context, q db.Querier, id int64) (*Payment, error) {
	p, err := scanPayment(q.QueryRow(ctx, `SELECT `+paymentCols+` FROM dues_payments p JOIN members m ON m.id = p.member_id WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, api.NotFound("交纳记录不存在，或不在您的管理范围内")
	}
	return p, err
}

// Correct records a correction or refund of entry id as a new entry for the same member and
// month, in the books of the entry's branch; the entry itself never changes.
func (s *Store) Correct(ctx context.Context, id int64, in CorrectInput) (*Payment, error) {
	in.Note, in.ReceiptNo = strings.TrimSpace(in.Note), strings.TrimSpace(in.ReceiptNo)
	var out *Payment
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var path string
		if err := tx.QueryRow(ctx, `SELECT org_path FROM dues_payments WHERE id = ?`, id).Scan(&path); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return api.NotFound("交纳记录不存在，或不在您的管理范围内")
			}
			return err
		}
		if !access.Covers(ctx, access.OrgRead, path) {
			return api.NotFound("交纳记录不存在，或不在您的管理范围内")
		}
		if !access.Covers(ctx, access.OrgWrite, path) {
			return api.Forbidden("您对该交纳记录所在的党支部只有查看权限")
		}
		orig, err := loadPayment(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := lockRow(ctx, tx, "orgs", orig.OrgID); err != nil {
			return err
		}
		if err := lockRow(ctx, tx, "members", orig.MemberID); err != nil {
			return err
		}
		var f api.Fields
		delta := in.AmountFen
		switch in.Kind {
		case "correction":
			if delta == 0 {
				f.Add("amount_fen", "请填写更正的金额（负数为减少）")
			}
		case "refund":
			if delta <= 0 {
				f.Add("amount_fen", "请填写退还的数额（正数）")
			}
			delta = -delta
		default:
			f.Add("kind", "应为 correction（更正）或 refund（退还）")
		}
		if in.Note == "" {
			f.Add("note", "请写明更正或退还的原因")
		}
		checkText(&f, "note", in.Note, 200, "原因")
		checkText(&f, "receipt_no", in.ReceiptNo, 64, "收据号或流水号")
		if in.PaidOn.IsZero() {
			in.PaidOn = s.Today()
		} else if in.PaidOn.After(s.Today()) {
			f.Add("paid_on", "日期不能晚于今天")
		}
		method := orig.Method
		if in.Method != "" {
			if methodNames[in.Method] == "" {
				f.Add("method", "应为 cash、transfer 或 online")
			}
			method = in.Method
		}
		if err := f.Err(); err != nil {
			return err
		}
		var net int64
		if err := tx.QueryRow(ctx, `SELECT COALESCE(SUM(paid_fen), 0) FROM dues_payments WHERE member_id = ? AND month = ?`, orig.MemberID, orig.Month).Scan(&net); err != nil {
			return err
		}
		if net+delta < 0 {
			return api.FieldInvalid("amount_fen", fmt.Sprintf("%s已交 %s，更正或退还后不能为负数", orig.Month.Label(), yuanText(net)))
		}
		receipt := in.ReceiptNo
		if receipt == "" {
			receipt = orig.ReceiptNo
		}
		var nid int64
		if err := tx.QueryRow(ctx, `INSERT INTO dues_payments (member_id, org_id, org_path, month, due_fen, paid_fen, paid_on, method, payer,
			receipt_no, kind, corrects_id, to_centre, approval_note, source, note, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 'manual', ?, ?, ?) RETURNING id`,
			orig.MemberID, orig.OrgID, path, orig.Month, orig.DueFen, delta, in.PaidOn, method, orig.Payer, receipt, in.Kind, orig.ID,
			orig.ToCentre && delta > 0, in.Note, principalName(ctx), time.Now().UTC()).Scan(&nid); err != nil {
			return err
		}
		if out, err = loadPayment(ctx, tx, nid); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "dues.correct", Entity: "dues_payment", EntityID: itoa(orig.ID),
			Summary: fmt.Sprintf("%s党员“%s”%s的交纳记录（第%d号）：%s，%s", kindNames[in.Kind], orig.MemberName, orig.Month.Label(), orig.ID,
				yuanText(delta), in.Note),
			Before: orig, After: out})
	})
	return out, err
}
