package member

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
)

// AgeBand is one age group of the statistics (ages in whole years on the day of the query).
type AgeBand struct {
	Code, Name string
	Lo, Hi     int // Hi < 0: open-ended
}

// AgeBands are the 党内统计 age groups.
var AgeBands = []AgeBand{
	{"<=30", "30岁及以下", 0, 30}, {"31-35", "31至35岁", 31, 35}, {"36-40", "36至40岁", 36, 40},
	{"41-45", "41至45岁", 41, 45}, {"46-50", "46至50岁", 46, 50}, {"51-55", "51至55岁", 51, 55},
	{"56-60", "56至60岁", 56, 60}, {"61-65", "61至65岁", 61, 65}, {"66-70", "66至70岁", 66, 70},
	{">=71", "71岁及以上", 71, -1},
}

// yearsBefore is the latest birth date of someone n years old on day t (29 February clamps to
// the 28th), so that "age ≥ n" is "birth_date ≤ yearsBefore(t, n)", exactly like Age.
func yearsBefore(t civil.Date, n int) civil.Date {
	tt := t.Time()
	y, m, d := tt.Year()-n, tt.Month(), tt.Day()
	if m == 2 && d == 29 && !(y%4 == 0 && (y%100 != 0 || y%400 == 0)) {
		d = 28
	}
	return civil.New(y, m, d)
}

// ageCond is the SQL condition (on m.birth_date) for an age band on day today.
func ageCond(b AgeBand, today civil.Date) (string, []any) {
	cond, args := "m.birth_date <= ?", []any{yearsBefore(today, b.Lo)}
	if b.Hi >= 0 {
		cond += " AND m.birth_date > ?"
		args = append(args, yearsBefore(today, b.Hi+1))
	}
	return cond, args
}

// orgPath returns the path of an organisation the caller may read.
func orgPath(ctx context.Context, q db.Querier, id int64) (string, error) {
	var path string
	err := q.QueryRow(ctx, `SELECT path FROM orgs WHERE id = ?`, id).Scan(&path)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !access.Covers(ctx, access.OrgRead, path)) {
		return "", api.NotFound("组织不存在，或不在您的管理范围内")
	}
	return path, err
}

// prefix is the condition "col lies in the subtree at path". PostgreSQL answers LIKE 'p%' from
// the text_pattern_ops index; SQLite's LIKE is case-insensitive and cannot use a BINARY index,
// so there it is the equivalent range [p, p with its final '/' replaced by '0') — paths are
// digits and slashes, and '/' sorts just before '0'.
func (s *Store) prefix(col, path string) (string, []any) {
	if s.db.Dialect == db.SQLite && strings.HasSuffix(path, "/") {
		return col + " >= ? AND " + col + " < ?", []any{path, path[:len(path)-1] + "0"}
	}
	return col + " LIKE ?", []any{path + "%"}
}

// scope is access.Filter on col, plus (on SQLite, for a single subtree) the same subtree as an
// index range so the query searches the org_path index instead of scanning it.
func (s *Store) scope(ctx context.Context, col string, perms ...access.Perm) (string, []any) {
	cond, args := access.Filter(ctx, col, perms...)
	if s.db.Dialect == db.SQLite {
		if paths, all := access.Roots(ctx, perms...); !all && len(paths) == 1 {
			c, a := s.prefix(col, paths[0])
			cond, args = cond+" AND "+c, append(args, a...)
		}
	}
	return cond, args
}

// where builds the WHERE clause of a roster: scope, subtree and filters.
func (s *Store) where(ctx context.Context, f ListFilter) (string, []any, error) {
	// With a subtree asked for, its own range is the one the org_path index should search:
	// the scope stays as a filter only (a second, wider range would win the index otherwise).
	var cond string
	var args []any
	if f.Under != 0 {
		cond, args = access.Filter(ctx, "m.org_path", access.OrgRead)
	} else {
		cond, args = s.scope(ctx, "m.org_path", access.OrgRead)
	}
	if p := access.From(ctx); p != nil && p.UserID != 0 && p.Can(access.SelfRead) {
		cond = "(" + cond + " OR m.user_id = ?)"
		args = append(args, p.UserID)
	}
	add := func(c string, a ...any) {
		cond += " AND " + c
		args = append(args, a...)
	}
	if f.Under != 0 {
		path, err := orgPath(ctx, s.db, f.Under)
		if err != nil {
			return "", nil, err
		}
		c, a := s.prefix("m.org_path", path)
		add(c, a...)
	}
	fc, fa, err := s.filters(f)
	if err != nil {
		return "", nil, err
	}
	return cond + fc, append(args, fa...), nil
}

// filters is the part of where that does not depend on who asks or where: " AND …" for
// each filter of f (the walk of listByOrg has the subtree and the scope already).
func (s *Store) filters(f ListFilter) (string, []any, error) {
	var cond string
	var args []any
	add := func(c string, a ...any) {
		cond += " AND " + c
		args = append(args, a...)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		// A full 公民身份号码 or phone number matches exactly through its keyed hash; no row is
		// decrypted to search.
		idHash, phoneHash := s.key.Hash(NormalizeID(q)), "-"
		if p := NormalizePhone(q); p != "" {
			phoneHash = s.key.Hash(p)
		}
		add("(m.name LIKE ? OR m.id_hash = ? OR m.phone_hash = ?)", "%"+q+"%", idHash, phoneHash)
	}
	switch f.Category {
	case "":
	case CategoryFull:
		add("m.full_on IS NOT NULL")
	case CategoryProbationary:
		add("m.full_on IS NULL")
	default:
		return "", nil, api.FieldInvalid("category", "人员类别应为 full（正式党员）或 probationary（预备党员）")
	}
	switch f.Status {
	case "":
		add("m.status IN ('normal', 'suspended')")
	case "all":
	default:
		if !DefaultCodes.Valid(KindStatus, string(f.Status)) {
			return "", nil, api.FieldInvalid("status", "党籍状态应为 normal、suspended、left、deceased 或 all")
		}
		add("m.status = ?", f.Status)
	}
	if f.AgeBand != "" {
		found := false
		for _, b := range AgeBands {
			if b.Code == f.AgeBand {
				c, a := ageCond(b, s.Today())
				add(c, a...)
				found = true
			}
		}
		if !found {
			return "", nil, api.FieldInvalid("age_band", "年龄段应为 <=30、31-35、36-40 … 66-70、>=71 之一")
		}
	}
	if f.Education != "" {
		if !DefaultCodes.Valid(KindEduStats, f.Education) {
			return "", nil, api.FieldInvalid("education", "学历档位应为 1（研究生）至 6（初中及以下）")
		}
		add(eduBucketSQL+" = ?", f.Education)
	}
	if f.Gender != "" {
		g, ok := DefaultCodes.Lookup(KindGender, f.Gender)
		if !ok {
			return "", nil, api.FieldInvalid("gender", "性别应为 1（男）或 2（女）")
		}
		add("m.gender = ?", g)
	}
	if f.Mobile != nil {
		add("m.mobile = ?", *f.Mobile)
	}
	if f.LostContact != nil {
		add("m.lost_contact = ?", *f.LostContact)
	}
	return cond, args, nil
}

var sortColumns = map[string]string{"name": "m.name", "birth_date": "m.birth_date", "joined_on": "m.joined_on", "org": "o.code"}

func orderBy(sort string) (string, error) {
	if sort == "" {
		return "o.code, m.name, m.id", nil
	}
	dir := ""
	key := sort
	if strings.HasPrefix(sort, "-") {
		dir, key = " DESC", sort[1:]
	}
	col, ok := sortColumns[key]
	if !ok {
		return "", api.FieldInvalid("sort", "排序应为 name、birth_date、joined_on 或 org，前加 - 为倒序")
	}
	return col + dir + ", m.id" + dir, nil
}

// List returns a page of the roster, personal data masked.
//
// At scale the two costs of a page are the total and the sort. The total comes from the
// roll-ups whenever the filter is one of theirs (everything but a search, see rolledTotal),
// so it stays exact without counting millions of rows. The default order (组织代码, 姓名) walks
// the subtree's 支部 in code order and reads the members of a few at a time (listByOrg), so the
// first pages never sort the whole subtree. Other orders sort the subtree's matching members.
func (s *Store) List(ctx context.Context, f ListFilter, page api.Paging) (api.List[Member], error) {
	out := api.List[Member]{Items: []Member{}, Page: page.Page, PageSize: page.Size}
	cond, args, err := s.where(ctx, f)
	if err != nil {
		return out, err
	}
	order, err := orderBy(f.Sort)
	if err != nil {
		return out, err
	}
	// A member who may read their own record (党员) sees it even outside their scope: that one
	// row is not in any subtree the roll-ups or the walk cover, so such callers take the plain
	// path when no subtree is asked for.
	p := access.From(ctx)
	plain := f.Under == 0 && p != nil && p.UserID != 0 && p.Can(access.SelfRead)
	var t subtrees
	if !plain {
		if t, err = s.resolveSubtrees(ctx, f.Under); err != nil {
			return out, err
		}
	}
	k := keyFilterOf(f)
	if plain || !k.ok {
		if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM members m WHERE `+cond, args...).Scan(&out.Total); err != nil {
			return out, err
		}
	} else {
		n, err := s.rolledTotal(ctx, t, k)
		if err != nil {
			return out, err
		}
		d, err := s.directTotal(ctx, t.direct(), cond, args)
		if err != nil {
			return out, err
		}
		out.Total = n + d
	}
	if out.Total == 0 || page.Offset() >= out.Total {
		return out, nil
	}
	codes, err := s.Codes(ctx)
	if err != nil {
		return out, err
	}
	emit := func(rows *sql.Rows) (int, error) {
		defer rows.Close()
		n := 0
		for rows.Next() {
			r, err := scanRow(rows)
			if err != nil {
				return n, err
			}
			m, err := s.fill(r, codes, false)
			if err != nil {
				return n, err
			}
			out.Items = append(out.Items, *m)
			n++
		}
		return n, rows.Err()
	}
	if desc, ok := byOrg(f.Sort); ok && !plain {
		fc, fa, err := s.filters(f)
		if err != nil {
			return out, err
		}
		return out, s.listByOrg(ctx, t, desc, fc, fa, order, page, emit)
	}
	rows, err := s.db.Query(ctx, memberSelect+` WHERE `+cond+` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(args, page.Size, page.Offset())...)
	if err != nil {
		return out, err
	}
	_, err = emit(rows)
	return out, err
}

// byOrg reports whether the order sort names starts with the organisation's code (the default
// order, and org / -org), and whether it is descending.
func byOrg(sort string) (desc, ok bool) {
	switch sort {
	case "", "org":
		return false, true
	case "-org":
		return true, true
	}
	return false, false
}

// listByOrg reads a page in an order that starts with o.code by walking the 支部 of t in code
// order, a chunk at a time, and reading each chunk's members in the page's order (members only
// belong to 支部, so the concatenation of the chunks is the roster's order); filters is the
// " AND …" of the roster's filters (the walk itself keeps to the subtree and scope). A chunk whose
// matching members all lie before the page is skipped after a count. The walk reads the
// organisations through their code index when the subtree holds a good part of the tree (the
// province root) and sorts the subtree's own organisations otherwise (a county in a province).
func (s *Store) listByOrg(ctx context.Context, t subtrees, desc bool, filters string, args []any, order string, page api.Paging,
	emit func(*sql.Rows) (int, error)) error {
	orgCond := "o.type IN ('branch', 'joint_branch', 'temporary_branch')"
	var orgArgs []any
	hint := ""
	if !t.all {
		var parts []string
		for _, n := range t.nodes {
			parts = append(parts, "o.path LIKE ?")
			orgArgs = append(orgArgs, n.path+"%")
		}
		orgCond += " AND (" + strings.Join(parts, " OR ") + ")"
		if s.db.Dialect == db.SQLite {
			wide, err := s.wideSubtree(ctx, t)
			if err != nil {
				return err
			}
			if !wide && len(t.nodes) == 1 {
				// Search the subtree's organisations through the path index, then sort them.
				c, a := s.prefix("o.path", t.nodes[0].path)
				orgCond += " AND " + c
				orgArgs = append(orgArgs, a...)
				hint = " INDEXED BY orgs_path"
			}
		}
	}
	cmp, dir := ">", ""
	if desc {
		cmp, dir = "<", " DESC"
	}
	membersFrom := `FROM members m JOIN orgs o ON o.id = m.org_id`
	if s.db.Dialect == db.SQLite {
		membersFrom = `FROM members m INDEXED BY members_org JOIN orgs o ON o.id = m.org_id`
	}
	selectPage := strings.Replace(memberSelect, `FROM members m JOIN orgs o ON o.id = m.org_id`, membersFrom, 1)
	skip, need := page.Offset(), page.Size
	last, started := "", false
	for chunk := listChunk; need > 0; chunk = min(chunk*4, 4096) {
		q := `SELECT o.id, o.code FROM orgs o` + hint + ` WHERE ` + orgCond
		a := append([]any{}, orgArgs...)
		if started {
			q += ` AND o.code ` + cmp + ` ?`
			a = append(a, last)
		}
		rows, err := s.db.Query(ctx, q+` ORDER BY o.code`+dir+` LIMIT ?`, append(a, chunk)...)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id, &last); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		started = true
		// o.id too: PostgreSQL would otherwise walk the whole code index of orgs to find the
		// chunk's few in code order.
		in := `m.org_id IN (` + idList(ids) + `) AND o.id IN (` + idList(ids) + `)` + filters
		if skip > 0 {
			var n int
			if err := s.db.QueryRow(ctx, `SELECT COUNT(*) `+membersFrom+` WHERE `+in, args...).Scan(&n); err != nil {
				return err
			}
			if n <= skip {
				skip -= n
				continue
			}
		}
		rows, err = s.db.Query(ctx, selectPage+` WHERE `+in+` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(append([]any{}, args...), need, skip)...)
		if err != nil {
			return err
		}
		got, err := emit(rows)
		if err != nil {
			return err
		}
		need -= got
		skip = 0
		if len(ids) < chunk {
			return nil
		}
	}
	return nil
}

// listChunk is how many 支部 the first chunk of listByOrg reads (each next one four times as
// many); tests make it 1.
var listChunk = 32

// wideSubtree reports whether the subtrees of t hold more than an eighth of all organisations,
// when walking the code index (and skipping the others) beats sorting the subtree's own.
func (s *Store) wideSubtree(ctx context.Context, t subtrees) (bool, error) {
	var ids []int64
	for _, n := range t.nodes {
		ids = append(ids, n.id)
	}
	var mine, all int64
	if err := s.db.QueryRow(ctx, `SELECT COALESCE(CAST(SUM(n) AS BIGINT), 0) FROM org_rollup WHERE org_id IN (`+idList(ids)+`)`).Scan(&mine); err != nil {
		return false, err
	}
	if err := s.db.QueryRow(ctx, `SELECT COALESCE(CAST(SUM(r.n) AS BIGINT), 0) FROM org_rollup r JOIN orgs o ON o.id = r.org_id WHERE o.parent_id IS NULL`).Scan(&all); err != nil {
		return false, err
	}
	return mine*8 > all, nil
}

// Each streams every member matching f (in roster order) to fn, for exports; no slice of all
// rows is built. reveal asks for full personal data: it needs pii.export, and rows outside the
// subtrees where the caller holds it stay masked. Every export is audited as member.export
// (filter and row count) before the first row is sent.
func (s *Store) Each(ctx context.Context, f ListFilter, reveal bool, fn func(*Member) error) error {
	if reveal && !access.From(ctx).Can(access.PIIExport) {
		return api.Forbidden("导出完整的公民身份号码、联系电话和家庭住址需要“导出个人敏感信息”（pii.export）权限")
	}
	cond, args, err := s.where(ctx, f)
	if err != nil {
		return err
	}
	order, err := orderBy(f.Sort)
	if err != nil {
		return err
	}
	var n int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM members m WHERE `+cond, args...).Scan(&n); err != nil {
		return err
	}
	what := "脱敏"
	if reveal {
		what = "含完整个人信息"
	}
	if err := s.db.InTx(ctx, func(tx *db.Tx) error {
		return audit.Record(ctx, tx, audit.Entry{Action: "member.export", Entity: "member",
			Summary: fmt.Sprintf("导出党员 %d 名（%s）", n, what), After: map[string]any{"filter": describeFilter(f), "rows": n, "reveal": reveal}})
	}); err != nil {
		return err
	}
	codes, err := s.Codes(ctx)
	if err != nil {
		return err
	}
	rows, err := s.db.Query(ctx, memberSelect+` WHERE `+cond+` ORDER BY `+order, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			return err
		}
		m, err := s.fill(r, codes, reveal && access.Covers(ctx, access.PIIExport, r.path))
		if err != nil {
			return err
		}
		if err := fn(m); err != nil {
			return err
		}
	}
	return rows.Err()
}

func describeFilter(f ListFilter) map[string]any {
	out := map[string]any{}
	if f.Under != 0 {
		out["org"] = f.Under
	}
	if f.Q != "" {
		out["q"] = "（已隐去）" // a search may be a 公民身份号码: keep it out of the log
	}
	for k, v := range map[string]string{"category": string(f.Category), "status": string(f.Status), "age_band": f.AgeBand,
		"education": f.Education, "gender": f.Gender, "sort": f.Sort} {
		if v != "" {
			out[k] = v
		}
	}
	if f.Mobile != nil {
		out["mobile"] = *f.Mobile
	}
	if f.LostContact != nil {
		out["lost_contact"] = *f.LostContact
	}
	return out
}

// itoa formats an id for audit entries.
func itoa(id int64) string { return strconv.FormatInt(id, 10) }
