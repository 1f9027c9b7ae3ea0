package roster

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/member"
)

// normID is a 公民身份号码 as typed: half-width, no spaces, upper-case X, no leading apostrophe.
func normID(v string) string {
	v = strings.TrimLeft(noSpace(fold(v)), "'‘’`")
	return strings.ToUpper(v)
}

// normPhone is a phone number without spaces and with half-width digits.
func normPhone(v string) string { return strings.TrimLeft(noSpace(fold(v)), "'‘’`") }

// normName drops the spaces people type to align two-character Chinese names (王  芳).
func normName(v string) string {
	v = fold(v)
	if hasHan(v) {
		return noSpace(v)
	}
	return oneLine(v)
}

// scientific reports a number Excel shows in scientific notation (4.30702E+17): the digits
// after the 15th are gone.
func scientific(v string) bool {
	if !strings.ContainsAny(v, "Ee") {
		return false
	}
	_, err := strconv.ParseFloat(v, 64)
	return err == nil
}

// parseBool reads 是/否 columns.
func parseBool(v string) (value, ok bool) {
	switch strings.ToUpper(noSpace(fold(v))) {
	case "", "否", "×", "✗", "✘", "N", "NO", "0", "FALSE", "不是", "非":
		return false, true
	case "是", "√", "✓", "✔", "Y", "YES", "1", "TRUE", "是的":
		return true, true
	}
	return false, false
}

// precision of a date as written.
type precision uint8

const (
	dayPrecision precision = iota
	monthPrecision
)

type dateNote uint8

const (
	noNote         dateNote = iota
	noteMonth               // only year and month
	noteAmbiguous1          // numeric 1985.1: January, or October typed as 1985.10?
	noteSerial              // a bare number taken as an Excel day serial
)

type dateResult struct {
	d    civil.Date
	note dateNote
	err  string
}

var (
	reYMD  = regexp.MustCompile(`^(\d{4})[./\-年](\d{1,2})[./\-月](\d{1,2})[日号]?$`)
	reYM   = regexp.MustCompile(`^(\d{4})[./\-年](\d{1,2})月?(?:份)?$`)
	reTime = regexp.MustCompile(`(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$`)
	reYear = regexp.MustCompile(`^\d{4}年?$`)
	reNum  = regexp.MustCompile(`^\d+(?:\.\d+)?$`)
)

const dateForms = "请写成 1985-03-12、1985.03.12 或 1985年3月12日"

// parseDate reads a date cell. number says the cell holds a number; dateFmt that the number is
// formatted as a date (then it is an Excel day serial).
func parseDate(raw string, number, dateFmt, date1904 bool) dateResult {
	s := strings.TrimSpace(fold(raw))
	if s == "" {
		return dateResult{}
	}
	if f, err := strconv.ParseFloat(s, 64); number && dateFmt && err == nil {
		switch {
		case f >= 1900 && f < 2101:
			// 1985.03 or 1985 typed into a date-formatted cell: Excel took it for a day in 1905,
			// a date no member record has. Read it as typed.
		case f >= 19000101 && f <= 21001231 && f == math.Trunc(f):
			// 19850312 typed into a date-formatted cell.
		default:
			return serialDate(f, date1904, noNote, s)
		}
	}
	s = noSpace(reTime.ReplaceAllString(s, ""))
	if f, err := strconv.ParseFloat(s, 64); number && err == nil && f >= 1900 && f < 2101 && f != math.Trunc(f) {
		// 1985.03 typed into a number cell: year.month. Excel stores 1985.10 as 1985.1.
		s = strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64)
		y, m, _ := strings.Cut(s, ".")
		note := noteMonth
		if m == "1" {
			note = noteAmbiguous1
		}
		return ymd(s, atoi(y), atoi(m), 1, note)
	}
	if m := reYMD.FindStringSubmatch(s); m != nil {
		return ymd(s, atoi(m[1]), atoi(m[2]), atoi(m[3]), noNote)
	}
	if m := reYM.FindStringSubmatch(s); m != nil {
		return ymd(s, atoi(m[1]), atoi(m[2]), 1, noteMonth)
	}
	if reNum.MatchString(s) {
		whole, _, _ := strings.Cut(s, ".")
		switch {
		case len(s) == 8:
			return ymd(s, atoi(s[:4]), atoi(s[4:6]), atoi(s[6:]), noNote)
		case len(s) == 6 && (s[:2] == "19" || s[:2] == "20"):
			return ymd(s, atoi(s[:4]), atoi(s[4:]), 1, noteMonth)
		case len(whole) == 5:
			f, _ := strconv.ParseFloat(s, 64)
			return serialDate(f, date1904, noteSerial, s)
		}
	}
	if reYear.MatchString(s) {
		return dateResult{err: fmt.Sprintf("「%s」只有年份，请至少填到月份（如 %s.03）", raw, s[:4])}
	}
	return dateResult{err: fmt.Sprintf("「%s」不是可识别的日期，%s", strings.TrimSpace(raw), dateForms)}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func serialDate(f float64, date1904 bool, note dateNote, s string) dateResult {
	if f < 1 || f > 2958465 {
		return dateResult{err: fmt.Sprintf("「%s」不是可识别的日期，%s", s, dateForms)}
	}
	t, err := excelize.ExcelDateToTime(f, date1904)
	if err != nil {
		return dateResult{err: fmt.Sprintf("「%s」不是可识别的日期，%s", s, dateForms)}
	}
	return ymd(s, t.Year(), int(t.Month()), t.Day(), note)
}

// ymd checks the parts make a real day.
func ymd(s string, y, m, d int, note dateNote) dateResult {
	switch {
	case y < 1900 || y > 2100:
		return dateResult{err: fmt.Sprintf("「%s」的年份 %d 不合理", s, y)}
	case m < 1 || m > 12:
		return dateResult{err: fmt.Sprintf("「%s」不是真实的日期：月份应为 1–12", s)}
	}
	days := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if d < 1 || d > days {
		return dateResult{err: fmt.Sprintf("「%s」不是真实的日期：%d年%d月只有%d天", s, y, m, days)}
	}
	return dateResult{d: civil.New(y, time.Month(m), d), note: note}
}

// codebook is the code tables as the roster uses them: lookups that forgive the way people
// write labels, and for every code a label that looks up to it again.
type codebook struct {
	c      *member.Codes
	tables map[string]member.CodeTable
	labels map[string]map[string]string // kind → code → unambiguous label
}

func newCodebook(c *member.Codes) *codebook {
	if c == nil {
		c = member.DefaultCodes
	}
	b := &codebook{c: c, tables: map[string]member.CodeTable{}, labels: map[string]map[string]string{}}
	for _, t := range c.Tables() {
		b.tables[t.Kind] = t
		byCode := map[string]member.CodeItem{}
		for _, it := range t.Items {
			byCode[it.Code] = it
		}
		labels := map[string]string{}
		for _, it := range t.Items {
			label := it.Name
			for p := it.Parent; ; {
				if code, ok := c.Lookup(t.Kind, label); ok && code == it.Code {
					break
				}
				parent, ok := byCode[p]
				if !ok {
					label = it.Code // nothing unique: the code itself looks up
					break
				}
				label = parent.Name + label
				p = parent.Parent
			}
			labels[it.Code] = label
		}
		b.labels[t.Kind] = labels
	}
	return b
}

// label is the name written for code in a roster: the plain name, or with its branch where the
// plain name occurs twice (公有制单位企业管理人员).
func (b *codebook) label(kind, code string) string {
	if code == "" {
		return ""
	}
	if l, ok := b.labels[kind][code]; ok {
		return l
	}
	return code
}

// options are the labels of a table in order.
func (b *codebook) options(kind string) []string {
	t := b.tables[kind]
	out := make([]string, 0, len(t.Items))
	for _, it := range t.Items {
		out = append(out, b.label(kind, it.Code))
	}
	return out
}

// lookup maps what a roster says to a code: the label, the code, a common alias, or the label
// with 学历/毕业/文化 around it.
func (b *codebook) lookup(kind, v string) (string, bool) {
	s := noSpace(fold(v))
	if code, ok := b.c.Lookup(kind, s); ok {
		return code, true
	}
	if kind == member.KindEducation {
		t := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(s, "文化"), "学历"), "毕业")
		t = strings.TrimPrefix(t, "全日制")
		if code, ok := b.c.Lookup(kind, t); ok && t != "" {
			return code, true
		}
	}
	return "", false
}

// unknown explains a label that is not in the table, naming the allowed values.
func (b *codebook) unknown(kind, v string) string {
	t := b.tables[kind]
	s := noSpace(fold(v))
	var same []string
	for _, it := range t.Items {
		if it.Name == s {
			same = append(same, "「"+b.label(kind, it.Code)+"」")
		}
	}
	if len(same) > 1 {
		return fmt.Sprintf("「%s」在%s代码表中出现了 %d 次，请写明是哪一个：%s", v, t.Name, len(same), strings.Join(same, "或"))
	}
	opts := b.options(kind)
	if len(opts) <= 25 {
		return fmt.Sprintf("「%s」不是可选的%s；可填：%s", v, t.Name, strings.Join(opts, "、"))
	}
	return fmt.Sprintf("「%s」不是可选的%s；请写全称，如 %s（全部可选值见导入模板的「可选值」工作表）", v, t.Name, strings.Join(opts[:min(5, len(opts))], "、"))
}

// category reads 人员类别; "" with ok for values that say nothing about it (中共党员).
func category(v string) (member.Category, bool) {
	switch noSpace(fold(v)) {
	case "正式党员", "正式", "中共正式党员":
		return member.CategoryFull, true
	case "预备党员", "预备", "中共预备党员":
		return member.CategoryProbationary, true
	case "中共党员", "党员":
		return "", true
	}
	return "", false
}

// footerWords mark the lines under a roster's table (填表人、审核人、合计…).
var footerWords = []string{"填表人", "制表人", "填报人", "审核人", "负责人", "联系人：", "填表日期", "填报日期", "制表日期", "填报单位", "制表单位",
	"备注：", "备注:", "注：", "注:", "说明：", "说明:", "合计", "总计", "共计"}

func looksLikeFooter(text string) bool {
	for _, w := range footerWords {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}
