package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/member"
)

// g. The 街道 admin opens a member's 党籍变动: 恢复党籍 is not offered to a member in good
// standing (the reason names 第二十四条), 死亡 is recorded through the dialog and shows in the
// history; the 党员数量变化 of the 街道 counts the death, balances, and says its 上年底 is
// derived until the admin freezes last year's totals (封存年报), after which it is taken from
// the snapshot and still balances.
func standingAndBalance(t *testing.T, tab *Tab, f *fixture) {
	branch := quietBranch(t, f, f.qiming, civil.New(civil.Today().Year(), 1, 1))
	names := []string{"邓光明", "谢玉兰"}
	var ids []int64
	for i, name := range names {
		m, err := f.members.Create(f.sys, member.Input{OrgID: branch.ID, Name: name, IDNumber: idNumber17(40 + i), Ethnicity: "01",
			Education: "21", JoinedOn: civil.New(2008, 7, 1), FullOn: civil.New(2009, 7, 1)})
		if err != nil {
			t.Fatalf("creating member %s in %s: %v", name, branch.Name, err)
		}
		ids = append(ids, m.ID)
	}
	report := func() map[string]any {
		status, rep := tab.APIStatus(fmt.Sprintf("/api/v1/stats/member-changes?org=%d", f.qiming.ID))
		if status != http.StatusOK {
			tab.Fatalf("GET /api/v1/stats/member-changes for %s: %d %v", f.qiming.Name, status, rep)
		}
		return rep
	}

	tab.Login("jiedao", password)
	tab.Open("/members/" + id(branch))
	tab.WaitTextContains("members-title", branch.Name)
	tab.ClickJS("the row of "+names[0], `all('[data-testid="members-table"] .el-table__body-wrapper .el-table__row').find((r) => text(r).includes(`+q(names[0])+`))`)
	tab.WaitVisible("member-drawer")
	tab.Click("btn-change-status")
	tab.WaitVisible("status-dialog")
	tab.WaitVisible("status-kind-death")
	tab.ClickJS("the list of procedures not open", `all('.refused .el-collapse-item__header')[0]`)
	tab.WaitTextContains("status-refused-restore", "第二十四条")
	before := report()

	tab.ClickJS("死亡", `one(testid('status-kind-death'))`)
	tab.WaitTextContains("status-hint", "本年减少")
	tab.Type("status-reason", "因病医治无效逝世")
	tab.Click("status-submit")
	tab.ClickJS("the confirmation", `all('.el-message-box__btns button').find((b) => text(b) === '确认办理')`)
	tab.WaitTextContains("status-history", "死亡")
	tab.WaitTextContains("status-current", "已去世")
	tab.ClickJS("关闭", `all('.el-dialog__footer button', one(testid('status-dialog'))?.closest('.el-dialog')).find((b) => text(b) === '关闭')`)

	after := report()
	node := func(rep map[string]any) map[string]any {
		for _, r := range rep["rows"].([]any) {
			if r := r.(map[string]any); r["node"] == true {
				return r
			}
		}
		tab.Fatalf("no node row in %v", rep)
		return nil
	}
	b, a := node(before), node(after)
	if a["death"].(float64) != b["death"].(float64)+1 || a["actual"].(float64) != b["actual"].(float64)-1 || a["difference"] != float64(0) {
		tab.Fatalf("the death is not in the 街道's balance: before %v, after %v", b, a)
	}

	// The page: the node's row bold, the balance, the note that 上年底 is derived.
	tab.Open("/member-changes/" + id(f.qiming))
	tab.WaitTextContains("member-changes-title", f.qiming.Name)
	tab.WaitTextContains("member-changes-derived", "未封存年报")
	tab.WaitTextContains("member-changes-balance", "差额 0")
	tab.WaitJS("the node's row to come first, in bold", `const r = one('[data-testid="member-changes-rows"] .el-table__body-wrapper .el-table__row');
		return !!r && r.classList.contains('node-row') && text(r).includes('（合计）')`)
	death := fmt.Sprintf("本年减少 %.0f", a["decrease"].(float64))
	tab.WaitTextContains("member-changes-balance", death)

	// 封存年报 of last year: then 上年底 is the snapshot, and it still balances.
	tab.Click("member-changes-freeze")
	tab.ClickJS("the confirmation", `all('.el-message-box__btns button').find((b) => text(b) === '封存')`)
	tab.WaitGone("member-changes-derived")
	tab.WaitTextContains("member-changes-balance", "差额 0")
	frozen := report()
	if frozen["derived"] != false || node(frozen)["prev_frozen"] != true || node(frozen)["prev_total"] != a["prev_total"] {
		tab.Fatalf("after freezing, the report is %v", node(frozen))
	}
	if strings.Contains(Eval[string](tab, "read the page", `return text(one(testid('member-changes-rows')))`), "NaN") {
		tab.Fatalf("the table shows NaN")
	}
}
