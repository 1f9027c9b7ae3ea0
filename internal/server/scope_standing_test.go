package server

import (
	"context"
	"fmt"
	"testing"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/member"
)

// standingScopeCases are the scope cases of 党籍管理 and 党员数量变化: the street user (街道 A)
// must not read or change the 党籍 of 街道 B's member, nor draw or freeze B's or the root's
// report; their own work.
func standingScopeCases(t *testing.T, f *fixture, c *client) map[string]func() {
	sys := access.System(context.Background())
	expect := func(what string, got, want int) {
		t.Helper()
		if got != want {
			t.Errorf("%s: status %d, want %d", what, got, want)
		}
	}
	bUnchanged := func(what string) {
		t.Helper()
		if m, err := f.members.Get(sys, f.bMember.ID, false); err != nil || m.Status != member.StatusNormal || len(m.StatusChanges) != 0 {
			t.Errorf("%s changed B's member: %+v %v", what, m, err)
		}
	}
	lastYear := civil.Today().Year() - 1
	return map[string]func(){
		"GET /api/v1/standing/kinds": func() { expect("procedures", c.do("GET", "/api/v1/standing/kinds", nil, nil), 200) },
		"PUT /api/v1/standing/settings": func() {
			expect("settings as an org admin", c.do("PUT", "/api/v1/standing/settings", map[string]any{"lapse_level": "warn"}, nil), 403)
		},
		"GET /api/v1/members/{id}/status-changes": func() {
			expect("standing of B's member", c.do("GET", fmt.Sprintf("/api/v1/members/%d/status-changes", f.bMember.ID), nil, nil), 404)
			expect("standing of own member", c.do("GET", fmt.Sprintf("/api/v1/members/%d/status-changes", f.aMember.ID), nil, nil), 200)
		},
		"POST /api/v1/members/{id}/status-changes": func() {
			body := map[string]any{"kind": "death", "on": civil.Today().String(), "reason": "病故"}
			expect("death of B's member", c.do("POST", fmt.Sprintf("/api/v1/members/%d/status-changes", f.bMember.ID), body, nil), 404)
			bUnchanged("POST status-changes")
		},
		"GET /api/v1/stats/member-changes": func() {
			expect("report of B", c.do("GET", fmt.Sprintf("/api/v1/stats/member-changes?org=%d", f.b.ID), nil, nil), 404)
			expect("report of the root", c.do("GET", fmt.Sprintf("/api/v1/stats/member-changes?org=%d", f.root.ID), nil, nil), 404)
			var rep struct {
				OrgID int64 `json:"org_id"`
			}
			expect("own report", c.do("GET", "/api/v1/stats/member-changes", nil, &rep), 200)
			if rep.OrgID != f.a.ID {
				t.Errorf("default report is of %d, want 街道 A (%d)", rep.OrgID, f.a.ID)
			}
		},
		"GET /api/v1/stats/member-changes/export": func() {
			expect("export of B", c.do("GET", fmt.Sprintf("/api/v1/stats/member-changes/export?org=%d", f.b.ID), nil, nil), 404)
			expect("own export", c.do("GET", fmt.Sprintf("/api/v1/stats/member-changes/export?org=%d", f.a.ID), nil, nil), 200)
		},
		"POST /api/v1/stats/member-changes/snapshots": func() {
			expect("freeze B", c.do("POST", "/api/v1/stats/member-changes/snapshots", map[string]any{"org_id": f.b.ID, "year": lastYear}, nil), 404)
			expect("freeze the root", c.do("POST", "/api/v1/stats/member-changes/snapshots", map[string]any{"org_id": f.root.ID, "year": lastYear}, nil), 404)
			var n int
			f.d.QueryRow(context.Background(), `SELECT COUNT(*) FROM member_count_snapshots`).Scan(&n)
			if n != 0 {
				t.Errorf("%d snapshots written outside the caller's scope", n)
			}
		},
	}
}
