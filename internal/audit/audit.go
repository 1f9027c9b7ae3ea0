// Package audit keeps the audit log: every write (who, when, what, before and after) and every
// view of protected personal data, written in the same transaction as the change it records.
// The application only appends; the database refuses updates and deletes (see the migration).
// Only the 安全审计员 reads it.
package audit

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
)

// Entry is one audited act.
type Entry struct {
	Action   string // e.g. org.create, user.roles, auth.login_failed
	Entity   string // org, term, leader, user, settings, session
	EntityID string
	Summary  string // one line a person can read
	Before   any    // the record before the change, nil for creation
	After    any    // the record after, nil for deletion
	// Username overrides the acting user's name (failed logins have no principal).
	Username string
}

type clientKey struct{}

// WithClient remembers the client's address for the entries a request records.
func WithClient(ctx context.Context, ip string) context.Context {
	return context.WithValue(ctx, clientKey{}, ip)
}

// Record appends e inside tx, so the entry exists exactly when the change does.
func Record(ctx context.Context, tx *db.Tx, e Entry) error {
	var userID *int64
	username := e.Username
	if p := access.From(ctx); p != nil {
		if p.UserID != 0 {
			userID = &p.UserID
		}
		if username == "" {
			username = p.Username
		}
	}
	ip, _ := ctx.Value(clientKey{}).(string)
	before, err := marshal(e.Before)
	if err != nil {
		return err
	}
	after, err := marshal(e.After)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, summary, before_json, after_json, ip)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		time.Now().UTC(), userID, username, e.Action, e.Entity, e.EntityID, e.Summary, before, after, ip)
	return err
}

func marshal(v any) (*string, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	s := string(b)
	return &s, nil
}

// Item is an audit entry as the auditor reads it.
type Item struct {
	ID       int64           `json:"id"`
	At       time.Time       `json:"at"`
	Username string          `json:"username"`
	Action   string          `json:"action"`
	Entity   string          `json:"entity"`
	EntityID string          `json:"entity_id"`
	Summary  string          `json:"summary"`
	Before   json.RawMessage `json:"before"`
	After    json.RawMessage `json:"after"`
	IP       string          `json:"ip"`
}

// Filter narrows the log.
type Filter struct {
	Action, Username string
	From, To         civil.Date // days in China Standard Time, inclusive
}

// List reads the log, newest first. It needs audit.read; without it the answer is empty.
func List(ctx context.Context, d *db.DB, f Filter, page api.Paging) (api.List[Item], error) {
	out := api.List[Item]{Items: []Item{}, Page: page.Page, PageSize: page.Size}
	if !access.From(ctx).Can(access.AuditRead) {
		return out, nil
	}
	where := []string{"1=1"}
	var args []any
	if f.Action != "" {
		where = append(where, "action LIKE ?")
		args = append(args, f.Action+"%")
	}
	if f.Username != "" {
		where = append(where, "username = ?")
		args = append(args, f.Username)
	}
	cst := time.FixedZone("CST", 8*3600)
	if !f.From.IsZero() {
		t := f.From.Time()
		where = append(where, "at >= ?")
		args = append(args, time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, cst).UTC())
	}
	if !f.To.IsZero() {
		t := f.To.Time().AddDate(0, 0, 1)
		where = append(where, "at < ?")
		args = append(args, time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, cst).UTC())
	}
	cond := strings.Join(where, " AND ")
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE `+cond, args...).Scan(&out.Total); err != nil {
		return out, err
	}
	rows, err := d.Query(ctx, `SELECT id, at, username, action, entity, entity_id, summary, before_json, after_json, ip
		FROM audit_log WHERE `+cond+` ORDER BY id DESC LIMIT ? OFFSET ?`, append(args, page.Size, page.Offset())...)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var it Item
		var before, after *string
		if err := rows.Scan(&it.ID, &it.At, &it.Username, &it.Action, &it.Entity, &it.EntityID, &it.Summary, &before, &after, &it.IP); err != nil {
			return out, err
		}
		it.Before, it.After = raw(before), raw(after)
		out.Items = append(out.Items, it)
	}
	return out, rows.Err()
}

func raw(s *string) json.RawMessage {
	if s == nil {
		return json.RawMessage("null")
	}
	return json.RawMessage(*s)
}

// Register adds the audit endpoints.
func Register(r *api.Router, d *db.DB) {
	r.Handle(api.Route{Method: "GET", Path: "/api/v1/audit", Tag: "审计", Summary: "查阅审计日志（仅安全审计员）",
		Perms: []access.Perm{access.AuditRead}, Response: api.List[Item]{},
		Query: append([]api.Param{
			api.QString("action", "操作（前缀匹配，如 org.）"), api.QString("username", "操作人"),
			api.QString("from", "起始日期 YYYY-MM-DD"), api.QString("to", "截止日期 YYYY-MM-DD"),
		}, api.PageParams...)},
		func(w http.ResponseWriter, r *http.Request) error {
			page, err := api.PageOf(r)
			if err != nil {
				return err
			}
			q := r.URL.Query()
			f := Filter{Action: q.Get("action"), Username: q.Get("username")}
			var fields api.Fields
			if f.From, err = civil.Parse(q.Get("from")); err != nil {
				fields.Add("from", err.Error())
			}
			if f.To, err = civil.Parse(q.Get("to")); err != nil {
				fields.Add("to", err.Error())
			}
			if err := fields.Err(); err != nil {
				return err
			}
			list, err := List(r.Context(), d, f, page)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, list)
		})
}
