package life

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/rules"
)

// Meta is the reference data the 组织生活 pages need.
type Meta struct {
	Types       []MeetingType `json:"types"`
	Frequencies []Option      `json:"frequencies"`
	Attendance  []Option      `json:"attendance"`
	Grades4     []Option      `json:"grades_4"`
	Grades3     []Option      `json:"grades_3"`
	Disposals   []Option      `json:"disposals"`
	TalkKinds   []Option      `json:"talk_kinds"`
	Rules       []rules.Rule  `json:"rules" doc:"组织生活相关规则及其依据"`
}

func meta() Meta {
	m := Meta{Types: MeetingTypes(), Grades4: grades4, Grades3: grades3, Disposals: disposals, TalkKinds: talkKinds,
		Attendance: []Option{{"present", "出席"}, {"leave", "请假"}, {"absent", "缺席"}, {"makeup", "补课"}}}
	for _, f := range []Frequency{Monthly, Quarterly, HalfYear, Yearly, Never} {
		m.Frequencies = append(m.Frequencies, Option{string(f), f.Name()})
	}
	for _, r := range rules.All() {
		if len(r.ID) > 5 && r.ID[:5] == "life." {
			m.Rules = append(m.Rules, r)
		}
	}
	return m
}

type items[T any] struct {
	Items []T `json:"items"`
}

var (
	read  = []access.Perm{access.OrgRead}
	write = []access.Perm{access.OrgWrite}
	orgQ  = api.QInt("org", "组织编号（子树的根，含本级）")
)

func dateQuery(r *http.Request, name string) (civil.Date, error) {
	d, err := civil.Parse(r.URL.Query().Get(name))
	if err != nil {
		return d, api.FieldInvalid(name, err.Error())
	}
	return d, nil
}

func (s *Store) periodQuery(r *http.Request, def Frequency) (Period, error) {
	v := r.URL.Query().Get("period")
	if v == "" {
		return PeriodOf(def, s.Today()), nil
	}
	p, err := ParsePeriod(v)
	if err != nil {
		return p, api.FieldInvalid("period", err.Error())
	}
	return p, nil
}

func (s *Store) yearQuery(r *http.Request) (int, error) {
	return api.QueryInt(r, "year", s.Today().Year(), 1921, s.Today().Year()+1)
}

// Register adds the 组织生活 endpoints.
func Register(r *api.Router, s *Store) {
	const tag = "组织生活"
	handle := func(route api.Route, h func(r *http.Request) (any, error)) {
		route.Tag = tag
		r.Serve(route, h)
	}
	byID := func(route api.Route, h func(r *http.Request, id int64) (any, error)) {
		handle(route, func(r *http.Request) (any, error) {
			id, err := api.PathID(r, "id")
			if err != nil {
				return nil, err
			}
			return h(r, id)
		})
	}
	orgOf := func(r *http.Request) (int64, error) { return api.QueryID(r, "org") }

	handle(api.Route{Method: "GET", Path: "/api/v1/life/meta", Summary: "组织生活参照数据：会议类型（频次、到会要求、默认学时、依据）、评议等次、谈话类别",
		Perms: read, Response: Meta{}}, func(r *http.Request) (any, error) { return meta(), nil })

	handle(api.Route{Method: "GET", Path: "/api/v1/life/settings", Summary: "组织生活设置：本组织的调整及实际执行的设置（逐级继承）",
		Perms: read, Query: []api.Param{orgQ}, Response: SettingsAnswer{}}, func(r *http.Request) (any, error) {
		id, err := orgOf(r)
		if err != nil {
			return nil, err
		}
		return s.GetSettings(r.Context(), id)
	})
	handle(api.Route{Method: "PUT", Path: "/api/v1/life/settings", Summary: "调整组织生活设置（主题党日固定日、党课等频次、学时目标、评议等次），本组织及下级执行",
		Perms: write, Query: []api.Param{orgQ}, Request: Settings{}, Response: SettingsAnswer{}}, func(r *http.Request) (any, error) {
		id, err := orgOf(r)
		if err != nil {
			return nil, err
		}
		if id == 0 {
			return nil, api.FieldInvalid("org", "请选择组织")
		}
		var in Settings
		if err := api.Decode(r, &in); err != nil {
			return nil, err
		}
		return s.PutSettings(r.Context(), id, in)
	})

	handle(api.Route{Method: "GET", Path: "/api/v1/meetings/roster", Summary: "会议名册：某日本组织的党员（出勤预填、有无表决权、流动党员、班子成员）",
		Perms: read, Query: []api.Param{orgQ, api.QString("date", "会议日期 YYYY-MM-DD，默认今天"), api.QString("type", "会议类型")}, Response: Roster{}},
		func(r *http.Request) (any, error) {
			id, err := orgOf(r)
			if err != nil {
				return nil, err
			}
			day, err := dateQuery(r, "date")
			if err != nil {
				return nil, err
			}
			return s.Roster(r.Context(), id, day, r.URL.Query().Get("type"))
		})
	handle(api.Route{Method: "GET", Path: "/api/v1/meetings", Summary: "会议记录列表（子树内，按日期倒序）",
		Perms: read, Response: api.List[MeetingSummary]{},
		Query: append([]api.Param{orgQ, api.QString("type", "会议类型（含同时计为该类型的会议）"), api.QString("from", "起始日期"), api.QString("to", "截止日期")}, api.PageParams...)},
		func(r *http.Request) (any, error) {
			page, err := api.PageOf(r)
			if err != nil {
				return nil, err
			}
			f := ListFilter{Type: r.URL.Query().Get("type")}
			if f.Org, err = orgOf(r); err != nil {
				return nil, err
			}
			if f.From, err = dateQuery(r, "from"); err != nil {
				return nil, err
			}
			if f.To, err = dateQuery(r, "to"); err != nil {
				return nil, err
			}
			return s.List(r.Context(), f, page)
		})
	handle(api.Route{Method: "POST", Path: "/api/v1/meetings", Summary: "记录一次会议（出勤按当日名册核对，到会人数、表决票数自动检查）",
		Perms: write, Request: MeetingInput{}, Response: Meeting{}, Status: http.StatusCreated}, func(r *http.Request) (any, error) {
		var in MeetingInput
		if err := api.Decode(r, &in); err != nil {
			return nil, err
		}
		return s.Create(r.Context(), in)
	})
	byID(api.Route{Method: "GET", Path: "/api/v1/meetings/{id}", Summary: "会议记录详情（出勤、表决、到会人数核对）", Perms: read, Response: Meeting{}},
		func(r *http.Request, id int64) (any, error) { return s.Get(r.Context(), id) })
	byID(api.Route{Method: "PATCH", Path: "/api/v1/meetings/{id}", Summary: "修改会议记录（须带 version；保留修改前后的版本）", Perms: write,
		Request: MeetingPatch{}, Response: Meeting{}}, func(r *http.Request, id int64) (any, error) {
		var p MeetingPatch
		if err := api.Decode(r, &p); err != nil {
			return nil, err
		}
		if p.Version == 0 {
			return nil, api.FieldInvalid("version", "缺少版本号 version，请刷新页面后重试")
		}
		return s.Update(r.Context(), id, p)
	})
	byID(api.Route{Method: "DELETE", Path: "/api/v1/meetings/{id}", Summary: "删除误录入的会议记录（审计日志保留原记录）", Perms: write, Status: http.StatusNoContent},
		func(r *http.Request, id int64) (any, error) { return nil, s.Delete(r.Context(), id) })
	byID(api.Route{Method: "GET", Path: "/api/v1/meetings/{id}/versions", Summary: "会议记录的历次版本（谁、何时、完整内容）", Perms: read,
		Response: items[VersionEntry]{}}, func(r *http.Request, id int64) (any, error) {
		v, err := s.Versions(r.Context(), id)
		return items[VersionEntry]{v}, err
	})
	byID(api.Route{Method: "POST", Path: "/api/v1/meetings/{id}/makeup", Summary: "登记补课（请假或缺席的党员）", Perms: write,
		Request: MakeupInput{}, Response: Meeting{}}, func(r *http.Request, id int64) (any, error) {
		var in MakeupInput
		if err := api.Decode(r, &in); err != nil {
			return nil, err
		}
		return s.Makeup(r.Context(), id, in)
	})

	handle(api.Route{Method: "GET", Path: "/api/v1/compliance", Summary: "组织生活落实情况：子树内各组织应开会议的召开情况（附依据）、连续6个月未参加组织生活的提示、按下级汇总",
		Perms: read, Response: Compliance{},
		Query: append([]api.Param{orgQ, api.QString("period", "期间：2026（年）、2026H1、2026Q3 或 2026-10，默认本季度"),
			api.QString("status", "只列有该状态事项的组织：missed 未召开、pending 未到期")}, api.PageParams...)},
		func(r *http.Request) (any, error) {
			page, err := api.PageOf(r)
			if err != nil {
				return nil, err
			}
			f := ComplianceFilter{Status: Status(r.URL.Query().Get("status"))}
			if f.Org, err = orgOf(r); err != nil {
				return nil, err
			}
			if f.Period, err = s.periodQuery(r, Quarterly); err != nil {
				return nil, err
			}
			if f.Status != "" && statusNames[f.Status] == "" {
				return nil, api.FieldInvalid("status", "应为 held、pending、missed 或 na")
			}
			return s.Compliance(r.Context(), f, page)
		})
	handle(api.Route{Method: "GET", Path: "/api/v1/study-hours", Summary: "党员学时：按出席和补课的会议记录累计，对照年度目标（达标/未达标人数及名单，按名册顺序，不排名）",
		Perms: read, Response: HoursAnswer{},
		Query: append([]api.Param{orgQ, api.QInt("year", "年度，默认今年"), api.QString("status", "met、in_progress 或 not_met")}, api.PageParams...)},
		func(r *http.Request) (any, error) {
			page, err := api.PageOf(r)
			if err != nil {
				return nil, err
			}
			id, err := orgOf(r)
			if err != nil {
				return nil, err
			}
			year, err := s.yearQuery(r)
			if err != nil {
				return nil, err
			}
			return s.StudyHours(r.Context(), id, year, r.URL.Query().Get("status"), page)
		})

	handle(api.Route{Method: "GET", Path: "/api/v1/evaluations", Summary: "民主评议党员结果（子树内某年度，附各等次人数和未评议人数）",
		Perms: read, Response: EvaluationList{},
		Query: append([]api.Param{orgQ, api.QInt("year", "年度，默认今年"), api.QString("grade", "等次")}, api.PageParams...)},
		func(r *http.Request) (any, error) {
			page, err := api.PageOf(r)
			if err != nil {
				return nil, err
			}
			id, err := orgOf(r)
			if err != nil {
				return nil, err
			}
			year, err := s.yearQuery(r)
			if err != nil {
				return nil, err
			}
			return s.Evaluations(r.Context(), id, year, r.URL.Query().Get("grade"), page)
		})
	handle(api.Route{Method: "POST", Path: "/api/v1/evaluations", Summary: "登记党员的民主评议结果（不合格的须填组织处置）",
		Perms: write, Request: EvaluationInput{}, Response: Evaluation{}, Status: http.StatusCreated}, func(r *http.Request) (any, error) {
		var in EvaluationInput
		if err := api.Decode(r, &in); err != nil {
			return nil, err
		}
		return s.CreateEvaluation(r.Context(), in)
	})
	byID(api.Route{Method: "GET", Path: "/api/v1/evaluations/{id}", Summary: "民主评议结果详情", Perms: read, Response: Evaluation{}},
		func(r *http.Request, id int64) (any, error) { return s.GetEvaluation(r.Context(), id) })
	byID(api.Route{Method: "PATCH", Path: "/api/v1/evaluations/{id}", Summary: "修改民主评议结果（须带 version）", Perms: write,
		Request: EvaluationPatch{}, Response: Evaluation{}}, func(r *http.Request, id int64) (any, error) {
		var p EvaluationPatch
		if err := api.Decode(r, &p); err != nil {
			return nil, err
		}
		if p.Version == 0 {
			return nil, api.FieldInvalid("version", "缺少版本号 version，请刷新页面后重试")
		}
		return s.UpdateEvaluation(r.Context(), id, p)
	})
	byID(api.Route{Method: "DELETE", Path: "/api/v1/evaluations/{id}", Summary: "删除误录入的民主评议结果", Perms: write, Status: http.StatusNoContent},
		func(r *http.Request, id int64) (any, error) { return nil, s.DeleteEvaluation(r.Context(), id) })

	handle(api.Route{Method: "GET", Path: "/api/v1/talks", Summary: "谈心谈话记录（子树内，按日期倒序）", Perms: read, Response: api.List[Talk]{},
		Query: append([]api.Param{orgQ, api.QString("kind", "谈话类别"), api.QString("from", "起始日期"), api.QString("to", "截止日期")}, api.PageParams...)},
		func(r *http.Request) (any, error) {
			page, err := api.PageOf(r)
			if err != nil {
				return nil, err
			}
			id, err := orgOf(r)
			if err != nil {
				return nil, err
			}
			from, err := dateQuery(r, "from")
			if err != nil {
				return nil, err
			}
			to, err := dateQuery(r, "to")
			if err != nil {
				return nil, err
			}
			return s.Talks(r.Context(), id, r.URL.Query().Get("kind"), from, to, page)
		})
	handle(api.Route{Method: "POST", Path: "/api/v1/talks", Summary: "记录一次谈心谈话（记在谈话对象所在的组织下）", Perms: write,
		Request: TalkInput{}, Response: Talk{}, Status: http.StatusCreated}, func(r *http.Request) (any, error) {
		var in TalkInput
		if err := api.Decode(r, &in); err != nil {
			return nil, err
		}
		return s.CreateTalk(r.Context(), in)
	})
	handle(api.Route{Method: "GET", Path: "/api/v1/talks/coverage", Summary: "谈心谈话覆盖情况：党支部全年覆盖党员（branch），或村党组织本季度覆盖村干部（village）",
		Perms: read, Response: Coverage{},
		Query: append([]api.Param{orgQ, api.QString("scope", "branch（默认）或 village"), api.QString("period", "期间，如 2026 或 2026Q3")}, api.PageParams...)},
		func(r *http.Request) (any, error) {
			page, err := api.PageOf(r)
			if err != nil {
				return nil, err
			}
			id, err := orgOf(r)
			if err != nil {
				return nil, err
			}
			scope := r.URL.Query().Get("scope")
			def := Yearly
			if scope == "village" {
				def = Quarterly
			}
			p, err := s.periodQuery(r, def)
			if err != nil {
				return nil, err
			}
			return s.TalkCoverage(r.Context(), id, scope, p, page)
		})
	byID(api.Route{Method: "GET", Path: "/api/v1/talks/{id}", Summary: "谈心谈话记录详情", Perms: read, Response: Talk{}},
		func(r *http.Request, id int64) (any, error) { return s.GetTalk(r.Context(), id) })
	byID(api.Route{Method: "PATCH", Path: "/api/v1/talks/{id}", Summary: "修改谈心谈话记录", Perms: write, Request: TalkPatch{}, Response: Talk{}},
		func(r *http.Request, id int64) (any, error) {
			var p TalkPatch
			if err := api.Decode(r, &p); err != nil {
				return nil, err
			}
			return s.UpdateTalk(r.Context(), id, p)
		})
	byID(api.Route{Method: "DELETE", Path: "/api/v1/talks/{id}", Summary: "删除误录入的谈心谈话记录", Perms: write, Status: http.StatusNoContent},
		func(r *http.Request, id int64) (any, error) { return nil, s.DeleteTalk(r.Context(), id) })

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/ledger/life", Tag: tag, Summary: "组织生活台账（由会议记录生成）：Excel（会议记录、出勤情况、民主评议、谈心谈话）或可打印的网页（format=html）",
		Perms: read, Query: []api.Param{orgQ, api.QInt("year", "年度，默认今年"), api.QString("format", "xlsx（默认）或 html")},
		Produces: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := orgOf(r)
			if err != nil {
				return err
			}
			if id == 0 {
				return api.FieldInvalid("org", "请选择党支部")
			}
			year, err := s.yearQuery(r)
			if err != nil {
				return err
			}
			format := r.URL.Query().Get("format")
			if format != "" && format != "xlsx" && format != "html" {
				return api.FieldInvalid("format", "应为 xlsx 或 html")
			}
			l, err := s.ledger(r.Context(), id, year)
			if err != nil {
				return err
			}
			// Built in memory first so an error can still be answered as JSON.
			var buf bytes.Buffer
			if format == "html" {
				if err := l.WriteHTML(&buf); err != nil {
					return err
				}
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				w.Header().Set("Cache-Control", "no-store")
				_, err = w.Write(buf.Bytes())
				return err
			}
			if err := l.WriteXLSX(&buf); err != nil {
				return err
			}
			name := fmt.Sprintf("%s_%d年组织生活台账.xlsx", l.Org.Name, year)
			w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
			w.Header().Set("Content-Disposition", "attachment; filename=\"ledger-"+strconv.Itoa(year)+".xlsx\"; filename*=UTF-8''"+url.PathEscape(name))
			_, err = w.Write(buf.Bytes())
			return err
		})

	handle(api.Route{Method: "GET", Path: "/api/v1/workbench", Summary: "工作台：本人管理范围内接下来要办的事（本期应开未开的会议、谈心谈话、换届、待审批的信息修改、发展党员的下一步、待接收的介绍信、流动和失联党员的处置建议），每项附日期和依据",
		Perms: read, Response: Workbench{}}, func(r *http.Request) (any, error) { return s.Workbench(r.Context()) })
}
