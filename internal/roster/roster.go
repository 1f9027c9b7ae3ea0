// Package roster reads and writes the 党员花名册 as Excel workbooks (and reads .csv): an import
// that survives real rosters — title rows above the header, merged cells, a 序号 column,
// headers under other names, full-width digits, dates in every form people type, GB18030 csv —
// and answers all or nothing, with the user's own rows handed back marked up where they are
// wrong; the import template with dropdowns and the code tables; and a streamed export in the
// same column shape, so that an export re-imports cleanly.
package roster

import (
	"strings"
	"unicode"

	"github.com/dangjian/dangjian/internal/member"
)

// Limits of one import file.
const (
	MaxFileSize = 20 << 20 // bytes
	MaxRows     = 20000    // data rows
	// headerRows is how far down the header may be: title rows come first in real rosters.
	headerRows = 10
)

type colKind uint8

const (
	kText colKind = iota
	kName
	kID
	kPhone
	kDate
	kBool
	kCode     // through the member code tables (column.code is the table)
	kCategory // 人员类别: informative, checked against 转正日期
	kStatus   // 党籍状态: informative, the registry changes it by procedure only
	kOrg      // 所在党支部: name or code
	kOrgCode  // 党组织代码
	kSeq      // 序号: ignored
)

// column is one column of the roster: the field it fills, the header the template and the
// export write, and the other headers real rosters use for it.
type column struct {
	field   string // member.Input JSON name, or category, status, org, org_code, seq
	header  string
	aliases []string
	kind    colKind
	code    string // code table kind for kCode
	width   float64
	hint    string // shown as the header's comment in the template
}

// Field names that are not member.Input fields.
const (
	fieldCategory = "category"
	fieldStatus   = "status"
	fieldOrg      = "org"
	fieldOrgCode  = "org_code"
	fieldSeq      = "seq"
)

const dateHint = "如 1985-03-12；也可写 1985.03.12、1985/3/12、1985年3月12日、19850312；只知道年月的写 1985.03（按当月1日登记）"
const boolHint = "填 是 或 否（也可填 √/×、Y/N、1/0；空白为否）"

// columns are the 党员基本信息 16 items in their official order (the last two carry a date and a
// destination each, hence 18 columns), then the extended set.
var columns = []column{
	{field: "name", header: "姓名", aliases: []string{"党员姓名"}, kind: kName, width: 10, hint: "必填"},
	{field: "gender", header: "性别", kind: kCode, code: member.KindGender, width: 6, hint: "男 或 女；可不填，由公民身份号码推出"},
	{field: "id_number", header: "公民身份号码",
		aliases: []string{"身份证号", "身份证号码", "身份证", "公民身份证号", "公民身份证号码", "公民身份号", "身份证件号码", "证件号码", "身份号码"},
		kind:    kID, width: 21, hint: "必填，18位；本列已设为文本格式，请勿改成数字（否则后几位会丢失）"},
	{field: "ethnicity", header: "民族", kind: kCode, code: member.KindEthnicity, width: 10, hint: "必填，如 汉族、回族；可选值见「可选值」工作表"},
	{field: "birth_date", header: "出生日期", aliases: []string{"出生年月", "出生年月日", "出生时间", "生日"}, kind: kDate, width: 12,
		hint: "可不填，由公民身份号码推出；" + dateHint},
	{field: "education", header: "学历", aliases: []string{"文化程度", "最高学历", "学历学位"}, kind: kCode, code: member.KindEducation, width: 14,
		hint: "必填，如 大学本科、大专、高中；可选值见「可选值」工作表"},
	{field: fieldCategory, header: "人员类别", aliases: []string{"党员类别", "类别"}, kind: kCategory, width: 10,
		hint: "正式党员 或 预备党员；可不填：系统按有无转正日期判断，填了则须与转正日期一致"},
	{field: fieldOrg, header: "所在党支部", aliases: []string{"所在支部", "党支部", "所在党组织", "所属党支部", "所属支部", "支部名称", "党支部名称", "所在党支部名称"},
		kind: kOrg, width: 30, hint: "党支部全称或组织代码；不填则为导入时选择的组织"},
	{field: "joined_on", header: "加入党组织日期", aliases: []string{"入党日期", "入党时间", "入党年月", "加入党组织时间", "加入中国共产党日期"}, kind: kDate, width: 14,
		hint: "必填（支部大会通过之日）；" + dateHint},
	{field: "full_on", header: "转为正式党员日期", aliases: []string{"转正日期", "转正时间", "转正年月", "转为正式党员时间"}, kind: kDate, width: 14,
		hint: "预备党员不填；" + dateHint},
	{field: "job", header: "工作岗位", aliases: []string{"岗位", "职业", "工作岗位职业"}, kind: kCode, code: member.KindJob, width: 22,
		hint: "党内统计的工作岗位，如 农牧渔民、离退休人员、公有制单位企业管理人员；可选值见「可选值」工作表"},
	{field: "phone", header: "联系电话", aliases: []string{"手机", "手机号码", "手机号", "电话", "电话号码", "联系方式", "移动电话", "固定电话"}, kind: kPhone, width: 14,
		hint: "11位手机号码，或带区号的固定电话（如 0736-1234567）"},
	{field: "address", header: "家庭住址", aliases: []string{"住址", "现居住地", "家庭地址", "现住址", "居住地址", "现居住地址", "家庭住址现居住地"}, kind: kText, width: 30},
	{field: fieldStatus, header: "党籍状态", kind: kStatus, width: 10, hint: "可不填（正常）；导入不改变党籍状态"},
	{field: "lost_contact", header: "是否为失联党员", aliases: []string{"是否失联", "失联党员", "是否失联党员"}, kind: kBool, width: 8, hint: boolHint},
	{field: "lost_on", header: "失去联系日期", aliases: []string{"失联日期", "失联时间", "失去联系时间"}, kind: kDate, width: 14, hint: "失联党员填写；" + dateHint},
	{field: "mobile", header: "是否为流动党员", aliases: []string{"是否流动", "流动党员", "是否流动党员"}, kind: kBool, width: 8, hint: boolHint},
	{field: "mobile_to", header: "外出流向", aliases: []string{"流向", "流动去向", "外出去向", "流出地"}, kind: kText, width: 20, hint: "流动党员填写，如 广东省深圳市"},
	// The extended set.
	{field: "lost_situation", header: "失联情形", kind: kCode, code: member.KindLostSituation, width: 14, hint: "失联党员填写；可选值见「可选值」工作表"},
	{field: "native_place", header: "籍贯", kind: kText, width: 12},
	{field: "degree", header: "学位", kind: kText, width: 10, hint: "如 学士、硕士"},
	{field: "tech_title", header: "专业技术职务", aliases: []string{"职称", "专业技术职称", "专技职务"}, kind: kText, width: 14},
	{field: "party_post", header: "党内职务", aliases: []string{"党内职务名称", "党内任职"}, kind: kText, width: 12},
	{field: "work_started_on", header: "参加工作日期", aliases: []string{"参加工作时间", "参加工作年月"}, kind: kDate, width: 14, hint: dateHint},
	{field: "hardship", header: "生活困难", aliases: []string{"困难党员", "是否生活困难", "是否困难党员", "生活困难党员"}, kind: kBool, width: 8, hint: boolHint},
	{field: "introducers", header: "入党介绍人", aliases: []string{"介绍人", "入党介绍人姓名"}, kind: kText, width: 14, hint: "多人用顿号分隔"},
	{field: fieldOrgCode, header: "党组织代码", aliases: []string{"所在党支部代码", "支部代码", "组织代码", "党支部代码"}, kind: kOrgCode, width: 18,
		hint: "所在党支部的组织代码；填了则以代码为准"},
	// Recognised only to be ignored.
	{field: fieldSeq, header: "序号", aliases: []string{"编号", "序"}, kind: kSeq},
}

// officialColumns is how many of columns are the official 党员基本信息.
const officialColumns = 18

var byHeader = func() map[string]*column {
	m := map[string]*column{}
	for i := range columns {
		c := &columns[i]
		m[normHeader(c.header)] = c
		for _, a := range c.aliases {
			m[normHeader(a)] = c
		}
	}
	return m
}()

func columnOf(field string) *column {
	for i := range columns {
		if columns[i].field == field {
			return &columns[i]
		}
	}
	return nil
}

// FieldName is the Chinese name of a field, for reports.
func FieldName(field string) string {
	if c := columnOf(field); c != nil {
		return c.header
	}
	if field == "org_id" {
		return "所在党支部"
	}
	return field
}

// fold maps full-width ASCII (１２３Ｘ，（）) to half-width and the ideographic space to a space.
func fold(s string) string {
	if isASCII(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == 0x3000:
			return ' '
		case r == 0xFEFF || r == 0x200B: // BOM and zero-width space, common in copied text
			return -1
		}
		return r
	}, s)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// noSpace drops every space, tab and line break.
func noSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// oneLine trims and collapses runs of spaces and line breaks to one space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// normHeader is a header as matched: half-width, no spaces or line breaks, no required-marks,
// and without a bracketed remark ("身份证号码（18位）", "出生日期\n(年月日)").
func normHeader(s string) string {
	s = noSpace(fold(s))
	s = strings.Trim(s, "*★☆※:：")
	for _, p := range [][2]string{{"(", ")"}, {"[", "]"}, {"【", "】"}, {"〔", "〕"}, {"<", ">"}, {"《", "》"}} {
		for {
			i := strings.Index(s, p[0])
			if i < 0 {
				break
			}
			j := strings.Index(s[i:], p[1])
			if j < 0 {
				s = s[:i]
				break
			}
			s = s[:i] + s[i+j+len(p[1]):]
		}
	}
	return strings.Trim(s, "*★☆※:：")
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
