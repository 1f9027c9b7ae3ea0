package mobility

import (
	"context"
	"database/sql"
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
	"github.com/dangjian/dangjian/internal/division"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/pii"
	"github.com/dangjian/dangjian/internal/rules"
)

// Store keeps the 流动 and 失联 records.
type Store struct {
	db      *db.DB
	members *member.Store
	key     *pii.Key
	// Today is the current day; tests replace it (and the member store's).
	Today func() civil.Date
}

// NewStore returns a Store; members keeps the flags on the member's record, key seals the
// contact phone numbers.
func NewStore(d *db.DB, members *member.Store, key *pii.Key) *Store {
	return &Store{db: d, members: members, key: key, Today: civil.Today}
}

// refuse is the answer when an entry breaks a rule: status (422 bad input, 409 a state that
// does not allow the act) with the field, the rule and its source.
func refuse(status int, ruleID, field, msg string) error {
	r := rules.Get(ruleID)
	e := api.Status(status, "rule_violation", msg+"（依据："+r.Source+"）")
	e.Fields = api.Fields{{Field: field, Message: msg}}
	e.Extra = map[string]any{"rule": r.ID, "title": r.Title, "source": r.Source, "message": msg}
	return e
}

// person is the member an act is about.
type person struct {
	MemberRef
	path     string
	division string
	statusOn civil.Date
	joinedOn civil.Date
	mobile   bool
	lost     bool
	// The flags as the roster holds them (an imported roster may mark a member lost or mobile
	// before any record exists here).
	lostOn        civil.Date
	lostSituation string
}

const personSelect = `SELECT m.id, m.name, m.gender, o.id, o.code, o.name, o.path, o.division_code, m.status, m.status_on, m.joined_on,
	m.mobile, m.lost_contact, m.lost_on, m.lost_situation FROM members m JOIN orgs o ON o.id = m.org_id`

func scanPerson(row interface{ Scan(...any) error }) (*person, error) {
	var p person
	var gender string
	err := row.Scan(&p.ID, &p.Name, &gender, &p.Org.ID, &p.Org.Code, &p.Org.Name, &p.path, &p.division, &p.Status, &p.statusOn,
		&p.joinedOn, &p.mobile, &p.lost, &p.lostOn, &p.lostSituation)
	p.GenderName = map[string]string{"1": "男", "2": "女"}[gender]
	return &p, err
}

var errMemberNotFound = api.NotFound("党员不存在，或不在您的管理范围内")

// person loads a member the caller may read; write also asks for org.write (403 where the
// caller may only read).
func (s *Store) person(ctx context.Context, q db.Querier, id int64, write bool) (*person, error) {
	where, args := access.Filter(ctx, "o.path", access.OrgRead)
	p, err := scanPerson(q.QueryRow(ctx, personSelect+` WHERE m.id = ? AND `+where, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errMemberNotFound
	}
	if err != nil {
		return nil, err
	}
	if write && !access.Covers(ctx, access.OrgWrite, p.path) {
		return nil, api.Forbidden("您对党员“" + p.Name + "”所在的" + p.Org.Name + "只有查看权限")
	}
	return p, nil
}

func who(ctx context.Context) string {
	if p := access.From(ctx); p != nil {
		return p.Username
	}
	return "system"
}

func idStr(id int64) string { return strconv.FormatInt(id, 10) }

// monthsBetween is the number of whole months from a to b (0 if b is before a).
func monthsBetween(a, b civil.Date) int {
	if a.IsZero() || b.Before(a) {
		return 0
	}
	ta, tb := a.Time(), b.Time()
	n := (tb.Year()-ta.Year())*12 + int(tb.Month()) - int(ta.Month())
	if a.AddDate(0, n, 0).After(b) {
		n--
	}
	return n
}

func limit(f *api.Fields, field, label, v string, max int) {
	if utf8.RuneCountInString(v) > max {
		f.Add(field, fmt.Sprintf("%s不能超过%d个字", label, max))
	}
}

// scopeOf derives the 外出流向 from the home branch's and the destination's division codes,
// "" when either is unknown.
func scopeOf(home, dest string) string {
	if len(home) < 2 || len(dest) < 2 {
		return ""
	}
	switch {
	case home[:2] != dest[:2]:
		return "cross_province"
	case len(home) < 4 || len(dest) < 4:
		return ""
	case home[:4] != dest[:4]:
		return "cross_city"
	case len(home) < 6 || len(dest) < 6:
		return ""
	case home[:6] != dest[:6]:
		return "cross_county"
	}
	return "in_county"
}

// Go registers a member going out (外出登记) and marks them 流动党员.
func (s *Store) Go(ctx context.Context, memberID int64, in OutingInput) (*Record, error) {
	in.Place, in.HostName, in.HostContact = strings.TrimSpace(in.Place), strings.TrimSpace(in.HostName), strings.TrimSpace(in.HostContact)
	in.HostPhone, in.CardNo, in.Note = strings.TrimSpace(in.HostPhone), strings.TrimSpace(in.CardNo), strings.TrimSpace(in.Note)
	in.DivisionCode = strings.TrimSpace(in.DivisionCode)
	today := s.Today()
	var id int64
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		p, err := s.person(ctx, tx, memberID, true)
		if err != nil {
			return err
		}
		if p.Status != string(member.StatusNormal) {
			return api.Conflict("党员“" + p.Name + "”的党籍状态不是“正常”，不能登记外出")
		}
		// The open outing, not the flag, decides: a member marked 流动 in an imported roster
		// without an outing here gets one now.
		var open int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM mobility_outings WHERE member_id = ? AND returned_on IS NULL`, p.ID).Scan(&open); err != nil {
			return err
		}
		if open > 0 {
			return api.Conflict("党员“" + p.Name + "”已登记外出且尚未返回：请先登记返回，再登记新的外出")
		}
		switch {
		case in.LeftOn.IsZero():
			return api.FieldInvalid("left_on", "请填写外出日期")
		case in.LeftOn.After(today):
			return refuse(422, "mobility.dates", "left_on", "外出日期不能晚于今天（"+today.String()+"）")
		case in.LeftOn.Before(p.joinedOn):
			return refuse(422, "mobility.dates", "left_on", "外出日期不能早于加入党组织日期 "+p.joinedOn.String())
		}
		var f api.Fields
		destName := ""
		if in.DivisionCode != "" {
			if path := division.Path(in.DivisionCode); path == nil {
				f.Add("division_code", "行政区划代码“"+in.DivisionCode+"”不存在")
			} else {
				names := make([]string, len(path))
				for i, d := range path {
					names[i] = d.Name
				}
				destName = strings.Join(names, "")
				if sc := scopeOf(p.division, in.DivisionCode); sc != "" {
					in.Scope = sc
				}
			}
		}
		if !valid(Scopes, in.Scope) {
			f.Add("scope", "请选择外出流向：跨省、省内跨市、市内跨县或县内")
		}
		if in.Place == "" {
			in.Place = destName
		}
		if in.Place == "" {
			f.Add("place", "请填写流入地（地点、单位）")
		}
		limit(&f, "place", "流入地", in.Place, 100)
		if !valid(Reasons, in.Reason) {
			f.Add("reason", "请选择外出原因")
		}
		limit(&f, "host_name", "流入地党组织名称", in.HostName, 100)
		limit(&f, "host_contact", "联系人", in.HostContact, 50)
		limit(&f, "host_phone", "联系电话", in.HostPhone, 30)
		limit(&f, "card_no", "活动证编号", in.CardNo, 50)
		limit(&f, "note", "备注", in.Note, 500)
		if in.HasCard && in.CardNo == "" {
			f.Add("card_no", "登记持《流动党员活动证》的，请填写活动证编号")
		}
		if !in.HasCard {
			in.CardNo = ""
		}
		if !in.ExpectedBack.IsZero() && in.ExpectedBack.Before(in.LeftOn) {
			f.Add("expected_back", "预计返回日期不能早于外出日期")
		}
		if err := f.Err(); err != nil {
			return err
		}
		var host *OrgRef
		if in.HostOrgID != nil {
			var h OrgRef
			var status org.Status
			err := tx.QueryRow(ctx, `SELECT id, code, name, status FROM orgs WHERE id = ?`, *in.HostOrgID).Scan(&h.ID, &h.Code, &h.Name, &status)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				return refuse(422, "mobility.host", "host_org_id", fmt.Sprintf("流入地党组织（编号 %d）不存在", *in.HostOrgID))
			case err != nil:
				return err
			case status != org.StatusActive:
				return refuse(422, "mobility.host", "host_org_id", "流入地党组织“"+h.Name+"”已撤销")
			case h.ID == p.Org.ID:
				return refuse(422, "mobility.host", "host_org_id", "流入地党组织不能是党员本人所在的党支部")
			}
			host = &h
			in.HostName = h.Name
		}
		cipher, mask := "", ""
		if in.HostPhone != "" {
			if cipher, err = s.key.Seal(in.HostPhone); err != nil {
				return err
			}
			mask = pii.MaskPhone(in.HostPhone)
		}
		var expected *civil.Date
		if !in.ExpectedBack.IsZero() {
			expected = &in.ExpectedBack
		}
		var hostID *int64
		if host != nil {
			hostID = &host.ID
		}
		now := time.Now().UTC()
		if err := tx.QueryRow(ctx, `INSERT INTO mobility_outings (member_id, left_on, scope, division_code, place, reason, fixed_place, host_org_id,
			host_name, host_contact, phone_cipher, phone_mask, has_card, card_no, expected_back, note, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			p.ID, in.LeftOn, in.Scope, in.DivisionCode, in.Place, in.Reason, in.FixedPlace, hostID, in.HostName, in.HostContact, cipher, mask,
			in.HasCard, in.CardNo, expected, in.Note, who(ctx), now, now).Scan(&id); err != nil {
			if db.IsUniqueViolation(err) {
				return api.Conflict("党员“" + p.Name + "”已登记外出且尚未返回")
			}
			return err
		}
		to := nameOf(Scopes, in.Scope) + "：" + in.Place
		if err := s.members.SetMobileTx(ctx, tx, p.ID, true, to); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "mobility.go", Entity: "member", EntityID: idStr(p.ID),
			Summary: fmt.Sprintf("登记党员“%s”外出（%s，%s，%s）", p.Name, in.LeftOn, to, nameOf(Reasons, in.Reason)),
			After:   map[string]any{"outing_id": id, "left_on": in.LeftOn, "scope": in.Scope, "place": in.Place, "reason": in.Reason, "host_org_id": hostID, "host_name": in.HostName, "has_card": in.HasCard, "card_no": in.CardNo}})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, memberID)
}

// Return ends the member's open outing (返回) and clears the 流动 flag.
func (s *Store) Return(ctx context.Context, memberID int64, in ReturnInput) (*Record, error) {
	in.Note = strings.TrimSpace(in.Note)
	today := s.Today()
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		p, err := s.person(ctx, tx, memberID, true)
		if err != nil {
			return err
		}
		var id int64
		var left civil.Date
		err = tx.QueryRow(ctx, `SELECT id, left_on FROM mobility_outings WHERE member_id = ? AND returned_on IS NULL`, p.ID).Scan(&id, &left)
		if errors.Is(err, sql.ErrNoRows) {
			return api.Conflict("党员“" + p.Name + "”没有未返回的外出登记")
		}
		if err != nil {
			return err
		}
		switch {
		case in.ReturnedOn.IsZero():
			return api.FieldInvalid("returned_on", "请填写返回日期")
		case in.ReturnedOn.After(today):
			return refuse(422, "mobility.dates", "returned_on", "返回日期不能晚于今天（"+today.String()+"）")
		case in.ReturnedOn.Before(left):
			return refuse(422, "mobility.dates", "returned_on", "返回日期不能早于外出日期 "+left.String())
		}
		if utf8.RuneCountInString(in.Note) > 500 {
			return api.FieldInvalid("note", "备注不能超过500个字")
		}
		if _, err := tx.Exec(ctx, `UPDATE mobility_outings SET returned_on = ?, return_note = ?, updated_at = ? WHERE id = ?`,
			in.ReturnedOn, in.Note, time.Now().UTC(), id); err != nil {
			return err
		}
		if err := s.members.SetMobileTx(ctx, tx, p.ID, false, ""); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "mobility.return", Entity: "member", EntityID: idStr(p.ID),
			Summary: fmt.Sprintf("登记党员“%s”返回（外出 %s，返回 %s）", p.Name, left, in.ReturnedOn),
			After:   map[string]any{"outing_id": id, "returned_on": in.ReturnedOn, "note": in.Note}})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, memberID)
}

// basis computes the default 失联日期: the later of the last 组织生活 attended (出席, or 补课 on
// its day) and the last 党费 paid.
func (s *Store) basis(ctx context.Context, q db.Querier, memberID int64) (Basis, error) {
	var b Basis
	var att, paid sql.NullString
	if err := q.QueryRow(ctx, `SELECT
		(SELECT MAX(CASE WHEN a.status = 'makeup' THEN a.makeup_on ELSE mt.held_on END) FROM meeting_attendance a
			JOIN meetings mt ON mt.id = a.meeting_id WHERE a.member_id = ? AND a.status IN ('present', 'makeup')),
		(SELECT MAX(p.paid_on) FROM dues_payments p WHERE p.member_id = ? AND p.paid_fen > 0 AND p.kind IN ('payment', 'voluntary'))`,
		memberID, memberID).Scan(&att, &paid); err != nil {
		return b, err
	}
	parse := func(ns sql.NullString) civil.Date {
		if !ns.Valid || len(ns.String) < 10 {
			return civil.Date{}
		}
		d, _ := civil.Parse(ns.String[:10])
		return d
	}
	b.AttendedOn, b.PaidOn = parse(att), parse(paid)
	b.Source = rules.Get("lost.date").Source
	switch {
	case b.AttendedOn.IsZero() && b.PaidOn.IsZero():
		b.Basis, b.Note = "manual", "没有组织生活出席记录和党费交纳记录，请党支部填写核实后的失去联系日期"
	case !b.AttendedOn.Before(b.PaidOn):
		b.LostOn, b.Basis, b.Note = b.AttendedOn, "attendance", "按最近一次参加组织生活（"+b.AttendedOn.String()+"）起算"
		if !b.PaidOn.IsZero() {
			b.Note += "；最近一次交纳党费为 " + b.PaidOn.String()
		}
	default:
		b.LostOn, b.Basis, b.Note = b.PaidOn, "dues", "按最近一次交纳党费（"+b.PaidOn.String()+"）起算"
		if !b.AttendedOn.IsZero() {
			b.Note += "；最近一次参加组织生活为 " + b.AttendedOn.String()
		}
	}
	return b, nil
}

// MarkLost marks a member 失联党员.
func (s *Store) MarkLost(ctx context.Context, memberID int64, in LostInput) (*Record, error) {
	in.Situation, in.Note = strings.TrimSpace(in.Situation), strings.TrimSpace(in.Note)
	today := s.Today()
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		p, err := s.person(ctx, tx, memberID, true)
		if err != nil {
			return err
		}
		// The open loss, not the flag, decides: a member marked 失联 in an imported roster gets
		// the record now, with the roster's date and 情形 unless others are given.
		var open int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM mobility_losses WHERE member_id = ? AND found_on IS NULL`, p.ID).Scan(&open); err != nil {
			return err
		}
		if open > 0 {
			return refuse(409, "lost.once", "member_id", "党员“"+p.Name+"”已标记失联且尚未恢复联系，不能重复标记")
		}
		rosterNote := ""
		if p.lost {
			if in.LostOn.IsZero() && !p.lostOn.IsZero() {
				in.LostOn, rosterNote = p.lostOn, "花名册中登记的失去联系日期"
			}
			if in.Situation == "" {
				in.Situation = p.lostSituation
			}
		}
		if p.Status != string(member.StatusNormal) {
			return api.Conflict("党员“" + p.Name + "”的党籍状态不是“正常”，不能标记失联")
		}
		b, err := s.basis(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		basis, note := b.Basis, b.Note
		if !in.LostOn.IsZero() {
			if in.LostOn != b.LostOn {
				basis, note = "manual", "党支部核实填写"
				if rosterNote != "" {
					note = rosterNote
				}
				if !b.LostOn.IsZero() {
					note += "（按记录推算为 " + b.LostOn.String() + "：" + b.Note + "）"
				}
			}
		} else if b.LostOn.IsZero() {
			return refuse(422, "lost.date", "lost_on", b.Note)
		} else {
			in.LostOn = b.LostOn
		}
		switch {
		case in.LostOn.After(today):
			return refuse(422, "lost.date", "lost_on", "失去联系日期不能晚于今天（"+today.String()+"）")
		case in.LostOn.Before(p.joinedOn):
			return refuse(422, "lost.date", "lost_on", "失去联系日期不能早于加入党组织日期 "+p.joinedOn.String())
		}
		situations, err := s.members.Codes(ctx)
		if err != nil {
			return err
		}
		if !situations.Valid(member.KindLostSituation, in.Situation) {
			return refuse(422, "lost.situation", "situation", "请选择失联情形（1–7）")
		}
		if utf8.RuneCountInString(in.Note) > 500 {
			return api.FieldInvalid("note", "备注不能超过500个字")
		}
		now := time.Now().UTC()
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO mobility_losses (member_id, lost_on, basis, basis_note, situation, note, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, p.ID, in.LostOn, basis, note, in.Situation, in.Note, who(ctx), now, now).Scan(&id); err != nil {
			if db.IsUniqueViolation(err) {
				return refuse(409, "lost.once", "member_id", "党员“"+p.Name+"”已标记失联且尚未恢复联系")
			}
			return err
		}
		if err := s.members.SetLostTx(ctx, tx, p.ID, true, in.LostOn, in.Situation); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "mobility.lost", Entity: "member", EntityID: idStr(p.ID),
			Summary: fmt.Sprintf("标记党员“%s”失联（自 %s，%s；%s）", p.Name, in.LostOn, situations.Name(member.KindLostSituation, in.Situation), note),
			After:   map[string]any{"loss_id": id, "lost_on": in.LostOn, "basis": basis, "situation": in.Situation}})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, memberID)
}

// openLoss is the member's open loss, or a 409 naming the rule.
func openLoss(ctx context.Context, tx *db.Tx, p *person, act string) (int64, civil.Date, error) {
	var id int64
	var lost civil.Date
	err := tx.QueryRow(ctx, `SELECT id, lost_on FROM mobility_losses WHERE member_id = ? AND found_on IS NULL`, p.ID).Scan(&id, &lost)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, lost, refuse(409, "lost.once", "member_id", "党员“"+p.Name+"”未标记失联（或已恢复联系），不能"+act)
	}
	return id, lost, err
}

// AddSearch records one attempt to reach a lost member (查找记录).
func (s *Store) AddSearch(ctx context.Context, memberID int64, in SearchInput) (*Record, error) {
	in.Way, in.Result, in.ByWhom = strings.TrimSpace(in.Way), strings.TrimSpace(in.Result), strings.TrimSpace(in.ByWhom)
	today := s.Today()
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		p, err := s.person(ctx, tx, memberID, true)
		if err != nil {
			return err
		}
		lossID, lost, err := openLoss(ctx, tx, p, "登记查找记录")
		if err != nil {
			return err
		}
		var f api.Fields
		switch {
		case in.SearchedOn.IsZero():
			f.Add("searched_on", "请填写查找日期")
		case in.SearchedOn.After(today):
			f.Add("searched_on", "查找日期不能晚于今天（"+today.String()+"）")
		case in.SearchedOn.Before(lost):
			f.Add("searched_on", "查找日期不能早于失去联系日期 "+lost.String())
		}
		if in.Way == "" {
			f.Add("way", "请填写查找方式")
		}
		if in.Result == "" {
			f.Add("result", "请填写查找结果")
		}
		if in.ByWhom == "" {
			f.Add("by_whom", "请填写查找人")
		}
		limit(&f, "way", "查找方式", in.Way, 100)
		limit(&f, "result", "查找结果", in.Result, 500)
		limit(&f, "by_whom", "查找人", in.ByWhom, 50)
		if err := f.Err(); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO mobility_searches (loss_id, searched_on, way, result, by_whom, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, lossID, in.SearchedOn, in.Way, in.Result, in.ByWhom, who(ctx), time.Now().UTC()).Scan(&id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "mobility.search", Entity: "member", EntityID: idStr(p.ID),
			Summary: fmt.Sprintf("登记失联党员“%s”的查找记录（%s，%s：%s）", p.Name, in.SearchedOn, in.Way, in.Result),
			After:   map[string]any{"loss_id": lossID, "search_id": id, "searched_on": in.SearchedOn, "way": in.Way, "result": in.Result, "by_whom": in.ByWhom}})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, memberID)
}

// Restore records a lost member found again (恢复联系) with how they are handled.
func (s *Store) Restore(ctx context.Context, memberID int64, in RestoreInput) (*Record, error) {
	in.Note = strings.TrimSpace(in.Note)
	today := s.Today()
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		p, err := s.person(ctx, tx, memberID, true)
		if err != nil {
			return err
		}
		lossID, lost, err := openLoss(ctx, tx, p, "登记恢复联系")
		if err != nil {
			return err
		}
		var f api.Fields
		switch {
		case in.FoundOn.IsZero():
			f.Add("found_on", "请填写恢复联系日期")
		case in.FoundOn.After(today):
			f.Add("found_on", "恢复联系日期不能晚于今天（"+today.String()+"）")
		case in.FoundOn.Before(lost):
			f.Add("found_on", "恢复联系日期不能早于失去联系日期 "+lost.String())
		}
		if !valid(Outcomes, in.Outcome) {
			f.Add("outcome", "请选择处理方式：重新纳入管理、限期改正或按规定处置（依据："+rules.Get("lost.restore").Source+"）")
		}
		limit(&f, "note", "说明", in.Note, 500)
		if err := f.Err(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE mobility_losses SET found_on = ?, outcome = ?, outcome_note = ?, updated_at = ? WHERE id = ?`,
			in.FoundOn, in.Outcome, in.Note, time.Now().UTC(), lossID); err != nil {
			return err
		}
		if err := s.members.SetLostTx(ctx, tx, p.ID, false, civil.Date{}, ""); err != nil {
			return err
		}
		summary := fmt.Sprintf("党员“%s”恢复联系（%s，%s）", p.Name, in.FoundOn, nameOf(Outcomes, in.Outcome))
		if p.Status == string(member.StatusSuspended) {
			summary += "；已停止党籍，恢复党籍须按程序另行办理"
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "mobility.restore", Entity: "member", EntityID: idStr(p.ID), Summary: summary,
			After: map[string]any{"loss_id": lossID, "found_on": in.FoundOn, "outcome": in.Outcome, "note": in.Note}})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, memberID)
}
