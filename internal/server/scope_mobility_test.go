package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/mobility"
	"github.com/dangjian/dangjian/internal/pii"
)

func mobilityID(birth string, seq int) string {
	base := fmt.Sprintf("110105%s%03d", birth, seq)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(base[i]-'0') * w
	}
	return base + string("10X98765432"[sum%11])
}

// mobilityScopeCases are the scope cases of the 流动/失联 endpoints. 街道 B gets a member away
// from home hosted by A's branch (A sees it in 流入, nothing else of it) and a member lost for 8
// months with a search (a 停止党籍 proposal that only B may see); A's own member goes out, hosted
// by B's branch. The write cases check that B's records stay as they were.
func mobilityScopeCases(t *testing.T, f *fixture, c *client) map[string]func() {
	sys := access.System(context.Background())
	key, _, _ := pii.Generate()
	ms := mobility.NewStore(f.d, f.members, key)
	today := civil.Today()
	mk := func(name string, seq int) *member.Detail {
		m, err := f.members.Create(sys, member.Input{OrgID: f.bBranch.ID, Name: name, IDNumber: mobilityID("19750101", seq), Ethnicity: "01", Education: "21",
			JoinedOn: civil.New(2010, 7, 1), FullOn: civil.New(2011, 7, 1), AddedAs: member.AddedRegister})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	bAway, bLost := mk("府坪外出", 301), mk("府坪失联", 302)
	away, err := ms.Go(sys, bAway.ID, mobility.OutingInput{LeftOn: today.AddDate(0, -7, 0), Scope: "cross_county", Place: "马家吉社区", Reason: "1",
		FixedPlace: true, HostOrgID: &f.aBranch.ID, HostContact: "府坪联络", HostPhone: "13700001111"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ms.MarkLost(sys, bLost.ID, mobility.LostInput{Situation: "1", LostOn: today.AddDate(0, -8, 0)}); err != nil {
		t.Fatal(err)
	}
	if _, err := ms.AddSearch(sys, bLost.ID, mobility.SearchInput{SearchedOn: today, Way: "电话", Result: "停机", ByWhom: "王芳"}); err != nil {
		t.Fatal(err)
	}
	expect := func(what string, got, want int) {
		t.Helper()
		if got != want {
			t.Errorf("%s: status %d, want %d", what, got, want)
		}
	}
	var aRec mobility.Record
	expect("A's member goes out", c.do("POST", fmt.Sprintf("/api/v1/mobility/members/%d/outing", f.aMember.ID), map[string]any{
		"left_on": today.AddDate(0, -1, 0).String(), "scope": "cross_county", "place": "府坪巷", "reason": "1", "host_org_id": f.bBranch.ID,
		"host_contact": "马家吉联络", "host_phone": "13800002222"}, &aRec), 200)
	if aRec.Outing == nil {
		t.Fatalf("A's outing: %+v", aRec)
	}
	bUnchanged := func(what string) {
		t.Helper()
		ra, err := ms.Get(sys, bAway.ID)
		if err != nil || ra.Outing == nil || len(ra.Outings) != 1 {
			t.Errorf("%s changed B's outing: %+v %v", what, ra, err)
		}
		rl, err := ms.Get(sys, bLost.ID)
		if err != nil || rl.Loss == nil || len(rl.Loss.Searches) != 1 || len(rl.Losses) != 1 {
			t.Errorf("%s changed B's loss: %+v %v", what, rl, err)
		}
		if rm, err := ms.Get(sys, f.bMember.ID); err != nil || rm.Mobile || rm.Lost || len(rm.Outings)+len(rm.Losses) != 0 {
			t.Errorf("%s changed B's member: %+v %v", what, rm, err)
		}
	}
	noB := func(what string, raw []byte) {
		t.Helper()
		for _, name := range []string{bAway.Name, bLost.Name, f.bMember.Name} {
			if bytes.Contains(raw, []byte(name)) {
				t.Errorf("%s shows B's member %s: %s", what, name, raw)
			}
		}
	}
	id := func(v int64) string { return fmt.Sprint(v) }
	at := func(m int64, act string) string { return "/api/v1/mobility/members/" + id(m) + act }
	return map[string]func(){
		"GET /api/v1/mobility/meta": func() { expect("meta", c.do("GET", "/api/v1/mobility/meta", nil, nil), 200) },
		"GET /api/v1/mobility/members/{id}": func() {
			expect("B's member's file", c.do("GET", at(bAway.ID, ""), nil, nil), 404)
			expect("B's lost member's file", c.do("GET", at(bLost.ID, ""), nil, nil), 404)
			expect("own member's file", c.do("GET", at(f.aMember.ID, ""), nil, nil), 200)
		},
		"POST /api/v1/mobility/members/{id}/outing": func() {
			in := map[string]any{"left_on": today.String(), "scope": "in_county", "place": "x", "reason": "1"}
			expect("register B's member going out", c.do("POST", at(f.bMember.ID, "/outing"), in, nil), 404)
			bUnchanged("POST outing")
		},
		"POST /api/v1/mobility/members/{id}/return": func() {
			expect("return B's member", c.do("POST", at(bAway.ID, "/return"), map[string]any{"returned_on": today.String()}, nil), 404)
			bUnchanged("POST return")
		},
		"POST /api/v1/mobility/members/{id}/lost": func() {
			expect("mark B's member lost", c.do("POST", at(f.bMember.ID, "/lost"), map[string]any{"situation": "1", "lost_on": "2024-01-01"}, nil), 404)
			bUnchanged("POST lost")
		},
		"POST /api/v1/mobility/members/{id}/searches": func() {
			expect("search for B's member", c.do("POST", at(bLost.ID, "/searches"), map[string]any{"searched_on": today.String(), "way": "x", "result": "x", "by_whom": "x"}, nil), 404)
			bUnchanged("POST search")
		},
		"POST /api/v1/mobility/members/{id}/restore": func() {
			expect("restore B's member", c.do("POST", at(bLost.ID, "/restore"), map[string]any{"found_on": today.String(), "outcome": "manage"}, nil), 404)
			bUnchanged("POST restore")
		},
		"GET /api/v1/mobility/outings/{id}/phone": func() {
			// Hosted by A, but the member is B's: the contact's phone is not A's to see.
			expect("phone of B's outing", c.do("GET", "/api/v1/mobility/outings/"+id(away.Outing.ID)+"/phone", nil, nil), 404)
			var p mobility.PhoneAnswer
			expect("phone of A's outing", c.do("GET", "/api/v1/mobility/outings/"+id(aRec.Outing.ID)+"/phone", nil, &p), 200)
			if p.Phone != "13800002222" {
				t.Errorf("A's contact phone: %q", p.Phone)
			}
		},
		"GET /api/v1/mobility/outings": func() {
			status, raw := c.raw("GET", "/api/v1/mobility/outings?page_size=50", nil)
			expect("流出", status, 200)
			noB("流出", raw)
			var l mobility.OutingList
			json.Unmarshal(raw, &l)
			if l.Total != 1 || l.Items[0].Member.ID != f.aMember.ID || strings.Contains(string(raw), "13800002222") {
				t.Errorf("流出 of A: %s", raw)
			}
			expect("流出 of B", c.do("GET", "/api/v1/mobility/outings?org="+id(f.b.ID), nil, nil), 404)
		},
		"GET /api/v1/mobility/hosted": func() {
			var l mobility.OutingList
			expect("流入", c.do("GET", "/api/v1/mobility/hosted", nil, &l), 200)
			if l.Total != 1 || l.Items[0].Member.ID != bAway.ID || l.Items[0].HostPhone == "13700001111" {
				t.Errorf("流入 of A: %+v", l)
			}
			expect("流入 of B", c.do("GET", "/api/v1/mobility/hosted?org="+id(f.b.ID), nil, nil), 404)
		},
		"GET /api/v1/mobility/losses": func() {
			status, raw := c.raw("GET", "/api/v1/mobility/losses?status=all", nil)
			expect("失联", status, 200)
			noB("失联", raw)
			expect("失联 of B", c.do("GET", "/api/v1/mobility/losses?org="+id(f.bBranch.ID), nil, nil), 404)
		},
		"GET /api/v1/mobility/proposals": func() {
			status, raw := c.raw("GET", "/api/v1/mobility/proposals", nil)
			expect("proposals", status, 200)
			noB("proposals", raw)
			expect("proposals of B", c.do("GET", "/api/v1/mobility/proposals?org="+id(f.b.ID), nil, nil), 404)
			if ps, err := ms.Proposals(sys, f.b.ID); err != nil || len(ps) != 2 {
				t.Errorf("B's own proposals (停止党籍, 应转移组织关系): %+v %v", ps, err)
			}
		},
		"GET /api/v1/mobility/screening": func() {
			status, raw := c.raw("GET", "/api/v1/mobility/screening?page_size=50", nil)
			expect("screening", status, 200)
			noB("screening", raw)
			expect("screening of B", c.do("GET", "/api/v1/mobility/screening?org="+id(f.b.ID), nil, nil), 404)
		},
		"GET /api/v1/mobility/host-orgs": func() {
			// Any organisation may be a 流入地: names and codes only.
			status, raw := c.raw("GET", "/api/v1/mobility/host-orgs?q=府坪巷社区第一", nil)
			expect("host search", status, 200)
			if !bytes.Contains(raw, []byte(f.bBranch.Name)) || bytes.Contains(raw, []byte("path")) || bytes.Contains(raw, []byte("members")) {
				t.Errorf("host search: %s", raw)
			}
		},
		"GET /api/v1/mobility/outings/export": func() {
			for _, q := range []string{"", "?hosted=1"} {
				status, raw := c.raw("GET", "/api/v1/mobility/outings/export"+q, nil)
				expect("export "+q, status, 200)
				x, err := excelize.OpenReader(bytes.NewReader(raw))
				if err != nil {
					t.Fatalf("export is not a workbook: %v", err)
				}
				rows, _ := x.GetRows(x.GetSheetName(0))
				if len(rows) != 2 {
					t.Errorf("export %s rows: %v", q, rows)
				}
				if q == "" && rows[1][0] != f.aMember.Name || q != "" && rows[1][0] != bAway.Name {
					t.Errorf("export %s: %v", q, rows)
				}
			}
			expect("export of B", c.do("GET", "/api/v1/mobility/outings/export?org="+id(f.b.ID), nil, nil), 404)
		},
		"GET /api/v1/mobility/losses/export": func() {
			status, raw := c.raw("GET", "/api/v1/mobility/losses/export", nil)
			expect("失联 export", status, 200)
			x, err := excelize.OpenReader(bytes.NewReader(raw))
			if err != nil {
				t.Fatalf("export is not a workbook: %v", err)
			}
			if rows, _ := x.GetRows(x.GetSheetName(0)); len(rows) != 1 {
				t.Errorf("失联 export of A: %v", rows)
			}
			expect("失联 export of B", c.do("GET", "/api/v1/mobility/losses/export?org="+id(f.b.ID), nil, nil), 404)
		},
	}
}
