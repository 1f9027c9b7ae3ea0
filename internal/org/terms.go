package org

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
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/rules"
)

const termSelect = `SELECT id, org_id, elected_on, term_years, ends_on, extended_to, extension_reason, extension_approval, closed_on FROM org_terms`

func scanTerm(row interface{ Scan(...any) error }) (*Term, error) {
	var t Term
	err := row.Scan(&t.ID, &t.OrgID, &t.ElectedOn, &t.TermYears, &t.EndsOn, &t.ExtendedTo, &t.ExtensionReason, &t.ExtensionApproval, &t.ClosedOn)
	return &t, err
}

// derive fills the due date and state of t as of today.
func (t *Term) derive(o *Org, today civil.Date) {
	t.DueOn = t.EndsOn
	if !t.ExtendedTo.IsZero() {
		t.DueOn = t.ExtendedTo
	}
	t.Source = termRule(o.Type, o.UnitType).Source
	remind := rules.Get("org.term.remind").Value
	switch {
	case !t.ClosedOn.IsZero():
		t.State = TermEnded
	case t.DueOn.Before(today):
		t.State = TermOverdue
	case today.DaysUntil(t.DueOn) <= remind:
		t.State = TermDueSoon
	default:
		t.State = TermCurrent
	}
	if t.Leaders == nil {
		t.Leaders = []Leader{}
	}
}

func loadLeaders(ctx context.Context, q db.Querier, terms []*Term) error {
	if len(terms) == 0 {
		return nil
	}
	byID := map[int64]*Term{}
	ids := make([]string, 0, len(terms))
	for _, t := range terms {
		byID[t.ID] = t
		ids = append(ids, strconv.FormatInt(t.ID, 10))
	}
	rows, err := q.Query(ctx, `SELECT id, term_id, name, post, started_on, ended_on, note FROM org_leaders
		WHERE term_id IN (`+strings.Join(ids, ",")+`) ORDER BY term_id, sort_order, id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var l Leader
		if err := rows.Scan(&l.ID, &l.TermID, &l.Name, &l.Post, &l.StartedOn, &l.EndedOn, &l.Note); err != nil {
			return err
		}
		l.PostName = l.Post.Name()
		byID[l.TermID].Leaders = append(byID[l.TermID].Leaders, l)
	}
	return rows.Err()
}

// Committee returns the organisation's terms, the current one first.
func (s *Store) Committee(ctx context.Context, orgID int64) (*Committee, error) {
	o, err := s.find(ctx, s.db, orgID, access.OrgRead)
	if err != nil {
		return nil, err
	}
	return s.committee(ctx, s.db, o)
}

func (s *Store) committee(ctx context.Context, q db.Querier, o *Org) (*Committee, error) {
	rows, err := q.Query(ctx, termSelect+` WHERE org_id = ? ORDER BY elected_on DESC, id DESC`, o.ID)
	if err != nil {
		return nil, err
	}
	var terms []*Term
	for rows.Next() {
		t, err := scanTerm(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		terms = append(terms, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := loadLeaders(ctx, q, terms); err != nil {
		return nil, err
	}
	c := &Committee{Terms: []Term{}}
	today := s.Today()
	for _, t := range terms {
		t.derive(o, today)
		if t.ClosedOn.IsZero() && c.Current == nil {
			cur := *t
			c.Current = &cur
		}
		c.Terms = append(c.Terms, *t)
	}
	return c, nil
}

func (s *Store) validateLeader(in *LeaderInput, o *Org, field string, f *api.Fields) {
	in.Name = strings.TrimSpace(in.Name)
	if n := utf8.RuneCountInString(in.Name); n == 0 || n > 30 {
		f.Add(field+".name", "请填写姓名（最长30字）")
	}
	switch {
	case !in.Post.Valid():
		f.Add(field+".post", "请选择职务")
	case o.Type == TypeGroup && in.Post != PostGroupLeader:
		f.Add(field+".post", "党小组只设组长")
	case o.Type != TypeGroup && in.Post == PostGroupLeader:
		f.Add(field+".post", "组长是党小组的职务")
	}
	if !in.StartedOn.IsZero() && in.StartedOn.After(s.Today()) {
		f.Add(field+".started_on", "任职日期不能晚于今天")
	}
}

func countSecretaries(ls []LeaderInput) int {
	n := 0
	for _, l := range ls {
		if l.Post == PostSecretary {
			n++
		}
	}
	return n
}

// CreateTerm records a new 班子 (换届): the previous term ends on the new election day.
func (s *Store) CreateTerm(ctx context.Context, orgID int64, in TermInput) (*Term, error) {
	var termID int64
	var o *Org
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if o, err = s.findWritable(ctx, tx, orgID); err != nil {
			return err
		}
		if o.Status != StatusActive {
			return api.Conflict("该组织已撤销，不能录入新一届班子")
		}
		rule := termRule(o.Type, o.UnitType)
		var f api.Fields
		switch {
		case in.ElectedOn.IsZero():
			f.Add("elected_on", "请填写选举日期")
		case in.ElectedOn.After(s.Today()):
			f.Add("elected_on", "选举日期不能晚于今天")
		}
		ends := in.ElectedOn.AddDate(rule.Value, 0, 0)
		if !in.EndsOn.IsZero() && !in.ElectedOn.IsZero() {
			switch {
			case !in.EndsOn.After(in.ElectedOn):
				f.Add("ends_on", "届满日期必须晚于选举日期")
			case in.EndsOn.After(in.ElectedOn.AddDate(5, 0, 0)):
				f.Add("ends_on", "每届任期最长5年（依据：《中国共产党章程》第三十条）")
			default:
				ends = in.EndsOn
			}
		}
		for i := range in.Leaders {
			s.validateLeader(&in.Leaders[i], o, fmt.Sprintf("leaders[%d]", i), &f)
		}
		if countSecretaries(in.Leaders) > 1 {
			f.Add("leaders", "一届班子只能有一名书记")
		}
		cur, err := scanTerm(tx.QueryRow(ctx, termSelect+` WHERE org_id = ? AND closed_on IS NULL`, orgID))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			cur = nil
		case err != nil:
			return err
		case !in.ElectedOn.IsZero() && !in.ElectedOn.After(cur.ElectedOn):
			f.Add("elected_on", "新一届的选举日期应晚于上一届（"+cur.ElectedOn.String()+"）")
		}
		if err := f.Err(); err != nil {
			return err
		}
		if cur != nil {
			if _, err := tx.Exec(ctx, `UPDATE org_terms SET closed_on = ? WHERE id = ?`, in.ElectedOn, cur.ID); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE org_leaders SET ended_on = ? WHERE term_id = ? AND ended_on IS NULL`, in.ElectedOn, cur.ID); err != nil {
				return err
			}
		}
		err = tx.QueryRow(ctx, `INSERT INTO org_terms (org_id, elected_on, term_years, ends_on, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			orgID, in.ElectedOn, rule.Value, ends, time.Now().UTC()).Scan(&termID)
		if err != nil {
			return err
		}
		for i, l := range in.Leaders {
			if l.StartedOn.IsZero() {
				l.StartedOn = in.ElectedOn
			}
			if _, err := tx.Exec(ctx, `INSERT INTO org_leaders (term_id, name, post, started_on, note, sort_order) VALUES (?, ?, ?, ?, ?, ?)`,
				termID, l.Name, l.Post, l.StartedOn, l.Note, i); err != nil {
				return err
			}
		}
		names := make([]string, len(in.Leaders))
		for i, l := range in.Leaders {
			names[i] = l.Post.Name() + l.Name
		}
		return record(ctx, tx, o, "term", fmt.Sprintf("%s 选举产生新一届班子，届满 %s；%s", in.ElectedOn, ends, strings.Join(names, "、")), nil, in)
	})
	if err != nil {
		return nil, err
	}
	return s.term(ctx, termID)
}

// term loads one term with its leaders, within the caller's read scope.
func (s *Store) term(ctx context.Context, id int64) (*Term, error) {
	t, o, err := s.termWithOrg(ctx, s.db, id, access.OrgRead)
	if err != nil {
		return nil, err
	}
	if err := loadLeaders(ctx, s.db, []*Term{t}); err != nil {
		return nil, err
	}
	t.derive(o, s.Today())
	return t, nil
}

var errTermNotFound = api.NotFound("班子记录不存在，或不在您的管理范围内")

func (s *Store) termWithOrg(ctx context.Context, q db.Querier, id int64, perm access.Perm) (*Term, *Org, error) {
	t, err := scanTerm(q.QueryRow(ctx, termSelect+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errTermNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	o, err := s.find(ctx, q, t.OrgID, perm)
	if err != nil {
		return nil, nil, errTermNotFound
	}
	return t, o, nil
}

func (s *Store) writableTerm(ctx context.Context, tx *db.Tx, id int64) (*Term, *Org, error) {
	t, o, err := s.termWithOrg(ctx, tx, id, access.OrgRead)
	if err != nil {
		return nil, nil, err
	}
	if !access.Covers(ctx, access.OrgWrite, o.Path) {
		return nil, nil, api.Forbidden("您对“" + o.Name + "”只有查看权限")
	}
	return t, o, nil
}

// UpdateTerm corrects a term's dates or records an approved extension (延期换届).
func (s *Store) UpdateTerm(ctx context.Context, id int64, in TermUpdate) (*Term, error) {
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		t, o, err := s.writableTerm(ctx, tx, id)
		if err != nil {
			return err
		}
		old := *t
		set(&t.ElectedOn, in.ElectedOn)
		set(&t.EndsOn, in.EndsOn)
		set(&t.ExtendedTo, in.ExtendedTo)
		set(&t.ExtensionReason, in.ExtensionReason)
		set(&t.ExtensionApproval, in.ExtensionApproval)
		t.ExtensionReason, t.ExtensionApproval = strings.TrimSpace(t.ExtensionReason), strings.TrimSpace(t.ExtensionApproval)
		if in.ElectedOn != nil && in.EndsOn == nil {
			t.EndsOn = t.ElectedOn.AddDate(t.TermYears, 0, 0)
		}
		var f api.Fields
		switch {
		case t.ElectedOn.IsZero():
			f.Add("elected_on", "请填写选举日期")
		case t.ElectedOn.After(s.Today()):
			f.Add("elected_on", "选举日期不能晚于今天")
		case !t.EndsOn.After(t.ElectedOn):
			f.Add("ends_on", "届满日期必须晚于选举日期")
		case t.EndsOn.After(t.ElectedOn.AddDate(5, 0, 0)):
			f.Add("ends_on", "每届任期最长5年（依据：《中国共产党章程》第三十条）")
		}
		if !t.ExtendedTo.IsZero() {
			ext := rules.Get("org.term.extension")
			switch {
			case !t.ExtendedTo.After(t.EndsOn):
				f.Add("extended_to", "延期日期必须晚于届满日期 "+t.EndsOn.String())
			case t.ExtendedTo.After(t.EndsOn.AddDate(ext.Value, 0, 0)):
				f.Add("extended_to", fmt.Sprintf("延期一般不超过%d年，最晚 %s（依据：%s）", ext.Value, t.EndsOn.AddDate(ext.Value, 0, 0), ext.Source))
			}
			if t.ExtensionReason == "" {
				f.Add("extension_reason", "请填写延期原因")
			}
			if t.ExtensionApproval == "" {
				f.Add("extension_approval", "请填写上级党组织批准文号（延期须经上级批准）")
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE org_terms SET elected_on = ?, ends_on = ?, extended_to = ?, extension_reason = ?, extension_approval = ? WHERE id = ?`,
			t.ElectedOn, t.EndsOn, t.ExtendedTo, t.ExtensionReason, t.ExtensionApproval, id); err != nil {
			return err
		}
		summary := fmt.Sprintf("任期调整为 %s 至 %s", t.ElectedOn, t.EndsOn)
		if !t.ExtendedTo.IsZero() {
			summary += fmt.Sprintf("，经批准（%s）延期至 %s，原因：%s", t.ExtensionApproval, t.ExtendedTo, t.ExtensionReason)
		}
		return record(ctx, tx, o, "term_update", summary, old, t)
	})
	if err != nil {
		return nil, err
	}
	return s.term(ctx, id)
}

// AddLeader adds a member to a term's 班子 (e.g. a 补选).
func (s *Store) AddLeader(ctx context.Context, termID int64, in LeaderInput) (*Leader, error) {
	var id int64
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		t, o, err := s.writableTerm(ctx, tx, termID)
		if err != nil {
			return err
		}
		var f api.Fields
		s.validateLeader(&in, o, "leader", &f)
		// The form has one leader, so its fields have no prefix.
		for i := range f {
			f[i].Field = strings.TrimPrefix(f[i].Field, "leader.")
		}
		if in.Post == PostSecretary {
			var n int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM org_leaders WHERE term_id = ? AND post = 'secretary' AND ended_on IS NULL`, termID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				f.Add("post", "本届班子已有书记；如书记调整，请先填写原书记的离任日期")
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		if in.StartedOn.IsZero() {
			in.StartedOn = s.Today()
		}
		if err := tx.QueryRow(ctx, `INSERT INTO org_leaders (term_id, name, post, started_on, note, sort_order)
			VALUES (?, ?, ?, ?, ?, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM org_leaders WHERE term_id = ?)) RETURNING id`,
			t.ID, in.Name, in.Post, in.StartedOn, in.Note, t.ID).Scan(&id); err != nil {
			return err
		}
		return record(ctx, tx, o, "leader", "增补"+in.Post.Name()+in.Name, nil, in)
	})
	if err != nil {
		return nil, err
	}
	return s.leader(ctx, id)
}

func (s *Store) leader(ctx context.Context, id int64) (*Leader, error) {
	var l Leader
	err := s.db.QueryRow(ctx, `SELECT id, term_id, name, post, started_on, ended_on, note FROM org_leaders WHERE id = ?`, id).
		Scan(&l.ID, &l.TermID, &l.Name, &l.Post, &l.StartedOn, &l.EndedOn, &l.Note)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errLeaderNotFound
	}
	if err != nil {
		return nil, err
	}
	if _, _, err := s.termWithOrg(ctx, s.db, l.TermID, access.OrgRead); err != nil {
		return nil, errLeaderNotFound
	}
	l.PostName = l.Post.Name()
	return &l, nil
}

var errLeaderNotFound = api.NotFound("班子成员不存在，或不在您的管理范围内")

func (s *Store) writableLeader(ctx context.Context, tx *db.Tx, id int64) (*Leader, *Org, error) {
	var l Leader
	err := tx.QueryRow(ctx, `SELECT id, term_id, name, post, started_on, ended_on, note FROM org_leaders WHERE id = ?`, id).
		Scan(&l.ID, &l.TermID, &l.Name, &l.Post, &l.StartedOn, &l.EndedOn, &l.Note)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errLeaderNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	_, o, err := s.writableTerm(ctx, tx, l.TermID)
	if errors.Is(err, errTermNotFound) {
		return nil, nil, errLeaderNotFound
	}
	return &l, o, err
}

// UpdateLeader changes a leader, e.g. records the day they left the post.
func (s *Store) UpdateLeader(ctx context.Context, id int64, in LeaderUpdate) (*Leader, error) {
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		l, o, err := s.writableLeader(ctx, tx, id)
		if err != nil {
			return err
		}
		old := *l
		set(&l.Name, in.Name)
		set(&l.Post, in.Post)
		set(&l.StartedOn, in.StartedOn)
		set(&l.EndedOn, in.EndedOn)
		set(&l.Note, in.Note)
		li := LeaderInput{Name: l.Name, Post: l.Post, StartedOn: l.StartedOn, Note: l.Note}
		var f api.Fields
		s.validateLeader(&li, o, "leader", &f)
		for i := range f {
			f[i].Field = strings.TrimPrefix(f[i].Field, "leader.")
		}
		if !l.EndedOn.IsZero() && !l.StartedOn.IsZero() && l.EndedOn.Before(l.StartedOn) {
			f.Add("ended_on", "离任日期不能早于任职日期")
		}
		if err := f.Err(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE org_leaders SET name = ?, post = ?, started_on = ?, ended_on = ?, note = ? WHERE id = ?`,
			li.Name, l.Post, l.StartedOn, l.EndedOn, l.Note, id); err != nil {
			return err
		}
		summary := "班子成员" + old.Name + "信息修改"
		if !l.EndedOn.IsZero() && old.EndedOn.IsZero() {
			summary = old.Post.Name() + old.Name + "于 " + l.EndedOn.String() + " 离任"
		}
		return record(ctx, tx, o, "leader", summary, old, l)
	})
	if err != nil {
		return nil, err
	}
	return s.leader(ctx, id)
}

// DeleteLeader removes a leader entered by mistake (a departure is an UpdateLeader with ended_on).
func (s *Store) DeleteLeader(ctx context.Context, id int64) error {
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		l, o, err := s.writableLeader(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM org_leaders WHERE id = ?`, id); err != nil {
			return err
		}
		return record(ctx, tx, o, "leader", "删除误录入的班子成员"+l.Post.Name()+l.Name, l, nil)
	})
}
