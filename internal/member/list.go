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
	cond, args := s.scope(ctx, "m.org_path", access.OrgRead)
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
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM members m WHERE `+cond, args...).Scan(&out.Total); err != nil {
		return out, err
	}
	codes, err := s.Codes(ctx)
	if err != nil {
		return out, err
	}
	rows, err := s.db.Query(ctx, memberSelect+` WHERE `+cond+` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(args, page.Size, page.Offset())...)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			return out, err
		}
		m, err := s.fill(r, codes, false)
		if err != nil {
			return out, err
		}
		out.Items = append(out.Items, *m)
	}
	return out, rows.Err()
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
