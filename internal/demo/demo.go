// Package demo generates deterministic, realistic party-organisation trees for a real 区县, 地市
// or 省 — 县委 → 街道党工委/乡镇党委 → 村/社区党组织 → 党支部 → 党小组, plus the 机关, 学校,
// 事业单位, 国有企业, 非公企业 and 社会组织 of each tier — from the embedded 统计用区划代码
// (package division), and the members of every 支部 (MembersOf, GenerateMembers: see
// members.go). Output streams: a province of about 300,000 organisations and 4 million members
// is never held in memory.
package demo

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/dangjian/dangjian/internal/division"
	"github.com/dangjian/dangjian/internal/org"
)

// Options say which tree to generate.
type Options struct {
	Area, City, Province string    // exactly one set: a county code (6 digits), a city (4) or a province (2)
	Seed                 int64     // same seed + same options ⇒ identical output, byte for byte
	Today                time.Time // "now" for term dates; only its date counts
}

// Org is one generated organisation. Parents are always emitted before their children.
type Org struct {
	Code, ParentCode string // 组织代码 (15 digits); ParentCode "" for the root
	Name, ShortName  string // full name as on the seal, and the everyday short name
	Type             org.Type
	UnitType         org.UnitType
	DivisionCode     string // 统计用区划代码 where it applies (the tier's roots, 街道/乡镇, 村/社区), else ""
	EstablishedOn    time.Time
	Units            []string // 所在单位; several for a 联合党支部
	SortOrder        int      // 1, 2, … among siblings
	Term             *Term    // the current 班子; nil for a few organisations

	// The members of a 支部 (党支部, 联合党支部, 临时党支部; 0 for the others, whose members
	// are on their 支部): how many, and how many of them are 预备党员. MembersOf generates them.
	Members, Probationary int

	residence string // the 县级 code that begins the members' 公民身份号码
	serial    int    // the members' first serial among those of residence in the tree
}

// Term is a 班子: when it was elected and who serves.
type Term struct {
	ElectedOn time.Time
	Leaders   []Leader
}

// Leader is one member of a 班子.
type Leader struct {
	Name string
	Post org.Post
}

// Validate checks that exactly one of Area, City and Province is set to a real code.
func (o Options) Validate() error {
	set := 0
	for _, s := range []string{o.Area, o.City, o.Province} {
		if s != "" {
			set++
		}
	}
	if set != 1 {
		return errors.New("请指定且只指定区县（--area，6位）、地市（--city，4位）、省份（--province，2位）代码之一")
	}
	for _, c := range []struct {
		code, what string
		level      division.Level
	}{
		{o.Area, "区县", division.Area},
		{o.City, "地市", division.City},
		{o.Province, "省份", division.Province},
	} {
		if c.code == "" {
			continue
		}
		if division.LevelOf(c.code) != c.level {
			return fmt.Errorf("%s代码应为%d位数字：%q", c.what, c.level.CodeLen(), c.code)
		}
		d, ok := division.Get(c.code)
		if !ok {
			return fmt.Errorf("未知的%s代码 %q", c.what, c.code)
		}
		if c.level == division.Area && len(realStreets(c.code)) == 0 {
			return fmt.Errorf("区县 %s %s 在统计用区划代码中没有乡镇、街道，无法生成演示数据", d.Code, d.Name)
		}
	}
	return nil
}

// Generate streams the tree that opt describes to emit, parents first. An error from emit stops
// the generation and is returned.
func Generate(opt Options, emit func(Org) error) error {
	if err := opt.Validate(); err != nil {
		return err
	}
	if opt.Today.IsZero() {
		return errors.New("demo: Options.Today 未设置（须由调用方传入，以保证输出可重现）")
	}
	y, m, d := opt.Today.Date()
	g := &gen{seed: opt.Seed, today: time.Date(y, m, d, 0, 0, 0, 0, time.UTC), emit: emit,
		serials: map[string]int{}, areas: map[string][]string{}}
	var err error
	switch {
	case opt.Province != "":
		g.villages = division.Scan(division.Village, opt.Province)
		err = g.province(opt.Province)
	case opt.City != "":
		g.villages = division.Scan(division.Village, opt.City)
		err = g.city(opt.City, nil)
	default:
		g.villages = division.Scan(division.Village, opt.Area)
		err = g.county(opt.Area, nil)
	}
	g.villages.Close()
	if err == nil {
		err = g.villages.Err()
	}
	return err
}

type gen struct {
	seed  int64
	today time.Time
	emit  func(Org) error

	villages *division.Scanner   // the 村/社区 of the whole scope, in code order
	peeked   *division.Division  // read from villages, not yet used
	vbuf     []division.Division // the 村/社区 of the current 乡镇/街道

	serials map[string]int      // members handed out so far, by residence (县级 code)
	areas   map[string][]string // where the members of a city's or province's own units live
}

// villagesOf returns the 村/社区 of street from the stream; streets must be asked for in code order.
func (g *gen) villagesOf(street string) []division.Division {
	g.vbuf = g.vbuf[:0]
	for {
		if g.peeked == nil {
			if !g.villages.Next() {
				return g.vbuf
			}
			d := g.villages.Division()
			g.peeked = &d
		}
		switch {
		case g.peeked.ParentCode < street:
			g.peeked = nil // a street we skipped; cannot happen with the real data
		case g.peeked.ParentCode == street:
			g.vbuf = append(g.vbuf, *g.peeked)
			g.peeked = nil
		default:
			return g.vbuf
		}
	}
}

// rng returns the random source of one key (an organisation's code): the same seed and key
// always give the same stream, whatever else was generated before.
func (g *gen) rng(key string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(key))
	return rand.New(rand.NewPCG(uint64(g.seed), h.Sum64()))
}

// place hands out the 3-digit serials of organisation codes under one 12-digit place.
type place struct {
	prefix string
	n      int
}

func newPlace(divisionCode string) *place {
	return &place{prefix: divisionCode + "000000000000"[:12-len(divisionCode)]}
}

func (p *place) next() (string, error) {
	p.n++
	if p.n > 999 {
		return "", fmt.Errorf("demo: 区划 %s 下的组织超过 999 个，组织代码的 3 位序号不够用（生成器缺陷）", p.prefix)
	}
	return p.prefix + strconv.Itoa(1000 + p.n)[1:], nil
}

// node is an emitted organisation, as its children need it.
type node struct {
	code      string
	typ       org.Type
	unit      org.UnitType
	div       string
	short     string
	est       time.Time
	electedOn time.Time // zero without a term
	r         *rand.Rand
	kids      int // children emitted so far, for SortOrder
}

// Seal and short suffixes of each type: 中共…支部委员会 / …党支部.
var suffixes = map[org.Type][2]string{
	org.TypeCommittee:        {"委员会", "党委"},
	org.TypeWorkingCommittee: {"工作委员会", "党工委"},
	org.TypeGeneralBranch:    {"总支部委员会", "党总支"},
	org.TypeBranch:           {"支部委员会", "党支部"},
	org.TypeJointBranch:      {"联合支部委员会", "联合党支部"},
	org.TypeTemporaryBranch:  {"临时支部委员会", "临时党支部"},
	org.TypeGroup:            {"", "党小组"},
}

// spec describes an organisation to emit.
type spec struct {
	typ     org.Type
	unit    org.UnitType
	seal    string // seal-name stem: 中共 + seal + suffix, e.g. 常德市武陵区启明街道马家吉社区
	short   string // short-name stem: short + suffix, e.g. 马家吉社区
	label   string // between stem and suffix, e.g. 第一网格
	shortAs string // the short name when it does not follow the pattern (常德市委, 区直机关工委)
	div     string
	units   []string
	estFrom int // earliest year of establishment
	estTo   int // latest year of establishment (capped by today and by the term)
}

// add emits the organisation code under parent (nil for the root). r, when not nil, must be
// g.rng(code), which the caller has already drawn from to decide the spec.
func (g *gen) add(parent *node, code string, r *rand.Rand, s spec) (*node, error) {
	if r == nil {
		r = g.rng(code)
	}
	o := Org{Code: code, Type: s.typ, UnitType: s.unit, DivisionCode: s.div, Units: s.units}
	sfx := suffixes[s.typ]
	if s.typ == org.TypeGroup {
		o.Name = parent.short + s.label + sfx[1]
		o.ShortName = s.label + sfx[1]
	} else {
		o.Name = "中共" + s.seal + s.label + sfx[0]
		if utf8.RuneCountInString(o.Name) > 100 {
			o.Name = "中共" + s.short + s.label + sfx[0]
		}
		o.ShortName = s.short + s.label + sfx[1]
		if s.shortAs != "" {
			o.ShortName = s.shortAs
		}
	}
	n := &node{code: code, typ: s.typ, unit: s.unit, div: s.div, short: o.ShortName, r: r}
	if parent != nil {
		o.ParentCode = parent.code
		parent.kids++
		o.SortOrder = parent.kids
	} else {
		o.SortOrder = 1
	}

	// Dates: the term first (so that the 换届 reminders come out in sensible proportions), the
	// establishment before it and not before the parent's.
	years := termYears(s.typ, s.unit)
	elected := g.electedOn(r, years)
	lo := time.Date(s.estFrom, 1, 1, 0, 0, 0, 0, time.UTC)
	hi := time.Date(s.estTo, 12, 31, 0, 0, 0, 0, time.UTC)
	if parent != nil && lo.Before(parent.est) && s.unit != org.UnitLocal {
		// Not for a 县委 under a 市委: a county's tree is the same whatever the scope.
		lo = parent.est
	}
	if hi.After(elected) {
		hi = elected
	}
	n.est = lo
	if hi.After(lo) {
		n.est = lo.AddDate(0, 0, r.IntN(int(hi.Sub(lo).Hours()/24)+1))
	}
	if n.est.After(g.today) {
		n.est = g.today
	}
	if s.typ == org.TypeTemporaryBranch { // set up for a project lately; its 班子 appointed then
		n.est = lo.AddDate(0, 0, r.IntN(int(g.today.Sub(lo).Hours()/24)+1))
		elected = n.est
	}
	if elected.Before(n.est) {
		elected = n.est
	}
	o.EstablishedOn = n.est

	missing := r.IntN(40) == 0 // drawn for every organisation, so that a subtree is the same in any scope
	switch {
	case s.typ == org.TypeGroup:
		if r.IntN(20) > 0 {
			on := parent.electedOn
			if on.IsZero() || on.Before(n.est) {
				on = n.est
			}
			o.Term = &Term{ElectedOn: on, Leaders: []Leader{{person(r), org.PostGroupLeader}}}
		}
	case missing && s.unit != org.UnitLocal:
		// no 班子 on record (about 1 in 40; never a 县委/市委/省委): the list shows 未录入班子
	default:
		o.Term = &Term{ElectedOn: elected, Leaders: leaders(r, s.typ, s.unit == org.UnitLocal)}
		n.electedOn = elected
	}
	if s.typ.IsBranchLike() {
		if err := g.staff(&o); err != nil {
			return n, err
		}
	}
	return n, g.emit(o)
}

// termYears follows the 2018 意见 on 基层组织任期: 村/社区 organisations 5 years, 党委/党工委
// 5 years, 党总支/党支部 3 years.
func termYears(t org.Type, u org.UnitType) int {
	switch {
	case u == org.UnitVillage || u == org.UnitCommunity:
		return 5
	case t == org.TypeCommittee || t == org.TypeWorkingCommittee:
		return 5
	}
	return 3
}

// electedOn draws the election date of a current term of the given length: about 6% of terms
// have run out (by up to a year), about 7% run out within 90 days, the rest later.
func (g *gen) electedOn(r *rand.Rand, years int) time.Time {
	var ends time.Time
	switch u := r.IntN(100); {
	case u < 6: // overdue
		ends = g.today.AddDate(0, 0, -1-r.IntN(365))
	case u < 13: // due within 90 days
		ends = g.today.AddDate(0, 0, r.IntN(90))
	default:
		span := years*365 - 90
		ends = g.today.AddDate(0, 0, 90+r.IntN(span))
	}
	return ends.AddDate(-years, 0, 0)
}

// leaders draws a 班子 for an organisation of type t; local is a 地方委员会 (县委, 市委, 省委).
func leaders(r *rand.Rand, t org.Type, local bool) []Leader {
	var posts []org.Post
	switch {
	case local: // 地方委员会: 书记, 2 副书记, 常委
		posts = []org.Post{org.PostSecretary, org.PostDeputySecretary, org.PostDeputySecretary,
			org.PostOrganization, org.PostPropaganda, org.PostDiscipline}
		for i := 3 + r.IntN(4); i > 0; i-- {
			posts = append(posts, org.PostMember)
		}
	case t == org.TypeCommittee || t == org.TypeWorkingCommittee || t == org.TypeGeneralBranch:
		// 3–7: 书记, often a 副书记, 组织/宣传/纪检委员, 委员
		size := 3 + r.IntN(5)
		if t == org.TypeGeneralBranch && size > 5 {
			size -= 2
		}
		posts = []org.Post{org.PostSecretary}
		if size >= 4 && r.IntN(10) < 8 {
			posts = append(posts, org.PostDeputySecretary)
		}
		for _, p := range []org.Post{org.PostOrganization, org.PostPropaganda, org.PostDiscipline, org.PostYouth} {
			if len(posts) < size {
				posts = append(posts, p)
			}
		}
		for len(posts) < size {
			posts = append(posts, org.PostMember)
		}
	case t == org.TypeTemporaryBranch:
		posts = []org.Post{org.PostSecretary, org.PostDeputySecretary}
		for i := 1 + r.IntN(3); i > 0; i-- {
			posts = append(posts, org.PostMember)
		}
	default: // 支部: a 支委会 of 3–5 (正式党员 7 人以上) or just a 书记 (and maybe a 副书记)
		switch u := r.IntN(100); {
		case u < 30:
			posts = []org.Post{org.PostSecretary}
		case u < 42:
			posts = []org.Post{org.PostSecretary, org.PostDeputySecretary}
		case u < 72:
			posts = []org.Post{org.PostSecretary, org.PostOrganization, org.PostPropaganda}
		case u < 88:
			posts = []org.Post{org.PostSecretary, org.PostOrganization, org.PostPropaganda, org.PostDiscipline}
		default:
			posts = []org.Post{org.PostSecretary, org.PostDeputySecretary, org.PostOrganization, org.PostPropaganda, org.PostDiscipline}
		}
	}
	out := make([]Leader, 0, len(posts))
	seen := make(map[string]bool, len(posts))
	for _, p := range posts {
		name := person(r)
		for i := 0; seen[name] && i < 10; i++ {
			name = person(r)
		}
		seen[name] = true
		out = append(out, Leader{Name: name, Post: p})
	}
	return out
}

// groups adds 2–4 党小组 under a 支部 with probability p.
func (g *gen) groups(parent *node, pl *place, p float64) error {
	if !parent.typ.IsBranchLike() || parent.r.Float64() >= p {
		return nil
	}
	k := 2 + parent.r.IntN(3)
	for i := 1; i <= k; i++ {
		code, err := pl.next()
		if err != nil {
			return err
		}
		if _, err := g.add(parent, code, nil, spec{typ: org.TypeGroup, unit: parent.unit, label: ordinal(i),
			div: parent.div, estFrom: parent.est.Year(), estTo: g.today.Year()}); err != nil {
			return err
		}
	}
	return nil
}
