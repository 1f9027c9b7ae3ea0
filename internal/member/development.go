package member

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/org"
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

// CancelProbationTx makes a 预备党员 leave: 党籍状态 left, a member_status_changes row of kind
// cancel_probation and a ledger row member.EventCancelProbation from where they counted.
func (s *Store) CancelProbationTx(ctx context.Context, tx *db.Tx, id int64, c CancelProbation) error {
	r, err := s.findWritable(ctx, tx, id)
	if err != nil {
		return err
	}
	switch {
	case r.Status != StatusNormal:
		return api.Conflict("党员“" + r.Name + "”党籍状态不是正常，不能取消预备党员资格")
	case !r.FullOn.IsZero():
		return api.Conflict("“" + r.Name + "”已是正式党员，不能取消预备党员资格")
	case c.On.IsZero() || c.On.After(s.Today()):
		return api.FieldInvalid("on", "取消预备党员资格的日期不能为空或晚于今天")
	}
	before, err := s.fill(r, DefaultCodes, false)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	reason := strings.TrimSpace(c.Reason)
	if reason == "" {
		reason = "取消预备党员资格"
	}
	if _, err := tx.Exec(ctx, `INSERT INTO member_status_changes (member_id, changed_on, from_status, to_status, reason, approved_by, username, created_at, kind, document)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, c.On, r.Status, StatusLeft, reason, c.ApprovedBy, principalName(ctx), now,
		string(EventCancelProbation), c.Document); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE members SET status = ?, status_on = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
		StatusLeft, c.On, now, id); err != nil {
		return err
	}
	if err := RecordEvent(ctx, tx, Event{MemberID: id, On: c.On, Kind: EventCancelProbation, FromPath: r.path, Ref: c.Ref}); err != nil {
		return err
	}
	if err := org.RecountMembers(ctx, tx, r.OrgID); err != nil {
		return err
	}
	after, err := s.masked(ctx, tx, id)
	if err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Entry{Action: "member.cancel_probation", Entity: "member", EntityID: strconv.FormatInt(id, 10),
		Summary: fmt.Sprintf("取消“%s”的预备党员资格（%s，%s批准）", r.Name, c.On, c.ApprovedBy), Before: before, After: after})
}
