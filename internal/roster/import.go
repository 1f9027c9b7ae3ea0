package roster

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/member"
)

// Registry is what an import needs of the member registry; *member.Store is one.
type Registry interface {
	Codes(ctx context.Context) (*member.Codes, error)
	Import(ctx context.Context, under int64, rows []member.ImportRow) (*member.ImportResult, error)
}

// Checker is a registry that can run an import's checks and counts without saving (a dry
// run). Without it a dry run sends the registry one more row that always fails its checks, so
// that it saves nothing, and reports no counts.
type Checker interface {
	CheckImport(ctx context.Context, under int64, rows []member.ImportRow) (*member.ImportResult, error)
}

// Options tune an import.
type Options struct {
	// DryRun checks everything, the database included, and saves nothing.
	DryRun bool
	// Marked asks for the error workbook when anything is wrong.
	Marked bool
	// Today is the day the rules are checked against (zero: today in China).
	Today civil.Date
}

// Report is the outcome of an import. OK false means nothing was saved.
type Report struct {
	OK        bool               `json:"ok"`
	DryRun    bool               `json:"dry_run"`
	Sheet     string             `json:"sheet" doc:"读取的工作表"`
	HeaderRow int                `json:"header_row" doc:"表头所在行"`
	Rows      int                `json:"rows" doc:"读到的党员行数"`
	Created   int                `json:"created"`
	Updated   int                `json:"updated"`
	Unchanged int                `json:"unchanged"`
	Changes   []member.RowChange `json:"changes" doc:"更新了哪些人的哪些字段"`
	Errors    []CellError        `json:"errors"`
	Mapping   []Mapping          `json:"mapping" doc:"哪一列读作哪个字段"`
	Ignored   []Ignored          `json:"ignored" doc:"不导入的列"`
	Notes     []string           `json:"notes" doc:"提示（非错误）：只到月份的日期、跳过的行、需要核对的规则等"`
	// ErrorWorkbook is the user's rows with every wrong cell marked, when there are errors and
	// Options.Marked (JSON: base64).
	ErrorWorkbook []byte `json:"error_workbook,omitempty" doc:"标出错误的工作簿（.xlsx，base64 编码）；仅在有错误时"`
}

// Summary is the one line that says what happened.
func (r *Report) Summary() string {
	switch {
	case !r.OK:
		return fmt.Sprintf("有 %d 处错误，未导入任何数据", len(r.Errors))
	case r.DryRun && r.Created+r.Updated+r.Unchanged > 0:
		return fmt.Sprintf("检查通过（未保存）：将新增 %d 人，更新 %d 人，未变 %d 人", r.Created, r.Updated, r.Unchanged)
	case r.DryRun:
		return fmt.Sprintf("检查通过（未保存）：共 %d 人，可以导入", r.Rows)
	}
	return fmt.Sprintf("导入完成：新增 %d 人，更新 %d 人，未变 %d 人", r.Created, r.Updated, r.Unchanged)
}

// probeRow is added to a dry run's rows: it always fails the registry's checks (it has no
// name), so the registry checks every row against the database, saves nothing and reports the
// other rows' errors.
const probeRow = -1

// Import reads a roster file and saves it under the organisation under through reg, all or
// nothing: cell errors, the registry's checks per row and its database checks (公民身份号码
// repeated or registered elsewhere, 所在党支部 not found) are all collected; if there is any,
// nothing is saved and the report lists them (with the marked workbook if asked). A file that
// cannot be read at all is a *FileError.
func Import(ctx context.Context, reg Registry, under int64, data []byte, name string, opt Options) (*Report, error) {
	codes, err := reg.Codes(ctx)
	if err != nil {
		return nil, err
	}
	p, err := parse(data, name, codes)
	if err != nil {
		return nil, err
	}
	defer p.t.close()
	today := opt.Today
	if today.IsZero() {
		today = civil.Today()
	}
	rows := make([]member.ImportRow, len(p.Rows), len(p.Rows)+1)
	for i, r := range p.Rows {
		rows[i] = r
		if p.bad[r.Row] == nil {
			in := r.Input
			if fields, warnings := member.CheckWith(&in, today, codes); len(fields) == 0 {
				for _, w := range warnings {
					p.note(r.Row, p.colOf[w.Field], "", w.Message)
				}
			}
		}
	}
	// With cell errors the rows still go through the registry's checks, so that the user sees
	// every problem at once; nothing may be saved then, nor in a dry run.
	check := opt.DryRun || len(p.Errors) > 0
	var res *member.ImportResult
	if c, ok := reg.(Checker); ok && check {
		res, err = c.CheckImport(ctx, under, rows)
	} else if check {
		res, err = reg.Import(ctx, under, append(rows, member.ImportRow{Row: probeRow}))
		if err == nil && (res.Created > 0 || res.Updated > 0 || len(res.Errors) == 0) {
			return nil, errors.New("roster: the registry saved a dry run")
		}
	} else {
		res, err = reg.Import(ctx, under, rows)
	}
	if err != nil {
		return nil, err
	}
	p.registryErrors(res.Errors)
	p.finishNotes()
	sortErrors(p.Errors)
	rep := &Report{DryRun: opt.DryRun, Sheet: p.Sheet, HeaderRow: p.HeaderRow, Rows: len(p.Rows),
		Changes: []member.RowChange{}, Errors: p.Errors, Mapping: p.Mapping, Ignored: p.Ignored, Notes: []string{}}
	for _, n := range p.Notes {
		rep.Notes = append(rep.Notes, n.String())
	}
	if rep.Ignored == nil {
		rep.Ignored = []Ignored{}
	}
	if rep.Errors == nil {
		rep.Errors = []CellError{}
	}
	if len(rep.Errors) > 0 {
		if opt.Marked {
			if rep.ErrorWorkbook, err = p.marked(rep.Errors); err != nil {
				return nil, err
			}
		}
		return rep, nil
	}
	rep.OK = true
	rep.Created, rep.Updated, rep.Unchanged = res.Created, res.Updated, res.Unchanged
	if res.Changes != nil {
		rep.Changes = res.Changes
	}
	return rep, nil
}

// registryErrors adds the registry's row errors, at the column of their field. Errors about a
// field whose cell was already wrong are dropped (the cell error says it better); a field the
// file has no column for, wrong in many rows, is said once.
func (p *Parsed) registryErrors(errs []member.RowError) {
	type missing struct {
		first CellError
		n     int
	}
	absent := map[string]*missing{}
	var order []string
	for _, e := range errs {
		if e.Row == probeRow {
			continue
		}
		field := e.Field
		if field == "org_id" {
			field = fieldOrg
		}
		if p.bad[e.Row][field] || (field == fieldOrg && p.bad[e.Row][fieldOrgCode]) {
			continue
		}
		hc := p.colOf[field]
		if c := p.colOf[fieldOrgCode]; field == fieldOrg && c != nil && p.orgs[e.Row][1] != "" {
			hc = c // the code, when written, is what was looked up
		}
		ce := CellError{Row: e.Row, Field: field, Message: e.Message}
		if hc != nil {
			ce.Column, ce.Header = hc.letter, hc.header
			p.Errors = append(p.Errors, ce)
			continue
		}
		key := field + "\x00" + e.Message
		if m := absent[key]; m != nil {
			m.n++
			continue
		}
		absent[key] = &missing{first: ce, n: 1}
		order = append(order, key)
	}
	for _, k := range order {
		m := absent[k]
		if m.n < 3 {
			for _, e := range errs {
				if e.Row != probeRow && e.Field == m.first.Field && e.Message == m.first.Message {
					p.Errors = append(p.Errors, CellError{Row: e.Row, Field: m.first.Field, Message: e.Message})
				}
			}
			continue
		}
		msg := fmt.Sprintf("%d 行（第%d行起）：%s", m.n, m.first.Row, m.first.Message)
		if m.first.Field != "" {
			msg = fmt.Sprintf("文件中没有「%s」列，%s", FieldName(m.first.Field), msg)
		}
		p.Errors = append(p.Errors, CellError{Field: m.first.Field, Message: msg})
	}
}

func sortErrors(errs []CellError) {
	sort.SliceStable(errs, func(i, j int) bool {
		a, b := errs[i], errs[j]
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		if len(a.Column) != len(b.Column) {
			return len(a.Column) < len(b.Column)
		}
		return a.Column < b.Column
	})
}
