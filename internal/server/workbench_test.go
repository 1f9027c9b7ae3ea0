package server

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/auth"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/db/dbtest"
)

// The 工作台 shows each capability's next step to the one who must act: the receiving
// street sees the letter to accept (the sender does not), and the applicant's branch sees the
// next 发展 step (another street does not). Acting clears the item.
func TestWorkbenchGathersWhoMustActNext(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if _, err := auth.AddUser(access.System(context.Background()), d, auth.NewUser{Username: "streetb", DisplayName: "府坪街道管理员",
			Password: pw, Role: "org-admin", OrgCode: "B"}); err != nil {
			t.Fatal(err)
		}
		a, b := f.login(t, "street"), f.login(t, "streetb")
		type bench struct {
			Items []struct {
				Kind, Title, Source, Link string
			} `json:"items"`
		}
		has := func(c *client, kind, fragment string) bool {
			t.Helper()
			var w bench
			if st := c.do("GET", "/api/v1/workbench", nil, &w); st != 200 {
				t.Fatalf("workbench: %d", st)
			}
			for _, it := range w.Items {
				if it.Kind == kind && strings.Contains(it.Title, fragment) {
					if it.Source == "" || it.Link == "" {
						t.Errorf("%s item without its source or link: %+v", kind, it)
					}
					return true
				}
			}
			return false
		}

		var tr struct {
			ID      int64 `json:"id"`
			Version int   `json:"version"`
		}
		if st := a.do("POST", "/api/v1/transfers", map[string]any{"member_id": f.aMember.ID, "to_org_id": f.bBranch.ID, "reason": "居住地变动"}, &tr); st != 201 && st != 200 {
			t.Fatalf("issue the transfer: %d", st)
		}
		if !has(b, "transfer", "张建国") {
			t.Error("the receiving street does not see the letter to accept")
		}
		if has(a, "transfer", "接收或退回") {
			t.Error("the sending street is asked to accept its own letter")
		}
		if st := b.do("POST", fmt.Sprintf("/api/v1/transfers/%d/accept", tr.ID), map[string]any{"version": tr.Version}, nil); st != 200 {
			t.Fatalf("accept: %d", st)
		}
		if has(b, "transfer", "张建国") {
			t.Error("the accepted letter is still on the receiver's 工作台")
		}

		applied := civil.Today().AddDate(0, 0, -3)
		if st := a.do("POST", "/api/v1/development/cases", map[string]any{"org_id": f.aBranch.ID, "name": "刘申请",
			"id_number": "430702200001011236", "applied_on": applied}, nil); st != 201 && st != 200 {
			t.Fatalf("open a case: %d", st)
		}
		if !has(a, "development", "刘申请") {
			t.Error("the branch's street does not see the applicant's next step")
		}
		if has(b, "development", "刘申请") {
			t.Error("another street sees the applicant's next step")
		}
	})
}
