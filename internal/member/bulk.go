package member

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/org"
)

// BulkCacheMiB is the SQLite page cache (MiB) of the connection while a bulk load inserts: the
// unique index on the keyed hash of the 公民身份号码 (and those on phone hash and birth date)
// take rows in random order, and a cache that holds them saves re-reading and re-writing their
// pages for every row (the province's ≈ 900 MB of such index pages fit). It is a fixed bound —
// the process's resident size stays flat at about twice it, the allocator of the cgo-free
// SQLite rounding each 4 KiB page up — lowered to 256 MiB for the recount and the roll-up
// rebuild and back to the default when the load ends; 0 leaves SQLite's default.
var BulkCacheMiB = 1024

// BulkPhases, when set, is told how long each phase of a bulk load took (insert, recount,
// rollups, analyze on PostgreSQL, checkpoint on SQLite); the benchmarks report it.
var BulkPhases func(phase string, took time.Duration)

func phase(name string, start *time.Time) {
	if BulkPhases != nil {
		BulkPhases(name, time.Since(*start))
	}
	*start = time.Now()
}

// bulkBatchSize is how many members travel through the load's pipeline together.
const bulkBatchSize = 512

// BulkLoad inserts members read from next until it returns (nil, nil), in one transaction,
// validating each (Check) and sealing its personal data; the org member counts and the
// roll-ups are recomputed once at the end. It streams: a few thousand members are in flight at
// any time, whatever the total. Only the command-line operator (access.System) may bulk load.
// Any invalid record aborts the load and nothing is saved.
//
// The work is a pipeline: one goroutine reads next, the others (one per CPU) validate and
// seal batches of members in parallel, and the caller's goroutine writes them in their
// original order — with a prepared INSERT on SQLite, with COPY (pgx CopyFrom on the
// transaction's connection) on PostgreSQL. The roll-up triggers are off during the load and the
// roll-ups are rebuilt from the loaded rows before the transaction commits.
func (s *Store) BulkLoad(ctx context.Context, next func() (*Input, error)) (int, error) {
	if _, all := access.Roots(ctx, access.OrgWrite); !all {
		return 0, errors.New("批量导入党员只能由命令行操作员执行")
	}
	n := 0
	err := s.db.InConnTx(ctx, func(tx *db.Tx) error {
		paths := map[int64]string{}
		rows, err := tx.Query(ctx, `SELECT id, path, type FROM orgs WHERE status = 'active'`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var path string
			var typ org.Type
			if err := rows.Scan(&id, &path, &typ); err != nil {
				rows.Close()
				return err
			}
			if typ.IsBranchLike() {
				paths[id] = path
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		codes, err := loadCodes(ctx, tx)
		if err != nil {
			return err
		}
		resume, err := org.SuspendRollups(ctx, tx, "members")
		if err != nil {
			return err
		}
		if tx.Dialect == db.SQLite && BulkCacheMiB > 0 {
			var old int
			if err := tx.QueryRow(ctx, `PRAGMA cache_size`).Scan(&old); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, fmt.Sprintf(`PRAGMA cache_size = -%d`, BulkCacheMiB*1024)); err != nil {
				return err
			}
			defer tx.Exec(context.WithoutCancel(ctx), fmt.Sprintf(`PRAGMA cache_size = %d`, old))
		}
		start := time.Now()
		p := s.startPipeline(ctx, next, paths, codes)
		var events []bulkEvent
		if tx.Dialect == db.Postgres {
			n, err = s.copyMembers(ctx, tx, p, &events)
		} else {
			n, err = s.insertMembers(ctx, tx, p, &events)
		}
		if perr := p.stop(); err == nil {
			err = perr
		}
		if err != nil {
			return err
		}
		if err := resume(); err != nil {
			return err
		}
		phase("insert", &start)
		if err := writeBulkEvents(ctx, tx, events); err != nil {
			return err
		}
		phase("ledger", &start)
		if tx.Dialect == db.SQLite && BulkCacheMiB > 256 {
			// The rest reads members in order and sorts: a smaller cache leaves SQLite's sorter
			// (whose memory follows cache_size) a bound too.
			if _, err := tx.Exec(ctx, `PRAGMA cache_size = -262144`); err != nil {
				return err
			}
		}
		if err := org.RecountAllMembers(ctx, tx); err != nil {
			return err
		}
		phase("recount", &start)
		if err := org.RebuildRollups(ctx, tx, "members"); err != nil {
			return err
		}
		phase("rollups", &start)
		if tx.Dialect == db.Postgres {
			// Fresh statistics, so that the planner knows the tables' new size right away.
			for _, t := range []string{"members", "member_rollup", "member_rollup_dims", "orgs"} {
				if _, err := tx.Exec(ctx, `ANALYZE `+t); err != nil {
					return err
				}
			}
			phase("analyze", &start)
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "member.load", Entity: "member",
			Summary: fmt.Sprintf("批量导入党员 %d 名", n)})
	})
	if err != nil {
		return 0, err
	}
	if s.db.Dialect == db.SQLite {
		// The load's pages went through the write-ahead log (gigabytes for a province): copy them
		// into the database now and give the disk space back (best effort; readers may hold it).
		start := time.Now()
		_, _ = s.db.Exec(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
		phase("checkpoint", &start)
	}
	return n, nil
}

// bulkBatch is a run of consecutive members: read, then validated and sealed into rows (the
// INSERT's arguments). err is the first invalid member's error; rows holds those before it.
type bulkBatch struct {
	first int // number of the first member (1-based), for messages
	ins   []Input
	rows  [][]any
	// events are the ledger rows the batch's members write (new members of the current year,
	// or those AddedAs says), by the keyed hash of their 公民身份号码.
	events []bulkEvent
	err    error
	done   chan struct{} // closed once rows and err are set
}

// bulkEvent is a ledger row of a bulk-loaded member, written once the members are in.
type bulkEvent struct {
	idHash string
	kind   EventKind
	on     civil.Date
}

type pipeline struct {
	order  chan *bulkBatch // every batch, in the order read
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// stop ends the pipeline and waits for its goroutines, so that next is never called after
// BulkLoad returns.
func (p *pipeline) stop() error {
	p.cancel()
	for range p.order {
	}
	p.wg.Wait()
	return nil
}

func (s *Store) startPipeline(ctx context.Context, next func() (*Input, error), paths map[int64]string, codes *Codes) *pipeline {
	ctx, cancel := context.WithCancel(ctx)
	workers := max(1, runtime.GOMAXPROCS(0))
	p := &pipeline{order: make(chan *bulkBatch, 2*workers+2), cancel: cancel}
	work := make(chan *bulkBatch, 2*workers+2)
	now := time.Now().UTC()
	today := s.Today()
	p.wg.Add(1 + workers)
	go func() {
		defer p.wg.Done()
		defer close(p.order)
		defer close(work)
		num := 0
		for ctx.Err() == nil {
			b := &bulkBatch{first: num + 1, done: make(chan struct{}), ins: make([]Input, 0, bulkBatchSize)}
			for len(b.ins) < bulkBatchSize {
				in, err := next()
				if err != nil {
					b.err = err
					break
				}
				if in == nil {
					break
				}
				b.ins = append(b.ins, *in)
			}
			num += len(b.ins)
			last := b.err != nil || len(b.ins) < bulkBatchSize
			select {
			case p.order <- b:
			case <-ctx.Done():
				return
			}
			if len(b.ins) == 0 {
				close(b.done)
			} else {
				select {
				case work <- b:
				case <-ctx.Done():
					return
				}
			}
			if last {
				return
			}
		}
	}()
	for range workers {
		go func() {
			defer p.wg.Done()
			for b := range work {
				s.prepareBatch(b, paths, codes, today, now)
				close(b.done)
			}
		}()
	}
	return p
}

// prepareBatch validates and seals the members of b.
func (s *Store) prepareBatch(b *bulkBatch, paths map[int64]string, codes *Codes, today civil.Date, now time.Time) {
	b.rows = make([][]any, 0, len(b.ins))
	b.events = nil
	for i := range b.ins {
		in := &b.ins[i]
		num := b.first + i
		if f, _ := CheckWith(in, today, codes); len(f) > 0 {
			if b.err == nil {
				b.err = fmt.Errorf("第 %d 名党员（%s）：%s：%s", num, in.Name, f[0].Field, f[0].Message)
			}
			return
		}
		path, ok := paths[in.OrgID]
		if !ok {
			if b.err == nil {
				b.err = fmt.Errorf("第 %d 名党员（%s）：所在组织 %d 不是有效的党支部", num, in.Name, in.OrgID)
			}
			return
		}
		p, err := s.seal(in)
		if err != nil {
			b.err = err
			return
		}
		if kind, counted := addedAs(*in, today); counted {
			on := in.JoinedOn
			if kind != EventDevelop {
				if on = in.AddedOn; on.IsZero() || on.After(today) {
					on = today
				}
			}
			b.events = append(b.events, bulkEvent{idHash: p.idHash, kind: kind, on: on})
		}
		b.rows = append(b.rows, insertArgs(in, path, p, now))
	}
}

// batches yields the pipeline's batches in order, each once ready; ok is false at the end.
func (p *pipeline) nextBatch(ctx context.Context) (*bulkBatch, bool, error) {
	select {
	case b, ok := <-p.order:
		if !ok {
			return nil, false, nil
		}
		select {
		case <-b.done:
			return b, true, nil
		case <-ctx.Done():
			return nil, false, ctx.Err()
		}
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
}

func (s *Store) insertMembers(ctx context.Context, tx *db.Tx, p *pipeline, events *[]bulkEvent) (int, error) {
	ins, err := tx.Prepare(ctx, insertSQL)
	if err != nil {
		return 0, err
	}
	defer ins.Close()
	n := 0
	for {
		b, ok, err := p.nextBatch(ctx)
		if err != nil || !ok {
			return n, err
		}
		*events = append(*events, b.events...)
		for i, args := range b.rows {
			if _, err := ins.ExecContext(ctx, args...); err != nil {
				if db.IsUniqueViolation(err) {
					return n, fmt.Errorf("第 %d 名党员（%s）：公民身份号码重复", b.first+i, b.ins[i].Name)
				}
				return n, err
			}
			n++
		}
		if b.err != nil {
			return n, b.err
		}
	}
}

// memberColumns are the columns insertSQL fills, in order.
var memberColumns = func() []string {
	list := insertSQL[strings.Index(insertSQL, "(")+1 : strings.Index(insertSQL, ")")]
	var cols []string
	for _, c := range strings.Split(list, ",") {
		cols = append(cols, strings.TrimSpace(c))
	}
	return cols
}()

// copySource feeds the pipeline's rows to CopyFrom.
type copySource struct {
	ctx    context.Context
	p      *pipeline
	events *[]bulkEvent
	cur    *bulkBatch
	i      int
	n      int
	err    error
	row    []any
}

func (c *copySource) Next() bool {
	for c.cur == nil || c.i >= len(c.cur.rows) {
		if c.cur != nil && c.cur.err != nil {
			c.err = c.cur.err
			return false
		}
		b, ok, err := c.p.nextBatch(c.ctx)
		if err != nil {
			c.err = err
			return false
		}
		if !ok {
			return false
		}
		c.cur, c.i = b, 0
		*c.events = append(*c.events, b.events...)
	}
	// COPY encodes binary values itself: dates as time.Time (or NULL), not as the text a
	// driver.Valuer gives.
	c.row = CopyValues(c.cur.rows[c.i])
	c.i++
	c.n++
	return true
}

func (c *copySource) Values() ([]any, error) { return c.row, nil }
func (c *copySource) Err() error             { return c.err }

func (s *Store) copyMembers(ctx context.Context, tx *db.Tx, p *pipeline, events *[]bulkEvent) (int, error) {
	src := &copySource{ctx: ctx, p: p, events: events}
	err := tx.Raw(func(dc any) error {
		conn, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("批量导入：意外的数据库驱动连接 %T", dc)
		}
		_, err := conn.Conn().CopyFrom(ctx, pgx.Identifier{"members"}, memberColumns, src)
		return err
	})
	if src.err != nil {
		return src.n, src.err
	}
	if db.IsUniqueViolation(err) {
		return src.n, errors.New("公民身份号码重复：批量导入的党员中有与已登记党员或本批其他党员相同的公民身份号码，未导入任何党员")
	}
	return src.n, err
}

// RawRows validates and seals ins exactly as BulkLoad does (branches maps each 支部's id to
// its path) and returns the columns of the members table BulkLoad fills with the rows' values —
// the benchmarks time a bare INSERT (COPY on PostgreSQL) of these against BulkLoad.
func (s *Store) RawRows(ctx context.Context, ins []Input, branches map[int64]string) (cols []string, rows [][]any, err error) {
	codes, err := loadCodes(ctx, s.db)
	if err != nil {
		return nil, nil, err
	}
	now, today := time.Now().UTC(), s.Today()
	for i := 0; i < len(ins); i += bulkBatchSize {
		b := &bulkBatch{first: i + 1, ins: slices.Clone(ins[i:min(i+bulkBatchSize, len(ins))])}
		s.prepareBatch(b, branches, codes, today, now)
		if b.err != nil {
			return nil, nil, b.err
		}
		rows = append(rows, b.rows...)
	}
	return memberColumns, rows, nil
}

// CopyValues turns a row of RawRows into the values COPY takes (dates as time.Time or nil).
func CopyValues(row []any) []any {
	out := slices.Clone(row)
	for j, v := range out {
		if d, ok := v.(civil.Date); ok {
			if d.IsZero() {
				out[j] = nil
			} else {
				out[j] = d.Time()
			}
		}
	}
	return out
}

// bulkEventChunk is how many ledger rows one statement of writeBulkEvents writes.
const bulkEventChunk = 500

// writeBulkEvents writes the ledger rows of a bulk load, like Create does for one member: a
// statement per chunk of members (found by the keyed hash of their 公民身份号码), not a round
// trip per member.
func writeBulkEvents(ctx context.Context, tx *db.Tx, events []bulkEvent) error {
	now := time.Now().UTC()
	for len(events) > 0 {
		chunk := events[:min(len(events), bulkEventChunk)]
		events = events[len(chunk):]
		var sb strings.Builder
		args := make([]any, 0, 3*len(chunk)+2)
		args = append(args, now)
		on := "v.column2" // SQLite keeps dates as text; CAST AS DATE would make it a number there
		if tx.Dialect == db.Postgres {
			on = "CAST(v.column2 AS DATE)"
		}
		sb.WriteString(`INSERT INTO member_events (member_id, on_date, kind, from_path, to_path, ref, created_at)
			SELECT m.id, ` + on + `, v.column3, '', m.org_path, 'load', ? FROM members m JOIN (VALUES `)
		for i, e := range chunk {
			if i > 0 {
				sb.WriteString(",")
			}
			sb.WriteString("(?, ?, ?)")
			args = append(args, e.idHash, e.on.String(), string(e.kind))
		}
		sb.WriteString(`) v ON m.id_hash = v.column1`)
		if _, err := tx.Exec(ctx, sb.String(), args...); err != nil {
			return fmt.Errorf("批量导入：写入党员数量变化记录：%w", err)
		}
	}
	return nil
}
