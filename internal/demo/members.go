package demo

import (
	"errors"
	"fmt"
	"hash/fnv"
	"iter"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/division"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/org"
)

// Members. Every 支部 (党支部, 联合党支部, 临时党支部) of a generated tree has members; 党委,
// 党总支 and 党小组 have none of their own (a 党小组's members are on its 支部). Generate decides
// how many (Org.Members, Org.Probationary) and makes the 支部's 班子 fit them; MembersOf
// generates the people. The structure follows the 党内统计公报 of 2023/2024 — about 30% women,
// 7.5% minorities nationally (here by region), the age and education spread — shifted by the
// kind of unit: a 村's members are older, more of them men, 农牧渔民 with less schooling; a
// 社区's are largely 离退休; a 机关's are 党政机关工作人员 with degrees; and so on.
//
// 公民身份号码. Each is a real-looking GB 11643 number: the 县级 code of where the member lives
// (the branch's county; for a city's or province's own units one of the 市辖区 of the city or
// of the capital), the birth date, a 3-digit 顺序码 whose last digit is odd for men and even for
// women, and the ISO 7064 MOD 11-2 check character. They are unique across a generated tree,
// whatever its size, without remembering any of them: Generate numbers the members of each
// county 0, 1, 2, … in tree order (Org.serial, a counter per county), and a keyed permutation
// of [0, 365×500) maps a member's number to a day of the year (of a common year, so valid in
// any year) and a pair of 顺序码 (2s, 2s+1). The birth year is free, so the ages follow the
// wanted spread, and the parity follows the gender; two members of one county never share both
// day and pair, so never a number. A county can take 182,500 members this way; Generate fails
// loudly beyond that.

// Age bands of the 党内统计 (年龄结构): 30岁及以下, 31–35, … 66–70, 71岁及以上.
var ageBands = [10][2]int{{18, 30}, {31, 35}, {36, 40}, {41, 45}, {46, 50}, {51, 55}, {56, 60}, {61, 65}, {66, 70}, {71, 97}}

type wcode struct {
	code string
	w    int
}

// wc parses "code:weight code:weight …".
func wc(s string) []wcode {
	var out []wcode
	for _, f := range strings.Fields(s) {
		c, w, _ := strings.Cut(f, ":")
		n, err := strconv.ParseFloat(w, 64)
		if err != nil {
			panic("demo: weight " + f)
		}
		out = append(out, wcode{c, int(n*100 + 0.5)})
	}
	return out
}

func draw(r *rand.Rand, xs []wcode) string {
	total := 0
	for _, x := range xs {
		total += x.w
	}
	n := r.IntN(total)
	for _, x := range xs {
		if n < x.w {
			return x.code
		}
		n -= x.w
	}
	return xs[len(xs)-1].code
}

// profile is what the members of one kind of 支部 look like.
type profile struct {
	lo, hi  int     // how many members, before the rare outliers
	female  float64 // share of women, before the age factor
	ages    [10]int // weights of ageBands
	retire  bool    // a workplace: men up to 60, women up to 55
	prob    float64 // share of 预备党员
	edu     []wcode // GB/T 4658, before the age shift
	jobs    []wcode // 工作岗位 of the working age
	retired []wcode // 工作岗位 past it (men 60, women 55); nil: 离退休人员
	mobile  float64 // share of 流动党员
	lost    float64 // share of 失联党员
	title   string  // which 专业技术职务 its professionals hold: teacher, college, doctor, nurse, engineer, lawyer
	student bool
}

var (
	agesNational  = [10]int{12, 10, 10, 9, 9, 10, 10, 9, 8, 13}
	agesVillage   = [10]int{5, 6, 7, 8, 9, 12, 13, 12, 11, 17}
	agesCommunity = [10]int{10, 9, 9, 8, 8, 9, 10, 11, 10, 16}
	agesRetired   = [10]int{0, 0, 0, 0, 0, 1, 8, 22, 25, 44}
	agesMobile    = [10]int{26, 24, 18, 13, 9, 6, 3, 1, 0, 0}
	agesWork      = [10]int{15, 16, 16, 14, 13, 13, 13, 0, 0, 0}
	agesPrivate   = [10]int{25, 22, 18, 13, 10, 7, 4, 1, 0, 0}
	agesCoop      = [10]int{4, 7, 10, 12, 15, 17, 15, 11, 6, 3}
	agesSocial    = [10]int{9, 10, 11, 11, 11, 11, 10, 10, 9, 8}
	agesYoung     = [10]int{30, 25, 18, 12, 8, 5, 2, 0, 0, 0}

	eduVillage     = wc("21:3 31:9 41:6 47:2 61:23 71:41 81:16")
	eduCommunity   = wc("14:2 21:18 31:23 41:12 47:4 61:22 71:15 81:4")
	eduRetiredHere = wc("21:9 31:15 41:14 61:28 71:25 81:9")
	eduRetiredCadr = wc("21:30 31:33 41:17 61:14 71:6")
	eduMobile      = wc("21:10 31:22 41:10 47:6 61:27 71:25")
	eduOrgan       = wc("14:12 21:66 31:17 41:3 61:2")
	eduSchool      = wc("14:9 21:74 31:14 41:3")
	eduCollege     = wc("11:15 14:45 21:35 31:5")
	eduInstitution = wc("11:1 14:11 21:58 31:21 41:9")
	eduNursing     = wc("21:35 31:50 41:15")
	eduClinic      = wc("21:25 31:45 41:30")
	eduSOE         = wc("14:5 21:43 31:26 41:8 47:6 61:9 71:3")
	eduPrivate     = wc("14:3 21:33 31:32 41:8 47:6 61:12 71:6")
	eduCoop        = wc("21:6 31:18 41:10 61:32 71:32 81:2")
	eduSocial      = wc("14:7 21:44 31:26 41:7 61:10 71:6")
	eduLawyer      = wc("14:25 21:75")
	eduStudent     = wc("61:80 41:20")
	eduWorks       = wc("21:35 31:35 41:10 47:10 61:10")

	jobsVillage   = wc("1:64 113:12 0253:6 025:4 021:3 5:8 3:3")
	jobsFarmOld   = wc("1:82 4:12 5:6")
	jobsCommunity = wc("021:10 022:9 023:3 024:3 025:14 0253:5 014:6 015:5 016:6 012:3 013:4 5:26 1:3 3:3")
	jobsMobile    = wc("113:40 0253:25 025:15 021:10 5:10")
	jobsOrgan     = wc("011:88 012:6 016:6")
	jobsSchool    = wc("013:80 012:14 016:6")
	jobsInst      = wc("013:74 012:19 016:7")
	jobsSOE       = wc("014:32 015:30 016:32 0164:6")
	jobsPrivate   = wc("021:30 022:28 025:35 0253:7")
	jobsCoop      = wc("1:70 021:15 025:15")
	jobsSocial    = wc("023:45 024:40 5:15")
	jobsWorks     = wc("014:20 015:25 016:15 0164:10 021:10 022:10 025:10")
	jobsOther     = wc("011:25 012:20 013:20 016:15 1:20")
	jobsRetired   = wc("4:1")
	jobsNone      = wc("5:1")
)

var (
	pVillage = profile{lo: 16, hi: 44, female: .21, ages: agesVillage, prob: .03, edu: eduVillage, jobs: jobsVillage,
		retired: jobsFarmOld, mobile: .03, lost: .003}
	pVillageOld = profile{lo: 12, hi: 30, female: .18, ages: agesRetired, edu: eduVillage, jobs: jobsVillage,
		retired: jobsFarmOld, mobile: .005, lost: .001}
	pCoop = profile{lo: 5, hi: 15, female: .2, ages: agesCoop, prob: .04, edu: eduCoop, jobs: jobsCoop,
		retired: jobsFarmOld, mobile: .01, lost: .001}
	pCommunity = profile{lo: 20, hi: 50, female: .29, ages: agesCommunity, prob: .03, edu: eduCommunity,
		jobs: jobsCommunity, mobile: .015, lost: .002, title: "engineer"}
	pCommunityRetired = profile{lo: 24, hi: 49, female: .3, ages: agesRetired, edu: eduRetiredHere, jobs: jobsNone}
	pMobile           = profile{lo: 6, hi: 18, female: .25, ages: agesMobile, prob: .02, edu: eduMobile, jobs: jobsMobile,
		retired: jobsMobile, mobile: .9, lost: .03}
	pOrgan = profile{lo: 10, hi: 32, female: .34, ages: agesWork, retire: true, prob: .04, edu: eduOrgan, jobs: jobsOrgan,
		lost: .0005}
	pPolice        = profile{lo: 10, hi: 28, female: .16, ages: agesWork, retire: true, prob: .04, edu: eduOrgan, jobs: jobsOrgan}
	pOrganRetired  = profile{lo: 10, hi: 32, female: .3, ages: agesRetired, edu: eduRetiredCadr, jobs: jobsRetired}
	pSchool        = profile{lo: 12, hi: 38, female: .58, ages: agesWork, retire: true, prob: .05, edu: eduSchool, jobs: jobsSchool, title: "teacher"}
	pPrimary       = profile{lo: 10, hi: 28, female: .68, ages: agesWork, retire: true, prob: .05, edu: eduSchool, jobs: jobsSchool, title: "teacher"}
	pKindergarten  = profile{lo: 4, hi: 12, female: .93, ages: agesYoung, retire: true, prob: .06, edu: eduSchool, jobs: jobsSchool, title: "teacher"}
	pSpecialSchool = profile{lo: 4, hi: 10, female: .6, ages: agesWork, retire: true, prob: .05, edu: eduSchool, jobs: jobsSchool, title: "teacher"}
	pCollege       = profile{lo: 15, hi: 40, female: .5, ages: agesWork, retire: true, prob: .04, edu: eduCollege, jobs: jobsSchool, title: "college"}
	pStudents      = profile{lo: 15, hi: 45, female: .56, prob: .35, edu: eduStudent, jobs: wc("3:1"), student: true}
	pInstitution   = profile{lo: 6, hi: 18, female: .5, ages: agesWork, retire: true, prob: .05, edu: eduInstitution, jobs: jobsInst, title: "engineer"}
	pHospital      = profile{lo: 15, hi: 40, female: .55, ages: agesWork, retire: true, prob: .05, edu: eduInstitution, jobs: jobsInst, title: "doctor"}
	pNursing       = profile{lo: 15, hi: 40, female: .92, ages: agesWork, retire: true, prob: .05, edu: eduNursing, jobs: jobsInst, title: "nurse"}
	pClinic        = profile{lo: 6, hi: 15, female: .5, ages: agesWork, retire: true, prob: .05, edu: eduClinic, jobs: jobsInst, title: "doctor"}
	pSOE           = profile{lo: 8, hi: 30, female: .27, ages: agesWork, retire: true, prob: .05, edu: eduSOE, jobs: jobsSOE, title: "engineer"}
	pPrivate       = profile{lo: 5, hi: 25, female: .32, ages: agesPrivate, prob: .06, edu: eduPrivate, jobs: jobsPrivate,
		retired: wc("021:70 4:30"), lost: .003, title: "engineer"}
	pPrivateJoint = profile{lo: 6, hi: 20, female: .32, ages: agesPrivate, prob: .06, edu: eduPrivate, jobs: jobsPrivate,
		retired: wc("021:70 4:30"), lost: .003, title: "engineer"}
	pSocial = profile{lo: 3, hi: 10, female: .42, ages: agesSocial, prob: .04, edu: eduSocial, jobs: jobsSocial,
		retired: wc("4:60 023:25 5:15")}
	pLawyers   = profile{lo: 6, hi: 15, female: .38, ages: agesPrivate, prob: .06, edu: eduLawyer, jobs: wc("024:1"), title: "lawyer"}
	pTemporary = profile{lo: 5, hi: 12, female: .1, ages: agesWork, retire: true, prob: .03, edu: eduWorks, jobs: jobsWorks, title: "engineer"}
	pOther     = profile{lo: 8, hi: 25, female: .3, ages: agesNational, prob: .03, edu: eduCommunity, jobs: jobsOther}
)

// profileOf tells what kind of 支部 o is, from its unit type and name.
func profileOf(o *Org) profile {
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(o.ShortName, s) {
				return true
			}
		}
		return false
	}
	// A 村/社区 whose party organisation is a single 党支部 (serial 001 under the 村/社区's code).
	sole := len(o.DivisionCode) == 12 && o.Code == o.DivisionCode+"001"
	var p profile
	switch o.UnitType {
	case org.UnitVillage:
		switch {
		case has("流动党员"):
			p = pMobile
		case has("老年"):
			p = pVillageOld
		case has("专业合作社"):
			p = pCoop
		default:
			p = pVillage
			if sole {
				p.lo, p.hi = 25, 50
			}
		}
	case org.UnitCommunity:
		switch {
		case has("离退休"):
			p = pCommunityRetired
		case has("流动党员"):
			p = pMobile
			p.jobs, p.retired = jobsCommunity, nil
		case has("小区"):
			p = pCommunity
			p.lo, p.hi = 10, 28
		default:
			p = pCommunity
			if sole {
				p.lo, p.hi = 22, 50
			}
		}
	case org.UnitOrgan:
		switch {
		case has("离退休"):
			p = pOrganRetired
		case has("公安"):
			p = pPolice
		default:
			p = pOrgan
		}
	case org.UnitSchool:
		switch {
		case has("离退休"):
			p = pOrganRetired
			p.edu = eduSchool
		case has("学生"):
			p = pStudents
			if !has("学院") { // a 职业中等专业学校: a few students of 18 or 19
				p.lo, p.hi = 2, 6
			}
		case has("幼儿园"):
			p = pKindergarten
		case has("特殊教育"):
			p = pSpecialSchool
		case has("学院"):
			p = pCollege
		case has("小学", "中心学校"):
			p = pPrimary
		default:
			p = pSchool
		}
	case org.UnitInstitution:
		switch {
		case has("离退休"):
			p = pOrganRetired
		case has("护理"):
			p = pNursing
		case has("卫生院"):
			p = pClinic
		case has("医院"):
			p = pHospital
		default:
			p = pInstitution
		}
	case org.UnitSOE:
		p = pSOE
	case org.UnitCollective:
		p = pCoop
	case org.UnitPrivate:
		p = pPrivate
		if o.Type == org.TypeJointBranch {
			p = pPrivateJoint
		}
	case org.UnitSocial:
		p = pSocial
		if has("律师") {
			p = pLawyers
		}
	default:
		p = pOther
		if o.Type == org.TypeTemporaryBranch {
			p = pTemporary
		}
	}
	return p
}

// staff decides how many members the 支部 o has, where they live and which serials they take,
// and makes its 班子 fit: 7 正式党员 or more elect a 支部委员会 of 3 to 5, fewer a 书记 (and
// perhaps a 副书记) only. About 1 in 100 党支部 is left with fewer than 3 正式党员 and about 1 in
// 80 has more than 50 members, and 1 in 50 with 7 正式党员 or more has no 支委会, so that the
// organisation checks have something to show.
func (g *gen) staff(o *Org) error {
	r := g.rng(o.Code + "/staff")
	p := profileOf(o)
	span := p.hi - p.lo
	n := p.lo + (r.IntN(span+1)+r.IntN(span+1)+1)/2
	prob := 0
	for range n {
		if r.Float64() < p.prob {
			prob++
		}
	}
	switch u := r.IntN(1000); {
	case u < 10 && o.Type == org.TypeBranch:
		n = 2 + r.IntN(3)
		prob = n - 2
	case u < 22 && p.hi >= 25:
		n = 51 + r.IntN(14)
	}
	if prob > n/2 && !p.student {
		prob = n / 2
	}
	o.Members, o.Probationary = n, prob

	o.residence = g.residence(o.Code, r)
	o.serial = g.serials[o.residence]
	g.serials[o.residence] += n
	if g.serials[o.residence] > idCapacity {
		return fmt.Errorf("demo: 区县 %s 的演示党员超过 %d 名，公民身份号码不够分配（生成器缺陷）", o.residence, idCapacity)
	}

	if o.Term == nil {
		return nil
	}
	full := n - prob
	ls := o.Term.Leaders
	switch {
	case full >= 7 && len(ls) < 3 && r.IntN(50) > 0:
		ls = slices.Clone(ls)
		size := 3 + r.IntN(3)
		for _, post := range []org.Post{org.PostOrganization, org.PostPropaganda, org.PostDiscipline, org.PostMember} {
			if len(ls) >= size {
				break
			}
			ls = append(ls, Leader{Name: newName(r, ls), Post: post})
		}
	case full < 7 && len(ls) > 2:
		keep := 1
		if ls[1].Post == org.PostDeputySecretary && full >= 3 {
			keep = 2
		}
		ls = slices.Clone(ls[:keep])
	}
	o.Term.Leaders = ls
	leaderTraits(g.seed, o, ethnicOf(o.residence, o.DivisionCode), true)
	return nil
}

// ethnicOf is the 民族 spread of the members of a branch of division code div (or "") whose
// members live in area.
func ethnicOf(area, div string) []wcode {
	a, _ := division.Get(area)
	c, _ := division.Get(area[:4])
	town := ""
	if len(div) >= 9 {
		if t, ok := division.Get(div[:9]); ok {
			town = t.Name
		}
	}
	return ethnicTable(area, c.Name, a.Name, town)
}

// newName draws a name that none of ls has.
func newName(r *rand.Rand, ls []Leader) string {
	for {
		name := person(r)
		if !slices.ContainsFunc(ls, func(l Leader) bool { return l.Name == name }) {
			return name
		}
	}
}

// residence is the 县级 code where the members of the organisation code live: its own county,
// or for a city's or province's own units one of the 市辖区 of the city (of the capital).
func (g *gen) residence(code string, r *rand.Rand) string {
	if code[4:6] != "00" {
		return code[:6]
	}
	prefix := code[:4]
	if code[2:4] == "00" {
		prefix = code[:2]
	}
	as, ok := g.areas[prefix]
	if !ok {
		as = residentialAreas(prefix)
		g.areas[prefix] = as
	}
	if len(as) == 0 {
		return code[:6]
	}
	return as[r.IntN(len(as))]
}

// residentialAreas are the counties where a city's (4 digits) or a province's (2 digits: its
// first city, the capital) own units' people live: the 市辖区, else any county with 乡镇/街道.
func residentialAreas(prefix string) []string {
	if len(prefix) == 2 {
		cs := division.Children(prefix)
		if len(cs) == 0 {
			return nil
		}
		return residentialAreas(cs[0].Code)
	}
	c, _ := division.Get(prefix)
	if a, ok := mergedCity(c); ok {
		return []string{a.Code}
	}
	var urban, all []string
	for _, a := range division.Children(prefix) {
		if len(realStreets(a.Code)) == 0 {
			continue
		}
		all = append(all, a.Code)
		if strings.HasSuffix(a.Name, "区") && a.Code[4] < '7' {
			urban = append(urban, a.Code)
		}
	}
	if len(urban) > 0 {
		return urban
	}
	return all
}

// GenerateMembers generates the tree opt describes (as Generate, without emitting it) and
// streams the members of each of its 支部, in tree order, with the 支部 they belong to.
func GenerateMembers(opt Options, emit func(branch *Org, m member.Input) error) error {
	return Generate(opt, func(o Org) error {
		return MembersOf(opt, o, func(m member.Input) error { return emit(&o, m) })
	})
}

// PullMembers returns the members of the tree opt describes one at a time, the way
// member.Store.BulkLoad reads them: next gives (nil, nil) after the last one, or the
// generation's error; each member's OrgID is orgID(its 支部's code). Nothing is buffered: the
// tree is generated as next is called. Call stop when done (it ends the generator early).
func PullMembers(opt Options, orgID func(code string) int64) (next func() (*member.Input, error), stop func()) {
	var genErr error
	seq := func(yield func(*member.Input) bool) {
		genErr = GenerateMembers(opt, func(o *Org, m member.Input) error {
			m.OrgID = orgID(o.Code)
			if !yield(&m) {
				return errStopped
			}
			return nil
		})
	}
	pull, stop := iter.Pull(seq)
	return func() (*member.Input, error) {
		if m, ok := pull(); ok {
			return m, nil
		}
		if errors.Is(genErr, errStopped) {
			return nil, nil
		}
		return nil, genErr
	}, stop
}

var errStopped = errors.New("demo: stopped")

// MembersOf streams the o.Members members of the 支部 o, an organisation that Generate emitted
// for the same opt; it emits nothing for the others. The same seed and organisation always give
// the same members. OrgID is left 0 for the caller to set; the 班子's members (Term.Leaders)
// come first, with their 党内职务, the o.Probationary 预备党员 last.
func MembersOf(opt Options, o Org, emit func(member.Input) error) error {
	if !o.Type.IsBranchLike() || o.Members <= 0 {
		return nil
	}
	if opt.Today.IsZero() {
		return errors.New("demo: Options.Today 未设置（须由调用方传入，以保证输出可重现）")
	}
	today := civil.Of(opt.Today)
	area := o.residence
	if area == "" { // not from Generate (and then not unique across a tree)
		area = (&gen{areas: map[string][]string{}}).residence(o.Code, rand.New(rand.NewPCG(0, 0)))
	}
	m := newMaker(opt.Seed, &o, area, today)
	for i := range o.Members {
		if err := emit(m.member(i)); err != nil {
			return err
		}
	}
	return nil
}

// maker generates the members of one 支部.
type maker struct {
	o       *Org
	p       profile
	r       *rand.Rand
	today   civil.Date
	area    string
	key     uint64 // of the area's 公民身份号码 permutation
	ethnic  []wcode
	place   string   // 湖南省常德市武陵区: the start of every address
	streets []string // of the area, 街道 first, for those not living in the branch's own 村/社区
	urban   int      // how many of streets are 街道
	native  []string // 籍贯 drawn from: the home city first
	capital string   // the province's first city, for 流动党员 who went there
	names   map[string]bool
	leaders []Leader
	traits  []trait // of the leaders
}

// trait is what a 班子 member's name does not tell.
type trait struct {
	ethnicity string
	female    bool
}

// leaderTraits draws the 民族 and sex of the 班子 members of o. Generate calls it with rename
// set, and gives those of a people with names of their own (藏, 维吾尔 …) such a name;
// MembersOf calls it again, without, and draws the same.
func leaderTraits(seed int64, o *Org, table []wcode, rename bool) []trait {
	h := fnv.New64a()
	h.Write([]byte(o.Code + "/leaders"))
	r := rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
	ls := o.Term.Leaders
	out := make([]trait, len(ls))
	for i := range ls {
		t := trait{ethnicity: draw(r, table), female: looksFemale(ls[i].Name)}
		if styledName(t.ethnicity) {
			t.female = r.IntN(10) < 3
			name := ethnicPerson(r, t.ethnicity, t.female)
			// Unique among the earlier ones, which are final in both calls (a later one has a
			// Han name or a name of this kind drawn after, never the same as a Han name).
			for slices.ContainsFunc(ls[:i], func(l Leader) bool { return l.Name == name }) {
				name = ethnicPerson(r, t.ethnicity, t.female)
			}
			if rename {
				ls[i].Name = name
			}
		}
		out[i] = t
	}
	return out
}

func newMaker(seed int64, o *Org, area string, today civil.Date) *maker {
	h := fnv.New64a()
	h.Write([]byte(o.Code + "/members"))
	m := &maker{o: o, p: profileOf(o), r: rand.New(rand.NewPCG(uint64(seed), h.Sum64())), today: today, area: area,
		key: idKey(seed, area), names: map[string]bool{}}
	if o.Term != nil {
		m.leaders = o.Term.Leaders
		if full := o.Members - o.Probationary; len(m.leaders) > full {
			m.leaders = m.leaders[:max(full, 0)]
		}
		for _, l := range m.leaders {
			m.names[l.Name] = true
		}
	}
	a, _ := division.Get(area)
	c, _ := division.Get(area[:4])
	p, _ := division.Get(area[:2])
	switch {
	case a.Name == c.Name || pseudoCity(c):
		m.place = p.Name + a.Name
	default:
		m.place = p.Name + c.Name + a.Name
	}
	if isMunicipality(p.Code) {
		m.place = a.Name
		if !strings.HasPrefix(a.Name, p.Name) {
			m.place = p.Name + a.Name
		}
	}
	for _, s := range realStreets(area) {
		name := streetName(s.Name)
		if division.IsSubdistrict(s.Name) {
			m.streets = slices.Insert(m.streets, m.urban, name)
			m.urban++
		} else {
			m.streets = append(m.streets, name)
		}
	}
	// 籍贯: mostly the home city, some the rest of the province, a few elsewhere.
	home := provinceShort[area[:2]]
	if !pseudoCity(c) && !isMunicipality(p.Code) {
		home += cityBase(c.Name)
	}
	m.native = []string{home}
	for _, cc := range division.Children(area[:2]) {
		if !pseudoCity(cc) && cc.Code != c.Code {
			m.native = append(m.native, provinceShort[area[:2]]+cityBase(cc.Name))
		}
		if m.capital == "" && !pseudoCity(cc) {
			m.capital = p.Name + cc.Name
		}
	}
	if m.capital == "" {
		m.capital = p.Name
	}
	m.ethnic = ethnicOf(area, o.DivisionCode)
	if o.Term != nil {
		m.traits = leaderTraits(seed, o, m.ethnic, false)
	}
	return m
}

// streetName is how an address writes a 乡级 name: 启明街道, 河洑镇.
func streetName(s string) string {
	if b, ok := strings.CutSuffix(s, "办事处"); ok && strings.HasSuffix(b, "街道") {
		return b
	}
	return s
}

// member generates the i-th member.
func (m *maker) member(i int) member.Input {
	r, p, o := m.r, m.p, m.o
	leader := i < len(m.leaders)
	probationary := i >= o.Members-o.Probationary

	var in member.Input
	female := false
	age := 0
	switch {
	case leader:
		in.Name = m.leaders[i].Name
		female = m.traits[i].female
		if p.student { // the secretary of a students' branch is a teacher
			p = pCollege
		}
		age = m.age(p, false)
		if age < 28 {
			age = 28 + r.IntN(12)
		}
	default:
		age = m.age(p, probationary)
		f := p.female
		switch {
		case p.student:
		case age <= 35:
			f *= 1.3
		case age <= 50:
			f *= 1.1
		case age <= 65:
			f *= .95
		default:
			f *= .72
		}
		female = r.Float64() < min(f, .95)
	}
	if p.retire && female && age > 55 {
		age = 46 + r.IntN(10)
	}
	in.Gender = "1"
	if female {
		in.Gender = "2"
	}
	// 民族 and 姓名 (the 班子's were drawn by Generate).
	if leader {
		in.Ethnicity = m.traits[i].ethnicity
	} else {
		in.Ethnicity = draw(r, m.ethnic)
		in.Name = ethnicPerson(r, in.Ethnicity, female)
		for tries := 0; m.names[in.Name] && tries < 5; tries++ {
			in.Name = ethnicPerson(r, in.Ethnicity, female)
		}
	}
	m.names[in.Name] = true

	// 公民身份号码 and 出生日期.
	k := permute(m.key, o.serial+i)
	day, pair := k%idDays, k/idDays
	md := time.Date(2001, 1, 1+day, 0, 0, 0, 0, time.UTC) // a common year: every day exists in every year
	t := m.today.Time()
	y := t.Year() - age
	if md.Month() > t.Month() || (md.Month() == t.Month() && md.Day() > t.Day()) {
		y--
	}
	birth := civil.New(y, md.Month(), md.Day())
	seq := 2 * pair
	if !female {
		seq++
	}
	in.BirthDate = birth
	in.IDNumber = IDNumber(m.area, birth, seq)

	// 加入党组织日期 and 转为正式党员日期.
	adult := birth.AddDate(18, 0, 0)
	if probationary {
		in.JoinedOn = m.today.AddDate(0, 0, -7-r.IntN(350))
		if in.JoinedOn.Before(adult) {
			in.JoinedOn = adult
		}
	} else {
		extended := r.IntN(50) == 0 // 延长预备期半年
		latest := m.today.AddDate(-1, 0, -1)
		if extended {
			latest = m.today.AddDate(0, -18, -1)
		}
		ja := joinAge(r)
		if ja > age-2 {
			ja = 18 + r.IntN(max(age-19, 1))
		}
		j := birth.AddDate(ja, 0, r.IntN(365))
		if j.After(latest) {
			j = latest.AddDate(0, 0, -r.IntN(120))
		}
		if j.Before(adult) {
			j = adult
		}
		in.JoinedOn = j
		switch {
		case !j.Before(noProbationFrom) && !j.After(noProbationTo):
			in.FullOn = j // 九大、十大党章没有预备期
		case extended:
			in.FullOn = j.AddDate(0, 18, 0)
		default:
			in.FullOn = j.AddDate(1, 0, 0)
		}
		if in.FullOn.After(m.today) { // 18 months from the 31st of a month may run past the latest day
			in.FullOn = m.today
		}
	}

	// 学历, 学位, 工作岗位, 专业技术职务, 参加工作日期.
	in.Education = education(r, p, age)
	switch in.Education {
	case "21":
		if r.IntN(10) < 9 {
			in.Degree = "学士"
		}
	case "14":
		in.Degree = "硕士"
	case "11":
		in.Degree = "博士"
	}
	pastWork := !p.retire && (age >= 60 || female && age >= 55)
	jobs := p.jobs
	if pastWork {
		jobs = p.retired
		if jobs == nil {
			jobs = jobsRetired
		}
	}
	in.Job = draw(r, jobs)
	if in.Job == "3" && age > 24 && !p.student {
		in.Job = "5"
	}
	if leader && p.student {
		in.Job = "013"
	}
	in.TechTitle = techTitle(r, p.title, in.Job, age)
	if root := in.Job[:1]; root == "0" || root == "4" || root == "2" {
		wa := map[string]int{"11": 28, "14": 25, "21": 22, "31": 21}[in.Education]
		if wa == 0 {
			wa = 18
		}
		w := birth.AddDate(wa+r.IntN(3), 0, r.IntN(300))
		if w.After(m.today) {
			w = m.today.AddDate(0, 0, -r.IntN(60))
		}
		if w.Before(birth.AddDate(16, 0, 0)) {
			w = birth.AddDate(16, 0, 0)
		}
		in.WorkStartedOn = w
	}

	// 联系电话, 家庭住址, 籍贯.
	in.Phone = pick(r, mobilePrefixes) + strconv.Itoa(100000000 + r.IntN(100000000))[1:]
	in.Address = m.address()
	in.NativePlace = m.native[0]
	switch u := r.IntN(100); {
	case u >= 92 || len(m.native) == 1 && u >= 85:
		in.NativePlace = pick(r, nativeElsewhere)
	case u >= 80 && len(m.native) > 1:
		in.NativePlace = pick(r, m.native[1:])
	}

	// 流动党员, 失联党员, 生活困难, 入党介绍人, 党内职务.
	if !leader && r.Float64() < p.mobile {
		in.Mobile = true
		in.MobileTo = pick(r, mobileTo)
		if r.IntN(5) == 0 {
			in.MobileTo = m.capital
		}
		if in.Job == "1" || in.Job == "5" {
			in.Job = "113"
			if o.UnitType == org.UnitCommunity {
				in.Job = "0253"
			}
		}
	}
	if !leader && !probationary && r.Float64() < p.lost {
		in.LostContact = true
		from := in.JoinedOn
		if lim := m.today.AddDate(-8, 0, 0); from.Before(lim) {
			from = lim
		}
		to := m.today.AddDate(0, 0, -30)
		in.LostOn = from.AddDate(0, 0, r.IntN(max(from.DaysUntil(to), 1)))
		in.LostSituation = draw(r, lostSituations)
		if age > 30 && in.LostSituation == "3" {
			in.LostSituation = "6"
		}
	}
	if age >= 70 && (o.UnitType == org.UnitVillage || o.UnitType == org.UnitCommunity) {
		in.Hardship = r.IntN(20) == 0
	} else {
		in.Hardship = r.IntN(300) == 0
	}
	if in.JoinedOn.Year() >= 1980 && r.IntN(10) < 8 || r.IntN(10) < 4 {
		a := personOf(r, r.IntN(10) < 3)
		b := personOf(r, r.IntN(10) < 3)
		if a != b && a != in.Name && b != in.Name {
			in.Introducers = a + "、" + b
		}
	}
	if leader {
		switch post := m.leaders[i].Post; post {
		case org.PostSecretary, org.PostDeputySecretary:
			in.PartyPost = o.Type.Name() + post.Name()
		case org.PostMember:
			in.PartyPost = "支部委员"
		default:
			in.PartyPost = post.Name()
		}
	}
	return in
}

// age draws an age (on today) from the profile's bands; full members are at least 20 and
// 预备党员 at least 19, so that both joined at 18 or later.
func (m *maker) age(p profile, probationary bool) int {
	r := m.r
	switch {
	case p.student && probationary:
		return 19 + r.IntN(4)
	case p.student:
		return 20 + r.IntN(4)
	case probationary:
		switch u := r.IntN(100); {
		case u < 40:
			return 19 + r.IntN(7)
		case u < 68:
			return 26 + r.IntN(5)
		case u < 85:
			return 31 + r.IntN(5)
		case u < 97:
			return 36 + r.IntN(10)
		default:
			return 46 + r.IntN(10)
		}
	}
	total := 0
	for _, w := range p.ages {
		total += w
	}
	n := r.IntN(total)
	b := 0
	for ; b < len(p.ages)-1 && n >= p.ages[b]; b++ {
		n -= p.ages[b]
	}
	lo, hi := ageBands[b][0], ageBands[b][1]
	switch b {
	case 0:
		lo = 20
	case len(ageBands) - 1: // 71–80 mostly, fewer 81–90, a few older
		switch u := r.IntN(100); {
		case u < 60:
			hi = 80
		case u < 92:
			lo, hi = 81, 90
		default:
			lo = 91
		}
	}
	return lo + r.IntN(hi-lo+1)
}

// joinAge draws the age at which a member joined: most in their twenties.
func joinAge(r *rand.Rand) int {
	switch u := r.IntN(100); {
	case u < 24:
		return 18 + r.IntN(5)
	case u < 58:
		return 23 + r.IntN(5)
	case u < 78:
		return 28 + r.IntN(5)
	case u < 92:
		return 33 + r.IntN(8)
	case u < 98:
		return 41 + r.IntN(10)
	default:
		return 51 + r.IntN(10)
	}
}

var (
	noProbationFrom = civil.New(1969, 4, 1)  // 九大党章 (no 预备期) …
	noProbationTo   = civil.New(1977, 8, 11) // … until the 十一大党章
)

// eduLadder orders the 学历 codes from least to most schooling; 47 技工学校 sits with 41.
var eduLadder = []string{"81", "71", "61", "41", "31", "21", "14", "11"}

// education draws a 学历: the profile's spread, the old somewhat lower, the young higher.
func education(r *rand.Rand, p profile, age int) string {
	e := draw(r, p.edu)
	if p.student {
		return e
	}
	i := slices.Index(eduLadder, e)
	if e == "47" {
		i = 3
	}
	switch {
	case age >= 56 && r.Float64() < float64(age-50)/70:
		i--
	case age <= 35 && r.Float64() < .3 && i < 5:
		i++
	}
	// Nobody graduates before the usual age: 大专 21, 本科 22, 硕士 25, 博士 28; few of the
	// old went beyond 本科.
	for i > 3 && age < []int{21, 22, 25, 28}[i-4] || i > 5 && age >= 66 {
		i--
	}
	if i == 3 && e == "47" {
		return e
	}
	return eduLadder[max(i, 0)]
}

// techTitle draws a 专业技术职务 for the professionals of a profile.
func techTitle(r *rand.Rand, kind, job string, age int) string {
	if job != "013" && job != "015" && job != "022" && job != "024" || r.IntN(100) < 15 {
		return ""
	}
	by := func(titles ...string) string { // titles by age: <30, <40, <50, older
		switch {
		case age < 30:
			return titles[0]
		case age < 40:
			return titles[1]
		case age < 50:
			return titles[2]
		}
		return titles[3]
	}
	switch kind {
	case "teacher":
		if age >= 50 && r.IntN(10) == 0 {
			return "正高级教师"
		}
		return by("中小学二级教师", "中小学一级教师", "中小学高级教师", "中小学高级教师")
	case "college":
		return by("助教", "讲师", "副教授", pick(r, []string{"副教授", "教授"}))
	case "doctor":
		return by("医师", "主治医师", "副主任医师", pick(r, []string{"副主任医师", "主任医师"}))
	case "nurse":
		return by("护士", "护师", "主管护师", "副主任护师")
	case "engineer":
		return by("助理工程师", "工程师", "工程师", pick(r, []string{"工程师", "高级工程师"}))
	case "lawyer":
		return by("四级律师", "三级律师", "二级律师", "一级律师")
	}
	return ""
}

var (
	mobilePrefixes = strings.Fields("130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 " +
		"180 181 182 183 184 185 186 187 188 189 191 193 195 198 199")
	mobileTo = []string{"广东省深圳市", "广东省广州市", "广东省东莞市", "广东省佛山市", "浙江省杭州市", "浙江省宁波市",
		"浙江省温州市", "江苏省苏州市", "江苏省南京市", "上海市", "北京市", "福建省厦门市", "湖北省武汉市", "四川省成都市", "天津市"}
	nativeElsewhere = []string{"湖北武汉", "江西南昌", "河南信阳", "四川南充", "安徽阜阳", "山东临沂", "广东梅州", "重庆万州",
		"湖南衡阳", "河北保定", "江苏盐城", "浙江温州", "广西桂林", "贵州遵义", "陕西汉中", "山西运城"}
	lostSituations = wc("1:40 6:20 4:15 3:8 2:6 5:5 7:6")
	roads          = runesPairs("人民建设解放中山朝阳新华文化胜利和平光明青年迎宾滨江学府长江团结民主东风向阳育才沿江工业健康五一")
	estateBuilding = []string{"栋", "幢", "号楼"}
)

// address draws a home address: in the branch's own 村 or 社区 for a 村/社区 branch, in the
// area (mostly its 街道) for the others.
func (m *maker) address() string {
	r, o := m.r, m.o
	if len(o.DivisionCode) == 12 && len(o.Units) > 0 {
		street := ""
		if s, ok := division.Get(o.DivisionCode[:9]); ok {
			street = streetName(s.Name)
		}
		place := division.PlaceName(o.Units[0])
		if o.UnitType == org.UnitVillage {
			return fmt.Sprintf("%s%s%s%d组%d号", m.place, street, place, 1+r.IntN(12), 1+r.IntN(60))
		}
		return m.place + street + place + m.house()
	}
	street := ""
	switch {
	case len(o.DivisionCode) == 9:
		if s, ok := division.Get(o.DivisionCode); ok {
			street = streetName(s.Name)
		}
	case m.urban > 0 && r.IntN(4) > 0:
		street = m.streets[r.IntN(m.urban)]
	case len(m.streets) > 0:
		street = pick(r, m.streets)
	}
	return m.place + street + m.house()
}

// house is the part of an address after the 街道/社区: an estate's flat or a house on a road.
func (m *maker) house() string {
	r := m.r
	if r.IntN(10) < 6 {
		return fmt.Sprintf("%s%d%s%d单元%d%02d室", estate(r), 1+r.IntN(24), pick(r, estateBuilding), 1+r.IntN(4),
			1+r.IntN(18), 1+r.IntN(4))
	}
	return fmt.Sprintf("%s路%d号", pick(r, roads), 1+r.IntN(300))
}

// 公民身份号码.

const (
	idDays      = 365
	idCapacity  = idDays * 500 // members per county: a day of a common year × a pair of 顺序码
	idBlockBits = 9            // the permutation works on 18 bits, 2 × 9
)

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// IDNumber composes a 公民身份号码 from a 县级 code, a birth date and a 顺序码 (0–999; odd for a
// man, even for a woman) with its GB 11643 check character.
func IDNumber(area string, birth civil.Date, seq int) string {
	s := area + birth.Time().Format("20060102") + strconv.Itoa(1000 + seq)[1:]
	sum := 0
	for i, w := range idWeights {
		sum += int(s[i]-'0') * w
	}
	return s + string("10X98765432"[sum%11])
}

func idKey(seed int64, area string) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%s/id", seed, area)
	return h.Sum64()
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// permute maps k in [0, idCapacity) to [0, idCapacity), one to one: a 4-round Feistel network
// on 18 bits, walked until it lands inside the range.
func permute(key uint64, k int) int {
	const mask = 1<<idBlockBits - 1
	x := uint64(k)
	for {
		l, r := x>>idBlockBits, x&mask
		for round := uint64(0); round < 4; round++ {
			l, r = r, l^(splitmix(key^round<<40^r)&mask)
		}
		x = l<<idBlockBits | r
		if x < idCapacity {
			return int(x)
		}
	}
}

// 民族. Shares of the members by region (percent, GB/T 3304 codes): the provinces and a few
// cities with large minorities; elsewhere the default. On top of it, an autonomous 州/盟, 县/旗
// or a 民族乡 named after peoples gives them a large share there.
var ethnicRegions = map[string][]wcode{
	"":     wc("01:99.2 03:.4 11:.15 02:.05 15:.05 06:.05 08:.05 12:.05"),
	"11":   wc("01:95.6 11:1.9 03:1.8 02:.4 10:.2 15:.05 08:.05"),
	"12":   wc("01:97.2 03:1.7 11:.7 02:.2 10:.2"),
	"13":   wc("01:96 11:2.9 03:.8 02:.3"),
	"15":   wc("01:78.5 02:18.5 11:1.8 03:.8 31:.3 45:.1"),
	"21":   wc("01:84.5 11:12.5 02:1.6 03:.6 10:.5 38:.3"),
	"22":   wc("01:92 10:3.6 11:3.3 02:.6 03:.5"),
	"23":   wc("01:95.6 11:2.8 10:.7 02:.4 03:.3 31:.1 52:.05 53:.05"),
	"31":   wc("01:99.1 03:.4 11:.2 02:.1 15:.1 06:.1"),
	"33":   wc("01:98.9 22:.4 15:.2 06:.2 03:.1 09:.1 12:.1"),
	"35":   wc("01:98.6 22:1 03:.3 23:.05 06:.05"),
	"37":   wc("01:99.3 03:.6 11:.1"),
	"42":   wc("01:95.4 15:3.8 06:.5 12:.2 03:.1"),
	"43":   wc("01:97 15:1.3 06:.8 12:.5 13:.4"),
	"4307": wc("01:97.2 15:1.4 03:.6 05:.4 06:.3 12:.1"),
	"4308": wc("01:30.5 15:65 14:3 06:1.5"),
	"4312": wc("01:60 12:20 06:12 15:5 13:2 14:1"),
	"44":   wc("01:98.3 08:.6 13:.4 15:.3 06:.2 22:.1 03:.1"),
	"45":   wc("01:60.5 08:33 13:3.2 06:1.2 12:1 32:.6 36:.3 03:.1 49:.1"),
	"46":   wc("01:83.5 19:15.5 06:.8 03:.2"),
	"50":   wc("01:93.6 15:4.8 06:1.5 03:.1"),
	"51":   wc("01:94.2 07:3.2 04:2 33:.4 03:.2"),
	"52":   wc("01:62.5 06:11 09:7 15:5 12:5 07:2.5 37:2 25:1.2 03:.5 14:.5"),
	"53":   wc("01:62 07:11 14:4.5 16:3.5 18:3 08:3 06:2.5 03:2 20:1.5 27:1.2 24:1 21:1 13:.6 04:.6 28:.4 34:.3"),
	"54":   wc("04:78 01:19 03:1.5 54:.8 55:.4 27:.3"),
	"62":   wc("01:91 03:5 04:1.8 26:1.2 30:.3 48:.2 47:.2 35:.2 02:.1"),
	"63":   wc("01:55 04:22 03:15 30:4 35:2 02:2"),
	"64":   wc("01:66 03:33.2 11:.5 02:.3"),
	"65":   wc("01:45 05:38 17:9 03:5 29:1 02:1 38:.5 41:.3 11:.2"),
}

// ethnicNames are the peoples of GB/T 3304 (02–56): 15 土家族 ….
var ethnicNames = func() [][2]string {
	var out [][2]string
	for _, t := range member.DefaultCodes.Tables() {
		if t.Kind != member.KindEthnicity {
			continue
		}
		for _, it := range t.Items {
			if it.Code > "01" && it.Code <= "56" {
				out = append(out, [2]string{it.Code, it.Name})
			}
		}
	}
	return out
}()

// namedPeoples returns the peoples an autonomous place or a 民族乡 is named after, in the
// name's order: 湘西土家族苗族自治州 → 15, 06.
func namedPeoples(place string) []string {
	if !strings.Contains(place, "自治") && !strings.HasSuffix(place, "族乡") && !strings.HasSuffix(place, "族镇") {
		return nil
	}
	type hit struct {
		at   int
		code string
	}
	var hits []hit
	for _, e := range ethnicNames {
		code, name := e[0], e[1]
		at := strings.Index(place, name)
		if at < 0 {
			at = strings.Index(place, strings.TrimSuffix(name, "族")+"自治") // 伊犁哈萨克自治州
		}
		if at >= 0 {
			hits = append(hits, hit{at, code})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int { return a.at - b.at })
	var out []string
	for _, h := range hits {
		out = append(out, h.code)
	}
	return out
}

// ethnicTable returns the 民族 spread of members living in area (of the city and county names
// given) and, for a 村/社区 or 乡镇 branch, in town.
func ethnicTable(area, city, county, town string) []wcode {
	base, ok := ethnicRegions[area[:4]]
	if !ok {
		if base, ok = ethnicRegions[area[:2]]; !ok {
			base = ethnicRegions[""]
		}
	}
	var named []string
	share := 0.0
	for _, l := range []struct {
		name  string
		share float64
	}{{town, .35}, {county, .45}, {city, .4}} {
		if named = namedPeoples(l.name); len(named) > 0 {
			share = l.share
			break
		}
	}
	if len(named) == 0 {
		return base
	}
	out := make([]wcode, 0, len(base)+len(named))
	for _, b := range base {
		out = append(out, wcode{b.code, int(float64(b.w) * (1 - share))})
	}
	split := []float64{.6, .3, .1}
	if len(named) == 1 {
		split = []float64{1}
	}
	total := 0.0
	for i := range min(len(named), 3) {
		total += split[i]
	}
	for i, c := range named[:min(len(named), 3)] {
		out = append(out, wcode{c, int(share * split[i] / total * 10000)})
	}
	return out
}
