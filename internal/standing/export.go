package standing

import (
	"context"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// exportColumns are the columns of the 党员数量变化 sheet.
var exportColumns = []struct {
	title string
	value func(r *ChangeRow) int
}{
	{"上年底总数", func(r *ChangeRow) int { return r.PrevTotal }},
	{"本年增加合计", func(r *ChangeRow) int { return r.Increase }},
	{"发展党员", func(r *ChangeRow) int { return r.Develop }},
	{"重新入党", func(r *ChangeRow) int { return r.Rejoin }},
	{"恢复党籍", func(r *ChangeRow) int { return r.Restore }},
	{"转入组织关系", func(r *ChangeRow) int { return r.TransferIn }},
	{"其中：整建制转入", func(r *ChangeRow) int { return r.OrgTransferIn }},
	{"本年减少合计", func(r *ChangeRow) int { return r.Decrease }},
	{"出党", func(r *ChangeRow) int { return r.Left }},
	{"开除党籍", func(r *ChangeRow) int { return r.Expel }},
	{"退党除名", func(r *ChangeRow) int { return r.Withdraw }},
	{"劝退", func(r *ChangeRow) int { return r.Persuade }},
	{"劝而不退除名", func(r *ChangeRow) int { return r.PersuadeRemoved }},
	{"自行脱党除名", func(r *ChangeRow) int { return r.Lapse }},
	{"取消预备党员资格", func(r *ChangeRow) int { return r.CancelProbation }},
	{"停止党籍", func(r *ChangeRow) int { return r.Suspend }},
	{"死亡", func(r *ChangeRow) int { return r.Death }},
	{"转出组织关系", func(r *ChangeRow) int { return r.TransferOut }},
	{"其中：整建制转出", func(r *ChangeRow) int { return r.OrgTransferOut }},
	{"本年底应有数", func(r *ChangeRow) int { return r.Expected }},
	{"本年底实有数", func(r *ChangeRow) int { return r.Actual }},
	{"差额", func(r *ChangeRow) int { return r.Difference }},
}

// ExportMemberChanges writes the report as an .xlsx workbook.
func (s *Store) ExportMemberChanges(ctx context.Context, orgID int64, year int, w io.Writer) (*ChangeReport, error) {
	rep, err := s.MemberChanges(ctx, orgID, year)
	if err != nil {
		return nil, err
	}
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "党员数量变化"
	f.SetSheetName("Sheet1", sheet)
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"F2DCDB"}, Pattern: 1}})
	nodeStyle, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	warn, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "C00000"}})
	if err := sw.SetColWidth(1, 1, 36); err != nil {
		return nil, err
	}
	if err := sw.SetColWidth(2, len(exportColumns)+2, 10); err != nil {
		return nil, err
	}
	r := 1
	put := func(cells ...any) error {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		r++
		return sw.SetRow(cell, cells)
	}
	if err := put(fmt.Sprintf("党员数量变化情况（%d年）", rep.Year)); err != nil {
		return nil, err
	}
	note := "上年底数取自封存年报"
	if rep.Derived {
		note = rep.Note
	}
	if err := put("统计范围："+rep.OrgName, "截至 "+rep.AsOf.String(), note); err != nil {
		return nil, err
	}
	head := []any{excelize.Cell{StyleID: bold, Value: "党组织"}}
	for _, c := range exportColumns {
		head = append(head, excelize.Cell{StyleID: bold, Value: c.title})
	}
	head = append(head, excelize.Cell{StyleID: bold, Value: "说明"})
	if err := put(head...); err != nil {
		return nil, err
	}
	for i := range rep.Rows {
		row := &rep.Rows[i]
		style := 0
		if row.Node {
			style = nodeStyle
		}
		cells := []any{excelize.Cell{StyleID: style, Value: row.OrgName}}
		for j, c := range exportColumns {
			st := style
			if j == len(exportColumns)-1 && row.Difference != 0 {
				st = warn
			}
			cells = append(cells, excelize.Cell{StyleID: st, Value: c.value(row)})
		}
		cells = append(cells, row.Explanation)
		if err := put(cells...); err != nil {
			return nil, err
		}
	}
	if err := put(); err != nil {
		return nil, err
	}
	if err := put("计算方法", rep.Rule+"。依据："+rep.Source); err != nil {
		return nil, err
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	_, err = f.WriteTo(w)
	return rep, err
}
