package roster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/dangjian/dangjian/internal/member"
)

// badRoster has one problem per row, each in a different column, plus a good row.
func badRoster(t testing.TB) []byte {
	good := idNumber("19850312", 2)
	wrongCheck := good[:17] + map[bool]string{true: "1", false: "2"}[good[17] != '1']
	return workbook(t, func(f *excelize.File, sh string) {
		setRow(t, f, sh, 1, "某某支部党员花名册")
		f.MergeCell(sh, "A1", "J1")
		setRow(t, f, sh, 2, "序号", "姓名", "性别", "公民身份号码", "民族", "出生日期", "学历", "人员类别", "加入党组织日期", "转为正式党员日期", "是否为流动党员", "所在党支部")
		setRow(t, f, sh, 3, 1, "王芳", "女", good, "汉族", "1985-03-12", "本科", "正式党员", "2010-07-01", "2011-07-01", "否")
		setRow(t, f, sh, 4, 2, "李明", "男", wrongCheck, "汉族", nil, "本科", nil, "2010-07-01", "2011-07-01")                             // D: 校验位
		setRow(t, f, sh, 5, 3, "张伟", "男", idNumber("19800101", 11), "火星族", nil, "本科", nil, "2010-07-01", "2011-07-01")              // E: 民族
		setRow(t, f, sh, 6, 4, "赵强", "男", idNumber("19800102", 13), "汉族", "1980-02-30", "本科", nil, "2010-07-01", "2011-07-01")      // F: 日期
		setRow(t, f, sh, 7, 5, "刘洋", "男", idNumber("19800103", 15), "汉族", nil, "本科", "正式党员", "2024-07-01")                          // H: 类别
		setRow(t, f, sh, 8, 6, "陈静", "女", idNumber("19800104", 16), "汉族", nil, "本科", nil, "2010-07-01", "2011-07-01", "可能")         // K: 是否
		setRow(t, f, sh, 9, 7, "杨光", "女", good, "汉族", nil, "本科", nil, "2010-07-01", "2011-07-01")                                   // D: 重复
		setRow(t, f, sh, 10, 8, "周敏", "女", idNumber("19800105", 18), "汉族", nil, "本科", nil, "2010-07-01", "2011-07-01", nil, "第九支部") // L: 支部
		setRow(t, f, sh, 11, 9, "吴刚", "男", idNumber("19800106", 19), "汉族", nil, "本科", nil, "2010-07-01", "2010-08-01")              // J: 预备期
	})
}

func TestBadRosterSavesNothingAndMarksEveryCell(t *testing.T) {
	reg := &fakeRegistry{}
	rep, err := Import(context.Background(), reg, 1, badRoster(t), "支部.xlsx", Options{Marked: true, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK || len(reg.saved) > 0 {
		t.Fatalf("saved despite errors: ok=%v saved=%d", rep.OK, len(reg.saved))
	}
	type at struct {
		row int
		col string
	}
	want := map[at]string{
		{4, "D"}:  "校验位不对",
		{5, "E"}:  "「火星族」不是可选的民族",
		{6, "F"}:  "1980年2月只有29天",
		{7, "H"}:  "人员类别为正式党员，但没有填写转为正式党员日期",
		{8, "K"}:  "「可能」应填 是 或 否",
		{9, "D"}:  "与第 3 行的公民身份号码重复",
		{10, "L"}: "找不到党支部“第九支部”",
		{11, "J"}: "距入党不满一年就转正",
	}
	var lines []string
	got := map[at]string{}
	for _, e := range rep.Errors {
		got[at{e.Row, e.Column}] += e.Message
		lines = append(lines, e.String())
	}
	for k, msg := range want {
		if !strings.Contains(got[k], msg) {
			t.Errorf("第%d行 %s列: got %q, want %q", k.row, k.col, got[k], msg)
		}
	}
	if len(rep.Errors) != len(want) {
		t.Errorf("%d errors, want %d:\n%s", len(rep.Errors), len(want), strings.Join(lines, "\n"))
	}
	if !strings.HasPrefix(lines[0], "第4行 D列「公民身份号码」：公民身份号码校验位不对") {
		t.Errorf("first line = %q", lines[0])
	}

	// The marked workbook: the user's rows at their row numbers, bad cells red with a comment,
	// 错误说明 with the row's messages, and 错误汇总.
	if len(rep.ErrorWorkbook) == 0 {
		t.Fatal("no error workbook")
	}
	f, err := excelize.OpenReader(bytes.NewReader(rep.ErrorWorkbook))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 2 || sheets[1] != summarySheet {
		t.Fatalf("sheets = %v", sheets)
	}
	sh := sheets[0]
	if v, _ := f.GetCellValue(sh, "A1"); v != "某某支部党员花名册" {
		t.Errorf("title row lost: %q", v)
	}
	if v, _ := f.GetCellValue(sh, "B5"); v != "张伟" {
		t.Errorf("B5 = %q, rows moved", v)
	}
	comments, _ := f.GetComments(sh)
	commented := map[string]string{}
	for _, c := range comments {
		text := c.Text
		for _, r := range c.Paragraph {
			text += r.Text
		}
		commented[c.Cell] = text
	}
	for k, msg := range want {
		ref := fmt.Sprintf("%s%d", k.col, k.row)
		if !strings.Contains(commented[ref], msg) {
			t.Errorf("comment on %s = %q, want %q", ref, commented[ref], msg)
		}
		style, _ := f.GetCellStyle(sh, ref)
		s, _ := f.GetStyle(style)
		if s == nil || len(s.Fill.Color) == 0 || s.Fill.Color[0] != "FFC7CE" {
			t.Errorf("%s is not filled red: %+v", ref, s)
		}
	}
	if len(comments) != len(want) {
		t.Errorf("%d comments, want %d", len(comments), len(want))
	}
	if style, _ := f.GetCellStyle(sh, "D3"); style != 0 {
		if s, _ := f.GetStyle(style); len(s.Fill.Color) > 0 && s.Fill.Color[0] == "FFC7CE" {
			t.Error("a good cell is marked")
		}
	}
	if v, _ := f.GetCellValue(sh, "M2"); v != errorHeader {
		t.Errorf("M2 = %q, want the 错误说明 header", v)
	}
	if v, _ := f.GetCellValue(sh, "M5"); !strings.Contains(v, "E列「民族」：「火星族」不是可选的民族") {
		t.Errorf("M5 = %q", v)
	}
	summary, _ := f.GetRows(summarySheet)
	if len(summary) != 2+len(rep.Errors) || summary[2][0] != "4" || summary[2][1] != "D" || summary[2][2] != "公民身份号码" {
		t.Errorf("错误汇总 = %v", summary)
	}

	// Fixing the marked workbook and importing it again works: its 错误说明 column is ignored.
	for ref, v := range map[string]string{"D4": idNumber("19800107", 21), "E5": "汉族", "F6": "1980-01-02", "H7": "预备党员",
		"K8": "否", "D9": idNumber("19800108", 24), "L10": "", "J11": "2011-08-01"} {
		f.SetCellStr(sh, ref, v)
	}
	var fixed bytes.Buffer
	f.WriteTo(&fixed)
	rep2, err := Import(context.Background(), reg, 1, fixed.Bytes(), "支部.xlsx", Options{Marked: true, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if !rep2.OK || rep2.Created != 9 {
		t.Fatalf("re-import of the fixed workbook: ok=%v created=%d errors=%v", rep2.OK, rep2.Created, rep2.Errors)
	}
	found := false
	for _, ig := range rep2.Ignored {
		found = found || ig.Header == errorHeader
	}
	if !found {
		t.Errorf("错误说明 not listed as ignored: %+v", rep2.Ignored)
	}
}

func TestDryRunSavesNothing(t *testing.T) {
	data, _ := messyRoster(t)
	reg := &fakeRegistry{branches: map[string]bool{"中共某某社区第一支部委员会": true}}
	rep, err := Import(context.Background(), reg, 1, data, "x.xlsx", Options{DryRun: true, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK || !rep.DryRun || rep.Rows != 4 || len(reg.saved) != 0 || reg.calls != 1 {
		t.Fatalf("dry run: ok=%v rows=%d saved=%d calls=%d errors=%v", rep.OK, rep.Rows, len(reg.saved), reg.calls, rep.Errors)
	}
	rep, err = Import(context.Background(), reg, 1, data, "x.xlsx", Options{Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK || rep.Created != 4 || len(reg.saved) != 4 {
		t.Fatalf("import: ok=%v created=%d saved=%d errors=%v", rep.OK, rep.Created, len(reg.saved), rep.Errors)
	}
	if rep.Summary() != "导入完成：新增 4 人，更新 0 人，未变 0 人" {
		t.Errorf("summary = %q", rep.Summary())
	}
}

// A column the file lacks is reported once, not on every row.
func TestMissingColumnIsOneError(t *testing.T) {
	var b strings.Builder
	b.WriteString("姓名,公民身份号码,学历,加入党组织日期\n")
	for i := range 5 {
		fmt.Fprintf(&b, "党员%c,%s,本科,2010-07-01\n", '甲'+rune(i), idNumber("19800101", 11+2*i))
	}
	rep, err := Import(context.Background(), &fakeRegistry{}, 1, []byte(b.String()), "x.csv", Options{Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) != 1 || rep.Errors[0].Row != 0 || !strings.Contains(rep.Errors[0].Message, "文件中没有「民族」列，5 行（第2行起）：请填写民族") {
		t.Errorf("errors = %+v", rep.Errors)
	}
}

func TestCSVInGB18030(t *testing.T) {
	id1, id2 := idNumber("19850312", 2), idNumber("19900101", 123)
	text := "中共某某村党支部党员名册\n" +
		"序号,姓名,性别,身份证号,民族,最高学历,入党日期,转正日期,手机号码,现居住地,是否为流动党员,外出流向\n" +
		"1,王芳,女," + id1 + ",汉族,大学本科,2010.07.01,2011.07.01,13812345678,\"某某村\n3组\",否,\n" +
		"2,李明,男,\t" + id2 + ",汉,高中,2015-03,2016-03,,,是,广东省深圳市\n" +
		"3,,,,,,,,,,,\n"
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"GB18030":   []byte(gb),
		"UTF-8":     []byte(text),
		"UTF-8 BOM": append([]byte{0xEF, 0xBB, 0xBF}, text...),
	} {
		p, err := Parse(data, "名册.csv", member.DefaultCodes)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(p.Errors) > 0 || len(p.Rows) != 2 || p.HeaderRow != 2 {
			t.Fatalf("%s: header %d, rows %+v, errors %v", name, p.HeaderRow, p.Rows, p.Errors)
		}
		a, b := p.Rows[0], p.Rows[1]
		if a.Input.Name != "王芳" || a.Input.IDNumber != id1 || a.Input.Address != "某某村 3组" || a.Input.Education != "20" || a.Row != 3 {
			t.Errorf("%s: row 3 = %+v", name, a)
		}
		if b.Input.Name != "李明" || b.Input.IDNumber != id2 || b.Input.JoinedOn != date("2015-03-01") || !b.Input.Mobile || b.Input.MobileTo != "广东省深圳市" || b.Row != 4 {
			t.Errorf("%s: row 4 = %+v", name, b)
		}
	}
}

func TestFilesThatCannotBeImported(t *testing.T) {
	encrypted := func() []byte {
		f := excelize.NewFile()
		defer f.Close()
		setRow(t, f, "Sheet1", 1, "姓名", "公民身份号码", "民族")
		var buf bytes.Buffer
		if _, err := f.WriteTo(&buf, excelize.Options{Password: "secret"}); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}()
	noHeader := workbook(t, func(f *excelize.File, sh string) {
		setRow(t, f, sh, 1, "姓名", "电话", "住址")
		setRow(t, f, sh, 2, "王芳", "13812345678", "某某路")
	})
	headerOnly := workbook(t, func(f *excelize.File, sh string) {
		setRow(t, f, sh, 1, "姓名", "公民身份号码", "民族")
	})
	var many strings.Builder
	many.WriteString("姓名,公民身份号码,民族\n")
	for range MaxRows + 1 {
		many.WriteString("王芳,430702198503120021,汉族\n")
	}
	for _, c := range []struct {
		name string
		data []byte
		file string
		want string
	}{
		{"encrypted", encrypted, "a.xlsx", "文件有密码保护，请另存为无密码的 .xlsx 后再导入"},
		{"corrupt zip", []byte("PK\x03\x04this is not a workbook"), "a.xlsx", "无法读取该文件：不是有效的 .xlsx/.csv 文件"},
		{"binary", []byte{0, 1, 2, 3, 0xFF, 0xD8, 0xFF, 0}, "a.csv", "无法读取该文件：不是有效的 .xlsx/.csv 文件"},
		{"pdf renamed", []byte("%PDF-1.4 \x00\x01"), "a.xlsx", "无法读取该文件：不是有效的 .xlsx/.csv 文件"},
		{"empty sheet", workbook(t, func(*excelize.File, string) {}), "a.xlsx", "工作表是空的"},
		{"empty csv", []byte("\n\n,,\n"), "a.csv", "工作表是空的"},
		{"no header", noHeader, "a.xlsx", "找不到表头：第1–10行中没有同时包含「姓名」和「公民身份号码」的行"},
		{"header only", headerOnly, "a.xlsx", "表中没有党员数据"},
		{"too many rows", []byte(many.String()), "a.csv", "超过 20000 行"},
		{"too large", make([]byte, MaxFileSize+1), "a.xlsx", "文件超过 20 MB"},
	} {
		_, err := Parse(c.data, c.file, member.DefaultCodes)
		var fe *FileError
		if !errors.As(err, &fe) || !strings.Contains(fe.Message, c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	// The old binary format is named as such.
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, utf16le("Workbook")...)
	if _, err := Parse(ole, "a.xls", member.DefaultCodes); err == nil || !strings.Contains(err.Error(), ".xls") {
		t.Errorf("xls: %v", err)
	}
}

// An 18-digit number typed into a number cell loses its last digits; masked numbers from an
// export cannot be imported either.
func TestLostAndMaskedIDNumbers(t *testing.T) {
	data := workbook(t, func(f *excelize.File, sh string) {
		setRow(t, f, sh, 1, "姓名", "公民身份号码", "民族", "学历", "入党日期")
		setRow(t, f, sh, 2, "王芳", 430702198503120021.0, "汉族", "本科", "2010-07-01")
		setRow(t, f, sh, 3, "李明", "430702********0021", "汉族", "本科", "2010-07-01")
	})
	p, err := Parse(data, "a.xlsx", member.DefaultCodes)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Errors) != 2 || !strings.Contains(p.Errors[0].Message, "被 Excel 存成了数字") || !strings.Contains(p.Errors[1].Message, "已脱敏") {
		t.Errorf("errors = %v", p.Errors)
	}
}
