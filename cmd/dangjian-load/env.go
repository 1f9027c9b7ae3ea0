package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/pii"
)

// tier is one demo scale.
type tier struct {
	name, flag, code string
}

var tierByName = map[string]tier{
	"county":   {"county", "--area", "430702"},
	"city":     {"city", "--city", "4307"},
	"province": {"province", "--province", "37"},
}

// env is one engine and tier: where its data lives and how to open it.
type env struct {
	o            options
	engine       string
	tier         tier
	dataDir, dsn string // dsn "" on SQLite (the file is dataDir/dangjian.db)
}

func newEnv(ctx context.Context, o options, engine string, t tier) (*env, error) {
	e := &env{o: o, engine: engine, tier: t, dataDir: filepath.Join(o.work, engine+"-"+t.name)}
	if engine == "postgres" {
		dbName := "dangjian_bench_" + t.name
		e.dsn = pgURL(o.pgURL, dbName)
		if err := ensureDatabase(ctx, o.pgURL, dbName, false); err != nil {
			return nil, err
		}
	} else if engine != "sqlite" {
		return nil, fmt.Errorf("unknown engine %q", engine)
	}
	return e, nil
}

// pgURL is the server URL with another database name.
func pgURL(base, dbName string) string {
	i := strings.Index(base, "://")
	rest := base[i+3:]
	j := strings.IndexByte(rest, '/')
	q := ""
	if k := strings.IndexByte(rest, '?'); k >= 0 {
		q = rest[k:]
	}
	return base[:i+3] + rest[:j] + "/" + dbName + q
}

// ensureDatabase creates dbName on the server (dropping it first when recreate).
func ensureDatabase(ctx context.Context, server, dbName string, recreate bool) error {
	admin, err := sql.Open("pgx", server)
	if err != nil {
		return err
	}
	defer admin.Close()
	if recreate {
		if _, err := admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+dbName+` WITH (FORCE)`); err != nil {
			return err
		}
	}
	var exists bool
	if err := admin.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, dbName).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		_, err = admin.ExecContext(ctx, `CREATE DATABASE `+dbName)
	}
	return err
}

// args are the global flags selecting this env's database for the dangjian binary.
func (e *env) args() []string {
	a := []string{"--data", e.dataDir}
	if e.dsn != "" {
		a = append(a, "--db", e.dsn)
	}
	return a
}

// ready reports whether the tier's demo data is loaded.
func (e *env) ready() bool {
	d, err := e.open(context.Background())
	if err != nil {
		return false
	}
	defer d.Close()
	var n int
	if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'member.load'`).Scan(&n); err != nil {
		return false
	}
	return n > 0
}

func (e *env) open(ctx context.Context) (*db.DB, error) {
	if e.dsn == "" {
		if _, err := os.Stat(filepath.Join(e.dataDir, "dangjian.db")); err != nil {
			return nil, err
		}
	}
	return db.Open(ctx, e.dsn, e.dataDir)
}

// store opens the tier with its member registry (the demo's key in dataDir).
func (e *env) store(ctx context.Context) (*db.DB, *member.Store, *org.Store, error) {
	d, err := e.open(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	key, _, err := pii.LoadKey(e.dataDir, "")
	if err != nil {
		d.Close()
		return nil, nil, nil, err
	}
	return d, member.NewStore(d, key), org.NewStore(d), nil
}

// rssSampler records a process's resident memory every interval until stopped.
type rssSampler struct {
	mu      sync.Mutex
	max     int64
	samples []int64
	stop    chan struct{}
	done    chan struct{}
}

func sampleRSS(pid int, every time.Duration) *rssSampler {
	s := &rssSampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			if kb := rssKB(pid); kb > 0 {
				s.mu.Lock()
				s.samples = append(s.samples, kb)
				s.max = max(s.max, kb)
				s.mu.Unlock()
			}
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// finish stops sampling and returns the peak and the median of the samples (MiB).
func (s *rssSampler) finish() (peak, median float64) {
	close(s.stop)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.samples) == 0 {
		return 0, 0
	}
	xs := append([]int64(nil), s.samples...)
	sort.Slice(xs, func(i, j int) bool { return xs[i] < xs[j] })
	return float64(s.max) / 1024, float64(xs[len(xs)/2]) / 1024
}

// timeline returns up to n evenly spaced samples (MiB), to show memory staying flat.
func (s *rssSampler) timeline(n int) []float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []float64
	if len(s.samples) == 0 {
		return out
	}
	for i := 0; i < n; i++ {
		out = append(out, float64(s.samples[i*(len(s.samples)-1)/max(1, n-1)])/1024)
	}
	return out
}

func rssKB(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n
		}
	}
	return 0
}

// machine describes where the benchmarks ran.
func machine() map[string]string {
	m := map[string]string{"go": runtime.Version(), "cpus": strconv.Itoa(runtime.NumCPU()), "os": runtime.GOOS + "/" + runtime.GOARCH}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "model name") {
				m["cpu"] = strings.TrimSpace(strings.SplitN(line, ":", 2)[1])
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		f := strings.Fields(strings.SplitN(string(b), "\n", 2)[0])
		if kb, err := strconv.ParseFloat(f[1], 64); err == nil {
			m["memory"] = fmt.Sprintf("%.1f GiB", kb/1024/1024)
		}
	}
	if out, err := exec.Command("sh", "-c", "uptime").Output(); err == nil {
		m["load"] = strings.TrimSpace(string(out))
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		m["loadavg"] = strings.TrimSpace(string(b))
	}
	return m
}

// prepareResult is the demo load of the tier through the dangjian binary.
type prepareResult struct {
	Orgs             int                `json:"orgs"`
	Members          int                `json:"members"`
	OrgSeconds       float64            `json:"org_seconds"`
	MemberSeconds    float64            `json:"member_seconds"`
	ActivitySeconds  float64            `json:"activity_seconds"` // 组织生活 and 党费 demo records (county tier only)
	TotalSeconds     float64            `json:"total_seconds"`
	MembersPerSecond float64            `json:"members_per_second"`
	Phases           map[string]float64 `json:"phases"` // seconds: insert, recount, rollups, analyze
	PeakRSSMiB       float64            `json:"peak_rss_mib"`
	RSSTimeline      []float64          `json:"rss_timeline_mib"`
	DBBytes          int64              `json:"db_bytes"`
}

var (
	reOrgs    = regexp.MustCompile(`已生成 (\d+) 个党组织（用时 ([^）]+)）`)
	reMembers = regexp.MustCompile(`已生成党员 ([\d,]+) 名（用时 ([^）]+)）`)
	reLife    = regexp.MustCompile(`已生成会议 (\d+) 次、党费记录 (\d+) 条（党费标准 \d+ 人，用时 ([^）]+)）`)
	rePhase   = regexp.MustCompile(`msg="bulk load phase" phase=(\w+) took=(\S+)`)
)

// prepare loads the tier's demo data with `dangjian demo` into an empty database.
func prepare(ctx context.Context, e *env, r *tierResult) error {
	if e.ready() && !e.o.fresh {
		if r.Prepare != nil {
			return nil
		}
	}
	if err := os.RemoveAll(e.dataDir); err != nil {
		return err
	}
	if e.dsn != "" {
		if err := ensureDatabase(ctx, e.o.pgURL, "dangjian_bench_"+e.tier.name, true); err != nil {
			return err
		}
	}
	args := append(append([]string{"--log-level", "debug"}, e.args()...), "demo", e.tier.flag, e.tier.code)
	if e.tier.name != "county" {
		// 组织生活 and 党费 demo records (one transaction per 支部 through their stores) are left out
		// above the county tier: they are not the member registry's bulk path, and at the province
		// they alone take about an hour. The county tier loads them, for the record.
		args = append(args, "--members-only")
	}
	cmd := exec.CommandContext(ctx, e.o.bin, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	cmd.Stderr = cmd.Stdout
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	rss := sampleRSS(cmd.Process.Pid, 500*time.Millisecond)
	p := &prepareResult{Phases: map[string]float64{}}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if m := reOrgs.FindStringSubmatch(line); m != nil {
			p.Orgs, _ = strconv.Atoi(m[1])
			p.OrgSeconds = seconds(m[2])
		}
		if m := reMembers.FindStringSubmatch(line); m != nil {
			p.Members, _ = strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
			p.MemberSeconds = seconds(m[2])
		}
		if m := reLife.FindStringSubmatch(line); m != nil {
			p.ActivitySeconds = seconds(m[3])
		}
		if m := rePhase.FindStringSubmatch(line); m != nil {
			p.Phases[m[1]] = seconds(m[2])
		}
		fmt.Fprintln(os.Stderr, "   |", line)
	}
	err = cmd.Wait()
	p.TotalSeconds = time.Since(start).Seconds()
	p.PeakRSSMiB, _ = rss.finish()
	p.RSSTimeline = rss.timeline(12)
	if err != nil {
		return fmt.Errorf("dangjian demo: %w", err)
	}
	if p.MemberSeconds > 0 {
		p.MembersPerSecond = float64(p.Members) / p.MemberSeconds
	}
	if e.dsn == "" {
		for _, f := range []string{"dangjian.db", "dangjian.db-wal"} {
			if st, err := os.Stat(filepath.Join(e.dataDir, f)); err == nil {
				p.DBBytes += st.Size()
			}
		}
	} else {
		d, err := e.open(ctx)
		if err == nil {
			d.QueryRow(ctx, `SELECT pg_database_size(current_database())`).Scan(&p.DBBytes)
			d.Close()
		}
	}
	r.Prepare = p
	return nil
}

func seconds(s string) float64 {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0
	}
	return d.Seconds()
}
