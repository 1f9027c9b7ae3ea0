package demo

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dangjian/dangjian/internal/division"
	"github.com/dangjian/dangjian/internal/org"
)

var day = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

func collect(t testing.TB, opt Options) []Org {
	t.Helper()
	var out []Org
	if err := Generate(opt, func(o Org) error { out = append(out, o); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func digest(orgs []Org) string {
	h := sha256.New()
	for _, o := range orgs {
		term := o.Term
		o.Term = nil // print the term itself, not its address
		if term != nil {
			fmt.Fprintf(h, "%+v ", *term)
		}
		fmt.Fprintf(h, "%+v\n", o)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// checkTree checks what every generated tree must satisfy and returns the orgs by code.
func checkTree(t *testing.T, orgs []Org) map[string]Org {
	t.Helper()
	byCode := make(map[string]Org, len(orgs))
	for i, o := range orgs {
		if len(o.Code) != 15 || division.LevelOf(o.Code[:12]) != division.Village {
			t.Fatalf("code %q is not 15 digits", o.Code)
		}
		if _, dup := byCode[o.Code]; dup {
			t.Fatalf("duplicate code %s", o.Code)
		}
		if (o.ParentCode == "") != (i == 0) {
			t.Fatalf("%s (%s): only the first organisation is a root, parent %q", o.Name, o.Code, o.ParentCode)
		}
		if o.ParentCode != "" {
			p, ok := byCode[o.ParentCode]
			if !ok {
				t.Fatalf("%s (%s) comes before its parent %s", o.Name, o.Code, o.ParentCode)
			}
			if !org.CanContain(p.Type, o.Type) {
				t.Fatalf("%s (%s) under %s (%s) breaks the nesting rule", o.Name, o.Type.Name(), p.Name, p.Type.Name())
			}
			// 党小组 only under 支部 kinds, 支部 kinds only over 党小组, nothing under 党小组.
			if (o.Type == org.TypeGroup) != p.Type.IsBranchLike() || p.Type == org.TypeGroup {
				t.Fatalf("%s (%s) under %s (%s)", o.Name, o.Type.Name(), p.Name, p.Type.Name())
			}
		}
		byCode[o.Code] = o
		if !o.Type.Valid() || !o.UnitType.Valid() || o.Name == "" || o.ShortName == "" || o.SortOrder < 1 {
			t.Fatalf("incomplete %+v", o)
		}
		if utf8.RuneCountInString(o.Name) > 100 || utf8.RuneCountInString(o.ShortName) > 50 {
			t.Fatalf("name too long: %s / %s", o.Name, o.ShortName)
		}
		if o.Type != org.TypeGroup && !strings.HasPrefix(o.Name, "中共") {
			t.Fatalf("seal name %q", o.Name)
		}
		if o.DivisionCode != "" {
			if _, ok := division.Get(o.DivisionCode); !ok || !strings.HasPrefix(o.Code, o.DivisionCode) {
				t.Fatalf("%s: division %q", o.Code, o.DivisionCode)
			}
		}
		if o.Type == org.TypeJointBranch && len(o.Units) < 2 {
			t.Fatalf("联合党支部 %s covers %v", o.Name, o.Units)
		}
		if o.EstablishedOn.IsZero() || o.EstablishedOn.After(day) {
			t.Fatalf("%s established on %v", o.Name, o.EstablishedOn)
		}
		if tm := o.Term; tm != nil {
			if tm.ElectedOn.Before(o.EstablishedOn) || tm.ElectedOn.After(day) || len(tm.Leaders) == 0 {
				t.Fatalf("%s: term %+v, established %v", o.Name, tm, o.EstablishedOn)
			}
			first := org.PostSecretary
			if o.Type == org.TypeGroup {
				first = org.PostGroupLeader
			}
			seen := map[string]bool{}
			for i, l := range tm.Leaders {
				if !l.Post.Valid() || (i == 0) != (l.Post == first) || seen[l.Name] || utf8.RuneCountInString(l.Name) < 2 {
					t.Fatalf("%s: leaders %+v", o.Name, tm.Leaders)
				}
				seen[l.Name] = true
			}
		}
	}
	return byCode
}

func TestWulingTreeIsRealAndWellFormed(t *testing.T) {
	orgs := collect(t, Options{Area: "430702", Seed: 1, Today: day})
	byCode := checkTree(t, orgs)

	root := orgs[0]
	if root.Code != "430702000000001" || root.Name != "中共常德市武陵区委员会" || root.ShortName != "武陵区委" ||
		root.Type != org.TypeCommittee || root.UnitType != org.UnitLocal || root.DivisionCode != "430702" {
		t.Fatalf("root = %+v", root)
	}
	qm := byCode["430702001000001"]
	if qm.Name != "中共常德市武陵区启明街道工作委员会" || qm.ShortName != "启明街道党工委" || qm.ParentCode != root.Code ||
		qm.Type != org.TypeWorkingCommittee || qm.UnitType != org.UnitStreet || qm.DivisionCode != "430702001" {
		t.Fatalf("启明街道 = %+v", qm)
	}
	if hf := byCode["430702100000001"]; hf.Name != "中共常德市武陵区河洑镇委员会" || hf.Type != org.TypeCommittee || hf.UnitType != org.UnitTownship {
		t.Fatalf("河洑镇 = %+v", hf)
	}
	// Every real 村/社区 of 启明街道 has its party organisation under the 党工委.
	for _, v := range division.Children("430702001") {
		o, ok := byCode[v.Code+"001"]
		if !ok || o.ParentCode != qm.Code || o.DivisionCode != v.Code || o.UnitType != org.UnitCommunity ||
			!strings.HasPrefix(o.Name, "中共常德市武陵区启明街道"+v.Name) {
			t.Errorf("社区 %s %s: %+v", v.Code, v.Name, o)
		}
	}
	if o := byCode["430702001004001"]; !strings.HasPrefix(o.ShortName, "马家吉社区党") {
		t.Errorf("马家吉社区 = %+v", o)
	}

	count := map[org.Type]int{}
	var villages, communities, over5, schools, nilTerms int
	for _, o := range orgs {
		count[o.Type]++
		if strings.HasSuffix(o.Code, "001") && len(o.DivisionCode) == 12 {
			if o.UnitType == org.UnitCommunity {
				communities++
			} else {
				villages++
			}
		}
		if o.Type == org.TypeJointBranch && len(o.Units) > 5 {
			over5++
		}
		if o.UnitType == org.UnitSchool {
			schools++
		}
		if o.Term == nil && o.Type != org.TypeGroup {
			nilTerms++
		}
	}
	if villages+communities != 168 || communities < 120 {
		t.Errorf("%d 村 and %d 社区 organisations; 武陵区 has 168 村/社区", villages, communities)
	}
	for _, typ := range []org.Type{org.TypeCommittee, org.TypeWorkingCommittee, org.TypeGeneralBranch, org.TypeBranch,
		org.TypeJointBranch, org.TypeTemporaryBranch, org.TypeGroup} {
		if count[typ] == 0 {
			t.Errorf("no %s in the tree", typ.Name())
		}
	}
	if over5 == 0 || over5 > 3 || schools < 15 || nilTerms == 0 {
		t.Errorf("%d 联合党支部 over 5 units, %d school organisations, %d without 班子", over5, schools, nilTerms)
	}
	// The seed speaks of 782 基层党组织 in 武陵区 (2010).
	n := len(orgs)
	t.Logf("武陵区: %d organisations (%d 党小组, %d others); %v", n, count[org.TypeGroup], n-count[org.TypeGroup], count)
	if n < 700 || n > 1000 {
		t.Errorf("武陵区 has %d organisations; the seed speaks of 782", n)
	}
}

func TestSameSeedSameTreeOtherSeedOtherNames(t *testing.T) {
	a := collect(t, Options{Area: "430702", Seed: 7, Today: day})
	b := collect(t, Options{Area: "430702", Seed: 7, Today: day.Add(15 * time.Hour)}) // only the date counts
	c := collect(t, Options{Area: "430702", Seed: 8, Today: day})
	if digest(a) != digest(b) {
		t.Fatal("same seed gave different trees")
	}
	if digest(a) == digest(c) {
		t.Fatal("another seed gave the same tree")
	}
	// The real places stay, the people change.
	if a[0].Name != c[0].Name || a[1].Name != c[1].Name || a[0].Term.Leaders[0].Name == c[0].Term.Leaders[0].Name {
		t.Errorf("seed 7: %s %s %s; seed 8: %s %s %s", a[0].Name, a[1].Name, a[0].Term.Leaders[0].Name,
			c[0].Name, c[1].Name, c[0].Term.Leaders[0].Name)
	}
	same := 0
	for i := range min(len(a), len(c)) {
		if a[i].Term != nil && c[i].Term != nil && a[i].Term.Leaders[0].Name == c[i].Term.Leaders[0].Name {
			same++
		}
	}
	if same > len(a)/20 {
		t.Errorf("%d of %d secretaries have the same name under another seed", same, len(a))
	}
}

func TestTermsSpreadSoSomeAreDue(t *testing.T) {
	var overdue, soon, fine, missing int
	for _, o := range collect(t, Options{City: "4307", Seed: 1, Today: day}) {
		if o.Type == org.TypeGroup {
			continue
		}
		if o.Term == nil {
			missing++
			continue
		}
		years := 3
		if o.Type == org.TypeCommittee || o.Type == org.TypeWorkingCommittee || o.UnitType == org.UnitVillage || o.UnitType == org.UnitCommunity {
			years = 5
		}
		switch ends := o.Term.ElectedOn.AddDate(years, 0, 0); {
		case ends.Before(day):
			overdue++
		case ends.Before(day.AddDate(0, 0, 90)):
			soon++
		default:
			fine++
		}
		if day.Sub(o.Term.ElectedOn) > 6*366*24*time.Hour {
			t.Fatalf("%s elected on %v, more than 6 years ago", o.Name, o.Term.ElectedOn)
		}
	}
	all := overdue + soon + fine + missing
	t.Logf("常德市: %d overdue, %d due within 90 days, %d fine, %d without 班子", overdue, soon, fine, missing)
	if overdue < all/50 || overdue > all/8 || soon < all/50 || soon > all/8 || fine < all*3/4 || missing == 0 || missing > all/20 {
		t.Fatalf("overdue %d, soon %d, fine %d, missing %d of %d: the 换届 views need a few of each", overdue, soon, fine, missing, all)
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		opt  Options
		want string
	}{
		{Options{}, "只指定"},
		{Options{Area: "430702", City: "4307"}, "只指定"},
		{Options{Area: "430702", City: "4307", Province: "43"}, "只指定"},
		{Options{Area: "999999"}, `未知的区县代码 "999999"`},
		{Options{Area: "4307"}, "区县代码应为6位数字"},
		{Options{City: "43"}, "地市代码应为4位数字"},
		{Options{City: "4399"}, `未知的地市代码 "4399"`},
		{Options{Province: "99"}, `未知的省份代码 "99"`},
		{Options{Province: "山东"}, "省份代码应为2位数字"},
		{Options{Area: "350527"}, "没有乡镇、街道"}, // 金门县: a placeholder row only
	} {
		err := c.opt.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.opt, err, c.want)
		}
		if err := Generate(c.opt, func(Org) error { t.Fatal("emitted"); return nil }); err == nil {
			t.Errorf("Generate(%+v) worked", c.opt)
		}
	}
	for _, opt := range []Options{{Area: "430702"}, {City: "4307"}, {Province: "37"}, {City: "1101"}} {
		if err := opt.Validate(); err != nil {
			t.Errorf("%+v: %v", opt, err)
		}
	}
	if err := Generate(Options{Area: "430702"}, func(Org) error { return nil }); err == nil || !strings.Contains(err.Error(), "Today") {
		t.Errorf("Generate without Today: %v", err)
	}
}

func TestEmitErrorStops(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	err := Generate(Options{Area: "430702", Seed: 1, Today: day}, func(Org) error {
		if n++; n == 100 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 100 {
		t.Fatalf("%v after %d", err, n)
	}
}

func TestCityTierNestsCounties(t *testing.T) {
	orgs := collect(t, Options{City: "4307", Seed: 1, Today: day})
	byCode := checkTree(t, orgs)
	if orgs[0].Name != "中共常德市委员会" || orgs[0].ShortName != "常德市委" || orgs[0].Code != "430700000000001" {
		t.Fatalf("root = %+v", orgs[0])
	}
	var counties []string
	for _, o := range orgs {
		if o.ParentCode == orgs[0].Code && o.UnitType == org.UnitLocal {
			counties = append(counties, o.Name)
		}
	}
	want := "中共常德市武陵区委员会 中共常德市鼎城区委员会 中共安乡县委员会 中共汉寿县委员会 中共澧县委员会 中共临澧县委员会 " +
		"中共桃源县委员会 中共石门县委员会 中共常德市西洞庭管理区工作委员会 中共津市市委员会"
	if got := strings.Join(counties, " "); got != want {
		t.Errorf("counties of 常德市:\n%s\nwant\n%s", got, want)
	}
	if o := byCode["430700000000002"]; o.ShortName != "市直机关工委" || o.ParentCode != orgs[0].Code {
		t.Errorf("市直机关工委 = %+v", o)
	}
	t.Logf("常德市: %d organisations", len(orgs))

	// A county's tree is the same whether generated alone or within its city.
	alone := collect(t, Options{Area: "430702", Seed: 1, Today: day})
	var within []Org
	for _, o := range orgs {
		if strings.HasPrefix(o.Code, "430702") {
			within = append(within, o)
		}
	}
	within[0].ParentCode, within[0].SortOrder = "", 1
	if digest(alone) != digest(within) {
		t.Error("武陵区 differs between --area 430702 and --city 4307")
	}
}

func TestMunicipalitiesAndCitiesWithoutCounties(t *testing.T) {
	for _, c := range []struct {
		opt        Options
		root, kid  string
		rootCode   string
		kidsPrefix string
	}{
		{Options{City: "1101"}, "中共北京市委员会", "中共北京市东城区委员会", "110000000000001", "1101"},
		{Options{City: "4419"}, "中共东莞市委员会", "中共东莞市东城街道工作委员会", "441900000000001", "4419"},
		{Options{City: "4190"}, "中共河南省委员会", "中共济源市委员会", "410000000000001", "4190"},
		{Options{Area: "110101"}, "中共北京市东城区委员会", "中共北京市东城区东华门街道工作委员会", "110101000000001", "110101"},
	} {
		c.opt.Seed, c.opt.Today = 1, day
		orgs := collect(t, c.opt)
		checkTree(t, orgs)
		if orgs[0].Name != c.root || orgs[0].Code != c.rootCode || orgs[1].Name != c.kid {
			t.Errorf("%+v: %s (%s) over %s", c.opt, orgs[0].Name, orgs[0].Code, orgs[1].Name)
		}
	}
}

// A province streams: the heap stays small however many organisations go by.
func TestProvinceStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 山东 (about 290,000 organisations)")
	}
	var peak uint64
	var ms runtime.MemStats
	n, cities := 0, 0
	prev := ""
	err := Generate(Options{Province: "37", Seed: 1, Today: day}, func(o Org) error {
		if n == 0 && (o.Name != "中共山东省委员会" || o.ShortName != "山东省委") {
			t.Fatalf("root = %+v", o)
		}
		if o.Code <= prev && o.ParentCode == "" {
			t.Fatal("two roots")
		}
		if o.ParentCode == "370000000000001" && o.UnitType == org.UnitLocal {
			cities++
		}
		n++
		if n%20000 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("山东: %d organisations under %d 市委, peak heap in use %d MB", n, cities, peak>>20)
	if n < 250000 || n > 350000 || cities != 16 {
		t.Errorf("山东: %d organisations, %d cities", n, cities)
	}
	if peak > 64<<20 {
		t.Errorf("peak heap %d MB: the generator holds what it should stream", peak>>20)
	}
}

func TestSerialsRunOutLoudly(t *testing.T) {
	pl := newPlace("430702")
	pl.n = 998
	if c, err := pl.next(); c != "430702000000999" || err != nil {
		t.Fatalf("%s %v", c, err)
	}
	if _, err := pl.next(); err == nil || !strings.Contains(err.Error(), "999") {
		t.Fatalf("the 1000th serial: %v", err)
	}
	if p := newPlace("4307"); p.prefix != "430700000000" {
		t.Fatal(p.prefix)
	}
}

func BenchmarkGenerateProvince37(b *testing.B) {
	b.ReportAllocs()
	total := 0
	start := time.Now()
	for b.Loop() {
		n := 0
		if err := Generate(Options{Province: "37", Seed: 1, Today: day}, func(Org) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n), "orgs/op")
		total += n
	}
	b.ReportMetric(float64(total)/time.Since(start).Seconds(), "orgs/s")
}
