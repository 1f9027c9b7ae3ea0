package roster

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/db/dbtest"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/pii"
)

// registry is a 社区党委 with two 党支部, and a second 街道 outside it.
type registry struct {
	s                     *member.Store
	orgs                  *org.Store
	community, a1, a2, b1 *org.Org
	sys                   context.Context
}

func newRegistry(t *testing.T, d *db.DB) *registry {
	t.Helper()
	key, _, err := pii.Generate()
	if err != nil {
		t.Fatal(err)
	}
	r := &registry{s: member.NewStore(d, key), orgs: org.NewStore(d), sys: access.System(context.Background())}
	r.s.Today = func() civil.Date { return today }
	mk := func(code, name string, typ org.Type, parent *org.Org) *org.Org {
		in := org.CreateInput{Code: code, Name: name, Type: typ, UnitType: org.UnitCommunity}
		if parent != nil {
			in.ParentID = parent.ID
		}
		o, err := r.orgs.Create(r.sys, in)
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		return o
	}
	root := mk("R", "中共某区委员会", org.TypeCommittee, nil)
	r.community = mk("C", "中共马家吉社区委员会", org.TypeCommittee, root)
	r.a1 = mk("C01", "中共马家吉社区第一支部委员会", org.TypeBranch, r.community)
	r.a2 = mk("C02", "中共马家吉社区第二支部委员会", org.TypeBranch, r.community)
	r.b1 = mk("B01", "中共府坪巷社区支部委员会", org.TypeBranch, root)
	return r
}

// fullRoster has every column filled somewhere: branches by name and by code, a lost and a
// mobile member, the extended items.
func fullRoster(t testing.TB) []byte {
	return workbook(t, func(f *excelize.File, sh string) {
		setRow(t, f, sh, 1, "中共马家吉社区委员会党员花名册")
		setRow(t, f, sh, 2, "序号", "姓名", "性别", "公民身份号码", "民族", "出生日期", "学历", "人员类别", "所在党支部", "党组织代码",
			"入党日期", "转正日期", "工作岗位", "联系电话", "家庭住址", "是否失联", "失联日期", "失联情形", "是否流动", "外出流向",
			"籍贯", "学位", "职称", "党内职务", "参加工作时间", "困难党员", "入党介绍人")
		setRow(t, f, sh, 3, 1, "王芳", "女", idNumber("19850312", 2), "汉族", "1985-03-12", "本科", "正式党员", "中共马家吉社区第一支部委员会", nil,
			"2010-07-01", "2011-07-01", "公有制单位企业管理人员", "13812345678", "马家吉社区1栋", "否", nil, nil, "否", nil,
			"湖南常德", "学士", "中级", "组织委员", "2008-07-01", "否", "李明、赵强")
		setRow(t, f, sh, 4, 2, "李明", "男", idNumber("19900101", 11), "土家族", nil, "大专", "预备党员", nil, "C02",
			"2025-12-01", nil, "农牧渔民", "0736-7221234", "马家吉村3组", "否", nil, nil, "是", "广东省深圳市",
			nil, nil, nil, nil, nil, "是", nil)
		setRow(t, f, sh, 5, 3, "张伟", "男", idNumber("19700214", 13), "回族", nil, "高中", nil, "中共马家吉社区第二支部委员会", nil,
			"1995.10.01", "1996.10.01", "离退休人员", nil, nil, "是", "2020.05", "外出务工经商", "否", nil)
	})
}

func TestExportImportRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		r := newRegistry(t, d)
		rep, err := Import(r.sys, r.s, r.community.ID, fullRoster(t), "花名册.xlsx", Options{Today: today})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.OK || rep.Created != 3 {
			t.Fatalf("import: ok=%v created=%d errors=%v", rep.OK, rep.Created, rep.Errors)
		}
		before := snapshot(t, r)
		if before["李明"].OrgID != r.a2.ID || before["王芳"].OrgID != r.a1.ID || !before["张伟"].LostContact || before["张伟"].LostSituation != "1" {
			t.Fatalf("imported: %+v", before)
		}

		// Export with full personal data, import it again: every member is unchanged, and a
		// second export is the same workbook.
		var first bytes.Buffer
		if err := Export(r.sys, &first, r.s, member.ListFilter{Under: r.community.ID}, true); err != nil {
			t.Fatal(err)
		}
		again, err := Import(r.sys, r.s, r.community.ID, first.Bytes(), "导出.xlsx", Options{Today: today})
		if err != nil {
			t.Fatal(err)
		}
		if !again.OK || again.Created != 0 || again.Updated != 0 || again.Unchanged != 3 || len(again.Ignored) != 0 {
			t.Fatalf("re-import of the export: ok=%v created=%d updated=%d unchanged=%d errors=%v ignored=%v changes=%+v",
				again.OK, again.Created, again.Updated, again.Unchanged, again.Errors, again.Ignored, again.Changes)
		}
		if after := snapshot(t, r); !equalMembers(before, after) {
			t.Errorf("records changed by the round trip:\n%+v\n%+v", before, after)
		}
		var second bytes.Buffer
		if err := Export(r.sys, &second, r.s, member.ListFilter{Under: r.community.ID}, true); err != nil {
			t.Fatal(err)
		}
		if a, b := sheetRows(t, first.Bytes()), sheetRows(t, second.Bytes()); !slices.EqualFunc(a, b, slices.Equal[[]string]) {
			t.Errorf("exports differ:\n%v\n%v", a, b)
		}
		rows := sheetRows(t, first.Bytes())
		if len(rows) != 5 || rows[1][2] != "公民身份号码" || !slices.Contains(rows[2], idNumber("19850312", 2)) {
			t.Errorf("export rows = %v", rows)
		}

		// An edited export updates just what changed.
		f, _ := excelize.OpenReader(bytes.NewReader(first.Bytes()))
		for i, row := range rows {
			if len(row) > 0 && row[0] == "王芳" {
				f.SetCellStr(dataSheet, fmt.Sprintf("L%d", i+1), "13900000000")
			}
		}
		var edited bytes.Buffer
		f.WriteTo(&edited)
		f.Close()
		upd, err := Import(r.sys, r.s, r.community.ID, edited.Bytes(), "改.xlsx", Options{Today: today})
		if err != nil || !upd.OK || upd.Updated != 1 || upd.Unchanged != 2 || len(upd.Changes) != 1 || !slices.Contains(upd.Changes[0].Fields, "phone") {
			t.Fatalf("edited import: %v %+v", err, upd)
		}

		// A masked export does not import: every number is refused, nothing is saved.
		var masked bytes.Buffer
		if err := Export(r.sys, &masked, r.s, member.ListFilter{Under: r.community.ID}, false); err != nil {
			t.Fatal(err)
		}
		bad, err := Import(r.sys, r.s, r.community.ID, masked.Bytes(), "脱敏.xlsx", Options{Today: today})
		if err != nil {
			t.Fatal(err)
		}
		ids := 0
		for _, e := range bad.Errors {
			if e.Column == "C" && strings.Contains(e.Message, "公民身份号码已脱敏") {
				ids++
			}
		}
		if bad.OK || ids != 3 {
			t.Errorf("masked import: ok=%v errors=%v", bad.OK, bad.Errors)
		}
	})
}

// Errors the registry finds — a 党支部 outside the import, a number in the file twice — come
// back on the cell, with the cell errors of the same file; nothing is saved.
func TestRegistryErrorsJoinCellErrors(t *testing.T) {
	r := newRegistry(t, dbtest.SQLite(t))
	id := idNumber("19850312", 2)
	data := workbook(t, func(f *excelize.File, sh string) {
		setRow(t, f, sh, 1, "姓名", "公民身份号码", "民族", "学历", "入党日期", "转正日期", "所在党支部")
		setRow(t, f, sh, 2, "王芳", id, "汉族", "本科", "2010-07-01", "2011-07-01", "中共马家吉社区第一支部委员会")
		setRow(t, f, sh, 3, "王芳", id, "汉族", "本科", "2010-07-01", "2011-07-01", "中共马家吉社区第一支部委员会")
		setRow(t, f, sh, 4, "李明", idNumber("19900101", 11), "汉族", "本科", "2010-07-01", "2011-07-01", "中共府坪巷社区支部委员会")
		setRow(t, f, sh, 5, "张伟", idNumber("19700214", 13), "汉族", "本科", "2010-13-01", nil, "中共马家吉社区第一支部委员会")
	})
	for _, dry := range []bool{true, false} {
		rep, err := Import(r.sys, r.s, r.community.ID, data, "x.xlsx", Options{DryRun: dry, Marked: true, Today: today})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range rep.Errors {
			got = append(got, fmt.Sprintf("%d%s", e.Row, e.Column))
		}
		if rep.OK || !slices.Equal(got, []string{"3B", "4G", "5E"}) || len(rep.ErrorWorkbook) == 0 {
			t.Errorf("dry run %v: ok=%v errors=%v", dry, rep.OK, rep.Errors)
		}
	}
	n := 0
	r.s.Each(r.sys, member.ListFilter{}, false, func(*member.Member) error { n++; return nil })
	if n != 0 {
		t.Errorf("%d members saved", n)
	}
}

func snapshot(t *testing.T, r *registry) map[string]member.Member {
	t.Helper()
	out := map[string]member.Member{}
	err := r.s.Each(r.sys, member.ListFilter{Under: r.community.ID}, true, func(m *member.Member) error {
		out[m.Name] = *m
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func equalMembers(a, b map[string]member.Member) bool {
	if len(a) != len(b) {
		return false
	}
	for k, m := range a {
		o := b[k]
		m.UpdatedAt, m.CreatedAt = o.UpdatedAt, o.CreatedAt
		if m != o {
			return false
		}
	}
	return true
}

func sheetRows(t *testing.T, data []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(dataSheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
