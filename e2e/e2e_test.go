package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/auth"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/db/dbtest"
	"github.com/dangjian/dangjian/internal/demo"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/pii"
	"github.com/dangjian/dangjian/internal/server"
)

const password = "Dangjian@2026"

// fixture is one server on a fresh database holding the 武陵区 demo tree and two accounts:
// admin (组织管理员 at the 区委) and jiedao (组织管理员 at the 启明街道党工委). The tree has no
// members; members is a registry sealing with the server's own key, for scenarios that need some.
type fixture struct {
	url     string
	db      *db.DB
	store   *org.Store
	members *member.Store
	sys     context.Context
	root    *org.Org // 中共常德市武陵区委员会
	qiming  *org.Org // 启明街道党工委, jiedao's scope
	fuping  *org.Org // 府坪街道党工委, outside jiedao's scope
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	sys := access.System(context.Background())
	s := org.NewStore(d)
	f := &fixture{db: d, store: s, sys: sys}

	key, _, err := pii.Generate()
	if err != nil {
		t.Fatal(err)
	}
	f.members = member.NewStore(d, key)
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv := httptest.NewServer(server.New(d, log, server.Options{Version: "test", PIIKey: key}))
	t.Cleanup(srv.Close)
	f.url = srv.URL
	requireUI(t, srv.URL)

	start := time.Now()
	opt := demo.Options{Area: "430702", Seed: 1, Today: time.Now()}
	var rootCode string
	n, err := s.Load(sys, "端到端测试", func(add func(org.Seed) error) error {
		return demo.Generate(opt, func(o demo.Org) error {
			if o.ParentCode == "" && rootCode == "" {
				rootCode = o.Code
			}
			return add(seedOf(o))
		})
	})
	if err != nil {
		t.Fatalf("loading the 武陵区 demo tree: %v", err)
	}
	t.Logf("demo tree: %d orgs in %s", n, time.Since(start).Round(time.Millisecond))

	if f.root, err = s.GetByCode(sys, rootCode); err != nil {
		t.Fatalf("demo root %s: %v", rootCode, err)
	}
	streets, err := s.Tree(sys, f.root.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range streets {
		switch {
		case f.qiming == nil && strings.Contains(c.Name, "启明街道"):
			f.qiming, err = s.Get(sys, c.ID)
		case f.fuping == nil && strings.Contains(c.Name, "府坪街道"):
			f.fuping, err = s.Get(sys, c.ID)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if f.qiming == nil || f.fuping == nil {
		var names []string
		for _, c := range streets {
			names = append(names, c.Name)
		}
		t.Fatalf("the demo root %q has no 启明街道 or 府坪街道 child; its children: %s", f.root.Name, strings.Join(names, "、"))
	}

	for _, u := range []auth.NewUser{
		{Username: "admin", DisplayName: "组织部管理员", Role: "org-admin", OrgCode: f.root.Code},
		{Username: "jiedao", DisplayName: "街道管理员", Role: "org-admin", OrgCode: f.qiming.Code},
	} {
		u.Password = password
		if _, err := auth.AddUser(sys, d, u); err != nil {
			t.Fatalf("creating user %s: %v", u.Username, err)
		}
	}

	return f
}

// requireUI fails when the server answers / with the "UI not built" page.
func requireUI(t *testing.T, base string) {
	t.Helper()
	res, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode == http.StatusServiceUnavailable {
		t.Fatalf("the web UI is not built into this test binary (GET / answered 503, 网页界面未构建):\n" +
			"run `make web` (or cd web && npm ci && npm run build) before the e2e tests")
	}
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `id="app"`) {
		t.Fatalf("GET / answered %d without the UI's page: %.300s", res.StatusCode, body)
	}
}

// testWriter sends the server's warnings to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// seedOf converts a generated demo organisation for org.Store.Load (as the demo command does).
func seedOf(o demo.Org) org.Seed {
	s := org.Seed{Code: o.Code, ParentCode: o.ParentCode, Name: o.Name, ShortName: o.ShortName, Type: o.Type,
		UnitType: o.UnitType, DivisionCode: o.DivisionCode, EstablishedOn: civil.Of(o.EstablishedOn), Units: o.Units, SortOrder: o.SortOrder}
	if o.Term != nil {
		t := &org.SeedTerm{ElectedOn: civil.Of(o.Term.ElectedOn)}
		for _, l := range o.Term.Leaders {
			t.Leaders = append(t.Leaders, org.SeedLeader{Name: l.Name, Post: l.Post})
		}
		s.Term = t
	}
	return s
}

func id(o *org.Org) string { return strconv.FormatInt(o.ID, 10) }

// TestBrowser runs the user's main paths through the real UI, on SQLite and on PostgreSQL.
func TestBrowser(t *testing.T) {
	br := startBrowser(t)
	engines := []struct {
		name string
		open func(testing.TB) *db.DB
	}{
		{"sqlite", dbtest.SQLite},
		{"postgres", dbtest.Postgres},
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			f := newFixture(t, e.open(t))
			t.Run("login_and_browse", func(t *testing.T) { loginAndBrowse(t, br.NewTab(t, f.url), f) })
			t.Run("create_and_move", func(t *testing.T) { createAndMove(t, br.NewTab(t, f.url), f) })
			t.Run("scoped_user", func(t *testing.T) { scopedUser(t, br.NewTab(t, f.url), f) })
			t.Run("import_members", func(t *testing.T) { importMembers(t, br.NewTab(t, f.url), f) })
			t.Run("record_meeting_phone", func(t *testing.T) { recordMeetingPhone(t, br.NewTab(t, f.url), f) })
			t.Run("standing_and_balance", func(t *testing.T) { standingAndBalance(t, br.NewTab(t, f.url), f) })
			t.Run("development_case", func(t *testing.T) { developmentCase(t, f, br.NewTab(t, f.url), br.NewTab(t, f.url)) })
			t.Run("transfer_between_streets", func(t *testing.T) { transferBetweenStreets(t, br, f) })
			t.Run("mobility_phone", func(t *testing.T) { mobilityPhone(t, br.NewTab(t, f.url), f) })
			t.Run("dev_settings", func(t *testing.T) { devSettings(t, br, f) })
			t.Run("logout", func(t *testing.T) { logout(t, br.NewTab(t, f.url), f) })
		})
	}
}

// treeNode is the page-side expression of the tree node (.el-tree-node) of an org code, inside
// the container CSS scope.
func treeNode(scope, code string) string {
	return fmt.Sprintf(`(one(%s + ' .org-node[data-code=' + %s + ']')?.closest('.el-tree-node') || null)`,
		q(scope), q(strconv.Quote(code)))
}

// expand opens a tree node (in the org tree or in a tree-select's popper) and waits for its
// children.
func expand(tab *Tab, scope, code string) {
	tab.t.Helper()
	node := treeNode(scope, code)
	if !Eval[bool](tab, "read the tree", `const n = `+node+`; return !!n && n.classList.contains('is-expanded')`) {
		tab.ClickJS("the expand arrow of "+code, node+`?.querySelector(':scope > .el-tree-node__content .el-tree-node__expand-icon')`)
	}
	tab.WaitJS("the children of "+code+" to load", `return all(':scope > .el-tree-node__children .org-node', `+node+`).length > 0`)
}

// a. Log in (a wrong password first), see the tree from the 区委 down, open a 街道.
func loginAndBrowse(t *testing.T, tab *Tab, f *fixture) {
	tab.Open("/")
	tab.WaitPath(`^/login$`)

	tab.Type("login-username", "admin")
	tab.Type("login-password", "not-the-password")
	tab.Click("login-submit")
	tab.WaitTextContains("login-error", "用户名或密码错误")
	if p := tab.Path(); p != "/login" {
		tab.Fatalf("after a wrong password the page moved to %s", p)
	}

	tab.Type("login-password", password)
	tab.Click("login-submit")
	tab.WaitVisible("user-menu")
	tab.WaitTextContains("user-menu", "组织部管理员")
	// An org-admin lands on the 工作台 (what to do next); 组织管理 opens on the user's scope root.
	tab.WaitPath(`^/workbench$`)
	tab.Click("nav-orgs")
	tab.WaitPath(`^/orgs/` + id(f.root) + `$`)
	tab.WaitText("org-title", f.root.Name)
	tab.WaitText("org-code", f.root.Code)

	roots := `all('[data-testid="org-tree"] > .el-tree-node')`
	tab.WaitJS("the tree's roots to load", `return `+roots+`.length > 0`)
	got := Eval[[]string](tab, "read the tree's roots", `return `+roots+`.map((n) => text(n.querySelector('.org-node')))`)
	if len(got) != 1 || got[0] != "中共常德市武陵区委员会" {
		tab.Fatalf("the tree's roots are %q, want only 中共常德市武陵区委员会", got)
	}

	expand(tab, ".org-tree", f.root.Code)
	children := Eval[[]string](tab, "read the root's children",
		`return all(':scope > .el-tree-node__children .org-node', `+treeNode(".org-tree", f.root.Code)+`).map(text)`)
	for _, want := range []string{f.qiming.Name, f.fuping.Name} {
		if !contains(children, want) {
			tab.Fatalf("the expanded root shows %q, without %s", children, want)
		}
	}

	tab.ClickJS(f.qiming.Name, `one('.org-tree .org-node[data-code="`+f.qiming.Code+`"]')`)
	tab.WaitPath(`^/orgs/` + id(f.qiming) + `$`)
	tab.WaitText("org-title", f.qiming.Name)
	tab.WaitText("org-code", f.qiming.Code)
	tab.WaitJS("启明街道 to be the tree's current node",
		`return one('.org-tree .el-tree-node.is-current > .el-tree-node__content .org-node')?.dataset.code === `+q(f.qiming.Code))
}

// b. Add a 党支部 under 启明街道 through the form, then move it to 府坪街道 with the move dialog.
func createAndMove(t *testing.T, tab *Tab, f *fixture) {
	const code, name = "E2E0001", "中共E2E测试党支部"
	tab.Login("admin", password)
	tab.Open("/orgs/" + id(f.qiming))
	tab.WaitText("org-title", f.qiming.Name)

	tab.Click("btn-add-child")
	tab.WaitVisible("org-form")
	tab.Type("org-form-code", code)
	tab.Type("org-form-name", name)
	tab.Select("org-form-type", "党支部")
	tab.Select("org-form-unit-type", "社区")
	tab.Click("org-form-submit")
	tab.WaitGone("org-form")
	// The new org opens at once.
	tab.WaitText("org-title", name)
	tab.WaitText("org-code", code)

	created, err := f.store.GetByCode(f.sys, code)
	if err != nil {
		tab.Fatalf("the form said it saved, but the store has no %s: %v", code, err)
	}
	if created.ParentID == nil || *created.ParentID != f.qiming.ID || created.Type != org.TypeBranch ||
		created.UnitType != org.UnitCommunity || created.Name != name {
		tab.Fatalf("stored %+v; want %s, 党支部 (branch), 社区 (community), under %s", created, name, f.qiming.Name)
	}
	tab.WaitPath(`^/orgs/` + id(created) + `$`)
	tab.WaitJS("the new org in the tree under 启明街道",
		`return all(':scope > .el-tree-node__children .org-node[data-code="`+code+`"]', `+treeNode(".org-tree", f.qiming.Code)+`).length === 1`)

	// 启明街道's 下级组织 tab lists it.
	tab.ClickJS("the breadcrumb "+f.qiming.Name, `all('.crumbs .el-breadcrumb__inner').find((a) => text(a) === `+q(f.qiming.Name)+`)`)
	tab.WaitText("org-title", f.qiming.Name)
	tab.ClickJS("the tab 下级组织", `one('#tab-children')`)
	tab.Type("children-search", code)
	tab.PressEnter()
	row := `all('[data-testid="children-table"] .el-table__body .org-node[data-code="` + code + `"]')`
	tab.WaitJS("the children table to list "+code, `const r = `+row+`; return r.length === 1 && text(r[0]) === `+q(name))

	// Open it from the table and move it.
	tab.ClickJS("the row of "+code, row+`[0]`)
	tab.WaitPath(`^/orgs/` + id(created) + `$`)
	tab.WaitText("org-title", name)
	tab.Click("btn-move")
	tab.WaitVisible("move-submit")
	tab.ClickJS("the new-parent picker", `one('.el-select[data-testid="move-parent"] .el-select__wrapper')`)
	expand(tab, ".org-tree-select-popper", f.root.Code)
	tab.ClickJS(f.fuping.Name+" in the picker", `one('.org-tree-select-popper .org-node[data-code="`+f.fuping.Code+`"]')`)
	tab.WaitJS("the picker to show "+f.fuping.Name,
		`return text(one('.el-select[data-testid="move-parent"] .el-select__selected-item:not(.is-hidden)')) === `+q(f.fuping.Name))
	tab.Click("move-submit")
	tab.WaitGone("move-submit")

	// The page now shows the new parent: breadcrumb and 上级组织.
	wantCrumbs := []string{f.root.Name, f.fuping.Name}
	tab.WaitJS("the breadcrumb to read "+strings.Join(wantCrumbs, " / "),
		`return JSON.stringify(all('.crumbs .el-breadcrumb__inner').map(text)) === `+q(jsonOf(wantCrumbs)))
	tab.WaitJS("上级组织 to read "+f.fuping.Name,
		`const th = all('.el-descriptions__label').find((c) => text(c) === '上级组织'); return text(th?.nextElementSibling) === `+q(f.fuping.Name))
	tab.WaitText("org-title", name)
	tab.WaitJS("the tree to show it under 府坪街道 and no longer under 启明街道",
		`return all(':scope > .el-tree-node__children .org-node[data-code="`+code+`"]', `+treeNode(".org-tree", f.fuping.Code)+`).length === 1 &&
			all(':scope > .el-tree-node__children .org-node[data-code="`+code+`"]', `+treeNode(".org-tree", f.qiming.Code)+`).length === 0`)

	// The API (same session) and the store agree.
	status, body := tab.APIStatus("/api/v1/orgs/" + id(created))
	if status != http.StatusOK || body["parent_id"] != float64(f.fuping.ID) || body["parent_name"] != f.fuping.Name {
		tab.Fatalf("GET /api/v1/orgs/%d after the move: %d parent_id=%v parent_name=%v; want parent %d %s",
			created.ID, status, body["parent_id"], body["parent_name"], f.fuping.ID, f.fuping.Name)
	}
	moved, err := f.store.Get(f.sys, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if moved.ParentID == nil || *moved.ParentID != f.fuping.ID {
		tab.Fatalf("the store has %s under %v after the move, want %d (%s)", code, moved.ParentID, f.fuping.ID, f.fuping.Name)
	}
}

// c. A 街道 admin sees only their 街道: one root, no 府坪街道, and a not-found page for it.
func scopedUser(t *testing.T, tab *Tab, f *fixture) {
	tab.Login("jiedao", password)
	tab.WaitPath(`^/workbench$`)
	tab.Open("/orgs")
	tab.WaitPath(`^/orgs/` + id(f.qiming) + `$`)
	tab.WaitText("org-title", f.qiming.Name)

	roots := `all('[data-testid="org-tree"] > .el-tree-node')`
	tab.WaitJS("the tree's roots to load", `return `+roots+`.length > 0`)
	got := Eval[[]string](tab, "read the tree's roots", `return `+roots+`.map((n) => n.querySelector('.org-node')?.dataset.code)`)
	if len(got) != 1 || got[0] != f.qiming.Code {
		tab.Fatalf("jiedao's tree has the roots %q, want only %s (%s)", got, f.qiming.Code, f.qiming.Name)
	}
	if f.qiming.ChildCount > 0 {
		expand(tab, ".org-tree", f.qiming.Code)
	}
	tree := Eval[string](tab, "read the tree", `return text(one('[data-testid="org-tree"]'))`)
	for _, other := range []*org.Org{f.fuping, f.root} {
		if strings.Contains(tree, other.Name) || Eval[bool](tab, "search the tree", `return !!document.querySelector('.org-tree .org-node[data-code="`+other.Code+`"]')`) {
			tab.Fatalf("jiedao's tree shows %s", other.Name)
		}
	}

	// Typing the address of 府坪街道 shows a not-found page, not its data.
	tab.Open("/orgs/" + id(f.fuping))
	tab.WaitJS("the not-found message", `return text(one('.org-detail .el-result__title')) === '未找到该组织'`)
	if Eval[bool](tab, "look for org-title", `return all(testid('org-title')).length > 0`) {
		tab.Fatalf("/orgs/%d shows an org title to jiedao", f.fuping.ID)
	}
	if page := Eval[string](tab, "read the page", `return text(document.body)`); strings.Contains(page, f.fuping.Name) || strings.Contains(page, f.fuping.Code) {
		tab.Fatalf("the not-found page for /orgs/%d still shows 府坪街道 (%s)", f.fuping.ID, f.fuping.Name)
	}
	if status, _ := tab.APIStatus("/api/v1/orgs/" + id(f.fuping)); status != http.StatusNotFound {
		tab.Fatalf("GET /api/v1/orgs/%d as jiedao answered %d, want 404", f.fuping.ID, status)
	}
	if status, body := tab.APIStatus("/api/v1/orgs?q=" + "府坪"); status != http.StatusOK || body["total"] != float64(0) {
		tab.Fatalf("searching 府坪 as jiedao answered %d with total %v, want 200 and 0", status, body["total"])
	}
}

// d. Logging out returns to the login page and ends the session on the server.
func logout(t *testing.T, tab *Tab, f *fixture) {
	tab.Login("admin", password)
	session := tab.Cookie(auth.CookieName)
	if session == "" {
		tab.Fatalf("logged in, but the browser holds no dj_session cookie")
	}
	if status, _ := tab.APIStatus("/api/v1/me"); status != http.StatusOK {
		tab.Fatalf("GET /api/v1/me while logged in answered %d", status)
	}

	tab.Click("user-menu")
	tab.Click("logout")
	tab.WaitPath(`^/login$`)
	tab.WaitVisible("login-username")

	if status, _ := tab.APIStatus("/api/v1/me"); status != http.StatusUnauthorized {
		tab.Fatalf("GET /api/v1/me after logout answered %d, want 401", status)
	}
	// The old cookie is dead on the server too, not just forgotten by the browser.
	if status := httpStatus(t, f.url+"/api/v1/me", &http.Cookie{Name: auth.CookieName, Value: session}); status != http.StatusUnauthorized {
		tab.Fatalf("GET /api/v1/me with the logged-out session cookie answered %d, want 401", status)
	}
	// And the pages send the user back to the login.
	tab.Open("/orgs/" + id(f.root))
	tab.WaitPath(`^/login$`)
	tab.WaitVisible("login-username")
}

func jsonOf(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
