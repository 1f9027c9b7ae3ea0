package demo

import (
	"strings"

	"github.com/dangjian/dangjian/internal/division"
	"github.com/dangjian/dangjian/internal/org"
)

// The tiers: 省委 → 市委 → 县委 → 街道党工委/乡镇党委 → 村/社区党组织, each tier's own 机关, 学校,
// 事业单位, 国有企业, 非公企业 and 社会组织 after its territorial children.

// pseudoCity reports whether a 地级 entry has no 市委 of its own: the 市辖区/县 of the four
// municipalities and the 省直辖县级行政区划.
func pseudoCity(c division.Division) bool {
	return c.Name == "市辖区" || c.Name == "县" || strings.HasSuffix(c.Name, "直辖县级行政区划")
}

// mergedCity returns the only 县级 division of a city that has no separate county tier (东莞市,
// 中山市, 儋州市, 嘉峪关市: one 县级 entry with the city's own name).
func mergedCity(c division.Division) (division.Division, bool) {
	areas := division.Children(c.Code)
	if len(areas) == 1 && areas[0].Name == c.Name {
		return areas[0], true
	}
	return division.Division{}, false
}

func isMunicipality(p string) bool { return p == "11" || p == "12" || p == "31" || p == "50" }

// provinceRoot emits the 省委 (or the 市委 of a municipality).
func (g *gen) provinceRoot(p division.Division) (*node, *tier, error) {
	pl := newPlace(p.Code)
	code, err := pl.next()
	if err != nil {
		return nil, nil, err
	}
	short := p.Name + "委"
	if strings.HasSuffix(p.Name, "自治区") {
		short = p.Name + "党委"
	}
	root, err := g.add(nil, code, nil, spec{typ: org.TypeCommittee, unit: org.UnitLocal, seal: p.Name,
		short: p.Name, shortAs: short, div: p.Code, estFrom: 1949, estTo: 1956})
	if err != nil {
		return nil, nil, err
	}
	lvl := "省"
	switch {
	case isMunicipality(p.Code):
		lvl = "市"
	case strings.HasSuffix(p.Name, "自治区"):
		lvl = "自治区"
	}
	t := &tier{level: division.Province, lvl: lvl, seal: p.Name, name: p.Name,
		cityBase: provinceShort[p.Code], province: provinceShort[p.Code], pl: pl, municipality: isMunicipality(p.Code)}
	return root, t, nil
}

// province generates the tree of a province.
func (g *gen) province(code string) error {
	p, _ := division.Get(code)
	root, t, err := g.provinceRoot(p)
	if err != nil {
		return err
	}
	if err := g.citiesUnder(root, p.Code); err != nil {
		return err
	}
	return g.institutions(root, t)
}

// citiesUnder generates the cities of province p under root; the counties of pseudo-cities go
// straight under root.
func (g *gen) citiesUnder(root *node, p string) error {
	for _, c := range division.Children(p) {
		if pseudoCity(c) {
			for _, a := range division.Children(c.Code) {
				if err := g.county(a.Code, root); err != nil {
					return err
				}
			}
			continue
		}
		if err := g.city(c.Code, root); err != nil {
			return err
		}
	}
	return nil
}

// city generates the tree of a 地级 division under parent (nil for the root).
func (g *gen) city(code string, parent *node) error {
	c, _ := division.Get(code)
	if pseudoCity(c) {
		// No 市委 of its own: the 省委 (市委 of a municipality) is the root over its counties.
		p, _ := division.Get(c.ParentCode)
		root, t, err := g.provinceRoot(p)
		if err != nil {
			return err
		}
		for _, a := range division.Children(c.Code) {
			if err := g.county(a.Code, root); err != nil {
				return err
			}
		}
		return g.institutions(root, t)
	}
	if a, ok := mergedCity(c); ok {
		return g.county(a.Code, parent)
	}
	p, _ := division.Get(c.ParentCode)
	pl := newPlace(c.Code)
	rootCode, err := pl.next()
	if err != nil {
		return err
	}
	short := c.Name + "委"
	if b, ok := strings.CutSuffix(c.Name, "地区"); ok {
		short = b + "地委"
	}
	root, err := g.add(parent, rootCode, nil, spec{typ: org.TypeCommittee, unit: org.UnitLocal, seal: c.Name,
		short: c.Name, shortAs: short, div: c.Code, estFrom: 1949, estTo: 1985})
	if err != nil {
		return err
	}
	for _, a := range division.Children(c.Code) {
		if err := g.county(a.Code, root); err != nil {
			return err
		}
	}
	t := &tier{level: division.City, lvl: "市", seal: c.Name, name: c.Name, cityBase: cityBase(c.Name),
		province: provinceShort[p.Code], pl: pl}
	return g.institutions(root, t)
}

// realStreets returns the 乡镇/街道 of a 县级 division, without placeholders: the table has
// one 乡级 row "金门县" 350527000 (and one 村级 row under it) standing for the whole county,
// whose codes would clash with the county's own.
func realStreets(area string) []division.Division {
	var out []division.Division
	for _, s := range division.Children(area) {
		if !strings.HasSuffix(s.Code, "000") {
			out = append(out, s)
		}
	}
	return out
}

// county generates the tree of a 县级 division under parent (nil for the root); a county with
// no real 乡镇/街道 (金门县) is left out.
func (g *gen) county(code string, parent *node) error {
	streets := realStreets(code)
	if len(streets) == 0 {
		return nil
	}
	a, _ := division.Get(code)
	c, _ := division.Get(a.ParentCode)
	p, _ := division.Get(c.ParentCode)

	// The seal stem: 常德市武陵区 for a 区, 安乡县 / 津市市 for a 县 or 县级市, 北京市东城区 in a
	// municipality, 石家庄高新技术产业开发区 for a 开发区 named after its city.
	seal := a.Name
	cb := cityBase(c.Name)
	devZone := a.Code[4] == '7' // 71–79: 经济技术开发区, 高新区, 管理区, 新区
	switch {
	case pseudoCity(c) && isMunicipality(p.Code):
		seal = p.Name + a.Name
	case pseudoCity(c) || a.Name == c.Name:
	case strings.HasPrefix(a.Name, cb) || strings.HasPrefix(a.Name, provinceShort[p.Code]):
	case devZone || strings.HasSuffix(a.Name, "区"):
		seal = c.Name + a.Name
	}
	lvl := "区"
	switch {
	case strings.HasSuffix(a.Name, "县"):
		lvl = "县"
	case strings.HasSuffix(a.Name, "市"):
		lvl = "市"
	case strings.HasSuffix(a.Name, "旗"):
		lvl = "旗"
	}
	typ := org.TypeCommittee
	if devZone {
		typ = org.TypeWorkingCommittee
	}
	pl := newPlace(a.Code)
	rootCode, err := pl.next()
	if err != nil {
		return err
	}
	sp := spec{typ: typ, unit: org.UnitLocal, seal: seal, short: a.Name, div: a.Code, estFrom: 1949, estTo: 1995}
	if typ == org.TypeCommittee {
		sp.shortAs = a.Name + "委" // 武陵区委, 安乡县委, 津市市委
	}
	root, err := g.add(parent, rootCode, nil, sp)
	if err != nil {
		return err
	}
	t := &tier{level: division.Area, lvl: lvl, seal: seal, name: a.Name, cityBase: cb, province: provinceShort[p.Code],
		pl: pl, used: map[string]bool{}}
	if pseudoCity(c) || a.Name == c.Name {
		t.cityBase = base(a.Name, "市", "区", "县")
	}
	t.streets = streets
	for _, s := range t.streets {
		if err := g.street(root, t, s); err != nil {
			return err
		}
	}
	return g.institutions(root, t)
}

// street generates a 街道党工委 or 乡镇党委 with its 村/社区 and its own 机关 and 两新 branches.
func (g *gen) street(parent *node, t *tier, s division.Division) error {
	name := strings.TrimSuffix(s.Name, "办事处")
	if !strings.HasSuffix(name, "街道") && strings.HasSuffix(s.Name, "街道办事处") {
		name = s.Name
	}
	sp := spec{seal: t.seal + name, short: name, div: s.Code, estFrom: 1950, estTo: 2015}
	switch {
	case division.IsSubdistrict(s.Name):
		sp.typ, sp.unit, sp.units = org.TypeWorkingCommittee, org.UnitStreet, []string{name + "办事处"}
		if strings.HasSuffix(name, "办事处") {
			sp.units = []string{name}
		}
	case division.IsTownship(s.Name):
		sp.typ, sp.unit, sp.units = org.TypeCommittee, org.UnitTownship, []string{name + "人民政府"}
	case strings.Contains(s.Name, "场") && !strings.Contains(s.Name, "开发区"): // 农场, 林场, 良种场
		sp.typ, sp.unit, sp.units = org.TypeCommittee, org.UnitOther, []string{name}
	default: // 开发区, 园区, 管理区 …
		sp.typ, sp.unit, sp.units = org.TypeWorkingCommittee, org.UnitOther, []string{name + "管理委员会"}
		if strings.HasSuffix(name, "管委会") || strings.HasSuffix(name, "委员会") {
			sp.units = []string{name}
		}
	}
	pl := newPlace(s.Code)
	code, err := pl.next()
	if err != nil {
		return err
	}
	st, err := g.add(parent, code, nil, sp)
	if err != nil {
		return err
	}
	vs := g.villagesOf(s.Code)
	for _, v := range vs {
		if strings.HasSuffix(v.Code, "000") { // a placeholder; see realStreets
			continue
		}
		if division.IsCommunity(v.Name) {
			t.communities++
		} else {
			t.villages++
		}
		if err := g.village(st, sp.seal, v); err != nil {
			return err
		}
	}
	return g.streetUnits(st, t, sp, pl)
}

// village generates the party organisation of one 村/社区 and its 党支部 and 党小组.
func (g *gen) village(parent *node, streetSeal string, v division.Division) error {
	pl := newPlace(v.Code)
	code, err := pl.next()
	if err != nil {
		return err
	}
	r := g.rng(code)
	name := division.PlaceName(v.Name)
	community := division.IsCommunity(v.Name)
	unit := org.UnitVillage
	if community {
		unit = org.UnitCommunity
	}
	typ := org.TypeBranch
	u := r.IntN(100)
	switch {
	case community && u < 15, !community && u < 4:
		typ = org.TypeCommittee
	case community && u < 45, !community && u < 20:
		typ = org.TypeGeneralBranch
	}
	sp := spec{typ: typ, unit: unit, seal: streetSeal + name, short: name, div: v.Code, units: []string{v.Name},
		estFrom: 1950, estTo: 2012}
	if community {
		sp.estFrom, sp.estTo = 1985, 2020
	}
	vo, err := g.add(parent, code, r, sp)
	if err != nil {
		return err
	}
	if typ == org.TypeBranch {
		p := 0.7
		if community {
			p = 0.12
		}
		return g.groups(vo, pl, p)
	}

	// 3–6 党支部 under a 党委 or 党总支.
	k := 3 + r.IntN(4)
	var labels []string
	if community {
		var special []string
		if r.IntN(2) == 0 {
			special = append(special, "离退休")
		}
		if r.IntN(10) == 0 {
			special = append(special, "流动党员")
		}
		if r.IntN(10) < 3 {
			special = append(special, estate(r)+"小区")
		}
		grid := r.IntN(10) < 4
		for i := 1; i <= k-len(special) || i == 1; i++ {
			if grid {
				labels = append(labels, ordinal(i)+"网格")
			} else {
				labels = append(labels, ordinal(i))
			}
		}
		labels = append(labels, special...)
	} else {
		var special []string
		if r.IntN(4) == 0 {
			special = append(special, "流动党员")
		}
		if r.IntN(5) == 0 {
			special = append(special, pick(r, coopProducts)+"专业合作社")
		}
		if r.IntN(5) == 0 {
			special = append(special, "老年党员")
		}
		area := r.IntN(10) < 4
		for i := 1; i <= k-len(special) || i == 1; i++ {
			if area {
				labels = append(labels, ordinal(i)+"片区")
			} else {
				labels = append(labels, ordinal(i))
			}
		}
		labels = append(labels, special...)
	}
	p := 0.2
	if community {
		p = 0.03
	}
	for _, l := range labels {
		bc, err := pl.next()
		if err != nil {
			return err
		}
		b, err := g.add(vo, bc, nil, spec{typ: org.TypeBranch, unit: unit, seal: sp.seal, short: name, label: l,
			div: v.Code, units: []string{v.Name}, estFrom: 2000, estTo: 2024})
		if err != nil {
			return err
		}
		if err := g.groups(b, pl, p); err != nil {
			return err
		}
	}
	return nil
}
