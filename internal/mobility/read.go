package mobility

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strings"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/division"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/rules"
)

const outingSelect = `SELECT x.id, m.id, m.name, m.gender, o.id, o.code, o.name, m.status, x.left_on, x.scope, x.division_code, x.place,
	x.reason, x.fixed_place, h.id, h.code, h.name, x.host_name, x.host_contact, x.phone_mask, x.has_card, x.card_no, x.expected_back,
	x.note, x.returned_on, x.return_note, x.created_by, x.created_at
	FROM mobility_outings x JOIN members m ON m.id = x.member_id JOIN orgs o ON o.id = m.org_id LEFT JOIN orgs h ON h.id = x.host_org_id`

func (s *Store) scanOuting(row interface{ Scan(...any) error }) (Outing, error) {
	var x Outing
	var gender string
	var hid sql.NullInt64
	var hcode, hname sql.NullString
	err := row.Scan(&x.ID, &x.Member.ID, &x.Member.Name, &gender, &x.Member.Org.ID, &x.Member.Org.Code, &x.Member.Org.Name, &x.Member.Status,
		&x.LeftOn, &x.Scope, &x.DivisionCode, &x.Place, &x.Reason, &x.FixedPlace, &hid, &hcode, &hname, &x.HostName, &x.HostContact,
		&x.HostPhone, &x.HasCard, &x.CardNo, &x.ExpectedBack, &x.Note, &x.ReturnedOn, &x.ReturnNote, &x.CreatedBy, &x.CreatedAt)
	if err != nil {
		return x, err
	}
	x.Member.GenderName = map[string]string{"1": "男", "2": "女"}[gender]
	if hid.Valid {
		x.HostOrg = &OrgRef{ID: hid.Int64, Code: hcode.String, Name: hname.String}
		x.HostName = hname.String
	}
	x.ScopeName, x.ReasonName = nameOf(Scopes, x.Scope), nameOf(Reasons, x.Reason)
	if d, ok := division.Get(x.DivisionCode); ok && x.DivisionCode != "" {
		x.DivisionName = d.Name
	}
	end := x.ReturnedOn
	if end.IsZero() {
		end = s.Today()
	}
	x.Months = monthsBetween(x.LeftOn, end)
	return x, nil
}

const lossSelect = `SELECT x.id, m.id, m.name, m.gender, o.id, o.code, o.name, m.status, x.lost_on, x.basis, x.basis_note, x.situation,
	x.note, x.found_on, x.outcome, x.outcome_note, x.created_by, x.created_at,
	(SELECT COUNT(*) FROM mobility_searches q WHERE q.loss_id = x.id)
	FROM mobility_losses x JOIN members m ON m.id = x.member_id JOIN orgs o ON o.id = m.org_id`

// bandOf is the 失联时长 group of a member lost since lost on day.
func bandOf(lost, day civil.Date) string {
	months := monthsBetween(lost, day)
	years := months / 12
	switch {
	case months < 6:
		return "under6m"
	case years < 1:
		return "6m-1y"
	case years <= 5:
		return "1-5y"
	case years <= 10:
		return "6-10y"
	}
	return "11y"
}

func (s *Store) scanLoss(row interface{ Scan(...any) error }, codes *member.Codes) (Loss, error) {
	var x Loss
	var gender string
	err := row.Scan(&x.ID, &x.Member.ID, &x.Member.Name, &gender, &x.Member.Org.ID, &x.Member.Org.Code, &x.Member.Org.Name, &x.Member.Status,
		&x.LostOn, &x.Basis, &x.BasisNote, &x.Situation, &x.Note, &x.FoundOn, &x.Outcome, &x.OutcomeNote, &x.CreatedBy, &x.CreatedAt, &x.SearchCount)
	if err != nil {
		return x, err
	}
	x.Member.GenderName = map[string]string{"1": "男", "2": "女"}[gender]
	x.SituationName = codes.Name(member.KindLostSituation, x.Situation)
	x.OutcomeName = nameOf(Outcomes, x.Outcome)
	end := x.FoundOn
	if end.IsZero() {
		end = s.Today()
	}
	x.Months = monthsBetween(x.LostOn, end)
	x.Band = bandOf(x.LostOn, end)
	x.BandName = nameOf(Bands, x.Band)
	x.Searches = []Search{}
	return x, nil
}

func searches(ctx context.Context, q db.Querier, lossID int64) ([]Search, error) {
	rows, err := q.Query(ctx, `SELECT id, searched_on, way, result, by_whom, created_by FROM mobility_searches WHERE loss_id = ? ORDER BY searched_on, id`, lossID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Search{}
	for rows.Next() {
		var x Search
		if err := rows.Scan(&x.ID, &x.SearchedOn, &x.Way, &x.Result, &x.ByWhom, &x.CreatedBy); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// Get is a member's 流动/失联 file: outings, losses with their searches, and the computed
// 失联日期 basis.
func (s *Store) Get(ctx context.Context, memberID int64) (*Record, error) {
	p, err := s.person(ctx, s.db, memberID, false)
	if err != nil {
		return nil, err
	}
	rec := &Record{Member: p.MemberRef, Mobile: p.mobile, Lost: p.lost, Outings: []Outing{}, Losses: []Loss{}}
	rows, err := s.db.Query(ctx, outingSelect+` WHERE x.member_id = ? ORDER BY x.left_on DESC, x.id DESC`, p.ID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		x, err := s.scanOuting(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		rec.Outings = append(rec.Outings, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	codes, err := s.members.Codes(ctx)
	if err != nil {
		return nil, err
	}
	rows, err = s.db.Query(ctx, lossSelect+` WHERE x.member_id = ? ORDER BY x.lost_on DESC, x.id DESC`, p.ID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		x, err := s.scanLoss(rows, codes)
		if err != nil {
			rows.Close()
			return nil, err
		}
		rec.Losses = append(rec.Losses, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range rec.Losses {
		if rec.Losses[i].Searches, err = searches(ctx, s.db, rec.Losses[i].ID); err != nil {
			return nil, err
		}
	}
	for i := range rec.Outings {
		if rec.Outings[i].ReturnedOn.IsZero() {
			rec.Outing = &rec.Outings[i]
		}
	}
	for i := range rec.Losses {
		if rec.Losses[i].FoundOn.IsZero() {
			rec.Loss = &rec.Losses[i]
		}
	}
	if rec.Basis, err = s.basis(ctx, s.db, p.ID); err != nil {
		return nil, err
	}
	return rec, nil
}

// RevealPhone returns the full phone of an outing's contact, audited as mobility.reveal.
func (s *Store) RevealPhone(ctx context.Context, outingID int64) (string, error) {
	var phone string
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		p, _, name, err := s.revealPhone(ctx, tx, outingID)
		if err != nil {
			return err
		}
		phone = p
		return audit.Record(ctx, tx, audit.Entry{Action: "mobility.reveal", Entity: "mobility_outing", EntityID: idStr(outingID),
			Summary: "查看党员“" + name + "”外出登记中流入地联系人的完整电话"})
	})
	return phone, err
}

// RevealPhone returns the full phone of an outing's contact (pii.read on the member's 党支部),
// audited.
func (s *Store) revealPhone(ctx context.Context, q db.Querier, outingID int64) (string, string, string, error) {
	var cipher, path, name string
	err := q.QueryRow(ctx, `SELECT x.phone_cipher, o.path, m.name FROM mobility_outings x JOIN members m ON m.id = x.member_id
		JOIN orgs o ON o.id = m.org_id WHERE x.id = ?`, outingID).Scan(&cipher, &path, &name)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !access.Covers(ctx, access.OrgRead, path)) {
		return "", "", "", api.NotFound("外出登记不存在，或不在您的管理范围内")
	}
	if err != nil {
		return "", "", "", err
	}
	if !access.Covers(ctx, access.PIIRead, path) {
		return "", "", "", api.Forbidden("查看完整联系电话需要个人信息查看权限")
	}
	if cipher == "" {
		return "", path, name, nil
	}
	plain, err := s.key.Open(cipher)
	return plain, path, name, err
}

// subtree is the condition "member's 党支部 (o.path) in the caller's scope, under org under".
func (s *Store) subtree(ctx context.Context, col string, under int64) (string, []any, error) {
	cond, args := access.Filter(ctx, col, access.OrgRead)
	if under == 0 {
		return cond, args, nil
	}
	var path string
	err := s.db.QueryRow(ctx, `SELECT path FROM orgs WHERE id = ?`, under).Scan(&path)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !access.Covers(ctx, access.OrgRead, path)) {
		return "", nil, api.NotFound("组织不存在，或不在您的管理范围内")
	}
	if err != nil {
		return "", nil, err
	}
	return cond + " AND " + col + " LIKE ?", append(args, path+"%"), nil
}

// OutingFilter narrows the 流出 or 流入 list.
type OutingFilter struct {
	Under  int64
	Hosted bool   // 流入: outings whose 流入地党组织 is under the caller's scope (and Under)
	Status string // open (default), returned, all
	Scope  string
	Q      string
}

// Outings is the 流出 list (members of the subtree away from home) or, with Hosted, the 流入
// list (members of other organisations hosted by the subtree's organisations).
func (s *Store) Outings(ctx context.Context, f OutingFilter, page api.Paging) (*OutingList, error) {
	col := "o.path"
	if f.Hosted {
		col = "h.path"
	}
	cond, args, err := s.subtree(ctx, col, f.Under)
	if err != nil {
		return nil, err
	}
	var unregistered int
	if !f.Hosted {
		// Members the roster marks 流动 (an imported 花名册) with no open outing here.
		if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM members m JOIN orgs o ON o.id = m.org_id WHERE `+cond+` AND m.mobile = ?
			AND m.status = 'normal' AND NOT EXISTS (SELECT 1 FROM mobility_outings x WHERE x.member_id = m.id AND x.returned_on IS NULL)`,
			append(append([]any{}, args...), true)...).Scan(&unregistered); err != nil {
			return nil, err
		}
		if f.Status == "unregistered" {
			return s.unregistered(ctx, cond, args, unregistered, page)
		}
	}
	switch f.Status {
	case "", "open":
		cond += " AND x.returned_on IS NULL"
	case "returned":
		cond += " AND x.returned_on IS NOT NULL"
	case "all":
	default:
		return nil, api.FieldInvalid("status", "应为 open（未返回）、returned（已返回）、unregistered（花名册登记为流动、未登记外出）或 all")
	}
	if f.Hosted {
		cond += " AND x.host_org_id IS NOT NULL"
	}
	base, baseArgs := cond, append([]any{}, args...)
	if f.Scope != "" {
		if !valid(Scopes, f.Scope) {
			return nil, api.FieldInvalid("scope", "外出流向应为 cross_province、cross_city、cross_county 或 in_county")
		}
		cond += " AND x.scope = ?"
		args = append(args, f.Scope)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		cond += " AND (m.name LIKE ? OR x.place LIKE ?)"
		args = append(args, "%"+q+"%", "%"+q+"%")
	}
	out := &OutingList{Items: []Outing{}, Page: page.Page, PageSize: page.Size, Summary: OutingSummary{ByScope: map[string]int{}, Unregistered: unregistered}}
	for _, sc := range Scopes {
		out.Summary.ByScope[sc.Code] = 0
	}
	// The breakdown covers the list before the 流向 and name filters.
	six := s.Today().AddDate(0, -rules.Get("mobility.transfer").Value, 0) // 外出6个月以上
	rows, err := s.db.Query(ctx, `SELECT x.scope, x.has_card, x.fixed_place, CASE WHEN x.left_on <= ? THEN 1 ELSE 0 END, COUNT(*)
		FROM mobility_outings x JOIN members m ON m.id = x.member_id JOIN orgs o ON o.id = m.org_id LEFT JOIN orgs h ON h.id = x.host_org_id
		WHERE `+base+` GROUP BY 1, 2, 3, 4`, append([]any{six}, baseArgs...)...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var scope string
		var card, fixed bool
		var over, n int
		if err := rows.Scan(&scope, &card, &fixed, &over, &n); err != nil {
			rows.Close()
			return nil, err
		}
		out.Summary.Total += n
		out.Summary.ByScope[scope] += n
		if card {
			out.Summary.WithCard += n
		}
		if fixed {
			out.Summary.Fixed += n
		}
		if over == 1 {
			out.Summary.Over6m += n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM mobility_outings x JOIN members m ON m.id = x.member_id JOIN orgs o ON o.id = m.org_id
		LEFT JOIN orgs h ON h.id = x.host_org_id WHERE `+cond, args...).Scan(&out.Total); err != nil {
		return nil, err
	}
	q := outingSelect + ` WHERE ` + cond + ` ORDER BY x.left_on, x.id`
	if page.Size > 0 {
		q += ` LIMIT ? OFFSET ?`
		args = append(args, page.Size, page.Offset())
	}
	rows, err = s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		x, err := s.scanOuting(rows)
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, x)
	}
	return out, rows.Err()
}

// unregistered is the page of members marked 流动 on their record without an open outing
// (ID 0; the place is the record's 外出流向).
func (s *Store) unregistered(ctx context.Context, cond string, args []any, total int, page api.Paging) (*OutingList, error) {
	out := &OutingList{Items: []Outing{}, Total: total, Page: page.Page, PageSize: page.Size, Summary: OutingSummary{ByScope: map[string]int{}, Unregistered: total}}
	q := `SELECT m.id, m.name, m.gender, o.id, o.code, o.name, m.status, m.mobile_to FROM members m JOIN orgs o ON o.id = m.org_id WHERE ` + cond +
		` AND m.mobile = ? AND m.status = 'normal' AND NOT EXISTS (SELECT 1 FROM mobility_outings x WHERE x.member_id = m.id AND x.returned_on IS NULL)
		ORDER BY o.code, m.name, m.id`
	args = append(append([]any{}, args...), true)
	if page.Size > 0 {
		q += ` LIMIT ? OFFSET ?`
		args = append(args, page.Size, page.Offset())
	}
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		x := Outing{ScopeName: "未登记外出", Note: "花名册中登记为流动党员，尚未登记外出：请登记外出补建记录"}
		var gender string
		if err := rows.Scan(&x.Member.ID, &x.Member.Name, &gender, &x.Member.Org.ID, &x.Member.Org.Code, &x.Member.Org.Name, &x.Member.Status, &x.Place); err != nil {
			return nil, err
		}
		x.Member.GenderName = map[string]string{"1": "男", "2": "女"}[gender]
		out.Items = append(out.Items, x)
	}
	return out, rows.Err()
}

// LossFilter narrows the 失联 list.
type LossFilter struct {
	Under     int64
	Status    string // open (default), found, all
	Band      string
	Situation string
	Q         string
}

// Losses is the 失联 list of the subtree with the 失联时长 and 失联情形 breakdown.
func (s *Store) Losses(ctx context.Context, f LossFilter, page api.Paging) (*LossList, error) {
	scope, scopeArgs, err := s.subtree(ctx, "o.path", f.Under)
	if err != nil {
		return nil, err
	}
	cond, args := scope, append([]any{}, scopeArgs...)
	switch f.Status {
	case "", "open":
		cond += " AND x.found_on IS NULL"
	case "found":
		cond += " AND x.found_on IS NOT NULL"
	case "all":
	default:
		return nil, api.FieldInvalid("status", "应为 open（未恢复联系）、found（已恢复联系）或 all")
	}
	if f.Band != "" && !valid(Bands, f.Band) {
		return nil, api.FieldInvalid("band", "失联时长应为 under6m、6m-1y、1-5y、6-10y 或 11y")
	}
	codes, err := s.members.Codes(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, lossSelect+` WHERE `+cond+` ORDER BY x.lost_on, x.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := &LossList{Items: []Loss{}, Page: page.Page, PageSize: page.Size,
		Summary: LossSummary{ByBand: map[string]int{}, BySituation: map[string]int{}}}
	for _, b := range Bands {
		out.Summary.ByBand[b.Code] = 0
	}
	var all []Loss
	q := strings.TrimSpace(f.Q)
	for rows.Next() {
		x, err := s.scanLoss(rows, codes)
		if err != nil {
			return nil, err
		}
		out.Summary.Total++
		out.Summary.ByBand[x.Band]++
		out.Summary.BySituation[x.Situation]++
		if x.SearchCount > 0 {
			out.Summary.Searched++
		}
		if (f.Band == "" || x.Band == f.Band) && (f.Situation == "" || x.Situation == f.Situation) && (q == "" || strings.Contains(x.Member.Name, q)) {
			all = append(all, x)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if f.Status != "found" {
		// Members the roster marks 失联 (an imported 花名册) with no open record here: they count
		// in the figures and are listed so the branch can complete the record.
		more, err := s.rosterLost(ctx, scope, scopeArgs, codes)
		if err != nil {
			return nil, err
		}
		for _, x := range more {
			out.Summary.Total++
			if x.Band != "" {
				out.Summary.ByBand[x.Band]++
			}
			out.Summary.BySituation[x.Situation]++
			if (f.Band == "" || x.Band == f.Band) && (f.Situation == "" || x.Situation == f.Situation) && (q == "" || strings.Contains(x.Member.Name, q)) {
				all = append(all, x)
			}
		}
	}
	out.Total = len(all)
	from, to := 0, len(all)
	if page.Size > 0 {
		from = min(page.Offset(), len(all))
		to = min(from+page.Size, len(all))
	}
	out.Items = append(out.Items, all[from:to]...)
	return out, nil
}

// rosterLost lists the members under scope marked 失联 on their record without an open loss
// here (ID 0, basis "roster").
func (s *Store) rosterLost(ctx context.Context, scope string, args []any, codes *member.Codes) ([]Loss, error) {
	rows, err := s.db.Query(ctx, `SELECT m.id, m.name, m.gender, o.id, o.code, o.name, m.status, m.lost_on, m.lost_situation
		FROM members m JOIN orgs o ON o.id = m.org_id WHERE `+scope+` AND m.lost_contact = ? AND m.status IN ('normal', 'suspended')
		AND NOT EXISTS (SELECT 1 FROM mobility_losses x WHERE x.member_id = m.id AND x.found_on IS NULL) ORDER BY m.lost_on, m.id`,
		append(append([]any{}, args...), true)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Loss
	today := s.Today()
	for rows.Next() {
		x := Loss{Basis: "roster", BasisNote: "花名册中登记为失联，尚未建立失联记录：请标记失联补建记录", Searches: []Search{}}
		var gender string
		if err := rows.Scan(&x.Member.ID, &x.Member.Name, &gender, &x.Member.Org.ID, &x.Member.Org.Code, &x.Member.Org.Name, &x.Member.Status,
			&x.LostOn, &x.Situation); err != nil {
			return nil, err
		}
		x.Member.GenderName = map[string]string{"1": "男", "2": "女"}[gender]
		x.SituationName = codes.Name(member.KindLostSituation, x.Situation)
		if x.LostOn.IsZero() {
			x.BandName = "失联日期未登记"
		} else {
			x.Months, x.Band = monthsBetween(x.LostOn, today), bandOf(x.LostOn, today)
			x.BandName = nameOf(Bands, x.Band)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// Proposals are the 待办 the rules call for in the subtree: 应转移组织关系 (外出6个月以上、地点
// 相对固定), 停止党籍 (失联6个月以上、查找无果) and 按自行脱党除名 (因失联停止党籍2年后), each with
// the rule, its source and the endpoint where it is carried out.
func (s *Store) Proposals(ctx context.Context, under int64) ([]Proposal, error) {
	cond, args, err := s.subtree(ctx, "o.path", under)
	if err != nil {
		return nil, err
	}
	today := s.Today()
	out := []Proposal{}
	transfer := rules.Get("mobility.transfer")
	// Due the day the 6 months are complete (left_on + 6 months, as DueOn says): the SQL bound
	// only narrows, the exact day is checked below.
	rows, err := s.db.Query(ctx, outingSelect+` WHERE `+cond+` AND x.returned_on IS NULL AND x.fixed_place = ? AND m.status = 'normal' AND x.left_on <= ?
		ORDER BY x.left_on, x.id`, append(append([]any{}, args...), true, today.AddDate(0, -transfer.Value, 3))...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		x, err := s.scanOuting(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		if x.LeftOn.AddDate(0, transfer.Value, 0).After(today) {
			continue
		}
		out = append(out, Proposal{Kind: "transfer", Title: "应转移组织关系", Member: x.Member, Since: x.LeftOn,
			DueOn:  x.LeftOn.AddDate(0, transfer.Value, 0),
			Detail: "自 " + x.LeftOn.String() + " 外出（" + x.ScopeName + "：" + x.Place + "），地点相对固定，已满" + itoa(transfer.Value) + "个月：应将组织关系转移到" + orText(x.HostName, "流入地党组织"),
			Rule:   transfer.ID, Source: transfer.Source, Action: Action{Method: "POST", Path: "/api/v1/transfers"}})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	suspend, lapse := rules.Get("lost.suspend"), rules.Get("lost.lapse")
	rows, err = s.db.Query(ctx, `SELECT m.id, m.name, m.gender, o.id, o.code, o.name, m.status, m.status_on, x.lost_on,
		(SELECT COUNT(*) FROM mobility_searches q WHERE q.loss_id = x.id)
		FROM mobility_losses x JOIN members m ON m.id = x.member_id JOIN orgs o ON o.id = m.org_id
		WHERE `+cond+` AND x.found_on IS NULL AND m.status IN ('normal', 'suspended') ORDER BY x.lost_on, x.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var m MemberRef
		var gender string
		var statusOn, lost civil.Date
		var n int
		if err := rows.Scan(&m.ID, &m.Name, &gender, &m.Org.ID, &m.Org.Code, &m.Org.Name, &m.Status, &statusOn, &lost, &n); err != nil {
			return nil, err
		}
		m.GenderName = map[string]string{"1": "男", "2": "女"}[gender]
		path := "/api/v1/members/" + itoa64(m.ID) + "/status-changes"
		switch m.Status {
		case string(member.StatusNormal):
			due := lost.AddDate(0, suspend.Value, 0)
			if n == 0 || due.After(today) {
				continue
			}
			out = append(out, Proposal{Kind: "suspend", Title: "停止党籍", Member: m, Since: lost, DueOn: due,
				Detail: "自 " + lost.String() + " 失去联系已满" + itoa(suspend.Value) + "个月，经 " + itoa(n) + " 次查找仍未取得联系：建议由党支部或上级党组织按规定停止其党籍",
				Rule:   suspend.ID, Source: suspend.Source, Action: Action{Method: "POST", Path: path, Kind: "suspend"}})
		case string(member.StatusSuspended):
			if statusOn.Before(lost) {
				continue // suspended before going out of contact: not this rule
			}
			due := statusOn.AddDate(lapse.Value, 0, 0)
			if due.After(today) {
				continue
			}
			out = append(out, Proposal{Kind: "lapse", Title: "按自行脱党除名", Member: m, Since: statusOn, DueOn: due,
				Detail: "因失去联系（自 " + lost.String() + "）于 " + statusOn.String() + " 停止党籍，已满" + itoa(lapse.Value) + "年仍无法取得联系：建议按自行脱党予以除名",
				Rule:   lapse.ID, Source: lapse.Source, Action: Action{Method: "POST", Path: path, Kind: "lapse"}})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].DueOn.Before(out[j].DueOn) })
	return out, nil
}

func orText(a, b string) string {
	if a != "" {
		return "“" + a + "”"
	}
	return b
}

func itoa(n int) string     { return itoa64(int64(n)) }
func itoa64(n int64) string { return idStr(n) }

// Screening lists the members of the subtree (党籍状态正常, not marked lost, members for more
// than 6 months) with neither an attended 组织生活 nor a 党费 payment in the last 6 months: a
// list to check (党章第九条), never marked automatically.
func (s *Store) Screening(ctx context.Context, under int64, page api.Paging) (api.List[Unchecked], error) {
	out := api.List[Unchecked]{Items: []Unchecked{}, Page: page.Page, PageSize: page.Size}
	cond, args, err := s.subtree(ctx, "o.path", under)
	if err != nil {
		return out, err
	}
	months := rules.Get("lost.screen").Value
	since := s.Today().AddDate(0, -months, 0)
	att := `(SELECT MAX(CASE WHEN a.status = 'makeup' THEN a.makeup_on ELSE mt.held_on END) FROM meeting_attendance a
		JOIN meetings mt ON mt.id = a.meeting_id WHERE a.member_id = m.id AND a.status IN ('present', 'makeup'))`
	paid := `(SELECT MAX(p.paid_on) FROM dues_payments p WHERE p.member_id = m.id AND p.paid_fen > 0 AND p.kind IN ('payment', 'voluntary'))`
	where := cond + ` AND m.status = 'normal' AND m.lost_contact = ? AND m.joined_on <= ?
		AND NOT EXISTS (SELECT 1 FROM meeting_attendance a JOIN meetings mt ON mt.id = a.meeting_id WHERE a.member_id = m.id
			AND ((a.status = 'present' AND mt.held_on > ?) OR (a.status = 'makeup' AND a.makeup_on > ?)))
		AND NOT EXISTS (SELECT 1 FROM dues_payments p WHERE p.member_id = m.id AND p.paid_fen > 0 AND p.kind IN ('payment', 'voluntary') AND p.paid_on > ?)`
	wargs := append(append([]any{}, args...), false, since, since, since, since)
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM members m JOIN orgs o ON o.id = m.org_id WHERE `+where, wargs...).Scan(&out.Total); err != nil {
		return out, err
	}
	q := `SELECT m.id, m.name, m.gender, o.id, o.code, o.name, m.status, m.joined_on, m.mobile, ` + att + `, ` + paid + `
		FROM members m JOIN orgs o ON o.id = m.org_id WHERE ` + where + ` ORDER BY o.code, m.name, m.id`
	if page.Size > 0 {
		q += ` LIMIT ? OFFSET ?`
		wargs = append(wargs, page.Size, page.Offset())
	}
	rows, err := s.db.Query(ctx, q, wargs...)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var u Unchecked
		var gender string
		var a, p sql.NullString
		if err := rows.Scan(&u.Member.ID, &u.Member.Name, &gender, &u.Member.Org.ID, &u.Member.Org.Code, &u.Member.Org.Name, &u.Member.Status,
			&u.JoinedOn, &u.Mobile, &a, &p); err != nil {
			return out, err
		}
		u.Member.GenderName = map[string]string{"1": "男", "2": "女"}[gender]
		if a.Valid && len(a.String) >= 10 {
			u.AttendedOn, _ = civil.Parse(a.String[:10])
		}
		if p.Valid && len(p.String) >= 10 {
			u.PaidOn, _ = civil.Parse(p.String[:10])
		}
		out.Items = append(out.Items, u)
	}
	return out, rows.Err()
}

// HostOrgs finds organisations anywhere in the system by name or code, to name a 流入地党组织
// (which is usually outside the caller's own subtree): names and codes only, at most 20.
func (s *Store) HostOrgs(ctx context.Context, q string) ([]OrgRef, error) {
	q = strings.TrimSpace(q)
	if len([]rune(q)) < 2 {
		return nil, api.FieldInvalid("q", "请至少输入两个字的组织名称或组织代码")
	}
	rows, err := s.db.Query(ctx, `SELECT id, code, name FROM orgs WHERE status = 'active' AND (name LIKE ? OR code = ?) ORDER BY depth, name LIMIT 20`,
		"%"+q+"%", q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []OrgRef{}
	for rows.Next() {
		var o OrgRef
		if err := rows.Scan(&o.ID, &o.Code, &o.Name); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Meta is the code lists and the rules of these pages.
func (s *Store) Meta(ctx context.Context) (*Meta, error) {
	codes, err := s.members.Codes(ctx)
	if err != nil {
		return nil, err
	}
	m := &Meta{Scopes: Scopes, Reasons: Reasons, Outcomes: Outcomes, Bands: Bands, Situations: []Code{}}
	for _, t := range codes.Tables() {
		if t.Kind == member.KindLostSituation {
			for _, it := range t.Items {
				m.Situations = append(m.Situations, Code{it.Code, it.Name})
			}
		}
	}
	for _, id := range []string{"mobility.transfer", "mobility.card", "mobility.dates", "mobility.host", "lost.date", "lost.situation", "lost.once",
		"lost.suspend", "lost.lapse", "lost.restore", "lost.screen"} {
		m.Rules = append(m.Rules, rules.Get(id))
	}
	return m, nil
}
