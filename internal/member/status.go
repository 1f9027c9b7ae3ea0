package member

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/org"
)

// The 党籍状态 changes only through the procedures of internal/standing (停止党籍, 恢复党籍,
// 重新入党, 出党 of each kind, 死亡), which check their rules and then call ApplyStatus here in
// their transaction: this file holds the write, the package standing the rules.

// StatusRecord is one past change of 党籍状态.
type StatusRecord struct {
	ID         int64      `json:"id"`
	On         civil.Date `json:"on"`
	Kind       string     `json:"kind" doc:"党籍变动方式（internal/standing 的程序，如 suspend、restore、expel）；早期记录可能为空"`
	From       Status     `json:"from"`
	To         Status     `json:"to"`
	FromName   string     `json:"from_name"`
	ToName     string     `json:"to_name"`
	Reason     string     `json:"reason"`
	ApprovedBy string     `json:"approved_by" doc:"批准机关"`
	Document   string     `json:"document" doc:"文件名称和文号"`
	Username   string     `json:"username"`
	CreatedAt  time.Time  `json:"created_at"`
}

func statusChanges(ctx context.Context, q db.Querier, id int64) ([]StatusRecord, error) {
	rows, err := q.Query(ctx, `SELECT id, changed_on, kind, from_status, to_status, reason, approved_by, document, username, created_at
		FROM member_status_changes WHERE member_id = ? ORDER BY changed_on, id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []StatusRecord{}
	for rows.Next() {
		var r StatusRecord
		if err := rows.Scan(&r.ID, &r.On, &r.Kind, &r.From, &r.To, &r.Reason, &r.ApprovedBy, &r.Document, &r.Username, &r.CreatedAt); err != nil {
			return nil, err
		}
		r.FromName, r.ToName = DefaultCodes.Name(KindStatus, string(r.From)), DefaultCodes.Name(KindStatus, string(r.To))
		out = append(out, r)
	}
	return out, rows.Err()
}

// StatusChanges lists a member's changes of 党籍状态, oldest first.
func (s *Store) StatusChanges(ctx context.Context, id int64) ([]StatusRecord, error) {
	if _, err := s.findReadable(ctx, s.db, id); err != nil {
		return nil, err
	}
	return statusChanges(ctx, s.db, id)
}

// Subject is a member as a procedure of 党籍管理 sees it.
type Subject struct {
	ID       int64
	Name     string
	OrgID    int64
	OrgName  string
	Path     string // the org path where the member counts while 党籍正常
	Status   Status
	StatusOn civil.Date
	JoinedOn civil.Date
	FullOn   civil.Date
	// Lost contact (失联), as registered.
	LostContact bool
	LostOn      civil.Date
	Version     int
}

func subjectOf(r *row) *Subject {
	return &Subject{ID: r.ID, Name: r.Name, OrgID: r.OrgID, OrgName: r.OrgName, Path: r.path, Status: r.Status, StatusOn: r.StatusOn,
		JoinedOn: r.JoinedOn, FullOn: r.FullOn, LostContact: r.LostContact, LostOn: r.LostOn, Version: r.Version}
}

// ReadSubject loads a member the caller may read (404 otherwise).
func (s *Store) ReadSubject(ctx context.Context, q db.Querier, id int64) (*Subject, error) {
	r, err := s.findReadable(ctx, q, id)
	if err != nil {
		return nil, err
	}
	return subjectOf(r), nil
}

// WritableSubject loads a member the caller may change (404 outside the read scope, 403 where
// they may only read).
func (s *Store) WritableSubject(ctx context.Context, tx *db.Tx, id int64) (*Subject, error) {
	r, err := s.findWritable(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	return subjectOf(r), nil
}

// StatusAct is a change of 党籍状态 that a procedure has checked.
type StatusAct struct {
	Kind       string // the procedure, e.g. "suspend"; written to member_status_changes.kind
	KindName   string // its name, for the audit summary
	To         Status
	On         civil.Date
	Reason     string
	ApprovedBy string
	Document   string
	// Event is the ledger row the act writes when the member's counting changes ("" none).
	Event EventKind
	// Rejoin sets a new 加入党组织日期 (On) and clears the 转为正式党员日期: 预备期 again.
	Rejoin bool
	// Ref names the act behind it in the ledger (e.g. "development:3"); default the status row.
	Ref string
}

// ApplyStatus writes a checked change of 党籍状态 in tx: the member_status_changes row, the
// member's status (and for 重新入党 the new dates), the org counts, the ledger row (from the
// member's path to "" when they stop counting, from "" back to it when they count again) and
// the audit entry. The caller (internal/standing) has loaded the member with WritableSubject in
// the same transaction and checked the rules.
func (s *Store) ApplyStatus(ctx context.Context, tx *db.Tx, m *Subject, act StatusAct) error {
	before, err := s.masked(ctx, tx, m.ID)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	var changeID int64
	if err := tx.QueryRow(ctx, `INSERT INTO member_status_changes (member_id, changed_on, kind, from_status, to_status, reason, approved_by, document, username, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, m.ID, act.On, act.Kind, m.Status, act.To, act.Reason, act.ApprovedBy, act.Document,
		principalName(ctx), now).Scan(&changeID); err != nil {
		return err
	}
	same := act.To == m.Status && !act.Rejoin // 出国（境）, 回国（境）: recorded, 党籍状态 unchanged
	if same {
		if _, err := tx.Exec(ctx, `UPDATE members SET updated_at = ?, version = version + 1 WHERE id = ?`, now, m.ID); err != nil {
			return err
		}
	} else if act.Rejoin {
		if _, err := tx.Exec(ctx, `UPDATE members SET status = ?, status_on = ?, joined_on = ?, full_on = NULL, updated_at = ?, version = version + 1 WHERE id = ?`,
			act.To, act.On, act.On, now, m.ID); err != nil {
			return err
		}
	} else if _, err := tx.Exec(ctx, `UPDATE members SET status = ?, status_on = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
		act.To, act.On, now, m.ID); err != nil {
		return err
	}
	if !same {
		if err := org.RecountMembers(ctx, tx, m.OrgID); err != nil {
			return err
		}
	}
	wasCounted, counts := m.Status == StatusNormal, act.To == StatusNormal
	if act.Event != "" && wasCounted != counts {
		e := Event{MemberID: m.ID, On: act.On, Kind: act.Event, Ref: act.Ref}
		if e.Ref == "" {
			e.Ref = "status:" + strconv.FormatInt(changeID, 10)
		}
		if wasCounted {
			e.FromPath = m.Path
		} else {
			e.ToPath = m.Path
		}
		if err := RecordEvent(ctx, tx, e); err != nil {
			return err
		}
	}
	after, err := s.masked(ctx, tx, m.ID)
	if err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Entry{Action: "member.status", Entity: "member", EntityID: strconv.FormatInt(m.ID, 10),
		Summary: statusSummary(m.Name, act, before.StatusName, after.StatusName, same),
		Before:  before, After: map[string]any{"member": after, "kind": act.Kind, "on": act.On, "reason": act.Reason,
			"approved_by": act.ApprovedBy, "document": act.Document}})
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func statusSummary(name string, act StatusAct, from, to string, same bool) string {
	if same {
		return fmt.Sprintf("党员“%s”%s（%s，%s；批准机关：%s；文件：%s），党籍状态不变", name, act.KindName, act.On, act.Reason, dash(act.ApprovedBy), dash(act.Document))
	}
	return fmt.Sprintf("党员“%s”%s：党籍状态由“%s”变为“%s”（%s，%s；批准机关：%s；文件：%s）", name, act.KindName, from, to, act.On, act.Reason,
		dash(act.ApprovedBy), dash(act.Document))
}
