package main

import (
	"context"
	"fmt"
	"log"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// multiResult is the two-server scenario on one PostgreSQL.
type multiResult struct {
	Tier               string  `json:"tier"`
	SessionShared      bool    `json:"session_shared"` // logged in on A, GET /me on B answered 200
	LogoutShared       bool    `json:"logout_shared"`  // logged out on B, A answers 401
	Writers            int     `json:"writers"`
	Seconds            float64 `json:"seconds"`
	KilledAfter        float64 `json:"killed_after_seconds"` // when server A got SIGKILL
	Acknowledged       int     `json:"acknowledged"`         // creates answered 201
	Lost               int     `json:"lost"`                 // acknowledged but not found afterwards
	Unacknowledged     int     `json:"unacknowledged"`       // requests cut by the kill (no answer)
	CommittedUnacked   int     `json:"committed_unacked"`    // of those, saved anyway (committed before the kill)
	ServedByBAfterKill int     `json:"served_by_b_after_kill"`
	ErrorsOnB          int     `json:"errors_on_b"`
	RejectedOnA        int     `json:"rejected_on_a"` // answered, but not 201 (before the kill)
	ReadsOK            int     `json:"reads_ok"`
}

// idNumber builds a valid 公民身份号码 of 北京市东城区 (a 县 no demo tier uses) for serial k.
func idNumber(k int) string {
	birth := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, k/900)
	base := "110101" + birth.Format("20060102") + fmt.Sprintf("%03d", 100+k%900)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(base[i]-'0') * w
	}
	return base + string("10X98765432"[sum%11])
}

func multiPhase(ctx context.Context, e *env) (*multiResult, error) {
	res := &multiResult{Tier: e.tier.name, Writers: 8}
	d, err := e.open(ctx)
	if err != nil {
		return nil, err
	}
	var branch int64
	var start0 int
	err = d.QueryRow(ctx, `SELECT id FROM orgs WHERE type = 'branch' AND status = 'active' ORDER BY id LIMIT 1`).Scan(&branch)
	if err == nil {
		err = d.QueryRow(ctx, `SELECT COUNT(*) FROM members WHERE id_mask LIKE '1101%'`).Scan(&start0)
	}
	d.Close()
	if err != nil {
		return nil, err
	}
	a, err := serveDangjian(ctx, e)
	if err != nil {
		return nil, err
	}
	defer a.stop()
	b, err := serveDangjian(ctx, e)
	if err != nil {
		return nil, err
	}
	defer b.stop()

	// A session made on A works on B (cookies ignore the port), and a logout on B ends it on A.
	c := newClient("http://"+a.addr, 4)
	if err := c.login("admin"); err != nil {
		return nil, err
	}
	c.base = "http://" + b.addr
	st, _ := c.do(ctx, "GET", "/api/v1/me", nil, nil)
	res.SessionShared = st == 200
	other := newClient("http://"+a.addr, 4)
	if err := other.login("viewer"); err != nil {
		return nil, err
	}
	other.base = "http://" + b.addr
	other.do(ctx, "POST", "/api/v1/auth/logout", nil, nil)
	other.base = "http://" + a.addr
	st, _ = other.do(ctx, "GET", "/api/v1/me", nil, nil)
	res.LogoutShared = st == 401

	// Writers alternate between A and B; A is killed a third of the way in.
	const dur = 15 * time.Second
	bases := []string{"http://" + a.addr, "http://" + b.addr}
	var aDown atomic.Bool
	var mu sync.Mutex
	acked := map[int64]string{}
	var cut []string // names of creates that got no answer
	var next atomic.Int64
	next.Store(int64(start0) + 1)
	var killedAt time.Time
	start := time.Now()
	lctx, cancel := context.WithTimeout(ctx, dur)
	defer cancel()
	go func() {
		select {
		case <-time.After(dur / 3):
			mu.Lock()
			killedAt = time.Now()
			mu.Unlock()
			a.kill()
			aDown.Store(true)
			log.Printf("   server A killed after %.1fs", time.Since(start).Seconds())
		case <-lctx.Done():
		}
	}()
	var wg sync.WaitGroup
	var servedB, errorsB, reads, rejected atomic.Int64
	for w := range res.Writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cl := newClient(bases[0], 2)
			cl.csrf = c.csrf
			cl.http.Jar = c.http.Jar
			for i := 0; lctx.Err() == nil && i < 400; i++ {
				k := int(next.Add(1))
				target := (w + i) % 2
				if aDown.Load() {
					target = 1
				}
				cl.base = bases[target]
				name := "负载" + strconv.Itoa(k)
				in := map[string]any{"org_id": branch, "name": name, "id_number": idNumber(k), "ethnicity": "01", "education": "21",
					"joined_on": "2005-07-01", "full_on": "2006-07-01", "job": "011", "phone": fmt.Sprintf("139%08d", k), "address": "北京市东城区测试路" + strconv.Itoa(k) + "号"}
				var out struct {
					ID int64 `json:"id"`
				}
				st, err := cl.do(lctx, "POST", "/api/v1/members", in, &out)
				if lctx.Err() != nil {
					break
				}
				mu.Lock()
				switch {
				case err == nil && st == 201:
					acked[out.ID] = name
					if target == 1 && aDown.Load() {
						servedB.Add(1)
					}
				case err != nil && target == 0:
					cut = append(cut, name) // A died with the request in flight
				case target == 1:
					errorsB.Add(1)
				default:
					rejected.Add(1)
				}
				mu.Unlock()
				// A read between writes, on the other server.
				cl.base = bases[1]
				if !aDown.Load() {
					cl.base = bases[(target+1)%2]
				}
				if st, err := cl.do(lctx, "GET", "/api/v1/members?page=1&page_size=20", nil, nil); err == nil && st == 200 {
					reads.Add(1)
				} else if lctx.Err() == nil && cl.base == bases[1] {
					errorsB.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	res.Seconds = time.Since(start).Seconds()
	if !killedAt.IsZero() {
		res.KilledAfter = killedAt.Sub(start).Seconds()
	}
	res.Acknowledged, res.Unacknowledged = len(acked), len(cut)
	res.ServedByBAfterKill, res.ErrorsOnB, res.ReadsOK = int(servedB.Load()), int(errorsB.Load()), int(reads.Load())
	res.RejectedOnA = int(rejected.Load())

	// Every acknowledged write is there, read back through B.
	c.base = "http://" + b.addr
	for id, name := range acked {
		var m struct {
			Name string `json:"name"`
		}
		st, err := c.do(ctx, "GET", "/api/v1/members/"+strconv.FormatInt(id, 10), nil, &m)
		if err != nil || st != 200 || m.Name != name {
			res.Lost++
		}
	}
	d, err = e.open(ctx)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	for _, name := range cut {
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM members WHERE name = ?`, name).Scan(&n); err == nil && n > 0 {
			res.CommittedUnacked++
		}
	}
	log.Printf("   sessions shared %v, logout shared %v; %d writes acknowledged, %d lost; %d cut by the kill (%d committed anyway); B served %d writes after the kill, %d errors on B",
		res.SessionShared, res.LogoutShared, res.Acknowledged, res.Lost, res.Unacknowledged, res.CommittedUnacked, res.ServedByBAfterKill, res.ErrorsOnB)
	return res, nil
}
