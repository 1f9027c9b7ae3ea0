package roster

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Sheet names the roster writes.
const (
	dataSheet    = "党员花名册"
	exampleSheet = "填写示例"
	optionsSheet = "可选值"
	summarySheet = "错误汇总"
	errorHeader  = "错误说明"
	commentBy    = "导入检查"
)

// maxComments bounds the comments of a marked workbook; every error is in the 错误说明 column
// and the 错误汇总 sheet anyway.
const maxComments = 2000

// marked is the error workbook: the user's rows as they were read, at the same row numbers and
// in the same columns, every wrong cell filled red with a comment saying why, a 错误说明 column
// with all messages of the row, and a 错误汇总 sheet listing them all.
func (p *Parsed) marked(errs []CellError) ([]byte, error) {
	t := p.t
	f := excelize.NewFile()
	defer f.Close()
	sheet := t.sheet
	if t.csv || ownSheets[sheet] {
		sheet = dataSheet
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	headerStyle, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Color: []string{"F2F2F2"}, Pattern: 1},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14, CustomNumFmt: ptr("yyyy-mm-dd")})
	badFill := excelize.Fill{Type: "pattern", Color: []string{"FFC7CE"}, Pattern: 1}
	badFont := &excelize.Font{Color: "9C0006"}
	badStyle, _ := f.NewStyle(&excelize.Style{Fill: badFill, Font: badFont})
	badDate, _ := f.NewStyle(&excelize.Style{Fill: badFill, Font: badFont, CustomNumFmt: ptr("yyyy-mm-dd")})
	noteStyle, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: "C00000"}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	noteHeader, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill: excelize.Fill{Type: "pattern", Color: []string{"C00000"}, Pattern: 1}})

	h := t.rows[t.header]
	lastHeader := h.n
	if p.start > t.header+1 {
		lastHeader = t.rows[p.start-1].n
	}
	// The 错误说明 column: where a previous round put it, else after the last column.
	noteCol := t.maxCol + 1
	for i, v := range h.cells {
		if normHeader(v) == errorHeader {
			noteCol = i + 1
		}
	}
	for _, r := range t.rows {
		cells := make([]any, len(r.cells))
		for i, v := range r.cells {
			cells[i] = v
			if p.dates[[2]int{r.n, i + 1}] {
				if serial, err := strconv.ParseFloat(v, 64); err == nil {
					cells[i] = serial
				}
			}
		}
		if noteCol <= len(cells) {
			cells[noteCol-1] = "" // a previous round's messages
		}
		start, _ := excelize.CoordinatesToCellName(1, r.n)
		if err := f.SetSheetRow(sheet, start, &cells); err != nil {
			return nil, err
		}
		for i := range r.cells {
			if p.dates[[2]int{r.n, i + 1}] {
				ref, _ := excelize.CoordinatesToCellName(i+1, r.n)
				f.SetCellStyle(sheet, ref, ref, dateStyle)
			}
		}
		if r.n >= h.n && r.n <= lastHeader && len(r.cells) > 0 {
			end, _ := excelize.CoordinatesToCellName(len(r.cells), r.n)
			f.SetCellStyle(sheet, start, end, headerStyle)
		}
	}
	for _, m := range t.merges {
		a, _ := excelize.CoordinatesToCellName(m.c1, m.r1)
		b, _ := excelize.CoordinatesToCellName(m.c2, m.r2)
		f.MergeCell(sheet, a, b)
	}
	for c := 1; c <= t.maxCol; c++ {
		name := colLetter(c)
		w, ok := t.widths[c]
		if !ok {
			w = 12
			for _, hc := range p.cols {
				if hc.col == c && hc.c.width > 0 {
					w = hc.c.width
				}
			}
		}
		f.SetColWidth(sheet, name, name, w)
	}
	noteName := colLetter(noteCol)
	f.SetColWidth(sheet, noteName, noteName, 60)
	ref, _ := excelize.CoordinatesToCellName(noteCol, h.n)
	f.SetCellStr(sheet, ref, errorHeader)
	f.SetCellStyle(sheet, ref, ref, noteHeader)
	f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: lastHeader, TopLeftCell: fmt.Sprintf("A%d", lastHeader+1), ActivePane: "bottomLeft"})

	// The wrong cells: red, with a comment.
	byCell := map[[2]int][]string{}
	var cellsInOrder [][2]int
	byRow := map[int][]string{}
	colNum := map[string]int{}
	for _, e := range errs {
		if e.Row <= 0 {
			continue
		}
		if e.Column == "" {
			byRow[e.Row] = append(byRow[e.Row], e.Message)
			continue
		}
		c, ok := colNum[e.Column]
		if !ok {
			c, _ = excelize.ColumnNameToNumber(e.Column)
			colNum[e.Column] = c
		}
		k := [2]int{e.Row, c}
		if byCell[k] == nil {
			cellsInOrder = append(cellsInOrder, k)
		}
		byCell[k] = append(byCell[k], e.Message)
		byRow[e.Row] = append(byRow[e.Row], fmt.Sprintf("%s列「%s」：%s", e.Column, e.Header, e.Message))
	}
	for i, k := range cellsInOrder {
		ref, _ := excelize.CoordinatesToCellName(k[1], k[0])
		style := badStyle
		if p.dates[k] {
			style = badDate
		}
		f.SetCellStyle(sheet, ref, ref, style)
		if i < maxComments {
			msg := strings.Join(byCell[k], "\n")
			f.AddComment(sheet, excelize.Comment{Cell: ref, Author: commentBy, Width: 260, Height: uint(60 + 16*(len([]rune(msg))/18)),
				Paragraph: []excelize.RichTextRun{{Text: commentBy + "：\n", Font: &excelize.Font{Bold: true}}, {Text: msg}}})
		}
	}
	rowsWithErrors := make([]int, 0, len(byRow))
	for r := range byRow {
		rowsWithErrors = append(rowsWithErrors, r)
	}
	sort.Ints(rowsWithErrors)
	for _, r := range rowsWithErrors {
		ref, _ := excelize.CoordinatesToCellName(noteCol, r)
		f.SetCellStr(sheet, ref, strings.Join(byRow[r], "\n"))
		f.SetCellStyle(sheet, ref, ref, noteStyle)
	}

	// 错误汇总.
	if _, err := f.NewSheet(summarySheet); err != nil {
		return nil, err
	}
	f.SetCellStr(summarySheet, "A1", fmt.Sprintf("共 %d 处错误，未导入任何数据。红色单元格有错误，鼠标移到单元格上可看说明；在「%s」工作表中改正后，可直接重新导入本文件。", len(errs), sheet))
	f.MergeCell(summarySheet, "A1", "D1")
	f.SetRowHeight(summarySheet, 1, 36)
	wrap, _ := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	f.SetCellStyle(summarySheet, "A1", "A1", wrap)
	f.SetSheetRow(summarySheet, "A2", &[]any{"行号", "列", "表头", errorHeader})
	f.SetCellStyle(summarySheet, "A2", "D2", headerStyle)
	for i, e := range errs {
		row := any(e.Row)
		if e.Row <= 0 {
			row = "全表"
		}
		ref, _ := excelize.CoordinatesToCellName(1, i+3)
		f.SetSheetRow(summarySheet, ref, &[]any{row, e.Column, e.Header, e.Message})
	}
	for col, w := range map[string]float64{"A": 8, "B": 6, "C": 18, "D": 90} {
		f.SetColWidth(summarySheet, col, col, w)
	}
	f.SetPanes(summarySheet, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"})
	f.SetActiveSheet(0)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func ptr[T any](v T) *T { return &v }
