package demo

import (
	"hash/fnv"
	"math/rand/v2"
	"time"

	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/org"
)

// 组织生活 and 党费 of the last twelve months. Every 支部 of a generated tree gets a plausible
// past year: a 支委会 each month where it has a 支部委员会, a 支部党员大会 and a 党课 each
// quarter, a 主题党日 each month on its fixed day, a 党小组会 each month in each 党小组 — most
// branches hold nearly all of them, some skip a few, a few stop for months, so that the
// compliance pages have something to show. Most members attend; some ask for leave, a few are
// absent. Every member has a 党费 standard from their 工作岗位 and has paid most past months;
// some are 3–6 months in arrears. All of it is drawn from the seed and the 支部's code, so the
// same options give the same activity.

// Activity is the past year of one 支部 (党支部, 联合党支部, 临时党支部) and its 党小组.
// Members are referred to by their position in Members (MembersOf's order).
type Activity struct {
	Branch   *Org
	Groups   []*Org
	Members  []member.Input
	Meetings []Meeting
	Dues     []Dues
}

// Meeting is one meeting of the 支部 or of one of its 党小组 (OrgCode).
type Meeting struct {
	OrgCode    string
	Type       string // a meeting type code of package life
	HeldOn     civil.Date
	Topic      string
	Place      string
	Host       string
	Attendance []Attendance
}

// Attendance is one member's attendance.
type Attendance struct {
	Member int    // index into Activity.Members
	Status string // present, leave, absent
	Reason string
}

// Dues is one member's standard and the months they paid.
type Dues struct {
	Member   int
	From     civil.Date // first day of the standard's first month
	Category string     // a category code of package dues
	BaseFen  int64      // salaried, self_employed, retired: the monthly base
	FixedFen int64      // farmer: 20–100 分
	Paid     []Paid
}

// Paid is one month paid in full.
type Paid struct {
	Month  civil.Date // first day of the month
	PaidOn civil.Date
	Method string // cash, transfer, online
}

// Meeting type codes of package life (demo does not import it).
const (
	lifeCongress  = "branch_congress"
	lifeCommittee = "branch_committee"
	lifeGroup     = "group_meeting"
	lifeLecture   = "party_lecture"
	lifeThemeDay  = "theme_day"
)

// GenerateActivity generates the tree opt describes (as Generate, without emitting it) and
// streams the activity of each of its 支部, in tree order, once its 党小组 are known.
func GenerateActivity(opt Options, emit func(*Activity) error) error {
	var cur *Activity
	flush := func() error {
		if cur == nil {
			return nil
		}
		a := cur
		cur = nil
		if err := MembersOf(opt, *a.Branch, func(m member.Input) error {
			a.Members = append(a.Members, m)
			return nil
		}); err != nil {
			return err
		}
		newLife(opt, a).generate()
		return emit(a)
	}
	err := Generate(opt, func(o Org) error {
		// A 支部's 党小组 come right after it.
		if o.Type == org.TypeGroup && cur != nil && o.ParentCode == cur.Branch.Code {
			g := o
			cur.Groups = append(cur.Groups, &g)
			return nil
		}
		if err := flush(); err != nil {
			return err
		}
		if o.Type.IsBranchLike() && o.Members > 0 {
			b := o
			cur = &Activity{Branch: &b}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}

// life draws one 支部's year.
type life struct {
	a        *Activity
	r        *rand.Rand
	today    civil.Date
	from     civil.Date // the first day of the window: the first of the month, eleven months back
	habit    int        // 0 diligent, 1 patchy, 2 lax, 3 stopped in the last months
	stopped  civil.Date // habit 3: nothing from this day on
	themeDay int
	place    string
}

func newLife(opt Options, a *Activity) *life {
	h := fnv.New64a()
	h.Write([]byte(a.Branch.Code + "/life"))
	l := &life{a: a, r: rand.New(rand.NewPCG(uint64(opt.Seed), h.Sum64())), today: civil.Of(opt.Today)}
	first := civil.New(l.today.Year(), l.today.Time().Month(), 1)
	l.from = first.AddDate(0, -11, 0)
	switch u := l.r.IntN(100); {
	case u < 68:
		l.habit = 0
	case u < 88:
		l.habit = 1
	case u < 96:
		l.habit = 2
	default:
		l.habit = 3
		l.stopped = l.today.AddDate(0, -7-l.r.IntN(3), 0)
	}
	l.themeDay = 5 + l.r.IntN(21)
	l.place = places[l.r.IntN(len(places))]
	return l
}

var places = []string{"党员活动室", "党群服务中心", "会议室", "党建活动室", "新时代文明实践站"}

var topics = map[string][]string{
	lifeCongress: {"传达学习上级会议精神", "讨论接收预备党员", "学习《中国共产党章程》", "通报党费收缴情况", "研究年度工作计划",
		"讨论发展对象", "学习《中国共产党支部工作条例（试行）》", "总结上半年工作"},
	lifeCommittee: {"研究本月党建工作安排", "研究主题党日活动方案", "分析党员思想状况", "研究发展党员工作", "研究党费收缴工作",
		"研究为民办实事项目", "研究组织生活会准备工作", "研究党员教育培训计划"},
	lifeGroup: {"学习党的创新理论", "交流学习心得", "学习党史", "讨论本小组工作", "学习先进典型事迹", "学习廉洁自律规定"},
	lifeLecture: {"坚定理想信念 筑牢信仰之基", "学习党章 遵守党章", "弘扬伟大建党精神", "以学促干 担当作为",
		"全面从严治党永远在路上", "践行全心全意为人民服务的根本宗旨"},
	lifeThemeDay: {"重温入党誓词", "志愿服务进社区", "参观红色教育基地", "集中学习研讨", "走访慰问困难党员群众",
		"环境卫生整治", "政策宣讲", "观看红色影片"},
}

var leaveReasons = []string{"因公出差", "生病就医", "外出务工", "家中有事", "值班", "参加培训"}

func (l *life) pick(xs []string) string { return xs[l.r.IntN(len(xs))] }

// skip says whether a branch of this habit leaves out one meeting of a kind.
func (l *life) skip(monthly bool) bool {
	p := [4]float64{0.03, 0.22, 0.5, 0.05}[l.habit]
	if !monthly {
		p = [4]float64{0.0, 0.15, 0.4, 0.0}[l.habit]
	}
	return l.r.Float64() < p
}

// day is a working day near the given day of the month, before today and in the window.
func (l *life) day(month civil.Date, dom int) (civil.Date, bool) {
	last := month.AddDate(0, 1, -1).Time().Day()
	d := civil.New(month.Year(), month.Time().Month(), min(dom, last))
	switch d.Time().Weekday() {
	case time.Saturday:
		d = d.AddDate(0, 0, -1)
	case time.Sunday:
		d = d.AddDate(0, 0, 1)
	}
	return d, l.open(d)
}

// fixed is the day dom of month (its last day when shorter), if in the window.
func (l *life) fixed(month civil.Date, dom int) (civil.Date, bool) {
	last := month.AddDate(0, 1, -1).Time().Day()
	d := civil.New(month.Year(), month.Time().Month(), min(dom, last))
	return d, l.open(d)
}

// open says whether the branch may have met on d: in the window, before today, after it was
// set up, before a stopped branch stopped.
func (l *life) open(d civil.Date) bool {
	return !d.Before(l.from) && d.Before(l.today) && !d.Before(civil.Of(l.a.Branch.EstablishedOn)) &&
		(l.habit != 3 || d.Before(l.stopped))
}

// members on the roster on day d: joined by then.
func (l *life) on(d civil.Date) []int {
	var out []int
	for i, m := range l.a.Members {
		if !m.JoinedOn.After(d) {
			out = append(out, i)
		}
	}
	return out
}

// attend marks who: mostly present; 流动党员 and 失联党员 often not.
func (l *life) attend(who []int) []Attendance {
	out := make([]Attendance, 0, len(who))
	for _, i := range who {
		m := l.a.Members[i]
		a := Attendance{Member: i, Status: "present"}
		u := l.r.Float64()
		switch {
		case m.LostContact:
			a.Status = "absent"
		case m.Mobile && u < 0.6:
			a.Status, a.Reason = "leave", "外出务工"
		case u < 0.09:
			a.Status, a.Reason = "leave", l.pick(leaveReasons)
		case u < 0.13:
			a.Status = "absent"
		}
		out = append(out, a)
	}
	return out
}

// quorum makes more than half of the counted members present, turning the first absentees
// (leave or absent) into present.
func quorum(att []Attendance, counts func(int) bool) bool {
	total, present := 0, 0
	for _, a := range att {
		if counts(a.Member) {
			total++
			if a.Status == "present" {
				present++
			}
		}
	}
	if total == 0 {
		return false
	}
	for i := range att {
		if present*2 > total {
			break
		}
		if counts(att[i].Member) && att[i].Status != "present" {
			att[i].Status, att[i].Reason = "present", ""
			present++
		}
	}
	return present*2 > total
}

func present(att []Attendance) int {
	n := 0
	for _, a := range att {
		if a.Status == "present" {
			n++
		}
	}
	return n
}

func (l *life) add(code, typ string, d civil.Date, host string, att []Attendance) {
	if len(att) == 0 {
		return
	}
	l.a.Meetings = append(l.a.Meetings, Meeting{OrgCode: code, Type: typ, HeldOn: d, Topic: l.pick(topics[typ]), Place: l.place, Host: host, Attendance: att})
}

func (l *life) generate() {
	b := l.a.Branch
	var leaders []Leader
	if b.Term != nil {
		leaders = b.Term.Leaders
	}
	// MembersOf puts the 班子 first, as many as there are 正式党员.
	nLeaders := min(len(leaders), b.Members-b.Probationary, len(l.a.Members))
	host := ""
	if nLeaders > 0 {
		host = leaders[0].Name
	}
	committee := nLeaders >= 3 && b.Term != nil
	elected := civil.Date{}
	if committee {
		elected = civil.Of(b.Term.ElectedOn)
	}
	for k := range 12 {
		month := l.from.AddDate(0, k, 0)
		quarterEnd := k%3 == 2 || k == 11
		// 支委会: the 班子 alone, more than half of them present.
		if committee && !l.skip(true) {
			if d, ok := l.day(month, 3+l.r.IntN(5)); ok && !d.Before(elected) {
				var who []int
				for i := range nLeaders {
					if !l.a.Members[i].JoinedOn.After(d) {
						who = append(who, i)
					}
				}
				// More than half of the whole 班子, some of whom may not be on the roster.
				att := l.attend(who)
				need := len(leaders)/2 + 1
				for i := range att {
					if present(att) >= need {
						break
					}
					att[i].Status, att[i].Reason = "present", ""
				}
				if present(att) >= need {
					l.add(b.Code, lifeCommittee, d, host, att)
				}
			}
		}
		// 主题党日 on the branch's fixed day, weekend or not.
		if !l.skip(true) {
			if d, ok := l.fixed(month, l.themeDay); ok {
				l.add(b.Code, lifeThemeDay, d, host, l.attend(l.on(d)))
			}
		}
		// 党小组会: each group its own members (a share of the roster), once a month.
		for gi, g := range l.a.Groups {
			if l.skip(true) {
				continue
			}
			d, ok := l.day(month, 10+l.r.IntN(8))
			if !ok || d.Before(civil.Of(g.EstablishedOn)) {
				continue
			}
			var who []int
			for _, i := range l.on(d) {
				if i%len(l.a.Groups) == gi {
					who = append(who, i)
				}
			}
			gh := ""
			if g.Term != nil && len(g.Term.Leaders) > 0 {
				gh = g.Term.Leaders[0].Name
			}
			l.add(g.Code, lifeGroup, d, gh, l.attend(who))
		}
		if !quarterEnd {
			continue
		}
		// 支部党员大会: more than half of the 正式党员 present.
		if !l.skip(false) {
			if d, ok := l.day(month, 18+l.r.IntN(6)); ok {
				att := l.attend(l.on(d))
				voting := func(i int) bool { f := l.a.Members[i].FullOn; return !f.IsZero() && !f.After(d) }
				if quorum(att, voting) {
					l.add(b.Code, lifeCongress, d, host, att)
				}
			}
		}
		// 党课, by the 书记 or a 委员.
		if !l.skip(false) {
			if d, ok := l.day(month, 12+l.r.IntN(6)); ok {
				speaker := host
				if nLeaders > 1 && l.r.IntN(3) == 0 {
					speaker = leaders[1+l.r.IntN(nLeaders-1)].Name
				}
				l.add(b.Code, lifeLecture, d, speaker, l.attend(l.on(d)))
			}
		}
	}
	l.dues()
}

// wageBase is a monthly base (yuan) for those in work, by the kind of unit the 支部 is in.
var wageBase = map[org.UnitType][2]int{
	org.UnitOrgan: {5500, 9500}, org.UnitInstitution: {4500, 8500}, org.UnitSchool: {4500, 8000}, org.UnitSOE: {4500, 10000},
	org.UnitCollective: {3000, 5500}, org.UnitPrivate: {3500, 8000}, org.UnitSocial: {3000, 6000}, org.UnitCommunity: {3000, 5000},
	org.UnitVillage: {2500, 4500}, org.UnitStreet: {4500, 7500}, org.UnitTownship: {4000, 7000}, org.UnitLocal: {5500, 9500},
	org.UnitOther: {3000, 6000},
}

func (l *life) yuan(lo, hi int) int64 { return int64(lo+l.r.IntN(hi-lo+1)) * 100 }

// dues gives every member a standard from their 工作岗位 and pays most past months.
func (l *life) dues() {
	b := l.a.Branch
	cur := civil.New(l.today.Year(), l.today.Time().Month(), 1)
	wb, ok := wageBase[b.UnitType]
	if !ok {
		wb = wageBase[org.UnitOther]
	}
	for i, m := range l.a.Members {
		d := Dues{Member: i}
		switch job := m.Job; {
		case job == "4":
			d.Category, d.BaseFen = "retired", l.yuan(2200, 6500)
		case job == "1":
			d.Category, d.FixedFen = "farmer", int64(2+l.r.IntN(9))*10
		case job == "113":
			d.Category, d.BaseFen = "self_employed", l.yuan(2500, 6000)
		case job == "3":
			d.Category = "student_etc"
		case job == "5":
			if l.r.IntN(2) == 0 {
				d.Category = "student_etc"
			} else {
				d.Category, d.BaseFen = "self_employed", l.yuan(2000, 4500)
			}
		default: // 在岗职工, 军人
			d.Category, d.BaseFen = "salaried", l.yuan(wb[0], wb[1])
		}
		joined := civil.New(m.JoinedOn.Year(), m.JoinedOn.Time().Month(), 1)
		d.From = l.from
		if joined.After(d.From) {
			d.From = joined
		}
		if d.From.After(cur) {
			continue // joins later this month at the earliest: nothing due yet
		}
		// Paid up to: last month for most; a month earlier for some (collected later); 3–6
		// months unpaid for a few.
		upTo := cur.AddDate(0, -1, 0)
		switch u := l.r.IntN(100); {
		case m.LostContact || u < 7:
			upTo = cur.AddDate(0, -3-l.r.IntN(4), 0)
		case u < 17:
			upTo = cur.AddDate(0, -2, 0)
		case u < 47:
			upTo = cur // this month too
		}
		method := []string{"cash", "transfer", "online"}[l.r.IntN(3)]
		for mo := d.From; !mo.After(upTo); mo = mo.AddDate(0, 1, 0) {
			paid := mo.AddDate(0, 0, 4+l.r.IntN(20))
			if !paid.Before(l.today) {
				paid = l.today.AddDate(0, 0, -1)
				if paid.Before(mo) {
					continue
				}
			}
			d.Paid = append(d.Paid, Paid{Month: mo, PaidOn: paid, Method: method})
		}
		l.a.Dues = append(l.a.Dues, d)
	}
}
