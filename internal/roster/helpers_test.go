package roster

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/member"
)

// idNumber builds a valid 公民身份号码 (GB 11643-1999 check digit) for a 武陵区 person born on
// birth (YYYYMMDD) with sequence seq; odd seq is a man, even a woman.
func idNumber(birth string, seq int) string {
	s := fmt.Sprintf("430702%s%03d", birth, seq)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(s[i]-'0') * w
	}
	return s + string("10X98765432"[sum%11])
}

// idWithX is a valid number of a woman whose check digit is X.
func idWithX(birth string) string {
	for seq := 2; seq < 999; seq += 2 {
		if id := idNumber(birth, seq); strings.HasSuffix(id, "X") {
			return id
		}
	}
	panic("no X")
}

// fullWidth writes digits and letters as full-width characters, as some input methods do.
func fullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r > ' ' && r <= '~' {
			return r + 0xFEE0
		}
		return r
	}, s)
}

// workbook builds an .xlsx in memory.
func workbook(t testing.TB, build func(f *excelize.File, sheet string)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	build(f, "Sheet1")
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// setRow writes string cells (nil skips a cell) starting at column A of row.
func setRow(t testing.TB, f *excelize.File, sheet string, row int, cells ...any) {
	t.Helper()
	for i, v := range cells {
		if v == nil {
			continue
		}
		ref, _ := excelize.CoordinatesToCellName(i+1, row)
		var err error
		if s, ok := v.(string); ok {
			err = f.SetCellStr(sheet, ref, s)
		} else {
			err = f.SetCellValue(sheet, ref, v)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

var today = civil.New(2026, 6, 1)

// fakeRegistry checks rows like the member store does (CheckWith, 所在党支部 by name) and keeps
// what was saved in memory.
type fakeRegistry struct {
	branches map[string]bool
	saved    []member.ImportRow
	calls    int
}

func (r *fakeRegistry) Codes(context.Context) (*member.Codes, error) { return member.DefaultCodes, nil }

func (r *fakeRegistry) Import(_ context.Context, _ int64, rows []member.ImportRow) (*member.ImportResult, error) {
	r.calls++
	res := &member.ImportResult{Changes: []member.RowChange{}, Errors: []member.RowError{}}
	seen := map[string]int{}
	for _, row := range rows {
		in := row.Input
		fields, _ := member.CheckWith(&in, today, member.DefaultCodes)
		for _, f := range fields {
			res.Errors = append(res.Errors, member.RowError{Row: row.Row, Field: f.Field, Message: f.Message})
		}
		if row.Org != "" && !r.branches[row.Org] {
			res.Errors = append(res.Errors, member.RowError{Row: row.Row, Field: "org", Message: "在导入范围内找不到党支部“" + row.Org + "”"})
		}
		if !fields.Has("id_number") {
			if first, ok := seen[in.IDNumber]; ok {
				res.Errors = append(res.Errors, member.RowError{Row: row.Row, Field: "id_number", Message: fmt.Sprintf("与第 %d 行的公民身份号码重复", first)})
			}
			seen[in.IDNumber] = row.Row
		}
	}
	if len(res.Errors) > 0 {
		return &member.ImportResult{Changes: []member.RowChange{}, Errors: res.Errors}, nil
	}
	r.saved = append(r.saved, rows...)
	res.Created = len(rows)
	return res, nil
}

func date(s string) civil.Date {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return civil.Of(t)
}
