package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// validID is a 公民身份号码 with its GB 11643 check digit.
func validID(birth string, seq int) string {
	s := fmt.Sprintf("430702%s%03d", birth, seq)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(s[i]-'0') * w
	}
	return s + string("10X98765432"[sum%11])
}

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	a := &App{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut}
	code = a.Run(context.Background(), args)
	return code, out.String(), errOut.String()
}

func TestImportExportMembers(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	for _, args := range [][]string{
		{"org", "add", "--code", "C", "--name", "中共马家吉社区委员会", "--type", "committee", "--unit-type", "community"},
		{"org", "add", "--code", "C01", "--name", "中共马家吉社区第一支部委员会", "--type", "branch", "--unit-type", "community", "--parent", "C"},
	} {
		if code, _, stderr := run(t, append([]string{"--data", data}, args...)...); code != 0 {
			t.Fatalf("%v: %s", args, stderr)
		}
	}
	roster := filepath.Join(dir, "花名册.csv")
	os.WriteFile(roster, []byte("某支部党员花名册\n序号,姓名,身份证号,民族,学历,入党日期,转正日期\n"+
		"1,王芳,"+validID("19850312", 2)+",汉族,本科,2010.07.01,2011.07.01\n"+
		"2,李明,"+validID("19900101", 11)+",汉,大专,2015.03,2016.03\n"), 0o600)

	code, stdout, stderr := run(t, "--data", data, "import", "members", "--org", "C01", "--dry-run", roster)
	if code != 0 || !strings.Contains(stdout, "检查通过（未保存）") {
		t.Fatalf("dry run: %d\n%s\n%s", code, stdout, stderr)
	}
	// The file may come before the flags too.
	code, stdout, stderr = run(t, "--data", data, "import", "members", roster, "--org", "C01")
	if code != 0 || !strings.Contains(stdout, "导入完成：新增 2 人，更新 0 人，未变 0 人") || !strings.Contains(stdout, "C列「身份证号」→ 公民身份号码") ||
		!strings.Contains(stdout, "「2015.03」只到月份") {
		t.Fatalf("import: %d\n%s\n%s", code, stdout, stderr)
	}

	out := filepath.Join(dir, "导出.xlsx")
	code, stdout, stderr = run(t, "--data", data, "export", "members", "--org", "C01", "--reveal", "--out", out)
	if code != 0 || !strings.Contains(stdout, "已导出 2 名党员") {
		t.Fatalf("export: %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, stderr = run(t, "--data", data, "import", "members", "--org", "C01", out)
	if code != 0 || !strings.Contains(stdout, "导入完成：新增 0 人，更新 0 人，未变 2 人") {
		t.Fatalf("re-import of the export: %d\n%s\n%s", code, stdout, stderr)
	}

	bad := filepath.Join(dir, "错.csv")
	os.WriteFile(bad, []byte("姓名,身份证号,民族,学历,入党日期\n张伟,"+validID("19700214", 13)[:17]+"0,汉族,本科,1995-02-30\n"), 0o600)
	marked := filepath.Join(dir, "标注.xlsx")
	code, stdout, stderr = run(t, "--data", data, "import", "members", "--org", "C01", "--errors", marked, bad)
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if code == 0 || !slices.ContainsFunc(lines, func(l string) bool {
		return strings.HasPrefix(l, "第2行 B列「身份证号」：公民身份号码校验位不对")
	}) ||
		!slices.Contains(lines, "第2行 E列「入党日期」：「1995-02-30」不是真实的日期：1995年2月只有28天") ||
		lines[len(lines)-1] != "dangjian: 有 2 处错误，未导入任何数据" {
		t.Fatalf("bad import: %d\n%s\n%s", code, stdout, stderr)
	}
	if info, err := os.Stat(marked); err != nil || info.Size() == 0 {
		t.Errorf("marked workbook: %v", err)
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"import", "members", roster}, "--org"},
		{[]string{"import", "members", "--org", "NOPE", roster}, "组织代码 \"NOPE\" 不存在"},
		{[]string{"import", "members", "--org", "C01"}, "用法"},
		{[]string{"import", "members", "--org", "C01", filepath.Join(dir, "无.xlsx")}, "无法读取"},
		{[]string{"export", "members", "--org", "C01"}, "--out"},
		{[]string{"import", "orgs"}, "用法"},
	} {
		code, _, stderr := run(t, append([]string{"--data", data}, c.args...)...)
		if code == 0 || !strings.Contains(stderr, c.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 1 {
			t.Errorf("%v: %d %q, want a one-line reason with %q", c.args, code, stderr, c.want)
		}
	}
}
