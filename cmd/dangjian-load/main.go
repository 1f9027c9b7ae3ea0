// Command dangjian-load is the benchmark and load script of issue 7 (province scale on one small
// machine). It builds the demo tiers (county 430702, city 4307, province 37) on SQLite and on
// PostgreSQL with the dangjian binary, and measures in one run, side by side:
//
//   - bulk: member.Store.BulkLoad against a bare prepared INSERT in one transaction (COPY on
//     PostgreSQL) of the same validated, sealed rows;
//   - query: roster pages, structure statistics, tree children and path to root at the root,
//     a city, a county, a street and a 支部, as p50/p95/p99 of repeated calls;
//   - http: the roster endpoint of `dangjian serve` under 32 concurrent loopback clients against
//     a bare net/http handler running the same SQL (no router, session or scope), with the
//     server's RSS;
//   - export: 100,000 members written as .xlsx, with the heap's growth;
//   - multi: two `dangjian serve` on one PostgreSQL behind a round-robin client — a session made
//     on one works on the other, and killing one mid-load loses no committed write.
//
// Results accumulate in a JSON file (so the province tier, run on its own, joins the others)
// and are rendered as docs/benchmarks.md. Every address is loopback; every phase is bounded in
// count and time. `make bench` runs it; `make bench TIER=province` adds the province tier.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

type options struct {
	bin, work, results, out string
	pgURL                   string
	tiers, engines, phases  []string
	runs                    int
	httpFor                 time.Duration
	clients                 int
	fresh                   bool
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "bare" {
		bareMain(os.Args[2:])
		return
	}
	var o options
	var tiers, engines, phases string
	flag.StringVar(&o.bin, "bin", "bin/dangjian", "the dangjian binary")
	flag.StringVar(&o.work, "work", filepath.Join(os.TempDir(), "dangjian-bench"), "directory for the tiers' data")
	flag.StringVar(&o.results, "results", "bench/results.json", "results file (merged with earlier runs)")
	flag.StringVar(&o.out, "out", "docs/benchmarks.md", "report to write")
	flag.StringVar(&o.pgURL, "pg", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "PostgreSQL server (loopback only); one database per tier is created on it")
	flag.StringVar(&tiers, "tiers", "county,city", "tiers to run: county, city, province")
	flag.StringVar(&engines, "engines", "sqlite,postgres", "engines: sqlite, postgres")
	flag.StringVar(&phases, "phases", "prepare,bulk,query,http,export,multi", "phases to run")
	flag.IntVar(&o.runs, "runs", 3, "repetitions of each bulk comparison (the median is reported)")
	flag.DurationVar(&o.httpFor, "http-for", 10*time.Second, "duration of each HTTP load run")
	flag.IntVar(&o.clients, "clients", 32, "concurrent HTTP clients")
	flag.BoolVar(&o.fresh, "fresh", false, "rebuild tier databases even if they exist")
	flag.Parse()
	o.tiers, o.engines, o.phases = split(tiers), split(engines), split(phases)
	if err := loopbackURL(o.pgURL); err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		log.Fatal(err)
	}
}

func split(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// loopbackURL refuses any PostgreSQL server that is not on this machine's loopback interface.
func loopbackURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	switch u.Hostname() {
	case "127.0.0.1", "localhost", "::1":
		return nil
	}
	return fmt.Errorf("the benchmark only talks to loopback addresses, not %q", u.Hostname())
}

func (o options) has(phase string) bool { return slices.Contains(o.phases, phase) }

func run(ctx context.Context, o options) error {
	res, err := loadResults(o.results)
	if err != nil {
		return err
	}
	res.Machine = machine()
	save := func() error {
		if err := res.save(o.results); err != nil {
			return err
		}
		return writeReport(o.out, res)
	}
	for _, engine := range o.engines {
		for _, tier := range o.tiers {
			t, ok := tierByName[tier]
			if !ok {
				return fmt.Errorf("unknown tier %q", tier)
			}
			ev, err := newEnv(ctx, o, engine, t)
			if err != nil {
				return err
			}
			r := res.get(engine, tier)
			log.Printf("== %s %s", engine, tier)
			steps := []struct {
				phase string
				fn    func(context.Context, *env, *tierResult) error
			}{
				{"prepare", prepare}, {"bulk", bulkPhase}, {"query", queryPhase}, {"http", httpPhase}, {"export", exportPhase},
			}
			for _, st := range steps {
				if !o.has(st.phase) {
					continue
				}
				if st.phase == "bulk" && tier == "province" {
					continue // the province's bulk rate is its prepare run; raw inserts are compared at the city tier
				}
				if st.phase != "prepare" && !ev.ready() {
					if err := prepare(ctx, ev, r); err != nil {
						return err
					}
				}
				start := time.Now()
				if err := st.fn(ctx, ev, r); err != nil {
					return fmt.Errorf("%s %s %s: %w", engine, tier, st.phase, err)
				}
				log.Printf("   %s done in %s", st.phase, time.Since(start).Round(time.Second))
				r.RunAt = time.Now().UTC().Format(time.RFC3339)
				if err := save(); err != nil {
					return err
				}
				if ctx.Err() != nil {
					return ctx.Err()
				}
			}
		}
	}
	if o.has("multi") && slices.Contains(o.engines, "postgres") {
		tier := "county" // writes go into this tier's database: keep them out of the bigger ones
		if !slices.Contains(o.tiers, tier) {
			tier = o.tiers[0]
		}
		env, err := newEnv(ctx, o, "postgres", tierByName[tier])
		if err != nil {
			return err
		}
		if !env.ready() {
			if err := prepare(ctx, env, res.get("postgres", tier)); err != nil {
				return err
			}
		}
		log.Printf("== two servers on PostgreSQL (%s)", tier)
		m, err := multiPhase(ctx, env)
		if err != nil {
			return err
		}
		res.Multi = m
		if err := save(); err != nil {
			return err
		}
	}
	return save()
}

// results is the JSON file: one tierResult per engine and tier, the two-server scenario, and
// the machine of the last run.
type results struct {
	Machine map[string]string      `json:"machine"`
	Tiers   map[string]*tierResult `json:"tiers"`
	Multi   *multiResult           `json:"multi,omitempty"`
}

func loadResults(path string) (*results, error) {
	r := &results{Tiers: map[string]*tierResult{}}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return r, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if r.Tiers == nil {
		r.Tiers = map[string]*tierResult{}
	}
	return r, nil
}

func (r *results) get(engine, tier string) *tierResult {
	k := engine + "/" + tier
	if r.Tiers[k] == nil {
		r.Tiers[k] = &tierResult{Engine: engine, Tier: tier}
	}
	return r.Tiers[k]
}

func (r *results) save(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// tierResult is everything measured on one engine and tier.
type tierResult struct {
	Engine  string           `json:"engine"`
	Tier    string           `json:"tier"`
	RunAt   string           `json:"run_at"`
	Prepare *prepareResult   `json:"prepare,omitempty"`
	Bulk    *bulkResult      `json:"bulk,omitempty"`
	Queries []latency        `json:"queries,omitempty"`
	Plans   []plan           `json:"plans,omitempty"`
	HTTP    []httpResult     `json:"http,omitempty"`
	Export  []exportResult   `json:"export,omitempty"`
	Sizes   map[string]int64 `json:"sizes,omitempty"`
}
