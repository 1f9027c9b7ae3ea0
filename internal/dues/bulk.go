package dues

import (
	"context"
	"fmt"
	"time"

	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
)

// History is one member's past dues books to load: the standard in force from a month, and
// the months paid in full, each on its day.
type History struct {
	MemberID int64
	Standard StandardInput
	Paid     []PaidMonth
}

// PaidMonth is one month paid in full at its due.
type PaidMonth struct {
	Month     Month
	PaidOn    civil.Date
	Method    string // cash, transfer, online
	ReceiptNo string
}

// LoadHistory loads the past books of members of one 党支部 in one transaction: for taking
// over paper books, and for demo data. Each standard goes through the checks SetStandard makes;
// each month paid is checked as Pay checks a payment made on its day (the member owed dues that
// month under a standard, it was not paid yet nor closed, it was not paid ahead, and a 补交
// within the back-pay limit of that day) and recorded at the month's due. The first refused
// entry stops the load and nothing is saved; one audit entry says what was loaded. Returns the
// standards and payment entries recorded.
func (s *Store) LoadHistory(ctx context.Context, branchID int64, list []History) (standards, payments int, err error) {
	if len(list) == 0 {
		return 0, 0, nil
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		br, err := findBranch(ctx, tx, branchID, true, "org_id")
		if err != nil {
			return err
		}
		if err := lockRow(ctx, tx, "orgs", br.ID); err != nil {
			return err
		}
		members := map[int64]*memberInfo{}
		var from, to Month
		for i, h := range list {
			m, err := findMember(ctx, tx, h.MemberID, true)
			if err != nil {
				return fmt.Errorf("第 %d 名党员（编号 %d）：%w", i+1, h.MemberID, err)
			}
			if m.OrgID != br.ID {
				return fmt.Errorf("第 %d 名党员%s：%w", i+1, m.Name, api.FieldInvalid("member_id", "不是“"+br.Name+"”的党员"))
			}
			if members[m.ID] != nil {
				return fmt.Errorf("第 %d 名党员%s：%w", i+1, m.Name, api.FieldInvalid("member_id", "重复出现"))
			}
			members[m.ID] = m
			if h.Standard.source == "" {
				h.Standard.source = "import"
			}
			if _, err := s.setStandard(ctx, tx, m, h.Standard); err != nil {
				return fmt.Errorf("%s的党费标准：%w", m.Name, err)
			}
			standards++
			for _, p := range h.Paid {
				if from.IsZero() || p.Month.Before(from) {
					from = p.Month
				}
				if to.IsZero() || p.Month.After(to) {
					to = p.Month
				}
			}
		}
		if from.IsZero() {
			return s.auditLoad(ctx, tx, br, standards, 0)
		}
		settings, _, _, err := settingsFor(ctx, tx, br.path)
		if err != nil {
			return err
		}
		b, err := loadBook(ctx, tx, "m.org_id = ?", []any{br.ID}, from, to, false)
		if err != nil {
			return err
		}
		byID := make(map[int64]*memberInfo, len(b.members))
		for _, m := range b.members {
			byID[m.ID] = m
		}
		stmt, err := tx.Prepare(ctx, `INSERT INTO dues_payments (member_id, org_id, org_path, month, due_fen, paid_fen, paid_on, method, payer,
			receipt_no, kind, to_centre, approval_note, source, note, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', ?, 'payment', FALSE, '', 'import', '', ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		today, now, by := s.Today(), time.Now().UTC(), principalName(ctx)
		for _, h := range list {
			m := byID[h.MemberID]
			for _, p := range h.Paid {
				st := b.state(m, p.Month)
				var f api.Fields
				paidIn := MonthOf(p.PaidOn)
				switch {
				case p.PaidOn.IsZero() || p.PaidOn.After(today):
					f.Add("paid_on", "交纳日期应在今天或以前")
				case methodNames[p.Method] == "":
					f.Add("method", "交纳方式应为 cash、transfer 或 online")
				case st.Reason != "":
					f.Add("months", p.Month.Label()+"无需交纳党费（入党前或党籍不正常）")
				case st.DueFen == nil:
					f.Add("months", p.Month.Label()+"没有核定党费标准")
				case *st.DueFen == 0:
					f.Add("months", p.Month.Label()+"经批准免交")
				case st.PaidFen >= *st.DueFen:
					f.Add("months", p.Month.Label()+"的党费已交清，不能重复交纳")
				case st.Closed:
					f.Add("months", p.Month.Label()+"已结账")
				case p.Month.After(paidIn):
					f.Add("months", fmt.Sprintf("%s交纳%s的党费是预交", p.PaidOn, p.Month.Label()))
				case paidIn.Sub(p.Month) > settings.BackPayLimit:
					f.Add("months", fmt.Sprintf("%s补交%s超过%d个月的补交期限", p.PaidOn, p.Month.Label(), settings.BackPayLimit))
				}
				if err := f.Err(); err != nil {
					return fmt.Errorf("%s %s：%w", m.Name, p.Month.Label(), err)
				}
				fen := *st.DueFen - st.PaidFen
				if _, err := stmt.ExecContext(ctx, m.ID, m.OrgID, m.path, p.Month, *st.DueFen, fen, p.PaidOn, p.Method, p.ReceiptNo, by, now); err != nil {
					return err
				}
				b.addPaid(m.ID, p.Month, fen)
				payments++
			}
		}
		return s.auditLoad(ctx, tx, br, standards, payments)
	})
	if err != nil {
		return 0, 0, err
	}
	return standards, payments, nil
}

func (s *Store) auditLoad(ctx context.Context, tx *db.Tx, br *OrgRef, standards, payments int) error {
	return audit.Record(ctx, tx, audit.Entry{Action: "dues.load", Entity: "org", EntityID: itoa(br.ID),
		Summary: fmt.Sprintf("%s：批量录入党费标准 %d 人、交纳记录 %d 条", br.Name, standards, payments)})
}
