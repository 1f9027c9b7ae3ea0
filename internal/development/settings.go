package development

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/rules"
)

// Settings are an organisation's own local rules; nil inherits from above.
type Settings struct {
	RuleVersion       *string                `json:"rule_version" doc:"执行的规则版本：2014（默认）或 2026（未核实）"`
	PublicityDays     *int                   `json:"publicity_days" doc:"公示工作日数（默认 5）"`
	ActivistMinMonths *int                   `json:"activist_min_months" doc:"递交申请书至确定积极分子至少几个月（默认 0：不要求；常见本地要求 6）"`
	PreReviewDays     *int                   `json:"pre_review_days" doc:"预审合格后多少天内召开支部大会（默认 0：不要求；常见本地要求 30）"`
	Levels            map[string]rules.Level `json:"levels" doc:"规则的处理方式：block 阻止保存、warn 提示"`
}

// Effective are the settings in force for an organisation, each with where it comes from.
type Effective struct {
	RuleVersion       string                 `json:"rule_version"`
	PublicityDays     int                    `json:"publicity_days"`
	ActivistMinMonths int                    `json:"activist_min_months"`
	PreReviewDays     int                    `json:"pre_review_days"`
	Levels            map[string]rules.Level `json:"levels"`
	From              map[string]string      `json:"from" doc:"每项设置的来源：本组织、上级组织名称或系统默认"`
}

func (e *Effective) level(id string) rules.Level {
	if l, ok := e.Levels[id]; ok {
		return l
	}
	return rules.Get(id).Level
}

func defaults() Effective {
	e := Effective{RuleVersion: DefaultVersion, PublicityDays: rules.Get("dev.publicity").Value,
		ActivistMinMonths: rules.Get("dev.activist_wait").Value, PreReviewDays: rules.Get("dev.pre_review_to_congress").Value,
		Levels: map[string]rules.Level{}, From: map[string]string{}}
	for _, c := range ruleSets[DefaultVersion].Checks {
		e.Levels[c.ID] = c.Level
	}
	e.From["rule_version"] = "系统默认"
	e.From["publicity_days"] = "系统默认（" + rules.Get("dev.publicity").Source + "）"
	e.From["activist_min_months"] = "系统默认（全国细则未规定）"
	e.From["pre_review_days"] = "系统默认（2014年细则未规定）"
	return e
}

// settingsTable is where organisations keep their own local rules (configuration: an
// ancestor's row applies whatever the caller may read).
var settingsTable = org.SettingsTable[Settings]{Table: "dev_settings",
	Columns: []string{"rule_version", "publicity_days", "activist_min_months", "pre_review_days", "levels"},
	Scan: func(scan func(dest ...any) error) (s Settings, err error) {
		var levels *string
		if err = scan(&s.RuleVersion, &s.PublicityDays, &s.ActivistMinMonths, &s.PreReviewDays, &levels); err != nil {
			return s, err
		}
		return s, org.UnmarshalSetting(levels, &s.Levels)
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

// merge applies the chain (root first) over the defaults.
func merge(chain org.Chain[Settings]) Effective {
	e := defaults()
	for _, l := range chain {
		v, at := l.Values, l.Label()
		if v.RuleVersion != nil && RuleSetOf(*v.RuleVersion) != nil {
			org.Take(e.From, at, "rule_version", &e.RuleVersion, v.RuleVersion)
		}
		org.Take(e.From, at, "publicity_days", &e.PublicityDays, v.PublicityDays)
		org.Take(e.From, at, "activist_min_months", &e.ActivistMinMonths, v.ActivistMinMonths)
		org.Take(e.From, at, "pre_review_days", &e.PreReviewDays, v.PreReviewDays)
		for id, lv := range v.Levels {
			if _, ok := e.Levels[id]; ok && (lv == rules.Block || lv == rules.Warn) {
				e.Levels[id], e.From["levels."+id] = lv, at
			}
		}
	}
	return e
}

func (s *Store) effective(ctx context.Context, q db.Querier, o *orgRow) (Effective, error) {
	chain, err := settingsTable.Chain(ctx, q, o.Path)
	if err != nil {
		return Effective{}, err
	}
	return merge(chain), nil
}

// RulesAnswer is what GET /development/rules returns: the rule set in force for an
// organisation, its local settings and where each comes from.
type RulesAnswer struct {
	Org       OrgRef    `json:"org"`
	RuleSet   *RuleSet  `json:"rule_set"`
	Versions  []string  `json:"versions"`
	Own       Settings  `json:"own"`
	Effective Effective `json:"effective"`
}

// Rules returns the rule set and settings in force for orgID.
func (s *Store) Rules(ctx context.Context, orgID int64) (*RulesAnswer, error) {
	if orgID == 0 {
		return nil, api.FieldInvalid("org", "请选择组织")
	}
	o, err := s.org(ctx, s.db, orgID, access.OrgRead)
	if err != nil {
		return nil, err
	}
	chain, err := settingsTable.Chain(ctx, s.db, o.Path)
	if err != nil {
		return nil, err
	}
	own, _ := chain.Own()
	if own.Levels == nil {
		own.Levels = map[string]rules.Level{}
	}
	eff := merge(chain)
	rs := *ruleSets[eff.RuleVersion]
	rs.Checks = append([]Check(nil), rs.Checks...)
	for i := range rs.Checks {
		rs.Checks[i].Level = eff.level(rs.Checks[i].ID)
		switch rs.Checks[i].ID {
		case "dev.publicity":
			rs.Checks[i].Value = eff.PublicityDays
		case "dev.activist_wait":
			rs.Checks[i].Value = eff.ActivistMinMonths
		case "dev.pre_review_to_congress":
			rs.Checks[i].Value = eff.PreReviewDays
		}
	}
	return &RulesAnswer{Org: o.ref(), RuleSet: &rs, Versions: Versions(), Own: own, Effective: eff}, nil
}

// PutSettings replaces an organisation's own local rules (null fields inherit again).
func (s *Store) PutSettings(ctx context.Context, orgID int64, in Settings) (*RulesAnswer, error) {
	if orgID == 0 {
		return nil, api.FieldInvalid("org", "请选择组织")
	}
	var f api.Fields
	if in.RuleVersion != nil && RuleSetOf(*in.RuleVersion) == nil {
		f.Add("rule_version", "规则版本应为 "+strings.Join(Versions(), " 或 "))
	}
	if in.PublicityDays != nil && (*in.PublicityDays < 0 || *in.PublicityDays > 30) {
		f.Add("publicity_days", "公示工作日数应在 0 到 30 之间")
	}
	if in.ActivistMinMonths != nil && (*in.ActivistMinMonths < 0 || *in.ActivistMinMonths > 24) {
		f.Add("activist_min_months", "月数应在 0 到 24 之间")
	}
	if in.PreReviewDays != nil && (*in.PreReviewDays < 0 || *in.PreReviewDays > 365) {
		f.Add("pre_review_days", "天数应在 0 到 365 之间")
	}
	known := map[string]bool{}
	for _, c := range ruleSets[DefaultVersion].Checks {
		known[c.ID] = true
	}
	for id, l := range in.Levels {
		if !known[id] {
			f.Add("levels."+id, "未知的规则："+id)
		} else if l != rules.Block && l != rules.Warn {
			f.Add("levels."+id, "处理方式应为 block（阻止保存）或 warn（提示）")
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		o, err := s.org(ctx, tx, orgID, access.OrgRead)
		if err != nil {
			return err
		}
		if !access.Covers(ctx, access.OrgWrite, o.Path) {
			return api.Forbidden("您对“" + o.Name + "”只有查看权限")
		}
		var before *Settings
		var old Settings
		err = tx.QueryRow(ctx, `SELECT rule_version, publicity_days, activist_min_months, pre_review_days FROM dev_settings WHERE org_id = ?`, o.ID).
			Scan(&old.RuleVersion, &old.PublicityDays, &old.ActivistMinMonths, &old.PreReviewDays)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		default:
			before = &old
		}
		if err := settingsTable.Save(ctx, tx, o.ID, username(ctx), in.RuleVersion, in.PublicityDays, in.ActivistMinMonths,
			in.PreReviewDays, org.MarshalSetting(in.Levels)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "development.settings", Entity: "org", EntityID: strconv.FormatInt(o.ID, 10),
			Summary: fmt.Sprintf("%s：调整发展党员本地规则（本组织及下级执行）", o.Name), Before: before, After: in})
	})
	if err != nil {
		return nil, err
	}
	return s.Rules(ctx, orgID)
}

func username(ctx context.Context) string {
	if p := access.From(ctx); p != nil {
		return p.Username
	}
	return "system"
}
