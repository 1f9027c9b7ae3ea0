package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dangjian/dangjian/internal/org"
)

// checkDigit is the GB 11643 check character of the first 17 digits of a 公民身份号码.
func checkDigit(first17 string) string {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(first17[i]-'0') * w
	}
	return string("10X98765432"[sum%11])
}

// messyRoster writes a 花名册 the way branches keep them: a title row merged over the columns, a
// 序号 column and headers in their everyday wording. bad replaces the third member's check digit.
func messyRoster(t *testing.T, dir, name string, bad bool) string {
	t.Helper()
	x := excelize.NewFile()
	const sh = "Sheet1"
	x.SetCellValue(sh, "A1", "启明街道某支部党员花名册")
	x.MergeCell(sh, "A1", "H1")
	header := []any{"序号", "姓名", "性别", "身份证号码 ", "民族", "文化程度", "入党时间", "转正时间"}
	x.SetSheetRow(sh, "A2", &header)
	people := []struct{ name, sex, id17, joined, full string }{
		{"周建华", "男", "43070219800315123", "2005.07.01", "2006.07.01"},
		{"刘桂兰", "女", "43070219760908124", "1999年6月30日", "2000年6月30日"},
		{"陈志强", "男", "43070219920101135", "2016-5-4", "2017-5-4"},
	}
	for i, p := range people {
		id := p.id17 + checkDigit(p.id17)
		if bad && i == 2 {
			wrong := "0"
			if checkDigit(p.id17) == "0" {
				wrong = "1"
			}
			id = p.id17 + wrong
		}
		row := []any{i + 1, p.name, p.sex, id, "汉族", "大学本科", p.joined, p.full}
		x.SetSheetRow(sh, fmt.Sprintf("A%d", i+3), &row)
	}
	path := filepath.Join(dir, name)
	if err := x.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// firstBranch finds a 党支部 in the subtree of o, depth first.
func firstBranch(t *testing.T, f *fixture, o *org.Org) *org.Org {
	t.Helper()
	var walk func(id int64) *org.Org
	walk = func(id int64) *org.Org {
		nodes, err := f.store.Tree(f.sys, id, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range nodes {
			if n.Type == org.TypeBranch {
				b, err := f.store.Get(f.sys, n.ID)
				if err != nil {
					t.Fatal(err)
				}
				return b
			}
			if b := walk(n.ID); b != nil {
				return b
			}
		}
		return nil
	}
	b := walk(o.ID)
	if b == nil {
		t.Fatalf("no 党支部 under %s", o.Name)
	}
	return b
}

func membersIn(t *testing.T, f *fixture, o *org.Org) int {
	t.Helper()
	var n int
	if err := f.db.QueryRow(context.Background(), `SELECT COUNT(*) FROM members WHERE org_id = ?`, o.ID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// e. The 街道 admin imports a branch's roster: a file with a bad 公民身份号码 is refused whole
// with the cell explained, the corrected file goes in, and the roster lists the members.
func importMembers(t *testing.T, tab *Tab, f *fixture) {
	branch := firstBranch(t, f, f.qiming)
	dir := t.TempDir()
	bad := messyRoster(t, dir, "花名册-有错.xlsx", true)
	good := messyRoster(t, dir, "花名册.xlsx", false)
	before := membersIn(t, f, branch)

	tab.Login("jiedao", password)
	tab.Open("/members/" + id(branch))
	tab.WaitTextContains("members-title", branch.Name)
	tab.Click("btn-import")
	tab.WaitVisible("import-dialog")
	tab.WaitJS("the dialog to target "+branch.Name,
		`return text(one('.el-select[data-testid="import-org"] .el-select__selected-item:not(.is-hidden)')) === `+q(branch.Name))

	tab.Upload("import-file", bad)
	tab.Click("btn-import-submit")
	tab.WaitVisible("import-errors")
	errs := Eval[string](tab, "read the error table", `return text(one(testid('import-error-table')))`)
	if !strings.Contains(errs, "5") || !strings.Contains(errs, "公民身份号码") || !strings.Contains(errs, "校验") {
		tab.Fatalf("the error table does not point at row 5's 公民身份号码 check digit: %q", errs)
	}
	tab.WaitTextContains("import-errors", "未导入任何数据")
	tab.WaitVisible("btn-error-workbook")
	mapping := Eval[string](tab, "read the header mapping", `return text(one(testid('import-mapping')))`)
	if !strings.Contains(mapping, "身份证号码") || !strings.Contains(mapping, "公民身份号码") {
		tab.Fatalf("the mapping does not say 身份证号码 was read as 公民身份号码: %q", mapping)
	}
	if n := membersIn(t, f, branch); n != before {
		tab.Fatalf("a refused file saved members: %d in %s, had %d", n, branch.Name, before)
	}

	tab.Click("btn-import-again")
	tab.Upload("import-file", good)
	tab.Click("btn-import-submit")
	tab.WaitVisible("import-result")
	tab.WaitTextContains("import-result", "3")
	if n := membersIn(t, f, branch); n != before+3 {
		tab.Fatalf("after the import %s has %d members, want %d", branch.Name, n, before+3)
	}
	tab.ClickJS("the 完成 button", `all('.import-dialog .el-dialog__footer button').find((b) => text(b) === '完成')`)
	tab.WaitGone("import-dialog")
	tab.WaitJS("the roster to list the imported members", `const t = text(one(testid('members-table')));
		return ['周建华', '刘桂兰', '陈志强'].every((n) => t.includes(n))`)
	// The table shows the 公民身份号码 masked.
	full := "43070219800315123" + checkDigit("43070219800315123")
	if table := Eval[string](tab, "read the roster", `return text(one(testid('members-table')))`); strings.Contains(table, full) {
		tab.Fatalf("the roster shows a full 公民身份号码")
	}
}
