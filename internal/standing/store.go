package standing

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/rules"
)

// Store records the procedures of 党籍管理 and draws the 党员数量变化 report.
type Store struct {
	db      *db.DB
	members *member.Store
	// Today is the date acts and reports are checked against; tests set it.
	Today func() civil.Date
}

// NewStore returns a store writing through the member registry ms.
func NewStore(d *db.DB, ms *member.Store) *Store {
	return &Store{db: d, members: ms, Today: civil.Today}
}

const settingLapseLevel = "standing.lapse_level"

// Settings returns the configurable levels (defaults from the rule catalogue).
func (s *Store) Settings(ctx context.Context) (Settings, error) {
	return loadSettings(ctx, s.db)
}

func loadSettings(ctx context.Context, q db.Querier) (Settings, error) {
	out := Settings{LapseLevel: rules.Get("standing.lapse.after_suspension").Level}
	var v string
	var at time.Time
	err := q.QueryRow(ctx, `SELECT value, updated_at FROM settings WHERE key = ?`, settingLapseLevel).Scan(&v, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return out, nil
	}
	if err != nil {
		return out, err
	}
	if l := rules.Level(v); l == rules.Warn || l == rules.Block {
		out.LapseLevel, out.UpdatedAt = l, &at
	}
	return out, nil
}

// PutSettings changes the levels (system administrators; the route checks the permission).
func (s *Store) PutSettings(ctx context.Context, in Settings) (Settings, error) {
	if in.LapseLevel != rules.Warn && in.LapseLevel != rules.Block {
		return Settings{}, api.FieldInvalid("lapse_level", "应为 block（阻止）或 warn（仅提示）")
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		before, err := loadSettings(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
			settingLapseLevel, string(in.LapseLevel), time.Now().UTC()); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "standing.settings", Entity: "settings", EntityID: settingLapseLevel,
			Summary: "党籍管理设置：停止党籍不满2年按自行脱党除名时 " + map[rules.Level]string{rules.Warn: "仅提示", rules.Block: "阻止"}[in.LapseLevel],
			Before:  before, After: in})
	})
	if err != nil {
		return Settings{}, err
	}
	return s.Settings(ctx)
}

// Kinds returns the procedures with their rules and the settings in force.
func (s *Store) Kinds(ctx context.Context) (*KindsAnswer, error) {
	st, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	return &KindsAnswer{Items: Procedures(), Settings: st}, nil
}

// checker gathers what a procedure breaks.
type checker struct {
	findings []Finding
	lapse    rules.Level
}

func (k *checker) add(id, msg string) {
	r := rules.Get(id)
	level := r.Level
	if id == "standing.lapse.after_suspension" {
		level = k.lapse
	}
	k.findings = append(k.findings, Finding{Rule: id, Title: r.Title, Source: r.Source, Message: msg, Level: level})
}

func (k *checker) blocking() []Finding {
	var out []Finding
	for _, f := range k.findings {
		if f.Level == rules.Block {
			out = append(out, f)
		}
	}
	return out
}

func (k *checker) warnings() []Finding {
	out := []Finding{}
	for _, f := range k.findings {
		if f.Level != rules.Block {
			out = append(out, f)
		}
	}
	return out
}

// ruleError is the 422 of a procedure that breaks a blocking rule: it names the rule and its
// source.
func ruleError(blocking, all []Finding) error {
	f := blocking[0]
	e := api.Status(422, "rule_violation", f.Message+"（依据："+f.Source+"）")
	e.Extra = map[string]any{"rule": f.Rule, "title": f.Title, "source": f.Source, "message": f.Message, "violations": all}
	return e
}

func statusName(st member.Status) string {
	return member.DefaultCodes.Name(member.KindStatus, string(st))
}

// checkState adds what the member's present state rules out for p; abroad says whether the
// member's last 出国（境） has no 回国（境） yet.
func checkState(k *checker, p *Procedure, m *member.Subject, abroad bool) {
	ok := false
	for _, f := range p.From {
		ok = ok || f == m.Status
	}
	switch {
	case !ok && p.Kind == KindRestore && m.Status == left:
		k.add("standing.restore", "“"+m.Name+"”已出党：出党者原则上不能恢复党籍，符合条件的可以重新入党（办理“重新入党”）")
	case !ok && p.Kind == KindRestore:
		k.add("standing.restore", "恢复党籍只适用于停止党籍的党员，“"+m.Name+"”的党籍状态是“"+statusName(m.Status)+"”")
	case !ok && p.Kind == KindRejoin && m.Status == suspended:
		k.add("standing.rejoin", "重新入党只适用于已出党的党员；“"+m.Name+"”是停止党籍，符合条件的应办理恢复党籍")
	case !ok && p.Kind == KindRejoin:
		k.add("standing.rejoin", "重新入党只适用于已出党的党员，“"+m.Name+"”的党籍状态是“"+statusName(m.Status)+"”")
	case !ok:
		k.add(p.Rules[0].ID, fmt.Sprintf("%s只适用于党籍状态为“%s”的党员，“%s”的党籍状态是“%s”", p.Name, strings.Join(p.FromNames, "”或“"), m.Name, statusName(m.Status)))
	case p.Probationary && !m.FullOn.IsZero():
		k.add("standing.cancel_probation", "取消预备党员资格只适用于预备党员，“"+m.Name+"”已于 "+m.FullOn.String()+" 转为正式党员，出党应按其他方式办理")
	case p.Kind == KindAbroad && abroad:
		k.add("standing.abroad", "“"+m.Name+"”已登记出国（境），尚未登记回国（境）")
	case p.Kind == KindBack && !abroad:
		k.add("standing.abroad", "“"+m.Name+"”没有未回国（境）的出国（境）登记")
	}
}

// abroadNow says whether the member's last 出国（境） has no 回国（境） after it.
func abroadNow(ctx context.Context, q db.Querier, memberID int64) (bool, error) {
	var kind string
	err := q.QueryRow(ctx, `SELECT kind FROM member_status_changes WHERE member_id = ? AND kind IN (?, ?) ORDER BY changed_on DESC, id DESC LIMIT 1`,
		memberID, KindAbroad, KindBack).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return kind == string(KindAbroad), err
}

// checkAct adds the rules on the act itself: dates, grounds, the two years after 停止党籍.
func checkAct(k *checker, f *api.Fields, p *Procedure, m *member.Subject, in *Input, today civil.Date) {
	switch {
	case in.On.IsZero():
		f.Add("on", "请填写变动日期（批准或决定之日；死亡为去世之日）")
	case in.On.After(today):
		k.add("standing.date", "变动日期 "+in.On.String()+" 晚于今天：登记的是已经批准的变动")
	case !m.JoinedOn.IsZero() && in.On.Before(m.JoinedOn):
		k.add("standing.date", "变动日期不能早于加入党组织日期 "+m.JoinedOn.String())
	case (p.Kind == KindRestore || p.Kind == KindRejoin || (p.Kind == KindLapse || p.Kind == KindDeath || p.Kind == KindExpel) && m.Status != normal) &&
		!m.StatusOn.IsZero() && in.On.Before(m.StatusOn):
		k.add("standing.date", "变动日期不能早于上一次党籍变动（"+statusName(m.Status)+"）之日 "+m.StatusOn.String())
	}
	if p.Kind == KindSuspend {
		switch in.Ground {
		case "lost":
			switch {
			case !m.LostContact:
				k.add("standing.suspend.lost", "“"+m.Name+"”未登记为失联党员：请先在党员信息中登记失联（失去联系日期、失联情形）")
			case m.LostOn.IsZero():
				k.add("standing.suspend.lost", "请先在党员信息中登记“"+m.Name+"”的失去联系日期，系统才能核对是否已满6个月")
			case !in.On.IsZero() && in.On.Before(m.LostOn.AddDate(0, rules.Get("standing.suspend.lost").Value, 0)):
				n := rules.Get("standing.suspend.lost").Value
				k.add("standing.suspend.lost", fmt.Sprintf("“%s”于 %s 失去联系，到 %s 才满%d个月：失联%d个月以上、经多方查找仍无法取得联系的，才能停止党籍",
					m.Name, m.LostOn, m.LostOn.AddDate(0, n, 0), n, n))
			}
		case "abroad":
			k.add("standing.suspend.abroad", "系统无法核对出国定居或出国学习研究的年限（超过5年仍未返回），请核对出国证明材料并在原因中写明")
		case "":
			f.Add("ground", "请选择停止党籍的情形：失联6个月以上（lost）或出国定居、出国学习研究超过5年（abroad）")
		default:
			f.Add("ground", "停止党籍的情形应为 lost（失联6个月以上）或 abroad（出国定居、出国学习研究超过5年）")
		}
	}
	if years := rules.Get("standing.lapse.after_suspension").Value; p.Kind == KindLapse && m.Status == suspended && !in.On.IsZero() && !m.StatusOn.IsZero() &&
		in.On.Before(m.StatusOn.AddDate(years, 0, 0)) {
		k.add("standing.lapse.after_suspension", fmt.Sprintf("“%s”于 %s 停止党籍，到 %s 才满%d年：停止党籍%d年后确实无法取得联系的，才按自行脱党除名",
			m.Name, m.StatusOn, m.StatusOn.AddDate(years, 0, 0), years, years))
	}
}

// available lists every procedure with whether the member's state allows it.
func available(m *member.Subject, abroad bool) []Available {
	out := make([]Available, 0, len(procedures))
	for i := range procedures {
		p := &procedures[i]
		k := &checker{lapse: rules.Block}
		checkState(k, p, m, abroad)
		a := Available{Kind: p.Kind, Name: p.Name, Allowed: len(k.findings) == 0}
		if !a.Allowed {
			a.Reason = k.findings[0].Message + "（依据：" + k.findings[0].Source + "）"
		}
		out = append(out, a)
	}
	return out
}

func (s *Store) standing(ctx context.Context, q db.Querier, m *member.Subject) (*Standing, error) {
	recs, err := s.members.StatusChanges(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	abroad, err := abroadNow(ctx, q, m.ID)
	if err != nil {
		return nil, err
	}
	st := &Standing{MemberID: m.ID, Name: m.Name, Status: m.Status, StatusName: statusName(m.Status), StatusOn: m.StatusOn,
		JoinedOn: m.JoinedOn, Category: "probationary", Items: []Change{}, Available: available(m, abroad), Abroad: abroad}
	if !m.FullOn.IsZero() {
		st.Category = "full"
	}
	for _, r := range recs {
		st.Items = append(st.Items, Change{StatusRecord: r, KindName: kindName(r.Kind)})
	}
	return st, nil
}

// Standing returns a member's 党籍: state, history and the procedures open to them.
func (s *Store) Standing(ctx context.Context, memberID int64) (*Standing, error) {
	m, err := s.members.ReadSubject(ctx, s.db, memberID)
	if err != nil {
		return nil, err
	}
	return s.standing(ctx, s.db, m)
}

// Record carries out a procedure for a member: checks the fields and rules (a blocking rule
// refuses with 422 naming it and its source; a warning is recorded with the act), then writes
// the status change, the member's status, the counts, the ledger row and the audit entry in
// one transaction.
func (s *Store) Record(ctx context.Context, memberID int64, in Input) (*Answer, error) {
	in.Reason, in.ApprovedBy, in.Document = strings.TrimSpace(in.Reason), strings.TrimSpace(in.ApprovedBy), strings.TrimSpace(in.Document)
	p := procedure(in.Kind)
	if p == nil {
		names := make([]string, len(procedures))
		for i, q := range procedures {
			names[i] = string(q.Kind) + " " + q.Name
		}
		return nil, api.FieldInvalid("kind", "党籍变动方式应为："+strings.Join(names, "、"))
	}
	var ans Answer
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		m, err := s.members.WritableSubject(ctx, tx, memberID)
		if err != nil {
			return err
		}
		set, err := loadSettings(ctx, tx)
		if err != nil {
			return err
		}
		k := &checker{lapse: set.LapseLevel}
		var f api.Fields
		abroad, err := abroadNow(ctx, tx, m.ID)
		if err != nil {
			return err
		}
		checkState(k, p, m, abroad)
		if len(k.findings) == 0 {
			checkAct(k, &f, p, m, &in, s.Today())
		}
		if n := utf8.RuneCountInString(in.Reason); n == 0 || n > 500 {
			f.Add("reason", "请填写变动原因（最长500字）")
		}
		if in.ApprovedBy == "" && p.ApprovalRequired {
			f.Add("approved_by", "请填写批准机关（"+p.ApprovalHint+"）；依据："+rules.Get("standing.approval").Source)
		}
		if in.Document == "" && p.DocumentRequired {
			f.Add("document", "请填写批准文件的名称和文号，如“关于停止××同志党籍的批复（×党〔2026〕12号）”")
		}
		if utf8.RuneCountInString(in.ApprovedBy) > 100 {
			f.Add("approved_by", "批准机关最长100字")
		}
		if utf8.RuneCountInString(in.Document) > 200 {
			f.Add("document", "文件名称和文号最长200字")
		}
		if b := k.blocking(); len(b) > 0 {
			return ruleError(b, k.findings)
		}
		if err := f.Err(); err != nil {
			return err
		}
		reason := in.Reason
		if g := groundName(p, in.Ground); g != "" {
			reason = g + "：" + reason
		}
		ans.Warnings = k.warnings()
		if err := s.members.ApplyStatus(ctx, tx, m, member.StatusAct{Kind: string(p.Kind), KindName: p.Name, To: p.To, On: in.On,
			Reason: reason, ApprovedBy: in.ApprovedBy, Document: in.Document, Event: p.Event, Rejoin: p.Kind == KindRejoin}); err != nil {
			return err
		}
		if len(ans.Warnings) > 0 {
			msgs := make([]string, len(ans.Warnings))
			for i, w := range ans.Warnings {
				msgs[i] = w.Message
			}
			return audit.Record(ctx, tx, audit.Entry{Action: "standing.warning", Entity: "member", EntityID: fmt.Sprint(m.ID),
				Summary: "党员“" + m.Name + "”" + p.Name + "时的规则提示：" + strings.Join(msgs, "；"), After: ans.Warnings})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	st, err := s.Standing(ctx, memberID)
	if err != nil {
		return nil, err
	}
	ans.Standing = *st
	for _, c := range st.Items { // the newest record (items are in date order)
		if c.ID > ans.Change.ID {
			ans.Change = c
		}
	}
	return &ans, nil
}

func groundName(p *Procedure, code string) string {
	for _, g := range p.Grounds {
		if g.Code == code {
			return g.Name
		}
	}
	return ""
}
