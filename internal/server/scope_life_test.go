package server

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/life"
	"github.com/dangjian/dangjian/internal/org"
)

// lifeScopeCases are the scope cases of the 组织生活 endpoints: the street user (街道 A) must
// not read or change 街道 B's meetings, settings, evaluations or talks, nor see B's members
// through a roster, the compliance check, study hours, the 台账 or the workbench. B gets a
// meeting, an evaluation, a talk and settings first; the write cases check that they stay.
func lifeScopeCases(t *testing.T, f *fixture, c *client) map[string]func() {
	sys := access.System(context.Background())
	ls := life.NewStore(f.d, org.NewStore(f.d))
	day := civil.Today().AddDate(0, 0, -10)
	mustMeeting := func(o *org.Org, memberID int64) *life.Meeting {
		m, err := ls.Create(sys, life.MeetingInput{OrgID: o.ID, Type: life.TypeThemeDay, HeldOn: day, Topic: o.Name + "主题党日",
			Attendance: []life.AttendanceInput{{MemberID: memberID, Status: "absent"}}})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	bMeeting := mustMeeting(f.bBranch, f.bMember.ID)
	aMeeting := mustMeeting(f.aBranch, f.aMember.ID)
	bEval, err := ls.CreateEvaluation(sys, life.EvaluationInput{MemberID: f.bMember.ID, Year: day.Year(), Grade: "qualified"})
	if err != nil {
		t.Fatal(err)
	}
	bTalk, err := ls.CreateTalk(sys, life.TalkInput{OrgID: f.bBranch.ID, HeldOn: day, Kind: "committee_member", TalkerName: "王芳", WithMemberID: &f.bMember.ID})
	if err != nil {
		t.Fatal(err)
	}
	five := 5
	if _, err := ls.PutSettings(sys, f.b.ID, life.Settings{ThemeDay: &five}); err != nil {
		t.Fatal(err)
	}
	expect := func(what string, got, want int) {
		t.Helper()
		if got != want {
			t.Errorf("%s: status %d, want %d", what, got, want)
		}
	}
	inside := func(what string, l idList) {
		t.Helper()
		for _, got := range l.ids() {
			if !f.aInside[got] {
				t.Errorf("%s returned org %d, outside 街道 A", what, got)
			}
		}
	}
	noB := func(what string, body []byte) {
		t.Helper()
		for _, s := range []string{f.bMember.Name, f.bBranch.Name, f.b.Name} {
			if bytes.Contains(body, []byte(s)) {
				t.Errorf("%s shows %s of 街道 B", what, s)
			}
		}
	}
	bUnchanged := func(what string) {
		t.Helper()
		if m, err := ls.Get(sys, bMeeting.ID); err != nil || m.Version != bMeeting.Version || m.Topic != bMeeting.Topic || m.Attendance[0].Status != "absent" {
			t.Errorf("%s changed B's meeting: %+v %v", what, m, err)
		}
		if e, err := ls.GetEvaluation(sys, bEval.ID); err != nil || e.Version != bEval.Version || e.Grade != "qualified" {
			t.Errorf("%s changed B's evaluation: %+v %v", what, e, err)
		}
		if tk, err := ls.GetTalk(sys, bTalk.ID); err != nil || tk.HeldOn != bTalk.HeldOn || tk.Summary != "" {
			t.Errorf("%s changed B's talk: %+v %v", what, tk, err)
		}
		if st, err := ls.GetSettings(sys, f.b.ID); err != nil || st.Own.ThemeDay == nil || *st.Own.ThemeDay != 5 {
			t.Errorf("%s changed B's settings: %+v %v", what, st, err)
		}
	}
	id := func(o *org.Org) string { return fmt.Sprint(o.ID) }
	mID := fmt.Sprint(bMeeting.ID)
	return map[string]func(){
		"GET /api/v1/life/meta": func() { expect("life meta", c.do("GET", "/api/v1/life/meta", nil, nil), 200) },
		"GET /api/v1/life/settings": func() {
			expect("settings of B", c.do("GET", "/api/v1/life/settings?org="+id(f.b), nil, nil), 404)
			expect("settings of the root", c.do("GET", "/api/v1/life/settings?org="+id(f.root), nil, nil), 404)
			expect("own settings", c.do("GET", "/api/v1/life/settings?org="+id(f.aBranch), nil, nil), 200)
		},
		"PUT /api/v1/life/settings": func() {
			body := map[string]any{"theme_day": 9}
			expect("settings of B", c.do("PUT", "/api/v1/life/settings?org="+id(f.b), body, nil), 404)
			expect("settings of B's branch", c.do("PUT", "/api/v1/life/settings?org="+id(f.bBranch), body, nil), 404)
			expect("settings of the root (above A)", c.do("PUT", "/api/v1/life/settings?org="+id(f.root), body, nil), 404)
			bUnchanged("PUT settings")
		},
		"GET /api/v1/meetings/roster": func() {
			expect("roster of B", c.do("GET", "/api/v1/meetings/roster?org="+id(f.bBranch), nil, nil), 404)
			var r life.Roster
			expect("own roster", c.do("GET", "/api/v1/meetings/roster?org="+id(f.aBranch), nil, &r), 200)
			if len(r.Members) != 1 || r.Members[0].ID != f.aMember.ID {
				t.Errorf("A's roster: %+v", r.Members)
			}
		},
		"GET /api/v1/meetings": func() {
			var l idList
			expect("meetings", c.do("GET", "/api/v1/meetings?page_size=200", nil, &l), 200)
			if l.Total != 1 || len(l.Items) != 1 || l.Items[0].ID != aMeeting.ID {
				t.Errorf("meetings seen by A: %+v", l)
			}
			expect("meetings of B", c.do("GET", "/api/v1/meetings?org="+id(f.b), nil, nil), 404)
		},
		"POST /api/v1/meetings": func() {
			in := map[string]any{"org_id": f.bBranch.ID, "type": "theme_day", "held_on": day.AddDate(0, 0, 1).String(),
				"attendance": []map[string]any{{"member_id": f.bMember.ID, "status": "present"}}}
			expect("record for B", c.do("POST", "/api/v1/meetings", in, nil), 422)
			in["org_id"] = f.aBranch.ID
			expect("list B's member at A's meeting", c.do("POST", "/api/v1/meetings", in, nil), 422)
			bUnchanged("POST meetings")
		},
		"GET /api/v1/meetings/{id}": func() {
			expect("B's meeting", c.do("GET", "/api/v1/meetings/"+mID, nil, nil), 404)
			expect("own meeting", c.do("GET", fmt.Sprintf("/api/v1/meetings/%d", aMeeting.ID), nil, nil), 200)
		},
		"PATCH /api/v1/meetings/{id}": func() {
			expect("edit B's meeting", c.do("PATCH", "/api/v1/meetings/"+mID, map[string]any{"topic": "改", "version": 1}, nil), 404)
			bUnchanged("PATCH meeting")
		},
		"DELETE /api/v1/meetings/{id}": func() {
			expect("delete B's meeting", c.do("DELETE", "/api/v1/meetings/"+mID, nil, nil), 404)
			bUnchanged("DELETE meeting")
		},
		"GET /api/v1/meetings/{id}/versions": func() {
			expect("versions of B's meeting", c.do("GET", "/api/v1/meetings/"+mID+"/versions", nil, nil), 404)
		},
		"POST /api/v1/meetings/{id}/makeup": func() {
			expect("makeup in B", c.do("POST", "/api/v1/meetings/"+mID+"/makeup", map[string]any{"member_id": f.bMember.ID, "on": day.String()}, nil), 404)
			bUnchanged("makeup")
		},
		"GET /api/v1/compliance": func() {
			expect("compliance without an org", c.do("GET", "/api/v1/compliance", nil, nil), 422)
			expect("compliance of B", c.do("GET", "/api/v1/compliance?org="+id(f.b), nil, nil), 404)
			expect("compliance of the root", c.do("GET", "/api/v1/compliance?org="+id(f.root), nil, nil), 404)
			status, raw := c.raw("GET", "/api/v1/compliance?org="+id(f.a)+"&period="+fmt.Sprint(day.Year()), nil)
			expect("own compliance", status, 200)
			noB("compliance", raw)
			var l idList
			c.do("GET", "/api/v1/compliance?org="+id(f.a), nil, &l)
			inside("compliance", l)
		},
		"GET /api/v1/study-hours": func() {
			expect("hours of B", c.do("GET", "/api/v1/study-hours?org="+id(f.b), nil, nil), 404)
			var h life.HoursAnswer
			expect("own hours", c.do("GET", "/api/v1/study-hours?org="+id(f.a), nil, &h), 200)
			if h.Summary.Members != 1 || len(h.Items) != 1 || h.Items[0].MemberID != f.aMember.ID {
				t.Errorf("hours seen by A: %+v", h.Items)
			}
		},
		"GET /api/v1/evaluations": func() {
			expect("evaluations of B", c.do("GET", "/api/v1/evaluations?org="+id(f.bBranch), nil, nil), 404)
			var l idList
			expect("own evaluations", c.do("GET", "/api/v1/evaluations?org="+id(f.a), nil, &l), 200)
			if l.Total != 0 {
				t.Errorf("A sees %d evaluations", l.Total)
			}
		},
		"POST /api/v1/evaluations": func() {
			expect("evaluate B's member", c.do("POST", "/api/v1/evaluations", map[string]any{"member_id": f.bMember.ID, "year": day.Year() - 1, "grade": "excellent"}, nil), 422)
			bUnchanged("POST evaluation")
		},
		"GET /api/v1/evaluations/{id}": func() {
			expect("B's evaluation", c.do("GET", fmt.Sprintf("/api/v1/evaluations/%d", bEval.ID), nil, nil), 404)
		},
		"PATCH /api/v1/evaluations/{id}": func() {
			expect("edit B's evaluation", c.do("PATCH", fmt.Sprintf("/api/v1/evaluations/%d", bEval.ID), map[string]any{"grade": "excellent", "version": 1}, nil), 404)
			bUnchanged("PATCH evaluation")
		},
		"DELETE /api/v1/evaluations/{id}": func() {
			expect("delete B's evaluation", c.do("DELETE", fmt.Sprintf("/api/v1/evaluations/%d", bEval.ID), nil, nil), 404)
			bUnchanged("DELETE evaluation")
		},
		"GET /api/v1/talks": func() {
			expect("talks of B", c.do("GET", "/api/v1/talks?org="+id(f.bBranch), nil, nil), 404)
			var l idList
			expect("own talks", c.do("GET", "/api/v1/talks?org="+id(f.a), nil, &l), 200)
			if l.Total != 0 {
				t.Errorf("A sees %d talks", l.Total)
			}
		},
		"POST /api/v1/talks": func() {
			in := map[string]any{"org_id": f.bBranch.ID, "held_on": day.String(), "kind": "committee_member", "talker_name": "王芳", "with_member_id": f.bMember.ID}
			expect("talk in B", c.do("POST", "/api/v1/talks", in, nil), 422)
			in["org_id"] = f.aBranch.ID
			expect("talk in A with B's member", c.do("POST", "/api/v1/talks", in, nil), 422)
			bUnchanged("POST talk")
		},
		"GET /api/v1/talks/coverage": func() {
			expect("coverage of B", c.do("GET", "/api/v1/talks/coverage?org="+id(f.b), nil, nil), 404)
			status, raw := c.raw("GET", "/api/v1/talks/coverage?org="+id(f.a), nil)
			expect("own coverage", status, 200)
			noB("coverage", raw)
		},
		"GET /api/v1/talks/{id}": func() {
			expect("B's talk", c.do("GET", fmt.Sprintf("/api/v1/talks/%d", bTalk.ID), nil, nil), 404)
		},
		"PATCH /api/v1/talks/{id}": func() {
			expect("edit B's talk", c.do("PATCH", fmt.Sprintf("/api/v1/talks/%d", bTalk.ID), map[string]any{"summary": "改"}, nil), 404)
			bUnchanged("PATCH talk")
		},
		"DELETE /api/v1/talks/{id}": func() {
			expect("delete B's talk", c.do("DELETE", fmt.Sprintf("/api/v1/talks/%d", bTalk.ID), nil, nil), 404)
			bUnchanged("DELETE talk")
		},
		"GET /api/v1/ledger/life": func() {
			expect("ledger of B", c.do("GET", "/api/v1/ledger/life?org="+id(f.bBranch), nil, nil), 404)
			status, raw := c.raw("GET", "/api/v1/ledger/life?org="+id(f.aBranch)+"&year="+fmt.Sprint(day.Year()), nil)
			expect("own ledger", status, 200)
			x, err := excelize.OpenReader(bytes.NewReader(raw))
			if err != nil {
				t.Fatalf("the ledger is not a workbook: %v", err)
			}
			rows, _ := x.GetRows("会议记录")
			if len(rows) != 3 || !strings.Contains(rows[2][4], f.aBranch.Name) {
				t.Errorf("A's ledger: %v", rows)
			}
			status, raw = c.raw("GET", "/api/v1/ledger/life?org="+id(f.aBranch)+"&format=html&year="+fmt.Sprint(day.Year()), nil)
			expect("own printable ledger", status, 200)
			noB("printable ledger", raw)
		},
		"GET /api/v1/workbench": func() {
			status, raw := c.raw("GET", "/api/v1/workbench", nil)
			expect("workbench", status, 200)
			noB("workbench", raw)
			var w struct {
				Items []struct {
					Org struct {
						ID int64 `json:"id"`
					} `json:"org"`
				} `json:"items"`
			}
			c.do("GET", "/api/v1/workbench", nil, &w)
			for _, it := range w.Items {
				if it.Org.ID != 0 && !f.aInside[it.Org.ID] {
					t.Errorf("workbench item of org %d outside A", it.Org.ID)
				}
			}
		},
	}
}
