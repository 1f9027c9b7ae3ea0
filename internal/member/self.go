package member

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/pii"
)

// SelfChange is what a member submits about their own record. 联系电话、家庭住址、籍贯、学位、
// 专业技术职务 and 参加工作日期 change at once; the key fields of the official record (姓名、
// 公民身份号码、性别、民族、出生日期、学历、入党和转正日期、工作岗位) wait for the branch's approval.
type SelfChange struct {
	Phone         *string     `json:"phone"`
	Address       *string     `json:"address"`
	NativePlace   *string     `json:"native_place"`
	Degree        *string     `json:"degree"`
	TechTitle     *string     `json:"tech_title"`
	WorkStartedOn *civil.Date `json:"work_started_on"`
	Name          *string     `json:"name"`
	IDNumber      *string     `json:"id_number"`
	Gender        *string     `json:"gender"`
	Ethnicity     *string     `json:"ethnicity"`
	BirthDate     *civil.Date `json:"birth_date"`
	Education     *string     `json:"education"`
	JoinedOn      *civil.Date `json:"joined_on"`
	FullOn        *civil.Date `json:"full_on"`
	Job           *string     `json:"job"`
	Note          string      `json:"note" doc:"申请说明（如：身份证号码登记有误）"`
}

func (c *SelfChange) immediate() Patch {
	return Patch{Phone: c.Phone, Address: c.Address, NativePlace: c.NativePlace, Degree: c.Degree, TechTitle: c.TechTitle, WorkStartedOn: c.WorkStartedOn}
}

func (c *SelfChange) key() Patch {
	return Patch{Name: c.Name, IDNumber: c.IDNumber, Gender: c.Gender, Ethnicity: c.Ethnicity, BirthDate: c.BirthDate,
		Education: c.Education, JoinedOn: c.JoinedOn, FullOn: c.FullOn, Job: c.Job}
}

func (p *Patch) empty() bool {
	return p.Name == nil && p.Gender == nil && p.IDNumber == nil && p.Ethnicity == nil && p.BirthDate == nil && p.Education == nil &&
		p.JoinedOn == nil && p.FullOn == nil && p.Job == nil && p.Phone == nil && p.Address == nil && p.NativePlace == nil &&
		p.Degree == nil && p.TechTitle == nil && p.WorkStartedOn == nil
}

// FieldChange is one requested change, as the approver sees it (公民身份号码 masked).
type FieldChange struct {
	Field string `json:"field"`
	Label string `json:"label"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// ChangeRequest is a member's request to change key fields of their record.
type ChangeRequest struct {
	ID          int64         `json:"id"`
	MemberID    int64         `json:"member_id"`
	MemberName  string        `json:"member_name"`
	OrgName     string        `json:"org_name"`
	Changes     []FieldChange `json:"changes"`
	Status      string        `json:"status" doc:"pending 待审核、approved 已同意、rejected 已退回"`
	StatusName  string        `json:"status_name"`
	RequestedAt time.Time     `json:"requested_at"`
	RequestedBy string        `json:"requested_by"`
	DecidedAt   *time.Time    `json:"decided_at"`
	DecidedBy   string        `json:"decided_by"`
	Note        string        `json:"note"`
}

var requestStatusNames = map[string]string{"pending": "待审核", "approved": "已同意", "rejected": "已退回"}

// SelfResult is the answer to a self-service submission.
type SelfResult struct {
	Applied []string       `json:"applied" doc:"已直接生效的字段"`
	Request *ChangeRequest `json:"request" doc:"待党支部审核的申请；没有关键信息修改时为 null"`
	Member  *Detail        `json:"member"`
}

// storedRequest is changes_json: the key-field patch with the 公民身份号码 sealed.
type storedRequest struct {
	Patch
	IDSealed string `json:"id_sealed,omitempty"`
	Note     string `json:"note,omitempty"`
}

func (s *Store) ownRow(ctx context.Context, q db.Querier) (*row, error) {
	p := access.From(ctx)
	if p == nil || p.UserID == 0 || !p.Can(access.SelfRead) {
		return nil, api.Forbidden("只有关联了党员信息的党员账号可以使用自助服务")
	}
	r, err := scanRow(q.QueryRow(ctx, memberSelect+` WHERE m.user_id = ?`, p.UserID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, api.NotFound("您的账号尚未关联党员信息，请联系所在党支部")
	}
	return r, err
}

// Me returns the caller's own record: phone and address in full (their own data), the
// 公民身份号码 masked unless reveal. Every view of the full values is audited.
func (s *Store) Me(ctx context.Context, reveal bool) (*Detail, error) {
	r, err := s.ownRow(ctx, s.db)
	if err != nil {
		return nil, err
	}
	if err := s.db.InTx(ctx, func(tx *db.Tx) error { return s.auditReveal(ctx, tx, r, "本人") }); err != nil {
		return nil, err
	}
	d, err := s.detail(ctx, s.db, r, true)
	if err != nil {
		return nil, err
	}
	if !reveal {
		d.IDNumber = r.idMask
	}
	return d, nil
}

// MyRecord is a member's own record with the key-field change still waiting for the branch.
type MyRecord struct {
	*Detail
	PendingRequest *ChangeRequest `json:"pending_request" doc:"尚待党支部审核的修改申请；没有时为 null"`
}

// MyRecord is Me plus the caller's latest pending change request.
func (s *Store) MyRecord(ctx context.Context, reveal bool) (*MyRecord, error) {
	d, err := s.Me(ctx, reveal)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, requestSelect+` WHERE r.member_id = ? AND r.status = 'pending' ORDER BY r.id DESC LIMIT 1`, d.ID)
	if err != nil {
		return nil, err
	}
	list, err := s.scanRequests(ctx, s.db, rows)
	if err != nil {
		return nil, err
	}
	out := &MyRecord{Detail: d}
	if len(list) == 1 {
		s.maskNewIDs(ctx, list)
		out.PendingRequest = &list[0]
	}
	return out, nil
}

// SubmitChanges applies a member's changes to their own non-key fields at once (audited as
// member.self_update) and files the key fields as a request for the branch to approve.
func (s *Store) SubmitChanges(ctx context.Context, c SelfChange) (*SelfResult, error) {
	now, later := c.immediate(), c.key()
	if now.empty() && later.empty() {
		return nil, api.BadRequest("没有要修改的内容")
	}
	res := &SelfResult{Applied: []string{}}
	var memberID int64
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		r, err := s.ownRow(ctx, tx)
		if err != nil {
			return err
		}
		memberID = r.ID
		if !later.empty() {
			// Validate the record as it would be after approval, so the member hears of mistakes now.
			codes, err := loadCodes(ctx, tx)
			if err != nil {
				return err
			}
			in, err := s.input(r)
			if err != nil {
				return err
			}
			now.apply(&in)
			later.apply(&in)
			if f, _ := CheckWith(&in, s.Today(), codes); len(f) > 0 {
				return f.Err()
			}
			var pending int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM member_change_requests WHERE member_id = ? AND status = 'pending'`, r.ID).Scan(&pending); err != nil {
				return err
			}
			if pending > 0 {
				return api.Conflict("您已有一份待党支部审核的修改申请，请等待审核后再提交")
			}
		}
		if !now.empty() {
			fields, err := s.update(ctx, tx, r, now.apply, "member.self_update", "党员本人修改")
			if err != nil {
				return err
			}
			res.Applied = append(res.Applied, fields...)
			if r, err = load(ctx, tx, r.ID); err != nil {
				return err
			}
		}
		if later.empty() {
			return nil
		}
		stored := storedRequest{Patch: later, Note: strings.TrimSpace(c.Note)}
		if later.IDNumber != nil {
			if stored.IDSealed, err = s.key.Seal(NormalizeID(*later.IDNumber)); err != nil {
				return err
			}
			stored.IDNumber = nil
		}
		b, err := json.Marshal(stored)
		if err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO member_change_requests (member_id, changes_json, status, requested_at, requested_by, note)
			VALUES (?, ?, 'pending', ?, ?, '') RETURNING id`, r.ID, string(b), time.Now().UTC(), principalName(ctx)).Scan(&id); err != nil {
			return err
		}
		if res.Request, err = s.request(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "member.change_request", Entity: "member", EntityID: itoa(r.ID),
			Summary: fmt.Sprintf("党员“%s”申请修改：%s", r.Name, labelsOf(res.Request.Changes)), After: res.Request})
	})
	if err != nil {
		return nil, err
	}
	r, err := load(ctx, s.db, memberID)
	if err != nil {
		return nil, err
	}
	if res.Member, err = s.detail(ctx, s.db, r, true); err != nil {
		return nil, err
	}
	res.Member.IDNumber = r.idMask
	return res, nil
}

func labelsOf(cs []FieldChange) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Label
	}
	return strings.Join(out, "、")
}

const requestSelect = `SELECT r.id, r.member_id, r.changes_json, r.status, r.requested_at, r.requested_by, r.decided_at, r.decided_by, r.note
	FROM member_change_requests r JOIN members m ON m.id = r.member_id`

// request reads one change request with its changes described against the current record.
func (s *Store) request(ctx context.Context, q db.Querier, id int64) (*ChangeRequest, error) {
	rows, err := q.Query(ctx, requestSelect+` WHERE r.id = ?`, id)
	if err != nil {
		return nil, err
	}
	list, err := s.scanRequests(ctx, q, rows)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, api.NotFound("修改申请不存在，或不在您的管理范围内")
	}
	return &list[0], nil
}

func (s *Store) scanRequests(ctx context.Context, q db.Querier, rows *sql.Rows) ([]ChangeRequest, error) {
	type raw struct {
		ChangeRequest
		changes string
	}
	var list []raw
	for rows.Next() {
		var r raw
		if err := rows.Scan(&r.ID, &r.MemberID, &r.changes, &r.Status, &r.RequestedAt, &r.RequestedBy, &r.DecidedAt, &r.DecidedBy, &r.Note); err != nil {
			rows.Close()
			return nil, err
		}
		list = append(list, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	codes, err := loadCodes(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]ChangeRequest, 0, len(list))
	for _, r := range list {
		m, err := load(ctx, q, r.MemberID)
		if err != nil {
			return nil, err
		}
		var st storedRequest
		if err := json.Unmarshal([]byte(r.changes), &st); err != nil {
			return nil, err
		}
		cur, err := s.fill(m, codes, false)
		if err != nil {
			return nil, err
		}
		r.MemberName, r.OrgName, r.StatusName = m.Name, m.OrgName, requestStatusNames[r.Status]
		if r.Note == "" {
			r.Note = st.Note
		}
		r.Changes = describePatch(&st, cur, codes)
		out = append(out, r.ChangeRequest)
	}
	return out, nil
}

func describePatch(st *storedRequest, cur *Member, codes *Codes) []FieldChange {
	out := []FieldChange{}
	str := func(field string, p *string, from, kind string) {
		if p == nil {
			return
		}
		to := *p
		if kind != "" {
			if c, ok := codes.Lookup(kind, to); ok {
				to = codes.Name(kind, c)
			}
			from = codes.Name(kind, from)
		}
		out = append(out, FieldChange{field, fieldLabels[field], from, to})
	}
	date := func(field string, p *civil.Date, from civil.Date) {
		if p != nil {
			out = append(out, FieldChange{field, fieldLabels[field], from.String(), p.String()})
		}
	}
	str("name", st.Name, cur.Name, "")
	if st.IDSealed != "" {
		to := "（已加密）"
		out = append(out, FieldChange{"id_number", fieldLabels["id_number"], cur.IDNumber, to})
	}
	str("gender", st.Gender, cur.Gender, KindGender)
	str("ethnicity", st.Ethnicity, cur.Ethnicity, KindEthnicity)
	date("birth_date", st.BirthDate, cur.BirthDate)
	str("education", st.Education, cur.Education, KindEducation)
	date("joined_on", st.JoinedOn, cur.JoinedOn)
	date("full_on", st.FullOn, cur.FullOn)
	str("job", st.Job, cur.Job, KindJob)
	return out
}

// ChangeRequests lists the change requests of members the caller may change (status: pending,
// approved, rejected; "" for all), newest first. New 公民身份号码 values are shown masked.
func (s *Store) ChangeRequests(ctx context.Context, under int64, status string, page api.Paging) (api.List[ChangeRequest], error) {
	out := api.List[ChangeRequest]{Items: []ChangeRequest{}, Page: page.Page, PageSize: page.Size}
	cond, args := s.scope(ctx, "m.org_path", access.OrgWrite)
	if under != 0 {
		path, err := orgPath(ctx, s.db, under)
		if err != nil {
			return out, err
		}
		c, a := s.prefix("m.org_path", path)
		cond, args = cond+" AND "+c, append(args, a...)
	}
	if status != "" {
		if requestStatusNames[status] == "" {
			return out, api.FieldInvalid("status", "应为 pending（待审核）、approved（已同意）或 rejected（已退回）")
		}
		cond += " AND r.status = ?"
		args = append(args, status)
	}
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM member_change_requests r JOIN members m ON m.id = r.member_id WHERE `+cond, args...).Scan(&out.Total); err != nil {
		return out, err
	}
	rows, err := s.db.Query(ctx, requestSelect+` WHERE `+cond+` ORDER BY r.id DESC LIMIT ? OFFSET ?`, append(args, page.Size, page.Offset())...)
	if err != nil {
		return out, err
	}
	list, err := s.scanRequests(ctx, s.db, rows)
	if err != nil {
		return out, err
	}
	s.maskNewIDs(ctx, list)
	out.Items = append(out.Items, list...)
	return out, nil
}

// maskNewIDs shows the requested 公民身份号码 masked (its full value is applied on approval).
func (s *Store) maskNewIDs(ctx context.Context, list []ChangeRequest) {
	for i := range list {
		for j := range list[i].Changes {
			c := &list[i].Changes[j]
			if c.Field != "id_number" {
				continue
			}
			var raw string
			if err := s.db.QueryRow(ctx, `SELECT changes_json FROM member_change_requests WHERE id = ?`, list[i].ID).Scan(&raw); err != nil {
				continue
			}
			var st storedRequest
			if json.Unmarshal([]byte(raw), &st) == nil {
				if id, err := s.key.Open(st.IDSealed); err == nil {
					c.To = pii.MaskID(id)
				}
			}
		}
	}
}

// Decide approves (applying the changes, validated as a whole record) or rejects a pending
// change request; the caller needs org.write on the member's branch. Audited.
func (s *Store) Decide(ctx context.Context, id int64, approve bool, note string) (*ChangeRequest, error) {
	note = strings.TrimSpace(note)
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var memberID int64
		var status, raw string
		err := tx.QueryRow(ctx, `SELECT member_id, status, changes_json FROM member_change_requests WHERE id = ?`, id).Scan(&memberID, &status, &raw)
		if errors.Is(err, sql.ErrNoRows) {
			return api.NotFound("修改申请不存在，或不在您的管理范围内")
		}
		if err != nil {
			return err
		}
		r, err := s.findWritable(ctx, tx, memberID)
		if err != nil {
			if e := api.AsError(err); e.Status == 404 {
				return api.NotFound("修改申请不存在，或不在您的管理范围内")
			}
			return err
		}
		if status != "pending" {
			return api.Conflict("该申请已处理（" + requestStatusNames[status] + "）")
		}
		newStatus, verb := "rejected", "退回"
		if approve {
			var st storedRequest
			if err := json.Unmarshal([]byte(raw), &st); err != nil {
				return err
			}
			p := st.Patch
			if st.IDSealed != "" {
				idNumber, err := s.key.Open(st.IDSealed)
				if err != nil {
					return err
				}
				p.IDNumber = &idNumber
			}
			if _, err := s.update(ctx, tx, r, p.apply, "member.change_apply", "审核同意党员本人申请，修改"); err != nil {
				return err
			}
			newStatus, verb = "approved", "同意"
		} else if note == "" {
			return api.FieldInvalid("note", "退回申请时请写明原因")
		}
		if _, err := tx.Exec(ctx, `UPDATE member_change_requests SET status = ?, decided_at = ?, decided_by = ?, note = ? WHERE id = ?`,
			newStatus, time.Now().UTC(), principalName(ctx), note, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "member.change_" + newStatus, Entity: "member", EntityID: itoa(memberID),
			Summary: fmt.Sprintf("%s党员“%s”的信息修改申请（第 %d 号）%s", verb, r.Name, id, suffix(note))})
	})
	if err != nil {
		return nil, err
	}
	cr, err := s.request(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	list := []ChangeRequest{*cr}
	s.maskNewIDs(ctx, list)
	return &list[0], nil
}

func suffix(note string) string {
	if note == "" {
		return ""
	}
	return "：" + note
}
