package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/division"
)

// Store reads and writes organisations.
type Store struct {
	db *db.DB
	// Today is the current day; tests replace it.
	Today func() civil.Date
}

// NewStore returns a Store on d.
func NewStore(d *db.DB) *Store { return &Store{db: d, Today: civil.Today} }

const orgSelect = `SELECT o.id, o.code, o.name, o.short_name, o.type, o.unit_type, o.division_code,
	o.parent_id, COALESCE(p.name, ''), o.path, o.depth, o.status, o.established_on, o.dissolved_on,
	o.dissolved_reason, o.sort_order, o.full_members, o.probationary_members,
	(SELECT COUNT(*) FROM orgs c WHERE c.parent_id = o.id AND c.status = 'active'),
	o.created_at, o.updated_at, o.version
	FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id`

func scanOrg(row interface{ Scan(...any) error }) (*Org, error) {
	var o Org
	err := row.Scan(&o.ID, &o.Code, &o.Name, &o.ShortName, &o.Type, &o.UnitType, &o.DivisionCode,
		&o.ParentID, &o.ParentName, &o.Path, &o.Depth, &o.Status, &o.EstablishedOn, &o.DissolvedOn,
		&o.DissolvedReason, &o.SortOrder, &o.FullMembers, &o.ProbationaryMembers, &o.ChildCount,
		&o.CreatedAt, &o.UpdatedAt, &o.Version)
	if err != nil {
		return nil, err
	}
	o.fillNames()
	return &o, nil
}

func (o *Org) fillNames() {
	o.TypeName = o.Type.Name()
	o.UnitTypeName = o.UnitType.Name()
	o.StatusName = o.Status.Name()
	if d, ok := division.Get(o.DivisionCode); ok && o.DivisionCode != "" {
		o.DivisionName = d.Name
	}
	if o.Units == nil {
		o.Units = []string{}
	}
}

var errNotFound = api.NotFound("组织不存在，或不在您的管理范围内")

// find loads one organisation the caller may read (perm) — inside a transaction when q is one.
func (s *Store) find(ctx context.Context, q db.Querier, id int64, perm access.Perm) (*Org, error) {
	where, args := access.Filter(ctx, "o.path", perm)
	o, err := scanOrg(q.QueryRow(ctx, orgSelect+` WHERE o.id = ? AND `+where, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	if err := loadUnits(ctx, q, []*Org{o}); err != nil {
		return nil, err
	}
	return o, nil
}

// findWritable loads an organisation the caller may change: 404 outside their read scope,
// 403 where they may only read.
func (s *Store) findWritable(ctx context.Context, tx *db.Tx, id int64) (*Org, error) {
	o, err := s.find(ctx, tx, id, access.OrgRead)
	if err != nil {
		return nil, err
	}
	if !access.Covers(ctx, access.OrgWrite, o.Path) {
		return nil, api.Forbidden("您对“" + o.Name + "”只有查看权限")
	}
	return o, nil
}

func loadUnits(ctx context.Context, q db.Querier, orgs []*Org) error {
	if len(orgs) == 0 {
		return nil
	}
	byID := make(map[int64]*Org, len(orgs))
	ids := make([]string, 0, len(orgs))
	for _, o := range orgs {
		byID[o.ID] = o
		ids = append(ids, strconv.FormatInt(o.ID, 10))
	}
	// ids are integers we formatted ourselves, so inlining them is safe.
	rows, err := q.Query(ctx, `SELECT org_id, name FROM org_units WHERE org_id IN (`+strings.Join(ids, ",")+`) ORDER BY org_id, seq`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return err
		}
		byID[id].Units = append(byID[id].Units, name)
	}
	return rows.Err()
}

// Get returns one organisation with its ancestors (within the caller's scope).
func (s *Store) Get(ctx context.Context, id int64) (*Org, error) {
	o, err := s.find(ctx, s.db, id, access.OrgRead)
	if err != nil {
		return nil, err
	}
	ids := pathIDs(o.Path)
	o.Ancestors = []Ref{}
	for _, aid := range ids[:len(ids)-1] {
		a, err := s.find(ctx, s.db, aid, access.OrgRead)
		if err != nil {
			continue // above the caller's scope: not shown
		}
		o.Ancestors = append(o.Ancestors, Ref{ID: a.ID, Code: a.Code, Name: a.Name, Type: a.Type, TypeName: a.TypeName})
	}
	return o, nil
}

// GetByCode returns the organisation with a 组织代码.
func (s *Store) GetByCode(ctx context.Context, code string) (*Org, error) {
	var id int64
	where, args := access.Filter(ctx, "path", access.OrgRead, access.OrgBrowse)
	err := s.db.QueryRow(ctx, `SELECT id FROM orgs WHERE code = ? AND `+where, append([]any{code}, args...)...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, api.NotFound(fmt.Sprintf("组织代码 %q 不存在", code))
	}
	if err != nil {
		return nil, err
	}
	return s.find(ctx, s.db, id, access.OrgRead)
}

func pathIDs(path string) []int64 {
	var ids []int64
	for _, p := range strings.Split(strings.Trim(path, "/"), "/") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// Tree returns the children of parent, or the caller's scope roots when parent is 0.
// Users who may only browse the tree (to grant scopes) see it too.
func (s *Store) Tree(ctx context.Context, parent int64, includeDissolved bool) ([]TreeNode, error) {
	where, args := access.Filter(ctx, "o.path", access.OrgRead, access.OrgBrowse)
	cond := where
	if parent != 0 {
		cond += " AND o.parent_id = ?"
		args = append(args, parent)
	} else {
		paths, all := access.Roots(ctx, access.OrgRead, access.OrgBrowse)
		if all {
			cond += " AND o.parent_id IS NULL"
		} else if len(paths) > 0 {
			ph := strings.TrimSuffix(strings.Repeat("?,", len(paths)), ",")
			cond += " AND o.path IN (" + ph + ")"
			for _, p := range paths {
				args = append(args, p)
			}
		}
	}
	childStatus := " AND c.status = 'active'"
	if !includeDissolved {
		cond += " AND o.status = 'active'"
	} else {
		childStatus = ""
	}
	rows, err := s.db.Query(ctx, `SELECT o.id, o.code, o.name, o.type, o.status,
		(SELECT COUNT(*) FROM orgs c WHERE c.parent_id = o.id`+childStatus+`)
		FROM orgs o WHERE `+cond+` ORDER BY o.sort_order, o.code`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	nodes := []TreeNode{}
	for rows.Next() {
		var n TreeNode
		if err := rows.Scan(&n.ID, &n.Code, &n.Name, &n.Type, &n.Status, &n.ChildCount); err != nil {
			return nil, err
		}
		n.TypeName = n.Type.Name()
		nodes = append(nodes, n)
	}
	return nodes, rows.Err()
}

// subtreeCond restricts o.path to the subtree below under (excluded) and to the caller's scope.
func (s *Store) subtreeCond(ctx context.Context, under int64, direct bool, perms ...access.Perm) (string, []any, error) {
	where, args := access.Filter(ctx, "o.path", perms...)
	if under == 0 {
		return where, args, nil
	}
	root, err := s.find(ctx, s.db, under, perms[0])
	if err != nil {
		return "", nil, err
	}
	if direct {
		return where + " AND o.parent_id = ?", append(args, root.ID), nil
	}
	return where + " AND o.path LIKE ? AND o.id <> ?", append(args, root.Path+"%", root.ID), nil
}

// List returns a page of organisations.
func (s *Store) List(ctx context.Context, f ListFilter, page api.Paging) (api.List[Org], error) {
	out := api.List[Org]{Items: []Org{}, Page: page.Page, PageSize: page.Size}
	cond, args, err := s.subtreeCond(ctx, f.Under, f.Direct, access.OrgRead, access.OrgBrowse)
	if err != nil {
		return out, err
	}
	switch f.Status {
	case "", "active":
		cond += " AND o.status = 'active'"
	case "dissolved":
		cond += " AND o.status = 'dissolved'"
	case "all":
	default:
		return out, api.FieldInvalid("status", "应为 active（正常）、dissolved（已撤销）或 all（全部）")
	}
	if f.Q != "" {
		cond += " AND (o.name LIKE ? OR o.code LIKE ? OR o.short_name LIKE ?)"
		like := "%" + f.Q + "%"
		args = append(args, like, f.Q+"%", like)
	}
	if f.Type != "" {
		if !f.Type.Valid() {
			return out, api.FieldInvalid("type", "未知的组织类别")
		}
		cond += " AND o.type = ?"
		args = append(args, f.Type)
	}
	if f.UnitType != "" {
		if !f.UnitType.Valid() {
			return out, api.FieldInvalid("unit_type", "未知的单位类型")
		}
		cond += " AND o.unit_type = ?"
		args = append(args, f.UnitType)
	}
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM orgs o WHERE `+cond, args...).Scan(&out.Total); err != nil {
		return out, err
	}
	rows, err := s.db.Query(ctx, orgSelect+` WHERE `+cond+` ORDER BY o.depth, o.sort_order, o.code LIMIT ? OFFSET ?`,
		append(args, page.Size, page.Offset())...)
	if err != nil {
		return out, err
	}
	var list []*Org
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			rows.Close()
			return out, err
		}
		list = append(list, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, err
	}
	if err := loadUnits(ctx, s.db, list); err != nil {
		return out, err
	}
	for _, o := range list {
		out.Items = append(out.Items, *o)
	}
	return out, nil
}

var codePattern = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z-]{0,31}$`)

type fieldsIn struct {
	code, name, shortName, divisionCode string
	typ                                 Type
	unitType                            UnitType
	establishedOn                       civil.Date
	units                               []string
}

// validate checks the fields of an organisation; it does not look at the database.
func (s *Store) validate(in fieldsIn) api.Fields {
	var f api.Fields
	switch {
	case in.code == "":
		f.Add("code", "请填写组织代码")
	case !codePattern.MatchString(in.code):
		f.Add("code", "组织代码只能由数字、字母和连字符组成，最长32位")
	}
	switch n := utf8.RuneCountInString(strings.TrimSpace(in.name)); {
	case n == 0:
		f.Add("name", "请填写组织名称")
	case n > 100:
		f.Add("name", "组织名称最长100字")
	}
	if utf8.RuneCountInString(in.shortName) > 50 {
		f.Add("short_name", "简称最长50字")
	}
	if !in.typ.Valid() {
		f.Add("type", "请选择组织类别")
	}
	if !in.unitType.Valid() {
		f.Add("unit_type", "请选择所在单位类型")
	}
	if in.divisionCode != "" {
		if _, ok := division.Get(in.divisionCode); !ok {
			f.Add("division_code", "统计用区划代码不存在："+in.divisionCode)
		}
	}
	if !in.establishedOn.IsZero() && in.establishedOn.After(s.Today()) {
		f.Add("established_on", "成立日期不能晚于今天")
	}
	for i, u := range in.units {
		if n := utf8.RuneCountInString(strings.TrimSpace(u)); n == 0 || n > 100 {
			f.Add(fmt.Sprintf("units[%d]", i), "所在单位名称不能为空，最长100字")
		}
	}
	return f
}

// codeTaken reports which organisation already uses code (regardless of the caller's scope:
// codes are unique across the platform).
func codeTaken(ctx context.Context, tx *db.Tx, code string, except int64) (string, error) {
	var name string
	err := tx.QueryRow(ctx, `SELECT name FROM orgs WHERE code = ? AND id <> ?`, code, except).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return name, err
}

// Create adds an organisation under in.ParentID. Only the system principal (command line)
// may create a root.
func (s *Store) Create(ctx context.Context, in CreateInput) (*Org, error) {
	in.Code, in.Name, in.ShortName = strings.TrimSpace(in.Code), strings.TrimSpace(in.Name), strings.TrimSpace(in.ShortName)
	fields := s.validate(fieldsIn{in.Code, in.Name, in.ShortName, in.DivisionCode, in.Type, in.UnitType, in.EstablishedOn, in.Units})
	var id int64
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var parent *Org
		if in.ParentID != 0 {
			p, err := s.find(ctx, tx, in.ParentID, access.OrgRead)
			if err != nil {
				fields.Add("parent_id", "上级组织不存在，或不在您的管理范围内")
				return fields.Err()
			}
			if !access.Covers(ctx, access.OrgWrite, p.Path) {
				return api.Forbidden("您对“" + p.Name + "”只有查看权限，不能在其下新增组织")
			}
			if p.Status != StatusActive {
				fields.Add("parent_id", "上级组织已撤销，不能在其下新增组织")
			} else if in.Type.Valid() && !CanContain(p.Type, in.Type) {
				fields.Add("type", nestingError(p.Type, in.Type))
			}
			parent = p
		} else if _, all := access.Roots(ctx, access.OrgWrite); !all {
			fields.Add("parent_id", "请选择上级组织")
		}
		if !fields.Has("code") {
			if other, err := codeTaken(ctx, tx, in.Code, 0); err != nil {
				return err
			} else if other != "" {
				fields.Add("code", "组织代码已被“"+other+"”使用")
			}
		}
		if err := fields.Err(); err != nil {
			return err
		}
		now := time.Now().UTC()
		var parentID *int64
		depth, path := 0, "/"
		if parent != nil {
			parentID, depth, path = &parent.ID, parent.Depth+1, parent.Path
		}
		err := tx.QueryRow(ctx, `INSERT INTO orgs (code, name, short_name, type, unit_type, division_code, parent_id, path, depth,
			sort_order, status, established_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?) RETURNING id`,
			in.Code, in.Name, in.ShortName, in.Type, in.UnitType, in.DivisionCode, parentID, path, depth,
			in.SortOrder, in.EstablishedOn, now, now).Scan(&id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE orgs SET path = ? WHERE id = ?`, path+strconv.FormatInt(id, 10)+"/", id); err != nil {
			return err
		}
		if err := saveUnits(ctx, tx, id, in.Units); err != nil {
			return err
		}
		created, err := s.find(ctx, tx, id, access.OrgRead)
		if err != nil {
			return err
		}
		return record(ctx, tx, created, "create", "成立"+created.TypeName+"“"+created.Name+"”", nil, created)
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

func saveUnits(ctx context.Context, tx *db.Tx, id int64, units []string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM org_units WHERE org_id = ?`, id); err != nil {
		return err
	}
	for i, u := range units {
		if _, err := tx.Exec(ctx, `INSERT INTO org_units (org_id, seq, name) VALUES (?, ?, ?)`, id, i, strings.TrimSpace(u)); err != nil {
			return err
		}
	}
	return nil
}

// record writes the organisation's history entry and the audit entry for one change.
func record(ctx context.Context, tx *db.Tx, o *Org, kind, summary string, before, after any) error {
	p := access.From(ctx)
	var userID *int64
	username := "system"
	if p != nil {
		username = p.Username
		if p.UserID != 0 {
			userID = &p.UserID
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO org_events (org_id, at, user_id, username, kind, summary) VALUES (?, ?, ?, ?, ?, ?)`,
		o.ID, time.Now().UTC(), userID, username, kind, summary); err != nil {
		return err
	}
	entity := "org"
	switch kind {
	case "term", "term_update":
		entity = "term"
	case "leader":
		entity = "leader"
	}
	return audit.Record(ctx, tx, audit.Entry{Action: entity + "." + kind, Entity: entity,
		EntityID: strconv.FormatInt(o.ID, 10), Summary: o.Name + "：" + summary, Before: before, After: after})
}

// Update changes an organisation's fields (not its parent: see Move).
func (s *Store) Update(ctx context.Context, id int64, in UpdateInput) (*Org, error) {
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		old, err := s.findWritable(ctx, tx, id)
		if err != nil {
			return err
		}
		if in.Version != old.Version {
			return api.Conflict("该组织已被他人修改，请刷新后重试")
		}
		next := *old
		set(&next.Code, in.Code)
		set(&next.Name, in.Name)
		set(&next.ShortName, in.ShortName)
		set(&next.Type, in.Type)
		set(&next.UnitType, in.UnitType)
		set(&next.DivisionCode, in.DivisionCode)
		set(&next.EstablishedOn, in.EstablishedOn)
		set(&next.SortOrder, in.SortOrder)
		set(&next.Units, in.Units)
		next.Code, next.Name, next.ShortName = strings.TrimSpace(next.Code), strings.TrimSpace(next.Name), strings.TrimSpace(next.ShortName)
		fields := s.validate(fieldsIn{next.Code, next.Name, next.ShortName, next.DivisionCode, next.Type, next.UnitType, next.EstablishedOn, next.Units})
		if next.Type != old.Type && next.Type.Valid() {
			if msg, err := s.typeFits(ctx, tx, old, next.Type); err != nil {
				return err
			} else if msg != "" {
				fields.Add("type", msg)
			}
		}
		if old.Type.IsBranchLike() && next.Type.Valid() && !next.Type.IsBranchLike() {
			// Members belong to a 支部; the roll-ups and the roster rely on it.
			var members int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM members WHERE org_id = ?`, id).Scan(&members); err != nil {
				return err
			}
			if members > 0 {
				fields.Add("type", fmt.Sprintf("该组织登记有 %d 名党员（含已出党、已去世），党员须编入党支部：请先转移党员，再改为%s", members, next.Type.Name()))
			}
		}
		if next.Code != old.Code && !fields.Has("code") {
			if other, err := codeTaken(ctx, tx, next.Code, id); err != nil {
				return err
			} else if other != "" {
				fields.Add("code", "组织代码已被“"+other+"”使用")
			}
		}
		if err := fields.Err(); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE orgs SET code = ?, name = ?, short_name = ?, type = ?, unit_type = ?, division_code = ?,
			established_on = ?, sort_order = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
			next.Code, next.Name, next.ShortName, next.Type, next.UnitType, next.DivisionCode, next.EstablishedOn,
			next.SortOrder, time.Now().UTC(), id)
		if err != nil {
			return err
		}
		if in.Units != nil {
			if err := saveUnits(ctx, tx, id, next.Units); err != nil {
				return err
			}
		}
		if HasRollup(old.Type) && !HasRollup(next.Type) {
			// Its subtree has no members (a 支部 holds only 党小组, and members only in a 支部):
			// drop the empty roll-up rows it kept.
			for _, t := range []string{"member_rollup", "member_rollup_dims"} {
				if _, err := tx.Exec(ctx, `DELETE FROM `+t+` WHERE org_id = ?`, id); err != nil {
					return err
				}
			}
		}
		after, err := s.find(ctx, tx, id, access.OrgRead)
		if err != nil {
			return err
		}
		return record(ctx, tx, after, "update", describeChanges(old, after), old, after)
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// typeFits checks that o may become type t under its parent and over its children.
func (s *Store) typeFits(ctx context.Context, tx *db.Tx, o *Org, t Type) (string, error) {
	if o.ParentID != nil {
		var pt Type
		if err := tx.QueryRow(ctx, `SELECT type FROM orgs WHERE id = ?`, *o.ParentID).Scan(&pt); err != nil {
			return "", err
		}
		if !CanContain(pt, t) {
			return nestingError(pt, t), nil
		}
	}
	rows, err := tx.Query(ctx, `SELECT DISTINCT type FROM orgs WHERE parent_id = ? AND status = 'active'`, o.ID)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	for rows.Next() {
		var ct Type
		if err := rows.Scan(&ct); err != nil {
			return "", err
		}
		if !CanContain(t, ct) {
			return "已有下级" + ct.Name() + "，" + nestingError(t, ct), nil
		}
	}
	return "", rows.Err()
}

func describeChanges(a, b *Org) string {
	var parts []string
	diff := func(label, x, y string) {
		if x != y {
			parts = append(parts, fmt.Sprintf("%s由“%s”改为“%s”", label, x, y))
		}
	}
	diff("组织代码", a.Code, b.Code)
	diff("名称", a.Name, b.Name)
	diff("简称", a.ShortName, b.ShortName)
	diff("组织类别", a.TypeName, b.TypeName)
	diff("单位类型", a.UnitTypeName, b.UnitTypeName)
	diff("区划代码", a.DivisionCode, b.DivisionCode)
	diff("成立日期", a.EstablishedOn.String(), b.EstablishedOn.String())
	diff("所在单位", strings.Join(a.Units, "、"), strings.Join(b.Units, "、"))
	diff("排序号", strconv.Itoa(a.SortOrder), strconv.Itoa(b.SortOrder))
	if len(parts) == 0 {
		return "保存（无变化）"
	}
	return strings.Join(parts, "；")
}

// Move puts an organisation and its whole subtree under a new parent. Paths of the subtree
// are rewritten in the same transaction, so every scoped query is right afterwards.
func (s *Store) Move(ctx context.Context, id int64, in MoveInput) (*Org, error) {
	err := s.db.InTx(ctx, func(tx *db.Tx) error { return s.MoveTx(ctx, tx, id, in) })
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// MoveTx is Move inside the caller's transaction, for acts that record the move as part of
// something larger (a 整建制转接 in internal/transfer).
func (s *Store) MoveTx(ctx context.Context, tx *db.Tx, id int64, in MoveInput) error {
	{
		o, err := s.findWritable(ctx, tx, id)
		if err != nil {
			return err
		}
		if o.ParentID == nil {
			return api.FieldInvalid("parent_id", "根组织不能移动")
		}
		np, err := s.find(ctx, tx, in.ParentID, access.OrgRead)
		if err != nil {
			return api.FieldInvalid("parent_id", "新的上级组织不存在，或不在您的管理范围内")
		}
		switch {
		case !access.Covers(ctx, access.OrgWrite, np.Path):
			return api.Forbidden("您对“" + np.Name + "”只有查看权限，不能把组织移到其下")
		case strings.HasPrefix(np.Path, o.Path):
			return api.FieldInvalid("parent_id", "不能把组织移到它自己或它的下级组织之下")
		case np.Status != StatusActive:
			return api.FieldInvalid("parent_id", "新的上级组织已撤销")
		case !CanContain(np.Type, o.Type):
			return api.FieldInvalid("parent_id", nestingError(np.Type, o.Type))
		case o.ParentID != nil && *o.ParentID == np.ID:
			return api.FieldInvalid("parent_id", "已在该上级组织之下")
		}
		if err := LockRollups(ctx, tx); err != nil {
			return err
		}
		newPath := np.Path + strconv.FormatInt(o.ID, 10) + "/"
		_, err = tx.Exec(ctx, `UPDATE orgs SET path = ? || substr(path, ?), depth = depth + ?, updated_at = ?
			WHERE path LIKE ?`, newPath, len(o.Path)+1, np.Depth+1-o.Depth, time.Now().UTC(), o.Path+"%")
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE orgs SET parent_id = ?, version = version + 1 WHERE id = ?`, np.ID, o.ID); err != nil {
			return err
		}
		// Members keep a copy of their org's path for scoped queries: rewrite it too, and move
		// the subtree's member counts from the old ancestors to the new ones.
		if _, err := tx.Exec(ctx, `UPDATE members SET org_path = ? || substr(org_path, ?) WHERE org_path LIKE ?`,
			newPath, len(o.Path)+1, o.Path+"%"); err != nil {
			return err
		}
		// 整建制转移: each member who counts writes a ledger row (member.EventOrgTransfer), so
		// 党员数量变化 shows them leaving the old ancestors and arriving under the new ones.
		if err := recordOrgTransfer(ctx, tx, o.ID, o.Path, newPath, s.Today()); err != nil {
			return err
		}
		oldParentPath := strings.TrimSuffix(o.Path, strconv.FormatInt(o.ID, 10)+"/")
		if err := RecountPaths(ctx, tx, oldParentPath, np.Path); err != nil {
			return err
		}
		after, err := s.find(ctx, tx, id, access.OrgRead)
		if err != nil {
			return err
		}
		return record(ctx, tx, after, "move", fmt.Sprintf("隶属关系由“%s”调整为“%s”", o.ParentName, np.Name),
			map[string]any{"parent_id": o.ParentID, "parent_name": o.ParentName}, map[string]any{"parent_id": np.ID, "parent_name": np.Name})
	}
}

// Dissolve records a 撤销. An organisation with active children cannot be dissolved.
func (s *Store) Dissolve(ctx context.Context, id int64, in DissolveInput) (*Org, error) {
	in.Reason = strings.TrimSpace(in.Reason)
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		o, err := s.findWritable(ctx, tx, id)
		if err != nil {
			return err
		}
		var f api.Fields
		switch {
		case in.Date.IsZero():
			f.Add("date", "请填写撤销日期")
		case in.Date.After(s.Today()):
			f.Add("date", "撤销日期不能晚于今天")
		case !o.EstablishedOn.IsZero() && in.Date.Before(o.EstablishedOn):
			f.Add("date", "撤销日期不能早于成立日期 "+o.EstablishedOn.String())
		}
		if in.Reason == "" {
			f.Add("reason", "请填写撤销原因（如：单位撤并、党员人数不足等）")
		}
		if err := f.Err(); err != nil {
			return err
		}
		if o.Status == StatusDissolved {
			return api.Conflict("该组织已于 " + o.DissolvedOn.String() + " 撤销")
		}
		if o.ChildCount > 0 {
			return api.Conflict(fmt.Sprintf("该组织尚有 %d 个下级组织，请先撤销或转移下级组织", o.ChildCount))
		}
		var members int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM members WHERE org_id = ? AND status IN ('normal', 'suspended')`, id).Scan(&members); err != nil {
			return err
		}
		if members > 0 {
			return api.Conflict(fmt.Sprintf("该组织尚有 %d 名党员，请先转移党员的组织关系", members))
		}
		if _, err := tx.Exec(ctx, `UPDATE orgs SET status = 'dissolved', dissolved_on = ?, dissolved_reason = ?, updated_at = ?,
			version = version + 1 WHERE id = ?`, in.Date, in.Reason, time.Now().UTC(), id); err != nil {
			return err
		}
		after, err := s.find(ctx, tx, id, access.OrgRead)
		if err != nil {
			return err
		}
		return record(ctx, tx, after, "dissolve", "于 "+in.Date.String()+" 撤销，原因："+in.Reason, o, after)
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// Restore undoes a 撤销 (e.g. one recorded by mistake); the parent must be active.
func (s *Store) Restore(ctx context.Context, id int64) (*Org, error) {
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		o, err := s.findWritable(ctx, tx, id)
		if err != nil {
			return err
		}
		if o.Status == StatusActive {
			return api.Conflict("该组织状态正常，无需恢复")
		}
		if o.ParentID != nil {
			var st Status
			if err := tx.QueryRow(ctx, `SELECT status FROM orgs WHERE id = ?`, *o.ParentID).Scan(&st); err != nil {
				return err
			}
			if st != StatusActive {
				return api.Conflict("上级组织“" + o.ParentName + "”已撤销，请先恢复上级组织")
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE orgs SET status = 'active', dissolved_on = NULL, dissolved_reason = '', updated_at = ?,
			version = version + 1 WHERE id = ?`, time.Now().UTC(), id); err != nil {
			return err
		}
		after, err := s.find(ctx, tx, id, access.OrgRead)
		if err != nil {
			return err
		}
		return record(ctx, tx, after, "restore", "恢复（原撤销日期 "+o.DissolvedOn.String()+"）", o, after)
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// Delete removes an organisation entered by mistake. Anything with children or a 班子 record
// has a history worth keeping and must be dissolved instead.
func (s *Store) Delete(ctx context.Context, id int64) error {
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		o, err := s.findWritable(ctx, tx, id)
		if err != nil {
			return err
		}
		var children, terms, users, members int
		if err := tx.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM orgs WHERE parent_id = ?), (SELECT COUNT(*) FROM org_terms WHERE org_id = ?),
			(SELECT COUNT(*) FROM user_roles WHERE org_id = ?), (SELECT COUNT(*) FROM members WHERE org_id = ?)`, id, id, id, id).Scan(&children, &terms, &users, &members); err != nil {
			return err
		}
		switch {
		case members > 0:
			return api.Conflict(fmt.Sprintf("该组织登记有 %d 名党员（含已出党、已去世），不能删除；请先转移党员，或使用“撤销”", members))
		case children > 0:
			return api.Conflict(fmt.Sprintf("该组织有 %d 个下级组织（含已撤销），不能删除；如组织已不存在，请使用“撤销”", children))
		case terms > 0:
			return api.Conflict("该组织已有班子记录，不能删除；如组织已不存在，请使用“撤销”")
		case users > 0:
			return api.Conflict("有用户的管理范围设在该组织，请先调整这些用户的角色")
		}
		if o.ParentID == nil {
			return api.Conflict("根组织不能删除")
		}
		if _, err := tx.Exec(ctx, `DELETE FROM orgs WHERE id = ?`, id); err != nil {
			// Records of other capabilities (党费, 会议, 发展档案 …) still name the organisation.
			if db.IsForeignKeyViolation(err) {
				return api.Conflict("该组织已有党费、组织生活或发展党员等业务记录，不能删除；如组织已不存在，请使用“撤销”")
			}
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "org.delete", Entity: "org", EntityID: strconv.FormatInt(id, 10),
			Summary: "删除误录入的组织“" + o.Name + "”", Before: o})
	})
}

// History lists the organisation's changes, newest first.
func (s *Store) History(ctx context.Context, id int64) ([]Event, error) {
	if _, err := s.find(ctx, s.db, id, access.OrgRead); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT id, at, kind, summary, username FROM org_events WHERE org_id = ? ORDER BY id DESC`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Event{}
	for rows.Next() {
		var e Event
		if err := rows.Scan(&e.ID, &e.At, &e.Kind, &e.Summary, &e.Username); err != nil {
			return nil, err
		}
		e.KindName = eventKinds[e.Kind]
		out = append(out, e)
	}
	return out, rows.Err()
}
