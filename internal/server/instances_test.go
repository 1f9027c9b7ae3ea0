package server

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/auth"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/db/dbtest"
	"github.com/dangjian/dangjian/internal/org"
)

// Two app servers on one PostgreSQL, each with its own connection pool as two processes would
// have, behind a "load balancer" that is simply the client switching between them. Nothing a
// user relies on may live in one server's memory: the session, the CSRF token, a logout and the
// failed-login count must all hold on the other.
func TestTwoServersShareOnePostgreSQL(t *testing.T) {
	dsn, err := dbtest.PostgresSchema(t)
	if err != nil {
		t.Fatal(err)
	}
	open := func() *db.DB {
		d, err := db.Open(context.Background(), dsn, "")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		if _, err := d.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		return d
	}
	d1, d2 := open(), open()
	ctx := access.System(context.Background())
	root, err := org.NewStore(d1).Create(ctx, org.CreateInput{Code: "R", Name: "中共某区委员会", Type: org.TypeCommittee, UnitType: org.UnitLocal})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"zzb", "other"} {
		if _, err := auth.AddUser(ctx, d1, auth.NewUser{Username: u, DisplayName: "组织部", Password: pw, Role: "org-admin", OrgCode: "R"}); err != nil {
			t.Fatal(err)
		}
	}
	srv := func(d *db.DB) *httptest.Server {
		s := httptest.NewServer(New(d, slog.New(slog.DiscardHandler), Options{Version: "test", UI: http.NotFoundHandler()}))
		t.Cleanup(s.Close)
		return s
	}
	one, two := srv(d1), srv(d2)

	// Log in on one; cookies ignore the port, so the jar sends the session to both servers.
	jar, _ := cookiejar.New(nil)
	c := &client{t: t, base: one.URL, http: &http.Client{Jar: jar}}
	var ans struct {
		CSRF string `json:"csrf_token"`
	}
	if st := c.do("POST", "/api/v1/auth/login", map[string]string{"username": "zzb", "password": pw}, &ans); st != http.StatusOK {
		t.Fatalf("login on server one: %d", st)
	}
	c.csrf = ans.CSRF

	c.base = two.URL
	if st := c.do("GET", "/api/v1/me", nil, nil); st != http.StatusOK {
		t.Fatalf("GET /me on server two with the session made on one: %d, want 200", st)
	}
	var created org.Org
	if st := c.do("POST", "/api/v1/orgs", map[string]any{"code": "R1", "name": "中共某街道工作委员会", "type": "working_committee", "unit_type": "street", "parent_id": root.ID}, &created); st != http.StatusCreated {
		t.Fatalf("create on server two with the CSRF token from one: %d, want 201", st)
	}
	c.base = one.URL
	if st := c.do("GET", "/api/v1/orgs/"+strconv.FormatInt(created.ID, 10), nil, nil); st != http.StatusOK {
		t.Fatalf("server one reading what server two wrote: %d", st)
	}

	// Logging out on two ends the session on one as well.
	c.base = two.URL
	if st := c.do("POST", "/api/v1/auth/logout", nil, nil); st != http.StatusNoContent && st != http.StatusOK {
		t.Fatalf("logout on server two: %d", st)
	}
	c.base = one.URL
	if st := c.do("GET", "/api/v1/me", nil, nil); st != http.StatusUnauthorized {
		t.Fatalf("GET /me on server one after logging out on two: %d, want 401", st)
	}

	// Failed logins spread over both servers still lock the account (default: 5 failures).
	bad := &client{t: t, http: &http.Client{}}
	for i := 0; i < 5; i++ {
		bad.base = []string{one.URL, two.URL}[i%2]
		bad.do("POST", "/api/v1/auth/login", map[string]string{"username": "other", "password": "wrong-Password1"}, nil)
	}
	bad.base = two.URL
	if st := bad.do("POST", "/api/v1/auth/login", map[string]string{"username": "other", "password": pw}, nil); st != http.StatusLocked {
		t.Fatalf("the right password after 5 failures spread over two servers: %d, want 423 (locked)", st)
	}
}
