// Package dues is 党费: each member's standard computed from the official table (versioned
// and effective-dated by month), the monthly ledger of what was paid, when, how and by whom,
// month close per 党支部, arrears reminders for the people who must act, the roll-up of any
// subtree with the 5% remittance, the yearly 公示, and each member's own view. Amounts are
// integer 分 throughout. Every query is scoped through access.Filter / access.Covers on the
// member's (or entry's) org path.
package dues

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/pii"
)

// Store keeps the dues books.
type Store struct {
	db  *db.DB
	key *pii.Key // the member registry's key: imports find members by the keyed hash of the ID number
	// Today is the current day; tests replace it.
	Today func() civil.Date
}

// NewStore returns a Store on d; key is the member registry's personal-data key.
func NewStore(d *db.DB, key *pii.Key) *Store { return &Store{db: d, key: key, Today: civil.Today} }

func (s *Store) thisMonth() Month { return MonthOf(s.Today()) }

// principalName is who acts, for created_by columns.
func principalName(ctx context.Context) string {
	if p := access.From(ctx); p != nil {
		return p.Username
	}
	return "system"
}

// OrgRef names an organisation in answers.
type OrgRef struct {
	ID       int64    `json:"id"`
	Code     string   `json:"code"`
	Name     string   `json:"name"`
	Type     org.Type `json:"type"`
	TypeName string   `json:"type_name"`
	path     string
	parentID *int64
	status   org.Status
}

var errOrgNotFound = api.NotFound("组织不存在，或不在您的管理范围内")

// findOrg loads an organisation the caller may read (404 otherwise); write asks for org.write
// too (403 where the caller may only read).
func findOrg(ctx context.Context, q db.Querier, id int64, write bool) (*OrgRef, error) {
	var o OrgRef
	err := q.QueryRow(ctx, `SELECT id, code, name, type, path, parent_id, status FROM orgs WHERE id = ?`, id).
		Scan(&o.ID, &o.Code, &o.Name, &o.Type, &o.path, &o.parentID, &o.status)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !access.Covers(ctx, access.OrgRead, o.path)) {
		return nil, errOrgNotFound
	}
	if err != nil {
		return nil, err
	}
	o.TypeName = o.Type.Name()
	if write && !access.Covers(ctx, access.OrgWrite, o.path) {
		return nil, api.Forbidden("您对“" + o.Name + "”只有查看权限")
	}
	return &o, nil
}

// findBranch loads the 党支部 whose books an org id stands for: the org itself, or a 党小组's
// branch. field names the request field for the error.
func findBranch(ctx context.Context, q db.Querier, id int64, write bool, field string) (*OrgRef, error) {
	if id == 0 {
		return nil, api.FieldInvalid(field, "请选择党支部")
	}
	o, err := findOrg(ctx, q, id, write)
	if err != nil {
		return nil, err
	}
	if o.Type == org.TypeGroup && o.parentID != nil {
		return findBranch(ctx, q, *o.parentID, write, field)
	}
	if !o.Type.IsBranchLike() {
		return nil, api.FieldInvalid(field, "党费按党支部收缴和结账，“"+o.Name+"”是"+o.TypeName+"：请选择其下的党支部")
	}
	return o, nil
}

// statusChange is one change of 党籍状态, as the dues window needs it.
type statusChange struct {
	on civil.Date
	to string
}

// memberInfo is a member as the books need them.
type memberInfo struct {
	ID       int64      `json:"id"`
	Name     string     `json:"name"`
	OrgID    int64      `json:"org_id"`
	OrgName  string     `json:"org_name"`
	JoinedOn civil.Date `json:"joined_on"`
	FullOn   civil.Date `json:"full_on"`
	Status   string     `json:"status"`
	StatusOn civil.Date `json:"status_on"`
	Job      string     `json:"job"`
	path     string
	changes  []statusChange
}

// MemberRef is a member in answers.
type MemberRef = memberInfo

const memberCols = `m.id, m.name, m.org_id, o.name, m.org_path, m.joined_on, m.full_on, m.status, m.status_on, m.job`

func scanMember(sc interface{ Scan(...any) error }) (*memberInfo, error) {
	var m memberInfo
	err := sc.Scan(&m.ID, &m.Name, &m.OrgID, &m.OrgName, &m.path, &m.JoinedOn, &m.FullOn, &m.Status, &m.StatusOn, &m.Job)
	return &m, err
}

var errMemberNotFound = api.NotFound("党员不存在，或不在您的管理范围内")

// findMember loads a member the caller may read; write asks for org.write on their branch.
func findMember(ctx context.Context, q db.Querier, id int64, write bool) (*memberInfo, error) {
	m, err := scanMember(q.QueryRow(ctx, `SELECT `+memberCols+` FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !access.Covers(ctx, access.OrgRead, m.path)) {
		return nil, errMemberNotFound
	}
	if err != nil {
		return nil, err
	}
	if write && !access.Covers(ctx, access.OrgWrite, m.path) {
		return nil, api.Forbidden("您对党员“" + m.Name + "”所在的" + m.OrgName + "只有查看权限")
	}
	if err := loadChanges(ctx, q, []*memberInfo{m}); err != nil {
		return nil, err
	}
	return m, nil
}

// loadChanges fills the 党籍 changes of members (in batches).
func loadChanges(ctx context.Context, q db.Querier, ms []*memberInfo) error {
	byID := make(map[int64]*memberInfo, len(ms))
	ids := make([]string, 0, len(ms))
	for _, m := range ms {
		byID[m.ID] = m
		m.changes = nil
		ids = append(ids, strconv.FormatInt(m.ID, 10))
	}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		// ids are integers we formatted ourselves, so inlining them is safe.
		rows, err := q.Query(ctx, `SELECT member_id, changed_on, to_status FROM member_status_changes WHERE member_id IN (`+
			strings.Join(ids[:n], ",")+`) ORDER BY member_id, changed_on, id`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var c statusChange
			if err := rows.Scan(&id, &c.on, &c.to); err != nil {
				rows.Close()
				return err
			}
			byID[id].changes = append(byID[id].changes, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		ids = ids[n:]
	}
	for _, m := range ms {
		// A status set without a recorded change (a bulk load) still counts from its date.
		if len(m.changes) == 0 && m.Status != "normal" && !m.StatusOn.IsZero() {
			m.changes = []statusChange{{m.StatusOn, m.Status}}
		}
	}
	return nil
}

// Not-due reasons.
const (
	notDueBeforeJoining = "before_joining"
	notDueNotMember     = "not_member"
)

// dueIn says whether the member owes dues in month mo: from the month the 支部大会 admitted
// them (dues.probationary), in every month they held normal 党籍 on at least one day. A member
// who left, died or had 党籍 suspended owes nothing for the whole months after.
func (m *memberInfo) dueIn(mo Month) (bool, string) {
	if mo.Before(MonthOf(m.JoinedOn)) {
		return false, notDueBeforeJoining
	}
	st := "normal"
	first := civil.New(mo.Year(), mo.Mon(), 1)
	normalSome := false
	inMonth := false
	for _, c := range m.changes {
		if c.on.Before(first) {
			st = c.to
			continue
		}
		if MonthOf(c.on) != mo {
			break
		}
		if !inMonth {
			inMonth, normalSome = true, st == "normal"
		}
		if c.to == "normal" {
			normalSome = true
		}
	}
	if !inMonth {
		normalSome = st == "normal"
	}
	if !normalSome {
		return false, notDueNotMember
	}
	return true, ""
}

// Settings are a 党支部's dues settings, each inherited from the nearest ancestor that set it.
type Settings struct {
	Formula
	AllowQuarterly  bool `json:"allow_quarterly" doc:"经党支部同意，允许按季度交纳（可预交本季度以后的月份）"`
	BackPayLimit    int  `json:"back_pay_limit" doc:"补交期限（月）；更早的月份须写明批准情况"`
	MemberReminders bool `json:"member_reminders" doc:"在党员本人页面提醒未交的月份"`
}

// DefaultSettings apply where no organisation set anything.
var DefaultSettings = Settings{Formula: DefaultFormula, AllowQuarterly: false, BackPayLimit: 6, MemberReminders: true}

// SettingsInput sets an organisation's own values; null (absent) inherits.
type SettingsInput struct {
	OrgID                 int64 `json:"org_id"`
	DeductIncomeTax       *bool `json:"deduct_income_tax"`
	DeductSocialInsurance *bool `json:"deduct_social_insurance"`
	DeductHousingFund     *bool `json:"deduct_housing_fund"`
	AllowQuarterly        *bool `json:"allow_quarterly"`
	BackPayLimit          *int  `json:"back_pay_limit"`
	MemberReminders       *bool `json:"member_reminders"`
}

// SettingsAnswer is an organisation's effective settings, its own values and where each
// effective value comes from.
type SettingsAnswer struct {
	Org         OrgRef            `json:"org"`
	Effective   Settings          `json:"effective"`
	Own         SettingsInput     `json:"own" doc:"本组织自己设置的值；null 表示沿用上级"`
	From        map[string]string `json:"from" doc:"各项生效值来自哪个组织（“系统默认”表示无人设置）"`
	FormulaText string            `json:"formula_text"`
}

// settingsTable is where organisations keep their own dues settings.
var settingsTable = org.SettingsTable[SettingsInput]{Table: "dues_settings",
	Columns: []string{"deduct_income_tax", "deduct_social_insurance", "deduct_housing_fund", "allow_quarterly", "back_pay_limit", "member_reminders"},
	Scan: func(scan func(dest ...any) error) (in SettingsInput, err error) {
		err = scan(&in.DeductIncomeTax, &in.DeductSocialInsurance, &in.DeductHousingFund, &in.AllowQuarterly, &in.BackPayLimit, &in.MemberReminders)
		return in, err
	}}

// settingsFor resolves the settings at path: per field, the nearest organisation on the path
// (itself first) that set it, named as it is (dues settings name every source), else the default.
func settingsFor(ctx context.Context, q db.Querier, path string) (Settings, map[string]string, SettingsInput, error) {
	out := DefaultSettings
	from := map[string]string{}
	chain, err := settingsTable.Chain(ctx, q, path)
	if err != nil {
		return out, from, SettingsInput{}, err
	}
	for _, f := range settingsTable.Columns { // the answer names each setting as its column
		from[f] = "系统默认"
	}
	for _, l := range chain { // from the root down, so nearer organisations overwrite
		v, at := l.Values, l.Name
		org.Take(from, at, "deduct_income_tax", &out.DeductIncomeTax, v.DeductIncomeTax)
		org.Take(from, at, "deduct_social_insurance", &out.DeductSocialInsurance, v.DeductSocialInsurance)
		org.Take(from, at, "deduct_housing_fund", &out.DeductHousingFund, v.DeductHousingFund)
		org.Take(from, at, "allow_quarterly", &out.AllowQuarterly, v.AllowQuarterly)
		org.Take(from, at, "back_pay_limit", &out.BackPayLimit, v.BackPayLimit)
		org.Take(from, at, "member_reminders", &out.MemberReminders, v.MemberReminders)
	}
	own, ok := chain.Own()
	if ok {
		own.OrgID = chain[len(chain)-1].ID
	}
	return out, from, own, nil
}

// Standard is a member's dues standard from a month on.
type Standard struct {
	ID             int64      `json:"id"`
	MemberID       int64      `json:"member_id"`
	EffectiveMonth Month      `json:"effective_month" doc:"从该月起执行，直到下一条标准"`
	Category       Category   `json:"category"`
	CategoryName   string     `json:"category_name"`
	BaseFen        int64      `json:"base_fen"`
	BaseItems      *BaseItems `json:"base_items"`
	BaseFormula    string     `json:"base_formula" doc:"由工资项目计算基数的过程"`
	FixedFen       int64      `json:"fixed_fen"`
	RateBP         int        `json:"rate_bp"`
	MonthlyFen     int64      `json:"monthly_fen"`
	RateVersion    string     `json:"rate_version"`
	Bracket        string     `json:"bracket"`
	Basis          string     `json:"basis"`
	RuleSource     string     `json:"rule_source"`
	ApprovalBody   string     `json:"approval_body" doc:"少交、免交：批准的上一级党委"`
	ApprovalDoc    string     `json:"approval_doc" doc:"少交、免交：批准文件（文号）"`
	Note           string     `json:"note"`
	Source         string     `json:"source" doc:"manual 手工录入、import 导入"`
	SupersededAt   *time.Time `json:"superseded_at" doc:"被同月的新标准替换的时间；null 为有效"`
	CreatedBy      string     `json:"created_by"`
	CreatedAt      time.Time  `json:"created_at"`
}

const standardCols = `id, member_id, effective_month, category, base_fen, base_items_json, base_formula, fixed_fen, rate_bp,
	monthly_fen, rate_version, approval_body, approval_doc, note, source, superseded_at, created_by, created_at`

func scanStandard(sc interface{ Scan(...any) error }) (*Standard, error) {
	var st Standard
	var items *string
	err := sc.Scan(&st.ID, &st.MemberID, &st.EffectiveMonth, &st.Category, &st.BaseFen, &items, &st.BaseFormula, &st.FixedFen,
		&st.RateBP, &st.MonthlyFen, &st.RateVersion, &st.ApprovalBody, &st.ApprovalDoc, &st.Note, &st.Source, &st.SupersededAt,
		&st.CreatedBy, &st.CreatedAt)
	if err != nil {
		return nil, err
	}
	if items != nil && *items != "" {
		var bi BaseItems
		if json.Unmarshal([]byte(*items), &bi) == nil {
			st.BaseItems = &bi
		}
	}
	st.CategoryName = st.Category.Name()
	if c, f := st.calc(st.EffectiveMonth); len(f) == 0 {
		st.Bracket, st.Basis, st.RuleSource = c.Bracket, c.Basis, c.Source
	}
	return &st, nil
}

// calc is the standard's amount in month mo, under the table version in force then.
func (st *Standard) calc(mo Month) (Calc, api.Fields) {
	return Calculate(TableFor(mo), CalcInput{Category: st.Category, BaseFen: st.BaseFen, FixedFen: st.FixedFen})
}

// dueFen is the standard's amount in month mo (0 when it cannot be computed, which a stored
// standard never is).
func (st *Standard) dueFen(mo Month) int64 {
	v, _ := amount(TableFor(mo), CalcInput{Category: st.Category, BaseFen: st.BaseFen, FixedFen: st.FixedFen})
	return v
}

// inForce returns the standard of list (current ones, by effective month ascending) in force
// in month mo, or nil.
func inForce(list []*Standard, mo Month) *Standard {
	var out *Standard
	for _, st := range list {
		if st.EffectiveMonth.After(mo) {
			break
		}
		out = st
	}
	return out
}

// Payment is one ledger entry.
type Payment struct {
	ID           int64      `json:"id"`
	MemberID     int64      `json:"member_id"`
	MemberName   string     `json:"member_name"`
	OrgID        int64      `json:"org_id"`
	Month        Month      `json:"month"`
	DueFen       int64      `json:"due_fen" doc:"登记时该月的应交数"`
	PaidFen      int64      `json:"paid_fen" doc:"实交（退款、向下更正为负数）"`
	PaidOn       civil.Date `json:"paid_on"`
	Method       string     `json:"method" doc:"cash 现金、transfer 转账、online 网上交纳"`
	MethodName   string     `json:"method_name"`
	Payer        string     `json:"payer" doc:"代交人；空为本人交纳"`
	ReceiptNo    string     `json:"receipt_no"`
	Kind         string     `json:"kind" doc:"payment 交纳、voluntary 自愿多交、correction 更正、refund 退还"`
	KindName     string     `json:"kind_name"`
	CorrectsID   *int64     `json:"corrects_id"`
	ToCentre     bool       `json:"to_centre" doc:"一次多交1000元以上：全部上缴中央"`
	ApprovalNote string     `json:"approval_note"`
	Source       string     `json:"source"`
	Note         string     `json:"note"`
	CreatedBy    string     `json:"created_by"`
	CreatedAt    time.Time  `json:"created_at"`
}

// Payment methods and kinds.
var (
	methodNames = map[string]string{"cash": "现金", "transfer": "转账", "online": "网上交纳"}
	kindNames   = map[string]string{"payment": "交纳", "voluntary": "自愿多交", "correction": "更正", "refund": "退还"}
)

const paymentCols = `p.id, p.member_id, m.name, p.org_id, p.month, p.due_fen, p.paid_fen, p.paid_on, p.method, p.payer, p.receipt_no,
	p.kind, p.corrects_id, p.to_centre, p.approval_note, p.source, p.note, p.created_by, p.created_at`

func scanPayment(sc interface{ Scan(...any) error }) (*Payment, error) {
	var p Payment
	err := sc.Scan(&p.ID, &p.MemberID, &p.MemberName, &p.OrgID, &p.Month, &p.DueFen, &p.PaidFen, &p.PaidOn, &p.Method, &p.Payer,
		&p.ReceiptNo, &p.Kind, &p.CorrectsID, &p.ToCentre, &p.ApprovalNote, &p.Source, &p.Note, &p.CreatedBy, &p.CreatedAt)
	p.MethodName, p.KindName = methodNames[p.Method], kindNames[p.Kind]
	return &p, err
}

// Month statuses.
const (
	StatusPaid       = "paid"        // 已交
	StatusUnpaid     = "unpaid"      // 未交
	StatusPartial    = "partial"     // 少交
	StatusOver       = "over"        // 多交
	StatusExempt     = "exempt"      // 免交（应交为0）
	StatusNoStandard = "no_standard" // 未定标准
	StatusNotDue     = "not_due"     // 无需交纳（入党前、党籍不正常）
)

var statusNames = map[string]string{StatusPaid: "已交", StatusUnpaid: "未交", StatusPartial: "少交", StatusOver: "多交",
	StatusExempt: "免交", StatusNoStandard: "未定标准", StatusNotDue: "无需交纳"}

// monthStatus is the status of a month from its due (nil: none) and what was paid.
func monthStatus(due *int64, paid int64, notDue bool) string {
	switch {
	case notDue:
		return StatusNotDue
	case due == nil:
		return StatusNoStandard
	case *due == 0 && paid <= 0:
		return StatusExempt
	case paid <= 0:
		return StatusUnpaid
	case paid < *due:
		return StatusPartial
	case paid == *due:
		return StatusPaid
	}
	return StatusOver
}

// book is what the ledger, arrears and reports compute from: members with their windows,
// standards, and what each paid per month.
type book struct {
	members   []*memberInfo
	standards map[int64][]*Standard         // current standards by effective month
	paid      map[int64]map[Month]int64     // net paid per member and month
	entries   map[int64]map[Month][]Payment // entries, when asked for
	closed    map[int64]map[Month]bool      // closed months per branch
}

// loadBook reads the members matching cond (on members m joined to orgs o; the caller adds the
// scope) with their standards and the payments for months from..to.
func loadBook(ctx context.Context, q db.Querier, cond string, args []any, from, to Month, withEntries bool) (*book, error) {
	b := &book{standards: map[int64][]*Standard{}, paid: map[int64]map[Month]int64{}, entries: map[int64]map[Month][]Payment{},
		closed: map[int64]map[Month]bool{}}
	rows, err := q.Query(ctx, `SELECT `+memberCols+` FROM members m JOIN orgs o ON o.id = m.org_id WHERE `+cond+` ORDER BY m.org_path, m.name, m.id`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		b.members = append(b.members, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(b.members) == 0 {
		return b, nil
	}
	if err := loadChanges(ctx, q, b.members); err != nil {
		return nil, err
	}
	ids := make([]string, len(b.members))
	branches := map[int64]bool{}
	for i, m := range b.members {
		ids[i] = strconv.FormatInt(m.ID, 10)
		branches[m.OrgID] = true
	}
	for rest := ids; len(rest) > 0; {
		n := min(len(rest), 500)
		in := strings.Join(rest[:n], ",")
		rest = rest[n:]
		srows, err := q.Query(ctx, `SELECT `+standardCols+` FROM dues_standards WHERE superseded_at IS NULL AND member_id IN (`+in+`)
			ORDER BY member_id, effective_month`)
		if err != nil {
			return nil, err
		}
		for srows.Next() {
			st, err := scanStandard(srows)
			if err != nil {
				srows.Close()
				return nil, err
			}
			b.standards[st.MemberID] = append(b.standards[st.MemberID], st)
		}
		srows.Close()
		if err := srows.Err(); err != nil {
			return nil, err
		}
		if withEntries {
			prows, err := q.Query(ctx, `SELECT `+paymentCols+` FROM dues_payments p JOIN members m ON m.id = p.member_id
				WHERE p.member_id IN (`+in+`) AND p.month >= ? AND p.month <= ? ORDER BY p.month, p.id`, from, to)
			if err != nil {
				return nil, err
			}
			for prows.Next() {
				p, err := scanPayment(prows)
				if err != nil {
					prows.Close()
					return nil, err
				}
				b.addPaid(p.MemberID, p.Month, p.PaidFen)
				if b.entries[p.MemberID] == nil {
					b.entries[p.MemberID] = map[Month][]Payment{}
				}
				b.entries[p.MemberID][p.Month] = append(b.entries[p.MemberID][p.Month], *p)
			}
			prows.Close()
			if err := prows.Err(); err != nil {
				return nil, err
			}
			continue
		}
		prows, err := q.Query(ctx, `SELECT member_id, month, SUM(paid_fen) FROM dues_payments WHERE member_id IN (`+in+`)
			AND month >= ? AND month <= ? GROUP BY member_id, month`, from, to)
		if err != nil {
			return nil, err
		}
		for prows.Next() {
			var id, sum int64
			var mo Month
			if err := prows.Scan(&id, &mo, &sum); err != nil {
				prows.Close()
				return nil, err
			}
			b.addPaid(id, mo, sum)
		}
		prows.Close()
		if err := prows.Err(); err != nil {
			return nil, err
		}
	}
	bl := make([]string, 0, len(branches))
	for id := range branches {
		bl = append(bl, strconv.FormatInt(id, 10))
	}
	sort.Strings(bl)
	crows, err := q.Query(ctx, `SELECT org_id, month FROM dues_month_close WHERE org_id IN (`+strings.Join(bl, ",")+`) AND month >= ? AND month <= ?`, from, to)
	if err != nil {
		return nil, err
	}
	defer crows.Close()
	for crows.Next() {
		var id int64
		var mo Month
		if err := crows.Scan(&id, &mo); err != nil {
			return nil, err
		}
		if b.closed[id] == nil {
			b.closed[id] = map[Month]bool{}
		}
		b.closed[id][mo] = true
	}
	return b, crows.Err()
}

func (b *book) addPaid(member int64, mo Month, fen int64) {
	if b.paid[member] == nil {
		b.paid[member] = map[Month]int64{}
	}
	b.paid[member][mo] += fen
}

// due is member m's due in month mo without the texts of state (nil: none or no standard).
func (b *book) due(m *memberInfo, mo Month) *int64 {
	if ok, _ := m.dueIn(mo); !ok {
		return nil
	}
	st := inForce(b.standards[m.ID], mo)
	if st == nil {
		return nil
	}
	v := st.dueFen(mo)
	return &v
}

// MonthState is one member's month: what is due under which standard, what was paid.
type MonthState struct {
	Month      Month     `json:"month"`
	DueFen     *int64    `json:"due_fen" doc:"应交；null 为无需交纳或未定标准"`
	PaidFen    int64     `json:"paid_fen"`
	Status     string    `json:"status" doc:"paid 已交、unpaid 未交、partial 少交、over 多交、exempt 免交、no_standard 未定标准、not_due 无需交纳"`
	StatusName string    `json:"status_name"`
	Reason     string    `json:"reason,omitempty" doc:"无需交纳的原因：before_joining 入党前、not_member 党籍不正常"`
	Standard   *Standard `json:"standard"`
	RateBP     int       `json:"rate_bp" doc:"该月适用的比例（按该月所属版本计算）"`
	Basis      string    `json:"basis"`
	Closed     bool      `json:"closed"`
	Entries    []Payment `json:"entries"`
}

// state computes member m's month mo.
func (b *book) state(m *memberInfo, mo Month) MonthState {
	out := MonthState{Month: mo, PaidFen: b.paid[m.ID][mo], Closed: b.closed[m.OrgID][mo], Entries: b.entries[m.ID][mo]}
	if out.Entries == nil {
		out.Entries = []Payment{}
	}
	due, reason := m.dueIn(mo)
	if due {
		if st := inForce(b.standards[m.ID], mo); st != nil {
			c, _ := st.calc(mo)
			fen := c.MonthlyFen
			out.DueFen, out.Standard, out.RateBP, out.Basis = &fen, st, c.RateBP, c.Basis
		}
	} else {
		out.Reason = reason
	}
	out.Status = monthStatus(out.DueFen, out.PaidFen, !due)
	out.StatusName = statusNames[out.Status]
	return out
}

// memberByUser finds the member record linked to the caller's account. The member package
// keeps its own lookup unexported, so this reads members.user_id = principal.UserID directly;
// the caller needs self.read, and only their own record is ever matched.
func memberByUser(ctx context.Context, q db.Querier) (*memberInfo, error) {
	p := access.From(ctx)
	if p == nil || p.UserID == 0 || !p.Can(access.SelfRead) {
		return nil, api.Forbidden("只有关联了党员信息的党员账号可以查看本人党费")
	}
	m, err := scanMember(q.QueryRow(ctx, `SELECT `+memberCols+` FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.user_id = ?`, p.UserID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, api.NotFound("您的账号尚未关联党员信息，请联系所在党支部")
	}
	if err != nil {
		return nil, err
	}
	return m, loadChanges(ctx, q, []*memberInfo{m})
}

// lockRow serialises writers on one member's (or branch's) books on PostgreSQL, so that two
// collectors recording the same month at once cannot both pass the 已交清 check. SQLite has a
// single writer already.
func lockRow(ctx context.Context, tx *db.Tx, table string, id int64) error {
	if tx.Dialect != db.Postgres {
		return nil
	}
	_, err := tx.Exec(ctx, `SELECT id FROM `+table+` WHERE id = ? FOR UPDATE`, id)
	return err
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func yuanText(fen int64) string { return Yuan(fen) + "元" }

var _ = fmt.Sprintf
