package dues

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dangjian/dangjian/internal/civil"
)

// Month is a calendar month, the unit dues are owed and paid in, always "YYYY-MM" (so months
// sort as strings, in JSON and in both databases). The empty Month is "not set". Build one
// with NewMonth or ParseMonth; JSON input is checked and normalised.
type Month string

// NewMonth returns the month m of year y.
func NewMonth(y int, m time.Month) Month { return Month(fmt.Sprintf("%04d-%02d", y, int(m))) }

func fromIndex(n int) Month { return NewMonth(n/12, time.Month(n%12+1)) }

// MonthOf returns the month a day lies in (the empty Month for the zero Date).
func MonthOf(d civil.Date) Month {
	if d.IsZero() {
		return ""
	}
	t := d.Time()
	return NewMonth(t.Year(), t.Month())
}

// ParseMonth reads "YYYY-MM" (also "YYYY-M", "YYYY年M月", "YYYY.MM", "YYYY/MM", "YYYYMM").
func ParseMonth(s string) (Month, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	r := strings.NewReplacer("年", "-", "月", "", ".", "-", "/", "-")
	t := r.Replace(s)
	if len(t) == 6 && !strings.Contains(t, "-") {
		t = t[:4] + "-" + t[4:]
	}
	y, m, ok := strings.Cut(t, "-")
	yy, err1 := strconv.Atoi(y)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || yy < 1900 || yy > 9999 || mm < 1 || mm > 12 {
		return "", fmt.Errorf("月份格式应为 YYYY-MM（如 2026-10）：%q", s)
	}
	return NewMonth(yy, time.Month(mm)), nil
}

// MustMonth parses s and panics on a malformed month (constants and tests).
func MustMonth(s string) Month {
	m, err := ParseMonth(s)
	if err != nil || m == "" {
		panic(fmt.Sprintf("dues: bad month %q", s))
	}
	return m
}

func (m Month) IsZero() bool { return m == "" }

func (m Month) index() int {
	if len(m) != 7 {
		return 0
	}
	y, _ := strconv.Atoi(string(m[:4]))
	mm, _ := strconv.Atoi(string(m[5:]))
	return y*12 + mm - 1
}

// Year and Mon split the month.
func (m Month) Year() int       { return m.index() / 12 }
func (m Month) Mon() time.Month { return time.Month(m.index()%12 + 1) }

// Add moves by k months.
func (m Month) Add(k int) Month { return fromIndex(m.index() + k) }

// Sub is the number of months from o to m (m − o).
func (m Month) Sub(o Month) int { return m.index() - o.index() }

func (m Month) Before(o Month) bool { return m < o }
func (m Month) After(o Month) bool  { return m > o }

// Quarter is 1–4.
func (m Month) Quarter() int { return (int(m.Mon())-1)/3 + 1 }

// Label is the month in Chinese: 2026年10月.
func (m Month) Label() string {
	if m == "" {
		return ""
	}
	return fmt.Sprintf("%d年%d月", m.Year(), int(m.Mon()))
}

func (m *Month) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*m = ""
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("月份应为 YYYY-MM 格式的字符串")
	}
	v, err := ParseMonth(s)
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// Value stores the month as "YYYY-MM" (NULL when not set).
func (m Month) Value() (driver.Value, error) {
	if m == "" {
		return nil, nil
	}
	return string(m), nil
}

func (m *Month) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*m = ""
		return nil
	case string:
		*m = Month(v)
		return nil
	case []byte:
		*m = Month(v)
		return nil
	}
	return fmt.Errorf("dues.Month: cannot scan %T", src)
}

// monthRange lists from..to inclusive (none when to is before from).
func monthRange(from, to Month) []Month {
	var out []Month
	for n, end := from.index(), to.index(); n <= end; n++ {
		out = append(out, fromIndex(n))
	}
	return out
}
