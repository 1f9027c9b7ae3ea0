package life

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/rules"
)

// Settings are one organisation's own overrides of the rule defaults; nil inherits.
type Settings struct {
	ThemeDay               *int                 `json:"theme_day" doc:"主题党日固定日（每月几日，1–31；月份无此日时取月末）"`
	StudyHoursTarget       *float64             `json:"study_hours_target" doc:"党员年度学时目标"`
	LeaderStudyHoursTarget *float64             `json:"leader_study_hours_target" doc:"书记和班子成员年度学时目标"`
	GradeSet               *string              `json:"grade_set" doc:"民主评议等次：4（优秀/合格/基本合格/不合格）或 3（优秀/合格/不合格）"`
	Frequencies            map[string]Frequency `json:"frequencies" doc:"会议类型的频次调整：month、quarter、half、year、none（不作要求）"`
}

// Effective are the settings in force for an organisation, each with where it comes from.
type Effective struct {
	ThemeDay               int                  `json:"theme_day" doc:"0：未设固定日"`
	StudyHoursTarget       float64              `json:"study_hours_target"`
	LeaderStudyHoursTarget float64              `json:"leader_study_hours_target"`
	GradeSet               string               `json:"grade_set"`
	Grades                 []Option             `json:"grades"`
	Frequencies            map[string]Frequency `json:"frequencies" doc:"每类会议实际执行的频次"`
	From                   map[string]string    `json:"from" doc:"每项设置的来源：本组织、上级组织名称或“系统默认（依据）”"`
}

// SettingsAnswer is what GET /life/settings returns.
type SettingsAnswer struct {
	Org       Ref       `json:"org"`
	Own       Settings  `json:"own"`
	Effective Effective `json:"effective"`
}

func defaults() Effective {
	e := Effective{StudyHoursTarget: float64(rules.Get("life.study_hours.member").Value),
		LeaderStudyHoursTarget: float64(rules.Get("life.study_hours.leader").Value), GradeSet: "4",
		Frequencies: map[string]Frequency{}, From: map[string]string{}}
	e.From["study_hours_target"] = "系统默认（" + rules.Get("life.study_hours.member").Source + "）"
	e.From["leader_study_hours_target"] = "系统默认（" + rules.Get("life.study_hours.leader").Source + "）"
	e.From["grade_set"] = "系统默认（" + rules.Get("life.review.grades").Source + "）"
	e.From["theme_day"] = "未设固定日"
	for _, t := range meetingTypes {
		e.Frequencies[t.Code] = t.Frequency
		e.From["frequencies."+t.Code] = "系统默认（" + t.Source + "）"
	}
	return e
}

// merge applies the chain (root first) over the defaults.
func merge(chain org.Chain[Settings]) Effective {
	e := defaults()
	for _, l := range chain {
		v, at := l.Values, l.Label()
		org.Take(e.From, at, "theme_day", &e.ThemeDay, v.ThemeDay)
		org.Take(e.From, at, "study_hours_target", &e.StudyHoursTarget, v.StudyHoursTarget)
		org.Take(e.From, at, "leader_study_hours_target", &e.LeaderStudyHoursTarget, v.LeaderStudyHoursTarget)
		org.Take(e.From, at, "grade_set", &e.GradeSet, v.GradeSet)
		for code, f := range v.Frequencies {
			if _, ok := typeByCode(code); ok && f.Valid() {
				e.Frequencies[code], e.From["frequencies."+code] = f, at
			}
		}
	}
	e.Grades = gradeSet(e.GradeSet)
	return e
}

// settingsTable is where organisations keep their own 组织生活 settings (configuration: an
// ancestor's row applies whatever the caller may read). For many organisations of a subtree,
// load its Tree once and merge tree.Chain(path) for each.
var settingsTable = org.SettingsTable[Settings]{Table: "life_settings",
	Columns: []string{"theme_day", "study_hours_target", "leader_study_hours_target", "grade_set", "frequencies"},
	Scan: func(scan func(dest ...any) error) (s Settings, err error) {
		var freq *string
		if err = scan(&s.ThemeDay, &s.StudyHoursTarget, &s.LeaderStudyHoursTarget, &s.GradeSet, &freq); err != nil {
			return s, err
		}
		return s, org.UnmarshalSetting(freq, &s.Frequencies)
	}}

func pathIDs(path string) []int64 {
	var ids []int64
	for _, p := range strings.Split(strings.Trim(path, "/"), "/") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// effective returns the settings in force for u.
func (s *Store) effective(ctx context.Context, q db.Querier, u *unit) (Effective, error) {
	chain, err := settingsTable.Chain(ctx, q, u.Path)
	if err != nil {
		return Effective{}, err
	}
	return merge(chain), nil
}

// GetSettings returns an organisation's own settings and those in force.
func (s *Store) GetSettings(ctx context.Context, orgID int64) (*SettingsAnswer, error) {
	u, err := s.unitRequired(ctx, orgID)
	if err != nil {
		return nil, err
	}
	chain, err := settingsTable.Chain(ctx, s.db, u.Path)
	if err != nil {
		return nil, err
	}
	own, _ := chain.Own()
	if own.Frequencies == nil {
		own.Frequencies = map[string]Frequency{}
	}
	return &SettingsAnswer{Org: u.ref(), Own: own, Effective: merge(chain)}, nil
}

// PutSettings replaces an organisation's own overrides (null fields inherit again).
func (s *Store) PutSettings(ctx context.Context, orgID int64, in Settings) (*SettingsAnswer, error) {
	var f api.Fields
	if in.ThemeDay != nil && (*in.ThemeDay < 1 || *in.ThemeDay > 31) {
		f.Add("theme_day", "主题党日固定日应为每月 1 到 31 日")
	}
	for _, h := range []struct {
		field string
		v     *float64
	}{{"study_hours_target", in.StudyHoursTarget}, {"leader_study_hours_target", in.LeaderStudyHoursTarget}} {
		if h.v != nil && (*h.v < 0 || *h.v > 500 || math.IsNaN(*h.v)) {
			f.Add(h.field, "学时目标应在 0 到 500 之间")
		}
	}
	if in.GradeSet != nil && *in.GradeSet != "3" && *in.GradeSet != "4" {
		f.Add("grade_set", "评议等次应为 4（优秀、合格、基本合格、不合格）或 3（优秀、合格、不合格）")
	}
	for code, fr := range in.Frequencies {
		if _, ok := typeByCode(code); !ok {
			f.Add("frequencies."+code, "未知的会议类型："+code)
		} else if !fr.Valid() {
			f.Add("frequencies."+code, "频次应为 month（每月）、quarter（每季度）、half（每半年）、year（每年）或 none（不作要求）")
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		u, err := s.writableUnit(ctx, tx, orgID)
		if err != nil {
			return err
		}
		var before *Settings
		var old Settings
		err = tx.QueryRow(ctx, `SELECT theme_day, study_hours_target, leader_study_hours_target, grade_set FROM life_settings WHERE org_id = ?`, u.ID).
			Scan(&old.ThemeDay, &old.StudyHoursTarget, &old.LeaderStudyHoursTarget, &old.GradeSet)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		default:
			before = &old
		}
		if err := settingsTable.Save(ctx, tx, u.ID, username(ctx), in.ThemeDay, in.StudyHoursTarget, in.LeaderStudyHoursTarget,
			in.GradeSet, org.MarshalSetting(in.Frequencies)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "life.settings", Entity: "org", EntityID: strconv.FormatInt(u.ID, 10),
			Summary: fmt.Sprintf("%s：调整组织生活设置（本组织及下级执行）", u.Name), Before: before, After: in})
	})
	if err != nil {
		return nil, err
	}
	return s.GetSettings(ctx, orgID)
}

// username is who acts, for created_by columns.
func username(ctx context.Context) string {
	if p := access.From(ctx); p != nil {
		return p.Username
	}
	return "system"
}

// userID is the acting user's id, or nil.
func userID(ctx context.Context) *int64 {
	if p := access.From(ctx); p != nil && p.UserID != 0 {
		id := p.UserID
		return &id
	}
	return nil
}
