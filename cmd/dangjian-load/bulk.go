package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/demo"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/pii"
)

// bulkResult compares BulkLoad with the engine's raw insert of the same rows (medians of runs,
// alternating, each into a fresh database holding the tier's organisations).
type bulkResult struct {
	Members        int                `json:"members"`
	Runs           int                `json:"runs"`
	RawSeconds     []float64          `json:"raw_seconds"`
	BulkSeconds    []float64          `json:"bulk_seconds"`
	RawRate        float64            `json:"raw_rate"`         // rows/s, median
	BulkRate       float64            `json:"bulk_rate"`        // rows/s, median, whole BulkLoad
	BulkInsertRate float64            `json:"bulk_insert_rate"` // rows/s, median, insert phase only
	Ratio          float64            `json:"ratio"`            // BulkRate / RawRate
	InsertRatio    float64            `json:"insert_ratio"`
	Phases         map[string]float64 `json:"phases"` // median seconds
	HeapMiB        float64            `json:"heap_mib"`
	RawHow         string             `json:"raw_how"`
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// freshDB returns an empty migrated database holding the tier's organisations, and its
// 支部 (id → path, code → id).
func (e *env) freshDB(ctx context.Context, name string) (*db.DB, map[int64]string, map[string]int64, error) {
	var d *db.DB
	var err error
	if e.dsn == "" {
		dir := filepath.Join(e.o.work, "bulk-"+e.tier.name+"-"+name)
		os.RemoveAll(dir)
		d, err = db.Open(ctx, "", dir)
	} else {
		dbName := "dangjian_bench_bulk_" + name
		if err := ensureDatabase(ctx, e.o.pgURL, dbName, true); err != nil {
			return nil, nil, nil, err
		}
		d, err = db.Open(ctx, pgURL(e.o.pgURL, dbName), "")
	}
	if err != nil {
		return nil, nil, nil, err
	}
	if _, err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, nil, nil, err
	}
	sys := access.System(ctx)
	opt := e.demoOptions()
	if _, err := org.NewStore(d).Load(sys, "benchmark", func(add func(org.Seed) error) error {
		return demo.Generate(opt, func(o demo.Org) error {
			return add(org.Seed{Code: o.Code, ParentCode: o.ParentCode, Name: o.Name, ShortName: o.ShortName, Type: o.Type,
				UnitType: o.UnitType, DivisionCode: o.DivisionCode, EstablishedOn: civil.Of(o.EstablishedOn), Units: o.Units, SortOrder: o.SortOrder})
		})
	}); err != nil {
		d.Close()
		return nil, nil, nil, err
	}
	paths, ids := map[int64]string{}, map[string]int64{}
	rows, err := d.Query(ctx, `SELECT id, code, path FROM orgs WHERE type IN ('branch', 'joint_branch', 'temporary_branch')`)
	if err != nil {
		d.Close()
		return nil, nil, nil, err
	}
	for rows.Next() {
		var id int64
		var code, path string
		rows.Scan(&id, &code, &path)
		paths[id], ids[code] = path, id
	}
	rows.Close()
	return d, paths, ids, rows.Err()
}

func (e *env) demoOptions() demo.Options {
	opt := demo.Options{Seed: 1, Today: civil.Today().Time()}
	switch e.tier.flag {
	case "--area":
		opt.Area = e.tier.code
	case "--city":
		opt.City = e.tier.code
	default:
		opt.Province = e.tier.code
	}
	return opt
}

func bulkPhase(ctx context.Context, e *env, r *tierResult) error {
	// The members, generated once into memory (the city tier: 180,000), so that both sides
	// read the same rows and neither pays for the generator.
	d0, paths, ids, err := e.freshDB(ctx, "gen")
	if err != nil {
		return err
	}
	d0.Close()
	var ins []member.Input
	if err := demo.GenerateMembers(e.demoOptions(), func(b *demo.Org, m member.Input) error {
		m.OrgID = ids[b.Code]
		ins = append(ins, m)
		return nil
	}); err != nil {
		return err
	}
	key, _, err := pii.Generate()
	if err != nil {
		return err
	}
	res := &bulkResult{Members: len(ins), Runs: e.o.runs, Phases: map[string]float64{}}
	phases := map[string][]float64{}
	var insertRates []float64
	for run := 0; run < e.o.runs; run++ {
		// Raw: the rows validated and sealed beforehand (not timed), then a bare prepared INSERT
		// in one transaction (COPY on PostgreSQL) into the same schema, roll-up triggers off.
		d, _, _, err := e.freshDB(ctx, "raw")
		if err != nil {
			return err
		}
		ms := member.NewStore(d, key)
		cols, rows, err := ms.RawRows(ctx, ins, paths)
		if err != nil {
			d.Close()
			return err
		}
		// The raw side holds every row in memory; keep the collector out of its timing, so that
		// the baseline is the engine's best rate.
		runtime.GC()
		gc := debug.SetGCPercent(-1)
		start := time.Now()
		err = rawInsert(ctx, d, cols, rows)
		raw := time.Since(start).Seconds()
		debug.SetGCPercent(gc)
		if err != nil {
			d.Close()
			return err
		}
		d.Close()
		rows = nil
		runtime.GC()

		// BulkLoad: validation, sealing, inserts, recount and roll-ups.
		d, _, _, err = e.freshDB(ctx, "bulk")
		if err != nil {
			return err
		}
		ms = member.NewStore(d, key)
		got := map[string]float64{}
		member.BulkPhases = func(p string, took time.Duration) { got[p] = took.Seconds() }
		i := 0
		var peak runtime.MemStats
		start = time.Now()
		n, err := ms.BulkLoad(access.System(ctx), func() (*member.Input, error) {
			if i == len(ins) {
				return nil, nil
			}
			in := ins[i]
			i++
			if i%50000 == 0 {
				runtime.ReadMemStats(&peak)
				res.HeapMiB = max(res.HeapMiB, float64(peak.HeapInuse)/(1<<20))
			}
			return &in, nil
		})
		bulk := time.Since(start).Seconds()
		member.BulkPhases = nil
		d.Close()
		if err != nil {
			return err
		}
		if n != len(ins) {
			return fmt.Errorf("bulk load: %d of %d", n, len(ins))
		}
		res.RawSeconds = append(res.RawSeconds, raw)
		res.BulkSeconds = append(res.BulkSeconds, bulk)
		for p, s := range got {
			phases[p] = append(phases[p], s)
		}
		if got["insert"] > 0 {
			insertRates = append(insertRates, float64(n)/got["insert"])
		}
		log.Printf("   bulk run %d: raw %.1fs (%.0f rows/s), BulkLoad %.1fs (%.0f rows/s) %v", run+1, raw, float64(n)/raw, bulk, float64(n)/bulk, got)
	}
	for p, xs := range phases {
		res.Phases[p] = median(xs)
	}
	res.RawRate = float64(res.Members) / median(res.RawSeconds)
	res.BulkRate = float64(res.Members) / median(res.BulkSeconds)
	res.BulkInsertRate = median(insertRates)
	res.Ratio = res.BulkRate / res.RawRate
	res.InsertRatio = res.BulkInsertRate / res.RawRate
	res.RawHow = "prepared INSERT, one transaction, roll-up triggers off"
	if e.dsn != "" {
		res.RawHow = "COPY (pgx CopyFrom), one transaction, roll-up triggers off"
	}
	r.Bulk = res
	for _, dir := range []string{"raw", "bulk", "gen"} {
		os.RemoveAll(filepath.Join(e.o.work, "bulk-"+e.tier.name+"-"+dir))
	}
	return nil
}

// rawInsert is the engine's bare insert of rows: one transaction, a prepared INSERT on
// SQLite, COPY on PostgreSQL.
func rawInsert(ctx context.Context, d *db.DB, cols []string, rows [][]any) error {
	return d.InConnTx(ctx, func(tx *db.Tx) error {
		resume, err := org.SuspendRollups(ctx, tx, "members")
		if err != nil {
			return err
		}
		if tx.Dialect == db.Postgres {
			err = tx.Raw(func(dc any) error {
				i := 0
				_, err := dc.(*stdlib.Conn).Conn().CopyFrom(ctx, pgx.Identifier{"members"}, cols, pgx.CopyFromFunc(func() ([]any, error) {
					if i == len(rows) {
						return nil, nil
					}
					i++
					return member.CopyValues(rows[i-1]), nil
				}))
				return err
			})
		} else {
			if _, err := tx.Exec(ctx, fmt.Sprintf(`PRAGMA cache_size = -%d`, member.BulkCacheMiB*1024)); err != nil {
				return err
			}
			stmt, err2 := tx.Prepare(ctx, `INSERT INTO members (`+strings.Join(cols, ", ")+`) VALUES (`+strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")+`)`)
			if err2 != nil {
				return err2
			}
			for _, row := range rows {
				if _, err = stmt.ExecContext(ctx, row...); err != nil {
					break
				}
			}
			stmt.Close()
		}
		if err != nil {
			return err
		}
		return resume()
	})
}
