package member

import (
	"context"
	"strings"

	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
)

// The member-level acts of 发展党员 (internal/development) after the record exists: 转正 and
// 取消预备党员资格, each inside the caller's transaction. CancelProbationTx is the minimal
// procedure the development flow needs; the general 党籍 procedures (package standing) may
// absorb it.

// CodesTx reads the effective code tables inside q (a caller's transaction).
func CodesTx(ctx context.Context, q db.Querier) (*Codes, error) { return loadCodes(ctx, q) }

// ConfirmFullTx records 转为正式党员 on a 预备党员's record: its 转为正式党员日期 becomes fullOn
// (预备期满之日), so its 人员类别 turns 正式党员 and the roll-ups move it. It is audited as
// member.full; the member counted before and still counts, so no ledger row is written.
func (s *Store) ConfirmFullTx(ctx context.Context, tx *db.Tx, id int64, fullOn civil.Date) error {
	r, err := s.findWritable(ctx, tx, id)
	if err != nil {
		return err
	}
	switch {
	case r.Status != StatusNormal:
		return api.Conflict("党员“" + r.Name + "”党籍状态不是正常，不能转为正式党员")
	case !r.FullOn.IsZero():
		return api.Conflict("党员“" + r.Name + "”已是正式党员（" + r.FullOn.String() + " 转正）")
	}
	_, err = s.update(ctx, tx, r, func(in *Input) { in.FullOn = fullOn }, "member.full", "转为正式党员：")
	return err
}

// CancelProbation is a 取消预备党员资格 decided by the 支部大会 and approved by the 上级党委.
type CancelProbation struct {
	On         civil.Date // the day the 上级党委 approved it
	Reason     string
	ApprovedBy string // 批准机关
	Document   string // 文件名称和文号
	Ref        string // the act behind it, e.g. "development:3"
}

// CancelProbationTx makes a 预备党员 leave through the one 党籍 write (ApplyStatus): 党籍状态
// left, a member_status_changes row of kind cancel_probation, the ledger row
// EventCancelProbation from where they counted, the counts and the audit entry.
func (s *Store) CancelProbationTx(ctx context.Context, tx *db.Tx, id int64, c CancelProbation) error {
	m, err := s.WritableSubject(ctx, tx, id)
	if err != nil {
		return err
	}
	switch {
	case m.Status != StatusNormal:
		return api.Conflict("党员“" + m.Name + "”党籍状态不是正常，不能取消预备党员资格")
	case !m.FullOn.IsZero():
		return api.Conflict("“" + m.Name + "”已是正式党员，不能取消预备党员资格")
	case c.On.IsZero() || c.On.After(s.Today()):
		return api.FieldInvalid("on", "取消预备党员资格的日期不能为空或晚于今天")
	}
	reason := strings.TrimSpace(c.Reason)
	if reason == "" {
		reason = "取消预备党员资格"
	}
	return s.ApplyStatus(ctx, tx, m, StatusAct{Kind: string(EventCancelProbation), KindName: "取消预备党员资格", To: StatusLeft, On: c.On,
		Reason: reason, ApprovedBy: c.ApprovedBy, Document: c.Document, Event: EventCancelProbation, Ref: c.Ref})
}
