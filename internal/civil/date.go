// Package civil has Date, a calendar day with no time zone: 成立日期, 选举日期, 届满日期.
// It travels as "YYYY-MM-DD" in JSON and in both databases.
package civil

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"
)

// Date is a calendar day. The zero Date means "not set" and is stored as NULL.
type Date struct{ t time.Time }

const layout = "2006-01-02"

// Of returns the day of t in t's location.
func Of(t time.Time) Date {
	y, m, d := t.Date()
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// New returns the given day.
func New(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// Today is the current day in China Standard Time, the day the users live in.
func Today() Date { return Of(time.Now().In(cst)) }

var cst = time.FixedZone("CST", 8*3600)

// Parse reads "YYYY-MM-DD".
func Parse(s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return Date{}, fmt.Errorf("日期格式应为 YYYY-MM-DD，且为真实日期：%q", s)
	}
	return Date{t}, nil
}

func (d Date) IsZero() bool       { return d.t.IsZero() }
func (d Date) Time() time.Time    { return d.t }
func (d Date) Before(o Date) bool { return d.t.Before(o.t) }
func (d Date) After(o Date) bool  { return d.t.After(o.t) }
func (d Date) Year() int          { return d.t.Year() }

// AddDate adds years, months and days like time.Time.AddDate.
func (d Date) AddDate(y, m, days int) Date { return Date{d.t.AddDate(y, m, days)} }

// DaysUntil is the number of days from d to o (negative when o is earlier).
func (d Date) DaysUntil(o Date) int { return int(o.t.Sub(d.t).Hours() / 24) }

func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(layout)
}

func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("日期应为 YYYY-MM-DD 格式的字符串")
	}
	v, err := Parse(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Value stores the day as text on SQLite and PostgreSQL alike (PostgreSQL casts it to DATE).
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
	case time.Time:
		*d = Of(v)
	case string:
		return d.parseStored(v)
	case []byte:
		return d.parseStored(string(v))
	default:
		return fmt.Errorf("civil.Date: cannot scan %T", src)
	}
	return nil
}

func (d *Date) parseStored(s string) error {
	if len(s) > len(layout) {
		s = s[:len(layout)]
	}
	v, err := Parse(s)
	*d = v
	return err
}
