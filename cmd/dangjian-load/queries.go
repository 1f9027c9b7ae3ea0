package main

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/org"
)

// nodeRef is one organisation queries run at.
type nodeRef struct {
	Kind    string `json:"kind"` // root, city, county, street, branch
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Path    string `json:"path"`
	Members int    `json:"members"`
}

// latency is the distribution of one operation's wall time (milliseconds).
type latency struct {
	Op    string  `json:"op"` // roster, stats, tree.children, tree.path
	Node  nodeRef `json:"node"`
	Case  string  `json:"case"`
	N     int     `json:"n"`
	P50   float64 `json:"p50_ms"`
	P95   float64 `json:"p95_ms"`
	P99   float64 `json:"p99_ms"`
	Mean  float64 `json:"mean_ms"`
	Total int     `json:"total"` // the roster's total, for the record
}

func summarize(ds []time.Duration) (p50, p95, p99, mean float64) {
	if len(ds) == 0 {
		return
	}
	xs := make([]float64, len(ds))
	sum := 0.0
	for i, d := range ds {
		xs[i] = float64(d) / float64(time.Millisecond)
		sum += xs[i]
	}
	sort.Float64s(xs)
	q := func(p float64) float64 { return xs[min(len(xs)-1, int(math.Ceil(p*float64(len(xs))))-1)] }
	return q(0.50), q(0.95), q(0.99), sum / float64(len(xs))
}

// pickNodes chooses the nodes of each kind: the root, a 市委, a 县委 (in a province, the one
// closest in size to the county tier's 武陵区, so that county → province compares like with like),
// a 街道 and a 支部 of typical size.
func pickNodes(ctx context.Context, d *db.DB) ([]nodeRef, error) {
	var out []nodeRef
	one := func(kind, where string, order string) error {
		var n nodeRef
		err := d.QueryRow(ctx, `SELECT id, name, path, COALESCE(full_members, 0) + COALESCE(probationary_members, 0) FROM orgs WHERE `+where+` ORDER BY `+order+` LIMIT 1`).
			Scan(&n.ID, &n.Name, &n.Path, &n.Members)
		if err == sql.ErrNoRows {
			return nil
		}
		if err != nil {
			return err
		}
		n.Kind = kind
		out = append(out, n)
		return nil
	}
	if err := one("root", "parent_id IS NULL", "full_members DESC"); err != nil {
		return nil, err
	}
	if err := one("city", "unit_type = 'local' AND length(division_code) = 4 AND parent_id IS NOT NULL", "code"); err != nil {
		return nil, err
	}
	const wuling = 16870 // members of the county tier (430702)
	size := "ABS(COALESCE(full_members, 0) + COALESCE(probationary_members, 0) - " + fmt.Sprint(wuling) + ")"
	if err := one("county", "unit_type = 'local' AND length(division_code) = 6", size+", code"); err != nil {
		return nil, err
	}
	if err := one("street", "type = 'working_committee' AND unit_type = 'street' AND full_members > 0", "ABS(full_members - 2000), code"); err != nil {
		return nil, err
	}
	if err := one("branch", "type = 'branch' AND full_members > 0", "ABS(full_members - 30), code"); err != nil {
		return nil, err
	}
	return out, nil
}

type rosterCase struct {
	name string
	f    member.ListFilter
	page int
}

var rosterCases = []rosterCase{
	{"default", member.ListFilter{}, 1},
	{"status=normal", member.ListFilter{Status: member.StatusNormal}, 1},
	{"age_band=36-40", member.ListFilter{AgeBand: "36-40"}, 1},
	{"education=1", member.ListFilter{Education: "1"}, 1},
	{"status+age+edu", member.ListFilter{Status: member.StatusNormal, AgeBand: "41-45", Education: "2"}, 1},
	{"default, page 50", member.ListFilter{}, 50},
	{"sort=-joined_on", member.ListFilter{Sort: "-joined_on"}, 1},
}

// admin is the principal the queries run as: an org-admin of the root, like the 组织部 of the
// tier (its scope filter is part of every query, as in production).
func admin(ctx context.Context, root nodeRef) context.Context {
	return access.With(ctx, &access.Principal{UserID: 1, Username: "admin", Grants: []access.Grant{{Role: "org-admin", OrgID: root.ID, OrgPath: root.Path}}})
}

func queryPhase(ctx context.Context, e *env, r *tierResult) error {
	d, ms, orgs, err := e.store(ctx)
	if err != nil {
		return err
	}
	defer d.Close()
	nodes, err := pickNodes(ctx, d)
	if err != nil {
		return err
	}
	actx := admin(ctx, nodes[0])
	r.Queries = nil
	measure := func(op string, n nodeRef, cs string, iters int, fn func() (int, error)) error {
		var ds []time.Duration
		total := 0
		for i := 0; i < iters+3; i++ {
			start := time.Now()
			t, err := fn()
			if err != nil {
				return fmt.Errorf("%s %s %s: %w", op, n.Kind, cs, err)
			}
			if i >= 3 { // the first calls warm the caches
				ds = append(ds, time.Since(start))
			}
			total = t
			if ctx.Err() != nil {
				return ctx.Err()
			}
		}
		l := latency{Op: op, Node: n, Case: cs, N: len(ds), Total: total}
		l.P50, l.P95, l.P99, l.Mean = summarize(ds)
		r.Queries = append(r.Queries, l)
		log.Printf("   %-13s %-7s %-18s p50 %7.2f  p95 %7.2f  p99 %7.2f ms  (total %d)", op, n.Kind, cs, l.P50, l.P95, l.P99, total)
		return nil
	}
	for _, n := range nodes {
		for _, c := range rosterCases {
			if c.f.Sort != "" && n.Members > 300000 {
				continue // a sort of the whole subtree: measured where it is bounded
			}
			f := c.f
			f.Under = n.ID
			if err := measure("roster", n, c.name, 40, func() (int, error) {
				l, err := ms.List(actx, f, api.Paging{Page: c.page, Size: 20})
				return l.Total, err
			}); err != nil {
				return err
			}
		}
		if err := measure("stats", n, "structure", 20, func() (int, error) {
			st, err := ms.Stats(actx, n.ID, orgs)
			if err != nil {
				return 0, err
			}
			return st.Total, nil
		}); err != nil {
			return err
		}
		if err := measure("tree.children", n, "children", 60, func() (int, error) {
			ch, err := orgs.Tree(actx, n.ID, false)
			return len(ch), err
		}); err != nil {
			return err
		}
	}
	// Path to root from the deepest organisation (a 党小组).
	var deep nodeRef
	if err := d.QueryRow(ctx, `SELECT id, name, path FROM orgs ORDER BY depth DESC, id LIMIT 1`).Scan(&deep.ID, &deep.Name, &deep.Path); err != nil {
		return err
	}
	deep.Kind = "deepest"
	if err := measure("tree.path", deep, "ancestors", 60, func() (int, error) {
		o, err := orgs.Get(actx, deep.ID)
		if err != nil {
			return 0, err
		}
		return len(o.Ancestors), nil
	}); err != nil {
		return err
	}
	return explainAll(ctx, e, d, ms, orgs, actx, nodes, r)
}

// plan is the query plan of one statement a request ran.
type plan struct {
	What  string `json:"what"`
	Query string `json:"query"`
	Plan  string `json:"plan"`
}

// explainAll records the plans of the statements behind a roster page, a statistic and the
// tree at the root and at the county node.
func explainAll(ctx context.Context, e *env, d *db.DB, ms *member.Store, orgs *org.Store, actx context.Context, nodes []nodeRef, r *tierResult) error {
	r.Plans = nil
	var county nodeRef
	for _, n := range nodes {
		if n.Kind == "county" {
			county = n
		}
	}
	type call struct {
		what string
		fn   func() error
	}
	calls := []call{
		{"roster at the root, status+age+edu", func() error {
			_, err := ms.List(actx, member.ListFilter{Under: nodes[0].ID, Status: member.StatusNormal, AgeBand: "41-45", Education: "2"}, api.Paging{Page: 1, Size: 20})
			return err
		}},
		{"roster at the county node, default", func() error {
			_, err := ms.List(actx, member.ListFilter{Under: county.ID}, api.Paging{Page: 1, Size: 20})
			return err
		}},
		{"statistics at the root", func() error { _, err := ms.Stats(actx, nodes[0].ID, orgs); return err }},
		{"tree children of the root", func() error { _, err := orgs.Tree(actx, nodes[0].ID, false); return err }},
	}
	seen := map[string]bool{}
	for _, c := range calls {
		var qs []string
		var as [][]any
		d.Trace = func(q string, args []any) { qs, as = append(qs, q), append(as, args) }
		err := c.fn()
		d.Trace = nil
		if err != nil {
			return err
		}
		for i, q := range qs {
			if seen[q] || strings.Contains(q, "code_items") {
				continue
			}
			seen[q] = true
			p, err := explain(ctx, d, q, as[i])
			if err != nil {
				p = "EXPLAIN failed: " + err.Error()
			}
			r.Plans = append(r.Plans, plan{What: c.what, Query: oneLine(q), Plan: p})
		}
	}
	return nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func explain(ctx context.Context, d *db.DB, q string, args []any) (string, error) {
	if d.Dialect == db.Postgres {
		rows, err := d.Query(ctx, `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) `+q, args...)
		if err != nil {
			return "", err
		}
		defer rows.Close()
		var b strings.Builder
		for rows.Next() {
			var line string
			rows.Scan(&line)
			b.WriteString(line + "\n")
		}
		return b.String(), rows.Err()
	}
	rows, err := d.Query(ctx, `EXPLAIN QUERY PLAN `+q, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	depth := map[int]int{}
	var b strings.Builder
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return "", err
		}
		depth[id] = depth[parent] + 1
		b.WriteString(strings.Repeat("  ", depth[id]-1) + detail + "\n")
	}
	return b.String(), rows.Err()
}
