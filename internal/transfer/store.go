package transfer

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/rules"
)

// Store keeps the transfers.
type Store struct {
	db      *db.DB
	members *member.Store
	orgs    *org.Store
	// Today is the current day; tests replace it.
	Today func() civil.Date
}

// NewStore returns a Store on d; members and orgs do the moves.
func NewStore(d *db.DB, members *member.Store, orgs *org.Store) *Store {
	return &Store{db: d, members: members, orgs: orgs, Today: civil.Today}
}

// ruleError is the 422 of a broken blocking rule: it names the rule, its article and source.
func ruleError(id, message string) error {
	r := rules.Get(id)
	e := api.Status(422, "rule_violation", message+"（依据："+r.Source+"）")
	e.Extra = map[string]any{"rule": r.ID, "article": r.Source, "source": r.Source, "title": r.Title, "message": message}
	return e
}

const transferSelect = `SELECT t.id, t.kind, t.status, t.letter_no, t.member_id, t.member_name, t.gender, t.ethnicity, t.birth_date, t.category,
	t.id_mask, t.subject_org_id, COALESCE(so.name, ''), t.member_count, t.from_org_id, t.from_name, COALESCE(fo.path, ''), t.to_org_id, t.to_name,
	COALESCE(too.path, ''), t.ext_letter_no, t.reason, t.issued_on, t.valid_until, t.dues_paid_to, t.decided_on, t.decided_by, t.decision_note,
	t.created_by, t.created_at, t.updated_at, t.version
	FROM transfers t LEFT JOIN orgs fo ON fo.id = t.from_org_id LEFT JOIN orgs too ON too.id = t.to_org_id
	LEFT JOIN orgs so ON so.id = t.subject_org_id`

type row struct {
	Transfer
	fromPath, toPath string // the organisations' current paths ('' outside the system)
}

func scan(sc interface{ Scan(...any) error }) (*row, error) {
	var r row
	err := sc.Scan(&r.ID, &r.Kind, &r.Status, &r.LetterNo, &r.MemberID, &r.MemberName, &r.Gender, &r.Ethnicity, &r.BirthDate, &r.Category,
		&r.IDNumber, &r.SubjectOrgID, &r.SubjectName, &r.MemberCount, &r.From.OrgID, &r.From.Name, &r.fromPath, &r.To.OrgID, &r.To.Name,
		&r.toPath, &r.ExtLetterNo, &r.Reason, &r.IssuedOn, &r.ValidUntil, &r.DuesPaidTo, &r.DecidedOn, &r.DecidedBy, &r.DecisionNote,
		&r.CreatedBy, &r.CreatedAt, &r.UpdatedAt, &r.Version)
	return &r, err
}

// finish fills the derived fields: names, overdue, what the caller may do, and the paths'
// names.
func (s *Store) finish(ctx context.Context, q db.Querier, rs []*row) ([]Transfer, error) {
	today := s.Today()
	ids := map[int64]bool{}
	for _, r := range rs {
		for _, p := range []string{r.fromPath, r.toPath} {
			for _, id := range pathIDs(p) {
				ids[id] = true
			}
		}
	}
	names, err := orgNames(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Transfer, 0, len(rs))
	for _, r := range rs {
		t := r.Transfer
		t.KindName, t.StatusName = kindNames[t.Kind], statusNames[t.Status]
		if t.Kind == KindOut && t.Status == StatusPending {
			t.StatusName = "待回执"
		}
		if t.Kind == KindOut && t.Status == StatusAccepted {
			t.StatusName = "已回执"
		}
		if t.Category != "" {
			t.CategoryName = map[member.Category]string{member.CategoryFull: "正式党员", member.CategoryProbationary: "预备党员"}[t.Category]
		}
		t.Overdue = t.Status == StatusPending && !t.ValidUntil.IsZero() && t.ValidUntil.Before(today)
		t.From.Path, t.To.Path = ancestry(r.fromPath, names), ancestry(r.toPath, names)
		if t.Status == StatusPending {
			t.CanAccept = t.Kind == KindInternal && r.toPath != "" && access.Covers(ctx, access.OrgWrite, r.toPath)
			t.CanWithdraw = r.fromPath != "" && access.Covers(ctx, access.OrgWrite, r.fromPath)
		}
		out = append(out, t)
	}
	return out, nil
}

func pathIDs(path string) []int64 {
	var out []int64
	for _, p := range strings.Split(strings.Trim(path, "/"), "/") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

func orgNames(ctx context.Context, q db.Querier, ids map[int64]bool) (map[int64]string, error) {
	names := map[int64]string{}
	if len(ids) == 0 {
		return names, nil
	}
	list := make([]string, 0, len(ids))
	for id := range ids {
		list = append(list, strconv.FormatInt(id, 10)) // integers we formatted ourselves
	}
	rows, err := q.Query(ctx, `SELECT id, name FROM orgs WHERE id IN (`+strings.Join(list, ",")+`)`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		names[id] = name
	}
	return names, rows.Err()
}

// ancestry is the names above the organisation at path, top first.
func ancestry(path string, names map[int64]string) []string {
	ids := pathIDs(path)
	out := []string{}
	for i, id := range ids {
		if i < len(ids)-1 {
			out = append(out, names[id])
		}
	}
	return out
}

// visible is the WHERE fragment of the transfers the caller sees with perm: those whose
// sending or receiving organisation is in the caller's subtree.
func visible(ctx context.Context, perm access.Perm) (string, []any) {
	fw, fa := access.Filter(ctx, "fo.path", perm)
	tw, ta := access.Filter(ctx, "too.path", perm)
	return "((t.from_org_id IS NOT NULL AND " + fw + ") OR (t.to_org_id IS NOT NULL AND " + tw + "))", append(fa, ta...)
}

var errNotFound = api.NotFound("转接记录不存在，或不在您的管理范围内")

func (s *Store) find(ctx context.Context, q db.Querier, id int64) (*row, error) {
	where, args := visible(ctx, access.OrgRead)
	r, err := scan(q.QueryRow(ctx, transferSelect+` WHERE t.id = ? AND `+where, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound
	}
	return r, err
}

// Get returns one transfer the caller sees.
func (s *Store) Get(ctx context.Context, id int64) (*Transfer, error) {
	r, err := s.find(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	ts, err := s.finish(ctx, s.db, []*row{r})
	if err != nil {
		return nil, err
	}
	return &ts[0], nil
}

// ListFilter selects transfers.
type ListFilter struct {
	Box    string // out 转出 (sent by the caller's organisations), in 转入 (to them); "" both
	Status string // pending, overdue, accepted, returned, withdrawn, closed (not pending); "" all
	Kind   Kind
	Q      string // member or organisation name, letter number
}

// List returns a page of the transfers the caller sees, newest first.
func (s *Store) List(ctx context.Context, f ListFilter, page api.Paging) (api.List[Transfer], error) {
	out := api.List[Transfer]{Items: []Transfer{}, Page: page.Page, PageSize: page.Size}
	var where string
	var args []any
	switch f.Box {
	case "out":
		w, a := access.Filter(ctx, "fo.path", access.OrgRead)
		where, args = "t.from_org_id IS NOT NULL AND "+w, a
	case "in":
		w, a := access.Filter(ctx, "too.path", access.OrgRead)
		where, args = "t.to_org_id IS NOT NULL AND "+w, a
	case "":
		where, args = visible(ctx, access.OrgRead)
	default:
		return out, api.FieldInvalid("box", "应为 out（转出）或 in（转入）")
	}
	today := s.Today()
	switch f.Status {
	case "":
	case "pending", "accepted", "returned", "withdrawn":
		where += " AND t.status = ?"
		args = append(args, f.Status)
	case "overdue":
		where += " AND t.status = 'pending' AND t.valid_until < ?"
		args = append(args, today)
	case "closed":
		where += " AND t.status <> 'pending'"
	default:
		return out, api.FieldInvalid("status", "应为 pending、overdue、accepted、returned、withdrawn 或 closed")
	}
	if f.Kind != "" {
		if kindNames[f.Kind] == "" {
			return out, api.FieldInvalid("kind", "应为 internal、out、in 或 org")
		}
		where += " AND t.kind = ?"
		args = append(args, f.Kind)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		where += " AND (t.member_name LIKE ? OR t.letter_no = ? OR t.from_name LIKE ? OR t.to_name LIKE ?)"
		like := "%" + q + "%"
		args = append(args, like, q, like, like)
	}
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM transfers t LEFT JOIN orgs fo ON fo.id = t.from_org_id
		LEFT JOIN orgs too ON too.id = t.to_org_id WHERE `+where, args...).Scan(&out.Total); err != nil {
		return out, err
	}
	rows, err := s.db.Query(ctx, transferSelect+` WHERE `+where+` ORDER BY t.id DESC LIMIT ? OFFSET ?`, append(args, page.Size, page.Offset())...)
	if err != nil {
		return out, err
	}
	var rs []*row
	for rows.Next() {
		r, err := scan(rows)
		if err != nil {
			rows.Close()
			return out, err
		}
		rs = append(rs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, err
	}
	out.Items, err = s.finish(ctx, s.db, rs)
	return out, err
}

// Destinations finds 党支部 anywhere in the system by name or 组织代码, for anyone who may
// issue transfers: the id, the name and the names above it, nothing else.
func (s *Store) Destinations(ctx context.Context, q string) ([]Destination, error) {
	q = strings.TrimSpace(q)
	out := []Destination{}
	if utf8.RuneCountInString(q) < 2 {
		return out, api.FieldInvalid("q", "请输入党支部名称中的至少两个字（或组织代码）")
	}
	rows, err := s.db.Query(ctx, `SELECT id, name, path FROM orgs WHERE status = 'active' AND type IN ('branch', 'joint_branch', 'temporary_branch')
		AND (name LIKE ? OR code = ?) ORDER BY path LIMIT 20`, "%"+q+"%", q)
	if err != nil {
		return nil, err
	}
	var paths []string
	for rows.Next() {
		var d Destination
		var path string
		if err := rows.Scan(&d.ID, &d.Name, &path); err != nil {
			rows.Close()
			return nil, err
		}
		out, paths = append(out, d), append(paths, path)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ids := map[int64]bool{}
	for _, p := range paths {
		for _, id := range pathIDs(p) {
			ids[id] = true
		}
	}
	names, err := orgNames(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Path = ancestry(paths[i], names)
	}
	return out, nil
}

// duesPaidTo is the last month the member paid in full, from the 党费 ledger (dues_payments:
// entries are keyed by member and month and keep the branch whose books they are in).
func duesPaidTo(ctx context.Context, q db.Querier, memberID int64) (string, error) {
	rows, err := q.Query(ctx, `SELECT month, SUM(paid_fen), MAX(due_fen) FROM dues_payments WHERE member_id = ? GROUP BY month ORDER BY month DESC`, memberID)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	for rows.Next() {
		var month string
		var paid, due int64
		if err := rows.Scan(&month, &paid, &due); err != nil {
			return "", err
		}
		if paid > 0 && paid >= due {
			return month, nil
		}
	}
	return "", rows.Err()
}

func validMonth(s string) bool {
	t, err := time.Parse("2006-01", s)
	return err == nil && t.Format("2006-01") == s
}

// Settings are the validity defaults in force.
func (s *Store) Settings(ctx context.Context) (*Settings, error) {
	return loadSettings(ctx, s.db)
}

func loadSettings(ctx context.Context, q db.Querier) (*Settings, error) {
	st := &Settings{Months: rules.Get("transfer.validity").Value, CrossProvinceMonths: rules.Get("transfer.validity_cross_province").Value,
		Note: "介绍信有效期各来源说法不一（3个月、跨省6个月等，未核实），此为默认值；每份介绍信可单独填写有效期截止日"}
	for key, dst := range map[string]*int{"transfer.validity_months": &st.Months, "transfer.validity_months_cross_province": &st.CrossProvinceMonths} {
		var v string
		err := q.QueryRow(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if n, err := strconv.Atoi(v); err == nil {
			*dst = n
		}
	}
	return st, nil
}

// PutSettings changes the validity defaults (system administrator).
func (s *Store) PutSettings(ctx context.Context, in Settings) (*Settings, error) {
	var f api.Fields
	if in.Months < 1 || in.Months > 12 {
		f.Add("months", "有效期应为1至12个月")
	}
	if in.CrossProvinceMonths < 1 || in.CrossProvinceMonths > 12 {
		f.Add("cross_province_months", "跨省有效期应为1至12个月")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		before, err := loadSettings(ctx, tx)
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		for key, v := range map[string]int{"transfer.validity_months": in.Months, "transfer.validity_months_cross_province": in.CrossProvinceMonths} {
			if _, err := tx.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, key, strconv.Itoa(v), now); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "transfer.settings", Entity: "settings", EntityID: "transfer",
			Summary: fmt.Sprintf("介绍信有效期设为%d个月（跨省%d个月）", in.Months, in.CrossProvinceMonths), Before: before, After: in})
	})
	if err != nil {
		return nil, err
	}
	return s.Settings(ctx)
}

func crossProvince(a, b string) bool {
	return len(a) >= 2 && len(b) >= 2 && a[:2] != b[:2]
}

// validity is the default 有效期截止日 of a letter issued on.
func validity(st *Settings, on civil.Date, cross bool) (civil.Date, int, string) {
	if cross {
		return on.AddDate(0, st.CrossProvinceMonths, 0), st.CrossProvinceMonths, "transfer.validity_cross_province"
	}
	return on.AddDate(0, st.Months, 0), st.Months, "transfer.validity"
}

// subject loads the member a writer of their branch is about to transfer.
func (s *Store) subject(ctx context.Context, q db.Querier, id int64) (*member.Transferee, error) {
	if id == 0 {
		return nil, api.FieldInvalid("member_id", "请选择党员")
	}
	m, err := s.members.TransfereeTx(ctx, q, id)
	if err != nil || !access.Covers(ctx, access.OrgRead, m.Path) {
		return nil, api.NotFound("党员不存在，或不在您的管理范围内")
	}
	if !access.Covers(ctx, access.OrgWrite, m.Path) {
		return nil, api.Forbidden("您对党员“" + m.Name + "”所在的" + m.OrgName + "只有查看权限，不能办理组织关系转接")
	}
	return m, nil
}

func openTransfer(ctx context.Context, q db.Querier, memberID int64) (*int64, string, error) {
	var id int64
	var no string
	err := q.QueryRow(ctx, `SELECT id, letter_no FROM transfers WHERE member_id = ? AND status = 'pending'`, memberID).Scan(&id, &no)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	return &id, no, nil
}

// Defaults says what a letter for the member would carry: 党费交至 and the validity.
func (s *Store) Defaults(ctx context.Context, memberID, toOrg int64, crossOut bool) (*Defaults, error) {
	m, err := s.subject(ctx, s.db, memberID)
	if err != nil {
		return nil, err
	}
	d := &Defaults{}
	if d.DuesPaidTo, err = duesPaidTo(ctx, s.db, m.ID); err != nil {
		return nil, err
	}
	st, err := loadSettings(ctx, s.db)
	if err != nil {
		return nil, err
	}
	d.CrossProvince = crossOut
	if toOrg != 0 {
		if to, _, err := member.TransferBranch(ctx, s.db, toOrg); err != nil {
			return nil, err
		} else if to != nil {
			from, _, err := member.TransferBranch(ctx, s.db, m.OrgID)
			if err != nil {
				return nil, err
			}
			d.CrossProvince = from != nil && crossProvince(from.DivisionCode, to.DivisionCode)
		}
	}
	d.ValidUntil, d.Months, d.Rule = validity(st, s.Today(), d.CrossProvince)
	d.Source = rules.Get(d.Rule).Source
	if d.OpenTransfer, _, err = openTransfer(ctx, s.db, m.ID); err != nil {
		return nil, err
	}
	return d, nil
}

func placeholder() string {
	b := make([]byte, 8)
	rand.Read(b)
	return "tmp-" + hex.EncodeToString(b)
}

// letterNo is the 介绍信编号 of transfer id issued in year: unique because the id is.
func letterNo(year int, id int64) string { return fmt.Sprintf("转字〔%d〕第%06d号", year, id) }

func principalName(ctx context.Context) string {
	if p := access.From(ctx); p != nil {
		return p.Username
	}
	return "system"
}

type insert struct {
	kind                         Kind
	status                       Status
	memberID                     *int64
	m                            *member.Transferee
	subjectOrg                   *int64
	memberCount                  int
	fromOrg                      *int64
	fromPath, fromName           string
	toOrg                        *int64
	toPath, toName               string
	extLetterNo, reason          string
	issuedOn, validUntil, decide civil.Date
	duesPaidTo                   string
}

func (s *Store) insert(ctx context.Context, tx *db.Tx, in insert) (int64, string, error) {
	now := time.Now().UTC()
	who := principalName(ctx)
	var name, gender, eth, cat, mask string
	var birth civil.Date
	if in.m != nil {
		name, gender, eth, cat, mask, birth = in.m.Name, in.m.Gender, in.m.Ethnicity, string(in.m.Category), in.m.IDMask, in.m.BirthDate
	}
	decidedBy := ""
	if !in.decide.IsZero() {
		decidedBy = who
	}
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO transfers (kind, status, letter_no, member_id, member_name, gender, birth_date, ethnicity, category, id_mask,
		subject_org_id, member_count, from_org_id, from_path, from_name, to_org_id, to_path, to_name, ext_letter_no, reason, issued_on, valid_until,
		dues_paid_to, decided_on, decided_by, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		in.kind, in.status, placeholder(), in.memberID, name, gender, birth, eth, cat, mask, in.subjectOrg, in.memberCount, in.fromOrg, in.fromPath,
		in.fromName, in.toOrg, in.toPath, in.toName, in.extLetterNo, in.reason, in.issuedOn, in.validUntil, in.duesPaidTo, in.decide, decidedBy,
		who, now, now).Scan(&id)
	if err != nil {
		if db.IsUniqueViolation(err) {
			return 0, "", api.Conflict("该党员已有未办结的组织关系介绍信（" + rules.Get("transfer.one_open").Title + "）")
		}
		return 0, "", err
	}
	no := letterNo(in.issuedOn.Year(), id)
	_, err = tx.Exec(ctx, `UPDATE transfers SET letter_no = ? WHERE id = ?`, no, id)
	return id, no, err
}

// Create issues a transfer of a member (kind internal: to a 党支部 anywhere in the system; out:
// to an organisation outside it). Nothing about the member changes until it is accepted (or
// the 回执 is recorded).
func (s *Store) Create(ctx context.Context, in CreateInput) (*Transfer, error) {
	if in.Kind == "" {
		in.Kind = KindInternal
	}
	in.Reason, in.ToName, in.DuesPaidTo = strings.TrimSpace(in.Reason), strings.TrimSpace(in.ToName), strings.TrimSpace(in.DuesPaidTo)
	var id int64
	var warnings []string
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		m, err := s.subject(ctx, tx, in.MemberID)
		if err != nil {
			return err
		}
		var f api.Fields
		if in.Kind != KindInternal && in.Kind != KindOut {
			f.Add("kind", "应为 internal（系统内转接）或 out（转出至系统外）")
		}
		today := s.Today()
		if in.IssuedOn.IsZero() {
			in.IssuedOn = today
		} else if in.IssuedOn.After(today) {
			f.Add("issued_on", "开具日期不能晚于今天")
		}
		if n := utf8.RuneCountInString(in.Reason); n == 0 || n > 200 {
			f.Add("reason", "请填写转接原因（如工作调动、毕业分配、居住地变动），最长200字")
		}
		if in.DuesPaidTo != "" && !validMonth(in.DuesPaidTo) {
			f.Add("dues_paid_to", "党费交至应为年月，如 2026-06")
		}
		var to *member.Branch
		if in.Kind == KindInternal {
			if in.ToOrgID == 0 {
				f.Add("to_org_id", "请选择转入的党支部")
			} else {
				b, msg, err := member.TransferBranch(ctx, tx, in.ToOrgID)
				if err != nil {
					return err
				}
				if msg != "" {
					return ruleError("transfer.destination", msg)
				}
				if b.ID == m.OrgID {
					return ruleError("transfer.destination", "党员“"+m.Name+"”已在“"+b.Name+"”，转入的党支部不能是现在的党支部")
				}
				to = b
			}
		} else if n := utf8.RuneCountInString(in.ToName); n < 2 || n > 100 {
			f.Add("to_name", "请填写接收党组织的全称（公章名称），最长100字")
		}
		if err := f.Err(); err != nil {
			return err
		}
		if m.Status != member.StatusNormal {
			return ruleError("transfer.member_status", "党员“"+m.Name+"”的党籍状态为“"+member.DefaultCodes.Name(member.KindStatus, string(m.Status))+"”，不能开具组织关系介绍信")
		}
		if open, no, err := openTransfer(ctx, tx, m.ID); err != nil {
			return err
		} else if open != nil {
			return api.Conflict("党员“" + m.Name + "”已有未办结的组织关系介绍信 " + no + "：须先被接收、退回或撤回，才能开具新的（" + rules.Get("transfer.one_open").Title + "）")
		}
		from, _, err := member.TransferBranch(ctx, tx, m.OrgID)
		if err != nil {
			return err
		}
		st, err := loadSettings(ctx, tx)
		if err != nil {
			return err
		}
		cross := in.CrossProvince
		if to != nil {
			cross = from != nil && crossProvince(from.DivisionCode, to.DivisionCode)
		}
		if in.ValidUntil.IsZero() {
			in.ValidUntil, _, _ = validity(st, in.IssuedOn, cross)
		} else if in.ValidUntil.Before(in.IssuedOn) {
			return api.FieldInvalid("valid_until", "有效期截止日不能早于开具日期")
		}
		paid, err := duesPaidTo(ctx, tx, m.ID)
		if err != nil {
			return err
		}
		if in.DuesPaidTo == "" {
			in.DuesPaidTo = paid
		} else if paid == "" || in.DuesPaidTo > paid {
			have := "没有交纳记录"
			if paid != "" {
				have = "只记录到 " + paid
			}
			warnings = append(warnings, "党费台账中该党员的党费"+have+"，介绍信写“党费交至 "+in.DuesPaidTo+"”：请在转出前补录交纳记录，否则接收党支部会看到这些月份未交")
		}
		ins := insert{kind: in.Kind, status: StatusPending, memberID: &m.ID, m: m, fromOrg: &m.OrgID, fromPath: m.Path, fromName: m.OrgName,
			reason: in.Reason, issuedOn: in.IssuedOn, validUntil: in.ValidUntil, duesPaidTo: in.DuesPaidTo}
		if to != nil {
			ins.toOrg, ins.toPath, ins.toName = &to.ID, to.Path, to.Name
		} else {
			ins.toName = in.ToName
		}
		var no string
		if id, no, err = s.insert(ctx, tx, ins); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "transfer.create", Entity: "transfer", EntityID: strconv.FormatInt(id, 10),
			Summary: fmt.Sprintf("开具党员“%s”的组织关系介绍信 %s：由“%s”转往“%s”", m.Name, no, m.OrgName, ins.toName),
			After:   map[string]any{"kind": in.Kind, "member_id": m.ID, "to_org_id": ins.toOrg, "to_name": ins.toName, "valid_until": in.ValidUntil, "dues_paid_to": in.DuesPaidTo}})
	})
	if err != nil {
		return nil, err
	}
	t, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	t.Warnings = warnings
	return t, nil
}

// act is one decision on a pending transfer.
type act struct {
	verb    string // 接收, 退回, 撤回, 登记回执
	action  string // audit action
	to      Status
	kinds   []Kind
	side    string // "to": a writer of the receiving organisation; "from": of the sending one
	needWhy bool
}

var (
	actAccept   = act{verb: "接收", action: "transfer.accept", to: StatusAccepted, kinds: []Kind{KindInternal}, side: "to"}
	actReturn   = act{verb: "退回", action: "transfer.return", to: StatusReturned, kinds: []Kind{KindInternal}, side: "to", needWhy: true}
	actWithdraw = act{verb: "撤回", action: "transfer.withdraw", to: StatusWithdrawn, kinds: []Kind{KindInternal, KindOut}, side: "from"}
	actReceipt  = act{verb: "登记回执", action: "transfer.receipt", to: StatusAccepted, kinds: []Kind{KindOut}, side: "from"}
)

// Accept receives a member into the destination branch: the member moves (org, path, history,
// ledger, counts on both sides), the transfer is closed.
func (s *Store) Accept(ctx context.Context, id int64, d Decision) (*Transfer, error) {
	return s.decide(ctx, id, d, actAccept)
}

// Return sends the letter back with a reason; the member stays where they are.
func (s *Store) Return(ctx context.Context, id int64, d Decision) (*Transfer, error) {
	return s.decide(ctx, id, d, actReturn)
}

// Withdraw takes back a pending letter (the sender).
func (s *Store) Withdraw(ctx context.Context, id int64, d Decision) (*Transfer, error) {
	return s.decide(ctx, id, d, actWithdraw)
}

// Receipt records the 回执 of a transfer to outside the system: the member leaves the roster
// (已转出).
func (s *Store) Receipt(ctx context.Context, id int64, d Decision) (*Transfer, error) {
	return s.decide(ctx, id, d, actReceipt)
}

func (s *Store) decide(ctx context.Context, id int64, d Decision, a act) (*Transfer, error) {
	d.Note = strings.TrimSpace(d.Note)
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		r, err := s.find(ctx, tx, id)
		if err != nil {
			return err
		}
		path, where := r.toPath, "接收"
		if a.side == "from" {
			path, where = r.fromPath, "转出"
		}
		if path == "" || !access.Covers(ctx, access.OrgWrite, path) {
			return api.Forbidden("只有" + where + "党组织的管理员可以" + a.verb + "这份介绍信")
		}
		kindOK := false
		for _, k := range a.kinds {
			kindOK = kindOK || k == r.Kind
		}
		if !kindOK {
			return api.Conflict(kindNames[r.Kind] + "的记录不能" + a.verb)
		}
		if r.Status != StatusPending {
			return api.Conflict(fmt.Sprintf("介绍信 %s 已%s（%s，%s），不能再%s", r.LetterNo, strings.TrimPrefix(statusNames[r.Status], "已"), r.DecidedOn, r.DecidedBy, a.verb))
		}
		if d.Version != r.Version {
			return api.Conflict(fmt.Sprintf("介绍信 %s 已被他人处理或修改（您读取的是第 %d 版，现为第 %d 版），请刷新后再办理", r.LetterNo, d.Version, r.Version))
		}
		var f api.Fields
		today := s.Today()
		if d.On.IsZero() {
			d.On = today
		} else if d.On.After(today) {
			f.Add("on", "日期不能晚于今天")
		} else if d.On.Before(r.IssuedOn) {
			f.Add("on", "日期不能早于介绍信开具日期 "+r.IssuedOn.String())
		}
		if utf8.RuneCountInString(d.Note) > 500 {
			f.Add("note", "说明最长500字")
		}
		if err := f.Err(); err != nil {
			return err
		}
		if a.needWhy && d.Note == "" {
			return ruleError("transfer.no_refusal", "退回介绍信须写明原因")
		}
		if a.to == StatusAccepted && r.MemberID != nil {
			m, err := s.members.TransfereeTx(ctx, tx, *r.MemberID)
			if err != nil {
				return err
			}
			if m.Status != member.StatusNormal {
				return ruleError("transfer.member_status", "党员“"+m.Name+"”的党籍状态已变为“"+member.DefaultCodes.Name(member.KindStatus, string(m.Status))+"”，不能接收：请退回或撤回这份介绍信")
			}
		}
		// Claim the transfer: a second person acting at the same time finds the version gone.
		res, err := tx.Exec(ctx, `UPDATE transfers SET status = ?, decided_on = ?, decided_by = ?, decision_note = ?, updated_at = ?, version = version + 1
			WHERE id = ? AND status = 'pending' AND version = ?`, a.to, d.On, principalName(ctx), d.Note, time.Now().UTC(), id, r.Version)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return api.Conflict("介绍信 " + r.LetterNo + " 刚刚已被他人处理，请刷新后查看")
		}
		ref := "transfer:" + strconv.FormatInt(id, 10)
		switch a.action {
		case actAccept.action:
			if _, _, err := s.members.TransferTx(ctx, tx, *r.MemberID, *r.To.OrgID, d.On, ref, "介绍信 "+r.LetterNo); err != nil {
				return err
			}
		case actReceipt.action:
			if _, err := s.members.TransferOutTx(ctx, tx, *r.MemberID, d.On, ref, r.To.Name); err != nil {
				return err
			}
		}
		summary := fmt.Sprintf("%s党员“%s”的组织关系介绍信 %s（由“%s”转往“%s”）", a.verb, r.MemberName, r.LetterNo, r.From.Name, r.To.Name)
		if d.Note != "" {
			summary += "：" + d.Note
		}
		return audit.Record(ctx, tx, audit.Entry{Action: a.action, Entity: "transfer", EntityID: strconv.FormatInt(id, 10), Summary: summary,
			Before: map[string]any{"status": r.Status, "version": r.Version}, After: map[string]any{"status": a.to, "on": d.On, "note": d.Note}})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// Incoming registers a member whose relation comes from an organisation outside the system:
// the member is created in the receiving branch (增加方式 transfer_in, the ledger row from ""),
// or, if their 公民身份号码 belongs to a record that once transferred out, that record comes back.
func (s *Store) Incoming(ctx context.Context, in IncomingInput) (*Transfer, error) {
	in.FromName, in.ExtLetterNo, in.Reason, in.DuesPaidTo = strings.TrimSpace(in.FromName), strings.TrimSpace(in.ExtLetterNo), strings.TrimSpace(in.Reason), strings.TrimSpace(in.DuesPaidTo)
	var id int64
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var f api.Fields
		var to *member.Branch
		if in.ToOrgID == 0 {
			f.Add("to_org_id", "请选择接收的党支部")
		} else {
			b, msg, err := member.TransferBranch(ctx, tx, in.ToOrgID)
			if err != nil {
				return err
			}
			switch {
			case b == nil && msg == "转入的党支部不存在":
				return api.NotFound("组织不存在，或不在您的管理范围内")
			case b != nil && !access.Covers(ctx, access.OrgRead, b.Path):
				return api.NotFound("组织不存在，或不在您的管理范围内")
			case msg != "":
				return ruleError("transfer.destination", msg)
			case !access.Covers(ctx, access.OrgWrite, b.Path):
				return api.Forbidden("您对“" + b.Name + "”只有查看权限，不能登记转入")
			}
			to = b
		}
		if n := utf8.RuneCountInString(in.FromName); n < 2 || n > 100 {
			f.Add("from_name", "请填写转出党组织的名称（介绍信上的公章名称）")
		}
		if n := utf8.RuneCountInString(in.ExtLetterNo); n == 0 || n > 50 {
			f.Add("ext_letter_no", "请填写来信的介绍信编号")
		}
		today := s.Today()
		if in.LetterDate.IsZero() {
			f.Add("letter_date", "请填写介绍信开具日期")
		} else if in.LetterDate.After(today) {
			f.Add("letter_date", "开具日期不能晚于今天")
		}
		if in.ReceivedOn.IsZero() {
			in.ReceivedOn = today
		} else if in.ReceivedOn.After(today) {
			f.Add("received_on", "接收日期不能晚于今天")
		} else if !in.LetterDate.IsZero() && in.ReceivedOn.Before(in.LetterDate) {
			f.Add("received_on", "接收日期不能早于介绍信开具日期")
		}
		if in.DuesPaidTo != "" && !validMonth(in.DuesPaidTo) {
			f.Add("dues_paid_to", "党费交至应为年月，如 2026-06")
		}
		if utf8.RuneCountInString(in.Reason) > 200 {
			f.Add("reason", "原因最长200字")
		}
		if err := f.Err(); err != nil {
			return err
		}
		var err error
		id, _, err = s.insert(ctx, tx, insert{kind: KindIn, status: StatusAccepted, fromName: in.FromName, toOrg: &to.ID, toPath: to.Path,
			toName: to.Name, extLetterNo: in.ExtLetterNo, reason: in.Reason, issuedOn: in.LetterDate, validUntil: in.ValidUntil,
			duesPaidTo: in.DuesPaidTo, decide: in.ReceivedOn})
		if err != nil {
			return err
		}
		ref := "transfer:" + strconv.FormatInt(id, 10)
		back, ok, _, err := s.members.FindTransferredTx(ctx, tx, in.Member.IDNumber)
		if err != nil {
			return err
		}
		var memberID int64
		how := "新建党员记录"
		if ok {
			if err := s.members.ReactivateTx(ctx, tx, back, to.ID, in.ReceivedOn, ref, in.FromName); err != nil {
				return err
			}
			memberID, how = back, "恢复曾转出的党员记录"
		} else {
			mi := in.Member
			mi.OrgID, mi.AddedAs, mi.AddedOn, mi.AddedRef = to.ID, member.AddedTransferIn, in.ReceivedOn, ref
			if memberID, err = s.members.CreateTx(ctx, tx, mi); err != nil {
				return prefix(err, "member.")
			}
		}
		m, err := s.members.TransfereeTx(ctx, tx, memberID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE transfers SET member_id = ?, member_name = ?, gender = ?, birth_date = ?, ethnicity = ?, category = ?, id_mask = ?
			WHERE id = ?`, m.ID, m.Name, m.Gender, m.BirthDate, m.Ethnicity, m.Category, m.IDMask, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "transfer.incoming", Entity: "transfer", EntityID: strconv.FormatInt(id, 10),
			Summary: fmt.Sprintf("登记由系统外“%s”转入的党员“%s”（来信 %s），编入“%s”，%s", in.FromName, m.Name, in.ExtLetterNo, to.Name, how),
			After:   map[string]any{"member_id": m.ID, "to_org_id": to.ID, "from_name": in.FromName, "ext_letter_no": in.ExtLetterNo}})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// prefix renames the fields of a 422 from the member record to member.<field>, as the request
// nests them.
func prefix(err error, p string) error {
	var e *api.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		c := *e
		c.Fields = make(api.Fields, len(e.Fields))
		for i, fe := range e.Fields {
			c.Fields[i] = api.FieldError{Field: p + fe.Field, Message: fe.Message}
		}
		return &c
	}
	return err
}

// MoveOrg is a 整建制转接: the organisation and its subtree go under a new parent (org.Store.Move,
// which writes the org_transfer ledger rows and recounts both sides), recorded as a transfer
// with the number of members who moved with it.
func (s *Store) MoveOrg(ctx context.Context, in OrgInput) (*Transfer, error) {
	in.Reason = strings.TrimSpace(in.Reason)
	if n := utf8.RuneCountInString(in.Reason); n == 0 || n > 200 {
		return nil, api.FieldInvalid("reason", "请填写整建制转接的原因（如单位隶属关系调整），最长200字")
	}
	var id int64
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		if in.OrgID == 0 {
			return api.FieldInvalid("org_id", "请选择要转接的组织")
		}
		var o struct {
			name, path string
			parent     *int64
		}
		err := tx.QueryRow(ctx, `SELECT name, path, parent_id FROM orgs WHERE id = ?`, in.OrgID).Scan(&o.name, &o.path, &o.parent)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !access.Covers(ctx, access.OrgRead, o.path)) {
			return api.NotFound("组织不存在，或不在您的管理范围内")
		}
		if err != nil {
			return err
		}
		var count int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM members WHERE org_path LIKE ? AND status = 'normal'`, o.path+"%").Scan(&count); err != nil {
			return err
		}
		if err := s.orgs.MoveTx(ctx, tx, in.OrgID, org.MoveInput{ParentID: in.ParentID}); err != nil {
			return err
		}
		var newPath, oldParentName, newParentName, oldParentPath string
		if err := tx.QueryRow(ctx, `SELECT path FROM orgs WHERE id = ?`, in.OrgID).Scan(&newPath); err != nil {
			return err
		}
		if o.parent != nil {
			if err := tx.QueryRow(ctx, `SELECT name, path FROM orgs WHERE id = ?`, *o.parent).Scan(&oldParentName, &oldParentPath); err != nil {
				return err
			}
		}
		if err := tx.QueryRow(ctx, `SELECT name FROM orgs WHERE id = ?`, in.ParentID).Scan(&newParentName); err != nil {
			return err
		}
		today := s.Today()
		if id, _, err = s.insert(ctx, tx, insert{kind: KindOrg, status: StatusAccepted, subjectOrg: &in.OrgID, memberCount: count,
			fromOrg: o.parent, fromPath: o.path, fromName: oldParentName, toOrg: &in.ParentID, toPath: newPath, toName: newParentName,
			reason: in.Reason, issuedOn: today, decide: today}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "transfer.org", Entity: "transfer", EntityID: strconv.FormatInt(id, 10),
			Summary: fmt.Sprintf("整建制转接：“%s”（%d名党员）由“%s”转至“%s”", o.name, count, oldParentName, newParentName),
			After:   map[string]any{"org_id": in.OrgID, "from_parent": o.parent, "to_parent": in.ParentID, "members": count}})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}
