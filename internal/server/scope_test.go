package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/auth"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/db/dbtest"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/pii"
)

// fixture: a county with two 街道, each with a 社区党委 and a 党支部 that has a 班子; a user who
// manages only 街道 A.
type fixture struct {
	d                      *db.DB
	srv                    *httptest.Server
	root                   *org.Org
	a, aCommunity, aBranch *org.Org
	b, bCommunity, bBranch *org.Org
	aTerm, bTerm           *org.Term
	aInside                map[int64]bool // ids of 街道 A's subtree
	aCodes                 map[string]bool
	members                *member.Store
	aMember, bMember       *member.Detail
	bRequest               *member.ChangeRequest // a pending self-service request of B's member
}

const pw = "Scope@2026x"

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := access.System(context.Background())
	s := org.NewStore(d)
	f := &fixture{d: d, aInside: map[int64]bool{}, aCodes: map[string]bool{}}
	mk := func(code, name string, typ org.Type, unit org.UnitType, parent *org.Org) *org.Org {
		in := org.CreateInput{Code: code, Name: name, Type: typ, UnitType: unit}
		if parent != nil {
			in.ParentID = parent.ID
		}
		o, err := s.Create(ctx, in)
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		return o
	}
	f.root = mk("R", "中共某区委员会", org.TypeCommittee, org.UnitLocal, nil)
	f.a = mk("A", "中共启明街道工作委员会", org.TypeWorkingCommittee, org.UnitStreet, f.root)
	f.aCommunity = mk("A1", "中共马家吉社区委员会", org.TypeCommittee, org.UnitCommunity, f.a)
	f.aBranch = mk("A2", "中共马家吉社区第一支部委员会", org.TypeBranch, org.UnitCommunity, f.aCommunity)
	f.b = mk("B", "中共府坪街道工作委员会", org.TypeWorkingCommittee, org.UnitStreet, f.root)
	f.bCommunity = mk("B1", "中共府坪巷社区委员会", org.TypeCommittee, org.UnitCommunity, f.b)
	f.bBranch = mk("B2", "中共府坪巷社区第一支部委员会", org.TypeBranch, org.UnitCommunity, f.bCommunity)
	for _, o := range []*org.Org{f.a, f.aCommunity, f.aBranch} {
		f.aInside[o.ID], f.aCodes[o.Code] = true, true
	}
	term := func(o *org.Org) *org.Term {
		tm, err := s.CreateTerm(ctx, o.ID, org.TermInput{ElectedOn: civil.New(2021, 3, 1), Leaders: []org.LeaderInput{{Name: "王芳", Post: org.PostSecretary}}})
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	f.aTerm, f.bTerm = term(f.aBranch), term(f.bBranch)
	if _, err := auth.AddUser(ctx, d, auth.NewUser{Username: "street", DisplayName: "街道管理员", Password: pw, Role: "org-admin", OrgCode: "A"}); err != nil {
		t.Fatal(err)
	}
	// One member in each street's branch; B's member has an account and a pending request.
	key, _, err := pii.Generate()
	if err != nil {
		t.Fatal(err)
	}
	f.members = member.NewStore(d, key)
	mkMember := func(o *org.Org, name, id string) *member.Detail {
		m, err := f.members.Create(ctx, member.Input{OrgID: o.ID, Name: name, IDNumber: id, Ethnicity: "01", Education: "21",
			JoinedOn: civil.New(2010, 7, 1), FullOn: civil.New(2011, 7, 1), Phone: "13812345678", Address: "湖南省常德市武陵区某路1号"})
		if err != nil {
			t.Fatalf("member %s: %v", name, err)
		}
		return m
	}
	f.aMember = mkMember(f.aBranch, "张建国", "430702198503121232")
	f.bMember = mkMember(f.bBranch, "王府坪", "11010519491231002X")
	bUser, err := auth.AddUser(ctx, d, auth.NewUser{Username: "bmember", DisplayName: "王府坪", Password: pw, Role: "member", OrgCode: "B2"})
	if err != nil {
		t.Fatal(err)
	}
	if f.bMember, err = f.members.LinkUser(ctx, f.bMember.ID, bUser.ID); err != nil {
		t.Fatal(err)
	}
	bSelf := access.With(context.Background(), &access.Principal{UserID: bUser.ID, Username: "bmember",
		Grants: []access.Grant{{Role: "member", OrgID: f.bBranch.ID, OrgPath: f.bBranch.Path}}})
	res, err := f.members.SubmitChanges(bSelf, member.SelfChange{Name: ptrTo("王府平")})
	if err != nil {
		t.Fatal(err)
	}
	f.bRequest = res.Request
	f.srv = httptest.NewServer(New(d, slog.New(slog.DiscardHandler), Options{Version: "test", UI: http.NotFoundHandler(), PIIKey: key}))
	t.Cleanup(f.srv.Close)
	return f
}

func ptrTo[T any](v T) *T { return &v }

// memberList is a page of members as the API answers it.
type memberList struct {
	Items []struct {
		ID       int64  `json:"id"`
		OrgID    int64  `json:"org_id"`
		IDNumber string `json:"id_number"`
	} `json:"items"`
	Total int `json:"total"`
}

// client is a logged-in browser-like client.
type client struct {
	t    *testing.T
	base string
	http *http.Client
	csrf string
}

func (f *fixture) login(t *testing.T, username string) *client {
	jar, _ := cookiejar.New(nil)
	c := &client{t: t, base: f.srv.URL, http: &http.Client{Jar: jar}}
	var ans struct {
		CSRF string `json:"csrf_token"`
	}
	if st := c.do("POST", "/api/v1/auth/login", map[string]string{"username": username, "password": pw}, &ans); st != 200 {
		t.Fatalf("login %s: %d", username, st)
	}
	c.csrf = ans.CSRF
	return c
}

// do sends a request and decodes a JSON answer into out (when given); it returns the status.
func (c *client) do(method, path string, body any, out any) int {
	c.t.Helper()
	status, raw := c.raw(method, path, body)
	if out != nil && status < 300 {
		if err := json.Unmarshal(raw, out); err != nil {
			c.t.Fatalf("%s %s: %v in %s", method, path, err, raw)
		}
	}
	return status
}

func (c *client) raw(method, path string, body any) (int, []byte) {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, r)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.csrf)
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, raw
}

type idList struct {
	Items []struct {
		ID  int64 `json:"id"`
		Org struct {
			ID int64 `json:"id"`
		} `json:"org"`
	} `json:"items"`
	Nodes []struct {
		ID int64 `json:"id"`
	} `json:"nodes"`
	Total int `json:"total"`
}

func (l idList) ids() []int64 {
	var out []int64
	for _, it := range l.Items {
		if it.ID != 0 {
			out = append(out, it.ID)
		} else {
			out = append(out, it.Org.ID)
		}
	}
	for _, n := range l.Nodes {
		out = append(out, n.ID)
	}
	return out
}

// TestEveryEndpointKeepsUsersInTheirSubtree walks the whole route table: every endpoint must
// have a case here, and a user who manages 街道 A must not read, change, delete or export
// anything of 街道 B through any of them.
func TestEveryEndpointKeepsUsersInTheirSubtree(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.login(t, "street")
		id := func(o *org.Org) string { return fmt.Sprint(o.ID) }
		inside := func(what string, l idList) {
			t.Helper()
			for _, got := range l.ids() {
				if !f.aInside[got] {
					t.Errorf("%s returned org %d, outside 街道 A", what, got)
				}
			}
		}
		expect := func(what string, got, want int) {
			t.Helper()
			if got != want {
				t.Errorf("%s: status %d, want %d", what, got, want)
			}
		}
		leaderOf := func(tm *org.Term) string { return fmt.Sprint(tm.Leaders[0].ID) }

		cases := map[string]func(){
			"POST /api/v1/auth/login":  func() {}, // used by login above
			"POST /api/v1/auth/logout": func() {}, // covered in TestLogoutEndsAccess
			"GET /api/v1/me": func() {
				var me struct {
					Roles []struct {
						OrgCode string `json:"org_code"`
					} `json:"roles"`
				}
				expect("me", c.do("GET", "/api/v1/me", nil, &me), 200)
				if len(me.Roles) != 1 || me.Roles[0].OrgCode != "A" {
					t.Errorf("me roles = %+v", me.Roles)
				}
			},
			"POST /api/v1/me/password": func() {
				expect("change own password with a wrong old one", c.do("POST", "/api/v1/me/password", map[string]string{"old_password": "x", "new_password": "Another@2026y"}, nil), 422)
			},
			"GET /api/v1/roles": func() { expect("roles", c.do("GET", "/api/v1/roles", nil, nil), 200) },
			"GET /api/v1/users": func() { expect("list users", c.do("GET", "/api/v1/users", nil, nil), 403) },
			"POST /api/v1/users": func() {
				expect("create user", c.do("POST", "/api/v1/users", map[string]string{"username": "x1", "display_name": "x", "password": pw}, nil), 403)
			},
			"GET /api/v1/users/{id}": func() { expect("get user", c.do("GET", "/api/v1/users/1", nil, nil), 403) },
			"PATCH /api/v1/users/{id}": func() {
				expect("update user", c.do("PATCH", "/api/v1/users/1", map[string]any{"disabled": true}, nil), 403)
			},
			"PUT /api/v1/users/{id}/roles": func() {
				expect("grant roles", c.do("PUT", "/api/v1/users/1/roles", map[string]any{"roles": []any{map[string]any{"role": "org-admin", "org_id": f.root.ID}}}, nil), 403)
			},
			"GET /api/v1/settings/security": func() { expect("read settings", c.do("GET", "/api/v1/settings/security", nil, nil), 403) },
			"PUT /api/v1/settings/security": func() {
				expect("write settings", c.do("PUT", "/api/v1/settings/security", map[string]int{"max_failed_logins": 3}, nil), 403)
			},
			"GET /api/v1/audit":     func() { expect("audit log", c.do("GET", "/api/v1/audit", nil, nil), 403) },
			"GET /api/v1/rules":     func() { expect("rules", c.do("GET", "/api/v1/rules", nil, nil), 200) },
			"GET /api/v1/divisions": func() { expect("divisions", c.do("GET", "/api/v1/divisions?parent=430702", nil, nil), 200) },
			"GET /api/v1/orgs/meta": func() { expect("meta", c.do("GET", "/api/v1/orgs/meta", nil, nil), 200) },
			"GET /api/v1/orgs/tree": func() {
				var l idList
				expect("tree roots", c.do("GET", "/api/v1/orgs/tree", nil, &l), 200)
				if ids := l.ids(); len(ids) != 1 || ids[0] != f.a.ID {
					t.Errorf("tree roots = %v, want only 街道 A", ids)
				}
				for _, p := range []*org.Org{f.root, f.b, f.bCommunity} {
					var l idList
					c.do("GET", "/api/v1/orgs/tree?parent="+id(p)+"&include_dissolved=1", nil, &l)
					inside("tree under "+p.Name, l)
				}
			},
			"GET /api/v1/orgs": func() {
				var l idList
				expect("list", c.do("GET", "/api/v1/orgs?status=all&page_size=200", nil, &l), 200)
				inside("list", l)
				if l.Total != 3 {
					t.Errorf("list total = %d, want 3", l.Total)
				}
				expect("list under B", c.do("GET", "/api/v1/orgs?under="+id(f.b), nil, nil), 404)
				var q idList
				c.do("GET", "/api/v1/orgs?q=府坪", nil, &q)
				inside("search", q)
			},
			"POST /api/v1/orgs": func() {
				expect("create under B", c.do("POST", "/api/v1/orgs", map[string]any{"code": "X9", "name": "越权支部", "type": "branch", "unit_type": "other", "parent_id": f.bCommunity.ID}, nil), 422)
			},
			"GET /api/v1/orgs/elections": func() {
				var l idList
				expect("elections", c.do("GET", "/api/v1/orgs/elections?within_days=3650", nil, &l), 200)
				inside("elections", l)
				expect("elections under B", c.do("GET", "/api/v1/orgs/elections?under="+id(f.b), nil, nil), 404)
			},
			"GET /api/v1/orgs/findings": func() {
				var l idList
				expect("findings", c.do("GET", "/api/v1/orgs/findings", nil, &l), 200)
				inside("findings", l)
				expect("findings under B", c.do("GET", "/api/v1/orgs/findings?under="+id(f.b), nil, nil), 404)
			},
			"GET /api/v1/orgs/stats": func() {
				var st org.Stats
				expect("stats", c.do("GET", "/api/v1/orgs/stats", nil, &st), 200)
				if st.Total != 3 {
					t.Errorf("stats total = %d, want 3", st.Total)
				}
				expect("stats under B", c.do("GET", "/api/v1/orgs/stats?under="+id(f.b), nil, nil), 404)
				expect("stats under the root", c.do("GET", "/api/v1/orgs/stats?under="+id(f.root), nil, nil), 404)
			},
			"GET /api/v1/orgs/export": func() {
				status, raw := c.raw("GET", "/api/v1/orgs/export", nil)
				expect("export", status, 200)
				x, err := excelize.OpenReader(bytes.NewReader(raw))
				if err != nil {
					t.Fatalf("export is not a workbook: %v", err)
				}
				rows, _ := x.GetRows("党组织")
				if len(rows) != 4 {
					t.Errorf("export has %d rows, want header + 3", len(rows))
				}
				for _, r := range rows[1:] {
					if !f.aCodes[r[0]] {
						t.Errorf("export contains %s, outside 街道 A", r[0])
					}
				}
				expect("export under B", c.do("GET", "/api/v1/orgs/export?under="+id(f.b), nil, nil), 404)
			},
			"GET /api/v1/orgs/{id}": func() {
				for _, o := range []*org.Org{f.root, f.b, f.bCommunity, f.bBranch} {
					expect("get "+o.Name, c.do("GET", "/api/v1/orgs/"+id(o), nil, nil), 404)
				}
				expect("get own", c.do("GET", "/api/v1/orgs/"+id(f.aBranch), nil, nil), 200)
			},
			"PATCH /api/v1/orgs/{id}": func() {
				expect("update B", c.do("PATCH", "/api/v1/orgs/"+id(f.bBranch), map[string]any{"name": "改名", "version": 1}, nil), 404)
				expect("update root", c.do("PATCH", "/api/v1/orgs/"+id(f.root), map[string]any{"name": "改名", "version": 1}, nil), 404)
			},
			"DELETE /api/v1/orgs/{id}": func() {
				expect("delete B", c.do("DELETE", "/api/v1/orgs/"+id(f.bBranch), nil, nil), 404)
			},
			"POST /api/v1/orgs/{id}/move": func() {
				expect("move B's branch into A", c.do("POST", "/api/v1/orgs/"+id(f.bBranch)+"/move", map[string]any{"parent_id": f.aCommunity.ID}, nil), 404)
				expect("move A's branch into B", c.do("POST", "/api/v1/orgs/"+id(f.aBranch)+"/move", map[string]any{"parent_id": f.bCommunity.ID}, nil), 422)
				expect("move A itself under the root", c.do("POST", "/api/v1/orgs/"+id(f.aCommunity)+"/move", map[string]any{"parent_id": f.root.ID}, nil), 422)
			},
			"POST /api/v1/orgs/{id}/dissolve": func() {
				expect("dissolve B", c.do("POST", "/api/v1/orgs/"+id(f.bBranch)+"/dissolve", map[string]any{"date": "2026-01-01", "reason": "x"}, nil), 404)
			},
			"POST /api/v1/orgs/{id}/restore": func() {
				expect("restore B", c.do("POST", "/api/v1/orgs/"+id(f.bBranch)+"/restore", nil, nil), 404)
			},
			"GET /api/v1/orgs/{id}/history": func() { expect("history of B", c.do("GET", "/api/v1/orgs/"+id(f.b)+"/history", nil, nil), 404) },
			"GET /api/v1/orgs/{id}/checks":  func() { expect("checks of B", c.do("GET", "/api/v1/orgs/"+id(f.b)+"/checks", nil, nil), 404) },
			"GET /api/v1/orgs/{id}/committee": func() {
				expect("committee of B", c.do("GET", "/api/v1/orgs/"+id(f.bBranch)+"/committee", nil, nil), 404)
			},
			"POST /api/v1/orgs/{id}/terms": func() {
				expect("new term for B", c.do("POST", "/api/v1/orgs/"+id(f.bBranch)+"/terms", map[string]any{"elected_on": "2026-01-01"}, nil), 404)
			},
			"PATCH /api/v1/terms/{id}": func() {
				expect("change B's term", c.do("PATCH", fmt.Sprintf("/api/v1/terms/%d", f.bTerm.ID), map[string]any{"ends_on": "2027-01-01"}, nil), 404)
			},
			"POST /api/v1/terms/{id}/leaders": func() {
				expect("add a leader to B", c.do("POST", fmt.Sprintf("/api/v1/terms/%d/leaders", f.bTerm.ID), map[string]any{"name": "张三", "post": "member"}, nil), 404)
			},
			"PATCH /api/v1/leaders/{id}": func() {
				expect("change B's leader", c.do("PATCH", "/api/v1/leaders/"+leaderOf(f.bTerm), map[string]any{"name": "张三"}, nil), 404)
				expect("change own leader", c.do("PATCH", "/api/v1/leaders/"+leaderOf(f.aTerm), map[string]any{"note": "连任"}, nil), 200)
			},
			"DELETE /api/v1/leaders/{id}": func() {
				expect("delete B's leader", c.do("DELETE", "/api/v1/leaders/"+leaderOf(f.bTerm), nil, nil), 404)
			},

			// Member registry.
			"GET /api/v1/members/meta": func() { expect("member meta", c.do("GET", "/api/v1/members/meta", nil, nil), 200) },
			"GET /api/v1/members": func() {
				var l memberList
				expect("list members", c.do("GET", "/api/v1/members?status=all&page_size=200", nil, &l), 200)
				if l.Total != 1 || len(l.Items) != 1 || l.Items[0].ID != f.aMember.ID || !f.aInside[l.Items[0].OrgID] {
					t.Errorf("member list = %+v, want only A's member", l)
				}
				for _, it := range l.Items {
					if !strings.Contains(it.IDNumber, "*") {
						t.Errorf("member list shows a full 公民身份号码: %s", it.IDNumber)
					}
				}
				expect("list members of B", c.do("GET", "/api/v1/members?org="+id(f.b), nil, nil), 404)
				var q memberList
				c.do("GET", "/api/v1/members?q=11010519491231002X", nil, &q)
				if q.Total != 0 {
					t.Errorf("search by B's 公民身份号码 found %d", q.Total)
				}
				c.do("GET", "/api/v1/members?q=王府坪", nil, &q)
				if q.Total != 0 {
					t.Errorf("search by B's member's name found %d", q.Total)
				}
			},
			"POST /api/v1/members": func() {
				expect("create a member in B", c.do("POST", "/api/v1/members", map[string]any{"org_id": f.bBranch.ID, "name": "越权", "id_number": "430702199001010019",
					"ethnicity": "01", "education": "21", "joined_on": "2015-01-01"}, nil), 422)
			},
			"POST /api/v1/members/move": func() {
				expect("move B's member into A", c.do("POST", "/api/v1/members/move", map[string]any{"ids": []int64{f.bMember.ID}, "org_id": f.aBranch.ID}, nil), 404)
				expect("move A's member into B", c.do("POST", "/api/v1/members/move", map[string]any{"ids": []int64{f.aMember.ID}, "org_id": f.bBranch.ID}, nil), 422)
			},
			"GET /api/v1/members/{id}": func() {
				expect("get B's member", c.do("GET", fmt.Sprintf("/api/v1/members/%d", f.bMember.ID), nil, nil), 404)
				expect("reveal B's member", c.do("GET", fmt.Sprintf("/api/v1/members/%d?reveal=1", f.bMember.ID), nil, nil), 404)
				var m member.Detail
				expect("reveal own member", c.do("GET", fmt.Sprintf("/api/v1/members/%d?reveal=1", f.aMember.ID), nil, &m), 200)
				if m.IDNumber != "430702198503121232" || !m.Revealed {
					t.Errorf("reveal own member: %s", m.IDNumber)
				}
			},
			"PATCH /api/v1/members/{id}": func() {
				expect("update B's member", c.do("PATCH", fmt.Sprintf("/api/v1/members/%d", f.bMember.ID), map[string]any{"name": "改名", "version": f.bMember.Version}, nil), 404)
			},
			"GET /api/v1/members/{id}/history": func() {
				expect("history of B's member", c.do("GET", fmt.Sprintf("/api/v1/members/%d/history", f.bMember.ID), nil, nil), 404)
			},
			"POST /api/v1/members/{id}/history": func() {
				expect("add history to B's member", c.do("POST", fmt.Sprintf("/api/v1/members/%d/history", f.bMember.ID),
					map[string]any{"kind": "award", "started_on": "2020-01-01", "title": "x"}, nil), 404)
			},
			"DELETE /api/v1/members/{id}/history/{hid}": func() {
				expect("delete B's member's history", c.do("DELETE", fmt.Sprintf("/api/v1/members/%d/history/1", f.bMember.ID), nil, nil), 404)
			},
			"PUT /api/v1/members/{id}/user": func() {
				expect("unlink B's member's account", c.do("PUT", fmt.Sprintf("/api/v1/members/%d/user", f.bMember.ID), map[string]any{"user_id": nil}, nil), 404)
			},
			"GET /api/v1/stats/members": func() {
				var st member.Stats
				expect("member stats", c.do("GET", "/api/v1/stats/members", nil, &st), 200)
				if st.Total != 1 {
					t.Errorf("member stats total = %d, want 1", st.Total)
				}
				expect("member stats of B", c.do("GET", "/api/v1/stats/members?org="+id(f.b), nil, nil), 404)
				expect("member stats of the root", c.do("GET", "/api/v1/stats/members?org="+id(f.root), nil, nil), 404)
			},
			"GET /api/v1/stats/members/export": func() {
				status, raw := c.raw("GET", "/api/v1/stats/members/export", nil)
				expect("member stats export", status, 200)
				x, err := excelize.OpenReader(bytes.NewReader(raw))
				if err != nil {
					t.Fatalf("stats export is not a workbook: %v", err)
				}
				rows, _ := x.GetRows("党员统计")
				if len(rows) < 4 || rows[3][1] != "党员总数" || rows[3][2] != "1" {
					t.Errorf("stats export rows: %v", rows[:min(len(rows), 5)])
				}
				expect("member stats export of B", c.do("GET", "/api/v1/stats/members/export?org="+id(f.b), nil, nil), 404)
			},
			"GET /api/v1/me/member": func() { expect("own member record as an admin", c.do("GET", "/api/v1/me/member", nil, nil), 403) },
			"POST /api/v1/me/member/changes": func() {
				expect("self-service as an admin", c.do("POST", "/api/v1/me/member/changes", map[string]any{"phone": "13900000000"}, nil), 403)
			},
			"GET /api/v1/member-changes": func() {
				var l memberList
				expect("change requests", c.do("GET", "/api/v1/member-changes?status=pending", nil, &l), 200)
				if l.Total != 0 {
					t.Errorf("A's admin sees %d change requests of B", l.Total)
				}
			},
			"POST /api/v1/member-changes/{id}/approve": func() {
				expect("approve B's request", c.do("POST", fmt.Sprintf("/api/v1/member-changes/%d/approve", f.bRequest.ID), map[string]any{}, nil), 404)
			},
			"POST /api/v1/member-changes/{id}/reject": func() {
				expect("reject B's request", c.do("POST", fmt.Sprintf("/api/v1/member-changes/%d/reject", f.bRequest.ID), map[string]any{"note": "x"}, nil), 404)
			},
			"GET /api/v1/codes": func() { expect("code tables", c.do("GET", "/api/v1/codes", nil, nil), 200) },
			"PUT /api/v1/codes/{kind}/{code}": func() {
				expect("edit a code table as an org admin", c.do("PUT", "/api/v1/codes/job/017", map[string]any{"name": "社区工作者", "parent": "01"}, nil), 403)
			},
		}

		// Each capability keeps its cases in scope_<package>_test.go.
		for _, more := range []func(*testing.T, *fixture, *client) map[string]func(){
			rosterScopeCases, duesScopeCases, lifeScopeCases, developmentScopeCases,
			standingScopeCases, transferScopeCases, mobilityScopeCases,
		} {
			maps.Copy(cases, more(t, f, c))
		}
		for _, r := range Routes(d, slog.New(slog.DiscardHandler), Options{}).Routes() {
			key := r.Method + " " + r.Path
			run, ok := cases[key]
			if !ok {
				t.Errorf("endpoint %s has no scope case: add one to this test", key)
				continue
			}
			t.Run(strings.ReplaceAll(key, "/", "_"), func(t *testing.T) { run() })
			delete(cases, key)
		}
		for key := range cases {
			t.Errorf("case %s matches no endpoint", key)
		}

		// Nothing of 街道 B changed.
		s := org.NewStore(d)
		sys := access.System(context.Background())
		for _, o := range []*org.Org{f.b, f.bCommunity, f.bBranch} {
			now, err := s.Get(sys, o.ID)
			if err != nil || now.Version != o.Version || now.Name != o.Name || now.Status != org.StatusActive || *now.ParentID != *o.ParentID {
				t.Errorf("%s changed: %+v %v", o.Name, now, err)
			}
		}
		bm, err := f.members.Get(sys, f.bMember.ID, false)
		if err != nil || bm.Version != f.bMember.Version || bm.Name != "王府坪" || bm.OrgID != f.bBranch.ID || bm.Status != member.StatusNormal || len(bm.History) != 0 {
			t.Errorf("B's member changed: %+v %v", bm, err)
		}
		if l, _ := f.members.ChangeRequests(sys, 0, "pending", api.Paging{Page: 1, Size: 5}); l.Total != 1 {
			t.Errorf("B's pending request was decided")
		}
		cm, _ := s.Committee(sys, f.bBranch.ID)
		if len(cm.Current.Leaders) != 1 || cm.Current.Leaders[0].Name != "王芳" || cm.Current.EndsOn != f.bTerm.EndsOn {
			t.Errorf("B's 班子 changed: %+v", cm.Current)
		}
	})
}

func TestLogoutEndsAccess(t *testing.T) {
	f := newFixture(t, dbtest.SQLite(t))
	c := f.login(t, "street")
	if st := c.do("POST", "/api/v1/auth/logout", nil, nil); st != 204 {
		t.Fatalf("logout: %d", st)
	}
	if st := c.do("GET", "/api/v1/orgs", nil, nil); st != 401 {
		t.Fatalf("after logout: %d, want 401", st)
	}
}

func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	f := newFixture(t, dbtest.SQLite(t))
	res, err := http.Get(f.srv.URL + "/api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil || doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi: %v %q", err, doc.OpenAPI)
	}
	for _, r := range Routes(f.d, slog.New(slog.DiscardHandler), Options{}).Routes() {
		op, ok := doc.Paths[r.Path][strings.ToLower(r.Method)].(map[string]any)
		if !ok || op["summary"] == "" {
			t.Errorf("%s %s is not documented", r.Method, r.Path)
		}
	}
}

func TestErrorsAreProblemJSONInChinese(t *testing.T) {
	f := newFixture(t, dbtest.SQLite(t))
	res, err := http.Get(f.srv.URL + "/api/v1/orgs")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var p struct {
		Status int    `json:"status"`
		Code   string `json:"code"`
		Detail string `json:"detail"`
	}
	json.NewDecoder(res.Body).Decode(&p)
	if res.StatusCode != 401 || res.Header.Get("Content-Type") != "application/problem+json; charset=utf-8" || p.Code != "unauthenticated" || p.Detail != "请先登录" {
		t.Fatalf("anonymous request: %d %s %+v", res.StatusCode, res.Header.Get("Content-Type"), p)
	}
	c := f.login(t, "street")
	status, raw := c.raw("POST", "/api/v1/orgs", map[string]any{"code": "A", "name": "", "type": "branch", "unit_type": "other", "parent_id": f.aCommunity.ID})
	var bad struct {
		Errors []struct{ Field, Message string } `json:"errors"`
	}
	json.Unmarshal(raw, &bad)
	fields := map[string]string{}
	for _, e := range bad.Errors {
		fields[e.Field] = e.Message
	}
	if status != 422 || !strings.Contains(fields["code"], "已被") || fields["name"] == "" {
		t.Fatalf("bad create: %d %s", status, raw)
	}
	status, raw = c.raw("POST", "/api/v1/orgs", map[string]any{"code": 5})
	if status != 422 || !strings.Contains(string(raw), `"field":"code"`) {
		t.Fatalf("wrong type: %d %s", status, raw)
	}
	if status, _ := c.raw("GET", "/api/v1/nothing", nil); status != 404 {
		t.Fatalf("unknown endpoint: %d", status)
	}
}
