package org

import (
	"context"
	"testing"

	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/db/dbtest"
)

// sample is what a capability keeps per organisation: nil inherits.
type sample struct {
	Days  *int
	Mode  *string
	Limit *int
}

var sampleTable = SettingsTable[sample]{Table: "sample_settings", Columns: []string{"days", "mode", "lim"},
	Scan: func(scan func(dest ...any) error) (s sample, err error) {
		err = scan(&s.Days, &s.Mode, &s.Limit)
		return s, err
	}}

type sampleEffective struct {
	Days, Limit int
	Mode        string
	From        map[string]string
}

// resolve is what a capability writes: its defaults with their sources, then the chain root first.
func resolve(chain Chain[sample]) sampleEffective {
	e := sampleEffective{Days: 5, Mode: "four", Limit: 6, From: map[string]string{
		"days": "系统默认（丙规定）", "mode": "系统默认（甲规定）", "limit": "系统默认（乙规定）"}}
	for _, l := range chain {
		at := l.Label()
		Take(e.From, at, "days", &e.Days, l.Values.Days)
		Take(e.From, at, "mode", &e.Mode, l.Values.Mode)
		Take(e.From, at, "limit", &e.Limit, l.Values.Limit)
	}
	return e
}

func TestInheritedSettingsNearestAncestorWins(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newStore(d)
		c := buildCounty(t, s)
		ctx := context.Background()
		if _, err := d.Exec(ctx, `CREATE TABLE sample_settings (org_id BIGINT PRIMARY KEY REFERENCES orgs(id),
			days INTEGER, mode TEXT, lim INTEGER, updated_by TEXT NOT NULL, updated_at TIMESTAMP NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		set := func(o *Org, days *int, mode *string) {
			t.Helper()
			if err := d.InTx(ctx, func(tx *db.Tx) error { return sampleTable.Save(ctx, tx, o.ID, "tester", days, mode, nil) }); err != nil {
				t.Fatal(err)
			}
		}
		n := func(v int) *int { return &v }
		str := func(v string) *string { return &v }
		set(c.root, n(15), str("three")) // the county sets both
		set(c.streetA, n(10), nil)       // the street overrides days only
		set(c.streetB, n(99), nil)       // a sibling subtree: must not apply under streetA
		set(c.branch, nil, str("four"))  // the branch sets its own mode back

		county := as("org-admin", c.root.Path)
		get := func(ctx context.Context, o *Org) (sampleEffective, Chain[sample]) {
			t.Helper()
			chain, err := sampleTable.Chain(ctx, d, o.Path)
			if err != nil {
				t.Fatal(err)
			}
			return resolve(chain), chain
		}

		// The county sees every source by name; the nearest ancestor that set a value wins.
		e, chain := get(county, c.community)
		if e.Days != 10 || e.From["days"] != c.streetA.Name || e.Mode != "three" || e.From["mode"] != c.root.Name {
			t.Errorf("community as the county: %+v", e)
		}
		if _, ok := chain.Own(); ok {
			t.Errorf("the community set nothing, yet has an own row: %+v", chain)
		}
		// A value the organisation sets itself wins over every ancestor's and is labelled 本组织.
		e, chain = get(county, c.branch)
		if e.Days != 10 || e.From["days"] != c.streetA.Name || e.Mode != "four" || e.From["mode"] != "本组织" {
			t.Errorf("branch as the county: %+v", e)
		}
		if own, ok := chain.Own(); !ok || own.Mode == nil || *own.Mode != "four" || own.Days != nil {
			t.Errorf("branch's own row: %+v %v", own, ok)
		}
		// What nobody set keeps the default, labelled with its source.
		if e.Limit != 6 || e.From["limit"] != "系统默认（乙规定）" {
			t.Errorf("unset limit: %+v", e)
		}
		e, _ = get(county, c.streetB)
		if e.Days != 99 || e.From["days"] != "本组织" || e.Mode != "three" || e.From["mode"] != c.root.Name {
			t.Errorf("street B: %+v", e)
		}

		// A community viewer still gets the ancestors' values (settings are configuration), but
		// ancestors it may not read are named only as 上级组织.
		viewer := as("org-viewer", c.community.Path)
		e, _ = get(viewer, c.branch)
		if e.Days != 10 || e.From["days"] != "上级组织" || e.Mode != "four" || e.From["mode"] != "本组织" {
			t.Errorf("branch as a community viewer: %+v", e)
		}
		// A street viewer may read the street but not the county.
		street := as("org-viewer", c.streetA.Path)
		e, _ = get(street, c.community)
		if e.From["days"] != c.streetA.Name || e.From["mode"] != "上级组织" {
			t.Errorf("community as a street viewer: %+v", e)
		}

		// One Tree of a subtree resolves each of its organisations as Chain does, and holds no
		// row of a sibling subtree.
		tree, err := sampleTable.Tree(street, d, c.streetA.Path)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := tree[c.streetB.ID]; ok || len(tree) != 3 {
			t.Errorf("street A's tree: %+v", tree)
		}
		for _, o := range []*Org{c.streetA, c.community, c.branch} {
			want, _ := get(street, o)
			got := resolve(tree.Chain(o.Path))
			if got.Days != want.Days || got.Mode != want.Mode || got.From["days"] != want.From["days"] || got.From["mode"] != want.From["mode"] {
				t.Errorf("%s from the tree %+v, from its chain %+v", o.Name, got, want)
			}
		}

		// Saving again replaces the organisation's own row: a value left nil inherits again.
		set(c.streetA, nil, str("two"))
		e, _ = get(county, c.branch)
		if e.Days != 15 || e.From["days"] != c.root.Name || e.Mode != "four" || e.From["mode"] != "本组织" {
			t.Errorf("branch after street A saved again: %+v", e)
		}
		e, _ = get(county, c.community)
		if e.Mode != "two" || e.From["mode"] != c.streetA.Name {
			t.Errorf("community after street A saved again: %+v", e)
		}

		// A caller with no principal reads nothing, but the values still apply: every ancestor
		// is 上级组织.
		e, _ = get(context.Background(), c.branch)
		if e.Days != 15 || e.From["days"] != "上级组织" {
			t.Errorf("branch with no principal: %+v", e)
		}
	})
}
