package server

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/development"
	"github.com/dangjian/dangjian/internal/pii"
)

// developmentScopeCases are the scope cases of the 发展党员 endpoints: the street user (街道 A)
// must not read, list, advance or configure 街道 B's cases, nor see them in the 待办. B gets an
// open case and local settings first; the write cases check that they stay.
func developmentScopeCases(t *testing.T, f *fixture, c *client) map[string]func() {
	sys := access.System(context.Background())
	key, _, _ := pii.Generate()
	ds := development.NewStore(f.d, key)
	applied := civil.Today().AddDate(0, -2, 0)
	open := func(orgID int64, name string) *development.Case {
		a, err := ds.Create(sys, development.CaseInput{OrgID: orgID, Name: name, Gender: "2", BirthDate: civil.New(1998, 5, 4), AppliedOn: applied})
		if err != nil {
			t.Fatal(err)
		}
		return a.Case
	}
	bCase := open(f.bBranch.ID, "府坪申请人")
	aCase := open(f.aBranch.ID, "马家吉申请人")
	seven := 7
	if _, err := ds.PutSettings(sys, f.b.ID, development.Settings{PublicityDays: &seven}); err != nil {
		t.Fatal(err)
	}
	expect := func(what string, got, want int) {
		t.Helper()
		if got != want {
			t.Errorf("%s: status %d, want %d", what, got, want)
		}
	}
	bUnchanged := func(what string) {
		t.Helper()
		if now, err := ds.Get(sys, bCase.ID); err != nil || now.Version != bCase.Version || len(now.Steps) != 1 {
			t.Errorf("%s changed B's case: %+v %v", what, now, err)
		}
		if r, err := ds.Rules(sys, f.bBranch.ID); err != nil || r.Effective.PublicityDays != 7 {
			t.Errorf("%s changed B's settings: %+v %v", what, r, err)
		}
	}
	id := func(v int64) string { return fmt.Sprint(v) }
	return map[string]func(){
		"GET /api/v1/development/rules": func() {
			expect("rules of B", c.do("GET", "/api/v1/development/rules?org="+id(f.bBranch.ID), nil, nil), 404)
			expect("rules of the root", c.do("GET", "/api/v1/development/rules?org="+id(f.root.ID), nil, nil), 404)
			expect("own rules", c.do("GET", "/api/v1/development/rules?org="+id(f.aBranch.ID), nil, nil), 200)
		},
		"PUT /api/v1/development/settings": func() {
			body := map[string]any{"publicity_days": 3}
			expect("settings of B", c.do("PUT", "/api/v1/development/settings?org="+id(f.b.ID), body, nil), 404)
			expect("settings of B's branch", c.do("PUT", "/api/v1/development/settings?org="+id(f.bBranch.ID), body, nil), 404)
			expect("settings of the root", c.do("PUT", "/api/v1/development/settings?org="+id(f.root.ID), body, nil), 404)
			bUnchanged("PUT settings")
		},
		"GET /api/v1/development/cases": func() {
			var l idList
			expect("cases", c.do("GET", "/api/v1/development/cases?page_size=200", nil, &l), 200)
			if l.Total != 1 || len(l.Items) != 1 || l.Items[0].ID != aCase.ID {
				t.Errorf("cases seen by A: %+v", l)
			}
			expect("cases of B", c.do("GET", "/api/v1/development/cases?org="+id(f.b.ID), nil, nil), 404)
		},
		"POST /api/v1/development/cases": func() {
			in := map[string]any{"org_id": f.bBranch.ID, "name": "越界", "gender": "1", "birth_date": "1990-01-01", "applied_on": applied.String()}
			expect("open a case in B", c.do("POST", "/api/v1/development/cases", in, nil), 422)
			bUnchanged("POST case")
		},
		"GET /api/v1/development/cases/{id}": func() {
			expect("B's case", c.do("GET", "/api/v1/development/cases/"+id(bCase.ID), nil, nil), 404)
			expect("own case", c.do("GET", "/api/v1/development/cases/"+id(aCase.ID), nil, nil), 200)
		},
		"POST /api/v1/development/cases/{id}/steps": func() {
			in := map[string]any{"step": "s02", "on": applied.AddDate(0, 0, 7).String(), "version": bCase.Version, "people": []map[string]any{{"name": "王芳"}}}
			expect("advance B's case", c.do("POST", "/api/v1/development/cases/"+id(bCase.ID)+"/steps", in, nil), 404)
			bUnchanged("POST step")
		},
		"PUT /api/v1/development/cases/{id}/profile": func() {
			body := map[string]any{"ethnicity": "01", "phone": "13812345678"}
			expect("B's profile", c.do("PUT", "/api/v1/development/cases/"+id(bCase.ID)+"/profile", body, nil), 404)
			bUnchanged("PUT profile")
			if now, err := ds.Get(sys, bCase.ID); err != nil || now.Profile.Ethnicity != "" || now.Profile.Phone != "" {
				t.Errorf("PUT profile changed B's case: %+v %v", now, err)
			}
			expect("own profile", c.do("PUT", "/api/v1/development/cases/"+id(aCase.ID)+"/profile", body, nil), 200)
		},
		"GET /api/v1/development/cases/{id}/letters/{kind}": func() {
			expect("B's letter", c.do("GET", "/api/v1/development/cases/"+id(bCase.ID)+"/letters/candidate-publicity", nil, nil), 404)
			// A's own case has not reached 确定发展对象: its letter is refused for that, not for scope.
			expect("own letter too early", c.do("GET", "/api/v1/development/cases/"+id(aCase.ID)+"/letters/candidate-publicity", nil, nil), 409)
		},
		"GET /api/v1/development/todo": func() {
			status, raw := c.raw("GET", "/api/v1/development/todo", nil)
			expect("todo", status, 200)
			if bytes.Contains(raw, []byte(bCase.Name)) || bytes.Contains(raw, []byte(f.bBranch.Name)) || !bytes.Contains(raw, []byte(aCase.Name)) {
				t.Errorf("todo of A: %s", raw)
			}
			expect("todo of B", c.do("GET", "/api/v1/development/todo?org="+id(f.b.ID), nil, nil), 404)
		},
		"GET /api/v1/development/calendar": func() {
			expect("calendar", c.do("GET", "/api/v1/development/calendar?year=2026", nil, nil), 200)
		},
		"PUT /api/v1/development/calendar/{day}": func() {
			expect("edit the calendar as an org admin", c.do("PUT", "/api/v1/development/calendar/2026-10-09",
				map[string]any{"kind": "holiday", "name": "x", "source": "x"}, nil), 403)
		},
		"DELETE /api/v1/development/calendar/{day}": func() {
			// A system admin's edit stays when an org admin tries to revert it.
			if _, err := ds.SetCalendarDay(sys, civil.New(2026, 10, 9), development.CalendarInput{Kind: "holiday", Name: "测试", Source: "测试"}); err != nil {
				t.Fatal(err)
			}
			expect("revert a calendar edit as an org admin", c.do("DELETE", "/api/v1/development/calendar/2026-10-09", nil, nil), 403)
			days, err := ds.CalendarDays(sys, 2026)
			if err != nil {
				t.Fatal(err)
			}
			kept := false
			for _, d := range days {
				kept = kept || (d.Day == civil.New(2026, 10, 9) && d.Edited)
			}
			if !kept {
				t.Error("the edit of 2026-10-09 was reverted by an org admin")
			}
		},
	}
}
