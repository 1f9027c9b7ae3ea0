package member

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/db/dbtest"
	"github.com/dangjian/dangjian/internal/org"
)

// The roll-ups (migration 0005) against a full recount. A small tree gets members born on,
// just before and just after every age threshold (and on 29 February), at every 入党时间 edge,
// with every status, 学历档位, sex, category, flag and 工作岗位; then every write that can move a
// member between counts runs — create, update of dates, sex and education, status changes,
// moves, import, moving a whole subtree, a bulk load — and after each, on several calendar
// days around the thresholds, the structure statistics and the roster's totals and pages of
// every node must equal a count made in Go from the member rows, and the roll-up tables must
// equal a rebuild from scratch.

type recountMember struct {
	id                                  int64
	path, status, gender, edu, job, eth string
	birth, joined                       civil.Date
	full, mobile, lost                  bool
}

func recountRows(t *testing.T, d *db.DB) []recountMember {
	t.Helper()
	rows, err := d.Query(context.Background(), `SELECT id, org_path, status, gender, education, job, ethnicity, birth_date, joined_on,
		full_on, mobile, lost_contact FROM members ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []recountMember
	for rows.Next() {
		var m recountMember
		var full civil.Date
		if err := rows.Scan(&m.id, &m.path, &m.status, &m.gender, &m.edu, &m.job, &m.eth, &m.birth, &m.joined, &full, &m.mobile, &m.lost); err != nil {
			t.Fatal(err)
		}
		m.full = !full.IsZero()
		m.edu = EducationBucket(m.edu)
		out = append(out, m)
	}
	return out
}

// recountStats is Stats computed in Go from the rows under path ("" = all).
func recountStats(ms []recountMember, path string, today civil.Date, codes *Codes) Stats {
	var st Stats
	bands := make([]int, len(AgeBands))
	edu, job, joined := map[string]int{}, map[string]int{}, map[string]int{}
	for _, m := range ms {
		if !strings.HasPrefix(m.path, path) {
			continue
		}
		if m.status == string(StatusSuspended) {
			st.Suspended++
		}
		if m.status != string(StatusNormal) {
			continue
		}
		st.Total++
		if m.full {
			st.Full++
		} else {
			st.Probationary++
		}
		if m.gender == "2" {
			st.Female++
		}
		if len(m.eth) == 2 && m.eth >= "02" && m.eth <= "56" {
			st.Minority++
		}
		if m.birth.After(yearsBefore(today, 36)) {
			st.Under35++
		}
		if !m.birth.After(today) {
			age := Age(m.birth, today)
			for i, b := range AgeBands {
				if age >= b.Lo && (b.Hi < 0 || age <= b.Hi) {
					bands[i]++
				}
			}
		}
		edu[m.edu]++
		job[m.job]++
		for _, p := range JoinedPeriods {
			if (p.From.IsZero() || !m.joined.Before(p.From)) && (p.To.IsZero() || !m.joined.After(p.To)) {
				joined[p.Code]++
			}
		}
		if m.mobile {
			st.Mobile++
		}
		if m.lost {
			st.LostContact++
		}
	}
	for i, b := range AgeBands {
		st.AgeBands = append(st.AgeBands, org.Count{Code: b.Code, Name: b.Name, Count: bands[i]})
	}
	for _, e := range codes.tableOf(KindEduStats).Items {
		st.Education = append(st.Education, org.Count{Code: e.Code, Name: e.Name, Count: edu[e.Code]})
	}
	for _, it := range codes.tableOf(KindJob).Items {
		if it.Parent != "" {
			continue
		}
		n := 0
		for j, c := range job {
			if strings.HasPrefix(j, it.Code) {
				n += c
			}
		}
		st.Occupation = append(st.Occupation, org.Count{Code: it.Code, Name: it.Name, Count: n})
	}
	if n := job[""]; n > 0 {
		st.Occupation = append(st.Occupation, org.Count{Code: "", Name: "未填写", Count: n})
	}
	for _, p := range JoinedPeriods {
		st.JoinedPeriod = append(st.JoinedPeriod, org.Count{Code: p.Code, Name: p.Name, Count: joined[p.Code]})
	}
	return st
}

// recountMatches reports whether m passes f (the filters the roll-ups answer) on day today.
func recountMatches(m recountMember, f ListFilter, today civil.Date) bool {
	switch f.Status {
	case "":
		if m.status != string(StatusNormal) && m.status != string(StatusSuspended) {
			return false
		}
	case "all":
	default:
		if m.status != string(f.Status) {
			return false
		}
	}
	if f.Category == CategoryFull && !m.full || f.Category == CategoryProbationary && m.full {
		return false
	}
	if f.Education != "" && m.edu != f.Education || f.Gender != "" && m.gender != f.Gender {
		return false
	}
	if f.Mobile != nil && m.mobile != *f.Mobile || f.LostContact != nil && m.lost != *f.LostContact {
		return false
	}
	if f.AgeBand != "" {
		for _, b := range AgeBands {
			if b.Code == f.AgeBand {
				if m.birth.After(yearsBefore(today, b.Lo)) || b.Hi >= 0 && !m.birth.After(yearsBefore(today, b.Hi+1)) {
					return false
				}
			}
		}
	}
	return true
}

var rollupFilters = func() []ListFilter {
	yes, no := true, false
	fs := []ListFilter{{}, {Status: "all"}, {Status: StatusSuspended}, {Status: StatusLeft}, {Category: CategoryProbationary},
		{Gender: "2"}, {Mobile: &yes}, {LostContact: &no}, {Education: "1"}, {Education: "6", Status: "all"},
		{Category: CategoryFull, Gender: "1", Education: "2"}}
	for _, b := range AgeBands {
		fs = append(fs, ListFilter{AgeBand: b.Code}, ListFilter{AgeBand: b.Code, Status: "all", Education: "2"})
	}
	fs = append(fs, ListFilter{AgeBand: "36-40", Gender: "2", Mobile: &no, Sort: "-org"}, ListFilter{AgeBand: ">=71", Sort: "org"})
	return fs
}()

type rollupWorld struct {
	*world
	gb, c1, c2, gb1, top *org.Org // a 党总支 with two branches, a branch directly under the root
	seq                  int
}

func newRollupWorld(t *testing.T, d *db.DB) *rollupWorld {
	w := &rollupWorld{world: newWorld(t, d), seq: 200}
	mk := func(code, name string, typ org.Type, parent *org.Org) *org.Org {
		o, err := w.orgs.Create(w.sys, org.CreateInput{Code: code, Name: name, Type: typ, UnitType: org.UnitInstitution, ParentID: parent.ID})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	w.gb = mk("BG", "中共某医院总支部委员会", org.TypeGeneralBranch, w.b)
	w.c1 = mk("BG1", "中共某医院第一支部委员会", org.TypeBranch, w.gb)
	w.c2 = mk("BG2", "中共某医院第二支部委员会", org.TypeBranch, w.gb)
	w.top = mk("T1", "中共某区直机关支部委员会", org.TypeBranch, w.root)
	return w
}

// add creates a member born on birth with the given variations.
func (w *rollupWorld) add(t *testing.T, birth civil.Date, o *org.Org, vary int) int64 {
	t.Helper()
	w.seq++
	in := person(fmt.Sprintf("党员%03d", w.seq), birth, w.seq%1000, o)
	in.Education = []string{"11", "21", "31", "41", "47", "61", "71", "90", "14"}[vary%9]
	in.Job = []string{"011", "0164", "021", "0253", "113", "3", "4", "5", ""}[vary%9]
	in.Ethnicity = []string{"01", "03", "15", "56", "97", "01"}[vary%6]
	joined := []civil.Date{civil.New(1945, 9, 2), civil.New(1945, 9, 3), civil.New(1978, 12, 31), civil.New(1979, 1, 1),
		civil.New(2002, 10, 31), civil.New(2002, 11, 1), civil.New(2012, 10, 31), civil.New(2012, 11, 1)}[vary%8]
	adult := birth.AddDate(18, 0, 0)
	if joined.Before(adult) {
		joined = adult
	}
	in.JoinedOn, in.FullOn = joined, joined.AddDate(1, 0, 0)
	if vary%5 == 0 || in.FullOn.After(today) {
		in.JoinedOn, in.FullOn = today.AddDate(0, -3, 0), civil.Date{}
		if in.JoinedOn.Before(adult) {
			in.JoinedOn = adult
		}
	}
	in.Mobile = vary%7 == 3
	if vary%11 == 4 {
		in.LostContact, in.LostOn, in.LostSituation = true, today.AddDate(0, -1, 0), "1"
	}
	ctx := w.sys
	m, err := w.s.Create(ctx, in)
	if err != nil {
		t.Fatalf("create born %s: %v", birth, err)
	}
	return m.ID
}

// check compares everything with the recount on the given days.
func (w *rollupWorld) check(t *testing.T, when string, days ...civil.Date) {
	t.Helper()
	ms := recountRows(t, w.d)
	codes, err := w.s.Codes(w.sys)
	if err != nil {
		t.Fatal(err)
	}
	var nodes []*org.Org
	rows, err := w.d.Query(context.Background(), `SELECT id, path, name FROM orgs ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var o org.Org
		rows.Scan(&o.ID, &o.Path, &o.Name)
		nodes = append(nodes, &o)
	}
	rows.Close()
	defer func(f func() civil.Date) { w.s.Today = f }(w.s.Today)
	for _, day := range days {
		w.s.Today = func() civil.Date { return day }
		for _, o := range append([]*org.Org{nil}, nodes...) {
			id, path, name := int64(0), "", "（全部）"
			if o != nil {
				id, path, name = o.ID, o.Path, o.Name
			}
			got, err := w.s.Stats(w.sys, id, w.orgs)
			if err != nil {
				t.Fatalf("%s, %s, %s: stats: %v", when, day, name, err)
			}
			want := recountStats(ms, path, day, codes)
			got.OrgID, got.Today, got.Orgs = 0, civil.Date{}, nil
			if fmt.Sprint(*got) != fmt.Sprint(want) {
				t.Fatalf("%s, %s, %s: stats\n got  %v\n want %v", when, day, name, *got, want)
			}
			for fi, f := range rollupFilters {
				if day != days[0] && f.AgeBand == "" {
					continue // only ages move with the calendar
				}
				f.Under = id
				n := 0
				for _, m := range ms {
					if strings.HasPrefix(m.path, path) && recountMatches(m, f, day) {
						n++
					}
				}
				l, err := w.s.List(w.sys, f, api.Paging{Page: 1, Size: 4})
				if err != nil {
					t.Fatalf("%s, %s, %s: list %+v: %v", when, day, name, f, err)
				}
				if l.Total != n {
					t.Fatalf("%s, %s, %s: list %+v: total %d, recount %d", when, day, name, f, l.Total, n)
				}
				if day == days[0] && (fi%4 == 0 || f.Sort != "") {
					w.checkPages(t, f, n, fmt.Sprintf("%s, %s, %+v", when, name, f))
				}
			}
		}
	}
	w.checkRebuild(t, when)
}

// checkPages compares every page of the roster with the plain query's (one big sorted query).
func (w *rollupWorld) checkPages(t *testing.T, f ListFilter, total int, what string) {
	t.Helper()
	cond, args, err := w.s.where(w.sys, f)
	if err != nil {
		t.Fatal(err)
	}
	order, _ := orderBy(f.Sort)
	rows, err := w.d.Query(context.Background(), `SELECT m.id FROM members m JOIN orgs o ON o.id = m.org_id WHERE `+cond+` ORDER BY `+order, args...)
	if err != nil {
		t.Fatal(err)
	}
	var want []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		want = append(want, id)
	}
	rows.Close()
	if len(want) != total {
		t.Fatalf("%s: plain query %d rows, recount %d", what, len(want), total)
	}
	var got []int64
	for p := 1; p <= total/3+2; p++ {
		l, err := w.s.List(w.sys, f, api.Paging{Page: p, Size: 3})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range l.Items {
			got = append(got, m.ID)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%s: pages\n got  %v\n want %v", what, got, want)
	}
}

// checkRebuild compares the roll-up tables with a rebuild from scratch (rows of zero aside).
func (w *rollupWorld) checkRebuild(t *testing.T, when string) {
	t.Helper()
	snap := func() map[string]int64 {
		out := map[string]int64{}
		for _, q := range []string{
			`SELECT 'm', org_id, status || '/' || edu || '/' || gender || '/' || CAST(is_full AS TEXT) || '/' || CAST(mobile AS TEXT) || '/' || CAST(lost AS TEXT) || '/' || CAST(birth_ym AS TEXT), n FROM member_rollup WHERE n <> 0`,
			`SELECT 'd', org_id, dim || '/' || val, n FROM member_rollup_dims WHERE n <> 0`,
			`SELECT 'o', org_id, type || '/' || status, n FROM org_rollup WHERE n <> 0`,
		} {
			rows, err := w.d.Query(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var kind, key string
				var id, n int64
				rows.Scan(&kind, &id, &key, &n)
				out[fmt.Sprintf("%s %d %s", kind, id, key)] = n
			}
			rows.Close()
		}
		return out
	}
	before := snap()
	if err := w.d.InTx(context.Background(), func(tx *db.Tx) error {
		if err := org.RebuildRollups(context.Background(), tx, "members"); err != nil {
			return err
		}
		return org.RebuildRollups(context.Background(), tx, "orgs")
	}); err != nil {
		t.Fatal(err)
	}
	after := snap()
	if !maps.Equal(before, after) {
		for k, v := range after {
			if before[k] != v {
				t.Errorf("%s: rebuild %s = %d, kept by triggers %d", when, k, v, before[k])
			}
		}
		for k, v := range before {
			if _, ok := after[k]; !ok {
				t.Errorf("%s: triggers kept %s = %d, rebuild has none", when, k, v)
			}
		}
		t.FailNow()
	}
}

func TestRollupsMatchRecount(t *testing.T) {
	defer func(n int) { listChunk = n }(listChunk)
	listChunk = 1 // walk the 支部 one at a time, so that chunking and skipping are exercised
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newRollupWorld(t, d)
		branches := []*org.Org{w.a1, w.a2, w.b1, w.c1, w.c2, w.top}
		vary := 0
		for _, n := range []int{0, 18, 31, 36, 41, 46, 51, 56, 61, 66, 71, 85} {
			d := yearsBefore(today, n)
			for _, b := range []civil.Date{d.AddDate(0, 0, -1), d, d.AddDate(0, 0, 1), firstOf(d), firstOf(d).AddDate(0, 0, -1), firstOf(d).AddDate(0, 1, -1)} {
				if n == 0 || b.After(today.AddDate(-18, 0, 0)) {
					continue
				}
				w.add(t, b, branches[vary%len(branches)], vary)
				vary++
			}
		}
		for _, b := range []civil.Date{civil.New(1992, 2, 29), civil.New(1996, 2, 29), civil.New(1956, 2, 29), civil.New(1991, 3, 1)} {
			w.add(t, b, branches[vary%len(branches)], vary)
			vary++
		}
		ids := recountRows(t, d)
		if len(ids) < 60 {
			t.Fatalf("fixture has %d members", len(ids))
		}
		days := []civil.Date{today, today.AddDate(0, 0, -1), today.AddDate(0, 0, 1), firstOf(today), firstOf(today).AddDate(0, 1, -1),
			civil.New(2027, 1, 1), civil.New(2027, 2, 28), civil.New(2028, 2, 29), civil.New(2028, 3, 1)}
		w.check(t, "created", days...)

		// Status changes: suspend, expel, death, and back to normal.
		for i, to := range []Status{StatusSuspended, StatusLeft, StatusDeceased, StatusSuspended, StatusSuspended} {
			setStatus(t, w.world, w.sys, ids[i*7].id, to, today)
		}
		setStatus(t, w.world, w.sys, ids[21].id, StatusNormal, today)
		w.check(t, "status", today, civil.New(2027, 2, 28))

		// Updates of the counted fields: a new 公民身份号码 (birth date and sex with it),
		// education, job, 民族, becoming full, mobile, lost contact.
		up := func(id int64, p Patch) {
			t.Helper()
			cur, err := w.s.Get(w.sys, id, false)
			if err != nil {
				t.Fatal(err)
			}
			p.Version = cur.Version
			if _, err := w.s.Update(w.sys, id, p); err != nil {
				t.Fatalf("update %d (born %s, joined %s) with %+v: %v", id, cur.BirthDate, cur.JoinedOn, p, err)
			}
		}
		newID := idFor(yearsBefore(today, 36), 998) // turns 36 today: a woman (even sequence)
		up(ids[1].id, Patch{IDNumber: &newID, JoinedOn: ptr(today.AddDate(-2, 0, 0)), FullOn: ptr(today.AddDate(-1, 0, 0))})
		up(ids[2].id, Patch{Education: ptr("14"), Job: ptr("0253"), Ethnicity: ptr("05")})
		full := today.AddDate(0, 0, -1)
		for _, m := range ids {
			if !m.full && m.status == string(StatusNormal) && Age(m.birth, today) > 30 {
				up(m.id, Patch{JoinedOn: ptr(today.AddDate(-1, 0, -2)), FullOn: &full})
				break
			}
		}
		up(ids[3].id, Patch{Mobile: ptr(true), MobileTo: ptr("广东省深圳市")})
		up(ids[4].id, Patch{LostContact: ptr(true), LostOn: ptr(today.AddDate(0, -2, 0)), LostSituation: ptr("6")})
		w.check(t, "update", today, today.AddDate(0, 0, 1))

		// Moves between subtrees (支部 of 街道 A to the 党总支 under B and to the root's own 支部).
		if _, err := w.s.Move(w.sys, []int64{ids[5].id, ids[6].id, ids[8].id}, w.c2.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.Move(w.sys, []int64{ids[9].id}, w.top.ID); err != nil {
			t.Fatal(err)
		}
		w.check(t, "move", today)

		// Import: two new members, one changed (education, moved to another 支部), one unchanged.
		rows := []ImportRow{
			{Row: 2, Org: "BG1", Input: person("导入甲", civil.New(1990, 6, 15), 301, w.c1)},
			{Row: 3, Org: "A2", Input: person("导入乙", yearsBefore(today, 41), 302, w.a2)},
		}
		ex, err := w.s.Get(w.sys, ids[10].id, true)
		if err != nil {
			t.Fatal(err)
		}
		changedIn := Input{Name: ex.Name, IDNumber: ex.IDNumber, Ethnicity: ex.Ethnicity, Education: "90", JoinedOn: ex.JoinedOn,
			FullOn: ex.FullOn, Job: ex.Job, Phone: ex.Phone, Address: ex.Address, Mobile: ex.Mobile, MobileTo: ex.MobileTo,
			LostContact: ex.LostContact, LostOn: ex.LostOn, LostSituation: ex.LostSituation}
		rows = append(rows, ImportRow{Row: 4, Org: "B1", Input: changedIn})
		for i := range rows {
			rows[i].Input.OrgID = 0
		}
		res, err := w.s.Import(w.sys, w.root.ID, rows)
		if err != nil || len(res.Errors) > 0 || res.Created != 2 || res.Updated != 1 {
			t.Fatalf("import: %+v %v", res, err)
		}
		w.check(t, "import", today, civil.New(2027, 1, 1))

		// A whole subtree moves: the 社区党委 from 街道 A to 街道 B.
		if _, err := w.orgs.Move(w.sys, w.community.ID, org.MoveInput{ParentID: w.b.ID}); err != nil {
			t.Fatal(err)
		}
		w.check(t, "org move", today)

		// A bulk load adds members with the triggers off and rebuilds the roll-ups.
		i := 0
		if _, err := w.s.BulkLoad(w.sys, func() (*Input, error) {
			if i == 40 {
				return nil, nil
			}
			i++
			in := person(fmt.Sprintf("批量%02d", i), yearsBefore(today, 30+i).AddDate(0, 0, i%3-1), 400+i, branches[i%len(branches)])
			in.Education = []string{"11", "31", "61", "71"}[i%4]
			return &in, nil
		}); err != nil {
			t.Fatal(err)
		}
		w.check(t, "bulk load", today, civil.New(2028, 2, 29))
	})
}

// A scoped caller's statistics and roster over several subtrees add the roll-ups of each.
func TestRollupsScopedAndSelf(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newRollupWorld(t, d)
		for i, o := range []*org.Org{w.a1, w.a2, w.b1, w.c1, w.top} {
			w.add(t, civil.New(1970+i, time.Month(1+i), 10), o, i)
		}
		two := access.With(context.Background(), &access.Principal{UserID: 7, Username: "two", Grants: []access.Grant{
			{Role: "org-viewer", OrgID: w.community.ID, OrgPath: w.community.Path}, {Role: "org-viewer", OrgID: w.top.ID, OrgPath: w.top.Path}}})
		st, err := w.s.Stats(two, 0, w.orgs)
		if err != nil || st.Total != 3 {
			t.Fatalf("stats over a 社区党委 and a 支部: %+v %v", st, err)
		}
		l, err := w.s.List(two, ListFilter{}, api.Paging{Page: 1, Size: 10})
		if err != nil || l.Total != 3 || len(l.Items) != 3 {
			t.Fatalf("roster over two subtrees: %d %d %v", l.Total, len(l.Items), err)
		}
		if st.Orgs[0].Code != string(org.TypeCommittee) || st.Orgs[0].Count != 1 {
			t.Errorf("org counts %+v", st.Orgs)
		}
	})
}
