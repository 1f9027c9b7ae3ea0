package demo

import (
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/dangjian/dangjian/internal/division"
	"github.com/dangjian/dangjian/internal/org"
)

// tier is what the 机关, 学校, 事业单位, 企业 and 社会组织 of a 县, 市 or 省 are named after.
type tier struct {
	level        division.Level
	lvl          string // 区, 县, 市, 旗; 市 (地级); 省, 自治区, 市 (municipality)
	seal         string // seal stem: 常德市武陵区, 常德市, 山东省
	name         string // 武陵区, 常德市, 山东省: schools and hospitals are named after it
	cityBase     string // 常德: companies are named after it
	province     string // 湖南
	municipality bool
	pl           *place // the serials of the tier's own place (the root has 001)

	streets               []division.Division // county tier
	villages, communities int                 // county tier, counted while generating
	used                  map[string]bool     // company names given out
}

// unit emits an organisation and, under a 党委 or 党总支, one 党支部 per label, named after it
// (区人民医院党委 → 区人民医院内科党支部); 支部 get 党小组 with probability gp.
func (g *gen) unit(parent *node, pl *place, sp spec, labels []string, gp float64) (*node, error) {
	code, err := pl.next()
	if err != nil {
		return nil, err
	}
	n, err := g.add(parent, code, nil, sp)
	if err != nil {
		return nil, err
	}
	if !n.typ.IsBranchLike() {
		for _, l := range labels {
			bc, err := pl.next()
			if err != nil {
				return nil, err
			}
			b, err := g.add(n, bc, nil, spec{typ: org.TypeBranch, unit: sp.unit, seal: sp.seal + sp.label,
				short: sp.short + sp.label, label: l, div: sp.div, units: sp.units,
				estFrom: sp.estFrom, estTo: g.today.Year()})
			if err != nil {
				return nil, err
			}
			if err := g.groups(b, pl, gp); err != nil {
				return nil, err
			}
		}
		return n, nil
	}
	return n, g.groups(n, pl, gp)
}

// some returns k labels: the numbered ones (第一…) then the extras, in order.
func some(k int, numbered string, extras ...string) []string {
	var out []string
	for i := 1; len(out)+len(extras) < k || i == 1; i++ {
		out = append(out, ordinal(i)+numbered)
	}
	return append(out, extras...)
}

// subset keeps each of xs with probability p, in order.
func subset(r *rand.Rand, xs []string, p float64) []string {
	var out []string
	for _, x := range xs {
		if r.Float64() < p {
			out = append(out, x)
		}
	}
	return out
}

// company returns a company name not yet given out in the tier: 常德鑫源建材有限公司.
func company(r *rand.Rand, t *tier, industry string) string {
	for i := 0; ; i++ {
		place := t.cityBase
		if r.IntN(4) == 0 {
			place = t.province
		}
		ind := industry
		if ind == "" {
			ind = pick(r, industries)
		}
		name := place + pick(r, brands) + ind + pick(r, companyForms)
		if !t.used[name] || i > 20 {
			t.used[name] = true
			return name
		}
	}
}

// jointUnits is how many units a 联合党支部 covers: 2–5, and very rarely 6 or 7.
func jointUnits(r *rand.Rand) int {
	if r.IntN(100) < 3 {
		return 6 + r.IntN(2)
	}
	return 2 + r.IntN(4)
}

// streetUnits adds a 街道/乡镇's own branches after its 村/社区: the 机关党支部, the 卫生院, and
// 联合党支部 of small firms or 农民专业合作社.
func (g *gen) streetUnits(st *node, t *tier, sp spec, pl *place) error {
	r := st.r
	name := sp.short
	if r.IntN(10) < 9 {
		s := spec{typ: org.TypeBranch, unit: org.UnitOrgan, seal: sp.seal, short: name, label: "机关", div: sp.div,
			units: sp.units, estFrom: 1980, estTo: 2015}
		var labels []string
		if r.IntN(7) == 0 {
			s.typ = org.TypeGeneralBranch
			labels = some(2+r.IntN(2), "", "离退休干部")
		}
		if _, err := g.unit(st, pl, s, labels, 0.2); err != nil {
			return err
		}
	}
	if t.used == nil {
		t.used = map[string]bool{}
	}
	switch st.unit {
	case org.UnitTownship:
		if r.IntN(10) < 6 {
			if _, err := g.unit(st, pl, spec{typ: org.TypeBranch, unit: org.UnitInstitution, seal: sp.seal, short: name,
				label: "卫生院", div: sp.div, units: []string{t.seal + name + "卫生院"}, estFrom: 1990, estTo: 2018}, nil, 0.1); err != nil {
				return err
			}
		}
		if r.IntN(10) < 4 {
			units := distinct(r, jointUnits(r), func() string { return t.seal + name + pick(r, brands) + pick(r, coopProducts) + "专业合作社" })
			if _, err := g.unit(st, pl, spec{typ: org.TypeJointBranch, unit: org.UnitCollective, seal: sp.seal, short: name,
				label: "农民专业合作社", div: sp.div, units: units, estFrom: 2010, estTo: 2024}, nil, 0.1); err != nil {
				return err
			}
		}
	case org.UnitStreet:
		for i, k := 1, r.IntN(3); i <= k; i++ {
			label := ordinal(i) + "非公企业"
			if r.IntN(2) == 0 {
				label = pick(r, brands) + "大厦楼宇"
			}
			var units []string
			for j := jointUnits(r); j > 0; j-- {
				units = append(units, company(r, t, ""))
			}
			if _, err := g.unit(st, pl, spec{typ: org.TypeJointBranch, unit: org.UnitPrivate, seal: sp.seal, short: name,
				label: label, div: sp.div, units: units, estFrom: 2008, estTo: 2024}, nil, 0.1); err != nil {
				return err
			}
		}
	}
	return nil
}

// distinct returns k different names from gen (fewer only if gen keeps repeating itself).
func distinct(r *rand.Rand, k int, gen func() string) []string {
	var out []string
	for tries := 0; len(out) < k && tries < 10*k; tries++ {
		if n := gen(); !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

func dedupe(xs []string) []string {
	var out []string
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// Departments of each tier, in the order of the 机构序列. The first eight are always there.
var (
	countyDepts = []string{"委办公室", "人大常委会机关", "政府办公室", "政协机关", "纪委监委机关", "委组织部", "教育局", "公安局",
		"委宣传部", "委统战部", "委政法委员会", "发展和改革局", "科学技术和工业信息化局", "民政局", "司法局", "财政局",
		"人力资源和社会保障局", "自然资源局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局", "商务局",
		"文化旅游广电体育局", "卫生健康局", "退役军人事务局", "应急管理局", "审计局", "市场监督管理局", "统计局",
		"医疗保障局", "城市管理和综合执法局", "信访局", "林业局", "行政审批服务局", "人民法院", "人民检察院", "总工会", "妇女联合会"}
	cityDepts = []string{"委办公室", "人大常委会机关", "政府办公室", "政协机关", "纪委监委机关", "委组织部", "教育局", "公安局",
		"委宣传部", "委统战部", "委政法委员会", "委机构编制委员会办公室", "发展和改革委员会", "科学技术局", "工业和信息化局",
		"民政局", "司法局", "财政局", "人力资源和社会保障局", "自然资源和规划局", "生态环境局", "住房和城乡建设局", "交通运输局",
		"水利局", "农业农村局", "商务局", "文化旅游广电体育局", "卫生健康委员会", "退役军人事务局", "应急管理局", "审计局",
		"人民政府国有资产监督管理委员会", "市场监督管理局", "统计局", "医疗保障局", "城市管理综合执法局", "信访局", "林业局",
		"中级人民法院", "人民检察院", "总工会", "妇女联合会", "科学技术协会", "机关事务管理局"}
	provinceDepts = []string{"委办公厅", "人大常委会机关", "政府办公厅", "政协机关", "纪委监委机关", "委组织部", "教育厅", "公安厅",
		"委宣传部", "委统战部", "委政法委员会", "委机构编制委员会办公室", "发展和改革委员会", "科学技术厅", "工业和信息化厅",
		"民政厅", "司法厅", "财政厅", "人力资源和社会保障厅", "自然资源厅", "生态环境厅", "住房和城乡建设厅", "交通运输厅",
		"水利厅", "农业农村厅", "商务厅", "文化和旅游厅", "卫生健康委员会", "退役军人事务厅", "应急管理厅", "审计厅",
		"人民政府国有资产监督管理委员会", "市场监督管理局", "统计局", "医疗保障局", "地方金融管理局", "高级人民法院",
		"人民检察院", "总工会", "妇女联合会", "科学技术协会", "机关事务管理局"}
	// municipalities: the 市委 of 北京 etc. is a provincial committee with 委员会-style departments.
	municipalDepts = []string{"委办公厅", "人大常委会机关", "政府办公厅", "政协机关", "纪委监委机关", "委组织部", "教育委员会",
		"公安局", "委宣传部", "委统战部", "委政法委员会", "发展和改革委员会", "科学技术委员会", "经济和信息化局", "民政局",
		"司法局", "财政局", "人力资源和社会保障局", "规划和自然资源局", "生态环境局", "住房和城乡建设委员会", "交通委员会",
		"水务局", "农业农村局", "商务局", "文化和旅游局", "卫生健康委员会", "退役军人事务局", "应急管理局", "审计局",
		"人民政府国有资产监督管理委员会", "市场监督管理局", "统计局", "医疗保障局", "高级人民法院", "人民检察院", "总工会", "妇女联合会"}
)

// institutions adds a tier's own organisations under its root, after the territorial children.
func (g *gen) institutions(root *node, t *tier) error {
	if t.used == nil {
		t.used = map[string]bool{}
	}
	r := g.rng(root.code + "/units")
	if err := g.organs(root, t, r); err != nil {
		return err
	}
	if err := g.publicInstitutions(root, t, r); err != nil {
		return err
	}
	if err := g.stateEnterprises(root, t, r); err != nil {
		return err
	}
	if err := g.privateSector(root, t, r); err != nil {
		return err
	}
	if err := g.socialSector(root, t, r); err != nil {
		return err
	}
	return g.temporary(root, t, r)
}

// organs adds the 机关工委 and its 机关党组织 (the 教育局 with its schools, the 公安局 with its
// 派出所).
func (g *gen) organs(root *node, t *tier, r *rand.Rand) error {
	depts, lo, hi := countyDepts, 10, 20
	switch {
	case t.level == division.City:
		depts, lo, hi = cityDepts, 22, 32
	case t.level == division.Province && t.municipality:
		depts, lo, hi = municipalDepts, 26, 36
	case t.level == division.Province:
		depts, lo, hi = provinceDepts, 28, 38
	}
	n := lo + r.IntN(hi-lo+1)
	chosen := slices.Clone(depts[:8])
	rest := slices.Clone(depts[8:])
	r.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
	rest = rest[:min(len(rest), n-8)]
	for _, d := range depts[8:] { // back in the canonical order
		if slices.Contains(rest, d) {
			chosen = append(chosen, d)
		}
	}
	if t.level == division.Area && t.lvl == "区" {
		chosen[slices.Index(chosen, "公安局")] = "公安分局"
	}

	wc, err := g.unit(root, t.pl, spec{typ: org.TypeWorkingCommittee, unit: org.UnitOrgan, seal: t.seal + "直属机关",
		short: t.lvl + "直机关", shortAs: t.lvl + "直机关工委", estFrom: 1980, estTo: 2000}, nil, 0)
	if err != nil {
		return err
	}
	for _, d := range chosen {
		unitName := t.seal + d
		if strings.HasPrefix(d, "委") {
			unitName = "中共" + unitName
		}
		sp := spec{typ: org.TypeBranch, unit: org.UnitOrgan, seal: t.seal + d, short: t.lvl + d,
			units: []string{unitName}, estFrom: 1980, estTo: 2018}
		switch {
		case strings.HasPrefix(d, "教育") && t.level != division.Province:
			if err := g.education(wc, t, sp, r); err != nil {
				return err
			}
		case strings.HasPrefix(d, "公安"):
			if err := g.police(wc, t, sp, r); err != nil {
				return err
			}
		case strings.Contains(d, "法院") || strings.Contains(d, "检察院") || (t.level != division.Area && r.IntN(3) == 0) || r.IntN(6) == 0:
			sp.typ = org.TypeGeneralBranch
			labels := some(2+r.IntN(3), "", "离退休干部")
			if t.level == division.Province && r.IntN(2) == 0 {
				sp.typ = org.TypeCommittee
				if !strings.HasSuffix(d, "机关") {
					sp.label = "机关"
				}
				labels = some(4+r.IntN(4), "", "离退休干部")
			}
			if _, err := g.unit(wc, t.pl, sp, labels, 0.15); err != nil {
				return err
			}
		default:
			if _, err := g.unit(wc, t.pl, sp, nil, 0.25); err != nil {
				return err
			}
		}
	}
	return nil
}

// education adds the 教育局党委 with the 机关党支部 and the schools of the tier.
func (g *gen) education(parent *node, t *tier, sp spec, r *rand.Rand) error {
	sp.typ = org.TypeCommittee
	edu, err := g.unit(parent, t.pl, sp, []string{"机关"}, 0.3)
	if err != nil {
		return err
	}
	cityPrefix := strings.TrimSuffix(t.seal, t.name) // 常德市 for 常德市武陵区
	var schools []string
	for i, k := 1, 2+r.IntN(3); i <= k; i++ {
		schools = append(schools, t.name+ordinal(i)+"中学")
	}
	schools = append(schools, subset(r, []string{t.name + "实验中学", t.name + "实验小学", t.name + "职业中等专业学校",
		t.name + "特殊教育学校", t.name + "机关幼儿园"}, 0.7)...)
	if t.level == division.City {
		for i, k := 1, 3+r.IntN(4); i <= k; i++ {
			schools = append(schools, t.name+ordinal(i)+"小学")
		}
	}
	for _, s := range t.streets {
		tb := townBase(s.Name)
		switch {
		case division.IsSubdistrict(s.Name):
			if r.IntN(10) < 7 {
				schools = append(schools, t.name+tb+"小学")
			}
			if r.IntN(10) < 2 {
				schools = append(schools, t.name+tb+"中学")
			}
		case division.IsTownship(s.Name):
			if r.IntN(10) < 9 {
				schools = append(schools, t.name+s.Name+"中心学校")
			}
			if r.IntN(10) < 3 {
				schools = append(schools, t.name+s.Name+"中学")
			}
		}
	}
	for i, s := range dedupe(schools) {
		ssp := spec{typ: org.TypeBranch, unit: org.UnitSchool, seal: cityPrefix + s, short: s,
			units: []string{cityPrefix + s}, estFrom: 1955, estTo: 2015}
		var labels []string
		switch {
		case i == 0 || (strings.HasSuffix(s, "中学") && r.IntN(10) < 4):
			ssp.typ = org.TypeGeneralBranch
			labels = some(2+r.IntN(2), "", "离退休教职工")
			if strings.Contains(s, "第一中学") || strings.Contains(s, "实验中学") {
				labels = []string{"初中部", "高中部", "行政后勤", "离退休教职工"}[:2+r.IntN(3)]
			}
		case strings.HasSuffix(s, "职业中等专业学校") && r.IntN(2) == 0:
			ssp.typ = org.TypeGeneralBranch
			labels = some(3, "教工", "学生")
		}
		if _, err := g.unit(edu, t.pl, ssp, labels, 0.15); err != nil {
			return err
		}
	}
	return nil
}

// police adds the 公安局党委 with its 机关 and 派出所/大队 branches.
func (g *gen) police(parent *node, t *tier, sp spec, r *rand.Rand) error {
	sp.typ = org.TypeCommittee
	labels := []string{"机关"}
	switch t.level {
	case division.Area:
		for _, s := range t.streets {
			if r.IntN(10) < 4 {
				labels = append(labels, townBase(s.Name)+"派出所")
			}
		}
		labels = append(labels, subset(r, []string{"交通警察大队", "刑事侦查大队", "治安管理大队", "看守所"}, 0.6)...)
	case division.City:
		labels = append(labels, subset(r, []string{"治安管理支队", "刑事侦查支队", "交通警察支队", "特警支队", "经济犯罪侦查支队",
			"网络安全保卫支队", "出入境管理支队"}, 0.6)...)
	default:
		labels = append(labels, subset(r, []string{"治安管理总队", "刑事侦查总队", "交通管理总队", "特警总队", "经济犯罪侦查总队",
			"网络安全保卫总队", "监所管理总队"}, 0.7)...)
	}
	if len(labels) > 12 {
		labels = labels[:12]
	}
	_, err := g.unit(parent, t.pl, sp, labels, 0.25)
	return err
}

// publicInstitutions adds the hospitals and other 事业单位 of the tier.
func (g *gen) publicInstitutions(root *node, t *tier, r *rand.Rand) error {
	type inst struct {
		name   string
		typ    org.Type
		labels []string
	}
	wards := func() []string {
		all := []string{"内科", "外科", "医技", "护理", "行政后勤", "门诊", "离退休", "妇产儿科"}
		return all[:4+r.IntN(4)]
	}
	var list []inst
	switch t.level {
	case division.Area:
		list = []inst{{"人民医院", org.TypeCommittee, wards()}}
		if r.IntN(10) < 7 {
			list = append(list, inst{"中医医院", org.TypeGeneralBranch, []string{"医疗", "护理", "行政后勤"}[:2+r.IntN(2)]})
		}
		for _, n := range subset(r, []string{"妇幼保健计划生育服务中心", "疾病预防控制中心", "融媒体中心", "图书馆", "城市管理服务中心"}, 0.55) {
			list = append(list, inst{n, org.TypeBranch, nil})
		}
	case division.City:
		list = []inst{{"第一人民医院", org.TypeCommittee, wards()}, {"中心医院", org.TypeCommittee, wards()},
			{"中医医院", org.TypeCommittee, wards()}}
		for _, n := range subset(r, []string{"妇幼保健院", "疾病预防控制中心", "广播电视台", "图书馆", "博物馆", "住房公积金管理中心"}, 0.6) {
			list = append(list, inst{n, org.TypeBranch, nil})
		}
	default:
		list = []inst{{"人民医院", org.TypeCommittee, wards()}, {"肿瘤医院", org.TypeCommittee, wards()}}
		for _, n := range subset(r, []string{"疾病预防控制中心", "图书馆", "博物馆", "农业科学院", "社会科学院"}, 0.6) {
			list = append(list, inst{n, org.TypeGeneralBranch, []string{"第一", "第二", "离退休"}})
		}
	}
	for _, in := range list {
		sp := spec{typ: in.typ, unit: org.UnitInstitution, seal: t.seal + in.name, short: t.lvl + in.name,
			units: []string{t.seal + in.name}, estFrom: 1956, estTo: 2015}
		if _, err := g.unit(root, t.pl, sp, in.labels, 0.2); err != nil {
			return err
		}
	}
	// 高校 of a city or province: 党委 over 院系党总支 over 教工/学生党支部.
	var colleges []string
	switch t.level {
	case division.City:
		colleges = []string{t.cityBase + "职业技术学院"}
	case division.Province:
		colleges = []string{t.province + "职业技术学院", t.province + "交通职业技术学院"}
	}
	for _, c := range colleges {
		code, err := t.pl.next()
		if err != nil {
			return err
		}
		col, err := g.add(root, code, nil, spec{typ: org.TypeCommittee, unit: org.UnitSchool, seal: c, short: c,
			units: []string{c}, estFrom: 1978, estTo: 2005})
		if err != nil {
			return err
		}
		for _, d := range subset(r, []string{"机电工程学院", "信息工程学院", "经济管理学院", "建筑工程学院", "医学院", "艺术学院", "马克思主义学院"}, 0.6) {
			if _, err := g.unit(col, t.pl, spec{typ: org.TypeGeneralBranch, unit: org.UnitSchool, seal: c + d, short: d,
				units: []string{c}, estFrom: 2000, estTo: 2020}, []string{"教工", "学生第一", "学生第二"}[:2+r.IntN(2)], 0.2); err != nil {
				return err
			}
		}
		for _, l := range []string{"机关", "离退休"} {
			if _, err := g.unit(col, t.pl, spec{typ: org.TypeBranch, unit: org.UnitSchool, seal: c, short: c, label: l,
				units: []string{c}, estFrom: 2000, estTo: 2020}, nil, 0.2); err != nil {
				return err
			}
		}
	}
	return nil
}

// stateEnterprises adds the tier's 国有企业: a 城投/城发 group with 子公司党支部 and a few more.
func (g *gen) stateEnterprises(root *node, t *tier, r *rand.Rand) error {
	type soe struct {
		name string
		typ  org.Type
		subs []string
	}
	subs := func() []string {
		return subset(r, []string{"置业有限公司", "建设工程有限公司", "物业管理有限公司", "水务有限公司", "资产经营有限公司",
			"商贸有限公司", "融资担保有限公司"}, 0.5)
	}
	var list []soe
	switch t.level {
	case division.Area:
		list = []soe{{"城市建设投资集团有限公司", org.TypeCommittee, subs()}}
		for _, n := range subset(r, []string{"国有资产经营有限公司", "农业发展投资有限公司", "公共交通有限公司"}, 0.4) {
			list = append(list, soe{n, org.TypeBranch, nil})
		}
	case division.City:
		list = []soe{{"城市发展集团有限公司", org.TypeCommittee, subs()}, {"交通投资集团有限公司", org.TypeCommittee, subs()}}
		for _, n := range subset(r, []string{"水务集团有限公司", "公共交通集团有限公司", "国有资本投资运营有限公司"}, 0.6) {
			list = append(list, soe{n, org.TypeGeneralBranch, []string{"第一", "第二", "第三"}[:2+r.IntN(2)]})
		}
	default:
		for _, n := range []string{"交通投资集团有限公司", "能源集团有限公司", "文化旅游发展集团有限公司"} {
			list = append(list, soe{n, org.TypeCommittee, subs()})
		}
	}
	for _, s := range list {
		sp := spec{typ: s.typ, unit: org.UnitSOE, seal: t.seal + s.name, short: t.lvl + s.name,
			units: []string{t.seal + s.name}, estFrom: 1995, estTo: 2020}
		code, err := t.pl.next()
		if err != nil {
			return err
		}
		n, err := g.add(root, code, nil, sp)
		if err != nil {
			return err
		}
		if s.typ == org.TypeBranch {
			if err := g.groups(n, t.pl, 0.3); err != nil {
				return err
			}
			continue
		}
		labels := []string{"集团机关"}
		if s.typ == org.TypeGeneralBranch {
			labels = s.subs
		}
		for _, l := range labels {
			if _, err := g.unit(n, t.pl, spec{typ: org.TypeBranch, unit: org.UnitSOE, seal: sp.seal, short: sp.short, label: l,
				units: sp.units, estFrom: 1995, estTo: 2022}, nil, 0.3); err != nil {
				return err
			}
		}
		if s.typ != org.TypeCommittee {
			continue
		}
		sb := soeAbbrev[s.name]
		for _, sub := range s.subs {
			co := t.seal + sb + sub
			if _, err := g.unit(n, t.pl, spec{typ: org.TypeBranch, unit: org.UnitSOE, seal: co, short: t.lvl + sb + sub,
				units: []string{co}, estFrom: 2000, estTo: 2022}, nil, 0.3); err != nil {
				return err
			}
		}
	}
	return nil
}

// soeAbbrev is how a group's subsidiaries are named: 常德市武陵区城投置业有限公司.
var soeAbbrev = map[string]string{"城市建设投资集团有限公司": "城投", "城市发展集团有限公司": "城发",
	"交通投资集团有限公司": "交投", "能源集团有限公司": "能源", "文化旅游发展集团有限公司": "文旅"}

// privateSector adds the 非公有制经济组织综合党委 with the firms' own 党组织 and the 联合党支部 of
// small firms.
func (g *gen) privateSector(root *node, t *tier, r *rand.Rand) error {
	own, joint := 0, 0
	switch t.level {
	case division.Area:
		own = min(4+t.communities/8+t.villages/80+r.IntN(5), 60)
		joint = min(2+t.communities/40+t.villages/200+r.IntN(3), 12)
	case division.City:
		own, joint = 8+r.IntN(8), 2+r.IntN(3)
	default:
		own, joint = 5+r.IntN(4), 0
	}
	p, err := g.unit(root, t.pl, spec{typ: org.TypeCommittee, unit: org.UnitPrivate, seal: t.seal + "非公有制经济组织综合",
		short: t.lvl + "非公有制经济组织综合", shortAs: t.lvl + "非公企业综合党委", estFrom: 2005, estTo: 2018}, nil, 0)
	if err != nil {
		return err
	}
	for i := 0; i < own; i++ {
		co := company(r, t, "")
		sp := spec{typ: org.TypeBranch, unit: org.UnitPrivate, seal: co, short: co, units: []string{co}, estFrom: 2003, estTo: 2024}
		var labels []string
		switch u := r.IntN(100); {
		case u < 4 || (t.level != division.Area && u < 30):
			sp.typ = org.TypeCommittee
			labels = []string{"生产", "销售", "管理", "研发", "后勤"}[:3+r.IntN(3)]
		case u < 14 || (t.level != division.Area && u < 60):
			sp.typ = org.TypeGeneralBranch
			labels = some(2+r.IntN(2), "")
		}
		if _, err := g.unit(p, t.pl, sp, labels, 0.1); err != nil {
			return err
		}
	}
	for i := 0; i < joint; i++ {
		ind := pick(r, industries)
		k := jointUnits(r)
		if i == 0 && t.level == division.Area {
			k = 6 + r.IntN(2) // one per county over the 一般不超过5个 guidance, for the rule check to show
		}
		var units []string
		for j := 0; j < k; j++ {
			units = append(units, company(r, t, ind))
		}
		label := ind + "行业"
		if r.IntN(3) == 0 {
			label = pick(r, brands) + "商会"
		}
		if _, err := g.unit(p, t.pl, spec{typ: org.TypeJointBranch, unit: org.UnitPrivate, seal: t.seal, short: t.lvl,
			label: label, units: dedupe(units), estFrom: 2008, estTo: 2024}, nil, 0.1); err != nil {
			return err
		}
	}
	return nil
}

// socialSector adds the 社会组织综合党委 with 行业协会 branches and a 律师行业 联合党支部.
func (g *gen) socialSector(root *node, t *tier, r *rand.Rand) error {
	s, err := g.unit(root, t.pl, spec{typ: org.TypeCommittee, unit: org.UnitSocial, seal: t.seal + "社会组织综合",
		short: t.lvl + "社会组织综合", shortAs: t.lvl + "社会组织综合党委", estFrom: 2010, estTo: 2020}, nil, 0)
	if err != nil {
		return err
	}
	assoc := subset(r, []string{"个体劳动者协会", "建筑业协会", "民办教育协会", "慈善总会", "餐饮行业协会", "物业管理协会",
		"社会工作服务中心", "志愿者协会", "老年人体育协会", "企业家协会", "商贸流通协会"}, 0.55)
	for _, a := range assoc {
		if _, err := g.unit(s, t.pl, spec{typ: org.TypeBranch, unit: org.UnitSocial, seal: t.seal + a, short: t.lvl + a,
			units: []string{t.seal + a}, estFrom: 2010, estTo: 2024}, nil, 0.1); err != nil {
			return err
		}
	}
	if r.IntN(10) < 7 {
		firms := distinct(r, jointUnits(r), func() string { return t.province + pick(r, brands) + "律师事务所" })
		if _, err := g.unit(s, t.pl, spec{typ: org.TypeJointBranch, unit: org.UnitSocial, seal: t.seal, short: t.lvl,
			label: "律师行业", units: firms, estFrom: 2010, estTo: 2024}, nil, 0.1); err != nil {
			return err
		}
	}
	return nil
}

// temporary adds a county's 项目临时党支部 (sometimes two; a city's now and then).
func (g *gen) temporary(root *node, t *tier, r *rand.Rand) error {
	k := 0
	switch t.level {
	case division.Area:
		k = 1
		if r.IntN(5) == 0 {
			k = 2
		}
	case division.City:
		k = r.IntN(2)
	}
	for i := 0; i < k; i++ {
		project := t.name + "乡村振兴示范片建设"
		if len(t.streets) > 0 {
			s := pick(r, t.streets)
			project = pick(r, []string{townBase(s.Name) + "片区棚户区改造", townBase(s.Name) + "大道提质改造",
				s.Name + "乡村振兴示范片建设", townBase(s.Name) + "产业园基础设施建设"})
		} else {
			project = t.cityBase + pick(r, []string{"城市轨道交通建设", "体育中心建设", "滨江风光带提质改造"})
		}
		if _, err := g.unit(root, t.pl, spec{typ: org.TypeTemporaryBranch, unit: org.UnitOther, seal: t.seal + project + "项目",
			short: project + "项目", units: []string{t.seal + project + "项目指挥部"},
			estFrom: g.today.Year() - 1, estTo: g.today.Year()}, nil, 0); err != nil {
			return err
		}
	}
	return nil
}
