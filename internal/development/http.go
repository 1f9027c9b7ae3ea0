package development

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
)

type items[T any] struct {
	Items []T `json:"items"`
}

// CalendarInput changes one day of the working-day calendar.
type CalendarInput struct {
	Kind   string `json:"kind" doc:"holiday 放假、workday 调休上班、normal 按平常的星期"`
	Name   string `json:"name"`
	Source string `json:"source" doc:"依据，如国务院办公厅通知的文号"`
}

// CalendarDays lists the days of a year that differ from the ordinary week, and the built-in
// days an edit turned back into ordinary ones (kind normal, with what they replace), so that
// the edit can be seen and reverted.
func (s *Store) CalendarDays(ctx context.Context, year int) ([]CalendarDay, error) {
	byDay := map[civil.Date]CalendarDay{}
	for _, x := range builtinCalendar() {
		if x.Day.Year() == year {
			byDay[x.Day] = x
		}
	}
	edits, err := calendarEdits(ctx, s.db, `day >= ? AND day <= ?`, civil.New(year, time.January, 1), civil.New(year, time.December, 31))
	if err != nil {
		return nil, err
	}
	for _, x := range edits {
		b, builtin := byDay[x.Day]
		if builtin {
			x.Replaces = kindName(b.Kind) + "：" + b.Name
		}
		if x.Kind == "normal" && !builtin {
			continue // an ordinary day made ordinary: nothing to show
		}
		byDay[x.Day] = x
	}
	out := []CalendarDay{}
	for _, d := range byDay {
		out = append(out, d)
	}
	sortDays(out)
	return out, nil
}

func kindName(kind string) string {
	return map[string]string{DayHoliday: "放假", DayWorkday: "调休上班", "normal": "平常"}[kind]
}

func sortDays(ds []CalendarDay) {
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0 && ds[j].Day.Before(ds[j-1].Day); j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
}

// SetCalendarDay records a day of the calendar (a new year's notice, a correction).
func (s *Store) SetCalendarDay(ctx context.Context, day civil.Date, in CalendarInput) ([]CalendarDay, error) {
	in.Name, in.Source = strings.TrimSpace(in.Name), strings.TrimSpace(in.Source)
	var f api.Fields
	switch in.Kind {
	case DayHoliday, DayWorkday, "normal":
	default:
		f.Add("kind", "应为 holiday（放假）、workday（调休上班）或 normal（按平常的星期）")
	}
	if in.Kind != "normal" && in.Source == "" {
		f.Add("source", "请填写依据（如国务院办公厅关于某年部分节假日安排的通知）")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM dev_calendar WHERE day = ?`, day); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO dev_calendar (day, kind, name, source) VALUES (?, ?, ?, ?)`, day, in.Kind, in.Name, in.Source); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "development.calendar", Entity: "settings", EntityID: day.String(),
			Summary: "工作日历：" + day.String() + " 设为 " + kindName(in.Kind) + " " + in.Name,
			After:   in})
	})
	if err != nil {
		return nil, err
	}
	return s.CalendarDays(ctx, day.Year())
}

// RevertCalendarDay removes this system's edit of a day: a built-in day is as the State
// Council notice has it again, any other day follows the week. A day never edited is 404.
func (s *Store) RevertCalendarDay(ctx context.Context, day civil.Date) ([]CalendarDay, error) {
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		edits, err := calendarEdits(ctx, tx, `day = ?`, day)
		if err != nil {
			return err
		}
		if len(edits) == 0 {
			return api.NotFound(day.String() + " 没有在本系统中修改过（内置的放假安排可改为“平常”）")
		}
		if _, err := tx.Exec(ctx, `DELETE FROM dev_calendar WHERE day = ?`, day); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "development.calendar", Entity: "settings", EntityID: day.String(),
			Summary: "工作日历：撤销 " + day.String() + " 的修改（" + kindName(edits[0].Kind) + " " + edits[0].Name + "）",
			Before:  CalendarInput{Kind: edits[0].Kind, Name: edits[0].Name, Source: edits[0].Source}})
	})
	if err != nil {
		return nil, err
	}
	return s.CalendarDays(ctx, day.Year())
}

var (
	read  = []access.Perm{access.OrgRead}
	write = []access.Perm{access.OrgWrite}
)

// Register adds the 发展党员 endpoints.
func Register(r *api.Router, s *Store) {
	const tag = "发展党员"
	orgParam := api.QInt("org", "组织编号")
	r.Handle(api.Route{Method: "GET", Path: "/api/v1/development/rules", Tag: tag, Summary: "某组织执行的发展党员规则：步骤、时限、表决规则及本地设置",
		Perms: read, Query: []api.Param{orgParam}, Response: RulesAnswer{}},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := api.QueryID(r, "org")
			if err != nil {
				return err
			}
			a, err := s.Rules(r.Context(), id)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, a)
		})

	r.Handle(api.Route{Method: "PUT", Path: "/api/v1/development/settings", Tag: tag, Summary: "设置本组织的发展党员本地规则（下级继承）",
		Perms: write, Query: []api.Param{orgParam}, Request: Settings{}, Response: RulesAnswer{}},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := api.QueryID(r, "org")
			if err != nil {
				return err
			}
			var in Settings
			if err := api.Decode(r, &in); err != nil {
				return err
			}
			a, err := s.PutSettings(r.Context(), id, in)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, a)
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/development/cases", Tag: tag, Summary: "发展党员案例列表（按阶段筛选）",
		Perms: read, Response: api.List[Case]{},
		Query: append([]api.Param{api.QInt("org", "子树的根组织编号；不填为本人全部管理范围"),
			api.QString("phase", "applicant、activist、candidate、probationary、full、cancelled"),
			api.QString("status", "open（默认）、closed、all"), api.QString("q", "姓名")}, api.PageParams...)},
		func(w http.ResponseWriter, r *http.Request) error {
			page, err := api.PageOf(r)
			if err != nil {
				return err
			}
			q := r.URL.Query()
			f := ListFilter{Phase: Phase(q.Get("phase")), Q: q.Get("q"), Status: q.Get("status")}
			if f.Under, err = api.QueryID(r, "org"); err != nil {
				return err
			}
			list, err := s.List(r.Context(), f, page)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, list)
		})

	r.Handle(api.Route{Method: "POST", Path: "/api/v1/development/cases", Tag: tag, Summary: "登记入党申请人（递交入党申请书）",
		Perms: write, Request: CaseInput{}, Response: StepAnswer{}, Status: http.StatusCreated},
		func(w http.ResponseWriter, r *http.Request) error {
			var in CaseInput
			if err := api.Decode(r, &in); err != nil {
				return err
			}
			a, err := s.Create(r.Context(), in)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusCreated, a)
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/development/cases/{id}", Tag: tag, Summary: "发展党员案例：已登记步骤、当前阶段和下一步",
		Perms: read, Response: Case{}},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := api.PathID(r, "id")
			if err != nil {
				return err
			}
			c, err := s.Get(r.Context(), id)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, c)
		})

	r.Handle(api.Route{Method: "POST", Path: "/api/v1/development/cases/{id}/steps", Tag: tag,
		Summary: "登记一个步骤：违反阻止类规则时 422（rule、article、source、message），提示类规则随结果返回",
		Perms:   write, Request: StepInput{}, Response: StepAnswer{}},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := api.PathID(r, "id")
			if err != nil {
				return err
			}
			var in StepInput
			if err := api.Decode(r, &in); err != nil {
				return err
			}
			a, err := s.RecordStep(r.Context(), id, in)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, a)
		})

	r.Handle(api.Route{Method: "PUT", Path: "/api/v1/development/cases/{id}/profile", Tag: tag,
		Summary: "补充申请人的党员信息（民族、学历、工作岗位、籍贯、联系电话、家庭住址）：上级党委审批后据此建立党员名册记录",
		Perms:   write, Request: Profile{}, Response: Case{}},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := api.PathID(r, "id")
			if err != nil {
				return err
			}
			var in Profile
			if err := api.Decode(r, &in); err != nil {
				return err
			}
			c, err := s.UpdateProfile(r.Context(), id, in)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, c)
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/development/cases/{id}/letters/{kind}", Tag: tag,
		Summary: "生成案例的文书（可打印的网页）：candidate-publicity 发展对象公示、candidate-filing 发展对象备案报告、pre-review 预审请示、approval 接收预备党员的批复、full-publicity 拟转正公示",
		Perms:   read, Produces: "text/html"},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := api.PathID(r, "id")
			if err != nil {
				return err
			}
			b, err := s.Letter(r.Context(), id, r.PathValue("kind"))
			if err != nil {
				return err
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, err = w.Write(b)
			return err
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/development/todo", Tag: tag, Summary: "发展党员待办：管理范围内各案例的下一步、应办日期和办理人",
		Perms: read, Response: items[TodoItem]{},
		Query: []api.Param{api.QInt("org", "子树的根组织编号"), api.QString("actor", "self 本人、branch 党支部、upper 上级党委（预审、审批）")}},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := api.QueryID(r, "org")
			if err != nil {
				return err
			}
			list, err := s.Todo(r.Context(), id, r.URL.Query().Get("actor"))
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, items[TodoItem]{list})
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/development/calendar", Tag: tag, Summary: "工作日历：某年的法定节假日和调休上班日（计算公示工作日）",
		Perms: []access.Perm{access.OrgRead, access.OrgBrowse, access.UserManage}, Query: []api.Param{api.QInt("year", "年份，默认今年")}, Response: items[CalendarDay]{}},
		func(w http.ResponseWriter, r *http.Request) error {
			year, err := api.QueryInt(r, "year", civil.Today().Year(), 2000, 2100)
			if err != nil {
				return err
			}
			days, err := s.CalendarDays(r.Context(), year)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, items[CalendarDay]{days})
		})

	r.Handle(api.Route{Method: "PUT", Path: "/api/v1/development/calendar/{day}", Tag: tag, Summary: "修改工作日历的一天（系统管理员；新一年的放假通知发布后录入）",
		Perms: []access.Perm{access.UserManage}, Request: CalendarInput{}, Response: items[CalendarDay]{}},
		func(w http.ResponseWriter, r *http.Request) error {
			day, err := civil.Parse(r.PathValue("day"))
			if err != nil || day.IsZero() {
				return api.NotFound("日期应为 YYYY-MM-DD")
			}
			var in CalendarInput
			if err := api.Decode(r, &in); err != nil {
				return err
			}
			days, err := s.SetCalendarDay(r.Context(), day, in)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, items[CalendarDay]{days})
		})

	r.Handle(api.Route{Method: "DELETE", Path: "/api/v1/development/calendar/{day}", Tag: tag, Summary: "撤销工作日历某一天的修改（系统管理员；内置日恢复国务院通知的安排，其他日按平常星期）",
		Perms: []access.Perm{access.UserManage}, Response: items[CalendarDay]{}},
		func(w http.ResponseWriter, r *http.Request) error {
			day, err := civil.Parse(r.PathValue("day"))
			if err != nil || day.IsZero() {
				return api.NotFound("日期应为 YYYY-MM-DD")
			}
			days, err := s.RevertCalendarDay(r.Context(), day)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, items[CalendarDay]{days})
		})
}
