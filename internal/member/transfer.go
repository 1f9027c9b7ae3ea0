package member

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/org"
)

// The member side of 组织关系转接 (internal/transfer). The helpers here run inside the
// transfer's transaction and check no scope themselves: the transfer package decides who may
// act (the sender on the member's branch, the receiver on the destination), because the
// receiving organisation accepts a member from outside its own subtree and the sending one
// issues a letter to a branch outside its own.

// StatusTransferred is 已转出: the member's relation went to an organisation outside the
// system (the 回执 came back). The member is no longer counted anywhere in the system; the
// record stays, and comes back to life if the member returns (ReactivateTx).
const StatusTransferred Status = "transferred"

// Transferee is a member as a transfer needs them: where they are and what the letter prints.
type Transferee struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	Gender    string     `json:"gender"`
	Ethnicity string     `json:"ethnicity"`
	BirthDate civil.Date `json:"birth_date"`
	Category  Category   `json:"category"`
	IDMask    string     `json:"id_mask"`
	Status    Status     `json:"status"`
	OrgID     int64      `json:"org_id"`
	OrgName   string     `json:"org_name"`
	Path      string     `json:"-"`
}

// TransfereeTx loads a member for a transfer, without a scope check.
func (s *Store) TransfereeTx(ctx context.Context, q db.Querier, id int64) (*Transferee, error) {
	r, err := load(ctx, q, id)
	if err != nil {
		return nil, err
	}
	sub := &Transferee{ID: r.ID, Name: r.Name, Gender: r.Gender, Ethnicity: r.Ethnicity, BirthDate: r.BirthDate, Category: CategoryProbationary,
		IDMask: r.idMask, Status: r.Status, OrgID: r.OrgID, OrgName: r.OrgName, Path: r.path}
	if !r.FullOn.IsZero() {
		sub.Category = CategoryFull
	}
	return sub, nil
}

// Branch is a 党支部 a member may be transferred into.
type Branch struct {
	ID           int64
	Name         string
	Path         string
	DivisionCode string
	code         string
	typ          org.Type
}

// TransferBranch resolves the 党支部 of org id for a transfer, anywhere in the system (a 党小组
// resolves to its branch); msg says why it cannot receive members.
func TransferBranch(ctx context.Context, q db.Querier, id int64) (*Branch, string, error) {
	b, why, err := findBranch(ctx, q, id)
	switch {
	case err != nil:
		return nil, "", err
	case why == branchMissing:
		return nil, "转入的党支部不存在", nil
	case why == branchNotBranch:
		return nil, "组织关系应转入党支部（联合党支部、临时党支部），而“" + b.Name + "”是" + b.typ.Name(), nil
	case why == branchDissolved:
		return nil, "“" + b.Name + "”已撤销，不能接收党员", nil
	}
	return b, "", nil
}

// transferHistory writes a member's 组织关系变动 history row.
func transferHistory(ctx context.Context, tx *db.Tx, id int64, on civil.Date, detail string, now time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO member_history (member_id, kind, started_on, title, detail, created_at) VALUES (?, 'transfer', ?, ?, ?, ?)`,
		id, on, "组织关系转接", detail, now)
	return err
}

func (s *Store) recordStatus(ctx context.Context, tx *db.Tx, id int64, on civil.Date, from, to Status, reason string, now time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO member_status_changes (member_id, changed_on, from_status, to_status, reason, approved_by, username, created_at, kind)
		VALUES (?, ?, ?, ?, ?, '', ?, ?, 'transfer')`, id, on, from, to, reason, principalName(ctx), now)
	return err
}

// TransferTx moves a member into the branch toOrg as the receiving side of an accepted
// transfer: org and path change, a 组织关系变动 history row, the ledger row (transfer, from the
// old path to the new), both branches' counts and their ancestors', and the audit entry. The
// destination's write scope is not checked: the receiver accepted.
func (s *Store) TransferTx(ctx context.Context, tx *db.Tx, id, toOrg int64, on civil.Date, ref, note string) (fromPath, toPath string, err error) {
	r, err := load(ctx, tx, id)
	if err != nil {
		return "", "", err
	}
	to, msg, err := TransferBranch(ctx, tx, toOrg)
	if err != nil {
		return "", "", err
	}
	if msg != "" {
		return "", "", api.FieldInvalid("to_org_id", msg)
	}
	if r.OrgID == to.ID {
		return "", "", api.FieldInvalid("to_org_id", "党员已在“"+to.Name+"”")
	}
	detail, err := moveTx(ctx, tx, r, to.ID, to.Name, to.Path, on, note, ref, time.Now().UTC())
	if err != nil {
		return "", "", err
	}
	if err := org.RecountMembers(ctx, tx, r.OrgID, to.ID); err != nil {
		return "", "", err
	}
	return r.path, to.Path, audit.Record(ctx, tx, audit.Entry{Action: "member.transfer", Entity: "member", EntityID: strconv.FormatInt(id, 10),
		Summary: fmt.Sprintf("党员“%s”组织关系%s（%s）", r.Name, detail, on), Before: map[string]any{"org_id": r.OrgID}, After: map[string]any{"org_id": to.ID, "ref": ref}})
}

// TransferOutTx takes a member off the roster when the 回执 of a transfer to outside the
// system came back: 党籍状态 已转出, the ledger row from their path to "", counts, audit.
func (s *Store) TransferOutTx(ctx context.Context, tx *db.Tx, id int64, on civil.Date, ref, toName string) (fromPath string, err error) {
	r, err := load(ctx, tx, id)
	if err != nil {
		return "", err
	}
	if r.Status != StatusNormal {
		return "", api.Conflict("党员“" + r.Name + "”的党籍状态已不是“正常”，不能转出")
	}
	now := time.Now().UTC()
	reason := "组织关系转出至系统外：" + toName
	if err := s.recordStatus(ctx, tx, id, on, r.Status, StatusTransferred, reason, now); err != nil {
		return "", err
	}
	if _, err := tx.Exec(ctx, `UPDATE members SET status = ?, status_on = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
		StatusTransferred, on, now, id); err != nil {
		return "", err
	}
	if err := transferHistory(ctx, tx, id, on, "由“"+r.OrgName+"”转出至“"+toName+"”（系统外）", now); err != nil {
		return "", err
	}
	if err := RecordEvent(ctx, tx, Event{MemberID: id, On: on, Kind: EventTransfer, FromPath: r.path, ToPath: "", Ref: ref}); err != nil {
		return "", err
	}
	if err := org.RecountMembers(ctx, tx, r.OrgID); err != nil {
		return "", err
	}
	return r.path, audit.Record(ctx, tx, audit.Entry{Action: "member.transfer_out", Entity: "member", EntityID: strconv.FormatInt(id, 10),
		Summary: fmt.Sprintf("党员“%s”组织关系由“%s”转出至系统外“%s”（%s）", r.Name, r.OrgName, toName, on),
		Before:  map[string]any{"status": r.Status, "org_id": r.OrgID}, After: map[string]any{"status": StatusTransferred, "ref": ref}})
}

// FindTransferredTx finds the record of a member who once transferred out of the system, by
// 公民身份号码; ok is false when there is none. A record with any other status is reported as
// other (the number is taken).
func (s *Store) FindTransferredTx(ctx context.Context, tx *db.Tx, idNumber string) (id int64, ok, other bool, err error) {
	var status Status
	err = tx.QueryRow(ctx, `SELECT id, status FROM members WHERE id_hash = ?`, s.key.Hash(NormalizeID(idNumber))).Scan(&id, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, false, nil
	}
	if err != nil {
		return 0, false, false, err
	}
	return id, status == StatusTransferred, status != StatusTransferred, nil
}

// ReactivateTx brings back a member who had transferred out of the system and now transfers
// in again: moved into toOrg, 党籍状态 正常, the ledger row from "" to the new path. The branch's
// write scope is checked by the caller (it registers the incoming letter).
func (s *Store) ReactivateTx(ctx context.Context, tx *db.Tx, id, toOrg int64, on civil.Date, ref, fromName string) error {
	r, err := load(ctx, tx, id)
	if err != nil {
		return err
	}
	if r.Status != StatusTransferred {
		return api.Conflict("党员“" + r.Name + "”不是“已转出”状态")
	}
	to, msg, err := TransferBranch(ctx, tx, toOrg)
	if err != nil {
		return err
	}
	if msg != "" {
		return api.FieldInvalid("to_org_id", msg)
	}
	now := time.Now().UTC()
	if err := s.recordStatus(ctx, tx, id, on, r.Status, StatusNormal, "由系统外“"+fromName+"”转回", now); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE members SET org_id = ?, org_path = ?, status = ?, status_on = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
		to.ID, to.Path, StatusNormal, on, now, id); err != nil {
		return err
	}
	if err := transferHistory(ctx, tx, id, on, "由系统外“"+fromName+"”转入“"+to.Name+"”", now); err != nil {
		return err
	}
	if err := RecordEvent(ctx, tx, Event{MemberID: id, On: on, Kind: EventTransfer, FromPath: "", ToPath: to.Path, Ref: ref}); err != nil {
		return err
	}
	if err := org.RecountMembers(ctx, tx, r.OrgID, to.ID); err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Entry{Action: "member.transfer_in", Entity: "member", EntityID: strconv.FormatInt(id, 10),
		Summary: fmt.Sprintf("党员“%s”由系统外“%s”转回，编入“%s”（%s）", r.Name, fromName, to.Name, on),
		Before:  map[string]any{"status": r.Status, "org_id": r.OrgID}, After: map[string]any{"status": StatusNormal, "org_id": to.ID, "ref": ref}})
}

// RevealIDTx opens a member's 公民身份号码 for a printed letter and audits the full view as
// member.reveal, the way Get does. The caller checked pii.read on the letter's organisation.
func (s *Store) RevealIDTx(ctx context.Context, tx *db.Tx, id int64, how string) (string, error) {
	r, err := load(ctx, tx, id)
	if err != nil {
		return "", err
	}
	full, err := s.key.Open(r.idCipher)
	if err != nil {
		return "", err
	}
	return full, audit.Record(ctx, tx, audit.Entry{Action: "member.reveal", Entity: "member", EntityID: strconv.FormatInt(id, 10),
		Summary: fmt.Sprintf("%s查看党员“%s”的完整公民身份号码", how, r.Name), After: map[string]any{"member_id": id, "fields": []string{"id_number"}}})
}
