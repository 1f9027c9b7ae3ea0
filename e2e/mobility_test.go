package e2e

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/life"
	"github.com/dangjian/dangjian/internal/member"
)

// g. On a phone, the 街道 admin registers a member who went to work in 深圳 seven months ago at
// a fixed place (the page then proposes 应转移组织关系, citing 第二十五条), marks another member
// lost — a date before he joined is refused with the rule's source, then the date counted from
// his last 组织生活 is taken — records a search for him, and finally registers the first
// member's return. The API shows each record and the member flags as the dialogs left them.
func mobilityPhone(t *testing.T, tab *Tab, f *fixture) {
	today := civil.Today()
	branch := quietBranch(t, f, f.qiming, civil.New(2008, 1, 1))
	mk := func(name string, seq int) *member.Detail {
		m, err := f.members.Create(f.sys, member.Input{OrgID: branch.ID, Name: name, IDNumber: idNumber17(seq), Ethnicity: "01",
			Education: "21", JoinedOn: civil.New(2008, 7, 1), FullOn: civil.New(2009, 7, 1), AddedAs: member.AddedRegister})
		if err != nil {
			t.Fatalf("creating member %s in %s: %v", name, branch.Name, err)
		}
		return m
	}
	away, lost := mk("郭外出", 81), mk("邓失联", 82)
	attended := today.AddDate(0, 0, -40)
	if _, err := life.NewStore(f.db, f.store).Create(f.sys, life.MeetingInput{OrgID: branch.ID, Type: life.TypePartyLecture, HeldOn: attended,
		Topic: "学习党章", Host: "书记", Attendance: []life.AttendanceInput{{MemberID: lost.ID, Status: "present"}, {MemberID: away.ID, Status: "absent"}}}); err != nil {
		t.Fatalf("the 党课 of %s: %v", attended, err)
	}
	left := today.AddDate(0, -7, 0)
	row := func(table, name string) string {
		return `all('.el-table__row', one(testid(` + q(table) + `))).find((r) => text(r).includes(` + q(name) + `))`
	}
	openTab := func(label string) {
		tab.ClickJS("the tab "+label, `all('.el-tabs__item').find((i) => text(i).startsWith(`+q(label)+`))`)
	}
	pick := func(name string) {
		tab.Type("mobility-pick", name)
		tab.ClickJS("the member "+name, `all('.el-select-dropdown__item').find((li) => text(li).startsWith(`+q(name+"（")+`))`)
		tab.WaitTextContains("mobility-target", name)
	}
	date := func(testid string, d string) {
		tab.Type(testid, d)
		tab.PressTab()
		tab.WaitJS(testid+" to keep "+d, `return document.querySelector(`+q(inputOf(testid))+`).value === `+q(d)+` && all('.el-picker__popper').filter(vis).length === 0`)
	}
	record := func(m *member.Detail) map[string]any {
		status, rec := tab.APIStatus(fmt.Sprintf("/api/v1/mobility/members/%d", m.ID))
		if status != http.StatusOK {
			tab.Fatalf("GET the 流动/失联 file of %s: %d %v", m.Name, status, rec)
		}
		return rec
	}

	tab.Phone(phoneW, phoneH)
	tab.Login("jiedao", password)
	tab.WaitPhone(phoneW)
	tab.Open("/mobility")
	tab.WaitText("mobility-title", "流动党员和失联党员")

	// 外出: seven months ago, 跨省, a fixed place.
	tab.Click("mobility-go")
	tab.WaitJS("the dialog to fill the phone's screen", `const d = all('.el-dialog').find(vis); return !!d && d.classList.contains('is-fullscreen') && Math.round(d.getBoundingClientRect().width) === innerWidth`)
	pick(away.Name)
	date("go-left-on", left.String())
	tab.Select("go-scope", "跨省（区、市）流动")
	tab.Type("go-place", "广东省深圳市南山区某科技公司")
	tab.Click("go-fixed")
	tab.Click("mobility-save")
	tab.WaitGone("mobility-save")
	tab.WaitJS(away.Name+" in the 流出 list, away for 7 months", `const r = `+row("outing-table", away.Name)+`; return !!r && text(r).includes('7个月') && text(r).includes('跨省')`)
	tab.WaitTextContains("outing-summary", "跨省 1 人")
	rec := record(away)
	outing, _ := rec["outing"].(map[string]any)
	if rec["mobile"] != true || outing == nil || outing["left_on"] != left.String() || outing["scope"] != "cross_province" || outing["fixed_place"] != true {
		tab.Fatalf("%s's file after the outing: %v", away.Name, rec)
	}

	// 待处理建议: 应转移组织关系, with its article.
	openTab("待处理建议")
	tab.WaitJS("the transfer proposal for "+away.Name, `return all(testid('proposal')).some((p) => text(p).includes(`+q(away.Name)+`) && text(p).includes('应转移组织关系') && text(p).includes('第二十五条'))`)

	// 应核实: the member away has neither 组织生活 nor 党费; the one who came to the 党课 is not listed.
	openTab("应核实")
	tab.WaitJS(away.Name+" on the screening list", `return !!`+row("screening-table", away.Name))
	tab.WaitJS(lost.Name+" not on it", `return !`+row("screening-table", lost.Name))

	// 失联: a date before 入党 is refused with the rule's source; then the computed date.
	tab.Click("mobility-lost")
	pick(lost.Name)
	tab.WaitTextContains("lost-basis", attended.String())
	tab.WaitTextContains("lost-basis", "组织生活")
	date("lost-on", "2000-01-05")
	tab.Select("lost-situation", "1 外出务工经商")
	tab.Click("mobility-save")
	tab.WaitTextContains("mobility-refusal", "不能早于加入党组织日期")
	tab.WaitTextContains("mobility-refusal", "依据")
	tab.Click("lost-use-basis")
	tab.WaitJS("the date cleared", `return document.querySelector(`+q(inputOf("lost-on"))+`).value === ''`)
	tab.Click("mobility-save")
	tab.WaitGone("mobility-save")
	openTab("失联")
	tab.WaitJS(lost.Name+" in the 失联 list", `const r = `+row("loss-table", lost.Name)+`; return !!r && text(r).includes(`+q(attended.String())+`)`)

	// 查找记录 from the row.
	tab.ClickJS("查找 for "+lost.Name, `one(testid('loss-search'), `+row("loss-table", lost.Name)+` || null)`)
	tab.WaitTextContains("mobility-target", lost.Name)
	tab.Type("search-way", "电话、走访家属")
	tab.Type("search-result", "电话停机，家属称在外务工，去向不明")
	tab.Click("mobility-save")
	tab.WaitGone("mobility-save")
	tab.WaitJS("one search counted", `const r = `+row("loss-table", lost.Name)+`; return !!r && text(r).includes('1 次')`)
	rec = record(lost)
	loss, _ := rec["loss"].(map[string]any)
	if rec["lost"] != true || loss == nil || loss["lost_on"] != attended.String() || loss["basis"] != "attendance" || loss["situation"] != "1" || len(loss["searches"].([]any)) != 1 {
		tab.Fatalf("%s's file after the loss and the search: %v", lost.Name, rec)
	}

	// 返回.
	openTab("流出")
	tab.ClickJS("返回 for "+away.Name, `one(testid('outing-return'), `+row("outing-table", away.Name)+` || null)`)
	tab.WaitTextContains("mobility-target", away.Name)
	tab.Click("mobility-save")
	tab.WaitGone("mobility-save")
	tab.WaitJS(away.Name+" gone from the open 流出 list", `return !`+row("outing-table", away.Name))
	if rec = record(away); rec["mobile"] != false || rec["outing"] != nil {
		tab.Fatalf("%s's file after the return: %v", away.Name, rec)
	}
	status, m := tab.APIStatus(fmt.Sprintf("/api/v1/members/%d", away.ID))
	if status != http.StatusOK || m["mobile"] != false || m["mobile_to"] != "" {
		tab.Fatalf("%s's member record after the return: %d mobile %v %q", away.Name, status, m["mobile"], m["mobile_to"])
	}
	if status, m = tab.APIStatus(fmt.Sprintf("/api/v1/members/%d", lost.ID)); status != http.StatusOK || m["lost_contact"] != true || m["lost_on"] != attended.String() {
		tab.Fatalf("%s's member record: %d lost %v on %v", lost.Name, status, m["lost_contact"], m["lost_on"])
	}
}
