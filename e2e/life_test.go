package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/org"
)

// phoneW×phoneH is a common phone screen in CSS pixels.
const phoneW, phoneH = 375, 740

// quietBranch finds a 党支部 in the subtree of o that no other scenario writes to: not the one
// importMembers fills (firstBranch), without members, established before since.
func quietBranch(t *testing.T, f *fixture, o *org.Org, since civil.Date) *org.Org {
	t.Helper()
	taken := firstBranch(t, f, o).ID
	var walk func(id int64) *org.Org
	walk = func(id int64) *org.Org {
		nodes, err := f.store.Tree(f.sys, id, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range nodes {
			if n.Type == org.TypeBranch && n.ID != taken {
				b, err := f.store.Get(f.sys, n.ID)
				if err != nil {
					t.Fatal(err)
				}
				if (b.EstablishedOn.IsZero() || b.EstablishedOn.Before(since)) && membersIn(t, f, b) == 0 {
					return b
				}
			}
			if b := walk(n.ID); b != nil {
				return b
			}
		}
		return nil
	}
	b := walk(o.ID)
	if b == nil {
		t.Fatalf("no second 党支部 without members under %s", o.Name)
	}
	return b
}

// idNumber17 makes a valid 公民身份号码 (born 1985-01-01 in 武陵区) from a sequence number. The
// scenarios share one database, so each keeps its own range: life 1–9, standing 40–49,
// development 60–79, mobility 80–89.
func idNumber17(seq int) string {
	first17 := fmt.Sprintf("43070219850101%03d", seq)
	return first17 + checkDigit(first17)
}

// quarterOf is the period code of d's quarter, e.g. 2026Q3.
func quarterOf(d civil.Date) string {
	return fmt.Sprintf("%dQ%d", d.Year(), (int(d.Time().Month())-1)/3+1)
}

// f. On a phone, the 街道 admin records last week's 支部党员大会 of a branch with the roster the
// form pre-fills, one member on leave; the 落实情况 then shows it held for that quarter and the
// members present got its 学时, the one on leave did not.
func recordMeetingPhone(t *testing.T, tab *Tab, f *fixture) {
	held := civil.Today().AddDate(0, 0, -7)
	branch := quietBranch(t, f, f.qiming, held)

	// Five 正式党员 since 2009; the third asks for leave.
	names := []string{"黄立新", "杨春梅", "林国栋", "何秀英", "罗建军"}
	ids := make([]int64, len(names))
	for i, name := range names {
		m, err := f.members.Create(f.sys, member.Input{OrgID: branch.ID, Name: name, IDNumber: idNumber17(i + 1), Ethnicity: "01",
			Education: "21", JoinedOn: civil.New(2008, 7, 1), FullOn: civil.New(2009, 7, 1)})
		if err != nil {
			t.Fatalf("creating member %s in %s: %v", name, branch.Name, err)
		}
		ids[i] = m.ID
	}
	const leave, reason = 2, "因公出差"
	att := func(i int) string { return fmt.Sprintf("att-%d", ids[i]) }

	tab.Phone(phoneW, phoneH)
	tab.Login("jiedao", password)
	tab.WaitPhone(phoneW)
	tab.Open("/life/meetings/" + id(branch))
	tab.WaitText("life-title", branch.Name)

	tab.Click("meeting-new")
	tab.WaitVisible("meeting-form")
	tab.WaitJS("the form to fill the phone's screen", `const d = one('.meeting-form');
		return !!d && d.classList.contains('is-fullscreen') && Math.round(d.getBoundingClientRect().width) === innerWidth`)
	tab.Select("meeting-type", "支部党员大会")

	// The date, typed as on a phone's keyboard; leaving the field commits it.
	date := held.String()
	tab.Type("meeting-date", date)
	tab.PressTab()
	tab.WaitJS("the date picker to keep "+date, `const i = document.querySelector(`+q(inputOf("meeting-date"))+`);
		return i.value === `+q(date)+` && document.activeElement !== i && all('.el-picker__popper').length === 0`)
	// The roster of that day, everyone 出席 (the form pre-fills it), once it has loaded.
	tab.WaitJS("the roster of "+date+" with the five members", `return !one('.meeting-form .attendance .el-loading-mask') &&
		all('.meeting-form .att-row').length === 5`)
	for i, name := range names {
		tab.WaitJS(name+" pre-filled as 出席", `const r = one(testid(`+q(att(i))+`));
			return !!r && text(r.querySelector('.name')) === `+q(name)+` && text(r.querySelector('.el-segmented__item.is-selected')) === '出席'`)
	}
	tab.WaitTextContains("att-counts", "出席 5 · 请假 0 · 缺席 0 / 共 5 人")
	tab.Type("meeting-topic", "学习《中国共产党章程》")

	tab.ClickJS("请假 for "+names[leave], `all('.el-segmented__item', one(testid(`+q(att(leave))+`))).find((i) => text(i) === '请假')`)
	tab.WaitJS(names[leave]+" marked 请假",
		`return text(one(testid(`+q(att(leave))+`))?.querySelector('.el-segmented__item.is-selected')) === '请假'`)
	tab.Type(fmt.Sprintf("att-reason-%d", ids[leave]), reason)
	tab.WaitTextContains("att-counts", "出席 4 · 请假 1 · 缺席 0 / 共 5 人")
	// 4 of 5 voting members: the quorum (more than half) is met, and the form says so.
	tab.WaitJS("the quorum to show as met", `const a = one(testid('meeting-quorum')); return !!a && a.classList.contains('el-alert--success')`)

	tab.Click("meeting-submit")
	tab.WaitGone("meeting-form")
	tab.WaitVisible("meeting-drawer")

	// The record, as the API lists it.
	status, list := tab.APIStatus(fmt.Sprintf("/api/v1/meetings?org=%d&from=%s&to=%s", branch.ID, date, date))
	items, _ := list["items"].([]any)
	if status != http.StatusOK || len(items) != 1 {
		tab.Fatalf("GET /api/v1/meetings for %s on %s: %d, %d items (%v); want the one meeting the form saved", branch.Name, date, status, len(items), list)
	}
	m := items[0].(map[string]any)
	counts, _ := m["counts"].(map[string]any)
	if m["type"] != "branch_congress" || m["held_on"] != date || counts["present"] != float64(4) || counts["leave"] != float64(1) || counts["listed"] != float64(5) {
		tab.Fatalf("the saved meeting is %v; want a branch_congress on %s with 4 present and 1 on leave of 5", m, date)
	}
	status, detail := tab.APIStatus(fmt.Sprintf("/api/v1/meetings/%v", m["id"]))
	if status != http.StatusOK {
		tab.Fatalf("GET /api/v1/meetings/%v: %d", m["id"], status)
	}
	for _, a := range detail["attendance"].([]any) {
		a := a.(map[string]any)
		if a["member_id"] == float64(ids[leave]) && (a["status"] != "leave" || a["reason"] != reason) {
			tab.Fatalf("%s's attendance is %v; want leave with the reason %q", names[leave], a, reason)
		}
	}

	// 落实情况 of that quarter: the 支部党员大会 is held, on that day.
	period := quarterOf(held)
	status, comp := tab.APIStatus(fmt.Sprintf("/api/v1/compliance?org=%d&period=%s", branch.ID, period))
	if status != http.StatusOK {
		tab.Fatalf("GET /api/v1/compliance?org=%d&period=%s: %d %v", branch.ID, period, status, comp)
	}
	var req map[string]any
	for _, it := range comp["items"].([]any) {
		it := it.(map[string]any)
		if it["org"].(map[string]any)["id"] != float64(branch.ID) {
			continue
		}
		for _, r := range it["requirements"].([]any) {
			if r := r.(map[string]any); r["type"] == "branch_congress" {
				req = r
			}
		}
	}
	if req == nil {
		tab.Fatalf("the compliance of %s for %s lists no 支部党员大会 requirement: %v", branch.Name, period, comp["items"])
	}
	periods, _ := req["periods"].([]any)
	if req["status"] != "held" || len(periods) != 1 || !strings.Contains(jsonOf(periods[0]), `"`+date+`"`) {
		tab.Fatalf("the 支部党员大会 of %s in %s is %v (%v): want held on %s", branch.Name, period, req["status"], req["text"], date)
	}

	// 学时: 1 (the 支部党员大会's default) for the four present, none for the one on leave.
	status, hours := tab.APIStatus(fmt.Sprintf("/api/v1/study-hours?org=%d&year=%d&page_size=100", branch.ID, held.Year()))
	if status != http.StatusOK {
		tab.Fatalf("GET /api/v1/study-hours for %s: %d %v", branch.Name, status, hours)
	}
	got := map[int64]map[string]any{}
	for _, it := range hours["items"].([]any) {
		it := it.(map[string]any)
		got[int64(it["member_id"].(float64))] = it
	}
	for i, name := range names {
		it := got[ids[i]]
		want, meetings := 1.0, 1.0
		if i == leave {
			want, meetings = 0, 0
		}
		if it == nil || it["hours"] != want || it["meetings"] != meetings {
			tab.Fatalf("%s's 学时 for %d: %v; want %.0f hours from %.0f meetings", name, held.Year(), it, want, meetings)
		}
	}
}
