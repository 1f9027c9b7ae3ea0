package demo

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/division"
	"github.com/dangjian/dangjian/internal/member"
)

type branchMembers struct {
	o       Org
	members []member.Input
}

// collectMembers generates the tree of opt with the members of every 支部.
func collectMembers(t testing.TB, opt Options) []branchMembers {
	t.Helper()
	var out []branchMembers
	err := Generate(opt, func(o Org) error {
		b := branchMembers{o: o}
		err := MembersOf(opt, o, func(m member.Input) error { b.members = append(b.members, m); return nil })
		out = append(out, b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// idChecksumOK checks the GB 11643 check character by ISO 7064 MOD 11-2 from first principles:
// the weight of the digit n places from the right is 2^n mod 11, and the check character makes
// the weighted sum ≡ 1 (mod 11), 10 written X.
func idChecksumOK(id string) bool {
	if len(id) != 18 {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		if id[i] < '0' || id[i] > '9' {
			return false
		}
		sum += int(id[i]-'0') * ((1 << (17 - i)) % 11)
	}
	c := (12 - sum%11) % 11
	want := byte('0' + c)
	if c == 10 {
		want = 'X'
	}
	return id[17] == want
}

func TestIDNumberComposesValidNumbers(t *testing.T) {
	// The examples of GB 11643-1999 and of its commentary.
	if got := IDNumber("110105", civil.New(1949, 12, 31), 2); got != "11010519491231002X" {
		t.Errorf("IDNumber = %s, want 11010519491231002X", got)
	}
	if got := IDNumber("440524", civil.New(1880, 1, 1), 1); got != "440524188001010014" {
		t.Errorf("IDNumber = %s, want 440524188001010014", got)
	}
	for _, id := range []string{"11010519491231002X", "440524188001010014"} {
		if !idChecksumOK(id) {
			t.Errorf("the test's own checksum rejects %s", id)
		}
	}
	if idChecksumOK("110105194912310021") {
		t.Error("the test's own checksum accepts a wrong check character")
	}
}

// The uniqueness of the numbers rests on permute being one to one on [0, idCapacity).
func TestPermuteIsOneToOne(t *testing.T) {
	for _, key := range []uint64{idKey(1, "430702"), idKey(2, "430702"), idKey(1, "650102")} {
		seen := make([]bool, idCapacity)
		for k := range idCapacity {
			v := permute(key, k)
			if v < 0 || v >= idCapacity || seen[v] {
				t.Fatalf("key %x: permute(%d) = %d, out of range or seen before", key, k, v)
			}
			seen[v] = true
		}
	}
	if permute(idKey(1, "430702"), 0) == permute(idKey(2, "430702"), 0) && permute(idKey(1, "430702"), 1) == permute(idKey(2, "430702"), 1) {
		t.Error("the seed does not change the permutation")
	}
}

var mobileRE = regexp.MustCompile(`^1[3-9]\d{9}$`)

func age(birth, on civil.Date) int {
	b, t := birth.Time(), on.Time()
	a := t.Year() - b.Year()
	if t.Month() < b.Month() || t.Month() == b.Month() && t.Day() < b.Day() {
		a--
	}
	return a
}

func TestWulingMembersAreValidAndPlausible(t *testing.T) {
	today := civil.Of(day)
	all := collectMembers(t, Options{Area: "430702", Seed: 1, Today: day})
	noProbFrom, noProbTo := civil.New(1969, 4, 1), civil.New(1977, 8, 11)

	var total, women, prob, young, minorities, college, lost, mobile, noProbation, extended int
	var branches, big, small, leaderless int
	ids := map[string]string{}
	for _, b := range all {
		o := b.o
		if !o.Type.IsBranchLike() {
			if len(b.members) != 0 || o.Members != 0 {
				t.Fatalf("%s (%s) has %d members of its own; members belong to 支部", o.Name, o.Type.Name(), len(b.members))
			}
			continue
		}
		branches++
		if o.Members < 2 || len(b.members) != o.Members {
			t.Fatalf("%s: Members %d, generated %d", o.Name, o.Members, len(b.members))
		}
		if o.Members > 50 {
			big++
		}
		if o.Members-o.Probationary < 3 {
			small++
		}
		var leaders []Leader
		if o.Term != nil {
			leaders = o.Term.Leaders
		}
		probHere := 0
		for i, m := range b.members {
			total++
			where := fmt.Sprintf("%s member %d %+v", o.Name, i, m)
			// 公民身份号码: valid, consistent, of the place, unique.
			if !idChecksumOK(m.IDNumber) {
				t.Fatalf("%s: bad check character", where)
			}
			if m.IDNumber[:6] != "430702" {
				t.Fatalf("%s: area code %s, not 武陵区", where, m.IDNumber[:6])
			}
			if m.IDNumber[6:14] != m.BirthDate.Time().Format("20060102") {
				t.Fatalf("%s: birth date in the number differs", where)
			}
			if odd := (m.IDNumber[16]-'0')%2 == 1; odd != (m.Gender == "1") || m.Gender != "1" && m.Gender != "2" {
				t.Fatalf("%s: 17th digit does not match gender %q", where, m.Gender)
			}
			if prev, dup := ids[m.IDNumber]; dup {
				t.Fatalf("%s: number already given to %s", where, prev)
			}
			ids[m.IDNumber] = where
			// Dates.
			for _, d := range []civil.Date{m.BirthDate, m.JoinedOn, m.FullOn, m.LostOn, m.WorkStartedOn} {
				if d.After(today) {
					t.Fatalf("%s: date %s in the future", where, d)
				}
			}
			if a := age(m.BirthDate, m.JoinedOn); a < 18 {
				t.Fatalf("%s: joined at %d", where, a)
			}
			switch j := m.JoinedOn; {
			case m.FullOn.IsZero():
				prob++
				probHere++
				if !j.After(today.AddDate(-1, 0, 0)) {
					t.Fatalf("%s: 预备党员 who joined more than a year ago", where)
				}
			case !j.Before(noProbFrom) && !j.After(noProbTo):
				if m.FullOn != j {
					t.Fatalf("%s: joined in 1969–1977 (no 预备期) but full on %s", where, m.FullOn)
				}
				noProbation++
			case m.FullOn == j.AddDate(1, 0, 0):
			case m.FullOn == j.AddDate(0, 18, 0) || m.FullOn == today && m.FullOn.Before(j.AddDate(0, 18, 0)) && !m.FullOn.Before(j.AddDate(1, 0, 0)):
				extended++
			default:
				t.Fatalf("%s: full on %s, joined %s", where, m.FullOn, j)
			}
			if m.LostContact && (m.LostOn.IsZero() || m.LostOn.Before(m.JoinedOn) || m.LostSituation < "1" || m.LostSituation > "7") {
				t.Fatalf("%s: 失联 without a proper date and situation", where)
			}
			// The registry takes it as it is: no error, no warning.
			in := m
			if err := member.Check(&in, today).Err(); err != nil {
				t.Fatalf("%s: the registry rejects it: %v", where, err)
			}
			if w := member.Warnings(&m, today); len(w) > 0 {
				t.Fatalf("%s: the registry warns: %+v", where, w)
			}
			for kind, code := range map[string]string{member.KindGender: m.Gender, member.KindEthnicity: m.Ethnicity,
				member.KindEducation: m.Education, member.KindJob: m.Job} {
				if !member.DefaultCodes.Valid(kind, code) {
					t.Fatalf("%s: %s code %q", where, kind, code)
				}
			}
			if !mobileRE.MatchString(m.Phone) || !strings.HasPrefix(m.Address, "湖南省常德市武陵区") || m.NativePlace == "" {
				t.Fatalf("%s: phone, address or 籍贯", where)
			}
			if len(o.DivisionCode) == 12 && !strings.Contains(m.Address, division.PlaceName(o.Units[0])) {
				t.Fatalf("%s: lives outside its 村/社区 %s", where, o.Units[0])
			}
			// The 班子 are the first members, with their 党内职务.
			if i < len(leaders) {
				if m.Name != leaders[i].Name || !strings.Contains(m.PartyPost, leaders[i].Post.Name()) || m.FullOn.IsZero() {
					t.Fatalf("%s: 班子 member %+v", where, leaders[i])
				}
			} else if m.PartyPost != "" {
				t.Fatalf("%s: 党内职务 without a seat in the 班子", where)
			}

			if m.Gender == "2" {
				women++
			}
			if age(m.BirthDate, today) <= 35 {
				young++
			}
			if m.Ethnicity != "01" {
				minorities++
			}
			if member.EducationBucket(m.Education) <= "3" {
				college++
			}
			if m.LostContact {
				lost++
			}
			if m.Mobile {
				mobile++
			}
		}
		if probHere != o.Probationary {
			t.Fatalf("%s: Probationary %d, generated %d", o.Name, o.Probationary, probHere)
		}
		if full := o.Members - o.Probationary; o.Term != nil && full >= 7 && len(leaders) < 3 {
			leaderless++
		} else if o.Term != nil && full < 7 && len(leaders) > 2 {
			t.Errorf("%s: %d 正式党员 with a 支委会 of %d", o.Name, full, len(leaders))
		}
	}
	pc := func(n int) float64 { return 100 * float64(n) / float64(total) }
	t.Logf("武陵区: %d members in %d 支部 (%d over 50, %d under 3 正式党员, %d without 支委会); women %.1f%%, 预备党员 %.1f%%, "+
		"35岁及以下 %.1f%%, minorities %.1f%%, 大专及以上 %.1f%%, 流动 %d, 失联 %d, no 预备期 %d, extended %d",
		total, branches, big, small, leaderless, pc(women), pc(prob), pc(young), pc(minorities), pc(college), mobile, lost, noProbation, extended)
	if total < 12000 || total > 25000 {
		t.Errorf("%d members; the seed speaks of 18,224 in 武陵区", total)
	}
	for _, c := range []struct {
		what    string
		got     float64
		lo, hi  float64
		because string
	}{
		{"women", pc(women), 25, 35, "about 30% nationally"},
		{"预备党员", pc(prob), 2, 6, "3–4% nationally"},
		{"35岁及以下", pc(young), 12, 35, "about 22% nationally"},
		{"minorities", pc(minorities), .5, 8, "常德 has 土家族, 回族, 维吾尔族, 苗族"},
		{"大专及以上", pc(college), 30, 70, "56% nationally, fewer in 村/社区"},
		{"失联", pc(lost), .02, 1, "rare"},
		{"流动", pc(mobile), .5, 5, "a few, mostly from the 村"},
	} {
		if c.got < c.lo || c.got > c.hi {
			t.Errorf("%s %.2f%%, want %.1f–%.1f%% (%s)", c.what, c.got, c.lo, c.hi, c.because)
		}
	}
	if big == 0 || small == 0 || leaderless == 0 || big+small+leaderless > branches/15 {
		t.Errorf("%d branches over 50, %d under 3 正式党员, %d without 支委会 of %d: the checks need a few, not many", big, small, leaderless, branches)
	}
	if noProbation == 0 || extended == 0 {
		t.Errorf("%d members without 预备期 (1969–1977), %d with an extended one: want a few of each", noProbation, extended)
	}
}

func membersDigest(bs []branchMembers) string {
	h := sha256.New()
	for _, b := range bs {
		fmt.Fprintf(h, "%s %d %d\n", b.o.Code, b.o.Members, b.o.Probationary)
		for _, m := range b.members {
			fmt.Fprintf(h, "%+v\n", m)
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func TestMembersSameSeedSameMembers(t *testing.T) {
	a := collectMembers(t, Options{Area: "430702", Seed: 7, Today: day})
	b := collectMembers(t, Options{Area: "430702", Seed: 7, Today: day.Add(20 * time.Hour)})
	c := collectMembers(t, Options{Area: "430702", Seed: 8, Today: day})
	if membersDigest(a) != membersDigest(b) {
		t.Fatal("same seed gave different members")
	}
	if membersDigest(a) == membersDigest(c) {
		t.Fatal("another seed gave the same members")
	}
	sameID, n := 0, 0
	for i := range min(len(a), len(c)) {
		for j := range min(len(a[i].members), len(c[i].members)) {
			n++
			if a[i].members[j].IDNumber == c[i].members[j].IDNumber {
				sameID++
			}
		}
	}
	if sameID > n/100 {
		t.Errorf("%d of %d 公民身份号码 unchanged under another seed", sameID, n)
	}
	// One 支部 alone gives what it gave within the tree.
	for _, x := range a {
		if x.o.Members == 0 || !strings.Contains(x.o.Name, "马家吉社区") {
			continue
		}
		var alone []member.Input
		if err := MembersOf(Options{Area: "430702", Seed: 7, Today: day}, x.o, func(m member.Input) error { alone = append(alone, m); return nil }); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(alone) != fmt.Sprint(x.members) {
			t.Fatalf("%s: MembersOf alone differs", x.o.Name)
		}
	}
}

func TestMembersOfNeedsToday(t *testing.T) {
	var o Org
	err := Generate(Options{Area: "430702", Seed: 1, Today: day}, func(x Org) error {
		if x.Members > 0 {
			o = x
			return errors.New("found")
		}
		return nil
	})
	if err == nil || o.Members == 0 {
		t.Fatal("no 支部 with members")
	}
	if err := MembersOf(Options{Area: "430702", Seed: 1}, o, func(member.Input) error { return nil }); err == nil {
		t.Error("MembersOf without Today worked")
	}
	stop := errors.New("stop")
	n := 0
	if err := MembersOf(Options{Area: "430702", Seed: 1, Today: day}, o, func(member.Input) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Errorf("emit's error: %v after %d", err, n)
	}
}

// A city streams its members; their numbers are unique across it, its own units' members live
// in its 市辖区, and a county's members are the same as when it is generated alone.
func TestCityMembersStream(t *testing.T) {
	opt := Options{City: "4307", Seed: 1, Today: day}
	ids := map[string]bool{}
	h := sha256.New()
	var ms runtime.MemStats
	var peak uint64
	n, cityOwn, committees := 0, 0, 0
	err := GenerateMembers(opt, func(o *Org, m member.Input) error {
		n++
		if ids[m.IDNumber] {
			return fmt.Errorf("%s: %s given twice", o.Name, m.IDNumber)
		}
		ids[m.IDNumber] = true
		if !idChecksumOK(m.IDNumber) || !strings.HasPrefix(m.IDNumber, o.Code[:4]) {
			return fmt.Errorf("%s: %s", o.Name, m.IDNumber)
		}
		if o.Code[4:6] == "00" { // the city's own units
			cityOwn++
			if a := m.IDNumber[:6]; a != "430702" && a != "430703" {
				return fmt.Errorf("%s: a member of the city's own units lives in %s, not a 市辖区", o.Name, a)
			}
		} else if m.IDNumber[:6] != o.Code[:6] {
			return fmt.Errorf("%s: a member lives in %s", o.Name, m.IDNumber[:6])
		}
		if strings.HasPrefix(o.Code, "430702") {
			fmt.Fprintf(h, "%+v\n", m)
		}
		if !o.Type.IsBranchLike() {
			committees++
		}
		if n%20000 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("常德市: %d members, %d of them in the city's own units; peak heap %d MB (with the test's set of numbers)", n, cityOwn, peak>>20)
	if n < 100000 || cityOwn == 0 || committees > 0 {
		t.Errorf("%d members, %d in the city's own units, %d on non-支部", n, cityOwn, committees)
	}
	alone := sha256.New()
	for _, b := range collectMembers(t, Options{Area: "430702", Seed: 1, Today: day}) {
		for _, m := range b.members {
			fmt.Fprintf(alone, "%+v\n", m)
		}
	}
	if fmt.Sprintf("%x", h.Sum(nil)) != fmt.Sprintf("%x", alone.Sum(nil)) {
		t.Error("武陵区's members differ between --area 430702 and --city 4307")
	}
}

// Minorities follow the region: 乌鲁木齐 has many 维吾尔族 and 哈萨克族 members with names of
// their own, 济南 almost none, and the 维吾尔族回族乡 of 桃源县 has its peoples.
func TestMinoritiesByRegion(t *testing.T) {
	share := func(opt Options, codes ...string) (float64, []string) {
		opt.Seed, opt.Today = 1, day
		n, hits := 0, 0
		var names []string
		if err := GenerateMembers(opt, func(o *Org, m member.Input) error {
			n++
			for _, c := range codes {
				if m.Ethnicity == c {
					hits++
					if len(names) < 5 && m.PartyPost == "" {
						names = append(names, m.Name)
					}
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return 100 * float64(hits) / float64(n), names
	}
	if s, names := share(Options{Area: "650102"}, "05", "17"); s < 30 || s > 65 || !strings.Contains(strings.Join(names, ""), "·") {
		t.Errorf("乌鲁木齐天山区: 维吾尔族 and 哈萨克族 %.1f%%, names %v", s, names)
	}
	if s, _ := share(Options{Area: "370102"}, "01"); s < 97 {
		t.Errorf("济南历下区: 汉族 %.1f%%", s)
	}
	if s, _ := share(Options{Area: "540102"}, "04"); s < 60 {
		t.Errorf("拉萨城关区: 藏族 %.1f%%", s)
	}
	var uyghur, hui, there int
	if err := GenerateMembers(Options{Area: "430725", Seed: 1, Today: day}, func(o *Org, m member.Input) error {
		if strings.HasPrefix(o.DivisionCode, "430725202") { // 枫树维吾尔族回族乡
			there++
			switch m.Ethnicity {
			case "05":
				uyghur++
			case "03":
				hui++
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if there == 0 || uyghur*100 < there*10 || hui*100 < there*5 {
		t.Errorf("枫树维吾尔族回族乡: %d members, %d 维吾尔族, %d 回族", there, uyghur, hui)
	}
}

// Members make the 支部's 班子 fit: 7 正式党员 or more elect a 支委会, fewer do not.
func TestCommitteesFitMembers(t *testing.T) {
	fit, without, n := 0, 0, 0
	if err := Generate(Options{City: "4307", Seed: 1, Today: day}, func(o Org) error {
		if !o.Type.IsBranchLike() || o.Term == nil {
			return nil
		}
		n++
		full := o.Members - o.Probationary
		switch l := len(o.Term.Leaders); {
		case full >= 7 && l < 3:
			without++
		case full < 7 && l > 2:
			return fmt.Errorf("%s: %d 正式党员, %d in the 班子", o.Name, full, l)
		default:
			fit++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if without == 0 || without > n/25 {
		t.Errorf("%d of %d 支部 with 7 正式党员 or more have no 支委会: want a few", without, n)
	}
}

// PullMembers hands the members over one at a time, as member.Store.BulkLoad reads them.
func TestPullMembers(t *testing.T) {
	opt := Options{Area: "430702", Seed: 1, Today: day}
	var want []string
	if err := GenerateMembers(opt, func(o *Org, m member.Input) error {
		m.OrgID = int64(len(o.Code))
		want = append(want, fmt.Sprintf("%s %+v", o.Code, m))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var lastCode string
	next, stop := PullMembers(opt, func(code string) int64 { lastCode = code; return int64(len(code)) })
	defer stop()
	for i := 0; ; i++ {
		m, err := next()
		if err != nil {
			t.Fatal(err)
		}
		if m == nil {
			if i != len(want) {
				t.Fatalf("%d members pulled, %d generated", i, len(want))
			}
			break
		}
		if got := fmt.Sprintf("%s %+v", lastCode, *m); i >= len(want) || got != want[i] {
			t.Fatalf("member %d: %s", i, got)
		}
	}
	if m, err := next(); m != nil || err != nil {
		t.Errorf("after the end: %v, %v", m, err)
	}

	// Stopping early ends the generator; an error is passed on.
	next, stop = PullMembers(opt, func(string) int64 { return 1 })
	if m, err := next(); m == nil || err != nil {
		t.Fatalf("first: %v %v", m, err)
	}
	stop()
	if m, err := next(); m != nil || err != nil {
		t.Errorf("after stop: %v, %v", m, err)
	}
	next, stop = PullMembers(Options{Area: "999999", Today: day}, func(string) int64 { return 1 })
	defer stop()
	if m, err := next(); m != nil || err == nil {
		t.Errorf("a bad area: %v, %v", m, err)
	}
}

func BenchmarkMembersWuling(b *testing.B) {
	b.ReportAllocs()
	opt := Options{Area: "430702", Seed: 1, Today: day}
	n := 0
	start := time.Now()
	for b.Loop() {
		if err := GenerateMembers(opt, func(*Org, member.Input) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "members/s")
}
