package roster

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dangjian/dangjian/internal/member"
)

func TestTemplate(t *testing.T) {
	var buf bytes.Buffer
	if err := Template(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{dataSheet, optionsSheet, exampleSheet}) {
		t.Errorf("sheets = %v", got)
	}
	rows, _ := f.GetRows(dataSheet)
	official := []string{"姓名", "性别", "公民身份号码", "民族", "出生日期", "学历", "人员类别", "所在党支部", "加入党组织日期", "转为正式党员日期",
		"工作岗位", "联系电话", "家庭住址", "党籍状态", "是否为失联党员", "失去联系日期", "是否为流动党员", "外出流向"}
	if len(rows) != 1 || !slices.Equal(rows[0][:18], official) {
		t.Fatalf("header = %v", rows)
	}
	for _, ext := range []string{"籍贯", "学位", "专业技术职务", "党内职务", "参加工作日期", "生活困难", "入党介绍人"} {
		if !slices.Contains(rows[0][18:], ext) {
			t.Errorf("extended column %s missing: %v", ext, rows[0][18:])
		}
	}
	dvs, _ := f.GetDataValidations(dataSheet)
	lists := map[string]string{}
	for _, dv := range dvs {
		lists[strings.SplitN(dv.Sqref, "2:", 2)[0]] = dv.Formula1
	}
	for col, want := range map[string]string{"B": optionsSheet, "D": optionsSheet, "F": optionsSheet, "K": optionsSheet, "O": "是,否", "Q": "是,否", "G": "正式党员,预备党员"} {
		if !strings.Contains(lists[col], want) {
			t.Errorf("dropdown on %s = %q, want %q", col, lists[col], want)
		}
	}
	opts, _ := f.GetRows(optionsSheet)
	text := ""
	for _, r := range opts {
		text += strings.Join(r, "|") + "\n"
	}
	for _, want := range []string{"GB/T 3304-1991", "GB/T 4658-2006", "GB/T 2261.1-2003", "01|汉族", "公有制单位企业管理人员", "党内统计"} {
		if !strings.Contains(text, want) {
			t.Errorf("可选值 lacks %q", want)
		}
	}
	// Numbers and dates stay as typed: Excel cannot turn them into 4.30702E+17 or 1985.1.
	for _, col := range []string{"C", "E", "I", "L"} { // 公民身份号码, 出生日期, 加入党组织日期, 联系电话
		style, _ := f.GetColStyle(dataSheet, col)
		if s, _ := f.GetStyle(style); s == nil || s.NumFmt != 49 {
			t.Errorf("column %s style = %+v, want text", col, s)
		}
	}

	// Filled in the way people do (labels, dropdown values, a 1985.03 date), it imports cleanly;
	// the example sheet is not read.
	id := idNumber("19850312", 2)
	for ref, v := range map[string]string{"A2": "王芳", "B2": "女", "C2": id, "D2": "汉族", "E2": "1985.03.12", "F2": "大学本科毕业",
		"G2": "正式党员", "I2": "2010.07", "J2": "2011.07", "K2": "公有制单位企业管理人员", "L2": "13812345678", "M2": "某某路1号",
		"N2": "正常", "O2": "否", "Q2": "是", "R2": "广东省深圳市"} {
		f.SetCellStr(dataSheet, ref, v)
	}
	var filled bytes.Buffer
	f.WriteTo(&filled)
	reg := &fakeRegistry{}
	rep, err := Import(context.Background(), reg, 1, filled.Bytes(), "模板.xlsx", Options{Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK || rep.Created != 1 || len(rep.Ignored) != 0 {
		t.Fatalf("template import: ok=%v created=%d errors=%v ignored=%v", rep.OK, rep.Created, rep.Errors, rep.Ignored)
	}
	got := reg.saved[0].Input
	want := member.Input{Name: "王芳", Gender: "2", IDNumber: id, Ethnicity: "01", BirthDate: date("1985-03-12"), Education: "21",
		JoinedOn: date("2010-07-01"), FullOn: date("2011-07-01"), Job: "014", Phone: "13812345678", Address: "某某路1号",
		Mobile: true, MobileTo: "广东省深圳市"}
	if got != want {
		t.Errorf("imported\n %+v\nwant\n %+v", got, want)
	}
	if len(rep.Notes) != 3 || !strings.Contains(strings.Join(rep.Notes, "\n"), "「2010.07」只到月份") {
		t.Errorf("notes = %v", rep.Notes)
	}
	if len(rep.Mapping) != len(exportColumns()) {
		t.Errorf("%d columns mapped, want all %d", len(rep.Mapping), len(exportColumns()))
	}
}
