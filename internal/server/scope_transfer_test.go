package server

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/transfer"
)

// transferScopeCases are the scope cases of 组织关系转接: the street user (街道 A) issues a
// letter to 街道 B's branch (the destination lies outside A's scope) and sees it in the 转出
// box, but cannot read, accept, return, withdraw or confirm B's letters, transfer B's member,
// register an incoming member into B or move B's organisations. The destination search shows
// B's branch by name only.
func transferScopeCases(t *testing.T, f *fixture, c *client) map[string]func() {
	sys := access.System(context.Background())
	ts := transfer.NewStore(f.d, f.members, org.NewStore(f.d))
	// B's own letter to outside the system, pending.
	bOut, err := ts.Create(sys, transfer.CreateInput{Kind: transfer.KindOut, MemberID: f.bMember.ID, ToName: "中共某省某市某单位委员会", Reason: "工作调动"})
	if err != nil {
		t.Fatal(err)
	}
	// A's member, with a letter to B's branch (pending: the member stays in A).
	aToB, err := ts.Create(sys, transfer.CreateInput{MemberID: f.aMember.ID, ToOrgID: f.bBranch.ID, Reason: "居住地变动"})
	if err != nil {
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
		now, err := ts.Get(sys, bOut.ID)
		if err != nil || now.Status != transfer.StatusPending || now.Version != bOut.Version {
			t.Errorf("%s changed B's letter: %+v %v", what, now, err)
		}
		m, err := f.members.Get(sys, f.bMember.ID, false)
		if err != nil || m.Status != member.StatusNormal || m.OrgID != f.bBranch.ID {
			t.Errorf("%s changed B's member: %+v %v", what, m, err)
		}
	}
	id := func(v int64) string { return fmt.Sprint(v) }
	decide := func(verb string) func() {
		return func() {
			body := map[string]any{"version": bOut.Version, "note": "越界"}
			expect(verb+" B's letter", c.do("POST", "/api/v1/transfers/"+id(bOut.ID)+"/"+verb, body, nil), 404)
			bUnchanged(verb)
		}
	}
	return map[string]func(){
		"GET /api/v1/transfers": func() {
			var l idList
			expect("list", c.do("GET", "/api/v1/transfers", nil, &l), 200)
			if got := l.ids(); len(got) != 1 || got[0] != aToB.ID {
				t.Errorf("transfers seen by A: %v", got)
			}
			expect("out box", c.do("GET", "/api/v1/transfers?box=out", nil, &l), 200)
			if l.Total != 1 {
				t.Errorf("A's out box: %+v", l)
			}
			expect("in box", c.do("GET", "/api/v1/transfers?box=in", nil, &l), 200)
			if l.Total != 0 {
				t.Errorf("A's in box shows B's letters: %+v", l)
			}
		},
		"POST /api/v1/transfers": func() {
			expect("transfer B's member", c.do("POST", "/api/v1/transfers", map[string]any{"member_id": f.bMember.ID, "to_org_id": f.aBranch.ID, "reason": "越界"}, nil), 404)
			expect("transfer B's member out", c.do("POST", "/api/v1/transfers", map[string]any{"kind": "out", "member_id": f.bMember.ID, "to_name": "某单位党委", "reason": "越界"}, nil), 404)
			bUnchanged("POST transfer")
		},
		"GET /api/v1/transfers/destinations": func() {
			status, raw := c.raw("GET", "/api/v1/transfers/destinations?q="+strings.ReplaceAll("府坪巷", " ", ""), nil)
			expect("destinations", status, 200)
			body := string(raw)
			if !strings.Contains(body, f.bBranch.Name) || !strings.Contains(body, f.bCommunity.Name) {
				t.Errorf("destination search does not find B's branch with its path: %s", body)
			}
			if strings.Contains(body, "王府坪") || strings.Contains(body, f.bBranch.Code) || strings.Contains(body, "members") {
				t.Errorf("destination search shows more than names: %s", body)
			}
		},
		"GET /api/v1/transfers/defaults": func() {
			expect("defaults of B's member", c.do("GET", "/api/v1/transfers/defaults?member_id="+id(f.bMember.ID), nil, nil), 404)
			expect("defaults of A's member", c.do("GET", "/api/v1/transfers/defaults?member_id="+id(f.aMember.ID), nil, nil), 200)
		},
		"GET /api/v1/transfers/settings": func() {
			expect("settings", c.do("GET", "/api/v1/transfers/settings", nil, nil), 200)
		},
		"PUT /api/v1/transfers/settings": func() {
			expect("settings as an org admin", c.do("PUT", "/api/v1/transfers/settings", map[string]any{"months": 1, "cross_province_months": 1}, nil), 403)
		},
		"POST /api/v1/transfers/incoming": func() {
			in := map[string]any{"to_org_id": f.bBranch.ID, "from_name": "中共某单位委员会", "ext_letter_no": "001", "letter_date": "2026-01-05",
				"member": map[string]any{"name": "越界", "id_number": "430702198001010022", "ethnicity": "01", "education": "21", "joined_on": "2005-07-01", "full_on": "2006-07-01"}}
			expect("register into B", c.do("POST", "/api/v1/transfers/incoming", in, nil), 404)
			bUnchanged("POST incoming")
		},
		"POST /api/v1/transfers/org": func() {
			expect("move B's branch", c.do("POST", "/api/v1/transfers/org", map[string]any{"org_id": f.bBranch.ID, "parent_id": f.aCommunity.ID, "reason": "越界"}, nil), 404)
			expect("move A's branch under B", c.do("POST", "/api/v1/transfers/org", map[string]any{"org_id": f.aBranch.ID, "parent_id": f.bCommunity.ID, "reason": "越界"}, nil), 422)
		},
		"GET /api/v1/transfers/{id}": func() {
			expect("B's letter", c.do("GET", "/api/v1/transfers/"+id(bOut.ID), nil, nil), 404)
			expect("own letter", c.do("GET", "/api/v1/transfers/"+id(aToB.ID), nil, nil), 200)
		},
		"GET /api/v1/transfers/{id}/letter": func() {
			expect("B's letter printed", c.do("GET", "/api/v1/transfers/"+id(bOut.ID)+"/letter", nil, nil), 404)
			status, raw := c.raw("GET", "/api/v1/transfers/"+id(aToB.ID)+"/letter", nil)
			expect("own letter printed", status, 200)
			if !strings.Contains(string(raw), "回　执") || strings.Contains(string(raw), "430702198503121232") {
				t.Errorf("letter not 三联 or not masked: %s", raw)
			}
		},
		"POST /api/v1/transfers/{id}/accept": func() {
			decide("accept")()
			expect("accept own letter to B (the receiver decides)", c.do("POST", "/api/v1/transfers/"+id(aToB.ID)+"/accept", map[string]any{"version": aToB.Version}, nil), 403)
		},
		"POST /api/v1/transfers/{id}/return": func() {
			decide("return")()
			expect("return own letter to B", c.do("POST", "/api/v1/transfers/"+id(aToB.ID)+"/return", map[string]any{"version": aToB.Version, "note": "x"}, nil), 403)
		},
		"POST /api/v1/transfers/{id}/withdraw": decide("withdraw"),
		"POST /api/v1/transfers/{id}/receipt":  decide("receipt"),
	}
}
