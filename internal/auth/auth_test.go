package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/db/dbtest"
)

const pw = "Secret#2026x"

// fakeClock replaces clock for a test, so lock-outs and idle timeouts pass without sleeping.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type env struct {
	t     *testing.T
	d     *db.DB
	srv   *httptest.Server
	clock *fakeClock
	mu    sync.Mutex
	raw   []string // every response body, to check that no secret ever leaves
}

type logWriter struct{ t *testing.T }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// newEnv serves Register's routes behind Middleware, as the server does.
func newEnv(t *testing.T, d *db.DB, opts Options) *env {
	t.Helper()
	fc := &fakeClock{t: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)}
	saved := clock
	clock = fc.now
	t.Cleanup(func() { clock = saved })
	r := api.NewRouter(slog.New(slog.NewTextHandler(logWriter{t}, nil)))
	Register(r, d, opts)
	e := &env{t: t, d: d, clock: fc}
	e.srv = httptest.NewServer(Middleware(d, opts, r))
	t.Cleanup(e.srv.Close)
	return e
}

type client struct {
	e      *env
	cookie *http.Cookie
	csrf   string
	header http.Header
}

func (e *env) client() *client { return &client{e: e, header: http.Header{}} }

type result struct {
	status int
	body   map[string]any
	raw    string
	resp   *http.Response
}

func (r result) code() string { s, _ := r.body["code"].(string); return s }

func (r result) field(name string) string {
	errs, _ := r.body["errors"].([]any)
	for _, e := range errs {
		m := e.(map[string]any)
		if m["field"] == name {
			return m["message"].(string)
		}
	}
	return ""
}

func (c *client) do(method, path string, body any) result {
	c.e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.e.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.e.srv.URL+path, rd)
	if err != nil {
		c.e.t.Fatal(err)
	}
	if c.cookie != nil {
		req.AddCookie(c.cookie)
	}
	if c.csrf != "" {
		req.Header.Set(CSRFHeader, c.csrf)
	}
	for k, v := range c.header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	c.e.mu.Lock()
	c.e.raw = append(c.e.raw, string(b))
	c.e.mu.Unlock()
	for _, ck := range resp.Cookies() {
		if ck.Name == CookieName {
			if ck.MaxAge < 0 {
				c.cookie = nil
			} else {
				c.cookie = ck
			}
		}
	}
	r := result{status: resp.StatusCode, raw: string(b), resp: resp}
	if len(b) > 0 {
		if err := json.Unmarshal(b, &r.body); err != nil {
			c.e.t.Fatalf("%s %s: answer is not a JSON object: %s", method, path, b)
		}
	}
	return r
}

func (c *client) login(username, password string) result {
	c.e.t.Helper()
	r := c.do("POST", "/api/v1/auth/login", map[string]string{"username": username, "password": password})
	if r.status == http.StatusOK {
		c.csrf, _ = r.body["csrf_token"].(string)
	}
	return r
}

// loggedIn logs in or fails the test.
func (e *env) loggedIn(username, password string) *client {
	e.t.Helper()
	c := e.client()
	if r := c.login(username, password); r.status != http.StatusOK {
		e.t.Fatalf("login %s: %d %s", username, r.status, r.raw)
	}
	return c
}

func want(t *testing.T, r result, status int, code string) {
	t.Helper()
	if r.status != status || (code != "" && r.code() != code) {
		t.Fatalf("got %d %s, want %d %s", r.status, r.raw, status, code)
	}
}

var sys = access.System(context.Background())

func addUser(t *testing.T, d *db.DB, username, role string, orgCode string) User {
	t.Helper()
	u, err := AddUser(sys, d, NewUser{Username: username, DisplayName: "用户" + username, Password: pw, Role: role, OrgCode: orgCode})
	if err != nil {
		t.Fatalf("AddUser %s: %v", username, err)
	}
	return u
}

// addOrg inserts an org row directly (the org package owns orgs; auth only refers to them).
func addOrg(t *testing.T, d *db.DB, code, name string) int64 {
	t.Helper()
	var id int64
	err := d.InTx(context.Background(), func(tx *db.Tx) error {
		now := time.Now().UTC()
		if err := tx.QueryRow(context.Background(), `INSERT INTO orgs (code, name, type, unit_type, path, depth, created_at, updated_at)
			VALUES (?, ?, 'committee', 'community', '/', 0, ?, ?) RETURNING id`, code, name, now, now).Scan(&id); err != nil {
			return err
		}
		_, err := tx.Exec(context.Background(), `UPDATE orgs SET path = ? WHERE id = ?`, fmt.Sprintf("/%d/", id), id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

type auditRow struct {
	userID                   *int64
	username, action, entity string
	summary                  string
	before, after            *string
}

func auditRows(t *testing.T, d *db.DB, action string) []auditRow {
	t.Helper()
	rows, err := d.Query(context.Background(), `SELECT user_id, username, action, entity, summary, before_json, after_json
		FROM audit_log WHERE action LIKE ? ORDER BY id`, action)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []auditRow
	for rows.Next() {
		var a auditRow
		if err := rows.Scan(&a.userID, &a.username, &a.action, &a.entity, &a.summary, &a.before, &a.after); err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

func TestLoginSetsSessionCookieAndCSRFToken(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, Options{})
		u := addUser(t, d, "sysadmin", "system-admin", "")
		c := e.client()
		r := c.login("SysAdmin ", pw) // usernames are case-insensitive and trimmed
		want(t, r, http.StatusOK, "")
		ck := c.cookie
		if ck == nil || ck.Value == "" || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Secure {
			t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax, Path=/, not Secure without SecureCookie", ck)
		}
		user := r.body["user"].(map[string]any)
		if c.csrf == "" || user["csrf_token"] != c.csrf || user["username"] != "sysadmin" || user["password_expired"] != false {
			t.Fatalf("login answer %s", r.raw)
		}
		if perms := fmt.Sprint(user["permissions"]); perms != "[user.manage]" {
			t.Errorf("permissions %s, want [user.manage]", perms)
		}

		me := c.do("GET", "/api/v1/me", nil)
		want(t, me, http.StatusOK, "")
		if me.body["csrf_token"] != c.csrf || me.body["id"] != float64(u.ID) {
			t.Fatalf("/me %s", me.raw)
		}

		// Only the token's SHA-256 is stored.
		var n, m int
		d.QueryRow(context.Background(), `SELECT COUNT(*) FROM sessions WHERE token_hash = ?`, tokenHash(ck.Value)).Scan(&n)
		d.QueryRow(context.Background(), `SELECT COUNT(*) FROM sessions WHERE token_hash = ?`, ck.Value).Scan(&m)
		if n != 1 || m != 0 {
			t.Fatalf("sessions by hash %d, by raw token %d; want 1, 0", n, m)
		}
		var lastLogin *time.Time
		d.QueryRow(context.Background(), `SELECT last_login_at FROM users WHERE id = ?`, u.ID).Scan(&lastLogin)
		if lastLogin == nil || !lastLogin.Equal(e.clock.now()) {
			t.Errorf("last_login_at = %v, want %v", lastLogin, e.clock.now())
		}
		if rows := auditRows(t, d, "auth.login"); len(rows) != 1 || rows[0].userID == nil || *rows[0].userID != u.ID || rows[0].username != "sysadmin" {
			t.Fatalf("auth.login audit: %+v", rows)
		}

		// Logout ends the session and clears the cookie.
		old := *c.cookie
		want(t, c.do("POST", "/api/v1/auth/logout", nil), http.StatusNoContent, "")
		if c.cookie != nil {
			t.Fatal("logout did not clear the cookie")
		}
		c.cookie = &old
		want(t, c.do("GET", "/api/v1/me", nil), http.StatusUnauthorized, "unauthenticated")
		if len(auditRows(t, d, "auth.logout")) != 1 {
			t.Fatal("no auth.logout audit entry")
		}

		// Behind HTTPS the cookie is Secure.
		e2 := newEnv(t, d, Options{SecureCookie: true})
		c2 := e2.client()
		want(t, c2.login("sysadmin", pw), http.StatusOK, "")
		if !c2.cookie.Secure {
			t.Fatal("SecureCookie: cookie not Secure")
		}
	})
}

func TestWrongPasswordAndUnknownUserLookTheSame(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, Options{})
		addUser(t, d, "sysadmin", "system-admin", "")
		c := e.client()
		wrong := c.login("sysadmin", "Secret#2026y")
		want(t, wrong, http.StatusUnauthorized, "bad_credentials")
		unknown := c.login("nobody", pw)
		want(t, unknown, http.StatusUnauthorized, "bad_credentials")
		if wrong.body["detail"] != "用户名或密码错误" || unknown.body["detail"] != wrong.body["detail"] {
			t.Fatalf("details differ or wrong: %q / %q", wrong.body["detail"], unknown.body["detail"])
		}
		if c.cookie != nil {
			t.Fatal("a failed login set a session cookie")
		}
		rows := auditRows(t, d, "auth.login_failed")
		if len(rows) != 2 || rows[0].username != "sysadmin" || rows[1].username != "nobody" || rows[1].userID != nil {
			t.Fatalf("auth.login_failed entries %+v; want the attempted usernames", rows)
		}
	})
}

func TestLockoutAfterConsecutiveFailures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, Options{})
		addUser(t, d, "sysadmin", "system-admin", "")
		c := e.client()

		// A success in between resets the count.
		for range 4 {
			want(t, c.login("sysadmin", "wrong"), http.StatusUnauthorized, "bad_credentials")
		}
		want(t, c.login("sysadmin", pw), http.StatusOK, "")
		for range 4 {
			want(t, c.login("sysadmin", "wrong"), http.StatusUnauthorized, "bad_credentials")
		}
		// The 5th consecutive failure (default max_failed_logins) locks for 15 minutes.
		r := c.login("sysadmin", "wrong")
		want(t, r, http.StatusLocked, "locked")
		until := e.clock.now().Add(15 * time.Minute)
		if r.body["locked_until"] != until.Format(time.RFC3339) {
			t.Fatalf("locked_until %v, want %s", r.body["locked_until"], until.Format(time.RFC3339))
		}
		if d := r.body["detail"].(string); d != "密码错误次数过多，账号已锁定至 "+until.In(cst).Format("15:04") {
			t.Fatalf("detail %q", d)
		}
		// While locked even the right password is refused.
		want(t, c.login("sysadmin", pw), http.StatusLocked, "locked")
		e.clock.add(14 * time.Minute)
		want(t, c.login("sysadmin", pw), http.StatusLocked, "locked")
		e.clock.add(2 * time.Minute)
		want(t, c.login("sysadmin", pw), http.StatusOK, "")
		var failed int
		var locked *time.Time
		d.QueryRow(context.Background(), `SELECT failed_logins, locked_until FROM users WHERE username = 'sysadmin'`).Scan(&failed, &locked)
		if failed != 0 || locked != nil {
			t.Fatalf("after a successful login: failed_logins %d, locked_until %v", failed, locked)
		}
	})
}

func TestUnlockAndShowLock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, Options{})
		admin := e.loggedInAs("sysadmin", "system-admin")
		victim := addUser(t, d, "viewer", "auditor", "")
		c := e.client()
		for range 5 {
			c.login("viewer", "wrong")
		}
		r := admin.do("GET", fmt.Sprintf("/api/v1/users/%d", victim.ID), nil)
		if r.body["locked_until"] == nil {
			t.Fatalf("a locked user shows no locked_until: %s", r.raw)
		}
		r = admin.do("PATCH", fmt.Sprintf("/api/v1/users/%d", victim.ID), map[string]any{"unlock": true})
		want(t, r, http.StatusOK, "")
		if r.body["locked_until"] != nil {
			t.Fatalf("after unlock: %s", r.raw)
		}
		want(t, c.login("viewer", pw), http.StatusOK, "")
	})
}

func (e *env) loggedInAs(username, role string) *client {
	e.t.Helper()
	addUser(e.t, e.d, username, role, "")
	return e.loggedIn(username, pw)
}

func TestThrottlePerClientAddress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		saved := throttleLimit
		throttleLimit = 3
		t.Cleanup(func() { throttleLimit = saved })
		e := newEnv(t, d, Options{TrustProxy: true})
		addUser(t, d, "sysadmin", "system-admin", "")
		a := e.client()
		a.header.Set("X-Forwarded-For", "203.0.113.5")
		for _, name := range []string{"x1", "x2", "x3"} {
			want(t, a.login(name, pw), http.StatusUnauthorized, "bad_credentials")
		}
		r := a.login("sysadmin", pw)
		want(t, r, http.StatusTooManyRequests, "throttled")
		if r.body["detail"] != "登录尝试过于频繁，请稍后再试" {
			t.Fatalf("detail %q", r.body["detail"])
		}
		// Another address is not affected.
		b := e.client()
		b.header.Set("X-Forwarded-For", "203.0.113.6")
		want(t, b.login("sysadmin", pw), http.StatusOK, "")
		// The window passes.
		e.clock.add(11 * time.Minute)
		want(t, a.login("sysadmin", pw), http.StatusOK, "")
	})
}

func TestIdleSessionExpires(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, Options{})
		c := e.loggedInAs("sysadmin", "system-admin")
		// Activity keeps the session alive past the 30-minute idle limit.
		e.clock.add(20 * time.Minute)
		want(t, c.do("GET", "/api/v1/me", nil), http.StatusOK, "")
		e.clock.add(20 * time.Minute)
		want(t, c.do("GET", "/api/v1/me", nil), http.StatusOK, "")
		// last_seen_at is written at most once a minute.
		var seen1, seen2 time.Time
		d.QueryRow(context.Background(), `SELECT last_seen_at FROM sessions`).Scan(&seen1)
		e.clock.add(30 * time.Second)
		want(t, c.do("GET", "/api/v1/me", nil), http.StatusOK, "")
		d.QueryRow(context.Background(), `SELECT last_seen_at FROM sessions`).Scan(&seen2)
		if !seen1.Equal(seen2) {
			t.Errorf("last_seen_at rewritten after 30 s: %v → %v", seen1, seen2)
		}
		e.clock.add(31 * time.Minute)
		r := c.do("GET", "/api/v1/me", nil)
		want(t, r, http.StatusUnauthorized, "session_expired")
		if r.body["detail"] != "登录已超时，请重新登录" {
			t.Fatalf("detail %q", r.body["detail"])
		}
		var n int
		d.QueryRow(context.Background(), `SELECT COUNT(*) FROM sessions`).Scan(&n)
		if n != 0 {
			t.Fatalf("%d sessions left after expiry", n)
		}

		// The setting is read per request: shortening it applies to open sessions at once.
		sec := e.loggedInAs("secadmin", "security-admin")
		c = e.loggedIn("sysadmin", pw)
		want(t, sec.do("PUT", "/api/v1/settings/security", Settings{MaxFailedLogins: 5, LockoutMinutes: 15, SessionIdleMinutes: 5, PasswordMinLength: 8}), http.StatusOK, "")
		e.clock.add(6 * time.Minute)
		want(t, c.do("GET", "/api/v1/me", nil), http.StatusUnauthorized, "session_expired")
	})
}

func TestCSRFAndOrigin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, Options{})
		c := e.loggedInAs("sysadmin", "system-admin")
		token := c.csrf
		change := map[string]string{"old_password": pw, "new_password": "Other#2026x"}

		c.csrf = ""
		r := c.do("POST", "/api/v1/me/password", change)
		want(t, r, http.StatusForbidden, "csrf")
		if r.body["detail"] != "页面已过期或请求来源可疑，请刷新页面后重试" {
			t.Fatalf("detail %q", r.body["detail"])
		}
		c.csrf = token + "x"
		want(t, c.do("POST", "/api/v1/me/password", change), http.StatusForbidden, "csrf")
		c.csrf = token
		c.header.Set("Origin", "https://evil.example")
		want(t, c.do("POST", "/api/v1/me/password", change), http.StatusForbidden, "csrf")
		// Reads need no token.
		want(t, c.do("GET", "/api/v1/me", nil), http.StatusOK, "")
		// Our own origin with the right token passes.
		c.header.Set("Origin", e.srv.URL)
		want(t, c.do("POST", "/api/v1/me/password", change), http.StatusNoContent, "")
		// Nothing was changed by the refused requests: the password changed exactly once.
		if n := len(auditRows(t, d, "user.password")); n != 1 {
			t.Fatalf("%d user.password entries, want 1", n)
		}
		// Login needs no token but does check the origin.
		f := e.client()
		f.header.Set("Origin", "https://evil.example")
		want(t, f.login("sysadmin", "Other#2026x"), http.StatusForbidden, "csrf")
		f.header.Del("Origin")
		want(t, f.login("sysadmin", "Other#2026x"), http.StatusOK, "")
	})
}

func TestChangeOwnPassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, Options{})
		c := e.loggedInAs("sysadmin", "system-admin")
		other := e.loggedIn("sysadmin", pw)
		r := c.do("POST", "/api/v1/me/password", map[string]string{"old_password": "wrong", "new_password": "Other#2026x"})
		want(t, r, http.StatusUnprocessableEntity, "invalid")
		if r.field("old_password") != "原密码不正确" {
			t.Fatalf("wrong old password: %s", r.raw)
		}
		r = c.do("POST", "/api/v1/me/password", map[string]string{"old_password": pw, "new_password": "weakpass"})
		if r.status != 422 || !strings.Contains(r.field("new_password"), "目前缺少") {
			t.Fatalf("weak new password: %s", r.raw)
		}
		want(t, c.do("POST", "/api/v1/me/password", map[string]string{"old_password": pw, "new_password": "Other#2026x"}), http.StatusNoContent, "")
		// This session stays; the user's other sessions end.
		want(t, c.do("GET", "/api/v1/me", nil), http.StatusOK, "")
		want(t, other.do("GET", "/api/v1/me", nil), http.StatusUnauthorized, "unauthenticated")
		want(t, e.client().login("sysadmin", pw), http.StatusUnauthorized, "bad_credentials")
		want(t, e.client().login("sysadmin", "Other#2026x"), http.StatusOK, "")
	})
}

func TestDisabledUserCannotLogInAndLosesSessions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, Options{})
		admin := e.loggedInAs("sysadmin", "system-admin")
		addOrg(t, d, "430702001", "中共某某街道工作委员会")
		zhang := addUser(t, d, "zhang", "member", "430702001")
		z := e.loggedIn("zhang", pw)
		path := fmt.Sprintf("/api/v1/users/%d", zhang.ID)

		r := admin.do("PATCH", path, map[string]any{"disabled": true})
		want(t, r, http.StatusOK, "")
		if r.body["disabled"] != true {
			t.Fatalf("PATCH disabled: %s", r.raw)
		}
		want(t, z.do("GET", "/api/v1/me", nil), http.StatusUnauthorized, "unauthenticated")
		r = e.client().login("zhang", pw)
		want(t, r, http.StatusForbidden, "disabled")
		if r.body["detail"] != "账号已停用，请联系系统管理员" {
			t.Fatalf("detail %q", r.body["detail"])
		}
		// Without the password one learns nothing about the account.
		want(t, e.client().login("zhang", "wrong"), http.StatusUnauthorized, "bad_credentials")

		want(t, admin.do("PATCH", path, map[string]any{"disabled": false}), http.StatusOK, "")
		z = e.loggedIn("zhang", pw)

		// A password reset by the administrator also ends the user's sessions.
		want(t, admin.do("PATCH", path, map[string]any{"password": "Reset#2026z"}), http.StatusOK, "")
		want(t, z.do("GET", "/api/v1/me", nil), http.StatusUnauthorized, "unauthenticated")
		want(t, e.client().login("zhang", "Reset#2026z"), http.StatusOK, "")

		// The administrator cannot lock themselves out.
		me := admin.do("GET", "/api/v1/me", nil)
		r = admin.do("PATCH", fmt.Sprintf("/api/v1/users/%v", me.body["id"]), map[string]any{"disabled": true})
		if r.status != 422 || r.field("disabled") == "" {
			t.Fatalf("disabling oneself: %s", r.raw)
		}
		if rows := auditRows(t, d, "user.update"); len(rows) != 2 || !strings.Contains(rows[0].summary, "停用") {
			t.Fatalf("user.update entries %+v", rows)
		}
	})
}

func TestSetRolesEnforcesSeparationAndScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, Options{})
		sec := e.loggedInAs("secadmin", "security-admin")
		orgID := addOrg(t, d, "430702", "中共常德市武陵区委员会")
		li, err := CreateUser(sys, d, CreateUserInput{Username: "lisi", DisplayName: "李四", Password: pw})
		if err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/api/v1/users/%d/roles", li.ID)
		put := func(roles ...map[string]any) result {
			if roles == nil {
				roles = []map[string]any{}
			}
			return sec.do("PUT", path, map[string]any{"roles": roles})
		}
		invalid := []struct {
			roles []map[string]any
			field string
			says  string
		}{
			{[]map[string]any{{"role": "system-admin"}, {"role": "org-admin", "org_id": orgID}}, "roles", "三员分立"},
			{[]map[string]any{{"role": "system-admin"}, {"role": "auditor"}}, "roles", "三员分立"},
			{[]map[string]any{{"role": "org-admin"}}, "roles[0].org_id", "组织管理员须指定所管理的组织"},
			{[]map[string]any{{"role": "org-viewer", "org_id": orgID + 1000}}, "roles[0].org_id", "不存在"},
			{[]map[string]any{{"role": "auditor", "org_id": orgID}}, "roles[0].org_id", "不针对具体组织"},
			{[]map[string]any{{"role": "org-admin", "org_id": orgID}, {"role": "boss"}}, "roles[1].role", `未知角色 "boss"`},
			{[]map[string]any{{"role": "org-admin", "org_id": orgID}, {"role": "org-admin", "org_id": orgID}}, "roles[1].role", "重复"},
		}
		for _, c := range invalid {
			r := put(c.roles...)
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.field(c.field), c.says) {
				t.Errorf("roles %v: %d %s; want 422 on %s saying %q", c.roles, r.status, r.raw, c.field, c.says)
			}
		}
		var n int
		d.QueryRow(context.Background(), `SELECT COUNT(*) FROM user_roles WHERE user_id = ?`, li.ID).Scan(&n)
		if n != 0 {
			t.Fatalf("refused grants left %d rows", n)
		}

		r := put(map[string]any{"role": "org-admin", "org_id": orgID}, map[string]any{"role": "member", "org_id": orgID})
		want(t, r, http.StatusOK, "")
		roles := r.body["roles"].([]any)
		first := roles[0].(map[string]any)
		if len(roles) != 2 || first["role_name"] != "组织管理员" || first["org_id"] != float64(orgID) ||
			first["org_code"] != "430702" || first["org_name"] != "中共常德市武陵区委员会" {
			t.Fatalf("roles answer %s", r.raw)
		}
		// The grant takes effect on the user's next request, with the org's name for the UI.
		me := e.loggedIn("lisi", pw).do("GET", "/api/v1/me", nil)
		if fmt.Sprint(me.body["permissions"]) != "[org.read org.write pii.read pii.export self.read]" ||
			me.body["roles"].([]any)[0].(map[string]any)["org_name"] != "中共常德市武陵区委员会" {
			t.Fatalf("/me after grant: %s", me.raw)
		}
		// (The first user.roles entry is secadmin's, from AddUser.)
		if rows := auditRows(t, d, "user.roles"); len(rows) != 2 || rows[1].username != "secadmin" ||
			*rows[1].before != "[]" || !strings.Contains(*rows[1].after, `"role":"org-admin"`) {
			t.Fatalf("user.roles audit %+v", rows)
		}

		// A security administrator may not change their own roles.
		me = sec.do("GET", "/api/v1/me", nil)
		r = sec.do("PUT", fmt.Sprintf("/api/v1/users/%v/roles", me.body["id"]), map[string]any{"roles": []any{}})
		want(t, r, http.StatusForbidden, "forbidden")

		// A body without the list is refused rather than read as "no roles"; [] clears them.
		r = sec.do("PUT", path, map[string]any{})
		if r.status != 422 || r.field("roles") == "" {
			t.Fatalf("PUT roles without a list: %s", r.raw)
		}
		r = put()
		want(t, r, http.StatusOK, "")
		if len(r.body["roles"].([]any)) != 0 {
			t.Fatalf("PUT roles []: %s", r.raw)
		}
		want(t, sec.do("PUT", "/api/v1/users/999999/roles", map[string]any{"roles": []any{}}), http.StatusNotFound, "not_found")
	})
}

func TestRoutesNeedTheirPermissions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, Options{})
		aud := e.loggedInAs("auditor", "auditor")
		sysad := e.loggedInAs("sysadmin", "system-admin")
		sec := e.loggedInAs("secadmin", "security-admin")
		anon := e.client()
		target := addUser(t, d, "wang", "auditor", "")
		roles := fmt.Sprintf("/api/v1/users/%d/roles", target.ID)

		want(t, anon.do("GET", "/api/v1/users", nil), http.StatusUnauthorized, "unauthenticated")
		want(t, aud.do("GET", "/api/v1/users", nil), http.StatusForbidden, "forbidden")
		want(t, aud.do("GET", "/api/v1/settings/security", nil), http.StatusForbidden, "forbidden")
		want(t, sysad.do("PUT", roles, map[string]any{"roles": []any{}}), http.StatusForbidden, "forbidden")
		want(t, sysad.do("PUT", "/api/v1/settings/security", DefaultSettings()), http.StatusForbidden, "forbidden")
		want(t, sec.do("POST", "/api/v1/users", CreateUserInput{Username: "zhao", DisplayName: "赵", Password: pw}), http.StatusForbidden, "forbidden")
		want(t, sec.do("PATCH", fmt.Sprintf("/api/v1/users/%d", target.ID), map[string]any{"disabled": true}), http.StatusForbidden, "forbidden")
		want(t, sysad.do("GET", "/api/v1/users", nil), http.StatusOK, "")
		want(t, sec.do("GET", "/api/v1/users", nil), http.StatusOK, "")

		r := aud.do("GET", "/api/v1/roles", nil)
		want(t, r, http.StatusOK, "")
		items := r.body["items"].([]any)
		if len(items) != len(access.Roles) || items[0].(map[string]any)["admin"] != true || items[3].(map[string]any)["needs_org"] != true {
			t.Fatalf("/roles %s", r.raw)
		}
	})
}

func TestUsersCreateListAndValidate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, Options{})
		admin := e.loggedInAs("sysadmin", "system-admin")
		r := admin.do("POST", "/api/v1/users", CreateUserInput{Username: "zhangsan", DisplayName: "张三", Password: pw})
		want(t, r, http.StatusCreated, "")
		if r.body["username"] != "zhangsan" || r.body["display_name"] != "张三" || len(r.body["roles"].([]any)) != 0 || r.body["disabled"] != false {
			t.Fatalf("created %s", r.raw)
		}
		want(t, admin.do("POST", "/api/v1/users", CreateUserInput{Username: "lisi", DisplayName: "李四", Password: pw}), http.StatusCreated, "")

		r = admin.do("POST", "/api/v1/users", CreateUserInput{Username: "zhangsan", DisplayName: "另一个张三", Password: pw})
		if r.status != 422 || r.field("username") != "用户名已存在" {
			t.Fatalf("duplicate username: %s", r.raw)
		}
		r = admin.do("POST", "/api/v1/users", CreateUserInput{Username: "张三", DisplayName: "", Password: "short"})
		if r.status != 422 || r.field("username") == "" || r.field("display_name") != "请填写姓名" || !strings.Contains(r.field("password"), "长度至少 8") {
			t.Fatalf("bad input: %s", r.raw)
		}
		if rows := auditRows(t, d, "user.create"); len(rows) != 3 || !strings.Contains(*rows[2].after, `"username":"lisi"`) || rows[2].username != "sysadmin" {
			t.Fatalf("user.create entries %+v", rows)
		}

		r = admin.do("GET", "/api/v1/users?q=%E5%BC%A0", nil) // 张
		if r.body["total"] != float64(1) || r.body["items"].([]any)[0].(map[string]any)["username"] != "zhangsan" {
			t.Fatalf("search by display name: %s", r.raw)
		}
		r = admin.do("GET", "/api/v1/users?q=LIS", nil)
		if r.body["total"] != float64(1) {
			t.Fatalf("search by username: %s", r.raw)
		}
		r = admin.do("GET", "/api/v1/users?q=_", nil) // a LIKE wildcard, searched literally
		if r.body["total"] != float64(0) {
			t.Fatalf("q=_ matched %v users", r.body["total"])
		}
		r = admin.do("GET", "/api/v1/users?page=2&page_size=1", nil)
		if r.body["total"] != float64(3) || len(r.body["items"].([]any)) != 1 || r.body["items"].([]any)[0].(map[string]any)["username"] != "sysadmin" {
			t.Fatalf("page 2 of 1: %s", r.raw)
		}
		want(t, admin.do("GET", "/api/v1/users/99999", nil), http.StatusNotFound, "not_found")
	})
}

func TestSecuritySettings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, Options{})
		sec := e.loggedInAs("secadmin", "security-admin")
		r := sec.do("GET", "/api/v1/settings/security", nil)
		if r.raw != `{"max_failed_logins":5,"lockout_minutes":15,"session_idle_minutes":30,"password_min_length":8}`+"\n" {
			t.Fatalf("defaults %s", r.raw)
		}
		r = sec.do("PUT", "/api/v1/settings/security", Settings{MaxFailedLogins: 2, LockoutMinutes: 0, SessionIdleMinutes: 1000, PasswordMinLength: 6})
		if r.status != 422 || r.field("max_failed_logins") != "登录失败锁定次数应为 3 到 10 次之间的整数" || r.field("lockout_minutes") == "" ||
			r.field("session_idle_minutes") == "" || r.field("password_min_length") == "" {
			t.Fatalf("invalid settings: %s", r.raw)
		}
		set := Settings{MaxFailedLogins: 3, LockoutMinutes: 10, SessionIdleMinutes: 60, PasswordMinLength: 12}
		want(t, sec.do("PUT", "/api/v1/settings/security", set), http.StatusOK, "")
		if got, _ := LoadSettings(context.Background(), d); got != set {
			t.Fatalf("stored %+v, want %+v", got, set)
		}
		rows := auditRows(t, d, "settings.update")
		if len(rows) != 1 || !strings.Contains(*rows[0].before, `"max_failed_logins":5`) || !strings.Contains(*rows[0].after, `"max_failed_logins":3`) {
			t.Fatalf("settings.update audit %+v", rows)
		}

		// The new policy applies at once: password length and lock-out threshold.
		_, err := AddUser(sys, d, NewUser{Username: "zhao", DisplayName: "赵", Password: "Abcdef12!", Role: "auditor"})
		if err == nil || !strings.Contains(err.Error(), "--password-stdin: 密码长度至少 12 个字符") {
			t.Fatalf("9-character password under a 12 minimum: %v", err)
		}
		addUser(t, d, "qian", "auditor", "") // pw has 12 characters
		c := e.client()
		want(t, c.login("qian", "wrong"), http.StatusUnauthorized, "bad_credentials")
		want(t, c.login("qian", "wrong"), http.StatusUnauthorized, "bad_credentials")
		want(t, c.login("qian", "wrong"), http.StatusLocked, "locked")
	})
}

func TestNoPasswordHashOrPasswordLeaks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, Options{})
		admin := e.loggedInAs("sysadmin", "system-admin")
		sec := e.loggedInAs("secadmin", "security-admin")
		orgID := addOrg(t, d, "4307", "中共常德市委员会")
		r := admin.do("POST", "/api/v1/users", CreateUserInput{Username: "zhou", DisplayName: "周", Password: "First#2026pw"})
		want(t, r, http.StatusCreated, "")
		path := fmt.Sprintf("/api/v1/users/%v", r.body["id"])
		admin.do("GET", "/api/v1/users", nil)
		admin.do("GET", path, nil)
		want(t, admin.do("PATCH", path, map[string]any{"display_name": "周五", "password": "Second#2026pw"}), http.StatusOK, "")
		want(t, sec.do("PUT", path+"/roles", map[string]any{"roles": []any{map[string]any{"role": "org-viewer", "org_id": orgID}}}), http.StatusOK, "")
		z := e.loggedIn("zhou", "Second#2026pw")
		z.do("GET", "/api/v1/me", nil)
		want(t, z.do("POST", "/api/v1/me/password", map[string]string{"old_password": "Second#2026pw", "new_password": "Third#2026pw"}), http.StatusNoContent, "")
		e.client().login("zhou", "Wrong#2026pw")
		want(t, z.do("POST", "/api/v1/auth/logout", nil), http.StatusNoContent, "")

		secrets := []string{"argon2", "password_hash", "First#2026pw", "Second#2026pw", "Third#2026pw", "Wrong#2026pw", pw}
		for _, body := range e.raw {
			for _, s := range secrets {
				if strings.Contains(body, s) {
					t.Errorf("an answer contains %q: %s", s, body)
				}
			}
		}
		rows, err := d.Query(context.Background(), `SELECT action, summary, COALESCE(before_json, ''), COALESCE(after_json, '') FROM audit_log`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		actions := map[string]bool{}
		for rows.Next() {
			var action, summary, before, after string
			rows.Scan(&action, &summary, &before, &after)
			actions[action] = true
			for _, s := range secrets {
				if strings.Contains(summary+before+after, s) {
					t.Errorf("audit entry %s contains %q: %s %s %s", action, s, summary, before, after)
				}
			}
		}
		for _, a := range []string{"user.create", "user.update", "user.password", "user.roles", "auth.login", "auth.login_failed", "auth.logout"} {
			if !actions[a] {
				t.Errorf("no %s audit entry", a)
			}
		}
	})
}

func TestCommandLineHelpers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		addOrg(t, d, "430702", "中共常德市武陵区委员会")
		bad := []struct {
			u    NewUser
			want string
		}{
			{NewUser{Username: "a1", DisplayName: "甲", Password: pw, Role: "boss"}, `--role: 未知角色 "boss"（可选：system-admin, security-admin, auditor, org-admin, org-viewer, member）`},
			{NewUser{Username: "a1", DisplayName: "甲", Password: pw}, "--role: 请指定角色"},
			{NewUser{Username: "a1", DisplayName: "甲", Password: pw, Role: "org-admin"}, "--org: 组织管理员须用 --org 指定"},
			{NewUser{Username: "a1", DisplayName: "甲", Password: pw, Role: "org-admin", OrgCode: "999"}, `--org: 组织代码 "999" 不存在`},
			{NewUser{Username: "a1", DisplayName: "甲", Password: pw, Role: "auditor", OrgCode: "430702"}, "--org: 安全审计员不针对具体组织"},
			{NewUser{Username: "a", DisplayName: "甲", Password: pw, Role: "auditor"}, "--username: 用户名须为 3–32 位"},
			{NewUser{Username: "a1b", DisplayName: "甲", Password: "password", Role: "auditor"}, "--password-stdin: 密码须包含"},
		}
		for _, c := range bad {
			if _, err := AddUser(sys, d, c.u); err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("AddUser(%+v) = %v, want %q…", c.u, err, c.want)
			}
		}
		u, err := AddUser(sys, d, NewUser{Username: "Admin", DisplayName: "组织部管理员", Password: pw, Role: "org-admin", OrgCode: "430702"})
		if err != nil {
			t.Fatal(err)
		}
		if u.Username != "admin" || len(u.Roles) != 1 || u.Roles[0].OrgCode != "430702" || u.Roles[0].RoleName != "组织管理员" {
			t.Fatalf("AddUser = %+v", u)
		}
		if _, err := AddUser(sys, d, NewUser{Username: "admin", DisplayName: "x", Password: pw, Role: "auditor"}); err == nil || err.Error() != "--username: 用户名已存在" {
			t.Fatalf("duplicate: %v", err)
		}
		if rows := auditRows(t, d, "user.create"); len(rows) != 1 || rows[0].username != "system" {
			t.Fatalf("user.create by the command line: %+v", rows)
		}

		if err := SetPassword(sys, d, "nobody", pw); err == nil || err.Error() != `--username: 用户 "nobody" 不存在` {
			t.Fatalf("SetPassword unknown: %v", err)
		}
		if err := SetPassword(sys, d, "admin", "short"); err == nil || !strings.HasPrefix(err.Error(), "--password-stdin: 密码长度至少 8") {
			t.Fatalf("SetPassword weak: %v", err)
		}
		// SetPassword is the way back in: it also lifts a lock-out.
		locked := time.Now().Add(time.Hour).UTC()
		d.Exec(context.Background(), `UPDATE users SET locked_until = ? WHERE username = 'admin'`, locked)
		if err := SetPassword(sys, d, "admin", "Another#2026"); err != nil {
			t.Fatal(err)
		}
		var hash string
		var lockedUntil *time.Time
		d.QueryRow(context.Background(), `SELECT password_hash, locked_until FROM users WHERE username = 'admin'`).Scan(&hash, &lockedUntil)
		if !VerifyPassword(hash, "Another#2026") || lockedUntil != nil {
			t.Fatalf("after SetPassword: verifies %v, locked_until %v", VerifyPassword(hash, "Another#2026"), lockedUntil)
		}

		addUser(t, d, "auditor", "auditor", "")
		users, err := ListUsers(sys, d)
		if err != nil || len(users) != 2 || users[0].Username != "admin" || users[1].Roles[0].Role != "auditor" {
			t.Fatalf("ListUsers = %+v, %v", users, err)
		}
		if _, err := ListUsers(context.Background(), d); err == nil {
			t.Fatal("ListUsers without a principal succeeded")
		}
	})
}
