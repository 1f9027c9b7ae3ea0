package member

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/org"
)

// Counting at scale. The structure statistics and the roster's total of a node with millions
// of members in its subtree are not counted row by row: they are read from the roll-ups
// (migration 0005) that each 党委, 党工委, 党组 and 党总支 keeps for its whole subtree, updated by
// triggers in the transaction of every member write. A 支部's members are few, so a subtree
// rooted at a 支部 (or 党小组) is counted directly from members; a count over several subtrees
// adds the two.
//
// Ages move with the calendar, so a roll-up cannot hold age bands. It holds birth months
// (birth_ym = year*100 + month) instead, and "age >= n on day T" — birth_date <= D with
// D = yearsBefore(T, n), exactly as Age and ageCond define it — is
//
//	(members born in the months before D's month, from the roll-up)
//	+ (members born from the first of D's month to D itself, counted from members_birth).
//
// The second term scans at most one calendar month of births of the whole database through an
// index led by birth_date, whatever the node; it is what makes the figures exact on every day
// of the year rather than right to the month.

// node is the root of one subtree a count covers.
type node struct {
	id     int64
	path   string
	rolled bool // keeps roll-ups (org.HasRollup)
}

// subtrees is the set of members a count covers: every member (all, with the roots of the
// whole tree), or those under roots (disjoint subtrees).
type subtrees struct {
	all   bool
	nodes []node
}

func (t subtrees) rolled() []int64 {
	var ids []int64
	for _, n := range t.nodes {
		if n.rolled {
			ids = append(ids, n.id)
		}
	}
	return ids
}

func (t subtrees) direct() []string {
	var paths []string
	for _, n := range t.nodes {
		if !n.rolled {
			paths = append(paths, n.path)
		}
	}
	return paths
}

// resolveSubtrees returns the subtrees of under (0: the caller's whole org.read scope), checked
// against the caller's scope.
func (s *Store) resolveSubtrees(ctx context.Context, under int64) (subtrees, error) {
	var t subtrees
	var rows *sql.Rows
	var err error
	switch paths, all := access.Roots(ctx, access.OrgRead); {
	case under != 0:
		var n node
		var typ org.Type
		err := s.db.QueryRow(ctx, `SELECT id, path, type FROM orgs WHERE id = ?`, under).Scan(&n.id, &n.path, &typ)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !access.Covers(ctx, access.OrgRead, n.path)) {
			return t, api.NotFound("组织不存在，或不在您的管理范围内")
		}
		if err != nil {
			return t, err
		}
		n.rolled = org.HasRollup(typ)
		t.nodes = []node{n}
		return t, nil
	case all:
		t.all = true
		rows, err = s.db.Query(ctx, `SELECT id, path, type FROM orgs WHERE parent_id IS NULL ORDER BY id`)
	case len(paths) == 0:
		return t, nil
	default:
		ids := make([]string, len(paths))
		for i, p := range paths {
			ids[i] = lastID(p)
		}
		// ids are integers taken from paths, so inlining them is safe.
		rows, err = s.db.Query(ctx, `SELECT id, path, type FROM orgs WHERE id IN (`+strings.Join(ids, ",")+`) ORDER BY id`)
	}
	if err != nil {
		return t, err
	}
	defer rows.Close()
	for rows.Next() {
		var n node
		var typ org.Type
		if err := rows.Scan(&n.id, &n.path, &typ); err != nil {
			return t, err
		}
		n.rolled = org.HasRollup(typ)
		t.nodes = append(t.nodes, n)
	}
	return t, rows.Err()
}

// lastID is the id of the organisation at path ('/1/5/23/' → "23"), "0" if there is none.
func lastID(path string) string {
	p := strings.Trim(path, "/")
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		p = p[i+1:]
	}
	if _, err := strconv.ParseInt(p, 10, 64); err != nil {
		return "0"
	}
	return p
}

// pathsCond is "m.org_path lies in one of paths" (never empty: "1=0" for none).
func (s *Store) pathsCond(paths []string) (string, []any) {
	if len(paths) == 0 {
		return "1=0", nil
	}
	var parts []string
	var args []any
	for _, p := range paths {
		c, a := s.prefix("m.org_path", p)
		parts = append(parts, "("+c+")")
		args = append(args, a...)
	}
	return "(" + strings.Join(parts, " OR ") + ")", args
}

// rolledCond is the condition on m.org_path for the members the roll-ups of t count, for the
// partial-month corrections; "" when that is every member.
func (s *Store) rolledCond(t subtrees) (string, []any) {
	if t.all && len(t.direct()) == 0 {
		return "", nil
	}
	var paths []string
	for _, n := range t.nodes {
		if n.rolled {
			paths = append(paths, n.path)
		}
	}
	return s.pathsCond(paths)
}

// birthIndex forces the birth-date index on SQLite (whose planner, without statistics, would
// rather walk the org_path index of a large subtree).
func (s *Store) birthIndex() string {
	if s.db.Dialect == db.SQLite {
		return " INDEXED BY members_birth"
	}
	return ""
}

// pathIndex forces the org_path index on SQLite for the row-by-row counts of small subtrees
// (a birth-date filter would otherwise tempt the planner into members_birth).
func (s *Store) pathIndex() string {
	if s.db.Dialect == db.SQLite {
		return " INDEXED BY members_path_status"
	}
	return ""
}

// monthOf is birth_ym of d; firstOf the first day of d's month.
func monthOf(d civil.Date) int { t := d.Time(); return t.Year()*100 + int(t.Month()) }

func firstOf(d civil.Date) civil.Date { t := d.Time(); return civil.New(t.Year(), t.Month(), 1) }

// keyFilter is a roster filter as conditions on the roll-up's key (rollCond) and the same
// conditions on members (memCond, for the partial-month corrections).
type keyFilter struct {
	ok                bool // false: the filter needs a row-by-row count (a search by name or number)
	band              *AgeBand
	rollCond, memCond []string
	rollArgs, memArgs []any
}

func (k *keyFilter) add(roll string, rollArgs []any, mem string, memArgs []any) {
	k.rollCond, k.memCond = append(k.rollCond, roll), append(k.memCond, mem)
	k.rollArgs, k.memArgs = append(k.rollArgs, rollArgs...), append(k.memArgs, memArgs...)
}

// keyFilterOf maps f (already validated by where) to roll-up conditions.
func keyFilterOf(f ListFilter) keyFilter {
	k := keyFilter{ok: strings.TrimSpace(f.Q) == ""}
	switch f.Status {
	case "":
		k.add("status IN ('normal', 'suspended')", nil, "m.status IN ('normal', 'suspended')", nil)
	case "all":
	default:
		k.add("status = ?", []any{f.Status}, "m.status = ?", []any{f.Status})
	}
	switch f.Category {
	case CategoryFull:
		k.add("is_full = ?", []any{true}, "m.full_on IS NOT NULL", nil)
	case CategoryProbationary:
		k.add("is_full = ?", []any{false}, "m.full_on IS NULL", nil)
	}
	if f.Education != "" {
		k.add("edu = ?", []any{f.Education}, eduBucketSQL+" = ?", []any{f.Education})
	}
	if f.Gender != "" {
		g, _ := DefaultCodes.Lookup(KindGender, f.Gender)
		k.add("gender = ?", []any{g}, "m.gender = ?", []any{g})
	}
	if f.Mobile != nil {
		k.add("mobile = ?", []any{*f.Mobile}, "m.mobile = ?", []any{*f.Mobile})
	}
	if f.LostContact != nil {
		k.add("lost = ?", []any{*f.LostContact}, "m.lost_contact = ?", []any{*f.LostContact})
	}
	for _, b := range AgeBands {
		if b.Code == f.AgeBand {
			b := b
			k.band = &b
		}
	}
	return k
}

// rolledTotal is the number of members of the rolled-up subtrees of t matching k.
func (s *Store) rolledTotal(ctx context.Context, t subtrees, k keyFilter) (int, error) {
	ids := t.rolled()
	if len(ids) == 0 {
		return 0, nil
	}
	cond := "org_id IN (" + idList(ids) + ")"
	if len(k.rollCond) > 0 {
		cond += " AND " + strings.Join(k.rollCond, " AND ")
	}
	args := append([]any{}, k.rollArgs...)
	var corrections []civil.Date // thresholds D: + members born in [first of D's month, D]
	var minus []civil.Date       // thresholds subtracted
	if b := k.band; b != nil {
		today := s.Today()
		lo := yearsBefore(today, b.Lo)
		cond += " AND birth_ym < ?"
		args = append(args, monthOf(lo))
		corrections = append(corrections, lo)
		if b.Hi >= 0 {
			hi := yearsBefore(today, b.Hi+1)
			cond += " AND birth_ym >= ?"
			args = append(args, monthOf(hi))
			minus = append(minus, hi)
		}
	}
	var n int64
	if err := s.db.QueryRow(ctx, `SELECT COALESCE(CAST(SUM(n) AS BIGINT), 0) FROM member_rollup WHERE `+cond, args...).Scan(&n); err != nil {
		return 0, err
	}
	if len(corrections)+len(minus) == 0 {
		return int(n), nil
	}
	memCond := strings.Join(k.memCond, " AND ")
	if memCond == "" {
		memCond = "1=1"
	}
	pc, pa := s.rolledCond(t)
	if pc != "" {
		memCond += " AND " + pc
	}
	memArgs := append(append([]any{}, k.memArgs...), pa...)
	count := func(d civil.Date) (int64, error) {
		var c int64
		err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM members m`+s.birthIndex()+` WHERE m.birth_date >= ? AND m.birth_date <= ? AND `+memCond,
			append([]any{firstOf(d), d}, memArgs...)...).Scan(&c)
		return c, err
	}
	for _, d := range corrections {
		c, err := count(d)
		if err != nil {
			return 0, err
		}
		n += c
	}
	for _, d := range minus {
		c, err := count(d)
		if err != nil {
			return 0, err
		}
		n -= c
	}
	return int(n), nil
}

// tally is the structure of a set of members, as Stats reports it (党籍状态正常 unless said).
type tally struct {
	total, full, prob, female, mobile, lost, suspended, under35 int
	bands                                                       []int
	edu, job, joined, eth                                       map[string]int
}

func newTally() *tally {
	return &tally{bands: make([]int, len(AgeBands)), edu: map[string]int{}, job: map[string]int{}, joined: map[string]int{}, eth: map[string]int{}}
}

// thresholds are the dates D_n = yearsBefore(today, n) of the age bands' edges, with n: 0 (born
// by today), each band's Lo, and 36 (for 35岁及以下).
func thresholds(today civil.Date) map[int]civil.Date {
	out := map[int]civil.Date{0: today, 36: yearsBefore(today, 36)}
	for _, b := range AgeBands {
		out[b.Lo] = yearsBefore(today, b.Lo)
		if b.Hi >= 0 {
			out[b.Hi+1] = yearsBefore(today, b.Hi+1)
		}
	}
	return out
}

// rolledTally adds the members of the rolled-up subtrees of t to tl.
func (s *Store) rolledTally(ctx context.Context, t subtrees, tl *tally) error {
	ids := t.rolled()
	if len(ids) == 0 {
		return nil
	}
	in := "org_id IN (" + idList(ids) + ")"
	rows, err := s.db.Query(ctx, `SELECT status, edu, gender, is_full, mobile, lost, CAST(SUM(n) AS BIGINT) FROM member_rollup
		WHERE `+in+` AND status IN ('normal', 'suspended') GROUP BY status, edu, gender, is_full, mobile, lost`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var status, edu, gender string
		var full, mobile, lost bool
		var n int
		if err := rows.Scan(&status, &edu, &gender, &full, &mobile, &lost, &n); err != nil {
			rows.Close()
			return err
		}
		if status != string(StatusNormal) {
			tl.suspended += n
			continue
		}
		tl.total += n
		if full {
			tl.full += n
		} else {
			tl.prob += n
		}
		if gender == "2" {
			tl.female += n
		}
		if mobile {
			tl.mobile += n
		}
		if lost {
			tl.lost += n
		}
		tl.edu[edu] += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// Birth months of the normal members → "age >= n" for every band edge.
	rows, err = s.db.Query(ctx, `SELECT birth_ym, CAST(SUM(n) AS BIGINT) FROM member_rollup WHERE `+in+` AND status = 'normal' GROUP BY birth_ym`)
	if err != nil {
		return err
	}
	byMonth := map[int]int{}
	for rows.Next() {
		var ym, n int
		if err := rows.Scan(&ym, &n); err != nil {
			rows.Close()
			return err
		}
		byMonth[ym] += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	th := thresholds(s.Today())
	cdf := map[int]int{} // n → members born on or before D_n
	var parts []string
	var args []any
	pc, pa := s.rolledCond(t)
	if pc != "" {
		pc = " AND " + pc
	}
	for n, d := range th {
		m := monthOf(d)
		for ym, c := range byMonth {
			if ym < m {
				cdf[n] += c
			}
		}
		parts = append(parts, `SELECT `+strconv.Itoa(n)+`, COUNT(*) FROM members m`+s.birthIndex()+
			` WHERE m.birth_date >= ? AND m.birth_date <= ? AND m.status = 'normal'`+pc)
		args = append(append(args, firstOf(d), d), pa...)
	}
	rows, err = s.db.Query(ctx, strings.Join(parts, " UNION ALL "), args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var n, c int
		if err := rows.Scan(&n, &c); err != nil {
			rows.Close()
			return err
		}
		cdf[n] += c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for i, b := range AgeBands {
		v := cdf[b.Lo]
		if b.Hi >= 0 {
			v -= cdf[b.Hi+1]
		}
		tl.bands[i] += v
	}
	// Born after D_36 (35 or younger; like the row-by-row count, a date in the future counts too).
	tl.under35 += rolledNormal(byMonth) - cdf[36]
	rows, err = s.db.Query(ctx, `SELECT dim, val, CAST(SUM(n) AS BIGINT) FROM member_rollup_dims WHERE `+in+` GROUP BY dim, val`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var dim, val string
		var n int
		if err := rows.Scan(&dim, &val, &n); err != nil {
			return err
		}
		switch dim {
		case "job":
			tl.job[val] += n
		case "joined":
			tl.joined[val] += n
		case "eth":
			tl.eth[val] += n
		}
	}
	return rows.Err()
}

func rolledNormal(byMonth map[int]int) int {
	n := 0
	for _, c := range byMonth {
		n += c
	}
	return n
}

// joinedPeriodSQL is the 入党时间 group (JoinedPeriods code) of m.joined_on, with its arguments.
func joinedPeriodSQL() (string, []any) {
	var b strings.Builder
	var args []any
	b.WriteString("CASE")
	for _, p := range JoinedPeriods {
		if p.To.IsZero() {
			continue
		}
		b.WriteString(" WHEN m.joined_on <= ? THEN '" + p.Code + "'")
		args = append(args, p.To)
	}
	b.WriteString(" ELSE '" + JoinedPeriods[len(JoinedPeriods)-1].Code + "' END")
	return b.String(), args
}

// directTally adds the members under paths (small subtrees: 支部) to tl, counted row by row.
func (s *Store) directTally(ctx context.Context, paths []string, tl *tally) error {
	if len(paths) == 0 {
		return nil
	}
	today := s.Today()
	// The age band: -1 born after today, 0 … len(AgeBands)-1.
	band := "CASE WHEN m.birth_date > ? THEN -1"
	bandArgs := []any{today}
	for i, b := range AgeBands {
		if b.Hi < 0 {
			band += " ELSE " + strconv.Itoa(i) + " END"
			break
		}
		band += " WHEN m.birth_date > ? THEN " + strconv.Itoa(i)
		bandArgs = append(bandArgs, yearsBefore(today, b.Hi+1))
	}
	under35 := "CASE WHEN m.birth_date > ? THEN 1 ELSE 0 END"
	period, periodArgs := joinedPeriodSQL()
	cond, args := s.pathsCond(paths)
	q := `SELECT m.status, ` + eduBucketSQL + `, m.gender, CASE WHEN m.full_on IS NULL THEN 0 ELSE 1 END, m.mobile, m.lost_contact, m.job, ` +
		period + `, m.ethnicity, ` + band + `, ` + under35 + `, COUNT(*)
		FROM members m` + s.pathIndex() + ` WHERE ` + cond + ` AND m.status IN ('normal', 'suspended') GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11`
	all := append(append(append(periodArgs, bandArgs...), yearsBefore(today, 36)), args...)
	rows, err := s.db.Query(ctx, q, all...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var status, edu, gender, job, joined, eth string
		var full, bandIdx, young, n int
		var mobile, lost bool
		if err := rows.Scan(&status, &edu, &gender, &full, &mobile, &lost, &job, &joined, &eth, &bandIdx, &young, &n); err != nil {
			return err
		}
		if status != string(StatusNormal) {
			tl.suspended += n
			continue
		}
		tl.total += n
		if full == 1 {
			tl.full += n
		} else {
			tl.prob += n
		}
		if gender == "2" {
			tl.female += n
		}
		if mobile {
			tl.mobile += n
		}
		if lost {
			tl.lost += n
		}
		tl.edu[edu] += n
		tl.job[job] += n
		tl.joined[joined] += n
		tl.eth[eth] += n
		if bandIdx >= 0 {
			tl.bands[bandIdx] += n
		}
		tl.under35 += young * n
	}
	return rows.Err()
}

// directTotal counts the members under paths matching cond (the roster's own WHERE clause).
func (s *Store) directTotal(ctx context.Context, paths []string, cond string, args []any) (int, error) {
	if len(paths) == 0 {
		return 0, nil
	}
	pc, pa := s.pathsCond(paths)
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM members m`+s.pathIndex()+` WHERE `+cond+` AND `+pc, append(append([]any{}, args...), pa...)...).Scan(&n)
	return n, err
}

// idList formats ids for an IN list (integers we format ourselves, so inlining them is safe).
func idList(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}
