package org

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/db"
)

// Inherited settings. A capability keeps each organisation's own overrides of its rule defaults
// in a table of its own (one row per organisation, column org_id; a NULL column inherits). A
// value in force is the one set by the nearest organisation on the way from the root, the
// organisation itself first, else the default; each is labelled with where it comes from.
// Settings are configuration: an ancestor's row applies whatever the caller may read, but an
// ancestor the caller may not read is named only as 上级组织.

// Origin is the organisation a settings row belongs to.
type Origin struct {
	ID       int64
	Name     string
	Path     string
	Self     bool // the organisation whose settings are resolved
	Readable bool // the caller may read it (access.OrgRead)
}

// Label is where a value this organisation set comes from, as the caller is told: 本组织, the
// organisation's name, or 上级组织 when the caller may not read it.
func (o Origin) Label() string {
	switch {
	case o.Self:
		return "本组织"
	case !o.Readable:
		return "上级组织"
	}
	return o.Name
}

// Link is one organisation's own settings row.
type Link[T any] struct {
	Origin
	Values T
}

// Chain is the settings rows on the way from the root to an organisation, root first, so that
// merging in order lets nearer organisations overwrite; the organisation's own row, if any, is last.
type Chain[T any] []Link[T]

// Own returns the organisation's own row, if it has one.
func (c Chain[T]) Own() (T, bool) {
	if n := len(c); n > 0 && c[n-1].Self {
		return c[n-1].Values, true
	}
	var zero T
	return zero, false
}

// Tree is the settings rows that can apply within a subtree: its ancestors' and its own, by org id.
type Tree[T any] map[int64]Link[T]

// Chain returns the rows that apply at path, which must lie in the tree's subtree.
func (t Tree[T]) Chain(path string) Chain[T] {
	var c Chain[T]
	for _, id := range pathIDs(path) {
		if l, ok := t[id]; ok {
			l.Self = l.Path == path
			c = append(c, l)
		}
	}
	return c
}

// SettingsTable says where a capability keeps its settings: Table's Columns (setting columns
// only, unqualified) are read by Scan, in that order, into a T.
type SettingsTable[T any] struct {
	Table   string
	Columns []string
	Scan    func(scan func(dest ...any) error) (T, error)
}

// Chain loads the rows that apply at path: its ancestors' and its own.
func (st SettingsTable[T]) Chain(ctx context.Context, q db.Querier, path string) (Chain[T], error) {
	t, err := st.load(ctx, q, path, false)
	if err != nil {
		return nil, err
	}
	return t.Chain(path), nil
}

// Tree loads the rows that can apply anywhere in the subtree at path, for resolving many
// organisations of it with one query.
func (st SettingsTable[T]) Tree(ctx context.Context, q db.Querier, path string) (Tree[T], error) {
	return st.load(ctx, q, path, true)
}

func (st SettingsTable[T]) load(ctx context.Context, q db.Querier, path string, subtree bool) (Tree[T], error) {
	var conds []string
	var args []any
	if subtree {
		conds, args = append(conds, "o.path LIKE ?"), append(args, path+"%")
	}
	if ids := pathIDs(path); len(ids) > 0 {
		strs := make([]string, len(ids))
		for i, id := range ids {
			strs[i] = strconv.FormatInt(id, 10) // integers we parsed ourselves
		}
		conds = append(conds, "s.org_id IN ("+strings.Join(strs, ",")+")")
	}
	out := Tree[T]{}
	if len(conds) == 0 {
		return out, nil
	}
	rows, err := q.Query(ctx, `SELECT o.id, o.name, o.path, s.`+strings.Join(st.Columns, ", s.")+`
		FROM `+st.Table+` s JOIN orgs o ON o.id = s.org_id WHERE `+strings.Join(conds, " OR "), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var l Link[T]
		l.Values, err = st.Scan(func(dest ...any) error {
			return rows.Scan(append([]any{&l.ID, &l.Name, &l.Path}, dest...)...)
		})
		if err != nil {
			return nil, err
		}
		l.Readable = access.Covers(ctx, access.OrgRead, l.Path)
		out[l.ID] = l
	}
	return out, rows.Err()
}

// Save replaces orgID's own row: values are for Columns, in order (nil inherits), and by is who
// saves it (updated_by, updated_at).
func (st SettingsTable[T]) Save(ctx context.Context, tx *db.Tx, orgID int64, by string, values ...any) error {
	if len(values) != len(st.Columns) {
		return fmt.Errorf("%s: %d values for %d columns", st.Table, len(values), len(st.Columns))
	}
	cols := append(append([]string{"org_id"}, st.Columns...), "updated_by", "updated_at")
	set := make([]string, len(cols)-1)
	for i, c := range cols[1:] {
		set[i] = c + " = excluded." + c
	}
	_, err := tx.Exec(ctx, `INSERT INTO `+st.Table+` (`+strings.Join(cols, ", ")+`) VALUES (?`+strings.Repeat(", ?", len(cols)-1)+`)
		ON CONFLICT (org_id) DO UPDATE SET `+strings.Join(set, ", "), append(append([]any{orgID}, values...), by, time.Now().UTC())...)
	return err
}

// Take is one step of a root-first merge: when an organisation set v, it is in force (*dst)
// and from[field] records label as its source.
func Take[V any](from map[string]string, label, field string, dst *V, v *V) {
	if v != nil {
		*dst, from[field] = *v, label
	}
}

// MarshalSetting encodes a map of overrides for a nullable JSON settings column: nil when empty.
func MarshalSetting[K comparable, V any](m map[K]V) *string {
	if len(m) == 0 {
		return nil
	}
	b, _ := json.Marshal(m)
	s := string(b)
	return &s
}

// UnmarshalSetting decodes a nullable JSON settings column (a map of overrides) into v.
func UnmarshalSetting(s *string, v any) error {
	if s == nil || *s == "" {
		return nil
	}
	return json.Unmarshal([]byte(*s), v)
}
