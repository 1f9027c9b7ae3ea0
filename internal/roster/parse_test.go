package roster

import (
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/dangjian/dangjian/internal/member"
)

// messyRoster is a branch roster as secretaries keep them: a merged title, a 填报单位 line, a
// 序号 column, headers under other names with stray spaces and line breaks, the 所在支部
// merged down, full-width digits, dates in every form, a row with only a 序号, an empty row,
// and a 填表人 line under the table.
func messyRoster(t testing.TB) (data []byte, ids []string) {
	ids = []string{idWithX("19850312"), idNumber("19900101", 123), idNumber("19781105", 55), idNumber("19700214", 77)}
	data = workbook(t, func(f *excelize.File, sh string) {
		setRow(t, f, sh, 1, "中共某某社区第一支部委员会党员花名册")
		f.MergeCell(sh, "A1", "T1")
		setRow(t, f, sh, 2, "填报单位：某某社区党委                填报日期：2024年5月")
		setRow(t, f, sh, 3, "序号", "姓 名", "性别", "身份证号码 \n", "民族", "出生年月", "文化程度", "党员类别", "所在支部",
			"入党时间", "转正时间", "工作岗位", "联系电话\n（手机）", "家庭住址", "是否失联", "失联日期", "是否流动", "流向", "备注", "职称")
		dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
		setRow(t, f, sh, 4, 1, "王  芳", "女", fullWidth(strings.ToLower(ids[0])), "汉族", time.Date(1985, 3, 12, 0, 0, 0, 0, time.UTC),
			"大学本科", "正式党员", "中共某某社区第一支部委员会", "2010.07.01", "2011-7-1", "事业单位专业技术人员", "13812345678",
			"某某路1号", "否", nil, "否", nil, "社区干部", "中级")
		f.SetCellStyle(sh, "F4", "F4", dateStyle)
		setRow(t, f, sh, 5, 2, "李明", "男", ids[1][:6]+" "+ids[1][6:14]+" "+ids[1][14:], "汉", "1990/1/1",
			"本科", "预备党员", nil, "2023年6月30日", nil, "农牧渔民", "138 1234 5678", "某某村3组", "×", nil, "√", "广东省深圳市")
		setRow(t, f, sh, 6, 3, "张伟", "男", ids[2], "土家族", "19781105", "大专", nil, nil, "2000.03", 2001.03, "离退休人员")
		f.MergeCell(sh, "I4", "I6")
		setRow(t, f, sh, 7, 4)
		setRow(t, f, sh, 9, 5, "赵强", "男", ids[3], "回族", "1970年2月14日", "高中", nil, nil, 1995.1, nil, nil, nil, nil,
			"是", "2020年5月3日")
		setRow(t, f, sh, 11, nil, "填表人：张三        审核人：李四")
	})
	return data, ids
}

func TestParseMessyRoster(t *testing.T) {
	data, ids := messyRoster(t)
	p, err := Parse(data, "花名册.xlsx", member.DefaultCodes)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Errors) > 0 {
		t.Fatalf("errors: %v", p.Errors)
	}
	if p.HeaderRow != 3 {
		t.Errorf("header row = %d, want 3", p.HeaderRow)
	}
	mapped := map[string]Mapping{}
	for _, m := range p.Mapping {
		mapped[m.Field] = m
	}
	if m := mapped["id_number"]; m.Column != "D" || m.Header != "身份证号码" || m.FieldName != "公民身份号码" {
		t.Errorf("公民身份号码 mapped as %+v", m)
	}
	for field, col := range map[string]string{"name": "B", "birth_date": "F", "education": "G", fieldCategory: "H", fieldOrg: "I",
		"joined_on": "J", "full_on": "K", "phone": "M", "lost_contact": "O", "lost_on": "P", "mobile": "Q", "mobile_to": "R", "tech_title": "T"} {
		if mapped[field].Column != col {
			t.Errorf("%s mapped to column %q, want %s", field, mapped[field].Column, col)
		}
	}
	ignored := map[string]string{}
	for _, ig := range p.Ignored {
		ignored[ig.Column] = ig.Header
	}
	if ignored["A"] != "序号" || ignored["S"] != "备注" || len(ignored) != 2 {
		t.Errorf("ignored = %v, want A 序号 and S 备注", ignored)
	}
	if len(p.Rows) != 4 {
		t.Fatalf("read %d rows, want 4 (序号-only, empty and 填表人 rows skipped): %+v", len(p.Rows), p.Rows)
	}
	want := []struct {
		row int
		in  member.Input
		org string
	}{
		{4, member.Input{Name: "王芳", Gender: "2", IDNumber: ids[0], Ethnicity: "01", BirthDate: date("1985-03-12"), Education: "20",
			JoinedOn: date("2010-07-01"), FullOn: date("2011-07-01"), Job: "013", Phone: "13812345678", Address: "某某路1号", TechTitle: "中级"},
			"中共某某社区第一支部委员会"},
		{5, member.Input{Name: "李明", Gender: "1", IDNumber: ids[1], Ethnicity: "01", BirthDate: date("1990-01-01"), Education: "21",
			JoinedOn: date("2023-06-30"), Job: "1", Phone: "13812345678", Address: "某某村3组", Mobile: true, MobileTo: "广东省深圳市"},
			"中共某某社区第一支部委员会"},
		{6, member.Input{Name: "张伟", Gender: "1", IDNumber: ids[2], Ethnicity: "15", BirthDate: date("1978-11-05"), Education: "31",
			JoinedOn: date("2000-03-01"), FullOn: date("2001-03-01"), Job: "4"}, "中共某某社区第一支部委员会"},
		{9, member.Input{Name: "赵强", Gender: "1", IDNumber: ids[3], Ethnicity: "03", BirthDate: date("1970-02-14"), Education: "61",
			JoinedOn: date("1995-01-01"), LostContact: true, LostOn: date("2020-05-03")}, ""},
	}
	for i, w := range want {
		got := p.Rows[i]
		if got.Row != w.row || got.Input != w.in || got.Org != w.org {
			t.Errorf("row %d:\n got %d %q %+v\nwant %d %q %+v", i, got.Row, got.Org, got.Input, w.row, w.org, w.in)
		}
	}
	text := ""
	for _, n := range p.Notes {
		text += n.String() + "\n"
	}
	for _, want := range []string{
		"第6行 J列「入党时间」：「2000.03」只到月份，已按 2000-03-01 登记",
		"第6行 K列「转正时间」：「2001.03」只到月份", // a number cell
		"第9行 J列「入党时间」：「1995.1」被 Excel 存成了数字，已按 1995年1月 登记",
		"第11行：像是表格下方的落款或合计",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("notes lack %q:\n%s", want, text)
		}
	}
}

// A two-row header: 是否为失联党员 spans 是否失联 | 失去联系日期, 姓名 spans both rows.
func TestParseTwoRowHeader(t *testing.T) {
	id := idNumber("19850312", 2)
	data := workbook(t, func(f *excelize.File, sh string) {
		setRow(t, f, sh, 1, "党员基本信息汇总表")
		f.MergeCell(sh, "A1", "H1")
		setRow(t, f, sh, 2, "姓名", "公民身份号码", "民族", "学历", "加入党组织日期", "是否为失联党员", nil, "是否为流动党员")
		setRow(t, f, sh, 3, nil, nil, nil, nil, nil, "是否失联", "失去联系日期")
		for _, c := range []string{"A", "B", "C", "D", "E", "H"} {
			f.MergeCell(sh, c+"2", c+"3")
		}
		f.MergeCell(sh, "F2", "G2")
		setRow(t, f, sh, 4, "王芳", id, "汉族", "本科", "2010-07-01", "是", "2021-03-01", "否")
	})
	p, err := Parse(data, "x.xlsx", member.DefaultCodes)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Errors) > 0 {
		t.Fatal(p.Errors)
	}
	cols := map[string]string{}
	for _, m := range p.Mapping {
		cols[m.Column] = m.Field
	}
	if cols["F"] != "lost_contact" || cols["G"] != "lost_on" || cols["H"] != "mobile" || cols["A"] != "name" {
		t.Errorf("mapping = %v", cols)
	}
	if len(p.Rows) != 1 || p.Rows[0].Row != 4 || !p.Rows[0].Input.LostContact || p.Rows[0].Input.LostOn != date("2021-03-01") {
		t.Errorf("rows = %+v", p.Rows)
	}
}

func TestParseDate(t *testing.T) {
	for _, c := range []struct {
		raw             string
		number, dateFmt bool
		want            string
		note            dateNote
		err             string
	}{
		{"31118", true, true, "1985-03-12", noNote, ""},      // Excel serial, date-formatted
		{"31118.75", true, true, "1985-03-12", noNote, ""},   // with a time of day
		{"31118", true, false, "1985-03-12", noteSerial, ""}, // serial that lost its format
		{"1985.03.12", false, false, "1985-03-12", noNote, ""},
		{"1985-3-12", false, false, "1985-03-12", noNote, ""},
		{"1985/3/12", false, false, "1985-03-12", noNote, ""},
		{"1985年3月12日", false, false, "1985-03-12", noNote, ""},
		{" 1985 年 3 月 12 日 ", false, false, "1985-03-12", noNote, ""},
		{"１９８５．０３．１２", false, false, "1985-03-12", noNote, ""},
		{"19850312", false, false, "1985-03-12", noNote, ""},
		{"19850312", true, false, "1985-03-12", noNote, ""},
		{"1985-03-12 00:00:00", false, false, "1985-03-12", noNote, ""},
		{"1985-03-12T00:00:00Z", false, false, "1985-03-12", noNote, ""},
		{"1985.03", false, false, "1985-03-01", noteMonth, ""},
		{"1985年3月", false, false, "1985-03-01", noteMonth, ""},
		{"1985-03", false, false, "1985-03-01", noteMonth, ""},
		{"198503", false, false, "1985-03-01", noteMonth, ""},
		{"1985.03", true, false, "1985-03-01", noteMonth, ""},
		{"1985.0299999999999", true, false, "1985-03-01", noteMonth, ""},
		{"1985.1", true, false, "1985-01-01", noteAmbiguous1, ""},
		{"1985.03", true, true, "1985-03-01", noteMonth, ""}, // typed into a date cell: not a day of 1905
		{"19850312", true, true, "1985-03-12", noNote, ""},
		{"1985", true, true, "", noNote, "只有年份"},
		{"1985.12", true, false, "1985-12-01", noteMonth, ""},
		{"1985-02-30", false, false, "", noNote, "「1985-02-30」不是真实的日期：1985年2月只有28天"},
		{"1984.02.30", false, false, "", noNote, "1984年2月只有29天"},
		{"1985.13", false, false, "", noNote, "月份应为 1–12"},
		{"1985", false, false, "", noNote, "只有年份"},
		{"85.3.12", false, false, "", noNote, "不是可识别的日期"},
		{"三月", false, false, "", noNote, "不是可识别的日期"},
		{"1785-01-01", false, false, "", noNote, "年份 1785 不合理"},
	} {
		got := parseDate(c.raw, c.number, c.dateFmt, false)
		if c.err != "" {
			if !strings.Contains(got.err, c.err) {
				t.Errorf("%q: error %q, want one containing %q", c.raw, got.err, c.err)
			}
			continue
		}
		if got.err != "" || got.d.String() != c.want || got.note != c.note {
			t.Errorf("%q (number %v, date format %v) = %s note %d err %q; want %s note %d", c.raw, c.number, c.dateFmt, got.d, got.note, got.err, c.want, c.note)
		}
	}
}

func TestNormalise(t *testing.T) {
	if got := normID(" ４３０７０２ １９８５０３１２ ００２ｘ "); got != "43070219850312002X" {
		t.Errorf("normID = %q", got)
	}
	if got := normHeader(" 公民身份号码\n（18位） "); got != "公民身份号码" {
		t.Errorf("normHeader = %q", got)
	}
	if got := normHeader("*联系电话(手机)"); got != "联系电话" {
		t.Errorf("normHeader = %q", got)
	}
	for _, v := range []string{"是", "√", "Y", "y", "1", "ｙｅｓ"} {
		if b, ok := parseBool(v); !ok || !b {
			t.Errorf("parseBool(%q) = %v %v", v, b, ok)
		}
	}
	for _, v := range []string{"否", "×", "N", "0", ""} {
		if b, ok := parseBool(v); !ok || b {
			t.Errorf("parseBool(%q) = %v %v", v, b, ok)
		}
	}
	if _, ok := parseBool("可能"); ok {
		t.Error("parseBool accepted 可能")
	}
}

func TestCodeLabelsLookUpAgain(t *testing.T) {
	b := newCodebook(member.DefaultCodes)
	for _, table := range member.DefaultCodes.Tables() {
		for _, it := range table.Items {
			label := b.label(table.Kind, it.Code)
			if code, ok := b.lookup(table.Kind, label); !ok || code != it.Code {
				t.Errorf("%s %s: label %q looks up to %q %v", table.Kind, it.Code, label, code, ok)
			}
		}
	}
	if got := b.label(member.KindJob, "014"); got != "公有制单位企业管理人员" {
		t.Errorf("label of 014 = %q", got)
	}
	if msg := b.unknown(member.KindJob, "企业管理人员"); !strings.Contains(msg, "「公有制单位企业管理人员」或「非公有制单位企业管理人员」") {
		t.Errorf("ambiguous job message: %s", msg)
	}
	if msg := b.unknown(member.KindGender, "未知"); msg != "「未知」不是可选的性别；可填：男、女" {
		t.Errorf("unknown gender message: %s", msg)
	}
}
