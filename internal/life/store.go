// Package life is 组织生活: 三会一课, 主题党日, 组织生活会, 民主评议党员, 谈心谈话 and 换届选举大会.
// A meeting is recorded once — date, topic, roster-checked attendance, vote counts, minutes —
// and everything else is derived from that one record: whether each required meeting was held
// in its period (compliance, with the rule and its source), members' study hours, the
// 连续6个月不参加组织生活 signal, the 台账 (xlsx and printable HTML) and the workbench of what to
// do next. Meeting types and thresholds are rule data (types.go, rules/life.go) with
// per-organisation overrides inherited down the tree (settings.go).
//
// Every query is scoped through the organisation's path (access.Filter on orgs.path, joined on
// org_id), so moving an organisation moves its records' scope with it. Reading needs org.read,
// recording org.write. Nothing here counts logins, ranks branches or people, or requires a photo.
package life

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/todo"
)

// Store records and derives 组织生活.
type Store struct {
	db   *db.DB
	orgs *org.Store
	// Today is the current day; tests replace it.
	Today func() civil.Date
	// WorkSources add other capabilities' items to the 工作台 (发展党员, 转接 …).
	WorkSources []todo.Source
}

// NewStore returns a store on d; orgs gives the 班子 (terms) and the 换届 list.
func NewStore(d *db.DB, orgs *org.Store) *Store {
	return &Store{db: d, orgs: orgs, Today: civil.Today}
}

// Ref is a short reference to an organisation.
type Ref = todo.Ref

// unit is an organisation as this package needs it.
type unit struct {
	ID            int64
	Code, Name    string
	Type          org.Type
	UnitType      org.UnitType
	Path          string
	ParentID      *int64
	Status        org.Status
	EstablishedOn civil.Date
	DissolvedOn   civil.Date
	Depth         int
}

func (u *unit) ref() Ref {
	return Ref{ID: u.ID, Code: u.Code, Name: u.Name, Type: u.Type, TypeName: u.Type.Name()}
}

const unitSelect = `SELECT o.id, o.code, o.name, o.type, o.unit_type, o.path, o.parent_id, o.status, o.established_on, o.dissolved_on, o.depth FROM orgs o`

func scanUnit(row interface{ Scan(...any) error }) (*unit, error) {
	var u unit
	err := row.Scan(&u.ID, &u.Code, &u.Name, &u.Type, &u.UnitType, &u.Path, &u.ParentID, &u.Status, &u.EstablishedOn, &u.DissolvedOn, &u.Depth)
	return &u, err
}

var errOrgNotFound = api.NotFound("组织不存在，或不在您的管理范围内")

// unit loads an organisation the caller may read.
func (s *Store) unit(ctx context.Context, q db.Querier, id int64) (*unit, error) {
	where, args := access.Filter(ctx, "o.path", access.OrgRead)
	u, err := scanUnit(q.QueryRow(ctx, unitSelect+` WHERE o.id = ? AND `+where, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errOrgNotFound
	}
	return u, err
}

// writableUnit loads an organisation the caller may record for: 404 outside their read scope,
// 403 where they may only read.
func (s *Store) writableUnit(ctx context.Context, q db.Querier, id int64) (*unit, error) {
	u, err := s.unit(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if !access.Covers(ctx, access.OrgWrite, u.Path) {
		return nil, api.Forbidden("您对“" + u.Name + "”只有查看权限")
	}
	return u, nil
}

// unitRequired reads the org query parameter's organisation (required).
func (s *Store) unitRequired(ctx context.Context, id int64) (*unit, error) {
	if id == 0 {
		return nil, api.FieldInvalid("org", "请选择组织")
	}
	return s.unit(ctx, s.db, id)
}

// Seat is one serving member of a 班子 on a day, matched to the roster by name.
type Seat struct {
	LeaderID int64    `json:"leader_id"`
	Name     string   `json:"name"`
	Post     org.Post `json:"post"`
	PostName string   `json:"post_name"`
	MemberID *int64   `json:"member_id" doc:"名册中同名党员；找不到时为 null"`
}

// committeeOn returns the serving leaders of the term in force on day (nil when no term
// covers the day), from internal/org's 班子 records.
func (s *Store) committeeOn(ctx context.Context, orgID int64, day civil.Date) ([]Seat, bool, error) {
	c, err := s.orgs.Committee(ctx, orgID)
	if err != nil {
		return nil, false, err
	}
	for _, t := range c.Terms {
		if t.ElectedOn.After(day) || (!t.ClosedOn.IsZero() && !t.ClosedOn.After(day)) {
			continue
		}
		seats := []Seat{}
		for _, l := range t.Leaders {
			if (!l.StartedOn.IsZero() && l.StartedOn.After(day)) || (!l.EndedOn.IsZero() && !l.EndedOn.After(day)) {
				continue
			}
			seats = append(seats, Seat{LeaderID: l.ID, Name: l.Name, Post: l.Post, PostName: l.PostName})
		}
		return seats, true, nil
	}
	return nil, false, nil
}

// minCommittee is the size from which a 班子 is a 支部委员会 (3 to 5, rules org.branch.committee_size).
const minCommittee = 3

// RosterMember is one member on a branch's roster on a day.
type RosterMember struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	Category     string `json:"category" doc:"full 正式党员 / probationary 预备党员（按会议当日）"`
	CategoryName string `json:"category_name"`
	Voting       bool   `json:"voting" doc:"有表决权（正式党员）"`
	Mobile       bool   `json:"mobile" doc:"流动党员：可能在流入地参加组织生活"`
	MobileTo     string `json:"mobile_to"`
	Committee    bool   `json:"committee" doc:"会议当日的班子成员"`
	PostName     string `json:"post_name"`
	Status       string `json:"status" doc:"预填的出勤状态：present 出席；空为不在本次会议范围（由填写人选择）"`
}

// Roster is who may attend a meeting of an organisation on a day.
type Roster struct {
	Org           Ref            `json:"org"`
	Date          civil.Date     `json:"date"`
	Type          string         `json:"type"`
	Source        Ref            `json:"source" doc:"名册所在的党支部（党小组用所在党支部的名册）"`
	Members       []RosterMember `json:"members"`
	Voting        int            `json:"voting" doc:"有表决权的党员人数（应到会有表决权人数）"`
	Committee     []Seat         `json:"committee" doc:"会议当日的班子成员"`
	HasTerm       bool           `json:"has_term" doc:"是否录入了会议当日的班子"`
	HasCommittee  bool           `json:"has_committee" doc:"班子3人以上，即设有支部委员会"`
	QuorumText    string         `json:"quorum_text"`
	Notes         []string       `json:"notes"`
	memberByID    map[int64]*RosterMember
	committeeSize int
}

// roster builds the roster of u on day for a meeting of type typ ("" for none in particular).
// Members belong to 党支部: a 党小组 uses its branch's roster (its own membership is not
// recorded), a 党委/党组 the members of its subtree who sit on its 班子.
func (s *Store) roster(ctx context.Context, q db.Querier, u *unit, day civil.Date, typ string) (*Roster, error) {
	r := &Roster{Org: u.ref(), Date: day, Type: typ, Source: u.ref(), Members: []RosterMember{}, Committee: []Seat{}, Notes: []string{},
		memberByID: map[int64]*RosterMember{}}
	seats, hasTerm, err := s.committeeOn(ctx, u.ID, day)
	if err != nil {
		return nil, err
	}
	r.HasTerm = hasTerm
	if seats != nil {
		r.Committee = seats
	}
	r.committeeSize = len(r.Committee)
	r.HasCommittee = r.committeeSize >= minCommittee
	names := map[string]*Seat{}
	for i := range r.Committee {
		names[r.Committee[i].Name] = &r.Committee[i]
	}
	cond, args := "m.org_id = ?", []any{u.ID}
	switch {
	case u.Type == org.TypeGroup && u.ParentID != nil:
		parent, err := scanUnit(q.QueryRow(ctx, unitSelect+` WHERE o.id = ?`, *u.ParentID))
		if err != nil {
			return nil, err
		}
		if !access.Covers(ctx, access.OrgRead, parent.Path) {
			r.Notes = append(r.Notes, "所在党支部不在您的管理范围内，无法列出名册。")
			return r, nil
		}
		r.Source = parent.ref()
		args = []any{parent.ID}
		r.Notes = append(r.Notes, "党小组使用所在党支部“"+parent.Name+"”的名册：请只标记本小组的党员。")
	case !u.Type.IsBranchLike():
		// 党委、党组、党总支: their meetings are attended by the 班子, who are members of the
		// branches below.
		if len(r.Committee) == 0 {
			r.Notes = append(r.Notes, "未录入会议当日的班子，名册为空。")
			return r, nil
		}
		list := make([]string, 0, len(r.Committee))
		cond, args = "m.org_id IN (SELECT id FROM orgs WHERE path LIKE ?) AND m.name IN (", []any{u.Path + "%"}
		for _, seat := range r.Committee {
			list = append(list, "?")
			args = append(args, seat.Name)
		}
		cond += strings.Join(list, ",") + ")"
		r.Notes = append(r.Notes, "名册为本组织班子成员（按姓名在下级党支部中查找）。")
	}
	rows, err := q.Query(ctx, `SELECT m.id, m.name, m.full_on, m.mobile, m.mobile_to FROM members m
		WHERE `+cond+` AND m.joined_on <= ? AND (m.status = 'normal' OR (m.status_on IS NOT NULL AND m.status_on > ?))
		ORDER BY m.id`, append(args, day, day)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var m RosterMember
		var fullOn civil.Date
		if err := rows.Scan(&m.ID, &m.Name, &fullOn, &m.Mobile, &m.MobileTo); err != nil {
			return nil, err
		}
		m.Voting = !fullOn.IsZero() && !fullOn.After(day)
		m.Category, m.CategoryName = "probationary", "预备党员"
		if m.Voting {
			m.Category, m.CategoryName = "full", "正式党员"
			r.Voting++
		}
		if seat := names[m.Name]; seat != nil {
			m.Committee, m.PostName = true, seat.PostName
			if seat.MemberID == nil {
				id := m.ID
				seat.MemberID = &id
			}
		}
		r.Members = append(r.Members, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// 班子 first (in their post order), then the others as entered.
	postRank := map[int64]int{}
	for i, seat := range r.Committee {
		if seat.MemberID != nil {
			postRank[*seat.MemberID] = i + 1
		}
	}
	slices.SortStableFunc(r.Members, func(a, b RosterMember) int {
		ra, rb := postRank[a.ID], postRank[b.ID]
		switch {
		case ra != 0 && rb != 0:
			return ra - rb
		case ra != 0:
			return -1
		case rb != 0:
			return 1
		}
		return 0
	})
	t, _ := typeByCode(typ)
	for i := range r.Members {
		m := &r.Members[i]
		switch {
		case u.Type == org.TypeGroup:
			m.Status = ""
		case t != nil && t.Quorum == QuorumCommittee:
			if m.Committee {
				m.Status = "present"
			}
		default:
			m.Status = "present"
		}
		if m.Mobile {
			r.Notes = appendOnce(r.Notes, "标“流动”的党员可能在流入地参加组织生活，请按实际情况标记。")
		}
		r.memberByID[m.ID] = m
	}
	if t != nil {
		r.QuorumText = quorumText(t, r)
	}
	return r, nil
}

func appendOnce(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// Roster is the roster of an organisation on a day, pre-filled for a meeting of type typ.
func (s *Store) Roster(ctx context.Context, orgID int64, day civil.Date, typ string) (*Roster, error) {
	u, err := s.unitRequired(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if day.IsZero() {
		day = s.Today()
	}
	if typ != "" {
		if _, ok := typeByCode(typ); !ok {
			return nil, api.FieldInvalid("type", "未知的会议类型")
		}
	}
	return s.roster(ctx, s.db, u, day, typ)
}
