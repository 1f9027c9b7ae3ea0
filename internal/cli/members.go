package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/config"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/roster"
)

const (
	importUsage = "用法：dangjian import members --org 组织代码 [--dry-run] [--errors 标注.xlsx] 花名册.xlsx|.csv"
	exportUsage = "用法：dangjian export members --org 组织代码 [--reveal] --out 花名册.xlsx（--out - 写到标准输出）"
)

// splitArgs takes the positional arguments out of args, so that FILE may come before or after
// the flags; bools are the flags that take no value.
func splitArgs(args []string, bools ...string) (positional, flags []string) {
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case arg == "--":
			return append(positional, args[i+1:]...), flags
		case len(arg) > 1 && arg[0] == '-':
			flags = append(flags, arg)
			name := strings.TrimLeft(arg, "-")
			if strings.Contains(name, "=") || slices.Contains(bools, name) || name == "h" || name == "help" {
				continue
			}
			if i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		default:
			positional = append(positional, arg)
		}
	}
	return positional, flags
}

// importMembers is `dangjian import members`: reads a roster and saves it under an
// organisation as the operator, all or nothing.
func (a *App) importMembers(ctx context.Context, cfg *config.Config, args []string) error {
	if len(args) == 0 || args[0] != "members" {
		return errors.New(importUsage)
	}
	files, rest := splitArgs(args[1:], "dry-run")
	var orgCode, marked string
	var dryRun bool
	if _, err := a.flags("import members", cfg, rest, func(fs *flag.FlagSet) {
		fs.StringVar(&orgCode, "org", "", "导入到哪个组织（组织代码）：党支部，或党委、党总支（此时逐行按“所在党支部”编入）")
		fs.BoolVar(&dryRun, "dry-run", false, "只检查，不保存")
		fs.StringVar(&marked, "errors", "", "有错误时写出标注错误的工作簿到此文件")
	}); err != nil {
		return err
	}
	switch {
	case len(files) != 1:
		return errors.New(importUsage)
	case orgCode == "":
		return errors.New("--org: 请给出导入到哪个组织的组织代码")
	}
	file := files[0]
	info, err := os.Stat(file)
	if err != nil {
		return fmt.Errorf("无法读取 %s：%v", file, err)
	}
	if info.Size() > roster.MaxFileSize {
		return roster.ErrTooLarge
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("无法读取 %s：%v", file, err)
	}
	d, err := a.open(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer d.Close()
	sys := access.System(ctx)
	o, err := org.NewStore(d).GetByCode(sys, orgCode)
	if err != nil {
		return fmt.Errorf("--org: 组织代码 %q 不存在", orgCode)
	}
	ms, err := a.memberStore(ctx, cfg, d)
	if err != nil {
		return err
	}
	rep, err := roster.Import(sys, ms, o.ID, data, filepath.Base(file), roster.Options{DryRun: dryRun, Marked: marked != "", Today: ms.Today()})
	if err != nil {
		return err
	}
	out := a.Stdout
	fmt.Fprintf(out, "读取「%s」工作表「%s」，表头在第%d行，共 %d 行党员；表头对应：\n", filepath.Base(file), rep.Sheet, rep.HeaderRow, rep.Rows)
	for _, m := range rep.Mapping {
		fmt.Fprintf(out, "  %s列「%s」→ %s\n", m.Column, m.Header, m.FieldName)
	}
	for _, ig := range rep.Ignored {
		fmt.Fprintf(out, "  %s列「%s」：%s\n", ig.Column, ig.Header, ig.Reason)
	}
	for _, n := range rep.Notes {
		fmt.Fprintln(out, "提示：", n)
	}
	if !rep.OK {
		for _, e := range rep.Errors {
			fmt.Fprintln(a.Stderr, e.String())
		}
		if marked != "" {
			if err := writeFileAtomic(marked, rep.ErrorWorkbook); err != nil {
				return err
			}
			fmt.Fprintf(a.Stderr, "已写出标注错误的工作簿：%s（错误单元格标红并附批注，另见「错误汇总」工作表；改正后可直接重新导入）\n", marked)
		}
		return errors.New(rep.Summary())
	}
	fmt.Fprintln(out, rep.Summary())
	for _, c := range rep.Changes {
		names := make([]string, len(c.Fields))
		for i, f := range c.Fields {
			names[i] = roster.FieldName(f)
		}
		fmt.Fprintf(out, "  第%d行 %s：更新了%s\n", c.Row, c.Name, strings.Join(names, "、"))
	}
	return nil
}

// exportMembers is `dangjian export members`: the roster of an organisation's subtree in the
// import template's columns.
func (a *App) exportMembers(ctx context.Context, cfg *config.Config, args []string) error {
	if len(args) == 0 || args[0] != "members" {
		return errors.New(exportUsage)
	}
	var orgCode, outFile string
	var reveal bool
	if _, err := a.flags("export members", cfg, args[1:], func(fs *flag.FlagSet) {
		fs.StringVar(&orgCode, "org", "", "导出哪个组织（组织代码，含全部下级）；不填为全部")
		fs.BoolVar(&reveal, "reveal", false, "导出完整的公民身份号码、联系电话和家庭住址（记入审计日志）；否则脱敏，不能再导入")
		fs.StringVar(&outFile, "out", "", "写到此文件（.xlsx）；- 为标准输出")
	}); err != nil {
		return err
	}
	if outFile == "" {
		return errors.New("--out: 请给出导出到哪个文件")
	}
	d, err := a.open(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer d.Close()
	sys := access.System(ctx)
	var f member.ListFilter
	title := "党员花名册"
	if orgCode != "" {
		o, err := org.NewStore(d).GetByCode(sys, orgCode)
		if err != nil {
			return fmt.Errorf("--org: 组织代码 %q 不存在", orgCode)
		}
		f.Under, title = o.ID, o.Name+"党员花名册"
	}
	ms, err := a.memberStore(ctx, cfg, d)
	if err != nil {
		return err
	}
	src := &counting{Source: ms}
	if outFile == "-" {
		return roster.ExportTitled(sys, a.Stdout, src, f, reveal, title)
	}
	tmp, err := os.CreateTemp(filepath.Dir(outFile), ".export-*.xlsx")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := roster.ExportTitled(sys, tmp, src, f, reveal, title); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), outFile); err != nil {
		return err
	}
	what := "个人敏感信息已脱敏"
	if reveal {
		what = "含完整个人信息，请妥善保管"
	}
	fmt.Fprintf(a.Stdout, "已导出 %d 名党员到 %s（%s）\n", src.n, outFile, what)
	return nil
}

// counting counts the members an export writes.
type counting struct {
	roster.Source
	n int
}

func (c *counting) Each(ctx context.Context, f member.ListFilter, reveal bool, fn func(*member.Member) error) error {
	return c.Source.Each(ctx, f, reveal, func(m *member.Member) error {
		c.n++
		return fn(m)
	})
}

// writeFileAtomic writes data to name through a temporary file in the same directory.
func writeFileAtomic(name string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), ".write-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
