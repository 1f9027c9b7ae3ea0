package member

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/pii"
)

// Store keeps the member registry. Every method is scoped: a member is read where the caller
// holds org.read on the member's 党支部 (or it is the caller's own record, for the 党员 role),
// changed where they hold org.write; full personal data needs pii.read (pii.export for
// exports) and every full view is audited.
type Store struct {
	db  *db.DB
	key *pii.Key
	// Today is the date the store checks against (ages, dates in the future); tests set it.
	Today func() civil.Date
}

// NewStore returns a store sealing personal data with key.
func NewStore(d *db.DB, key *pii.Key) *Store {
	return &Store{db: d, key: key, Today: civil.Today}
}

// Detail is one member with the repeatable records, as GET /members/{id} shows it.
type Detail struct {
	Member
	History       []History      `json:"history"`
	StatusChanges []StatusRecord `json:"status_changes"`
	Warnings      []Warning      `json:"warnings" doc:"不阻止保存、但应核对的规则提示"`
}

// Patch changes some fields of a member; absent (or null) fields stay as they are; an empty
// string clears a date or a text. The 所在党支部 changes through Move, the 党籍状态 through
// the procedures of internal/standing (ApplyStatus).
type Patch struct {
	Name          *string     `json:"name"`
	Gender        *string     `json:"gender"`
	IDNumber      *string     `json:"id_number"`
	Ethnicity     *string     `json:"ethnicity"`
	BirthDate     *civil.Date `json:"birth_date"`
	Education     *string     `json:"education"`
	JoinedOn      *civil.Date `json:"joined_on"`
	FullOn        *civil.Date `json:"full_on"`
	Job           *string     `json:"job"`
	Phone         *string     `json:"phone"`
	Address       *string     `json:"address"`
	LostContact   *bool       `json:"lost_contact"`
	LostOn        *civil.Date `json:"lost_on"`
	LostSituation *string     `json:"lost_situation"`
	Mobile        *bool       `json:"mobile"`
	MobileTo      *string     `json:"mobile_to"`
	NativePlace   *string     `json:"native_place"`
	Degree        *string     `json:"degree"`
	TechTitle     *string     `json:"tech_title"`
	PartyPost     *string     `json:"party_post"`
	WorkStartedOn *civil.Date `json:"work_started_on"`
	Hardship      *bool       `json:"hardship"`
	Introducers   *string     `json:"introducers"`
	Version       int         `json:"version" doc:"读取时的版本号，原样带回"`
}

func (p *Patch) apply(in *Input) {
	set(&in.Name, p.Name)
	set(&in.Gender, p.Gender)
	set(&in.IDNumber, p.IDNumber)
	set(&in.Ethnicity, p.Ethnicity)
	set(&in.BirthDate, p.BirthDate)
	set(&in.Education, p.Education)
	set(&in.JoinedOn, p.JoinedOn)
	set(&in.FullOn, p.FullOn)
	set(&in.Job, p.Job)
	set(&in.Phone, p.Phone)
	set(&in.Address, p.Address)
	set(&in.LostContact, p.LostContact)
	set(&in.LostOn, p.LostOn)
	set(&in.LostSituation, p.LostSituation)
	set(&in.Mobile, p.Mobile)
	set(&in.MobileTo, p.MobileTo)
	set(&in.NativePlace, p.NativePlace)
	set(&in.Degree, p.Degree)
	set(&in.TechTitle, p.TechTitle)
	set(&in.PartyPost, p.PartyPost)
	set(&in.WorkStartedOn, p.WorkStartedOn)
	set(&in.Hardship, p.Hardship)
	set(&in.Introducers, p.Introducers)
	// A new 公民身份号码 brings its own 出生日期 and 性别 unless they are given too.
	if p.IDNumber != nil {
		if p.BirthDate == nil {
			in.BirthDate = civil.Date{}
		}
		if p.Gender == nil {
			in.Gender = ""
		}
	}
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// row is a member as stored: sealed values and masks side by side.
type row struct {
	Member
	path                                 string
	idCipher, phoneCipher, addressCipher string
	idMask, phoneHash, phoneMask         string
	addressMask                          string
}

const memberSelect = `SELECT m.id, m.org_id, o.code, o.name, m.org_path, m.name, m.gender, m.id_cipher, m.id_mask, m.ethnicity,
	m.birth_date, m.education, m.joined_on, m.full_on, m.job, m.phone_cipher, m.phone_hash, m.phone_mask, m.address_cipher,
	m.address_mask, m.status, m.status_on, m.lost_contact, m.lost_on, m.lost_situation, m.mobile, m.mobile_to, m.native_place,
	m.degree, m.tech_title, m.party_post, m.work_started_on, m.hardship, m.introducers, CASE WHEN m.photo IS NULL THEN 0 ELSE 1 END,
	m.user_id, m.created_at, m.updated_at, m.version
	FROM members m JOIN orgs o ON o.id = m.org_id`

func scanRow(sc interface{ Scan(...any) error }) (*row, error) {
	var r row
	var photo int
	err := sc.Scan(&r.ID, &r.OrgID, &r.OrgCode, &r.OrgName, &r.path, &r.Name, &r.Gender, &r.idCipher, &r.idMask, &r.Ethnicity,
		&r.BirthDate, &r.Education, &r.JoinedOn, &r.FullOn, &r.Job, &r.phoneCipher, &r.phoneHash, &r.phoneMask, &r.addressCipher,
		&r.addressMask, &r.Status, &r.StatusOn, &r.LostContact, &r.LostOn, &r.LostSituation, &r.Mobile, &r.MobileTo, &r.NativePlace,
		&r.Degree, &r.TechTitle, &r.PartyPost, &r.WorkStartedOn, &r.Hardship, &r.Introducers, &photo,
		&r.UserID, &r.CreatedAt, &r.UpdatedAt, &r.Version)
	r.HasPhoto = photo == 1
	return &r, err
}

// fill completes the derived fields and sets the personal data: full values when reveal,
// masks otherwise.
func (s *Store) fill(r *row, codes *Codes, reveal bool) (*Member, error) {
	m := r.Member
	m.Category = CategoryProbationary
	if !m.FullOn.IsZero() {
		m.Category = CategoryFull
	}
	m.Age = Age(m.BirthDate, s.Today())
	m.GenderName = codes.Name(KindGender, m.Gender)
	m.EthnicityName = codes.Name(KindEthnicity, m.Ethnicity)
	m.EducationName = codes.Name(KindEducation, m.Education)
	m.CategoryName = categoryNames[m.Category]
	m.JobName = codes.Name(KindJob, m.Job)
	m.StatusName = codes.Name(KindStatus, string(m.Status))
	m.IDNumber, m.Phone, m.Address = r.idMask, r.phoneMask, r.addressMask
	if reveal {
		var err error
		if m.IDNumber, err = s.key.Open(r.idCipher); err != nil {
			return nil, err
		}
		if m.Phone, err = s.key.Open(r.phoneCipher); err != nil {
			return nil, err
		}
		if m.Address, err = s.key.Open(r.addressCipher); err != nil {
			return nil, err
		}
		m.Revealed = true
	}
	return &m, nil
}

var categoryNames = map[Category]string{CategoryFull: "正式党员", CategoryProbationary: "预备党员"}

// input is the stored record as an Input (personal data opened: the store re-validates whole
// records; nothing of it is shown).
func (s *Store) input(r *row) (Input, error) {
	in := Input{OrgID: r.OrgID, Name: r.Name, Gender: r.Gender, Ethnicity: r.Ethnicity, BirthDate: r.BirthDate,
		Education: r.Education, JoinedOn: r.JoinedOn, FullOn: r.FullOn, Job: r.Job, LostContact: r.LostContact, LostOn: r.LostOn,
		LostSituation: r.LostSituation, Mobile: r.Mobile, MobileTo: r.MobileTo, NativePlace: r.NativePlace, Degree: r.Degree,
		TechTitle: r.TechTitle, PartyPost: r.PartyPost, WorkStartedOn: r.WorkStartedOn, Hardship: r.Hardship, Introducers: r.Introducers}
	var err error
	if in.IDNumber, err = s.key.Open(r.idCipher); err != nil {
		return in, err
	}
	if in.Phone, err = s.key.Open(r.phoneCipher); err != nil {
		return in, err
	}
	in.Address, err = s.key.Open(r.addressCipher)
	return in, err
}

// sealed is the protected form of a record's personal data.
type sealed struct {
	idCipher, idHash, idMask          string
	phoneCipher, phoneHash, phoneMask string
	addressCipher, addressMask        string
}

func (s *Store) seal(in *Input) (sealed, error) {
	var out sealed
	var err error
	if out.idCipher, err = s.key.Seal(in.IDNumber); err != nil {
		return out, err
	}
	out.idHash, out.idMask = s.key.Hash(in.IDNumber), pii.MaskID(in.IDNumber)
	if out.phoneCipher, err = s.key.Seal(in.Phone); err != nil {
		return out, err
	}
	out.phoneHash, out.phoneMask = s.key.Hash(NormalizePhone(in.Phone)), pii.MaskPhone(in.Phone)
	if out.addressCipher, err = s.key.Seal(in.Address); err != nil {
		return out, err
	}
	out.addressMask = pii.MaskAddress(in.Address)
	return out, nil
}

const insertSQL = `INSERT INTO members (org_id, org_path, name, gender, id_cipher, id_hash, id_mask, ethnicity, birth_date, education,
	joined_on, full_on, job, phone_cipher, phone_hash, phone_mask, address_cipher, address_mask, lost_contact, lost_on, lost_situation,
	mobile, mobile_to, native_place, degree, tech_title, party_post, work_started_on, hardship, introducers, created_at, updated_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

func insertArgs(in *Input, path string, p sealed, now time.Time) []any {
	return []any{in.OrgID, path, in.Name, in.Gender, p.idCipher, p.idHash, p.idMask, in.Ethnicity, in.BirthDate, in.Education,
		in.JoinedOn, in.FullOn, in.Job, p.phoneCipher, p.phoneHash, p.phoneMask, p.addressCipher, p.addressMask, in.LostContact,
		in.LostOn, in.LostSituation, in.Mobile, in.MobileTo, in.NativePlace, in.Degree, in.TechTitle, in.PartyPost, in.WorkStartedOn,
		in.Hardship, in.Introducers, now, now}
}

const updateSQL = `UPDATE members SET name = ?, gender = ?, id_cipher = ?, id_hash = ?, id_mask = ?, ethnicity = ?, birth_date = ?,
	education = ?, joined_on = ?, full_on = ?, job = ?, phone_cipher = ?, phone_hash = ?, phone_mask = ?, address_cipher = ?,
	address_mask = ?, lost_contact = ?, lost_on = ?, lost_situation = ?, mobile = ?, mobile_to = ?, native_place = ?, degree = ?,
	tech_title = ?, party_post = ?, work_started_on = ?, hardship = ?, introducers = ?, updated_at = ?, version = version + 1
	WHERE id = ?`

func updateArgs(in *Input, p sealed, now time.Time, id int64) []any {
	return []any{in.Name, in.Gender, p.idCipher, p.idHash, p.idMask, in.Ethnicity, in.BirthDate, in.Education, in.JoinedOn,
		in.FullOn, in.Job, p.phoneCipher, p.phoneHash, p.phoneMask, p.addressCipher, p.addressMask, in.LostContact, in.LostOn,
		in.LostSituation, in.Mobile, in.MobileTo, in.NativePlace, in.Degree, in.TechTitle, in.PartyPost, in.WorkStartedOn,
		in.Hardship, in.Introducers, now, id}
}

var errNotFound = api.NotFound("党员不存在，或不在您的管理范围内")

// load reads one member without any scope check.
func load(ctx context.Context, q db.Querier, id int64) (*row, error) {
	r, err := scanRow(q.QueryRow(ctx, memberSelect+` WHERE m.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound
	}
	return r, err
}

// own reports whether r is the caller's own record (党员 role, linked by user_id).
func own(ctx context.Context, r *row) bool {
	p := access.From(ctx)
	return p != nil && p.UserID != 0 && r.UserID != nil && *r.UserID == p.UserID && p.Can(access.SelfRead)
}

func readable(ctx context.Context, r *row) bool {
	return access.Covers(ctx, access.OrgRead, r.path) || own(ctx, r)
}

// findReadable loads a member the caller may read.
func (s *Store) findReadable(ctx context.Context, q db.Querier, id int64) (*row, error) {
	r, err := load(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if !readable(ctx, r) {
		return nil, errNotFound
	}
	return r, nil
}

// findWritable loads a member the caller may change: 404 outside their read scope, 403 where
// they may only read.
func (s *Store) findWritable(ctx context.Context, q db.Querier, id int64) (*row, error) {
	r, err := s.findReadable(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if !access.Covers(ctx, access.OrgWrite, r.path) {
		if !access.Covers(ctx, access.OrgRead, r.path) {
			return nil, api.Forbidden("本人信息请通过“我的党员信息”自助提交修改，由党支部审核")
		}
		return nil, api.Forbidden("您对党员“" + r.Name + "”所在的" + r.OrgName + "只有查看权限")
	}
	return r, nil
}

// branch is an organisation members may belong to.
type branch struct {
	id         int64
	code, name string
	path       string
}

// resolveBranch returns the 党支部 (联合党支部, 临时党支部) members of org id belong to: the org
// itself, or for a 党小组 its branch.
func resolveBranch(ctx context.Context, q db.Querier, id int64) (*branch, string) {
	b, why, err := findBranch(ctx, q, id)
	if err != nil || why == branchMissing || !access.Covers(ctx, access.OrgRead, b.Path) {
		return nil, "所在党支部不存在，或不在您的管理范围内"
	}
	switch why {
	case branchNotBranch:
		return nil, "党员应编入党支部（联合党支部、临时党支部）或党小组，而“" + b.Name + "”是" + b.typ.Name()
	case branchDissolved:
		return nil, "“" + b.Name + "”已撤销，不能编入党员"
	}
	return &branch{id: b.ID, code: b.code, name: b.Name, path: b.Path}, ""
}

// Why findBranch found no branch that may hold members.
const (
	branchOK = iota
	branchMissing
	branchNotBranch
	branchDissolved
)

// findBranch resolves org id to the 党支部 (联合党支部, 临时党支部) its members belong to — a
// 党小组 resolves to its branch — anywhere in the system; the callers check scope and word
// the refusal for their act.
func findBranch(ctx context.Context, q db.Querier, id int64) (*Branch, int, error) {
	var b Branch
	var status org.Status
	var parent *int64
	err := q.QueryRow(ctx, `SELECT id, code, name, path, type, status, parent_id, division_code FROM orgs WHERE id = ?`, id).
		Scan(&b.ID, &b.code, &b.Name, &b.Path, &b.typ, &status, &parent, &b.DivisionCode)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, branchMissing, nil
	case err != nil:
		return nil, branchMissing, err
	case b.typ == org.TypeGroup && parent != nil:
		return findBranch(ctx, q, *parent)
	case !b.typ.IsBranchLike():
		return &b, branchNotBranch, nil
	case status != org.StatusActive:
		return &b, branchDissolved, nil
	}
	return &b, branchOK, nil
}

// principalName is who acts, for history rows.
func principalName(ctx context.Context) string {
	if p := access.From(ctx); p != nil {
		return p.Username
	}
	return "system"
}

// Get returns one member with histories and status changes; reveal asks for the full
// 公民身份号码, phone and address, which needs pii.read on the member's org (or is the caller's
// own record) and is audited as member.reveal.
func (s *Store) Get(ctx context.Context, id int64, reveal bool) (*Detail, error) {
	r, err := s.findReadable(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if reveal {
		if !own(ctx, r) && !access.Covers(ctx, access.PIIRead, r.path) {
			return nil, api.Forbidden("查看完整的公民身份号码、联系电话和家庭住址需要“查看个人敏感信息”（pii.read）权限")
		}
		if err := s.db.InTx(ctx, func(tx *db.Tx) error { return s.auditReveal(ctx, tx, r, "") }); err != nil {
			return nil, err
		}
	}
	return s.detail(ctx, s.db, r, reveal)
}

func (s *Store) auditReveal(ctx context.Context, tx *db.Tx, r *row, how string) error {
	var fields []string
	if r.idCipher != "" {
		fields = append(fields, "公民身份号码")
	}
	if r.phoneCipher != "" {
		fields = append(fields, "联系电话")
	}
	if r.addressCipher != "" {
		fields = append(fields, "家庭住址")
	}
	return audit.Record(ctx, tx, audit.Entry{Action: "member.reveal", Entity: "member", EntityID: strconv.FormatInt(r.ID, 10),
		Summary: fmt.Sprintf("%s查看党员“%s”（%s）的完整个人信息：%s", how, r.Name, r.OrgName, strings.Join(fields, "、")),
		After:   map[string]any{"member_id": r.ID, "fields": []string{"id_number", "phone", "address"}}})
}

func (s *Store) detail(ctx context.Context, q db.Querier, r *row, reveal bool) (*Detail, error) {
	codes, err := loadCodes(ctx, q)
	if err != nil {
		return nil, err
	}
	m, err := s.fill(r, codes, reveal)
	if err != nil {
		return nil, err
	}
	d := &Detail{Member: *m, History: []History{}, StatusChanges: []StatusRecord{}, Warnings: []Warning{}}
	if d.History, err = history(ctx, q, r.ID); err != nil {
		return nil, err
	}
	if d.StatusChanges, err = statusChanges(ctx, q, r.ID); err != nil {
		return nil, err
	}
	in, err := s.input(r)
	if err != nil {
		return nil, err
	}
	if _, w := CheckWith(&in, s.Today(), codes); len(w) > 0 {
		d.Warnings = w
	}
	return d, nil
}

// masked is a member as the audit log keeps it: personal data masked.
func (s *Store) masked(ctx context.Context, q db.Querier, id int64) (*Member, error) {
	r, err := load(ctx, q, id)
	if err != nil {
		return nil, err
	}
	return s.fill(r, DefaultCodes, false)
}

// idTaken reports whether another member already has the 公民身份号码 with hash; where is
// their org when the caller may read it ("" otherwise: scope does not leak where).
func idTaken(ctx context.Context, q db.Querier, hash string, except int64) (bool, string, error) {
	var path, name string
	err := q.QueryRow(ctx, `SELECT m.org_path, o.name FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.id_hash = ? AND m.id <> ?`,
		hash, except).Scan(&path, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return false, "", nil
	}
	if err != nil {
		return false, "", err
	}
	if access.Covers(ctx, access.OrgRead, path) {
		return true, name, nil
	}
	return true, "", nil
}

func duplicateIDMessage(where string) string {
	if where != "" {
		return "该公民身份号码已登记：在“" + where + "”"
	}
	return "该公民身份号码已在其他党组织登记（不在您的管理范围内），请联系上级组织部门办理组织关系转接"
}

// Create adds a member to a 党支部 the caller may change.
func (s *Store) Create(ctx context.Context, in Input) (*Detail, error) {
	var id int64
	err := s.db.InTx(ctx, func(tx *db.Tx) (err error) {
		id, err = s.CreateTx(ctx, tx, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id, false)
}

// CreateTx is Create inside the caller's transaction, for acts that add a member as part of
// something larger (a 发展 case approved, a transfer received from outside the system).
func (s *Store) CreateTx(ctx context.Context, tx *db.Tx, in Input) (int64, error) {
	codes, err := loadCodes(ctx, tx)
	if err != nil {
		return 0, err
	}
	f, _ := CheckWith(&in, s.Today(), codes)
	kind, counted := addedAs(in, s.Today())
	if in.AddedAs != "" && !counted && in.AddedAs != AddedRegister {
		f.Add("added_as", "增加方式应为 register（补录）、develop（新发展）、rejoin（重新入党）或 transfer_in（从系统外转入）")
	}
	var b *branch
	if in.OrgID == 0 {
		f.Add("org_id", "请选择所在党支部")
	} else if br, msg := resolveBranch(ctx, tx, in.OrgID); msg != "" {
		f.Add("org_id", msg)
	} else if !access.Covers(ctx, access.OrgWrite, br.path) {
		return 0, api.Forbidden("您对“" + br.name + "”只有查看权限，不能新增党员")
	} else {
		b, in.OrgID = br, br.id
	}
	p, err := s.seal(&in)
	if err != nil {
		return 0, err
	}
	if !f.Has("id_number") {
		if taken, where, err := idTaken(ctx, tx, p.idHash, 0); err != nil {
			return 0, err
		} else if taken {
			f.Add("id_number", duplicateIDMessage(where))
		}
	}
	if err := f.Err(); err != nil {
		return 0, err
	}
	var id int64
	if err := tx.QueryRow(ctx, insertSQL+` RETURNING id`, insertArgs(&in, b.path, p, time.Now().UTC())...).Scan(&id); err != nil {
		if db.IsUniqueViolation(err) {
			return 0, api.FieldInvalid("id_number", duplicateIDMessage(""))
		}
		return 0, err
	}
	if counted {
		on := in.JoinedOn
		if kind != EventDevelop {
			if on = in.AddedOn; on.IsZero() {
				on = s.Today()
			} else if on.After(s.Today()) {
				return 0, api.FieldInvalid("added_on", "转入或重新入党日期不能晚于今天")
			}
		}
		if err := RecordEvent(ctx, tx, Event{MemberID: id, On: on, Kind: kind, ToPath: b.path, Ref: in.AddedRef}); err != nil {
			return 0, err
		}
	}
	if err := org.RecountMembers(ctx, tx, b.id); err != nil {
		return 0, err
	}
	after, err := s.masked(ctx, tx, id)
	if err != nil {
		return 0, err
	}
	return id, audit.Record(ctx, tx, audit.Entry{Action: "member.create", Entity: "member", EntityID: strconv.FormatInt(id, 10),
		Summary: fmt.Sprintf("%s新增党员“%s”", b.name, in.Name), After: after})
}

// fieldLabels name the fields in change summaries.
var fieldLabels = map[string]string{
	"org": "所在党支部", "name": "姓名", "gender": "性别", "id_number": "公民身份号码", "ethnicity": "民族", "birth_date": "出生日期",
	"education": "学历", "joined_on": "加入党组织日期", "full_on": "转为正式党员日期", "job": "工作岗位", "phone": "联系电话",
	"address": "家庭住址", "lost_contact": "是否失联", "lost_on": "失去联系日期", "lost_situation": "失联情形", "mobile": "是否流动党员",
	"mobile_to": "外出流向", "native_place": "籍贯", "degree": "学位", "tech_title": "专业技术职务", "party_post": "党内职务",
	"work_started_on": "参加工作日期", "hardship": "生活困难", "introducers": "入党介绍人",
}

// changed lists the JSON names of the fields that differ between a and b.
func changed(a, b *Input) []string {
	var out []string
	add := func(name string, differ bool) {
		if differ {
			out = append(out, name)
		}
	}
	add("org", a.OrgID != b.OrgID)
	add("name", a.Name != b.Name)
	add("gender", a.Gender != b.Gender)
	add("id_number", a.IDNumber != b.IDNumber)
	add("ethnicity", a.Ethnicity != b.Ethnicity)
	add("birth_date", a.BirthDate != b.BirthDate)
	add("education", a.Education != b.Education)
	add("joined_on", a.JoinedOn != b.JoinedOn)
	add("full_on", a.FullOn != b.FullOn)
	add("job", a.Job != b.Job)
	add("phone", a.Phone != b.Phone)
	add("address", a.Address != b.Address)
	add("lost_contact", a.LostContact != b.LostContact)
	add("lost_on", a.LostOn != b.LostOn)
	add("lost_situation", a.LostSituation != b.LostSituation)
	add("mobile", a.Mobile != b.Mobile)
	add("mobile_to", a.MobileTo != b.MobileTo)
	add("native_place", a.NativePlace != b.NativePlace)
	add("degree", a.Degree != b.Degree)
	add("tech_title", a.TechTitle != b.TechTitle)
	add("party_post", a.PartyPost != b.PartyPost)
	add("work_started_on", a.WorkStartedOn != b.WorkStartedOn)
	add("hardship", a.Hardship != b.Hardship)
	add("introducers", a.Introducers != b.Introducers)
	return out
}

func labels(fields []string) string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = fieldLabels[f]
	}
	return strings.Join(out, "、")
}

// Update changes a member's fields. patch.Version must be the version read: a stale one is a
// 409, so two people editing one record cannot silently overwrite each other.
func (s *Store) Update(ctx context.Context, id int64, patch Patch) (*Detail, error) {
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		r, err := s.findWritable(ctx, tx, id)
		if err != nil {
			return err
		}
		if patch.Version != r.Version {
			return api.Conflict(fmt.Sprintf("党员“%s”的信息已被他人修改（您读取的是第 %d 版，现为第 %d 版），请刷新后重新修改", r.Name, patch.Version, r.Version))
		}
		_, err = s.update(ctx, tx, r, patch.apply, "member.update", "修改")
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id, false)
}

// update applies change to r's record, validates the whole record, saves and audits it; it
// returns the changed fields (none: nothing written).
func (s *Store) update(ctx context.Context, tx *db.Tx, r *row, change func(*Input), action, verb string) ([]string, error) {
	codes, err := loadCodes(ctx, tx)
	if err != nil {
		return nil, err
	}
	old, err := s.input(r)
	if err != nil {
		return nil, err
	}
	// Normalise the stored record the same way, so only real changes count.
	CheckWith(&old, s.Today(), codes)
	next := old
	change(&next)
	f, _ := CheckWith(&next, s.Today(), codes)
	p, err := s.seal(&next)
	if err != nil {
		return nil, err
	}
	if next.IDNumber != old.IDNumber && !f.Has("id_number") {
		if taken, where, err := idTaken(ctx, tx, p.idHash, r.ID); err != nil {
			return nil, err
		} else if taken {
			f.Add("id_number", duplicateIDMessage(where))
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	fields := changed(&old, &next)
	if len(fields) == 0 {
		return nil, nil
	}
	before, err := s.fill(r, codes, false)
	if err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, updateSQL, updateArgs(&next, p, time.Now().UTC(), r.ID)...); err != nil {
		if db.IsUniqueViolation(err) {
			return nil, api.FieldInvalid("id_number", duplicateIDMessage(""))
		}
		return nil, err
	}
	if next.FullOn.IsZero() != old.FullOn.IsZero() {
		if err := org.RecountMembers(ctx, tx, r.OrgID); err != nil {
			return nil, err
		}
	}
	after, err := s.masked(ctx, tx, r.ID)
	if err != nil {
		return nil, err
	}
	return fields, audit.Record(ctx, tx, audit.Entry{Action: action, Entity: "member", EntityID: strconv.FormatInt(r.ID, 10),
		Summary: fmt.Sprintf("%s党员“%s”：%s", verb, r.Name, labels(fields)), Before: before, After: after})
}

// MoveInput is a bulk move (组织关系在本管理范围内的转移).
type MoveInput struct {
	IDs   []int64    `json:"ids"`
	OrgID int64      `json:"org_id" doc:"转入的党支部（或党小组）"`
	On    civil.Date `json:"on" doc:"转移日期；不填为今天"`
	Note  string     `json:"note"`
}

// Move puts members into another 党支部 inside the caller's write scope, each recorded as a
// transfer history row; it returns how many moved.
func (s *Store) Move(ctx context.Context, ids []int64, toOrg int64) (int, error) {
	return s.MoveOn(ctx, MoveInput{IDs: ids, OrgID: toOrg})
}

// MoveOn is Move with a date and a note.
func (s *Store) MoveOn(ctx context.Context, in MoveInput) (int, error) {
	if len(in.IDs) == 0 {
		return 0, api.FieldInvalid("ids", "请选择要转移的党员")
	}
	if len(in.IDs) > 1000 {
		return 0, api.FieldInvalid("ids", "一次最多转移1000名党员")
	}
	on := in.On
	if on.IsZero() {
		on = s.Today()
	} else if on.After(s.Today()) {
		return 0, api.FieldInvalid("on", "转移日期不能晚于今天")
	}
	n := 0
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		to, msg := resolveBranch(ctx, tx, in.OrgID)
		if msg != "" {
			return api.FieldInvalid("org_id", msg)
		}
		if !access.Covers(ctx, access.OrgWrite, to.path) {
			return api.Forbidden("您对“" + to.name + "”只有查看权限，不能把党员转入")
		}
		if len(in.IDs) > 1 {
			if err := org.LockRollups(ctx, tx); err != nil {
				return err
			}
		}
		touched := []int64{to.id}
		var names []string
		now := time.Now().UTC()
		seen := map[int64]bool{}
		for _, id := range in.IDs {
			if seen[id] {
				continue
			}
			seen[id] = true
			r, err := s.findWritable(ctx, tx, id)
			if err != nil {
				return err
			}
			if r.OrgID == to.id {
				continue
			}
			if _, err := moveTx(ctx, tx, r, to.id, to.name, to.path, on, in.Note, "", now); err != nil {
				return err
			}
			touched = append(touched, r.OrgID)
			names = append(names, r.Name)
			n++
		}
		if n == 0 {
			return nil
		}
		if err := org.RecountMembers(ctx, tx, touched...); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "member.move", Entity: "member", EntityID: strconv.FormatInt(to.id, 10),
			Summary: fmt.Sprintf("将 %d 名党员转入“%s”：%s", n, to.name, strings.Join(names, "、")),
			After:   map[string]any{"ids": in.IDs, "org_id": to.id, "on": on}})
	})
	return n, err
}

// moveTx puts member r into the branch toID: its org and path, a 组织关系变动 history row and,
// when the member counts, the ledger row from the old path to the new. The caller recounts
// and audits. It returns the history row's text.
func moveTx(ctx context.Context, tx *db.Tx, r *row, toID int64, toName, toPath string, on civil.Date, note, ref string, now time.Time) (string, error) {
	if _, err := tx.Exec(ctx, `UPDATE members SET org_id = ?, org_path = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
		toID, toPath, now, r.ID); err != nil {
		return "", err
	}
	detail := "由“" + r.OrgName + "”转入“" + toName + "”"
	if note = strings.TrimSpace(note); note != "" {
		detail += "；" + note
	}
	if err := transferHistory(ctx, tx, r.ID, on, detail, now); err != nil {
		return "", err
	}
	if r.Status == StatusNormal {
		if err := RecordEvent(ctx, tx, Event{MemberID: r.ID, On: on, Kind: EventTransfer, FromPath: r.path, ToPath: toPath, Ref: ref}); err != nil {
			return "", err
		}
	}
	return detail, nil
}

// History kinds.
var historyKinds = map[string]string{"post": "职务", "award": "奖励", "punishment": "惩处", "transfer": "组织关系变动"}

// History is one entry of a member's 职务、奖惩 or 组织关系变动 history.
type History struct {
	ID        int64      `json:"id"`
	Kind      string     `json:"kind" doc:"post 职务、award 奖励、punishment 惩处、transfer 组织关系变动"`
	KindName  string     `json:"kind_name"`
	StartedOn civil.Date `json:"started_on"`
	EndedOn   civil.Date `json:"ended_on"`
	Title     string     `json:"title"`
	Detail    string     `json:"detail"`
	CreatedAt time.Time  `json:"created_at"`
}

// HistoryInput is a new history entry.
type HistoryInput struct {
	Kind      string     `json:"kind"`
	StartedOn civil.Date `json:"started_on"`
	EndedOn   civil.Date `json:"ended_on"`
	Title     string     `json:"title"`
	Detail    string     `json:"detail"`
}

func history(ctx context.Context, q db.Querier, id int64) ([]History, error) {
	rows, err := q.Query(ctx, `SELECT id, kind, started_on, ended_on, title, detail, created_at FROM member_history
		WHERE member_id = ? ORDER BY started_on, id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []History{}
	for rows.Next() {
		var h History
		if err := rows.Scan(&h.ID, &h.Kind, &h.StartedOn, &h.EndedOn, &h.Title, &h.Detail, &h.CreatedAt); err != nil {
			return nil, err
		}
		h.KindName = historyKinds[h.Kind]
		out = append(out, h)
	}
	return out, rows.Err()
}

// Histories lists a member's history entries.
func (s *Store) Histories(ctx context.Context, memberID int64) ([]History, error) {
	if _, err := s.findReadable(ctx, s.db, memberID); err != nil {
		return nil, err
	}
	return history(ctx, s.db, memberID)
}

// AddHistory records a 职务, 奖励, 惩处 or 组织关系变动 entry.
func (s *Store) AddHistory(ctx context.Context, memberID int64, in HistoryInput) (*History, error) {
	in.Title, in.Detail = strings.TrimSpace(in.Title), strings.TrimSpace(in.Detail)
	var h History
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		r, err := s.findWritable(ctx, tx, memberID)
		if err != nil {
			return err
		}
		var f api.Fields
		if historyKinds[in.Kind] == "" {
			f.Add("kind", "类别应为 post（职务）、award（奖励）、punishment（惩处）或 transfer（组织关系变动）")
		}
		if n := len([]rune(in.Title)); n == 0 || n > 100 {
			f.Add("title", "请填写名称（职务名称、奖惩名称等），最长100字")
		}
		if len([]rune(in.Detail)) > 1000 {
			f.Add("detail", "说明最长1000字")
		}
		if in.StartedOn.IsZero() {
			f.Add("started_on", "请填写日期")
		} else if in.StartedOn.After(s.Today()) {
			f.Add("started_on", "日期不能晚于今天")
		}
		if !in.EndedOn.IsZero() && in.EndedOn.Before(in.StartedOn) {
			f.Add("ended_on", "结束日期不能早于开始日期")
		}
		if err := f.Err(); err != nil {
			return err
		}
		now := time.Now().UTC()
		if err := tx.QueryRow(ctx, `INSERT INTO member_history (member_id, kind, started_on, ended_on, title, detail, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, memberID, in.Kind, in.StartedOn, in.EndedOn, in.Title, in.Detail, now).Scan(&h.ID); err != nil {
			return err
		}
		h = History{ID: h.ID, Kind: in.Kind, KindName: historyKinds[in.Kind], StartedOn: in.StartedOn, EndedOn: in.EndedOn,
			Title: in.Title, Detail: in.Detail, CreatedAt: now}
		return audit.Record(ctx, tx, audit.Entry{Action: "member.history", Entity: "member", EntityID: strconv.FormatInt(memberID, 10),
			Summary: fmt.Sprintf("党员“%s”新增%s记录：%s", r.Name, h.KindName, h.Title), After: h})
	})
	if err != nil {
		return nil, err
	}
	return &h, nil
}

// DeleteHistory removes a history entry entered by mistake.
func (s *Store) DeleteHistory(ctx context.Context, memberID, historyID int64) error {
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		r, err := s.findWritable(ctx, tx, memberID)
		if err != nil {
			return err
		}
		hs, err := history(ctx, tx, memberID)
		if err != nil {
			return err
		}
		for _, h := range hs {
			if h.ID != historyID {
				continue
			}
			if _, err := tx.Exec(ctx, `DELETE FROM member_history WHERE id = ? AND member_id = ?`, historyID, memberID); err != nil {
				return err
			}
			return audit.Record(ctx, tx, audit.Entry{Action: "member.history_delete", Entity: "member", EntityID: strconv.FormatInt(memberID, 10),
				Summary: fmt.Sprintf("删除党员“%s”的%s记录：%s", r.Name, h.KindName, h.Title), Before: h})
		}
		return api.NotFound("该记录不存在")
	})
}

// LinkUser links a 党员 account to a member record (self-service), or unlinks it (userID 0).
// The account must hold the 党员 role at an org inside the caller's write scope.
func (s *Store) LinkUser(ctx context.Context, memberID, userID int64) (*Detail, error) {
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		r, err := s.findWritable(ctx, tx, memberID)
		if err != nil {
			return err
		}
		var target *int64
		summary := fmt.Sprintf("解除党员“%s”与账号的关联", r.Name)
		if userID != 0 {
			var username, path string
			err := tx.QueryRow(ctx, `SELECT u.username, o.path FROM users u JOIN user_roles ur ON ur.user_id = u.id AND ur.role = 'member'
				JOIN orgs o ON o.id = ur.org_id WHERE u.id = ?`, userID).Scan(&username, &path)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && !access.Covers(ctx, access.OrgWrite, path)) {
				return api.FieldInvalid("user_id", "该账号不存在、不是“党员”角色，或其所在组织不在您的管理范围内")
			}
			if err != nil {
				return err
			}
			var other int64
			err = tx.QueryRow(ctx, `SELECT id FROM members WHERE user_id = ? AND id <> ?`, userID, memberID).Scan(&other)
			if err == nil {
				return api.FieldInvalid("user_id", "该账号已关联其他党员")
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			target = &userID
			summary = fmt.Sprintf("将党员“%s”关联到账号 %s", r.Name, username)
		}
		if _, err := tx.Exec(ctx, `UPDATE members SET user_id = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
			target, time.Now().UTC(), memberID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "member.link_user", Entity: "member", EntityID: strconv.FormatInt(memberID, 10),
			Summary: summary, Before: map[string]any{"user_id": r.UserID}, After: map[string]any{"user_id": target}})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, memberID, false)
}

// ErrWrongKey is returned by CheckKey when the key is not the one the database's personal
// data was sealed with.
var ErrWrongKey = errors.New("个人信息密钥与数据库不符：数据库中的身份证号、电话、住址是用另一把密钥加密的。" +
	"请使用最初的密钥（--pii-key、DANGJIAN_PII_KEY 或 DANGJIAN_PII_KEY_FILE，或原数据目录中的 pii.key）；多台服务器须配置同一密钥")

// CheckKey makes sure the store's key is the key of the database: the first start records a
// keyed fingerprint in settings, and a process started with another key (a second server that
// generated its own pii.key, a restored database without its key) refuses to run rather than
// seal data nobody else can open.
func (s *Store) CheckKey(ctx context.Context) error {
	mark := s.key.Hash("dangjian pii key check v1")
	if _, err := s.db.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ('pii.key_check', ?, ?) ON CONFLICT (key) DO NOTHING`,
		mark, time.Now().UTC()); err != nil {
		return err
	}
	var have string
	if err := s.db.QueryRow(ctx, `SELECT value FROM settings WHERE key = 'pii.key_check'`).Scan(&have); err != nil {
		return err
	}
	if have != mark {
		return ErrWrongKey
	}
	return nil
}
