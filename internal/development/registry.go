package development

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
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/pii"
)

// The link to the member registry. When the 上级党委's 审批 of 接收预备党员 (s17) is recorded,
// the member record is created in the same transaction, 加入党组织日期 = the 支部大会 date
// (《中国共产党党员教育管理工作条例》第二十四条: 预备党员自支部大会通过之日起取得党籍), with a
// develop row in the ledger. At the 审批 of 转正 (s24) the record gets its 转为正式党员日期 (the
// 预备期满之日), or, when the 支部大会 decided to 取消预备党员资格, the member leaves.

var profileLabels = map[string]string{"id_number": "公民身份号码", "ethnicity": "民族", "education": "学历", "job": "工作岗位",
	"native_place": "籍贯", "phone": "联系电话", "address": "家庭住址"}

// missingProfile lists what a case still lacks for the registry record.
func missingProfile(c *caseRow) []string {
	out := []string{}
	if c.idHash == "" {
		out = append(out, "id_number")
	}
	if c.Profile.Ethnicity == "" {
		out = append(out, "ethnicity")
	}
	if c.Profile.Education == "" {
		out = append(out, "education")
	}
	return out
}

// checkProfile validates the fields that are given with the member registry's own rules (code
// tables, phone format, lengths) and normalises them in place; empty fields are not checked
// (they stay as they are, and the 审批 asks for the required ones).
func (s *Store) checkProfile(ctx context.Context, q db.Querier, c *CaseInput, p *ProfileFields, idNumber string) (api.Fields, error) {
	codes, err := member.CodesTx(ctx, q)
	if err != nil {
		return nil, err
	}
	in := member.Input{Name: "申请人", Gender: c.Gender, BirthDate: c.BirthDate, IDNumber: idNumber, Ethnicity: p.Ethnicity,
		Education: p.Education, Job: p.Job, NativePlace: p.NativePlace, Phone: p.Phone, Address: p.Address, JoinedOn: s.Today()}
	errs, _ := member.CheckWith(&in, s.Today(), codes)
	keep := map[string]string{"ethnicity": p.Ethnicity, "education": p.Education, "job": p.Job, "native_place": p.NativePlace,
		"phone": p.Phone, "address": p.Address}
	if idNumber != "" {
		keep["id_number"], keep["birth_date"], keep["gender"] = idNumber, idNumber, idNumber
	}
	var f api.Fields
	for _, e := range errs {
		if v, ok := keep[e.Field]; ok && strings.TrimSpace(v) != "" {
			f.Add(e.Field, e.Message)
		}
	}
	p.Ethnicity, p.Education, p.Job, p.NativePlace = in.Ethnicity, in.Education, in.Job, in.NativePlace
	p.Phone, p.Address = in.Phone, in.Address
	return f, nil
}

// profileColumns returns the SET clause and arguments for the given (non-empty) fields.
func (s *Store) profileColumns(p ProfileFields) (string, []any, error) {
	var sets []string
	var args []any
	add := func(col string, v any) { sets = append(sets, col+" = ?"); args = append(args, v) }
	if p.Ethnicity != "" {
		add("ethnicity", p.Ethnicity)
	}
	if p.Education != "" {
		add("education", p.Education)
	}
	if p.Job != "" {
		add("job", p.Job)
	}
	if p.NativePlace != "" {
		add("native_place", p.NativePlace)
	}
	if p.Phone != "" {
		cipher, err := s.key.Seal(p.Phone)
		if err != nil {
			return "", nil, err
		}
		add("phone_cipher", cipher)
		add("phone_mask", pii.MaskPhone(p.Phone))
	}
	if p.Address != "" {
		cipher, err := s.key.Seal(p.Address)
		if err != nil {
			return "", nil, err
		}
		add("address_cipher", cipher)
		add("address_mask", pii.MaskAddress(p.Address))
	}
	return strings.Join(sets, ", "), args, nil
}

// applyProfile validates and writes a profile change on case c inside tx.
func (s *Store) applyProfile(ctx context.Context, tx *db.Tx, c *caseRow, p Profile) (changed []string, err error) {
	ci := &CaseInput{Gender: c.Gender, BirthDate: c.BirthDate}
	id := ""
	var f api.Fields
	if strings.TrimSpace(p.IDNumber) != "" {
		id = member.NormalizeID(p.IDNumber)
		if c.idHash != "" {
			var cipher string
			if err := tx.QueryRow(ctx, `SELECT id_cipher FROM dev_cases WHERE id = ?`, c.ID).Scan(&cipher); err != nil {
				return nil, err
			}
			old, err := s.key.Open(cipher)
			if err != nil {
				return nil, err
			}
			if old != id {
				f.Add("id_number", "该案例已登记公民身份号码（"+c.IDNumber+"），不能在此修改")
			}
			id = ""
		}
	}
	pf := p.ProfileFields
	more, err := s.checkProfile(ctx, tx, ci, &pf, id)
	if err != nil {
		return nil, err
	}
	f = append(f, more...)
	if err := f.Err(); err != nil {
		return nil, err
	}
	sets, args, err := s.profileColumns(pf)
	if err != nil {
		return nil, err
	}
	for _, k := range []string{"ethnicity", "education", "job", "native_place", "phone", "address"} {
		if strings.Contains(sets, k) {
			changed = append(changed, profileLabels[k])
		}
	}
	if id != "" {
		hash := s.key.Hash(id)
		if err := s.idFree(ctx, tx, hash, c.ID); err != nil {
			return nil, err
		}
		cipher, err := s.key.Seal(id)
		if err != nil {
			return nil, err
		}
		if sets != "" {
			sets += ", "
		}
		sets += "id_cipher = ?, id_hash = ?, id_mask = ?"
		args = append(args, cipher, hash, pii.MaskID(id))
		changed = append(changed, profileLabels["id_number"])
	}
	if sets == "" {
		return nil, nil
	}
	if _, err := tx.Exec(ctx, `UPDATE dev_cases SET `+sets+`, updated_at = ? WHERE id = ?`, append(args, time.Now().UTC(), c.ID)...); err != nil {
		if db.IsUniqueViolation(err) {
			return nil, api.Conflict("该申请人已有进行中的发展党员案例：一人一案")
		}
		return nil, err
	}
	c.idHash = "set"
	if pf.Ethnicity != "" {
		c.Profile.Ethnicity = pf.Ethnicity
	}
	if pf.Education != "" {
		c.Profile.Education = pf.Education
	}
	return changed, nil
}

// idFree refuses a 公民身份号码 already in the registry or on another open case.
func (s *Store) idFree(ctx context.Context, tx *db.Tx, hash string, caseID int64) error {
	var name string
	err := tx.QueryRow(ctx, `SELECT name FROM members WHERE id_hash = ?`, hash).Scan(&name)
	switch {
	case err == nil:
		return api.Conflict("该公民身份号码已登记在党员名册中（" + name + "），不能再作为入党申请人")
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	err = tx.QueryRow(ctx, `SELECT name FROM dev_cases WHERE id_hash = ? AND status = 'open' AND id <> ?`, hash, caseID).Scan(&name)
	switch {
	case err == nil:
		return api.Conflict("该申请人（" + name + "）已有进行中的发展党员案例：一人一案")
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	return nil
}

// UpdateProfile completes the 党员信息 of a case (民族, 学历, 工作岗位, 籍贯, 联系电话, 家庭住址,
// and the 公民身份号码 when the case has none), checked with the member registry's rules.
func (s *Store) UpdateProfile(ctx context.Context, caseID int64, p Profile) (*Case, error) {
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		c, err := s.findCase(ctx, tx, caseID, access.OrgRead)
		if err != nil {
			return err
		}
		if !access.Covers(ctx, access.OrgWrite, c.branch.Path) {
			return api.Forbidden("您对“" + c.branch.Name + "”只有查看权限")
		}
		if c.MemberID != nil {
			return api.Conflict("“" + c.Name + "”已建立党员名册记录：请在党员名册中修改其信息")
		}
		changed, err := s.applyProfile(ctx, tx, c, p)
		if err != nil || len(changed) == 0 {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "development.profile", Entity: "dev_case", EntityID: strconv.FormatInt(c.ID, 10),
			Summary: fmt.Sprintf("%s：补充申请人“%s”的党员信息：%s", c.branch.Name, c.Name, strings.Join(changed, "、")),
			After:   map[string]any{"fields": changed}})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, caseID)
}

// requireProfile names what the case still lacks before its 审批 can create the member record.
func requireProfile(f *api.Fields, c *caseRow) {
	for _, k := range missingProfile(c) {
		f.Add(k, "上级党委审批后要在党员名册中建立“"+c.Name+"”的记录：请先补充其"+profileLabels[k]+"（可在本审批表中填写）")
	}
}

// enroll creates the member record of an approved 预备党员 inside tx and links the case.
func (s *Store) enroll(ctx context.Context, tx *db.Tx, c *caseRow, st state) (int64, error) {
	var idC, eth, edu, job, native, phoneC, addrC string
	if err := tx.QueryRow(ctx, `SELECT id_cipher, ethnicity, education, job, native_place, phone_cipher, address_cipher FROM dev_cases WHERE id = ?`,
		c.ID).Scan(&idC, &eth, &edu, &job, &native, &phoneC, &addrC); err != nil {
		return 0, err
	}
	var plain [3]string
	for i, x := range []string{idC, phoneC, addrC} {
		v, err := s.key.Open(x)
		if err != nil {
			return 0, err
		}
		plain[i] = v
	}
	var intro []string
	for _, p := range st.done[StepIntroducers].People {
		intro = append(intro, p.Name)
	}
	in := member.Input{OrgID: c.branch.ID, Name: c.Name, Gender: c.Gender, IDNumber: plain[0], BirthDate: c.BirthDate,
		Ethnicity: eth, Education: edu, Job: job, NativePlace: native, Phone: plain[1], Address: plain[2],
		JoinedOn: st.joinedOn, Introducers: strings.Join(intro, "、"),
		AddedAs: member.AddedDevelop, AddedRef: "development:" + strconv.FormatInt(c.ID, 10)}
	id, err := s.members.CreateTx(ctx, tx, in)
	if err != nil {
		return 0, err
	}
	_, err = tx.Exec(ctx, `UPDATE dev_cases SET member_id = ? WHERE id = ?`, id, c.ID)
	return id, err
}

// settle applies the 转正 decision approved at s24 to the member record.
func (s *Store) settle(ctx context.Context, tx *db.Tx, c *caseRow, data StepData, on civil.Date) error {
	if c.MemberID == nil {
		return nil // approved before the registry link: nothing to update
	}
	ref := "development:" + strconv.FormatInt(c.ID, 10)
	switch data.Outcome {
	case OutcomeFull:
		return s.members.ConfirmFullTx(ctx, tx, *c.MemberID, data.ProbationEnds)
	case OutcomeCancel:
		return s.members.CancelProbationTx(ctx, tx, *c.MemberID, member.CancelProbation{On: on, ApprovedBy: data.ApproverName,
			Reason: "支部大会讨论决定取消预备党员资格，经上级党委批准", Ref: ref})
	}
	return nil // 延长预备期 changes nothing in the registry
}
