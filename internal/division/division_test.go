package division

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestGetAtEachLevel(t *testing.T) {
	for _, c := range []struct {
		code, name, parent string
		level              Level
	}{
		{"43", "湖南省", "", Province},
		{"4307", "常德市", "43", City},
		{"1101", "市辖区", "11", City},
		{"430702", "武陵区", "4307", Area},
		{"430702001", "启明街道", "430702", Street},
		{"430702100", "河洑镇", "430702", Street},
		{"430702001004", "马家吉社区", "430702001", Village},
		{"110101001001", "多福巷社区居委会", "110101001", Village},
	} {
		d, ok := Get(c.code)
		if !ok || d.Code != c.code || d.Name != c.name || d.ParentCode != c.parent || d.Level != c.level {
			t.Errorf("Get(%q) = %+v, %v; want %s %s under %q", c.code, d, ok, c.level, c.name, c.parent)
		}
	}
}

func TestUnknownCodes(t *testing.T) {
	for _, code := range []string{"", "99", "4399", "430799", "430702999", "430702001999", "4307020019999",
		"abc", "43070a", "4307020010O4", "430702000000"} {
		if d, ok := Get(code); ok {
			t.Errorf("Get(%q) found %+v", code, d)
		}
		if c := Children(code); code != "" && len(c) != 0 {
			t.Errorf("Children(%q) = %v", code, c)
		}
	}
	if HasChildren("99") || HasChildren("430702999") || HasChildren("430702001004") {
		t.Error("HasChildren is true for an unknown code or a 村/社区")
	}
}

func TestChildren(t *testing.T) {
	provinces := Children("")
	if len(provinces) != 31 || provinces[0].Code != "11" || provinces[0].Name != "北京市" || provinces[30].Code != "65" {
		t.Fatalf("Children(\"\") = %d provinces: %v", len(provinces), provinces)
	}
	cities := Children("43")
	if len(cities) != 14 || !slices.ContainsFunc(cities, func(d Division) bool { return d.Code == "4307" && d.Name == "常德市" }) {
		t.Errorf("cities of 湖南 = %v", cities)
	}
	areas := Children("4307")
	if len(areas) != 10 || areas[0].Name != "武陵区" || areas[len(areas)-1].Name != "津市市" {
		t.Errorf("areas of 常德市 = %v", areas)
	}
	streets := Children("430702")
	if len(streets) != 19 || streets[0].Code != "430702001" || streets[0].Name != "启明街道" {
		t.Fatalf("streets of 武陵区 = %v", streets)
	}
	for _, s := range []string{"府坪街道", "德山街道", "河洑镇", "芦荻山乡", "丹洲乡"} {
		if !slices.ContainsFunc(streets, func(d Division) bool { return d.Name == s }) {
			t.Errorf("武陵区 has no %s", s)
		}
	}
	vs := Children("430702001")
	if len(vs) != 9 || vs[0].Code != "430702001004" || vs[0].Name != "马家吉社区" || vs[8].Name != "和平社区" {
		t.Fatalf("村/社区 of 启明街道 = %v", vs)
	}
	for _, level := range [][]Division{provinces, cities, areas, streets, vs} {
		if !slices.IsSortedFunc(level, func(a, b Division) int { return strings.Compare(a.Code, b.Code) }) {
			t.Errorf("not sorted by code: %v", level)
		}
	}
	for _, v := range vs {
		if v.Level != Village || v.ParentCode != "430702001" {
			t.Errorf("村/社区 %+v", v)
		}
		if g, ok := Get(v.Code); !ok || g != v {
			t.Errorf("Get(%s) = %+v, %v", v.Code, g, ok)
		}
	}
	if !HasChildren("") || !HasChildren("43") || !HasChildren("4307") || !HasChildren("430702") || !HasChildren("430702001") {
		t.Error("HasChildren is false for a division with children")
	}
	// The slice is the caller's.
	provinces[0].Name = "changed"
	if Children("")[0].Name != "北京市" {
		t.Error("Children returns shared memory")
	}
}

func TestPath(t *testing.T) {
	var names []string
	for _, d := range Path("430702001004") {
		names = append(names, d.Name)
	}
	if got := strings.Join(names, "/"); got != "湖南省/常德市/武陵区/启明街道/马家吉社区" {
		t.Errorf("Path = %s", got)
	}
	if Path("430799") != nil {
		t.Error("Path of an unknown code")
	}
}

// The tables hang together: counts as the README gives them, every child under a parent
// that exists, and every 乡镇/街道 with 村/社区 (HasChildren relies on the data, not on this).
func TestWholeTables(t *testing.T) {
	want := map[Level]int{Province: 31, City: 342, Area: 2978, Street: 41352, Village: 620573}
	for l := Province; l <= Village; l++ {
		n := 0
		err := Walk(l, "", func(d Division) error {
			n++
			if d.Level != l || LevelOf(d.Code) != l {
				t.Fatalf("%+v at level %s", d, l)
			}
			if l > Province && l < Village {
				if _, ok := Get(d.ParentCode); !ok {
					t.Fatalf("%+v: parent missing", d)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n != want[l] {
			t.Errorf("%d divisions at level %s, want %d", n, l, want[l])
		}
	}
	streetsWithVillages := map[string]bool{}
	communities := 0
	if err := Walk(Village, "", func(d Division) error {
		streetsWithVillages[d.ParentCode] = true
		if IsCommunity(d.Name) {
			communities++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := Walk(Street, "", func(d Division) error {
		if !streetsWithVillages[d.Code] {
			t.Errorf("乡镇/街道 %s %s has no 村/社区", d.Code, d.Name)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// By name about a fifth are 社区 (the README's 111,430 comes from the 城乡分类, which the
	// files do not carry; names put some 村改居 on the 社区 side).
	if communities < 110000 || communities > 140000 {
		t.Errorf("%d 社区 by name", communities)
	}
	t.Logf("%d of %d 村/社区 are 社区 by name", communities, want[Village])
}

func TestWalkVillagesOfAProvince(t *testing.T) {
	n, streets, last := 0, 0, ""
	err := Walk(Village, "37", func(d Division) error {
		if !strings.HasPrefix(d.Code, "37") || d.Code <= last {
			t.Fatalf("walked %s after %s", d.Code, last)
		}
		if d.ParentCode != last[:min(len(last), 9)] {
			streets++
		}
		last = d.Code
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 62074 || streets != 1853 {
		t.Errorf("山东: %d 村/社区 in %d 乡镇/街道", n, streets)
	}
	stop := errors.New("stop")
	n = 0
	err = Walk(Village, "430702", func(d Division) error {
		if n++; n == 3 {
			return stop
		}
		return nil
	})
	if err != stop || n != 3 {
		t.Errorf("stopping a walk: %v after %d", err, n)
	}
	if err := Walk(Village, "4307020019999", func(Division) error { t.Fatal("called"); return nil }); err != nil {
		t.Error(err)
	}
	if err := Walk(Level(9), "", func(Division) error { return nil }); err == nil {
		t.Error("Walk accepted level 9")
	}
}

func TestScanUsesAShardAlreadyRead(t *testing.T) {
	Get("430702001004") // reads 湖南
	var streamed, fromShard []Division
	vr := newVillageReader("4307")
	for vr.next() {
		code := string(vr.code)
		streamed = append(streamed, Division{Code: code, Name: string(vr.name), Level: Village, ParentCode: code[:9]})
	}
	s := Scan(Village, "4307")
	if s.sh == nil {
		t.Fatal("Scan streams although 湖南 was read")
	}
	for s.Next() {
		fromShard = append(fromShard, s.Division())
	}
	if len(streamed) < 1000 || !slices.Equal(streamed, fromShard) {
		t.Errorf("stream %d rows, shard %d rows", len(streamed), len(fromShard))
	}
}

func TestNames(t *testing.T) {
	for _, c := range []struct {
		name, place string
		community   bool
	}{
		{"多福巷社区居委会", "多福巷社区", true},
		{"马家吉社区", "马家吉社区", true},
		{"申河社区居民管理委员会", "申河社区", true},
		{"奥林匹克花园第二社区居民委员会", "奥林匹克花园第二社区", true},
		{"马家榨居委会（社区）", "马家榨社区", true},
		{"山海关林场生活区", "山海关林场生活区", true},
		{"新民村委会", "新民村", false},
		{"杨岗村村民委员会（新乡市古龙实业公司））", "杨岗村", false},
		{"东沟社区村民委员会", "东沟社区", false},
		{"碧溪村民委员会（农村社区）", "碧溪村", false},
		{"新河村委会（孟家滩）", "新河村", false},
		{"团结嘎查委员会", "团结嘎查", false},
		{"河洑村", "河洑村", false},
	} {
		if got := IsCommunity(c.name); got != c.community {
			t.Errorf("IsCommunity(%q) = %v", c.name, got)
		}
		if got := PlaceName(c.name); got != c.place {
			t.Errorf("PlaceName(%q) = %q, want %q", c.name, got, c.place)
		}
	}
	for _, n := range []string{"启明街道", "东华门街道", "将台地区", "城关街道办事处"} {
		if !IsSubdistrict(n) || IsTownship(n) {
			t.Errorf("%s is a 街道", n)
		}
	}
	for _, n := range []string{"河洑镇", "芦荻山乡", "鄂温克民族乡", "巴彦苏木"} {
		if IsSubdistrict(n) || !IsTownship(n) {
			t.Errorf("%s is a 乡镇", n)
		}
	}
	if IsSubdistrict("常德经济技术开发区") || IsTownship("西湖农场") {
		t.Error("开发区/农场 are neither")
	}
}

func BenchmarkGetVillage(b *testing.B) {
	Get("370102001002")
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := Get("371725108215"); !ok {
			b.Fatal("not found")
		}
	}
}

func BenchmarkWalkVillagesOfShandong(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		if err := Walk(Village, "37", func(Division) error { n++; return nil }); err != nil || n != 62074 {
			b.Fatal(n, err)
		}
	}
}
