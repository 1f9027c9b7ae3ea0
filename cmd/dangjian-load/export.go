package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/roster"
)

// exportResult is one .xlsx export: how long it took and how much the heap grew meanwhile.
type exportResult struct {
	What          string  `json:"what"`
	Rows          int     `json:"rows"`
	Seconds       float64 `json:"seconds"`
	Bytes         int64   `json:"bytes"`
	HeapGrowthMiB float64 `json:"heap_growth_mib"` // peak heap in use minus before
	RSSGrowthMiB  float64 `json:"rss_growth_mib"`
}

// synthetic streams n made-up members, as internal/roster's BenchmarkExport does.
type synthetic struct{ n int }

func (s synthetic) Codes(context.Context) (*member.Codes, error) { return member.DefaultCodes, nil }

func (s synthetic) Each(_ context.Context, _ member.ListFilter, _ bool, fn func(*member.Member) error) error {
	m := member.Member{OrgName: "中共马家吉社区第一支部委员会", OrgCode: "430702001001", Gender: "2", Ethnicity: "01",
		BirthDate: civil.New(1985, 3, 12), Education: "21", JoinedOn: civil.New(2010, 7, 1), FullOn: civil.New(2011, 7, 1), Job: "014",
		Phone: "13812345678", Address: "湖南省常德市武陵区启明街道马家吉社区1栋2单元301", Status: member.StatusNormal,
		CategoryName: "正式党员", NativePlace: "湖南常德", Introducers: "李明、赵强"}
	for i := range s.n {
		m.ID = int64(i + 1)
		m.Name = fmt.Sprintf("党员%06d", i)
		m.IDNumber = fmt.Sprintf("43070219850312%04d", i%10000)
		if err := fn(&m); err != nil {
			return err
		}
	}
	return nil
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*countingWriter)(nil)

// measureExport runs export while sampling the heap every 2 ms.
func measureExport(what string, export func(w io.Writer) (int, error)) (exportResult, error) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	baseRSS := rssKB(os.Getpid())
	var peak uint64
	var peakRSS int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		var s runtime.MemStats
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-t.C:
			}
			runtime.ReadMemStats(&s)
			peak = max(peak, s.HeapInuse)
			if i%25 == 0 {
				peakRSS = max(peakRSS, rssKB(os.Getpid()))
			}
		}
	}()
	w := &countingWriter{}
	start := time.Now()
	rows, err := export(w)
	el := time.Since(start).Seconds()
	close(stop)
	wg.Wait()
	r := exportResult{What: what, Rows: rows, Seconds: el, Bytes: w.n,
		HeapGrowthMiB: float64(int64(peak)-int64(base)) / (1 << 20), RSSGrowthMiB: float64(peakRSS-baseRSS) / 1024}
	log.Printf("   export %-40s %7d rows  %.1fs  %.1f MB  heap +%.0f MiB  RSS +%.0f MiB", what, rows, el, float64(w.n)/1e6, r.HeapGrowthMiB, r.RSSGrowthMiB)
	return r, err
}

func exportPhase(ctx context.Context, e *env, r *tierResult) error {
	r.Export = nil
	if e.engine == "sqlite" && e.tier.name == "county" {
		res, err := measureExport("100,000 synthetic members (BenchmarkExport's source)", func(w io.Writer) (int, error) {
			return 100_000, roster.Export(ctx, w, synthetic{100_000}, member.ListFilter{}, true)
		})
		if err != nil {
			return err
		}
		r.Export = append(r.Export, res)
	}
	d, ms, _, err := e.store(ctx)
	if err != nil {
		return err
	}
	defer d.Close()
	nodes, err := pickNodes(ctx, d)
	if err != nil {
		return err
	}
	// The largest subtree of at most 300,000 members: the root of the county and city tiers,
	// the 市委 in the province.
	n := nodes[0]
	for _, c := range nodes {
		if c.Kind == "city" && n.Members > 300000 {
			n = c
		}
	}
	actx := admin(ctx, nodes[0])
	res, err := measureExport(fmt.Sprintf("%s (%s), from the database", n.Name, n.Kind), func(w io.Writer) (int, error) {
		rows := 0
		src := countingSource{ms, &rows}
		err := roster.Export(actx, w, src, member.ListFilter{Under: n.ID}, false)
		return rows, err
	})
	if err != nil {
		return err
	}
	r.Export = append(r.Export, res)
	return nil
}

// countingSource counts the rows the store streams.
type countingSource struct {
	s *member.Store
	n *int
}

func (c countingSource) Codes(ctx context.Context) (*member.Codes, error) { return c.s.Codes(ctx) }

func (c countingSource) Each(ctx context.Context, f member.ListFilter, reveal bool, fn func(*member.Member) error) error {
	return c.s.Each(ctx, f, reveal, func(m *member.Member) error { *c.n++; return fn(m) })
}
