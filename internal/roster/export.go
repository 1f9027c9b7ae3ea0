package roster

import (
	"archive/zip"
	"context"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/member"
)

// Source streams members for an export; *member.Store is one.
type Source interface {
	Codes(ctx context.Context) (*member.Codes, error)
	Each(ctx context.Context, f member.ListFilter, reveal bool, fn func(*member.Member) error) error
}

// Export writes the members matching f as a 党员花名册 workbook in the template's column shape,
// so that it re-imports cleanly (when reveal: masked 公民身份号码 cannot be imported). It
// streams: rows go through excelize's StreamWriter (which spills to a temporary file) and
// the zip is written straight to w, so memory does not grow with the number of members.
// Nothing is written to w before the last member is read, so an error from src leaves w
// untouched.
func Export(ctx context.Context, w io.Writer, src Source, f member.ListFilter, reveal bool) error {
	return ExportTitled(ctx, w, src, f, reveal, "党员花名册")
}

// ExportTitled is Export with the title written above the header (an organisation's name).
func ExportTitled(ctx context.Context, w io.Writer, src Source, filter member.ListFilter, reveal bool, title string) error {
	codes, err := src.Codes(ctx)
	if err != nil {
		return err
	}
	b := newCodebook(codes)
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", dataSheet); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(dataSheet)
	if err != nil {
		return err
	}
	cols := exportColumns()
	for i, c := range cols {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	title += "（导出日期 " + civil.Today().String()
	if !reveal {
		title += "；公民身份号码、联系电话、家庭住址已脱敏，不能用于导入"
	}
	title += "）"
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: st.title, Value: title}}, excelize.RowOpts{Height: 30}); err != nil {
		return err
	}
	if err := sw.MergeCell("A1", colLetter(len(cols))+"1"); err != nil {
		return err
	}
	head := make([]any, len(cols))
	for i, c := range cols {
		style := st.header
		if required[c.field] {
			style = st.requiredHeader
		}
		head[i] = excelize.Cell{StyleID: style, Value: c.header}
	}
	if err := sw.SetRow("A2", head, excelize.RowOpts{Height: 32}); err != nil {
		return err
	}
	// One row of cells, reused: SetRow writes them out before the next member is read.
	cells := make([]excelize.Cell, len(cols))
	row := make([]any, len(cols))
	for i := range cells {
		row[i] = &cells[i]
	}
	n := 2
	err = src.Each(ctx, filter, reveal, func(m *member.Member) error {
		n++
		for i, c := range cols {
			cells[i] = excelize.Cell{Value: exportValue(b, m, c)}
			switch {
			case c.kind == kDate:
				if d := *memberDate(m, c.field); !d.IsZero() {
					cells[i] = excelize.Cell{StyleID: st.date, Value: serial(d)}
				}
			case c.kind == kID || c.kind == kPhone:
				cells[i].StyleID = st.text
			}
		}
		ref, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		return sw.SetRow(ref, row)
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	// Write the zip straight to w rather than through WriteTo's in-memory buffer.
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w) })
	_, err = f.WriteToBuffer()
	return err
}

var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// serial is the Excel day number of d (dates after 1900-02-28).
func serial(d civil.Date) float64 {
	return float64(d.Time().Sub(excelEpoch) / (24 * time.Hour))
}

func yesNo(v bool) string {
	if v {
		return "是"
	}
	return "否"
}

// exportValue is what a column says of m, written so that it reads back: labels that look up
// to their codes, 是/否. Dates are written by the caller.
func exportValue(b *codebook, m *member.Member, c column) any {
	switch c.field {
	case "name":
		return m.Name
	case "gender":
		return b.label(member.KindGender, m.Gender)
	case "id_number":
		return m.IDNumber
	case "ethnicity":
		return b.label(member.KindEthnicity, m.Ethnicity)
	case "education":
		return b.label(member.KindEducation, m.Education)
	case fieldCategory:
		return m.CategoryName
	case fieldOrg:
		return m.OrgName
	case fieldOrgCode:
		return m.OrgCode
	case "job":
		return b.label(member.KindJob, m.Job)
	case "phone":
		return m.Phone
	case "address":
		return m.Address
	case fieldStatus:
		return b.label(member.KindStatus, string(m.Status))
	case "lost_contact":
		return yesNo(m.LostContact)
	case "mobile":
		return yesNo(m.Mobile)
	case "hardship":
		return yesNo(m.Hardship)
	case "mobile_to":
		return m.MobileTo
	case "lost_situation":
		return b.label(member.KindLostSituation, m.LostSituation)
	case "native_place":
		return m.NativePlace
	case "degree":
		return m.Degree
	case "tech_title":
		return m.TechTitle
	case "party_post":
		return m.PartyPost
	case "introducers":
		return m.Introducers
	}
	return nil
}

func memberDate(m *member.Member, field string) *civil.Date {
	switch field {
	case "birth_date":
		return &m.BirthDate
	case "joined_on":
		return &m.JoinedOn
	case "full_on":
		return &m.FullOn
	case "lost_on":
		return &m.LostOn
	case "work_started_on":
		return &m.WorkStartedOn
	}
	panic("roster: no date field " + field)
}
