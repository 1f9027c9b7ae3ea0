package org

import (
	"context"
	"io"
	"sort"

	"github.com/xuri/excelize/v2"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/civil"
)

// Checks evaluates the setup rules for one organisation.
func (s *Store) Checks(ctx context.Context, id int64) ([]Finding, error) {
	o, err := s.find(ctx, s.db, id, access.OrgRead)
	if err != nil {
		return nil, err
	}
	c, err := s.committee(ctx, s.db, o)
	if err != nil {
		return nil, err
	}
	in := checkInput{Org: o, Term: c.Current, Today: s.Today()}
	if c.Current != nil {
		in.CommitteeSize = c.Current.committeeSize()
	}
	if o.ParentID != nil {
		if err := s.db.QueryRow(ctx, `SELECT type FROM orgs WHERE id = ?`, *o.ParentID).Scan(&in.ParentType); err != nil {
			return nil, err
		}
	}
	out := check(in)
	if out == nil {
		out = []Finding{}
	}
	return out, nil
}

// walkSubtree calls fn for every active organisation at or below under (the caller's whole
// scope when under is 0), with its current term and committee size, in code order. Rows are
// streamed, not collected.
func (s *Store) walkSubtree(ctx context.Context, under int64, fn func(in checkInput) error) error {
	where, args := access.Filter(ctx, "o.path", access.OrgRead)
	if under != 0 {
		root, err := s.find(ctx, s.db, under, access.OrgRead)
		if err != nil {
			return err
		}
		where += " AND o.path LIKE ?"
		args = append(args, root.Path+"%")
	}
	rows, err := s.db.Query(ctx, `SELECT o.id, o.code, o.name, o.type, o.unit_type, o.status, o.full_members, o.probationary_members,
		COALESCE(p.type, ''), (SELECT COUNT(*) FROM org_units u WHERE u.org_id = o.id),
		t.id, t.elected_on, t.term_years, t.ends_on, t.extended_to,
		(SELECT COUNT(*) FROM org_leaders l WHERE l.term_id = t.id AND l.ended_on IS NULL)
		FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id
		LEFT JOIN org_terms t ON t.org_id = o.id AND t.closed_on IS NULL
		WHERE `+where+` AND o.status = 'active' ORDER BY o.code`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	today := s.Today()
	for rows.Next() {
		var o Org
		var in checkInput
		var units int
		var termID *int64
		var t Term
		var years *int
		if err := rows.Scan(&o.ID, &o.Code, &o.Name, &o.Type, &o.UnitType, &o.Status, &o.FullMembers, &o.ProbationaryMembers,
			&in.ParentType, &units, &termID, &t.ElectedOn, &years, &t.EndsOn, &t.ExtendedTo, &in.CommitteeSize); err != nil {
			return err
		}
		o.Units = make([]string, units) // the checks only count units
		o.TypeName = o.Type.Name()
		in.Org, in.Today = &o, today
		if termID != nil {
			t.ID, t.OrgID, t.TermYears = *termID, o.ID, *years
			t.derive(&o, today)
			in.Term = &t
		}
		if err := fn(in); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Findings lists the organisations of a subtree that break or approach a rule.
func (s *Store) Findings(ctx context.Context, under int64, page api.Paging) (api.List[OrgFindings], error) {
	out := api.List[OrgFindings]{Items: []OrgFindings{}, Page: page.Page, PageSize: page.Size}
	n := 0
	err := s.walkSubtree(ctx, under, func(in checkInput) error {
		fs := check(in)
		if len(fs) == 0 {
			return nil
		}
		if n >= page.Offset() && len(out.Items) < page.Size {
			out.Items = append(out.Items, OrgFindings{Org: ref(in.Org), Findings: fs})
		}
		n++
		return nil
	})
	out.Total = n
	return out, err
}

func ref(o *Org) Ref {
	return Ref{ID: o.ID, Code: o.Code, Name: o.Name, Type: o.Type, TypeName: o.Type.Name()}
}

// Elections lists the elected organisations of a subtree whose term ends within withinDays
// or has ended, and those with no 班子 recorded, the most urgent first.
func (s *Store) Elections(ctx context.Context, under int64, withinDays int, page api.Paging) (api.List[Election], error) {
	out := api.List[Election]{Items: []Election{}, Page: page.Page, PageSize: page.Size}
	var all []Election
	today := s.Today()
	limit := today.AddDate(0, 0, withinDays)
	err := s.walkSubtree(ctx, under, func(in checkInput) error {
		if !holdsElections(in.Org.Type) {
			return nil
		}
		e := Election{Org: ref(in.Org), Term: in.Term, State: "missing"}
		if in.Term != nil {
			if in.Term.DueOn.After(limit) {
				return nil
			}
			e.DueOn = in.Term.DueOn
			days := today.DaysUntil(in.Term.DueOn)
			e.DaysLeft = &days
			e.State = "due_soon"
			if days < 0 {
				e.State = "overdue"
			}
		}
		all = append(all, e)
		return nil
	})
	if err != nil {
		return out, err
	}
	// Overdue first (most overdue on top), then due soon, then missing.
	sort.SliceStable(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if (a.DaysLeft == nil) != (b.DaysLeft == nil) {
			return a.DaysLeft != nil
		}
		if a.DaysLeft != nil && *a.DaysLeft != *b.DaysLeft {
			return *a.DaysLeft < *b.DaysLeft
		}
		return a.Org.Code < b.Org.Code
	})
	out.Total = len(all)
	start := min(page.Offset(), len(all))
	out.Items = append(out.Items, all[start:min(start+page.Size, len(all))]...)
	return out, nil
}

// Stats summarises a subtree (including its root).
func (s *Store) Stats(ctx context.Context, under int64) (*Stats, error) {
	where, args := access.Filter(ctx, "o.path", access.OrgRead)
	if under != 0 {
		root, err := s.find(ctx, s.db, under, access.OrgRead)
		if err != nil {
			return nil, err
		}
		where += " AND o.path LIKE ?"
		args = append(args, root.Path+"%")
	}
	rows, err := s.db.Query(ctx, `SELECT o.type, o.unit_type, o.status, COUNT(*) FROM orgs o WHERE `+where+` GROUP BY o.type, o.unit_type, o.status`, args...)
	if err != nil {
		return nil, err
	}
	st := &Stats{ByType: []Count{}, ByUnitType: []Count{}}
	byType, byUnit := map[string]int{}, map[string]int{}
	for rows.Next() {
		var t Type
		var u UnitType
		var status Status
		var n int
		if err := rows.Scan(&t, &u, &status, &n); err != nil {
			rows.Close()
			return nil, err
		}
		st.Total += n
		if status == StatusDissolved {
			st.Dissolved += n
			continue
		}
		st.Active += n
		byType[string(t)] += n
		byUnit[string(u)] += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, o := range typeNames {
		if n := byType[o.Code]; n > 0 {
			st.ByType = append(st.ByType, Count{o.Code, o.Name, n})
		}
	}
	for _, o := range unitTypeNames {
		if n := byUnit[o.Code]; n > 0 {
			st.ByUnitType = append(st.ByUnitType, Count{o.Code, o.Name, n})
		}
	}
	err = s.walkSubtree(ctx, under, func(in checkInput) error {
		if !holdsElections(in.Org.Type) {
			return nil
		}
		switch {
		case in.Term == nil:
			st.Elections.Missing++
		case in.Term.State == TermOverdue:
			st.Elections.Overdue++
		case in.Term.State == TermDueSoon:
			st.Elections.DueSoon++
		default:
			st.Elections.OK++
		}
		return nil
	})
	return st, err
}

// Export writes the subtree (including its root) as an .xlsx workbook, streamed row by row.
func (s *Store) Export(ctx context.Context, under int64, w io.Writer) error {
	where, args := access.Filter(ctx, "o.path", access.OrgRead)
	if under != 0 {
		root, err := s.find(ctx, s.db, under, access.OrgRead)
		if err != nil {
			return err
		}
		where += " AND o.path LIKE ?"
		args = append(args, root.Path+"%")
	}
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "党组织"
	f.SetSheetName("Sheet1", sheet)
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	header := []any{"组织代码", "组织名称", "简称", "组织类别", "所在单位类型", "统计用区划代码", "上级组织代码", "上级组织",
		"状态", "成立日期", "撤销日期", "撤销原因", "所在单位", "书记", "本届选举日期", "应换届日期"}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"F2DCDB"}, Pattern: 1}})
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	for i, width := range []float64{18, 40, 20, 10, 12, 16, 18, 36, 8, 12, 12, 20, 30, 10, 14, 14} {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := sw.SetRow("A1", cells, excelize.RowOpts{Height: 20}); err != nil {
		return err
	}
	rows, err := s.db.Query(ctx, `SELECT o.code, o.name, o.short_name, o.type, o.unit_type, o.division_code, COALESCE(p.code, ''), COALESCE(p.name, ''),
		o.status, o.established_on, o.dissolved_on, o.dissolved_reason,
		COALESCE((SELECT `+s.db.StringAgg("u.name", "、", "u.seq")+` FROM org_units u WHERE u.org_id = o.id), ''),
		COALESCE((SELECT l.name FROM org_leaders l WHERE l.term_id = t.id AND l.post = 'secretary' AND l.ended_on IS NULL ORDER BY l.id LIMIT 1), ''),
		t.elected_on, COALESCE(t.extended_to, t.ends_on)
		FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id
		LEFT JOIN org_terms t ON t.org_id = o.id AND t.closed_on IS NULL
		WHERE `+where+` ORDER BY o.path`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	r := 2
	for rows.Next() {
		var code, name, short, parentCode, parentName, division, reason, units, secretary string
		var t Type
		var u UnitType
		var st Status
		var est, dis, elected, due civil.Date
		if err := rows.Scan(&code, &name, &short, &t, &u, &division, &parentCode, &parentName, &st, &est, &dis, &reason, &units, &secretary, &elected, &due); err != nil {
			return err
		}
		row := []any{code, name, short, t.Name(), u.Name(), division, parentCode, parentName, st.Name(),
			est.String(), dis.String(), reason, units, secretary, elected.String(), due.String()}
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
		r++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
