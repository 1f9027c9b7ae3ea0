package org

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/db/dbtest"
)

var today = civil.New(2026, 11, 22)

func newStore(d *db.DB) *Store {
	s := NewStore(d)
	s.Today = func() civil.Date { return today }
	return s
}

func as(role, path string) context.Context {
	return access.With(context.Background(), &access.Principal{UserID: 7, Username: "tester",
		Grants: []access.Grant{{Role: role, OrgPath: path}}})
}

// county builds 县委 → 两个街道党工委 → 社区党委 → 党支部.
type county struct {
	root, streetA, streetB, community, branch *Org
}

func buildCounty(t *testing.T, s *Store) county {
	t.Helper()
	sys := access.System(context.Background())
	mk := func(code, name string, typ Type, unit UnitType, parent *Org) *Org {
		in := CreateInput{Code: code, Name: name, Type: typ, UnitType: unit}
		if parent != nil {
			in.ParentID = parent.ID
		}
		o, err := s.Create(sys, in)
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		return o
	}
	var c county
	c.root = mk("430702000000001", "中共常德市武陵区委员会", TypeCommittee, UnitLocal, nil)
	c.streetA = mk("430702001000001", "中共常德市武陵区启明街道工作委员会", TypeWorkingCommittee, UnitStreet, c.root)
	c.streetB = mk("430702002000001", "中共常德市武陵区府坪街道工作委员会", TypeWorkingCommittee, UnitStreet, c.root)
	c.community = mk("430702001001001", "中共启明街道某社区委员会", TypeCommittee, UnitCommunity, c.streetA)
	c.branch = mk("430702001001002", "中共某社区第一支部委员会", TypeBranch, UnitCommunity, c.community)
	return c
}

func fieldOf(err error) string {
	var e *api.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		return e.Fields[0].Field
	}
	return ""
}

func statusOf(err error) int {
	var e *api.Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

func TestScopedUserSeesOnlyTheirSubtree(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newStore(d)
		c := buildCounty(t, s)
		ctx := as("org-admin", c.streetA.Path)

		roots, err := s.Tree(ctx, 0, false)
		if err != nil || len(roots) != 1 || roots[0].ID != c.streetA.ID {
			t.Fatalf("tree roots = %+v, %v; want only 启明街道", roots, err)
		}
		list, err := s.List(ctx, ListFilter{}, api.Paging{Page: 1, Size: 50})
		if err != nil || list.Total != 3 {
			t.Fatalf("list total = %d, %v; want 3 (街道, 社区, 支部)", list.Total, err)
		}
		if _, err := s.Get(ctx, c.streetB.ID); statusOf(err) != http.StatusNotFound {
			t.Fatalf("get outside subtree: %v, want 404", err)
		}
		if _, err := s.Get(ctx, c.root.ID); statusOf(err) != http.StatusNotFound {
			t.Fatalf("get the parent above the scope: %v, want 404", err)
		}
		name := "改名"
		if _, err := s.Update(ctx, c.streetB.ID, UpdateInput{Name: &name, Version: 1}); statusOf(err) != http.StatusNotFound {
			t.Fatalf("update outside subtree: %v, want 404", err)
		}
		if err := s.Delete(ctx, c.streetB.ID); statusOf(err) != http.StatusNotFound {
			t.Fatalf("delete outside subtree: %v, want 404", err)
		}
		if _, err := s.Create(ctx, CreateInput{Code: "X1", Name: "外面的支部", Type: TypeBranch, UnitType: UnitOther, ParentID: c.streetB.ID}); fieldOf(err) != "parent_id" {
			t.Fatalf("create under a parent outside the subtree: %v, want a parent_id error", err)
		}
		got, err := s.Get(ctx, c.branch.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Ancestors) != 2 || got.Ancestors[0].ID != c.streetA.ID {
			t.Fatalf("ancestors = %+v; want 启明街道 and 社区 only (nothing above the scope)", got.Ancestors)
		}
		// No principal at all: nothing.
		if l, _ := s.List(context.Background(), ListFilter{}, api.Paging{Page: 1, Size: 50}); l.Total != 0 {
			t.Fatalf("no principal listed %d orgs", l.Total)
		}
	})
}

func TestViewerCannotWrite(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newStore(d)
		c := buildCounty(t, s)
		ctx := as("org-viewer", c.root.Path)
		name := "改名"
		if _, err := s.Update(ctx, c.branch.ID, UpdateInput{Name: &name, Version: c.branch.Version}); statusOf(err) != http.StatusForbidden {
			t.Fatalf("viewer update: %v, want 403", err)
		}
		if _, err := s.Create(ctx, CreateInput{Code: "X1", Name: "新支部", Type: TypeBranch, UnitType: UnitOther, ParentID: c.community.ID}); statusOf(err) != http.StatusForbidden {
			t.Fatalf("viewer create: %v, want 403", err)
		}
	})
}

func TestMoveRewritesTheSubtreeAndScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newStore(d)
		c := buildCounty(t, s)
		admin := as("org-admin", c.root.Path)
		moved, err := s.Move(admin, c.community.ID, MoveInput{ParentID: c.streetB.ID})
		if err != nil {
			t.Fatal(err)
		}
		if *moved.ParentID != c.streetB.ID || moved.Depth != 2 {
			t.Fatalf("moved = parent %d depth %d", *moved.ParentID, moved.Depth)
		}
		// The branch below moved with it: the 府坪 user now sees it, the 启明 user does not.
		if _, err := s.Get(as("org-viewer", c.streetB.Path), c.branch.ID); err != nil {
			t.Fatalf("new parent's user cannot see the moved branch: %v", err)
		}
		if _, err := s.Get(as("org-viewer", c.streetA.Path), c.branch.ID); statusOf(err) != http.StatusNotFound {
			t.Fatalf("old parent's user still sees the moved branch: %v", err)
		}
		branch, _ := s.Get(admin, c.branch.ID)
		if branch.Depth != 3 || len(branch.Ancestors) != 3 || branch.Ancestors[1].ID != c.streetB.ID {
			t.Fatalf("branch after move: depth %d ancestors %+v", branch.Depth, branch.Ancestors)
		}
		// A cycle, a wrong nesting and a dissolved parent are refused.
		if _, err := s.Move(admin, c.streetB.ID, MoveInput{ParentID: c.branch.ID}); fieldOf(err) != "parent_id" {
			t.Fatalf("move into own subtree: %v, want a parent_id error", err)
		}
		if _, err := s.Move(admin, c.community.ID, MoveInput{ParentID: c.community.ID}); fieldOf(err) != "parent_id" {
			t.Fatalf("move under itself: %v", err)
		}
		if _, err := s.Move(admin, c.streetA.ID, MoveInput{ParentID: c.branch.ID}); fieldOf(err) != "parent_id" {
			t.Fatalf("党工委 under a 党支部: %v", err)
		}
		h, _ := s.History(admin, c.community.ID)
		if len(h) != 2 || h[0].Kind != "move" {
			t.Fatalf("history = %+v; want move then create", h)
		}
	})
}

func TestCreateRejectsBadInputAndSavesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newStore(d)
		c := buildCounty(t, s)
		admin := as("org-admin", c.root.Path)
		cases := []struct {
			name  string
			in    CreateInput
			field string
		}{
			{"duplicate code", CreateInput{Code: c.branch.Code, Name: "重复", Type: TypeBranch, UnitType: UnitOther, ParentID: c.community.ID}, "code"},
			{"unknown parent", CreateInput{Code: "N1", Name: "无上级", Type: TypeBranch, UnitType: UnitOther, ParentID: 99999}, "parent_id"},
			{"党委 under 党支部", CreateInput{Code: "N2", Name: "错层", Type: TypeCommittee, UnitType: UnitOther, ParentID: c.branch.ID}, "type"},
			{"no name", CreateInput{Code: "N3", Type: TypeBranch, UnitType: UnitOther, ParentID: c.community.ID}, "name"},
			{"bad code", CreateInput{Code: "有 空格", Name: "x", Type: TypeBranch, UnitType: UnitOther, ParentID: c.community.ID}, "code"},
			{"unknown type", CreateInput{Code: "N4", Name: "x", Type: "club", UnitType: UnitOther, ParentID: c.community.ID}, "type"},
			{"future founding", CreateInput{Code: "N5", Name: "x", Type: TypeBranch, UnitType: UnitOther, ParentID: c.community.ID, EstablishedOn: today.AddDate(0, 0, 1)}, "established_on"},
			{"no root for users", CreateInput{Code: "N6", Name: "新县委", Type: TypeCommittee, UnitType: UnitLocal}, "parent_id"},
		}
		for _, tc := range cases {
			_, err := s.Create(admin, tc.in)
			var e *api.Error
			if !errors.As(err, &e) || e.Status != http.StatusUnprocessableEntity || !e.Fields.Has(tc.field) {
				t.Errorf("%s: %v, want 422 on %s", tc.name, err, tc.field)
			}
		}
		list, _ := s.List(admin, ListFilter{Status: "all"}, api.Paging{Page: 1, Size: 50})
		if list.Total != 5 { // the county's five organisations and nothing half-saved
			t.Fatalf("after bad input there are %d orgs, want 5", list.Total)
		}
	})
}

func TestDissolveRestoreDelete(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newStore(d)
		c := buildCounty(t, s)
		admin := as("org-admin", c.root.Path)
		if _, err := s.Dissolve(admin, c.community.ID, DissolveInput{Date: today, Reason: "撤并"}); statusOf(err) != http.StatusConflict {
			t.Fatalf("dissolve with an active child: %v, want 409", err)
		}
		if _, err := s.Dissolve(admin, c.branch.ID, DissolveInput{Date: today}); fieldOf(err) != "reason" {
			t.Fatalf("dissolve without reason: %v", err)
		}
		o, err := s.Dissolve(admin, c.branch.ID, DissolveInput{Date: today, Reason: "党员人数不足，并入第二支部"})
		if err != nil || o.Status != StatusDissolved || o.DissolvedOn != today {
			t.Fatalf("dissolve: %+v %v", o, err)
		}
		if l, _ := s.List(admin, ListFilter{Under: c.community.ID}, api.Paging{Page: 1, Size: 20}); l.Total != 0 {
			t.Fatalf("dissolved branch still listed as active")
		}
		if l, _ := s.List(admin, ListFilter{Under: c.community.ID, Status: "dissolved"}, api.Paging{Page: 1, Size: 20}); l.Total != 1 {
			t.Fatalf("dissolved branch not listed under status=dissolved")
		}
		if err := s.Delete(admin, c.community.ID); statusOf(err) != http.StatusConflict {
			t.Fatalf("delete an org with a (dissolved) child: %v, want 409", err)
		}
		if o, err := s.Restore(admin, c.branch.ID); err != nil || o.Status != StatusActive {
			t.Fatalf("restore: %v", err)
		}
		// A record of another capability (here a meeting) still names the branch: refused with a
		// reason, not a database error.
		now := time.Now().UTC()
		if _, err := d.Exec(context.Background(), `INSERT INTO meetings (org_id, type, held_on, created_by, created_at, updated_at) VALUES (?, 'branch_congress', ?, 'test', ?, ?)`,
			c.branch.ID, today, now, now); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(admin, c.branch.ID); statusOf(err) != http.StatusConflict || !strings.Contains(err.Error(), "撤销") {
			t.Fatalf("delete an org with a meeting: %v, want 409 saying to dissolve it", err)
		}
		if _, err := d.Exec(context.Background(), `DELETE FROM meetings WHERE org_id = ?`, c.branch.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(admin, c.branch.ID); err != nil {
			t.Fatalf("delete a leaf entered by mistake: %v", err)
		}
		if _, err := s.Get(admin, c.branch.ID); statusOf(err) != http.StatusNotFound {
			t.Fatal("deleted org still there")
		}
		var n int
		d.QueryRow(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'org.delete'`).Scan(&n)
		if n != 1 {
			t.Fatalf("delete not audited")
		}
	})
}

func TestUpdateDetectsStaleVersionAndRecordsHistory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newStore(d)
		c := buildCounty(t, s)
		admin := as("org-admin", c.root.Path)
		name := "中共某社区第一党支部委员会"
		o, err := s.Update(admin, c.branch.ID, UpdateInput{Name: &name, Version: c.branch.Version})
		if err != nil || o.Name != name || o.Version != c.branch.Version+1 {
			t.Fatalf("update: %+v %v", o, err)
		}
		if _, err := s.Update(admin, c.branch.ID, UpdateInput{Name: &name, Version: c.branch.Version}); statusOf(err) != http.StatusConflict {
			t.Fatalf("stale version: %v, want 409", err)
		}
		branchType := TypeGeneralBranch
		// A 党总支 may not sit under... it may sit under a 党委, so this passes; a 党组 with a child would not.
		if _, err := s.Update(admin, c.community.ID, UpdateInput{Type: ptr(TypeLeadingGroup), Version: c.community.Version}); fieldOf(err) != "type" {
			t.Fatalf("党组 with a branch below: %v, want a type error", err)
		}
		if _, err := s.Update(admin, c.community.ID, UpdateInput{Type: &branchType, Version: c.community.Version}); err != nil {
			t.Fatalf("党委 → 党总支 with a branch below: %v", err)
		}
		h, _ := s.History(admin, c.branch.ID)
		if len(h) != 2 || h[0].Kind != "update" || h[0].Username != "tester" {
			t.Fatalf("history = %+v", h)
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestTermsDeriveDueDatesAndLimitExtensions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newStore(d)
		c := buildCounty(t, s)
		admin := as("org-admin", c.root.Path)
		// A 社区 党委: 5 years. Elected 2021-12-01 → due 2026-12-01, within the reminder window.
		term, err := s.CreateTerm(admin, c.community.ID, TermInput{ElectedOn: civil.New(2021, 12, 1), Leaders: []LeaderInput{
			{Name: "王建国", Post: PostSecretary}, {Name: "李秀英", Post: PostDeputySecretary}, {Name: "张伟", Post: PostOrganization},
		}})
		if err != nil {
			t.Fatal(err)
		}
		if term.EndsOn != civil.New(2026, 12, 1) || term.TermYears != 5 || term.State != TermDueSoon || len(term.Leaders) != 3 {
			t.Fatalf("community term = %+v", term)
		}
		// A 党支部 outside villages: 3 years. Elected 2023-01-10 → due 2026-01-10, overdue.
		bt, err := s.CreateTerm(admin, c.branch.ID, TermInput{ElectedOn: civil.New(2023, 1, 10), Leaders: []LeaderInput{{Name: "赵敏", Post: PostSecretary}}})
		if err != nil {
			t.Fatal(err)
		}
		if bt.TermYears != 5 { // the branch sits in a 社区: 村/社区 organisations serve 5 years
			t.Fatalf("community branch term years = %d, want 5", bt.TermYears)
		}
		// Extension: more than a year past the end is refused with its source.
		_, err = s.UpdateTerm(admin, term.ID, TermUpdate{ExtendedTo: ptr(civil.New(2028, 1, 1)), ExtensionReason: ptr("疫情"), ExtensionApproval: ptr("武组〔2026〕1号")})
		if fieldOf(err) != "extended_to" {
			t.Fatalf("extension beyond one year: %v", err)
		}
		_, err = s.UpdateTerm(admin, term.ID, TermUpdate{ExtendedTo: ptr(civil.New(2027, 6, 1))})
		var e *api.Error
		if !errors.As(err, &e) || !e.Fields.Has("extension_reason") || !e.Fields.Has("extension_approval") {
			t.Fatalf("extension without reason and approval: %v", err)
		}
		ext, err := s.UpdateTerm(admin, term.ID, TermUpdate{ExtendedTo: ptr(civil.New(2027, 6, 1)), ExtensionReason: ptr("与村委会换届同步"), ExtensionApproval: ptr("武组〔2026〕1号")})
		if err != nil || ext.DueOn != civil.New(2027, 6, 1) || ext.State != TermCurrent {
			t.Fatalf("extension: %+v %v", ext, err)
		}
		// A term that ends before it starts is refused.
		if _, err := s.CreateTerm(admin, c.streetB.ID, TermInput{ElectedOn: civil.New(2024, 1, 1), EndsOn: civil.New(2023, 1, 1)}); fieldOf(err) != "ends_on" {
			t.Fatalf("term ending before it starts: %v", err)
		}
		// 换届: the new term closes the old one and its leaders.
		next, err := s.CreateTerm(admin, c.community.ID, TermInput{ElectedOn: civil.New(2026, 11, 1), Leaders: []LeaderInput{{Name: "李秀英", Post: PostSecretary}}})
		if err != nil || next.DueOn != civil.New(2031, 11, 1) {
			t.Fatalf("next term: %+v %v", next, err)
		}
		cm, _ := s.Committee(admin, c.community.ID)
		if cm.Current.ID != next.ID || len(cm.Terms) != 2 || cm.Terms[1].State != TermEnded || cm.Terms[1].Leaders[0].EndedOn != civil.New(2026, 11, 1) {
			t.Fatalf("committee after 换届: %+v", cm)
		}
		if _, err := s.AddLeader(admin, next.ID, LeaderInput{Name: "周强", Post: PostSecretary}); fieldOf(err) != "post" {
			t.Fatalf("second secretary: %v", err)
		}
	})
}

func TestElectionsListAndFindings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newStore(d)
		c := buildCounty(t, s)
		admin := as("org-admin", c.root.Path)
		mustTerm := func(o *Org, elected civil.Date) {
			if _, err := s.CreateTerm(admin, o.ID, TermInput{ElectedOn: elected, Leaders: []LeaderInput{{Name: "王芳", Post: PostSecretary}}}); err != nil {
				t.Fatal(err)
			}
		}
		mustTerm(c.root, civil.New(2021, 6, 1))      // county 党委: due 2026-06-01, overdue
		mustTerm(c.streetA, civil.New(2022, 3, 1))   // due 2027-03-01, within 180 days
		mustTerm(c.streetB, civil.New(2025, 1, 1))   // due 2030: fine
		mustTerm(c.community, civil.New(2023, 5, 1)) // due 2028: fine
		// c.branch has no term: missing.
		list, err := s.Elections(admin, 0, 180, api.Paging{Page: 1, Size: 20})
		if err != nil {
			t.Fatal(err)
		}
		if list.Total != 3 || list.Items[0].Org.ID != c.root.ID || list.Items[0].State != "overdue" ||
			list.Items[1].Org.ID != c.streetA.ID || list.Items[1].State != "due_soon" || list.Items[2].State != "missing" {
			t.Fatalf("elections = %+v", list.Items)
		}
		if *list.Items[0].DaysLeft != -174 {
			t.Fatalf("days left = %d, want -174", *list.Items[0].DaysLeft)
		}
		scoped, _ := s.Elections(as("org-viewer", c.streetB.Path), 0, 180, api.Paging{Page: 1, Size: 20})
		if scoped.Total != 0 {
			t.Fatalf("府坪 user sees %d elections outside their subtree", scoped.Total)
		}
		checks, _ := s.Checks(admin, c.root.ID)
		if len(checks) != 1 || checks[0].RuleID != "org.term.overdue" || checks[0].Source == "" {
			t.Fatalf("checks = %+v", checks)
		}
		f, _ := s.Findings(admin, 0, api.Paging{Page: 1, Size: 20})
		if f.Total != 3 {
			t.Fatalf("findings total = %d, want 3 (overdue, due soon, missing)", f.Total)
		}
		st, err := s.Stats(admin, 0)
		if err != nil || st.Total != 5 || st.Elections.Overdue != 1 || st.Elections.DueSoon != 1 || st.Elections.OK != 2 || st.Elections.Missing != 1 {
			t.Fatalf("stats = %+v %v", st, err)
		}
	})
}

func TestMemberCountChecksLightUpWhenCountsExist(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newStore(d)
		c := buildCounty(t, s)
		admin := as("org-admin", c.root.Path)
		ids := func(fs []Finding) (out []string) {
			for _, f := range fs {
				out = append(out, f.RuleID)
			}
			return
		}
		before, _ := s.Checks(admin, c.branch.ID)
		if len(before) != 1 || before[0].RuleID != "org.term.missing" {
			t.Fatalf("with unknown member counts only the term is flagged, got %v", ids(before))
		}
		// What the member registry will do: fill the counts.
		d.Exec(context.Background(), `UPDATE orgs SET full_members = 2, probationary_members = 0 WHERE id = ?`, c.branch.ID)
		after, _ := s.Checks(admin, c.branch.ID)
		if got := ids(after); len(got) != 2 || got[0] != "org.branch.min_full_members" {
			t.Fatalf("with 2 正式党员: %v", got)
		}
		d.Exec(context.Background(), `UPDATE orgs SET full_members = 48, probationary_members = 5 WHERE id = ?`, c.branch.ID)
		s.CreateTerm(admin, c.branch.ID, TermInput{ElectedOn: civil.New(2025, 1, 1), Leaders: []LeaderInput{{Name: "王芳", Post: PostSecretary}}})
		big, _ := s.Checks(admin, c.branch.ID)
		if got := ids(big); len(got) != 2 || got[0] != "org.branch.max_members" || got[1] != "org.branch.committee_threshold" {
			t.Fatalf("with 53 members and a one-person 班子: %v", got)
		}
	})
}

func TestExportWritesTheSubtree(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newStore(d)
		c := buildCounty(t, s)
		var buf bytes.Buffer
		if err := s.Export(as("org-viewer", c.streetA.Path), 0, &buf); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("党组织")
		if len(rows) != 4 || rows[0][0] != "组织代码" || rows[1][1] != c.streetA.Name || rows[3][3] != "党支部" {
			t.Fatalf("export rows = %v", rows)
		}
	})
}
