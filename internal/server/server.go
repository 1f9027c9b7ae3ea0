// Package server assembles the platform's HTTP handler — API routes of every domain package,
// the session middleware, the OpenAPI document and the embedded web UI — and runs it with a
// graceful shutdown. It holds no state of its own: sessions and settings live in the
// database, so several servers can share one PostgreSQL.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/auth"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/development"
	"github.com/dangjian/dangjian/internal/division"
	"github.com/dangjian/dangjian/internal/dues"
	"github.com/dangjian/dangjian/internal/life"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/mobility"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/pii"
	"github.com/dangjian/dangjian/internal/roster"
	"github.com/dangjian/dangjian/internal/rules"
	"github.com/dangjian/dangjian/internal/standing"
	"github.com/dangjian/dangjian/internal/todo"
	"github.com/dangjian/dangjian/internal/transfer"
	"github.com/dangjian/dangjian/web"
)

// Options configure the handler.
type Options struct {
	Auth    auth.Options
	Version string
	// UI serves the web pages; nil means the embedded build.
	UI http.Handler
	// PIIKey seals members' personal data. The command line always passes the configured key;
	// nil (tests that never touch members) means a throw-away key for this process only.
	PIIKey *pii.Key
}

// Routes builds the API route table; tests use it to walk every endpoint.
func Routes(d *db.DB, log *slog.Logger, opts Options) *api.Router {
	r := api.NewRouter(log)
	auth.Register(r, d, opts.Auth)
	orgs := org.NewStore(d)
	org.Register(r, orgs)
	key := opts.PIIKey
	if key == nil {
		key, _, _ = pii.Generate()
	}
	members := member.NewStore(d, key)
	member.Register(r, members, orgs)
	roster.Register(r, members, orgs)
	rules.Register(r)
	division.Register(r)
	audit.Register(r, d)
	dues.Register(r, dues.NewStore(d, key))
	lives := life.NewStore(d, orgs)
	cases := development.NewStore(d, key)
	transfers := transfer.NewStore(d, members, orgs)
	mobile := mobility.NewStore(d, members, key)
	// The 工作台 gathers each capability's next things to do.
	lives.WorkSources = []todo.Source{cases.WorkItems, transfers.WorkItems, mobile.WorkItems}
	life.Register(r, lives)
	development.Register(r, cases)
	standing.Register(r, standing.NewStore(d, members))
	transfer.Register(r, transfers)
	mobility.Register(r, mobile)
	return r
}

// New returns the whole HTTP handler.
func New(d *db.DB, log *slog.Logger, opts Options) http.Handler {
	routes := Routes(d, log, opts)
	spec, _ := json.Marshal(routes.OpenAPI(opts.Version))
	apiHandler := auth.Middleware(d, opts.Auth, routes)
	ui := opts.UI
	if ui == nil {
		ui = web.Handler()
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(spec)
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := d.CheckSchema(ctx); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok"))
	})
	mux.Handle("/api/", apiHandler)
	mux.Handle("/", ui)
	return recoverer(log, logRequests(log, securityHeaders(clientInfo(opts.Auth.TrustProxy, mux))))
}

func clientInfo(trustProxy bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := audit.WithClient(r.Context(), auth.ClientIP(r, trustProxy))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'")
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		if strings.HasPrefix(r.URL.Path, "/api/") {
			log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "duration", time.Since(start))
		}
	})
}

func recoverer(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				log.Error("panic", "path", r.URL.Path, "panic", p, "stack", string(debug.Stack()))
				api.WriteError(w, r, nil, api.Internal(errors.New("panic")))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// Serve runs the handler on addr until ctx is cancelled, then drains requests for up to 20 s.
func Serve(ctx context.Context, addr string, h http.Handler, log *slog.Logger, ready func(addr string)) error {
	srv := &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      5 * time.Minute, // large exports
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("无法监听 %s: %w", addr, err)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}
