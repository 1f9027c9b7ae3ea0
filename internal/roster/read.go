package roster

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"

	"github.com/dangjian/dangjian/internal/api"
)

// FileError is a file that cannot be imported at all (too large, encrypted, corrupt, no
// header); the message is for the user.
type FileError struct {
	Status  int
	Code    string
	Message string
}

func (e *FileError) Error() string { return e.Message }

// APIError is e as a problem+json answer; its errors list the message as a whole-file error,
// the shape of an import's row errors.
func (e *FileError) APIError() *api.Error {
	ae := api.Status(e.Status, e.Code, e.Message)
	if ae.Title == "" || e.Status == 422 {
		ae.Title = "文件无法导入"
	}
	ae.Extra = map[string]any{"ok": false, "errors": []CellError{{Message: e.Message}}}
	return ae
}

func fileErr(code, format string, args ...any) *FileError {
	return &FileError{Status: 422, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Messages of the file-level refusals.
var (
	msgTooLarge  = fmt.Sprintf("文件超过 %d MB，无法导入；请按党支部拆分成几个文件后分别导入", MaxFileSize>>20)
	msgEncrypted = "文件有密码保护，请另存为无密码的 .xlsx 后再导入"
	msgCorrupt   = "无法读取该文件：不是有效的 .xlsx/.csv 文件"
	msgOldExcel  = "这是旧版 Excel（.xls）或 WPS（.et）文件，无法直接读取：请在 Excel 或 WPS 中“另存为” .xlsx 后再导入"
	msgEmpty     = "工作表是空的"
	msgNoHeader  = fmt.Sprintf("找不到表头：第1–%d行中没有同时包含「姓名」和「公民身份号码」的行", headerRows)
	msgTooMany   = fmt.Sprintf("文件中的党员超过 %d 行，无法一次导入：请按党委或党支部拆分成几个文件，分别导入", MaxRows)
)

// ErrTooLarge is the answer for a file over MaxFileSize.
var ErrTooLarge = &FileError{Status: 413, Code: "too_large", Message: msgTooLarge}

// trow is a non-empty row as read: raw values (for numeric cells the stored number, not the
// displayed text; table.numberKind tells whether a number is a date).
type trow struct {
	n     int      // row number in the sheet
	cells []string // raw values, index 0 is column A
}

// table is the sheet an import reads: its non-empty rows with their numbers, where the header
// is, and for workbooks the open file to ask cell formats and merged ranges.
type table struct {
	sheet  string
	csv    bool
	rows   []*trow
	header int // index in rows of the header row
	maxCol int
	seen   bool // any content at all
	sheets int  // how many sheets the workbook has

	// Merged ranges; filled holds the values the ranges give to cells other than their top-left
	// one (header rows fill across, data rows fill down).
	merges   []mergeRange
	filled   map[[2]int]string // {row, col} → value
	widths   map[int]float64
	f        *excelize.File
	date1904 bool
	dateFmt  map[int]bool // style ID → number format is a date
}

type mergeRange struct{ c1, r1, c2, r2 int }

func (t *table) close() {
	if t.f != nil {
		t.f.Close()
		t.f = nil
	}
}

// value is what the cell at (row number, column) holds, merged ranges applied.
func (t *table) value(r *trow, col int) string {
	if col-1 < len(r.cells) && r.cells[col-1] != "" {
		return r.cells[col-1]
	}
	return t.filled[[2]int{r.n, col}]
}

// numberKind says whether the cell holds a number and whether that number is formatted as a
// date (Excel stores dates as day serials).
func (t *table) numberKind(rowNum, col int) (number, date bool) {
	if t.f == nil {
		return false, false
	}
	ref, _ := excelize.CoordinatesToCellName(col, rowNum)
	typ, err := t.f.GetCellType(t.sheet, ref)
	if err != nil || (typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset && typ != excelize.CellTypeDate) {
		return false, false
	}
	if typ == excelize.CellTypeDate { // an ISO 8601 text, read as text
		return false, false
	}
	style, err := t.f.GetCellStyle(t.sheet, ref)
	if err != nil {
		return true, false
	}
	isDate, ok := t.dateFmt[style]
	if !ok {
		if s, err := t.f.GetStyle(style); err == nil {
			isDate = isDateFormat(s.NumFmt, s.CustomNumFmt)
		}
		t.dateFmt[style] = isDate
	}
	return true, isDate
}

// isDateFormat reports whether a number format shows a date: the built-in date formats
// (including the Chinese ones, 27–36 and 50–58) or a custom format with year or day parts.
func isDateFormat(id int, custom *string) bool {
	if custom != nil && *custom != "" {
		f := strings.ToLower(*custom)
		var b strings.Builder
		quoted, bracket := false, false
		for i := 0; i < len(f); i++ {
			c := f[i]
			switch {
			case c == '"':
				quoted = !quoted
			case quoted:
			case c == '[':
				bracket = true
			case c == ']':
				bracket = false
			case bracket:
			case c == '\\' || c == '_' || c == '*':
				i++
			default:
				b.WriteByte(c)
			}
		}
		s := b.String()
		if strings.Contains(s, "general") {
			return false
		}
		return strings.ContainsAny(s, "yde") && !strings.ContainsAny(s, "0#?")
	}
	switch {
	case id >= 14 && id <= 17, id == 22, id >= 27 && id <= 31, id == 36, id >= 50 && id <= 54, id == 57, id == 58:
		return true
	}
	return false
}

// load reads an .xlsx or .csv file (told apart by content) and finds the roster's header.
func load(data []byte, name string) (*table, error) {
	if len(data) > MaxFileSize {
		return nil, ErrTooLarge
	}
	if len(data) == 0 {
		return nil, fileErr("empty_file", "文件是空的")
	}
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return loadXLSX(data)
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		// An OLE compound file: an encrypted .xlsx, or an old binary .xls/.et.
		if bytes.Contains(data, utf16le("EncryptedPackage")) || bytes.Contains(data, utf16le("EncryptionInfo")) {
			return nil, fileErr("encrypted", "%s", msgEncrypted)
		}
		return nil, fileErr("old_format", "%s", msgOldExcel)
	case ext == ".xlsx" || ext == ".xlsm" || ext == ".xls" || ext == ".et":
		return nil, fileErr("corrupt", "%s", msgCorrupt)
	}
	return loadCSV(data)
}

func utf16le(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		b = append(b, s[i], 0)
	}
	return b
}

// Sheets that are ours, never a roster to import.
var ownSheets = map[string]bool{exampleSheet: true, optionsSheet: true, summarySheet: true}

func loadXLSX(data []byte) (*table, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true, UnzipSizeLimit: 256 << 20})
	if err != nil {
		if strings.Contains(err.Error(), "unzip size") {
			return nil, fileErr("too_large", "文件解压后超过 256 MB，无法导入；请删去图片和无关的工作表，或拆分后再导入")
		}
		return nil, fileErr("corrupt", "%s", msgCorrupt)
	}
	var first *table
	empty := true
	for _, sheet := range f.GetSheetList() {
		if ownSheets[sheet] {
			continue
		}
		if visible, err := f.GetSheetVisible(sheet); err == nil && !visible {
			continue
		}
		t, nonEmpty, err := scanSheet(f, sheet)
		if err != nil {
			f.Close()
			return nil, err
		}
		if nonEmpty {
			empty = false
		}
		if t == nil {
			continue
		}
		if len(t.rows) > t.header+1 {
			first = t
			break
		}
		if first == nil {
			first = t
		}
	}
	if first == nil {
		f.Close()
		if empty {
			return nil, fileErr("empty", "%s", msgEmpty)
		}
		return nil, fileErr("no_header", "%s", msgNoHeader)
	}
	t := first
	t.f, t.dateFmt, t.widths, t.sheets = f, map[int]bool{}, map[int]float64{}, len(f.GetSheetList())
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		t.date1904 = *props.Date1904
	}
	// Merged ranges and widths need the whole sheet in memory; the row limit is checked by now.
	merges, err := f.GetMergeCells(t.sheet, true)
	if err != nil {
		t.close()
		return nil, fileErr("corrupt", "%s", msgCorrupt)
	}
	for _, m := range merges {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 == nil && err2 == nil && (c1 != c2 || r1 != r2) {
			t.merges = append(t.merges, mergeRange{c1, r1, c2, r2})
		}
	}
	for c := 1; c <= t.maxCol+1; c++ {
		name, _ := excelize.ColumnNumberToName(c)
		if w, err := f.GetColWidth(t.sheet, name); err == nil {
			t.widths[c] = w
		}
	}
	return t, nil
}

// maxCols bounds how far right a row is read.
const maxCols = 256

// scanSheet streams a sheet's rows. It returns nil when the sheet has no header in its first
// rows, and whether the sheet has any content at all.
func scanSheet(f *excelize.File, sheet string) (*table, bool, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, false, fileErr("corrupt", "%s", msgCorrupt)
	}
	defer rows.Close()
	t := &table{sheet: sheet, header: -1}
	n := 0
	for rows.Next() {
		n++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, t.seen, fileErr("corrupt", "%s", msgCorrupt)
		}
		if done, err := t.add(n, cells); err != nil || done {
			return nil, t.seen, err
		}
	}
	if rows.Error() != nil {
		return nil, t.seen, fileErr("corrupt", "%s", msgCorrupt)
	}
	if t.header < 0 {
		return nil, t.seen, nil
	}
	return t, true, nil
}

// add takes one row in. done is true when the sheet turned out to have no header.
func (t *table) add(n int, cells []string) (done bool, err error) {
	if len(cells) > maxCols {
		cells = cells[:maxCols]
	}
	last := -1
	for i, c := range cells {
		if strings.TrimSpace(c) != "" {
			last = i
		}
	}
	if last < 0 {
		return t.header < 0 && n >= headerRows, nil
	}
	cells = cells[:last+1]
	t.seen = true
	if t.header < 0 {
		if n > headerRows {
			return true, nil
		}
		t.rows = append(t.rows, &trow{n: n, cells: cells})
		if isHeader(cells) {
			t.header = len(t.rows) - 1
		}
		t.maxCol = max(t.maxCol, len(cells))
		return false, nil
	}
	if len(t.rows)-t.header > MaxRows+1 { // +1: a second header row
		return false, fileErr("too_many_rows", "%s", msgTooMany)
	}
	t.rows = append(t.rows, &trow{n: n, cells: cells})
	t.maxCol = max(t.maxCol, len(cells))
	return false, nil
}

// isHeader: at least three cells are known headers, 姓名 and 公民身份号码 among them.
func isHeader(cells []string) bool {
	known, name, id := 0, false, false
	for _, c := range cells {
		col := byHeader[normHeader(c)]
		if col == nil || col.kind == kSeq {
			continue
		}
		known++
		name = name || col.field == "name"
		id = id || col.field == "id_number"
	}
	return known >= 3 && name && id
}

func loadCSV(data []byte) (*table, error) {
	text, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sniffDelimiter(text)
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	t := &table{sheet: "Sheet1", csv: true, header: -1}
	n := 0
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fileErr("corrupt", "%s", msgCorrupt)
		}
		n++
		for i, v := range rec {
			rec[i] = unwrapCSV(v)
		}
		done, err := t.add(n, rec)
		if err != nil {
			return nil, err
		}
		if done {
			break
		}
	}
	switch {
	case !t.seen:
		return nil, fileErr("empty", "%s", msgEmpty)
	case t.header < 0:
		return nil, fileErr("no_header", "%s", msgNoHeader)
	}
	return t, nil
}

// decodeText reads UTF-8 (with or without BOM), UTF-16 with BOM (Excel's “Unicode 文本”), or
// GB18030/GBK, which Excel in China writes for “CSV（逗号分隔）”.
func decodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		b, err := xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil {
			return "", fileErr("corrupt", "%s", msgCorrupt)
		}
		data = b
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "", fileErr("corrupt", "%s", msgCorrupt)
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	b, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil || !utf8.Valid(b) {
		return "", fileErr("corrupt", "%s", msgCorrupt)
	}
	return string(b), nil
}

// sniffDelimiter picks comma, tab or semicolon by which is most frequent in the first lines.
func sniffDelimiter(text string) rune {
	head := text
	if len(head) > 8192 {
		head = head[:8192]
	}
	best, n := ',', strings.Count(head, ",")
	for _, d := range []rune{'\t', ';'} {
		if c := strings.Count(head, string(d)); c > n {
			best, n = d, c
		}
	}
	return best
}

// unwrapCSV undoes the tricks systems use to keep a number as text in csv: ="0123", '0123.
func unwrapCSV(v string) string {
	s := strings.TrimSpace(v)
	if len(s) >= 3 && strings.HasPrefix(s, `="`) && strings.HasSuffix(s, `"`) {
		return s[2 : len(s)-1]
	}
	if strings.HasPrefix(s, "'") && len(s) > 1 {
		if _, err := strconv.ParseFloat(noSpace(s[1:]), 64); err == nil {
			return s[1:]
		}
	}
	return v
}
