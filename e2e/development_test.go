package e2e

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/auth"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/org"
)

// approvingCommittee is the nearest ancestor of branch that may approve 预备党员: a 党委 that is
// not a 村、社区党委 (what internal/development looks for).
func approvingCommittee(t *testing.T, f *fixture, branch *org.Org) *org.Org {
	t.Helper()
	ids := strings.Split(strings.Trim(branch.Path, "/"), "/")
	for i := len(ids) - 2; i >= 0; i-- {
		n, _ := strconv.ParseInt(ids[i], 10, 64)
		o, err := f.store.Get(f.sys, n)
		if err != nil {
			t.Fatal(err)
		}
		if (o.Type == org.TypeCommittee || o.Type == org.TypeWorkingCommittee) && o.UnitType != org.UnitVillage && o.UnitType != org.UnitCommunity && o.Status == org.StatusActive {
			return o
		}
	}
	t.Fatalf("no approving 党委 above %s", branch.Name)
	return nil
}

// devFlow records the steps of one case through its page, in two tabs: the branch secretary's
// and the 党委's. Switching tab reloads the case, as a second user would see it.
type devFlow struct {
	path string
	last *Tab
}

func (d *devFlow) open(tab *Tab, code string) {
	tab.t.Helper()
	if d.last != tab {
		tab.Open(d.path)
		tab.WaitVisible("dev-timeline")
		d.last = tab
	}
	tab.Click("dev-record-" + code)
	tab.WaitVisible("dev-step-form")
}

func typeDate(tab *Tab, testid string, on civil.Date) {
	tab.t.Helper()
	tab.Type(testid, on.String())
	// Leaving the field commits it; a click on the dialog's title (Tab would open the next picker).
	tab.ClickJS("the dialog's title", `one('.el-dialog__title')`)
	tab.WaitJS("the date picker to keep "+on.String(), `const i = document.querySelector(`+q(inputOf(testid))+`);
		return i.value === `+q(on.String())+` && document.activeElement !== i && all('.el-picker__popper').length === 0`)
}

func typeNumber(tab *Tab, testid string, n int) {
	tab.t.Helper()
	tab.Type(testid, strconv.Itoa(n))
	tab.ClickJS("the dialog's title", `one('.el-dialog__title')`)
}

// step records code on day on (fill completes the form) and waits for the form to close.
func (d *devFlow) step(tab *Tab, code string, on civil.Date, fill func()) {
	tab.t.Helper()
	d.open(tab, code)
	typeDate(tab, "dev-step-on", on)
	if fill != nil {
		fill()
	}
	tab.Click("dev-step-submit")
	tab.WaitGone("dev-step-form")
}

// pick chooses an option of a filterable el-select (its shown value is not a selected-item tag).
func pick(tab *Tab, testid, label string) {
	tab.t.Helper()
	tab.ClickJS(testid, `one(testid(`+q(testid)+`) + '.el-select .el-select__wrapper')`)
	tab.ClickJS(fmt.Sprintf("option %q of %s", label, testid), `all('.el-select-dropdown__item').find((li) => text(li) === `+q(label)+`)`)
	tab.WaitJS(fmt.Sprintf("%s to show %q", testid, label), `return text(one(testid(`+q(testid)+`))) === `+q(label))
}

// refused submits the open form and waits for the refusal naming want.
func refusedWith(tab *Tab, want ...string) {
	tab.t.Helper()
	tab.Click("dev-step-submit")
	for _, w := range want {
		tab.WaitTextContains("dev-step-refusal", w)
	}
}

// g. A whole 发展党员 case through the UI, from the application (two and a half years ago) to
// 转正: the branch secretary records the branch's steps, the 党委 the 预审 and 审批 — the
// secretary's attempt at the 预审 is refused with the rule and the 党委's name, a 支部大会 whose
// votes do not pass is refused with its article — and at the end the applicant is in the
// roster as 正式党员.
func developmentCase(t *testing.T, f *fixture, secretary, committee *Tab) {
	branch := quietBranch(t, f, f.qiming, civil.Today().AddDate(-3, 0, 0))
	approver := approvingCommittee(t, f, branch)
	for i, name := range []string{"陈光明", "刘春华", "赵卫东", "孙丽萍", "周志刚"} {
		if _, err := f.members.Create(f.sys, member.Input{OrgID: branch.ID, Name: name, IDNumber: idNumber17(70 + i), Ethnicity: "01",
			Education: "21", JoinedOn: civil.New(2008, 7, 1), FullOn: civil.New(2009, 7, 1)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []auth.NewUser{
		{Username: "zhibu", DisplayName: "支部书记", Role: "org-admin", OrgCode: branch.Code},
		{Username: "dangwei", DisplayName: "党委组织委员", Role: "org-admin", OrgCode: approver.Code},
	} {
		u.Password = password
		if _, err := auth.AddUser(f.sys, f.db, u); err != nil {
			t.Fatal(err)
		}
	}
	secretary.Login("zhibu", password)
	committee.Login("dangwei", password)

	// The application, two and a half years ago (the time rules count from here).
	applied := civil.Today().AddDate(0, 0, -900)
	day := func(n int) civil.Date { return applied.AddDate(0, 0, n) }
	const name = "吴新苗"
	secretary.Open("/development/" + id(branch))
	secretary.WaitText("dev-title", branch.Name)
	secretary.Click("dev-new")
	secretary.WaitVisible("dev-create")
	secretary.Type("dev-create-name", name)
	secretary.Type("dev-create-id", idNumber17(60))
	typeDate(secretary, "dev-create-applied", applied)
	secretary.Click("dev-create-submit")
	secretary.WaitText("dev-case-name", name)
	d := &devFlow{path: secretary.Path(), last: secretary}

	person := func(tab *Tab, i int, who string) func() {
		return func() { tab.Type(fmt.Sprintf("dev-person-%d", i), who) }
	}
	d.step(secretary, "s02", day(10), person(secretary, 0, "陈光明"))
	d.step(secretary, "s03", day(30), nil)
	d.step(secretary, "s04", day(35), nil)
	d.step(secretary, "s05", day(35), func() {
		secretary.Type("dev-person-0", "刘春华") // two rows: 一至两名
		secretary.Type("dev-person-1", "赵卫东")
	})
	d.step(secretary, "s06", day(200), nil)
	d.step(secretary, "s06", day(370), nil)
	d.step(secretary, "s07", day(400), nil)
	d.step(secretary, "s08", day(420), nil)
	d.step(secretary, "s09", day(425), nil) // 入党介绍人: the two 培养联系人, pre-filled
	d.step(secretary, "s10", day(440), nil)
	d.step(secretary, "s11", day(450), func() { typeNumber(secretary, "dev-training-days", 3) })
	d.step(secretary, "s12", day(460), nil)

	// The 预审 is the 党委's: the page says so, and the secretary is refused with the rule and
	// the 党委's name.
	secretary.WaitTextContains("dev-next-actor", approver.Name)
	d.open(secretary, "s13")
	typeDate(secretary, "dev-step-on", day(470))
	refusedWith(secretary, approver.Name, "依据")
	secretary.ClickJS("取消", `all('button', one(testid('dev-step-form'))).find((b) => text(b) === '取消')`)
	secretary.WaitGone("dev-step-form")
	d.step(committee, "s13", day(470), nil)

	d.step(secretary, "s14", day(480), nil)
	// 支部大会: 2 of 5 in favour is not more than half of those entitled: refused, then the real count.
	d.open(secretary, "s15")
	typeDate(secretary, "dev-step-on", day(490))
	typeNumber(secretary, "dev-vote-entitled", 5)
	typeNumber(secretary, "dev-vote-present", 5)
	typeNumber(secretary, "dev-vote-yes", 2)
	refusedWith(secretary, "赞成 2 票", "第二十一条")
	typeNumber(secretary, "dev-vote-yes", 5)
	secretary.Click("dev-step-submit")
	secretary.WaitGone("dev-step-form")

	d.step(committee, "s16", day(495), nil)
	// The 审批 creates the member record: the form asks for the 党员信息 the case lacks.
	d.step(committee, "s17", day(510), func() {
		committee.WaitVisible("dev-profile-needed")
		pick(committee, "dev-profile-ethnicity", "汉族")
		pick(committee, "dev-profile-education", "大学本科")
	})
	committee.WaitText("dev-case-phase", "预备党员")
	committee.WaitVisible("dev-case-member")
	committee.WaitVisible("dev-letter-approval")

	d.step(committee, "s18", day(520), nil)
	d.step(secretary, "s19", day(525), nil)
	d.step(secretary, "s20", day(530), nil)
	d.step(secretary, "s21", day(700), nil)
	d.step(secretary, "s22", day(850), nil)
	d.step(secretary, "s23", day(860), func() {
		secretary.ClickJS("按期转正", `all('.el-radio', one(testid('dev-outcome'))).find((r) => text(r) === '按期转正')`)
		typeNumber(secretary, "dev-vote-entitled", 5)
		typeNumber(secretary, "dev-vote-present", 5)
		typeNumber(secretary, "dev-vote-yes", 5)
	})
	d.step(committee, "s24", day(870), nil)
	committee.WaitText("dev-case-phase", "正式党员")
	d.step(secretary, "s25", day(880), nil)

	// The roster lists the new member as 正式党员, joined on the day of the 支部大会.
	secretary.Open("/members/" + id(branch))
	secretary.WaitTextContains("members-title", branch.Name)
	secretary.WaitJS("the roster to list "+name+" as 正式党员", `const row = all('.el-table__row', one(testid('members-table'))).find((r) => text(r).includes(`+q(name)+`));
		return !!row && text(row).includes('正式党员')`)
	m, err := f.members.List(f.sys, member.ListFilter{Under: branch.ID, Q: name}, api.Paging{Page: 1, Size: 20})
	if err != nil || len(m.Items) != 1 || m.Items[0].JoinedOn != day(490) || m.Items[0].FullOn != day(490).AddDate(1, 0, 0) {
		t.Fatalf("the registry after 转正: %+v %v", m.Items, err)
	}
}
