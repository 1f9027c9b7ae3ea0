package roster

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/dangjian/dangjian/internal/member"
)

// exportColumns are the columns a template and an export write: the official 18, then the
// extended set (序号 is read, never written).
func exportColumns() []column {
	out := make([]column, 0, len(columns))
	for _, c := range columns {
		if c.kind != kSeq {
			out = append(out, c)
		}
	}
	return out
}

// required are the columns Check insists on (the others may stay empty or are derived).
var required = map[string]bool{"name": true, "id_number": true, "ethnicity": true, "education": true, "joined_on": true}

// fixedLists are the dropdowns that offer a fixed list rather than a code table.
var fixedLists = map[colKind][]string{
	kBool:     {"是", "否"},
	kCategory: {"正式党员", "预备党员"},
}

// templateRows is how many rows of the template carry dropdowns and formats.
const templateRows = 5000

// Template writes the import template with the published code tables.
func Template(w io.Writer) error { return TemplateWith(w, member.DefaultCodes) }

// TemplateWith writes the import template: the 党员花名册 sheet with the official 16 items
// (18 columns) first and the extended columns after them, every header commented with how to
// fill it, dropdowns on the coded and 是/否 columns, 公民身份号码 and 联系电话 formatted as
// text so Excel cannot turn them into numbers; a 填写示例 sheet with a filled row; and the
// 可选值 sheet listing every code table with the standard it comes from.
func TemplateWith(w io.Writer, codes *member.Codes) error {
	b := newCodebook(codes)
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", dataSheet); err != nil {
		return err
	}
	cols := exportColumns()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	ranges, err := writeOptions(f, b, st)
	if err != nil {
		return err
	}
	if err := writeHeader(f, dataSheet, 1, cols, st); err != nil {
		return err
	}
	for i, c := range cols {
		name := colLetter(i + 1)
		if hint := hintOf(c); hint != "" {
			if err := f.AddComment(dataSheet, excelize.Comment{Cell: name + "1", Author: "填写说明", Width: 260, Height: uint(50 + 16*(len([]rune(hint))/18)),
				Paragraph: []excelize.RichTextRun{{Text: c.header + "\n", Font: &excelize.Font{Bold: true}}, {Text: hint}}}); err != nil {
				return err
			}
		}
		// Numbers and dates are kept as typed: Excel would turn a 公民身份号码 into 4.30702E+17,
		// 1985.10 into 1985.1 and 1985.03 in a date cell into a day of 1905.
		switch c.kind {
		case kID, kPhone, kOrgCode, kDate:
			if err := f.SetColStyle(dataSheet, name, st.text); err != nil {
				return err
			}
		}
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s2:%s%d", name, name, templateRows+1)
		switch {
		case fixedLists[c.kind] != nil:
			if err := dv.SetDropList(fixedLists[c.kind]); err != nil {
				return err
			}
		case c.kind == kCode || c.kind == kStatus:
			kind := c.code
			if c.kind == kStatus {
				kind = member.KindStatus
			}
			dv.SetSqrefDropList(ranges[kind])
		default:
			continue
		}
		dv.SetError(excelize.DataValidationErrorStyleWarning, c.header, "建议从下拉列表中选择；常用写法（如“汉”“本科”）导入时也能识别。")
		if err := f.AddDataValidation(dataSheet, dv); err != nil {
			return err
		}
	}
	if err := f.SetPanes(dataSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := writeExample(f, b, cols, st); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}

func hintOf(c column) string {
	hint := c.hint
	if required[c.field] && !strings.HasPrefix(hint, "必填") {
		hint = "必填；" + hint
	}
	return strings.TrimSuffix(hint, "；")
}

type styles struct {
	header, requiredHeader, title, text, date, example, exampleDate, note int
}

func newStyles(f *excelize.File) (*styles, error) {
	var s styles
	border := []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1}}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	for _, def := range []struct {
		dst   *int
		style excelize.Style
	}{
		{&s.header, excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"D9D9D9"}, Pattern: 1}, Border: border, Alignment: center}},
		{&s.requiredHeader, excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"}, Fill: excelize.Fill{Type: "pattern", Color: []string{"C00000"}, Pattern: 1}, Border: border, Alignment: center}},
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 16}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&s.text, excelize.Style{NumFmt: 49}},
		{&s.date, excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd")}},
		{&s.example, excelize.Style{Font: &excelize.Font{Italic: true, Color: "7F7F7F"}, NumFmt: 49}},
		{&s.exampleDate, excelize.Style{Font: &excelize.Font{Italic: true, Color: "7F7F7F"}, CustomNumFmt: ptr("yyyy-mm-dd")}},
		{&s.note, excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
	} {
		id, err := f.NewStyle(&def.style)
		if err != nil {
			return nil, err
		}
		*def.dst = id
	}
	return &s, nil
}

func writeHeader(f *excelize.File, sheet string, row int, cols []column, st *styles) error {
	cells := make([]any, len(cols))
	for i, c := range cols {
		cells[i] = c.header
	}
	ref, _ := excelize.CoordinatesToCellName(1, row)
	if err := f.SetSheetRow(sheet, ref, &cells); err != nil {
		return err
	}
	for i, c := range cols {
		ref, _ := excelize.CoordinatesToCellName(i+1, row)
		style := st.header
		if required[c.field] {
			style = st.requiredHeader
		}
		if err := f.SetCellStyle(sheet, ref, ref, style); err != nil {
			return err
		}
		name := colLetter(i + 1)
		if err := f.SetColWidth(sheet, name, name, c.width); err != nil {
			return err
		}
	}
	return f.SetRowHeight(sheet, row, 32)
}

// optionTables are the lists of the 可选值 sheet, in order.
var optionTables = []string{member.KindGender, member.KindEthnicity, member.KindEducation, member.KindJob, member.KindLostSituation, member.KindStatus}

// writeOptions writes the 可选值 sheet and returns, per code table, the range its dropdowns
// take their values from.
func writeOptions(f *excelize.File, b *codebook, st *styles) (map[string]string, error) {
	if _, err := f.NewSheet(optionsSheet); err != nil {
		return nil, err
	}
	ranges := map[string]string{}
	type list struct {
		name, source, note string
		codes, labels      []string
	}
	var lists []list
	for _, kind := range optionTables {
		t := b.tables[kind]
		l := list{name: t.Name, source: t.Source, note: t.Note}
		for _, it := range t.Items {
			l.codes = append(l.codes, it.Code)
			l.labels = append(l.labels, b.label(kind, it.Code))
		}
		lists = append(lists, l)
	}
	lists = append(lists,
		list{name: "人员类别", source: "由转正日期推出：有转为正式党员日期的为正式党员", labels: fixedLists[kCategory], codes: []string{"", ""}},
		list{name: "是否（是否为失联党员、是否为流动党员、生活困难）", source: "空白按“否”处理；也可填 √/×、Y/N、1/0", labels: fixedLists[kBool], codes: []string{"", ""}})
	for i, l := range lists {
		c1, c2 := 3*i+1, 3*i+2
		a, _ := excelize.CoordinatesToCellName(c1, 1)
		z, _ := excelize.CoordinatesToCellName(c2, 1)
		head := l.name + "\n" + l.source
		if l.note != "" {
			head += "\n" + l.note
		}
		if err := f.SetCellStr(optionsSheet, a, head); err != nil {
			return nil, err
		}
		if err := f.MergeCell(optionsSheet, a, z); err != nil {
			return nil, err
		}
		if err := f.SetCellStyle(optionsSheet, a, z, st.note); err != nil {
			return nil, err
		}
		h1, _ := excelize.CoordinatesToCellName(c1, 2)
		h2, _ := excelize.CoordinatesToCellName(c2, 2)
		f.SetCellStr(optionsSheet, h1, "代码")
		f.SetCellStr(optionsSheet, h2, "填写")
		f.SetCellStyle(optionsSheet, h1, h2, st.header)
		for j := range l.labels {
			ref, _ := excelize.CoordinatesToCellName(c1, j+3)
			f.SetCellStr(optionsSheet, ref, l.codes[j])
			ref, _ = excelize.CoordinatesToCellName(c2, j+3)
			f.SetCellStr(optionsSheet, ref, l.labels[j])
		}
		if i < len(optionTables) {
			col := colLetter(c2)
			ranges[optionTables[i]] = fmt.Sprintf("'%s'!$%s$3:$%s$%d", optionsSheet, col, col, len(l.labels)+2)
		}
		f.SetColWidth(optionsSheet, colLetter(c1), colLetter(c1), 7)
		f.SetColWidth(optionsSheet, colLetter(c2), colLetter(c2), 26)
		f.SetColWidth(optionsSheet, colLetter(c2+1), colLetter(c2+1), 3)
	}
	if err := f.SetRowHeight(optionsSheet, 1, 110); err != nil {
		return nil, err
	}
	return ranges, f.SetPanes(optionsSheet, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"})
}

// exampleID is the (valid, made-up) 公民身份号码 of the template's example row.
var exampleID = withCheckDigit("43070219850312002")

// withCheckDigit completes 17 digits with the GB 11643-1999 check digit.
func withCheckDigit(s17 string) string {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(s17[i]-'0') * w
	}
	return s17 + string("10X98765432"[sum%11])
}

func writeExample(f *excelize.File, b *codebook, cols []column, st *styles) error {
	if _, err := f.NewSheet(exampleSheet); err != nil {
		return err
	}
	if err := writeHeader(f, exampleSheet, 1, cols, st); err != nil {
		return err
	}
	sample := map[string]string{
		"name": "王芳", "gender": "女", "id_number": exampleID, "ethnicity": "汉族", "birth_date": "1985-03-12",
		"education": b.label(member.KindEducation, "21"), fieldCategory: "正式党员", fieldOrg: "中共某某社区第一支部委员会",
		"joined_on": "2010-07-01", "full_on": "2011-07-01", "job": b.label(member.KindJob, "013"), "phone": "13812345678",
		"address": "湖南省常德市武陵区某某路1号", fieldStatus: "正常", "lost_contact": "否", "mobile": "否",
		"native_place": "湖南常德", "degree": "学士", "tech_title": "中级", "party_post": "组织委员",
		"work_started_on": "2008-07-01", "hardship": "否", "introducers": "李明、赵强",
	}
	for i, c := range cols {
		ref, _ := excelize.CoordinatesToCellName(i+1, 2)
		v := sample[c.field]
		if err := f.SetCellStr(exampleSheet, ref, v); err != nil {
			return err
		}
		style := st.example
		if c.kind == kDate {
			style = st.exampleDate
		}
		f.SetCellStyle(exampleSheet, ref, ref, style)
	}
	notes := []string{
		"填写说明",
		"1. 请在「" + dataSheet + "」工作表中填写，一人一行；本工作表只是示例，导入时不读取。",
		"2. 红底白字的列必须填写；性别、出生日期可不填，由公民身份号码推出；人员类别可不填，由有无转正日期判断。",
		"3. 公民身份号码、联系电话列已设为文本格式：从别处粘贴时请选“只粘贴值”，不要改成数字格式，否则号码后几位会丢失。",
		"4. 日期可写 1985-03-12、1985.03.12、1985/3/12、1985年3月12日 或 19850312；只知道年月的写 1985.03（按当月1日登记，导入结果中会提示）。",
		"5. 民族、学历、工作岗位等请从下拉列表中选择，全部可选值及其依据的标准见「" + optionsSheet + "」工作表。",
		"6. 导入到党委、党总支时，请在“所在党支部”列逐行写明党支部全称（或在“党组织代码”列写组织代码）；导入到党支部时可不填。",
		"7. 已登记的党员（公民身份号码相同）会按表中内容更新；表中任何一处有错都不会保存，系统会返回标出错误的工作簿，改正后可直接重新导入。",
	}
	for i, n := range notes {
		ref, _ := excelize.CoordinatesToCellName(1, i+4)
		f.SetCellStr(exampleSheet, ref, n)
		end, _ := excelize.CoordinatesToCellName(12, i+4)
		f.MergeCell(exampleSheet, ref, end)
	}
	f.SetCellStyle(exampleSheet, "A4", "A4", st.header)
	return nil
}
