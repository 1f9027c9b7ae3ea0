package member

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/db"
)

// Code table kinds.
const (
	KindGender        = "gender"
	KindEthnicity     = "ethnicity"
	KindEducation     = "education"
	KindEduStats      = "education_stats"
	KindJob           = "job"
	KindStatus        = "status"
	KindLostSituation = "lost_situation"
)

// CodeItem is one entry of a code table.
type CodeItem struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Parent string `json:"parent" doc:"上级代码（树形代码表）；顶层为空"`
	Sort   int    `json:"sort"`
	Edited bool   `json:"edited" doc:"是否为本系统中修改或新增的条目"`
}

// CodeTable is a code table with where its values come from.
type CodeTable struct {
	Kind     string     `json:"kind"`
	Name     string     `json:"name"`
	Source   string     `json:"source"`
	Note     string     `json:"note,omitempty"`
	Editable bool       `json:"editable"`
	Items    []CodeItem `json:"items"`
}

func codeList(pairs ...string) []CodeItem {
	out := make([]CodeItem, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, CodeItem{Code: pairs[i], Name: pairs[i+1], Sort: i / 2})
	}
	return out
}

func tree(triples ...string) []CodeItem {
	out := make([]CodeItem, 0, len(triples)/3)
	for i := 0; i+2 < len(triples); i += 3 {
		out = append(out, CodeItem{Code: triples[i], Name: triples[i+1], Parent: triples[i+2], Sort: i / 3})
	}
	return out
}

// defaultTables are the code tables as published. Edits (code_items) are applied on top.
var defaultTables = []CodeTable{
	{Kind: KindGender, Name: "性别", Source: "GB/T 2261.1-2003《个人基本信息分类与代码 第1部分：人的性别代码》",
		Items: codeList("1", "男", "2", "女")},
	{Kind: KindEthnicity, Name: "民族", Source: "GB/T 3304-1991《中国各民族名称的罗马字母拼写法和代码》",
		Note: "97、98 为本系统按常见做法补充的代码；统计“少数民族”时计 02–56。",
		Items: codeList("01", "汉族", "02", "蒙古族", "03", "回族", "04", "藏族", "05", "维吾尔族", "06", "苗族", "07", "彝族",
			"08", "壮族", "09", "布依族", "10", "朝鲜族", "11", "满族", "12", "侗族", "13", "瑶族", "14", "白族",
			"15", "土家族", "16", "哈尼族", "17", "哈萨克族", "18", "傣族", "19", "黎族", "20", "傈僳族", "21", "佤族",
			"22", "畲族", "23", "高山族", "24", "拉祜族", "25", "水族", "26", "东乡族", "27", "纳西族", "28", "景颇族",
			"29", "柯尔克孜族", "30", "土族", "31", "达斡尔族", "32", "仫佬族", "33", "羌族", "34", "布朗族", "35", "撒拉族",
			"36", "毛南族", "37", "仡佬族", "38", "锡伯族", "39", "阿昌族", "40", "普米族", "41", "塔吉克族", "42", "怒族",
			"43", "乌孜别克族", "44", "俄罗斯族", "45", "鄂温克族", "46", "德昂族", "47", "保安族", "48", "裕固族",
			"49", "京族", "50", "塔塔尔族", "51", "独龙族", "52", "鄂伦春族", "53", "赫哲族", "54", "门巴族", "55", "珞巴族",
			"56", "基诺族", "97", "其他", "98", "外国血统中国籍人士")},
	{Kind: KindEducation, Name: "学历", Source: "GB/T 4658-2006《学历代码》",
		Note: "收录常用的类和项；统计时归入党内统计的6档，见 education_stats。",
		Items: tree("10", "研究生教育", "", "11", "博士研究生毕业", "10", "14", "硕士研究生毕业", "10",
			"20", "大学本科", "", "21", "大学本科毕业", "20",
			"30", "大学专科", "", "31", "大学专科毕业", "30",
			"40", "中等职业教育", "", "41", "中等专科毕业", "40", "44", "职业高中毕业", "40", "47", "技工学校毕业", "40",
			"60", "普通高级中学教育", "", "61", "普通高中毕业", "60",
			"70", "初级中学教育", "", "71", "初中毕业", "70",
			"80", "小学教育", "", "81", "小学毕业", "80",
			"90", "其他", "")},
	{Kind: KindEduStats, Name: "学历（党内统计）", Source: "党内统计报表学历分组（研究生、大学本科、大学专科、中专、高中中技、初中及以下）",
		Note:  "档位代码及由 GB/T 4658 学历代码到档位的对应关系为本系统所定（40–43→中专，44–49 及 6x→高中、中技，7x、8x、90→初中及以下），官方代码值未经核实。",
		Items: codeList("1", "研究生", "2", "大学本科", "3", "大学专科", "4", "中专", "5", "高中、中技", "6", "初中及以下")},
	{Kind: KindJob, Name: "工作岗位", Source: "党内统计报表（党员队伍情况）工作岗位分类",
		Note: "代码按党内统计表的层级编排，为本系统采用的编码，未经官方核实。",
		Items: tree("0", "在岗职工", "",
			"01", "公有制单位", "0",
			"011", "党政机关工作人员", "01", "012", "事业单位管理人员", "01", "013", "事业单位专业技术人员", "01",
			"014", "企业管理人员", "01", "015", "企业专业技术人员", "01", "016", "工勤技能人员", "01", "0164", "农民工", "016",
			"02", "非公有制单位", "0",
			"021", "企业管理人员", "02", "022", "企业专业技术人员", "02", "023", "民办非企业单位管理人员", "02",
			"024", "民办非企业单位专业技术人员", "02", "025", "工勤技能人员", "02", "0253", "农民工", "025",
			"1", "农牧渔民", "", "113", "外出务工经商人员", "1",
			"2", "军人、武警", "", "3", "学生", "", "4", "离退休人员", "", "5", "其他", "")},
	{Kind: KindStatus, Name: "党籍状态", Source: "《中国共产党章程》第九条（停止党籍、出党）；本系统",
		Items: codeList(string(StatusNormal), "正常", string(StatusSuspended), "停止党籍", string(StatusLeft), "已出党", string(StatusDeceased), "已去世",
			string(StatusTransferred), "已转出")},
	{Kind: KindLostSituation, Name: "失联情形", Source: "中共中央组织部《关于加强和改进流动党员管理工作的意见》及党内统计失联党员情形分类",
		Items: codeList("1", "外出务工经商", "2", "单位改制或破产", "3", "毕业后去向不明", "4", "工作单位改变", "5", "出国(境)", "6", "居住地改变", "7", "其他")},
}

// editable says which tables an administrator may rename or extend. 性别、党籍状态 and the
// 党统 buckets drive the logic and statistics, so they stay fixed.
var editable = map[string]bool{KindEthnicity: true, KindEducation: true, KindJob: true, KindLostSituation: true}

// aliases map common labels to codes, for importers and people typing.
var aliases = map[string]map[string]string{
	KindGender:    {"男性": "1", "女性": "2", "M": "1", "F": "2", "m": "1", "f": "2"},
	KindEthnicity: {"汉": "01", "回": "03", "维吾尔": "05", "外国血统": "98"},
	KindEducation: {
		"研究生": "10", "博士": "11", "博士研究生": "11", "博士研究生毕业": "11", "博士研究生学历": "11",
		"硕士": "14", "硕士研究生": "14", "硕士研究生毕业": "14", "硕士研究生学历": "14",
		"本科": "21", "大学": "21", "大学本科学历": "21", "大本": "21",
		"大专": "31", "专科": "31", "大学专科学历": "31",
		"中专": "41", "中等专科": "41", "中等专业学校毕业": "41", "中专毕业": "41",
		"职高": "44", "职业高中": "44", "技校": "47", "技工学校": "47", "中技": "47",
		"高中": "61", "普通高中": "61", "高中毕业": "61",
		"初中": "71", "初级中学": "71", "小学": "81", "文盲": "90", "无": "90",
	},
	KindStatus: {"出党": string(StatusLeft), "去世": string(StatusDeceased), "死亡": string(StatusDeceased), "停止": string(StatusSuspended)},
}

// Codes is the effective code tables: the defaults with edits applied.
type Codes struct {
	tables []CodeTable
	byKind map[string]map[string]*CodeItem
}

func newCodes(edits []editedItem) *Codes {
	c := &Codes{byKind: map[string]map[string]*CodeItem{}}
	for _, t := range defaultTables {
		t.Items = slices.Clone(t.Items)
		t.Editable = editable[t.Kind]
		c.tables = append(c.tables, t)
	}
	for _, e := range edits {
		for i := range c.tables {
			t := &c.tables[i]
			if t.Kind != e.kind {
				continue
			}
			j := slices.IndexFunc(t.Items, func(it CodeItem) bool { return it.Code == e.code })
			it := CodeItem{Code: e.code, Name: e.name, Parent: e.parent, Sort: e.sort, Edited: true}
			if j >= 0 {
				t.Items[j] = it
			} else {
				t.Items = append(t.Items, it)
			}
		}
	}
	for i := range c.tables {
		t := &c.tables[i]
		slices.SortStableFunc(t.Items, func(a, b CodeItem) int { return a.Sort - b.Sort })
		m := map[string]*CodeItem{}
		for j := range t.Items {
			m[t.Items[j].Code] = &t.Items[j]
		}
		c.byKind[t.Kind] = m
	}
	return c
}

// DefaultCodes is the published code tables without local edits (what Check uses).
var DefaultCodes = newCodes(nil)

// Tables lists every table.
func (c *Codes) Tables() []CodeTable { return c.tables }

// Name is the label of code in kind ("" when unknown).
func (c *Codes) Name(kind, code string) string {
	if it, ok := c.byKind[kind][code]; ok {
		return it.Name
	}
	return ""
}

// Valid reports whether code is in kind.
func (c *Codes) Valid(kind, code string) bool {
	_, ok := c.byKind[kind][code]
	return ok
}

// Lookup maps a code or a label (or a common alias: 女, 汉, 本科, 大专, 硕士 …) to the code.
// A 工作岗位 label that occurs under both 公有制 and 非公有制 must be written with its branch
// (公有制单位企业管理人员, 非公有制单位/企业管理人员) or as a code.
func (c *Codes) Lookup(kind, s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", false
	}
	m := c.byKind[kind]
	if m == nil {
		return "", false
	}
	if _, ok := m[s]; ok {
		return s, true
	}
	if kind == KindEthnicity && len(s) == 1 && s[0] >= '1' && s[0] <= '9' {
		if _, ok := m["0"+s]; ok {
			return "0" + s, true
		}
	}
	var found []string
	for _, it := range c.tableOf(kind).Items {
		if it.Name == s || (kind == KindEthnicity && it.Name == s+"族") {
			found = append(found, it.Code)
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	if len(found) == 0 {
		if code, ok := aliases[kind][s]; ok && c.Valid(kind, code) {
			return code, true
		}
	}
	if kind == KindJob {
		// "公有制单位企业管理人员", "非公有制单位/企业管理人员", "在岗职工-公有制单位-农民工" …
		norm := jobPunct.Replace(s)
		var hits []string
		for _, it := range c.tableOf(kind).Items {
			if strings.HasSuffix(norm, strings.ReplaceAll(it.Name, "、", "")) {
				prefix := strings.TrimSuffix(norm, strings.ReplaceAll(it.Name, "、", ""))
				if prefix != "" && c.ancestorsMatch(kind, it, prefix) {
					hits = append(hits, it.Code)
				}
			}
		}
		if len(hits) == 1 {
			return hits[0], true
		}
	}
	return "", false
}

func (c *Codes) tableOf(kind string) *CodeTable {
	for i := range c.tables {
		if c.tables[i].Kind == kind {
			return &c.tables[i]
		}
	}
	return &CodeTable{}
}

// ancestorsMatch reports whether prefix is made of the names of it's ancestors (innermost
// last), e.g. "公有制单位" or "在岗职工公有制单位" for 014.
func (c *Codes) ancestorsMatch(kind string, it CodeItem, prefix string) bool {
	m := c.byKind[kind]
	for p := it.Parent; p != "" && prefix != ""; {
		parent, ok := m[p]
		if !ok {
			return false
		}
		name := strings.ReplaceAll(parent.Name, "、", "")
		if !strings.HasSuffix(prefix, name) {
			return false
		}
		prefix = strings.TrimSuffix(prefix, name)
		p = parent.Parent
	}
	return prefix == ""
}

// Root is the top-level ancestor of code in a tree table (工作岗位 → 0…5).
func (c *Codes) Root(kind, code string) string {
	m := c.byKind[kind]
	for range 10 {
		it, ok := m[code]
		if !ok || it.Parent == "" {
			return code
		}
		code = it.Parent
	}
	return code
}

// EducationBucket maps a GB/T 4658 学历 code to the 党内统计 bucket 1–6 (the platform's
// mapping; see the education_stats table's note). Unknown codes map to "".
func EducationBucket(code string) string {
	if len(code) < 2 || code[0] < '0' || code[0] > '9' || code[1] < '0' || code[1] > '9' {
		return ""
	}
	n := int(code[0]-'0')*10 + int(code[1]-'0')
	switch {
	case n >= 10 && n <= 19:
		return "1"
	case n >= 20 && n <= 29:
		return "2"
	case n >= 30 && n <= 39:
		return "3"
	case n >= 40 && n <= 43:
		return "4"
	case n >= 44 && n <= 69:
		return "5"
	case n >= 70 && n <= 99:
		return "6"
	}
	return ""
}

// eduBucketSQL is the same mapping as a SQL expression over m.education (two-digit prefix),
// so statistics and filters group in the database.
const eduBucketSQL = `CASE WHEN substr(m.education, 1, 1) = '1' THEN '1' WHEN substr(m.education, 1, 1) = '2' THEN '2'
	WHEN substr(m.education, 1, 1) = '3' THEN '3' WHEN substr(m.education, 1, 2) IN ('40', '41', '42', '43') THEN '4'
	WHEN substr(m.education, 1, 1) IN ('4', '5', '6') THEN '5' WHEN substr(m.education, 1, 1) IN ('7', '8', '9') THEN '6' ELSE '' END`

type editedItem struct {
	kind, code, name, parent string
	sort                     int
}

// Codes reads the effective code tables. Edits are read on every call (the table is tiny), so
// several app servers never disagree.
func (s *Store) Codes(ctx context.Context) (*Codes, error) {
	return loadCodes(ctx, s.db)
}

func loadCodes(ctx context.Context, q db.Querier) (*Codes, error) {
	rows, err := q.Query(ctx, `SELECT kind, code, name, parent, sort FROM code_items ORDER BY kind, sort, code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var edits []editedItem
	for rows.Next() {
		var e editedItem
		if err := rows.Scan(&e.kind, &e.code, &e.name, &e.parent, &e.sort); err != nil {
			return nil, err
		}
		edits = append(edits, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return newCodes(edits), nil
}

// CodeInput renames or adds an entry of a code table.
type CodeInput struct {
	Name   string `json:"name"`
	Parent string `json:"parent" doc:"上级代码（树形代码表）"`
	Sort   *int   `json:"sort" doc:"排序号；不填则保持原位或排在最后"`
}

var codeChars = func(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return false
		}
	}
	return s != "" && len(s) <= 8
}

// SetCode renames an entry of an editable code table, or adds one. Code tables are system
// configuration, so this needs user.manage (the 系统管理员): business administrators of one
// subtree must not change the codes everyone shares. Audited as code.update.
func (s *Store) SetCode(ctx context.Context, kind, code string, in CodeInput) (*CodeTable, error) {
	if !access.From(ctx).Can(access.UserManage) {
		return nil, api.Forbidden("代码表属于系统配置，只有系统管理员可以修改")
	}
	cur, err := s.Codes(ctx)
	if err != nil {
		return nil, err
	}
	t := cur.tableOf(kind)
	if t.Kind == "" {
		return nil, api.NotFound("代码表不存在：" + kind)
	}
	if !editable[kind] {
		return nil, api.Conflict(t.Name + "代码表决定系统的判断和统计口径，不能修改")
	}
	var f api.Fields
	in.Name = strings.TrimSpace(in.Name)
	in.Parent = strings.TrimSpace(in.Parent)
	if !codeChars(code) {
		f.Add("code", "代码只能由字母和数字组成，最长8位")
	}
	if n := utf8.RuneCountInString(in.Name); n == 0 || n > 30 {
		f.Add("name", "请填写名称，最长30字")
	}
	if in.Parent != "" && (!cur.Valid(kind, in.Parent) || in.Parent == code) {
		f.Add("parent", "上级代码不存在："+in.Parent)
	}
	if kind == KindEducation && code != "" && EducationBucket(code) == "" {
		f.Add("code", "学历代码应为两位及以上数字（首两位决定统计档位）")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	before := cur.byKind[kind][code]
	sort := len(t.Items)
	if before != nil {
		sort = before.Sort
	}
	if in.Sort != nil {
		sort = *in.Sort
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		now := time.Now().UTC()
		res, err := tx.Exec(ctx, `UPDATE code_items SET name = ?, parent = ?, sort = ?, updated_at = ? WHERE kind = ? AND code = ?`,
			in.Name, in.Parent, sort, now, kind, code)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := tx.Exec(ctx, `INSERT INTO code_items (kind, code, name, parent, sort, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
				kind, code, in.Name, in.Parent, sort, now); err != nil {
				return err
			}
		}
		summary := fmt.Sprintf("%s代码表新增 %s %s", t.Name, code, in.Name)
		var beforeV any
		if before != nil {
			summary = fmt.Sprintf("%s代码表 %s 由“%s”改为“%s”", t.Name, code, before.Name, in.Name)
			beforeV = *before
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "code.update", Entity: "code", EntityID: kind + "/" + code,
			Summary: summary, Before: beforeV, After: CodeItem{Code: code, Name: in.Name, Parent: in.Parent, Sort: sort, Edited: true}})
	})
	if err != nil {
		return nil, err
	}
	now, err := s.Codes(ctx)
	if err != nil {
		return nil, err
	}
	return now.tableOf(kind), nil
}
