package roster

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/member"
)

// CellError is one problem, located as the user sees it in the sheet.
type CellError struct {
	Row     int    `json:"row" doc:"行号，与表格中一致；0 表示整个文件"`
	Column  string `json:"column" doc:"列字母，如 D；空表示整行"`
	Header  string `json:"header" doc:"该列在文件中的表头"`
	Field   string `json:"field" doc:"字段（member.Input 的 JSON 名）"`
	Message string `json:"message"`
}

// String is the line the command line prints: 第12行 D列「公民身份号码」：校验位不对…
func (e CellError) String() string {
	switch {
	case e.Row == 0 && e.Column == "":
		return e.Message
	case e.Row == 0:
		return fmt.Sprintf("%s列「%s」：%s", e.Column, e.Header, e.Message)
	case e.Column == "":
		return fmt.Sprintf("第%d行：%s", e.Row, e.Message)
	}
	return fmt.Sprintf("第%d行 %s列「%s」：%s", e.Row, e.Column, e.Header, e.Message)
}

// Mapping says which column of the file was read as which field.
type Mapping struct {
	Column    string `json:"column"`
	Header    string `json:"header" doc:"文件中的表头"`
	Field     string `json:"field"`
	FieldName string `json:"field_name" doc:"字段的标准名称"`
}

// Ignored is a column that is not imported.
type Ignored struct {
	Column string `json:"column"`
	Header string `json:"header"`
	Reason string `json:"reason"`
}

// Note is something the user should know that is not an error: a date only to the month, a
// row skipped as a footer, a rule to look at.
type Note struct {
	Row     int    `json:"row" doc:"行号（同类多处时为第一处）；0 表示整个文件"`
	Column  string `json:"column"`
	Header  string `json:"header"`
	Message string `json:"message"`
	Count   int    `json:"count" doc:"同类情况的处数"`
}

func (n Note) String() string {
	if n.Row == 0 || n.Count > 1 {
		return n.Message
	}
	if n.Column == "" {
		return fmt.Sprintf("第%d行：%s", n.Row, n.Message)
	}
	return fmt.Sprintf("第%d行 %s列「%s」：%s", n.Row, n.Column, n.Header, n.Message)
}

// Parsed is a roster file read into rows for the registry, with what was wrong in its cells.
type Parsed struct {
	Sheet     string
	HeaderRow int
	Mapping   []Mapping
	Ignored   []Ignored
	Notes     []Note
	Errors    []CellError
	Rows      []member.ImportRow

	t      *table
	cols   []*hcol
	colOf  map[string]*hcol // field → its column
	start  int              // index in t.rows of the first data row
	bad    map[int]map[string]bool
	notes  map[noteKey]*Note
	status map[int]string    // row → 党籍状态 code, when not normal
	orgs   map[int][2]string // row → 所在党支部 name and 党组织代码 as written
	// seqCols are the 序号 columns; rowNotes the notes about one row.
	seqCols  map[int]bool
	rowNotes []Note
	// dates are the cells holding Excel day serials, {row, col}.
	dates map[[2]int]bool
}

type noteKey struct {
	col  int
	kind string
}

// hcol is a column of the file with the field it is read as (c nil: ignored).
type hcol struct {
	col    int
	letter string
	header string
	c      *column
}

// Parse reads an .xlsx or .csv roster: finds the header, maps columns to fields and reads every
// row into a member.Input, collecting cell errors. It does not run the registry's checks (see
// Check) and saves nothing. A *FileError says the file cannot be read at all.
func Parse(data []byte, name string, codes *member.Codes) (*Parsed, error) {
	p, err := parse(data, name, codes)
	if err != nil {
		return nil, err
	}
	p.t.close()
	p.finishNotes()
	return p, nil
}

// parse is Parse leaving the workbook open (for the marked workbook) and the notes unfinished.
func parse(data []byte, name string, codes *member.Codes) (*Parsed, error) {
	t, err := load(data, name)
	if err != nil {
		return nil, err
	}
	p := &Parsed{Sheet: t.sheet, t: t, colOf: map[string]*hcol{}, bad: map[int]map[string]bool{},
		notes: map[noteKey]*Note{}, status: map[int]string{}, orgs: map[int][2]string{}, seqCols: map[int]bool{},
		dates: map[[2]int]bool{}}
	p.resolveHeader()
	if len(t.rows)-p.start > MaxRows {
		t.close()
		return nil, fileErr("too_many_rows", "%s", msgTooMany)
	}
	p.readRows(newCodebook(codes))
	if len(p.Rows) == 0 && len(p.Errors) == 0 {
		t.close()
		return nil, fileErr("no_rows", "表中没有党员数据：表头在第%d行，下面没有填写任何党员", p.HeaderRow)
	}
	return p, nil
}

func colLetter(c int) string {
	s, _ := excelize.ColumnNumberToName(c)
	return s
}

// resolveHeader maps the header row (and a second header row under it, as in forms whose
// 是否为失联党员 spans 是否失联 | 失去联系日期) to fields.
func (p *Parsed) resolveHeader() {
	t := p.t
	h := t.rows[t.header]
	p.HeaderRow = h.n
	byRow := map[int]*trow{}
	for _, r := range t.rows {
		byRow[r.n] = r
	}
	t.filled = map[[2]int]string{}
	// Header cells merged across columns give their text to every column they cover.
	for _, m := range t.merges {
		if m.r1 <= h.n && h.n <= m.r2 && m.c2 > m.c1 {
			top := byRow[m.r1]
			if top == nil || m.c1-1 >= len(top.cells) {
				continue
			}
			for c := m.c1 + 1; c <= m.c2; c++ {
				t.filled[[2]int{h.n, c}] = top.cells[m.c1-1]
			}
		}
	}
	header := func(c int) string { return t.value(h, c) }
	p.start = t.header + 1
	var sub *trow
	if p.start < len(t.rows) && t.rows[p.start].n == h.n+1 && isSubHeader(t.rows[p.start], header) {
		sub = t.rows[p.start]
		p.start++
	}
	data := make([]bool, t.maxCol+1)
	for _, r := range t.rows[p.start:] {
		for i, v := range r.cells {
			if strings.TrimSpace(v) != "" {
				data[i+1] = true
			}
		}
	}
	for c := 1; c <= t.maxCol; c++ {
		text := header(c)
		if sub != nil && c-1 < len(sub.cells) && strings.TrimSpace(sub.cells[c-1]) != "" {
			st := sub.cells[c-1]
			switch {
			case byHeader[normHeader(st)] != nil:
				text = st
			case byHeader[normHeader(text+st)] != nil:
				text += st
			case byHeader[normHeader(text)] == nil:
				text = st
			}
		}
		hc := &hcol{col: c, letter: colLetter(c), header: oneLine(text)}
		col := byHeader[normHeader(text)]
		switch {
		case strings.TrimSpace(text) == "":
			if data[c] {
				p.Ignored = append(p.Ignored, Ignored{Column: hc.letter, Header: "", Reason: "没有表头，不导入"})
			}
			continue
		case normHeader(text) == errorHeader:
			p.Ignored = append(p.Ignored, Ignored{Column: hc.letter, Header: hc.header, Reason: "上次导入检查写下的错误说明，不导入"})
			continue
		case col == nil:
			p.Ignored = append(p.Ignored, Ignored{Column: hc.letter, Header: hc.header, Reason: "不认识的列，不导入"})
			continue
		case col.kind == kSeq:
			p.seqCols[c] = true
			p.Ignored = append(p.Ignored, Ignored{Column: hc.letter, Header: hc.header, Reason: "序号，不导入"})
			continue
		case p.colOf[col.field] != nil:
			first := p.colOf[col.field]
			p.Ignored = append(p.Ignored, Ignored{Column: hc.letter, Header: hc.header,
				Reason: fmt.Sprintf("与 %s列「%s」同为%s，只导入 %s列", first.letter, first.header, col.header, first.letter)})
			continue
		}
		hc.c = col
		p.colOf[col.field] = hc
		p.cols = append(p.cols, hc)
		p.Mapping = append(p.Mapping, Mapping{Column: hc.letter, Header: hc.header, Field: col.field, FieldName: col.header})
	}
	// Data cells merged down give their value to the rows below (rows that have content of
	// their own); merged across they belong to the first column only.
	lastHeader := h.n
	if sub != nil {
		lastHeader = sub.n
	}
	for _, m := range t.merges {
		if m.r1 <= lastHeader || m.r2 == m.r1 {
			continue
		}
		top := byRow[m.r1]
		if top == nil || m.c1-1 >= len(top.cells) {
			continue
		}
		for r := m.r1 + 1; r <= m.r2; r++ {
			t.filled[[2]int{r, m.c1}] = top.cells[m.c1-1]
		}
	}
}

// isSubHeader: the row under the header names fields, and has nothing under 姓名 and
// 公民身份号码 (those headers span both rows).
func isSubHeader(r *trow, header func(int) string) bool {
	known := 0
	for i, v := range r.cells {
		if strings.TrimSpace(v) == "" {
			continue
		}
		hc := byHeader[normHeader(header(i+1))]
		if hc != nil && (hc.field == "name" || hc.field == "id_number") {
			return false
		}
		if c := byHeader[normHeader(v)]; c != nil && c.kind != kSeq {
			known++
		}
	}
	return known > 0
}

// cellErr records a problem with a cell.
func (p *Parsed) cellErr(row int, hc *hcol, msg string) {
	e := CellError{Row: row, Message: msg}
	if hc != nil {
		e.Column, e.Header = hc.letter, hc.header
		if hc.c != nil {
			e.Field = hc.c.field
		}
	}
	p.Errors = append(p.Errors, e)
	if p.bad[row] == nil {
		p.bad[row] = map[string]bool{}
	}
	p.bad[row][e.Field] = true
}

// note records a note; notes of one kind ("" for none) in one column are counted as one.
func (p *Parsed) note(row int, hc *hcol, kind, msg string) {
	n := Note{Row: row, Message: msg, Count: 1}
	k := noteKey{kind: kind}
	if hc != nil {
		n.Column, n.Header, k.col = hc.letter, hc.header, hc.col
	}
	if kind == "" {
		p.rowNotes = append(p.rowNotes, n)
		return
	}
	if have, ok := p.notes[k]; ok {
		have.Count++
		return
	}
	p.notes[k] = &n
}

func (p *Parsed) finishNotes() {
	for k, n := range p.notes {
		if n.Count > 1 {
			where := "「" + n.Header + "」列"
			if n.Column == "" {
				where = "表中"
			}
			switch k.kind {
			case "month":
				n.Message = fmt.Sprintf("%s有 %d 个日期只到月份（如第%d行），已按当月1日登记", where, n.Count, n.Row)
			case "ambiguous":
				n.Message = fmt.Sprintf("%s有 %d 个日期被 Excel 存成了“年.1”这样的数字（如第%d行），已按1月登记；如果本是10月（1985.10），请把该列设为文本后重新填写", where, n.Count, n.Row)
			case "serial":
				n.Message = fmt.Sprintf("%s有 %d 个日期是数字（如第%d行），已按 Excel 日期序号换算，请核对", where, n.Count, n.Row)
			case "status":
				n.Message = fmt.Sprintf("有 %d 人的党籍状态不是“正常”（如第%d行）：导入不改变党籍状态，停止党籍、出党等须在党员信息中办理", n.Count, n.Row)
			case "empty":
				n.Message = fmt.Sprintf("跳过了 %d 个只在不导入的列中有内容的行（如第%d行）", n.Count, n.Row)
			}
		}
		p.Notes = append(p.Notes, *n)
	}
	p.Notes = append(p.Notes, p.rowNotes...)
	sort.SliceStable(p.Notes, func(i, j int) bool {
		a, b := p.Notes[i], p.Notes[j]
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		return a.Column < b.Column
	})
	if p.t.sheets > 1 {
		p.Notes = append([]Note{{Message: fmt.Sprintf("读取的是工作表「%s」（表头在第%d行）", p.Sheet, p.HeaderRow), Count: 1}}, p.Notes...)
	}
}

// readRows reads every data row.
func (p *Parsed) readRows(codes *codebook) {
	t := p.t
	// Horizontal merges of data rows, to tell 以下为预备党员-style divider rows.
	across := map[int][2]int{}
	for _, m := range t.merges {
		if m.r1 == m.r2 && m.c2-m.c1 >= 2 {
			across[m.r1] = [2]int{m.c1, m.c2}
		}
	}
	mapped := map[int]bool{}
	for _, hc := range p.cols {
		mapped[hc.col] = true
	}
	for _, r := range t.rows[p.start:] {
		// A row is empty when its own cells (not values merged down into it) are empty in every
		// imported column; a 序号 alone does not count.
		empty, other := true, false
		var text []string
		for i, v := range r.cells {
			if v = strings.TrimSpace(v); v == "" {
				continue
			}
			text = append(text, v)
			switch {
			case mapped[i+1]:
				empty = false
			case !p.seqCols[i+1]:
				other = true
			}
		}
		if empty {
			if other {
				p.note(r.n, nil, "empty", "只在不导入的列中有内容，已跳过")
			}
			continue
		}
		if span, ok := across[r.n]; ok && len(text) == 1 && span[0]-1 < len(r.cells) && strings.TrimSpace(r.cells[span[0]-1]) != "" {
			p.note(r.n, nil, "", fmt.Sprintf("是跨列合并的说明行（「%s」），已跳过", clip(text[0])))
			continue
		}
		if id := p.colOf["id_number"]; (id == nil || strings.TrimSpace(t.value(r, id.col)) == "") && looksLikeFooter(strings.Join(text, " ")) {
			p.note(r.n, nil, "", fmt.Sprintf("像是表格下方的落款或合计（「%s」），已跳过", clip(strings.Join(text, " "))))
			continue
		}
		p.readRow(r, codes)
	}
}

func clip(s string) string {
	if r := []rune(s); len(r) > 20 {
		return string(r[:20]) + "…"
	}
	return s
}

// readRow reads one row into an Input.
func (p *Parsed) readRow(r *trow, codes *codebook) {
	t := p.t
	row := member.ImportRow{Row: r.n}
	in := &row.Input
	var cat member.Category
	var catCol *hcol
	var org, orgCode string
	for _, hc := range p.cols {
		raw := strings.TrimSpace(t.value(r, hc.col))
		if raw == "" {
			continue
		}
		c := hc.c
		switch c.kind {
		case kName:
			in.Name = normName(raw)
		case kID:
			v := normID(raw)
			switch {
			case strings.Contains(v, "*"):
				p.cellErr(r.n, hc, "公民身份号码已脱敏（含 *），不能用来导入：请导出完整信息，或填写完整号码")
			case scientific(v) || len(v) > 15 && numericCell(t, r.n, hc.col, v):
				p.cellErr(r.n, hc, "公民身份号码被 Excel 存成了数字，后几位已经丢失：请把该列设为文本格式，重新填写完整号码")
			default:
				in.IDNumber = v
			}
		case kPhone:
			v := normPhone(raw)
			if scientific(v) {
				p.cellErr(r.n, hc, "联系电话被 Excel 显示成了科学计数法：请把该列设为文本格式，重新填写号码")
			} else if strings.Contains(v, "*") {
				p.cellErr(r.n, hc, "联系电话已脱敏（含 *），不能用来导入：请导出完整信息，或填写完整号码")
			} else {
				in.Phone = v
			}
		case kText:
			*textField(in, c.field) = oneLine(fold(raw))
		case kDate:
			number, dateFmt := false, false
			if _, err := strconv.ParseFloat(raw, 64); err == nil {
				number, dateFmt = t.numberKind(r.n, hc.col)
			}
			if dateFmt {
				p.dates[[2]int{r.n, hc.col}] = true
			}
			res := parseDate(raw, number, dateFmt, t.date1904)
			if res.err != "" {
				p.cellErr(r.n, hc, res.err)
				continue
			}
			*dateField(in, c.field) = res.d
			switch res.note {
			case noteMonth:
				p.note(r.n, hc, "month", fmt.Sprintf("「%s」只到月份，已按 %s 登记", raw, res.d))
			case noteAmbiguous1:
				p.note(r.n, hc, "ambiguous", fmt.Sprintf("「%s」被 Excel 存成了数字，已按 %d年1月 登记；如果本是10月（%d.10），请把单元格设为文本后重新填写", raw, res.d.Year(), res.d.Year()))
			case noteSerial:
				p.note(r.n, hc, "serial", fmt.Sprintf("数字 %s 已按 Excel 日期序号换算为 %s，请核对", raw, res.d))
			}
		case kBool:
			v, ok := parseBool(raw)
			if !ok {
				p.cellErr(r.n, hc, fmt.Sprintf("「%s」应填 是 或 否（也可填 √/×、Y/N、1/0，空白为否）", raw))
				continue
			}
			*boolField(in, c.field) = v
		case kCode:
			code, ok := codes.lookup(c.code, raw)
			if !ok {
				p.cellErr(r.n, hc, codes.unknown(c.code, raw))
				continue
			}
			*textField(in, c.field) = code
		case kCategory:
			v, ok := category(raw)
			if !ok {
				p.cellErr(r.n, hc, fmt.Sprintf("「%s」不是可选的人员类别；可填：正式党员、预备党员", raw))
				continue
			}
			cat, catCol = v, hc
		case kStatus:
			code, ok := codes.lookup(member.KindStatus, raw)
			if !ok {
				p.cellErr(r.n, hc, codes.unknown(member.KindStatus, raw))
				continue
			}
			if code != string(member.StatusNormal) {
				p.status[r.n] = code
				p.note(r.n, hc, "status", fmt.Sprintf("党籍状态为“%s”：导入不改变党籍状态，停止党籍、出党等须在党员信息中办理", codes.label(member.KindStatus, code)))
			}
		case kOrg:
			org = oneLine(fold(raw))
		case kOrgCode:
			orgCode = noSpace(fold(raw))
		}
	}
	// 人员类别 is derived from 转正日期; a file that says otherwise is wrong somewhere.
	if catCol != nil && !p.bad[r.n]["full_on"] {
		switch {
		case cat == member.CategoryFull && in.FullOn.IsZero():
			p.cellErr(r.n, catCol, "人员类别为正式党员，但没有填写转为正式党员日期：请补上转正日期，或改为预备党员")
		case cat == member.CategoryProbationary && !in.FullOn.IsZero():
			p.cellErr(r.n, catCol, fmt.Sprintf("人员类别为预备党员，但填写了转为正式党员日期 %s：请改为正式党员，或删去转正日期", in.FullOn))
		}
	}
	row.Org = org
	p.orgs[r.n] = [2]string{org, orgCode}
	if orgCode != "" {
		row.Org = orgCode
	}
	p.Rows = append(p.Rows, row)
}

// numericCell reports whether the cell holding v is a number cell (Excel keeps 15 digits).
func numericCell(t *table, row, col int, v string) bool {
	if _, err := strconv.ParseFloat(v, 64); err != nil {
		return false
	}
	number, _ := t.numberKind(row, col)
	return number
}

func textField(in *member.Input, field string) *string {
	switch field {
	case "gender":
		return &in.Gender
	case "ethnicity":
		return &in.Ethnicity
	case "education":
		return &in.Education
	case "job":
		return &in.Job
	case "address":
		return &in.Address
	case "lost_situation":
		return &in.LostSituation
	case "mobile_to":
		return &in.MobileTo
	case "native_place":
		return &in.NativePlace
	case "degree":
		return &in.Degree
	case "tech_title":
		return &in.TechTitle
	case "party_post":
		return &in.PartyPost
	case "introducers":
		return &in.Introducers
	}
	panic("roster: no text field " + field)
}

func dateField(in *member.Input, field string) *civil.Date {
	switch field {
	case "birth_date":
		return &in.BirthDate
	case "joined_on":
		return &in.JoinedOn
	case "full_on":
		return &in.FullOn
	case "lost_on":
		return &in.LostOn
	case "work_started_on":
		return &in.WorkStartedOn
	}
	panic("roster: no date field " + field)
}

func boolField(in *member.Input, field string) *bool {
	switch field {
	case "lost_contact":
		return &in.LostContact
	case "mobile":
		return &in.Mobile
	case "hardship":
		return &in.Hardship
	}
	panic("roster: no yes/no field " + field)
}
