// Package bench holds the Go benchmarks of issue 7 (province scale): the member bulk path
// against the engine's raw insert, roster pages, structure statistics and the tree, on the
// county demo tier (武陵区, ≈ 880 organisations, 17,000 members) built in the benchmark process,
// on SQLite and PostgreSQL. They are benchmarks, not tests: `go test` runs none of them; `make
// bench` runs them with -bench, and cmd/dangjian-load measures the bigger tiers and HTTP.
package bench

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/db/dbtest"
	"github.com/dangjian/dangjian/internal/demo"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/pii"
)

var opt = demo.Options{Area: "430702", Seed: 1, Today: civil.Today().Time()}

// tier is the county tier loaded into one engine.
type tier struct {
	d        *db.DB
	ms       *member.Store
	orgs     *org.Store
	root     *org.Org
	street   int64
	deep     int64
	branches map[int64]string
	ins      []member.Input
	admin    context.Context
}

var (
	keyOnce sync.Once
	key     *pii.Key
)

// loadOrgs fills an empty database with the tier's organisations.
func loadOrgs(tb testing.TB, d *db.DB) (map[int64]string, map[string]int64) {
	tb.Helper()
	sys := access.System(context.Background())
	if _, err := org.NewStore(d).Load(sys, "benchmark", func(add func(org.Seed) error) error {
		return demo.Generate(opt, func(o demo.Org) error {
			return add(org.Seed{Code: o.Code, ParentCode: o.ParentCode, Name: o.Name, Type: o.Type, UnitType: o.UnitType, SortOrder: o.SortOrder})
		})
	}); err != nil {
		tb.Fatal(err)
	}
	paths, ids := map[int64]string{}, map[string]int64{}
	rows, err := d.Query(sys, `SELECT id, code, path FROM orgs WHERE type IN ('branch', 'joint_branch', 'temporary_branch')`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var code, path string
		rows.Scan(&id, &code, &path)
		paths[id], ids[code] = path, id
	}
	return paths, ids
}

func members(tb testing.TB, ids map[string]int64) []member.Input {
	var ins []member.Input
	if err := demo.GenerateMembers(opt, func(b *demo.Org, m member.Input) error {
		m.OrgID = ids[b.Code]
		ins = append(ins, m)
		return nil
	}); err != nil {
		tb.Fatal(err)
	}
	return ins
}

func pull(ins []member.Input) func() (*member.Input, error) {
	i := 0
	return func() (*member.Input, error) {
		if i == len(ins) {
			return nil, nil
		}
		in := ins[i]
		i++
		return &in, nil
	}
}

func newTier(tb testing.TB, d *db.DB) *tier {
	tb.Helper()
	keyOnce.Do(func() { key, _, _ = pii.Generate() })
	t := &tier{d: d, ms: member.NewStore(d, key), orgs: org.NewStore(d)}
	var ids map[string]int64
	t.branches, ids = loadOrgs(tb, d)
	t.ins = members(tb, ids)
	sys := access.System(context.Background())
	if _, err := t.ms.BulkLoad(sys, pull(t.ins)); err != nil {
		tb.Fatal(err)
	}
	var rootID int64
	if err := d.QueryRow(sys, `SELECT id FROM orgs WHERE parent_id IS NULL`).Scan(&rootID); err != nil {
		tb.Fatal(err)
	}
	d.QueryRow(sys, `SELECT id FROM orgs WHERE type = 'working_committee' ORDER BY id LIMIT 1`).Scan(&t.street)
	d.QueryRow(sys, `SELECT id FROM orgs ORDER BY depth DESC, id LIMIT 1`).Scan(&t.deep)
	var err error
	if t.root, err = t.orgs.Get(sys, rootID); err != nil {
		tb.Fatal(err)
	}
	t.admin = access.With(context.Background(), &access.Principal{UserID: 1, Username: "admin",
		Grants: []access.Grant{{Role: "org-admin", OrgID: t.root.ID, OrgPath: t.root.Path}}})
	return t
}

// each runs fn on a tier per engine (the tiers are built once per benchmark).
func each(b *testing.B, fn func(b *testing.B, t *tier)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, newTier(b, dbtest.SQLite(b))) })
	b.Run("postgres", func(b *testing.B) { fn(b, newTier(b, dbtest.Postgres(b))) })
}

// BenchmarkBulkLoad loads the tier's 16,870 members with BulkLoad (validation, sealing, insert,
// recount, roll-ups) into a fresh database per iteration.
func BenchmarkBulkLoad(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			keyOnce.Do(func() { key, _, _ = pii.Generate() })
			var ins []member.Input
			for b.Loop() {
				b.StopTimer()
				d := fresh(b, engine)
				_, ids := loadOrgs(b, d)
				if ins == nil {
					ins = members(b, ids)
				}
				s := member.NewStore(d, key)
				b.StartTimer()
				if _, err := s.BulkLoad(access.System(context.Background()), pull(ins)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(ins)*b.N)/b.Elapsed().Seconds(), "members/s")
		})
	}
}

// BenchmarkRawInsert is the engine's bare insert of the same rows, sealed beforehand: one
// transaction, a prepared INSERT on SQLite, COPY on PostgreSQL, roll-up triggers off.
func BenchmarkRawInsert(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			keyOnce.Do(func() { key, _, _ = pii.Generate() })
			var cols []string
			var rows [][]any
			for b.Loop() {
				b.StopTimer()
				d := fresh(b, engine)
				paths, ids := loadOrgs(b, d)
				if rows == nil {
					var err error
					if cols, rows, err = member.NewStore(d, key).RawRows(context.Background(), members(b, ids), paths); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				if err := rawInsert(d, cols, rows); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(rows)*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

func fresh(b *testing.B, engine string) *db.DB {
	if engine == "postgres" {
		return dbtest.Postgres(b)
	}
	return dbtest.SQLite(b)
}

func rawInsert(d *db.DB, cols []string, rows [][]any) error {
	ctx := context.Background()
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

var rosterFilters = []struct {
	name string
	f    member.ListFilter
}{
	{"default", member.ListFilter{}},
	{"age_band", member.ListFilter{AgeBand: "36-40"}},
	{"education", member.ListFilter{Education: "1"}},
	{"status+age+edu", member.ListFilter{Status: member.StatusNormal, AgeBand: "41-45", Education: "2"}},
}

// BenchmarkRoster reads page 1 (20 members, default order) at the root and at a 街道.
func BenchmarkRoster(b *testing.B) {
	each(b, func(b *testing.B, t *tier) {
		for _, node := range []struct {
			name string
			id   int64
		}{{"root", t.root.ID}, {"street", t.street}} {
			for _, c := range rosterFilters {
				b.Run(node.name+"/"+c.name, func(b *testing.B) {
					f := c.f
					f.Under = node.id
					for b.Loop() {
						if _, err := t.ms.List(t.admin, f, api.Paging{Page: 1, Size: 20}); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	})
}

// BenchmarkStats computes the structure statistics of the root and of a 街道.
func BenchmarkStats(b *testing.B) {
	each(b, func(b *testing.B, t *tier) {
		for _, id := range []int64{t.root.ID, t.street} {
			b.Run(fmt.Sprint(map[bool]string{true: "root", false: "street"}[id == t.root.ID]), func(b *testing.B) {
				for b.Loop() {
					if _, err := t.ms.Stats(t.admin, id, t.orgs); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	})
}

// BenchmarkTree reads the children of the root and the path to the root of the deepest node.
func BenchmarkTree(b *testing.B) {
	each(b, func(b *testing.B, t *tier) {
		b.Run("children", func(b *testing.B) {
			for b.Loop() {
				if _, err := t.orgs.Tree(t.admin, t.root.ID, false); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("path", func(b *testing.B) {
			for b.Loop() {
				if _, err := t.orgs.Get(t.admin, t.deep); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}
