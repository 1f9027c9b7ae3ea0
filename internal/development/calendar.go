package development

import (
	"context"
	"time"

	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
)

// Day kinds of the working-day calendar.
const (
	DayHoliday = "holiday" // 法定节假日或调休放假：不上班
	DayWorkday = "workday" // 调休上班：周末上班
)

// CalendarDay is one day that differs from the ordinary week.
type CalendarDay struct {
	Day    civil.Date `json:"day"`
	Kind   string     `json:"kind" doc:"holiday 放假（不计工作日）、workday 调休上班（计工作日）"`
	Name   string     `json:"name"`
	Source string     `json:"source"`
	Edited bool       `json:"edited" doc:"是否为本系统中修改或新增的（否则为内置数据）"`
	// Replaces is the built-in arrangement an edit overrides, e.g. "放假：春节"; reverting the
	// edit (DELETE) brings it back.
	Replaces string `json:"replaces,omitempty" doc:"本系统的修改所替换的内置安排，如“放假：春节”；撤销修改即恢复"`
}

const (
	src2025 = "《国务院办公厅关于2025年部分节假日安排的通知》（国办发明电〔2024〕12号，2024-11-12）"
	src2026 = "《国务院办公厅关于2026年部分节假日安排的通知》（2025-11-04，新华社发布）"
)

type span struct {
	from, to civil.Date
	name     string
}

func d(y int, m time.Month, day int) civil.Date { return civil.New(y, m, day) }

// builtinCalendar is the 2025 and 2026 arrangements of the State Council notices. Later years
// are added through the calendar endpoint (or here, with their notice) when published.
func builtinCalendar() []CalendarDay {
	var out []CalendarDay
	add := func(src string, holidays []span, workdays map[civil.Date]string) {
		for _, h := range holidays {
			for x := h.from; !x.After(h.to); x = x.AddDate(0, 0, 1) {
				out = append(out, CalendarDay{Day: x, Kind: DayHoliday, Name: h.name, Source: src})
			}
		}
		for x, name := range workdays {
			out = append(out, CalendarDay{Day: x, Kind: DayWorkday, Name: name + "调休上班", Source: src})
		}
	}
	add(src2025, []span{
		{d(2025, 1, 1), d(2025, 1, 1), "元旦"},
		{d(2025, 1, 28), d(2025, 2, 4), "春节"},
		{d(2025, 4, 4), d(2025, 4, 6), "清明节"},
		{d(2025, 5, 1), d(2025, 5, 5), "劳动节"},
		{d(2025, 5, 31), d(2025, 6, 2), "端午节"},
		{d(2025, 10, 1), d(2025, 10, 8), "国庆节、中秋节"},
	}, map[civil.Date]string{
		d(2025, 1, 26): "春节", d(2025, 2, 8): "春节", d(2025, 4, 27): "劳动节",
		d(2025, 9, 28): "国庆节", d(2025, 10, 11): "国庆节",
	})
	add(src2026, []span{
		{d(2026, 1, 1), d(2026, 1, 3), "元旦"},
		{d(2026, 2, 15), d(2026, 2, 23), "春节"},
		{d(2026, 4, 4), d(2026, 4, 6), "清明节"},
		{d(2026, 5, 1), d(2026, 5, 5), "劳动节"},
		{d(2026, 6, 19), d(2026, 6, 21), "端午节"},
		{d(2026, 9, 25), d(2026, 9, 27), "中秋节"},
		{d(2026, 10, 1), d(2026, 10, 7), "国庆节"},
	}, map[civil.Date]string{
		d(2026, 1, 4): "元旦", d(2026, 2, 14): "春节", d(2026, 2, 28): "春节", d(2026, 5, 9): "劳动节",
		d(2026, 9, 20): "国庆节", d(2026, 10, 10): "国庆节",
	})
	return out
}

// Calendar says which days are worked.
type Calendar struct {
	days map[civil.Date]CalendarDay
}

// IsWorkday reports whether day is a working day: Monday to Friday unless a holiday, or a
// weekend day declared a 调休 workday.
func (c *Calendar) IsWorkday(day civil.Date) bool {
	if x, ok := c.days[day]; ok {
		return x.Kind == DayWorkday
	}
	wd := day.Time().Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// WorkingDays counts the working days from from to to, both included (0 when to is earlier).
func (c *Calendar) WorkingDays(from, to civil.Date) int {
	n := 0
	for x := from; !x.After(to); x = x.AddDate(0, 0, 1) {
		if c.IsWorkday(x) {
			n++
		}
	}
	return n
}

// Known reports whether the calendar holds data for the year (built in or edited).
func (c *Calendar) Known(year int) bool {
	for x := range c.days {
		if x.Year() == year {
			return true
		}
	}
	return false
}

// calendar loads the built-in days with the stored edits over them.
func loadCalendar(ctx context.Context, q db.Querier) (*Calendar, error) {
	c := &Calendar{days: map[civil.Date]CalendarDay{}}
	for _, x := range builtinCalendar() {
		c.days[x.Day] = x
	}
	edits, err := calendarEdits(ctx, q, "")
	if err != nil {
		return nil, err
	}
	for _, x := range edits {
		if x.Kind == "" || x.Kind == "normal" {
			delete(c.days, x.Day) // an edit back to the ordinary week
			continue
		}
		c.days[x.Day] = x
	}
	return c, nil
}

// calendarEdits are the days edited in this system (all, or those of one year: where is a
// condition on day with its arguments).
func calendarEdits(ctx context.Context, q db.Querier, where string, args ...any) ([]CalendarDay, error) {
	query := `SELECT day, kind, name, source FROM dev_calendar`
	if where != "" {
		query += ` WHERE ` + where
	}
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CalendarDay
	for rows.Next() {
		var x CalendarDay
		if err := rows.Scan(&x.Day, &x.Kind, &x.Name, &x.Source); err != nil {
			return nil, err
		}
		x.Edited = true
		out = append(out, x)
	}
	return out, rows.Err()
}
