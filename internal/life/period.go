package life

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/dangjian/dangjian/internal/civil"
)

// Frequency is how often a requirement recurs.
type Frequency string

const (
	Monthly   Frequency = "month"
	Quarterly Frequency = "quarter"
	HalfYear  Frequency = "half"
	Yearly    Frequency = "year"
	Never     Frequency = "none" // no fixed frequency: recorded when held, never required
)

var frequencyNames = map[Frequency]string{Monthly: "每月", Quarterly: "每季度", HalfYear: "每半年", Yearly: "每年", Never: "不定期"}

// Name is the Chinese label of f.
func (f Frequency) Name() string { return frequencyNames[f] }

// Valid reports whether f is a known frequency.
func (f Frequency) Valid() bool { _, ok := frequencyNames[f]; return ok }

// months is the length of one period of f.
func (f Frequency) months() int {
	switch f {
	case Monthly:
		return 1
	case Quarterly:
		return 3
	case HalfYear:
		return 6
	case Yearly:
		return 12
	}
	return 0
}

// Period is one calendar month, quarter, half-year or year.
type Period struct {
	Kind Frequency
	Year int
	N    int // month 1–12, quarter 1–4, half 1–2; 1 for a year
}

var periodPattern = regexp.MustCompile(`^(\d{4})(?:-(\d{1,2})|[Qq]([1-4])|[Hh]([12]))?$`)

// ParsePeriod reads 2026 (year), 2026H1 (half-year), 2026Q3 (quarter) or 2026-10 (month).
func ParsePeriod(s string) (Period, error) {
	m := periodPattern.FindStringSubmatch(s)
	if m == nil {
		return Period{}, fmt.Errorf("期间格式应为 2026（年）、2026H1（半年）、2026Q3（季度）或 2026-10（月）")
	}
	y, _ := strconv.Atoi(m[1])
	if y < 1921 || y > 2200 {
		return Period{}, fmt.Errorf("年份 %d 不在合理范围内", y)
	}
	switch {
	case m[2] != "":
		n, _ := strconv.Atoi(m[2])
		if n < 1 || n > 12 {
			return Period{}, fmt.Errorf("月份应为 1 到 12")
		}
		return Period{Monthly, y, n}, nil
	case m[3] != "":
		n, _ := strconv.Atoi(m[3])
		return Period{Quarterly, y, n}, nil
	case m[4] != "":
		n, _ := strconv.Atoi(m[4])
		return Period{HalfYear, y, n}, nil
	}
	return Period{Yearly, y, 1}, nil
}

// PeriodOf is the period of kind f that contains d.
func PeriodOf(f Frequency, d civil.Date) Period {
	n := 1
	if months := f.months(); months > 0 {
		n = (int(d.Time().Month())-1)/months + 1
	}
	return Period{f, d.Year(), n}
}

// From is the first day of p.
func (p Period) From() civil.Date {
	return civil.New(p.Year, time.Month((p.N-1)*p.Kind.months()+1), 1)
}

// To is the last day of p.
func (p Period) To() civil.Date { return p.From().AddDate(0, p.Kind.months(), -1) }

// Contains reports whether d falls in p.
func (p Period) Contains(d civil.Date) bool { return !d.Before(p.From()) && !d.After(p.To()) }

// Code is the period as ParsePeriod reads it.
func (p Period) Code() string {
	switch p.Kind {
	case Monthly:
		return fmt.Sprintf("%d-%02d", p.Year, p.N)
	case Quarterly:
		return fmt.Sprintf("%dQ%d", p.Year, p.N)
	case HalfYear:
		return fmt.Sprintf("%dH%d", p.Year, p.N)
	}
	return strconv.Itoa(p.Year)
}

var quarterNames = []string{"", "第一季度", "第二季度", "第三季度", "第四季度"}

// Label is the period in words: 2026年7月, 2026年第三季度, 2026年上半年, 2026年.
func (p Period) Label() string {
	switch p.Kind {
	case Monthly:
		return fmt.Sprintf("%d年%d月", p.Year, p.N)
	case Quarterly:
		return fmt.Sprintf("%d年%s", p.Year, quarterNames[p.N])
	case HalfYear:
		if p.N == 1 {
			return fmt.Sprintf("%d年上半年", p.Year)
		}
		return fmt.Sprintf("%d年下半年", p.Year)
	}
	return fmt.Sprintf("%d年", p.Year)
}

// Split lists the periods of kind f that a requirement of frequency f has inside p: the
// sub-periods when f is finer than p (a year holds 12 months), else the one period of kind f
// that contains p (a month lies in one quarter).
func (p Period) Split(f Frequency) []Period {
	if f.months() == 0 {
		return nil
	}
	if f.months() >= p.Kind.months() {
		return []Period{PeriodOf(f, p.From())}
	}
	var out []Period
	for d := p.From(); !d.After(p.To()); d = d.AddDate(0, f.months(), 0) {
		out = append(out, PeriodOf(f, d))
	}
	return out
}

// PeriodJSON is a period as the API shows it.
type PeriodJSON struct {
	Code  string     `json:"code" doc:"如 2026Q3"`
	Label string     `json:"label" doc:"如 2026年第三季度"`
	From  civil.Date `json:"from"`
	To    civil.Date `json:"to"`
}

// JSON is p for an answer.
func (p Period) JSON() PeriodJSON {
	return PeriodJSON{Code: p.Code(), Label: p.Label(), From: p.From(), To: p.To()}
}
