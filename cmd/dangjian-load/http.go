package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/pii"
)

// httpResult is one load run against one server.
type httpResult struct {
	Target     string  `json:"target"`
	Clients    int     `json:"clients"`
	Seconds    float64 `json:"seconds"`
	Requests   int     `json:"requests"`
	Errors     int     `json:"errors"`
	RPS        float64 `json:"rps"`
	P50        float64 `json:"p50_ms"`
	P95        float64 `json:"p95_ms"`
	P99        float64 `json:"p99_ms"`
	PeakRSSMiB float64 `json:"peak_rss_mib"`
	RSSMiB     float64 `json:"median_rss_mib"`
	Ratio      float64 `json:"ratio,omitempty"` // of the bare handler's req/s
}

const demoPassword = "Dangjian@2026"

// freePort asks the kernel for an unused loopback port.
func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// server is a process serving HTTP on a loopback address.
type server struct {
	cmd  *exec.Cmd
	addr string
}

func startServer(ctx context.Context, name string, args []string, addr string) (*server, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, addr: addr}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s, nil
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	s.stop()
	return nil, fmt.Errorf("%s did not start on %s", name, addr)
}

func (s *server) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(25 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

func (s *server) kill() { s.cmd.Process.Kill(); s.cmd.Wait() }

// serveDangjian starts `dangjian serve` for e.
func serveDangjian(ctx context.Context, e *env) (*server, error) {
	addr, err := freePort()
	if err != nil {
		return nil, err
	}
	args := append(e.args(), "--log-level", "warn", "serve", "--addr", addr)
	return startServer(ctx, e.o.bin, args, addr)
}

// serveBare starts this program's bare handler for e (see bareMain).
func serveBare(ctx context.Context, e *env) (*server, error) {
	addr, err := freePort()
	if err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	args := []string{"bare", "--data", e.dataDir, "--addr", addr}
	if e.dsn != "" {
		args = append(args, "--db", e.dsn)
	}
	return startServer(ctx, self, args, addr)
}

// bareMain is the comparison server: a bare net/http handler that answers GET /members with
// member.Store.List — the same SQL as the roster endpoint — run as the command-line operator,
// so without the router, the session lookup, the scope filter or the middleware.
func bareMain(args []string) {
	fs := flag.NewFlagSet("bare", flag.ExitOnError)
	data := fs.String("data", "", "data directory (pii.key, SQLite file)")
	dsn := fs.String("db", "", "PostgreSQL URL")
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	fs.Parse(args)
	if host, _, err := net.SplitHostPort(*addr); err != nil || (host != "127.0.0.1" && host != "localhost") {
		log.Fatalf("bare: loopback addresses only, not %q", *addr)
	}
	ctx := context.Background()
	d, err := db.Open(ctx, *dsn, *data)
	if err != nil {
		log.Fatal(err)
	}
	key, _, err := pii.LoadKey(*data, "")
	if err != nil {
		log.Fatal(err)
	}
	ms := member.NewStore(d, key)
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	mux.HandleFunc("/api/v1/members", func(w http.ResponseWriter, r *http.Request) {
		page, err := api.PageOf(r)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		f, err := member.FilterOf(r)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		list, err := ms.List(access.System(r.Context()), f, page)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(list)
	})
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		sig := make(chan os.Signal, 1)
		signalNotify(sig)
		<-sig
		srv.Close()
	}()
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

// client is one logged-in user agent.
type client struct {
	http *http.Client
	base string
	csrf string
}

func newClient(base string, conns int) *client {
	jar, _ := cookiejar.New(nil)
	tr := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, IdleConnTimeout: time.Minute}
	return &client{http: &http.Client{Jar: jar, Transport: tr, Timeout: 60 * time.Second}, base: base}
}

func (c *client) login(user string) error {
	body, _ := json.Marshal(map[string]string{"username": user, "password": demoPassword})
	resp, err := c.http.Post(c.base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var ans struct {
		CSRF string `json:"csrf_token"`
	}
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("login %s: %d %s", user, resp.StatusCode, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(&ans); err != nil {
		return err
	}
	c.csrf = ans.CSRF
	return nil
}

// do sends a request (JSON body when in is set) and decodes a JSON answer into out.
func (c *client) do(ctx context.Context, method, path string, in, out any) (int, error) {
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return 0, err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.csrf != "" && method != "GET" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode < 300 {
		err = json.NewDecoder(resp.Body).Decode(out)
	} else {
		_, err = io.Copy(io.Discard, resp.Body)
	}
	return resp.StatusCode, err
}

// rosterURLs are the requests of the load: pages 1–5 of the roster at the root and at the
// county node, unfiltered and with the filters of the targets.
func rosterURLs(nodes []nodeRef) []string {
	var out []string
	filters := []string{"", "&age_band=36-40", "&education=1", "&status=normal&age_band=41-45&education=2"}
	for _, n := range nodes {
		if n.Kind != "root" && n.Kind != "county" {
			continue
		}
		for _, f := range filters {
			for p := 1; p <= 5; p++ {
				out = append(out, "/api/v1/members?org="+strconv.FormatInt(n.ID, 10)+"&page="+strconv.Itoa(p)+f)
			}
		}
	}
	return out
}

// hammer runs clients concurrent loops of GETs over urls for dur.
func hammer(ctx context.Context, clients []*client, urls []string, dur time.Duration) (httpResult, error) {
	var mu sync.Mutex
	var ds []time.Duration
	errs := 0
	var firstErr error
	ctx, cancel := context.WithTimeout(ctx, dur)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			for j := i; ctx.Err() == nil; j++ {
				t := time.Now()
				st, err := c.do(ctx, "GET", urls[j%len(urls)], nil, nil)
				if ctx.Err() != nil {
					break
				}
				if err != nil || st != 200 {
					bad++
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("GET %s: %d %v", urls[j%len(urls)], st, err)
					}
					mu.Unlock()
					continue
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			ds = append(ds, mine...)
			errs += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	el := time.Since(start).Seconds()
	r := httpResult{Clients: len(clients), Seconds: el, Requests: len(ds), Errors: errs, RPS: float64(len(ds)) / el}
	r.P50, r.P95, r.P99, _ = summarize(ds)
	if errs > 0 {
		log.Printf("   %d errors, first: %v", errs, firstErr)
	}
	return r, nil
}

func httpPhase(ctx context.Context, e *env, r *tierResult) error {
	d, err := e.open(ctx)
	if err != nil {
		return err
	}
	nodes, err := pickNodes(ctx, d)
	d.Close()
	if err != nil {
		return err
	}
	urls := rosterURLs(nodes)
	r.HTTP = nil
	run := func(target string, s *server, login bool) (httpResult, error) {
		defer s.stop()
		clients := make([]*client, e.o.clients)
		shared := newClient("http://"+s.addr, e.o.clients)
		if login {
			if err := shared.login("admin"); err != nil {
				return httpResult{}, err
			}
		}
		for i := range clients {
			clients[i] = shared // one browser session, many tabs: the session is looked up per request
		}
		// Warm up, then measure.
		if _, err := hammer(ctx, clients, urls, 2*time.Second); err != nil {
			return httpResult{}, err
		}
		rss := sampleRSS(s.cmd.Process.Pid, 200*time.Millisecond)
		res, err := hammer(ctx, clients, urls, e.o.httpFor)
		res.PeakRSSMiB, res.RSSMiB = rss.finish()
		res.Target = target
		log.Printf("   %-16s %6.0f req/s  p50 %6.1f  p95 %6.1f  p99 %6.1f ms  errors %d  RSS %.0f MiB (peak %.0f)",
			target, res.RPS, res.P50, res.P95, res.P99, res.Errors, res.RSSMiB, res.PeakRSSMiB)
		return res, err
	}
	bare, err := serveBare(ctx, e)
	if err != nil {
		return err
	}
	b, err := run("bare net/http", bare, false)
	if err != nil {
		return err
	}
	full, err := serveDangjian(ctx, e)
	if err != nil {
		return err
	}
	f, err := run("dangjian serve", full, true)
	if err != nil {
		return err
	}
	if b.RPS > 0 {
		f.Ratio = f.RPS / b.RPS
	}
	r.HTTP = []httpResult{f, b}
	return nil
}
