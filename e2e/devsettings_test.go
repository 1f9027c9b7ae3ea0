package e2e

import (
	"net/http"
	"testing"

	"github.com/dangjian/dangjian/internal/auth"
)

// g. 发展党员设置: the 区委 admin gives the whole 区 7 working days of 公示 from the board's 本地规则;
// the 街道 admin, on a phone, sees the 7 in force from 上级组织, sets 10 of the 街道's own and
// makes the 公示 rule block, then 沿用上级 brings back the 7. A 查看员 sees the same settings
// without controls. A system admin records 2030's 元旦 in the 工作日历 (a year with no notice
// says it counts Monday to Friday) and deletes it again; the 街道 admin reads the calendar only.
func devSettings(t *testing.T, br *Browser, f *fixture) {
	for _, u := range []auth.NewUser{
		{Username: "xitong", DisplayName: "系统管理员", Role: "system-admin"},
		{Username: "chakan", DisplayName: "街道查看员", Role: "org-viewer", OrgCode: f.qiming.Code},
	} {
		u.Password = password
		if _, err := auth.AddUser(f.sys, f.db, u); err != nil {
			t.Fatalf("creating user %s: %v", u.Username, err)
		}
	}
	const publicity = "dev.publicity"

	// The 区委 admin, from the 发展党员 board.
	admin := br.NewTab(t, f.url)
	admin.Login("admin", password)
	admin.Open("/development/" + id(f.root))
	admin.WaitText("dev-title", f.root.Name)
	admin.Click("dev-settings")
	admin.WaitPath(`^/development/settings/` + id(f.root) + `$`)
	admin.WaitTextContains("dev-settings-title", f.root.Name)
	admin.WaitTextContains("from-publicity_days", "系统默认")
	admin.Click("set-publicity_days-own")
	admin.Type("set-publicity_days-value", "7")
	admin.PressTab()
	admin.Click("dev-settings-save")
	admin.WaitText("from-publicity_days", "本组织")
	admin.WaitTextContains("set-publicity_days", "7 个工作日")

	// The 街道 admin on a phone: 7 from above, then 10 of its own and a block.
	jd := br.NewTab(t, f.url)
	jd.Phone(phoneW, phoneH)
	jd.Login("jiedao", password)
	jd.Open("/development/settings/" + id(f.qiming))
	jd.WaitPhone(phoneW)
	jd.WaitText("from-publicity_days", "上级组织")
	jd.WaitTextContains("set-publicity_days", "沿用：上级组织")
	jd.WaitTextContains("level-from-"+publicity, "系统默认（")
	jd.Click("set-publicity_days-own")
	jd.Type("set-publicity_days-value", "10")
	jd.PressTab()
	jd.ClickJS("阻止保存 of "+publicity, `all('.el-radio-button', one(testid('level-`+publicity+`'))).find((b) => text(b) === '阻止保存')`)
	jd.Click("dev-settings-save")
	jd.WaitText("from-publicity_days", "本组织")
	jd.WaitTextContains("set-publicity_days", "10 个工作日")
	jd.WaitText("level-from-"+publicity, "本组织")
	jd.WaitText("level-eff-"+publicity, "阻止保存")
	status, body := jd.APIStatus("/api/v1/development/rules?org=" + id(f.qiming))
	own, _ := body["own"].(map[string]any)
	levels, _ := own["levels"].(map[string]any)
	if status != http.StatusOK || own["publicity_days"] != float64(10) || levels[publicity] != "block" {
		jd.Fatalf("the 街道's own settings after saving: %d %v", status, own)
	}
	// Nothing fits the page's width only by scrolling sideways.
	jd.WaitJS("the settings to fit the phone", `return document.documentElement.scrollWidth <= innerWidth`)

	// The 查看员 reads the same, without controls.
	viewer := br.NewTab(t, f.url)
	viewer.Login("chakan", password)
	viewer.Open("/development/settings/" + id(f.qiming))
	viewer.WaitText("from-publicity_days", "本组织")
	viewer.WaitVisible("dev-settings-readonly")
	if n := Eval[int](viewer, "count the controls", `return all(testid('dev-settings-save')).length + all(testid('level-`+publicity+`')).length + all(testid('set-publicity_days-inherit')).length`); n != 0 {
		viewer.Fatalf("a 查看员 sees %d editing controls", n)
	}

	// 沿用上级 again: the 区委's 7 is in force, the block stays.
	jd.Click("set-publicity_days-inherit")
	jd.Click("dev-settings-save")
	jd.WaitText("from-publicity_days", "上级组织")
	jd.WaitTextContains("set-publicity_days", "7 个工作日")
	jd.WaitText("level-from-"+publicity, "本组织")

	// The 工作日历: the system admin has it in the menu; 2030 has no notice yet.
	sys := br.NewTab(t, f.url)
	sys.Login("xitong", password)
	sys.Click("nav-dev-calendar")
	sys.WaitVisible("dev-calendar")
	sys.Open("/development/settings?tab=calendar&year=2030")
	sys.WaitVisible("cal-unknown")
	sys.Click("cal-add")
	sys.WaitVisible("cal-dialog")
	sys.Type("cal-form-day", "2030-01-01")
	sys.PressTab()
	sys.Type("cal-form-name", "元旦")
	// No source: the server's refusal shows on the field.
	sys.Click("cal-form-save")
	sys.WaitJS("the refusal on 依据", `return all('.el-form-item.is-error').some((i) => text(i).includes('请填写依据'))`)
	sys.Type("cal-form-source", "《国务院办公厅关于2030年部分节假日安排的通知》（测试）")
	sys.Click("cal-form-save")
	sys.WaitText("cal-day-2030-01-01", "2030-01-01")
	sys.WaitGone("cal-unknown")
	sys.Click("cal-remove-2030-01-01")
	sys.ClickJS("the confirmation", `all('.el-message-box__btns .el-button--primary').find((b) => text(b) === '删除')`)
	sys.WaitVisible("cal-unknown")
	sys.WaitGone("cal-day-2030-01-01")

	// The 街道 admin reads the 2026 calendar, with no controls.
	jd.Open("/development/settings/" + id(f.qiming) + "?tab=calendar&year=2026")
	jd.WaitVisible("cal-day-2026-10-01")
	if n := Eval[int](jd, "count the calendar controls", `return all(testid('cal-add')).length + all('[data-testid^="cal-remove-"]').length`); n != 0 {
		jd.Fatalf("the 街道 admin sees %d calendar controls", n)
	}
}
