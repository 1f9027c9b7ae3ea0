package dues

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/member"
)

// ImportError is one problem of an imported file: the sheet row, the column (its header) and
// what is wrong, in Chinese. Row 0 is the file as a whole.
type ImportError struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

// ImportResult is an import's outcome: saved rows, or the errors and nothing saved.
type ImportResult struct {
	OK      bool          `json:"ok"`
	Rows    int           `json:"rows"`
	Saved   int           `json:"saved"`
	Errors  []ImportError `json:"errors"`
	Summary string        `json:"summary"`
}

// MaxImportRows bounds one file.
const MaxImportRows = 5000

// sheetRow is a non-empty row with its sheet row number.
type sheetRow struct {
	n     int
	cells []string
}

// readTable reads the first sheet of an .xlsx (raw cell values: numbers as stored, dates as
// day serials) or a .csv (UTF-8 or GB18030), with the header row found among the first rows by
// the columns that must be there.
func readTable(data []byte, name string, must ...[]string) (map[string]int, []sheetRow, error) {
	var all [][]string
	if strings.HasSuffix(strings.ToLower(name), ".csv") {
		text := data
		if !utf8.Valid(text) {
			dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(text)
			if err != nil {
				return nil, nil, errors.New("无法识别 CSV 文件的编码，请另存为 UTF-8 或 .xlsx")
			}
			text = dec
		}
		text = bytes.TrimPrefix(text, []byte("\xef\xbb\xbf"))
		r := csv.NewReader(bytes.NewReader(text))
		r.FieldsPerRecord = -1
		r.LazyQuotes = true
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, nil, errors.New("CSV 文件格式有误：" + err.Error())
			}
			all = append(all, rec)
		}
	} else {
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			return nil, nil, errors.New("无法读取该文件：请上传 .xlsx 或 .csv 文件（旧版 .xls 请先另存为 .xlsx）")
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return nil, nil, errors.New("工作簿中没有工作表")
		}
		if all, err = f.GetRows(sheets[0], excelize.Options{RawCellValue: true}); err != nil {
			return nil, nil, errors.New("无法读取工作表：" + err.Error())
		}
	}
	for hi := 0; hi < len(all) && hi < 10; hi++ {
		cols := map[string]int{}
		for i, h := range all[hi] {
			h = strings.Join(strings.Fields(h), "")
			for _, alts := range must {
				for _, a := range alts {
					if h == a {
						if _, seen := cols[alts[0]]; !seen {
							cols[alts[0]] = i
						}
					}
				}
			}
		}
		if _, ok := cols[must[0][0]]; !ok {
			continue
		}
		var missing []string
		for _, alts := range must {
			if _, ok := cols[alts[0]]; !ok {
				missing = append(missing, "「"+alts[0]+"」")
			}
		}
		if len(missing) > 0 {
			return nil, nil, errors.New("表头缺少列：" + strings.Join(missing, "、"))
		}
		var rows []sheetRow
		for i := hi + 1; i < len(all); i++ {
			empty := true
			for _, c := range all[i] {
				if strings.TrimSpace(c) != "" {
					empty = false
					break
				}
			}
			if !empty {
				rows = append(rows, sheetRow{n: i + 1, cells: all[i]})
			}
		}
		if len(rows) > MaxImportRows {
			return nil, nil, fmt.Errorf("一次最多导入%d行，请拆分文件", MaxImportRows)
		}
		return cols, rows, nil
	}
	heads := make([]string, len(must))
	for i, m := range must {
		heads[i] = "「" + m[0] + "」"
	}
	return nil, nil, errors.New("找不到表头：前10行中没有包含" + strings.Join(heads, "、") + "的行")
}

func cell(r sheetRow, cols map[string]int, col string) string {
	i, ok := cols[col]
	if !ok || i >= len(r.cells) {
		return ""
	}
	return strings.TrimSpace(r.cells[i])
}

// parseYuan reads an amount in yuan ("4500", "4,500.50", "¥4500元", a raw number) as fen.
func parseYuan(s string) (int64, error) {
	s = strings.NewReplacer(",", "", "，", "", "¥", "", "￥", "", "元", "", " ", "").Replace(s)
	if s == "" {
		return 0, errors.New("请填写金额")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || v > 1e8 {
		return 0, fmt.Errorf("金额应为不小于0的数字（单位：元）：%q", s)
	}
	fen := math.Round(v * 100)
	if math.Abs(v*100-fen) > 1e-6 {
		return 0, fmt.Errorf("金额最多两位小数（到分）：%q", s)
	}
	return int64(fen), nil
}

// excelDay turns an Excel day serial into a date.
func excelDay(v float64) civil.Date {
	t := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).Add(time.Duration(math.Round(v)) * 24 * time.Hour)
	return civil.Of(t)
}

func isSerial(s string) (float64, bool) {
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil && v > 20000 && v < 80000 && !strings.ContainsAny(s, "-/年")
}

func parseMonthCell(s string) (Month, error) {
	if v, ok := isSerial(s); ok {
		return MonthOf(excelDay(v)), nil
	}
	if d, err := parseDateCell(s); err == nil && !d.IsZero() && len(s) > 7 {
		return MonthOf(d), nil
	}
	m, err := ParseMonth(s)
	if err == nil && m.IsZero() {
		err = errors.New("请填写月份")
	}
	return m, err
}

func parseDateCell(s string) (civil.Date, error) {
	if s == "" {
		return civil.Date{}, errors.New("请填写日期")
	}
	if v, ok := isSerial(s); ok {
		return excelDay(v), nil
	}
	t := strings.NewReplacer("年", "-", "月", "-", "日", "", "/", "-", ".", "-").Replace(s)
	if i := strings.IndexAny(t, " T"); i > 0 {
		t = t[:i]
	}
	parts := strings.Split(t, "-")
	if len(parts) == 3 {
		y, e1 := strconv.Atoi(parts[0])
		m, e2 := strconv.Atoi(parts[1])
		d, e3 := strconv.Atoi(parts[2])
		if e1 == nil && e2 == nil && e3 == nil {
			if dd, err := civil.Parse(fmt.Sprintf("%04d-%02d-%02d", y, m, d)); err == nil {
				return dd, nil
			}
		}
	}
	if len(t) == 8 {
		if dd, err := civil.Parse(t[:4] + "-" + t[4:6] + "-" + t[6:]); err == nil {
			return dd, nil
		}
	}
	return civil.Date{}, fmt.Errorf("日期格式应为 YYYY-MM-DD：%q", s)
}

// categoryAliases map what people write in the 类别 column to categories.
var categoryAliases = map[string]Category{
	"按月领取工资": Salaried, "在职": Salaried, "工资": Salaried, "在职职工": Salaried, "按月领工资": Salaried,
	"实行年薪制": AnnualSalary, "年薪制": AnnualSalary, "年薪": AnnualSalary,
	"不按月取得收入": SelfEmployed, "个体经营": SelfEmployed, "个体经营者": SelfEmployed, "个体": SelfEmployed,
	"不按月取得收入（个体经营者等）": SelfEmployed,
	"离退休": Retired, "退休": Retired, "离休": Retired, "离退休人员": Retired,
	"农民": Farmer, "农牧渔民": Farmer,
	"学生": StudentEtc, "下岗失业": StudentEtc, "失业": StudentEtc, "低保": StudentEtc, "领取最低生活保障金": StudentEtc,
	"依靠抚恤或救济": StudentEtc, "学生、下岗失业、依靠抚恤或救济、领取最低生活保障金": StudentEtc,
}

func parseCategory(s string) (Category, string) {
	s = strings.Join(strings.Fields(s), "")
	if c := Category(s); c.Valid() {
		if c.NeedsApproval() {
			return "", "少交、免交须经上一级党委批准，请在系统中逐人登记批准的党委和文号，不能通过导入"
		}
		return c, ""
	}
	if c, ok := categoryAliases[s]; ok {
		return c, ""
	}
	if strings.Contains(s, "少交") || strings.Contains(s, "免交") {
		return "", "少交、免交须经上一级党委批准，请在系统中逐人登记批准的党委和文号，不能通过导入"
	}
	return "", fmt.Sprintf("不认识的类别“%s”：应为 按月领取工资、年薪制、个体经营、离退休、农民、学生（含下岗失业、抚恤救济、低保）", s)
}

// importMember finds the member with a 公民身份号码 inside the subtree of root, by the member
// registry's keyed hash, and checks the name.
func (s *Store) importMember(ctx context.Context, tx *db.Tx, root *OrgRef, id, name string) (*memberInfo, string, string) {
	id = member.NormalizeID(strings.TrimLeft(id, "'‘’`"))
	switch {
	case id == "":
		return nil, "id", "请填写公民身份号码"
	case strings.ContainsAny(id, "Ee+") && !strings.ContainsAny(id, "Xx"):
		return nil, "id", "公民身份号码被 Excel 显示为科学计数法，后几位已丢失：请把该列设为“文本”后重新填写"
	}
	var mid int64
	var path string
	err := tx.QueryRow(ctx, `SELECT id, org_path FROM members WHERE id_hash = ?`, s.key.Hash(id)).Scan(&mid, &path)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !strings.HasPrefix(path, root.path)) {
		return nil, "id", "“" + root.Name + "”的党员中没有这个公民身份号码"
	}
	if err != nil {
		return nil, "id", "查找党员失败"
	}
	m, err := findMember(ctx, tx, mid, true)
	if err != nil {
		return nil, "id", api.AsError(err).Detail
	}
	if name = strings.Join(strings.Fields(name), ""); name != "" && name != m.Name {
		return nil, "name", fmt.Sprintf("姓名与登记的“%s”不一致", m.Name)
	}
	return m, "", ""
}

var errRowsInvalid = errors.New("rows invalid")

// Columns of the imports: the first name of each is the header the template uses.
var (
	colName      = []string{"姓名"}
	colID        = []string{"公民身份号码", "身份证号", "身份证号码", "证件号码"}
	colMonth     = []string{"月份", "缴费月份", "交纳月份", "所属月份", "党费月份"}
	colCategory  = []string{"类别", "交纳类别", "党费类别"}
	colBase      = []string{"基数", "计算基数", "工资基数", "月工资收入"}
	colAmount    = []string{"金额", "缴费金额", "交纳金额", "实交金额"}
	colPaidOn    = []string{"缴费日期", "交纳日期", "日期", "交易日期"}
	colReceiptNo = []string{"流水号", "交易流水号", "订单号", "收据号"}
)

// fieldError maps an api error of one row to column errors.
func rowErrors(row int, err error, columns map[string]string) []ImportError {
	e := api.AsError(err)
	if len(e.Fields) == 0 {
		return []ImportError{{Row: row, Message: e.Detail}}
	}
	out := make([]ImportError, 0, len(e.Fields))
	for _, f := range e.Fields {
		col := ""
		for prefix, c := range columns {
			if strings.HasPrefix(f.Field, prefix) {
				col = c
			}
		}
		out = append(out, ImportError{Row: row, Column: col, Message: f.Message})
	}
	return out
}

func finish(res *ImportResult, what string) {
	if len(res.Errors) > 0 {
		res.OK, res.Saved = false, 0
		rows := map[int]bool{}
		for _, e := range res.Errors {
			rows[e.Row] = true
		}
		res.Summary = fmt.Sprintf("共 %d 行，%d 行有错误，未保存任何数据", res.Rows, len(rows))
		return
	}
	res.OK = true
	res.Summary = fmt.Sprintf("已导入 %d 条%s", res.Saved, what)
}

// ImportStandards reads wage bases (姓名, 公民身份号码, 月份, 类别, 基数) for the members under
// orgID, all or nothing.
func (s *Store) ImportStandards(ctx context.Context, orgID int64, data []byte, name string) (*ImportResult, error) {
	res := &ImportResult{Errors: []ImportError{}}
	cols, rows, err := readTable(data, name, colName, colID, colMonth, colCategory, colBase)
	if err != nil {
		res.Errors = append(res.Errors, ImportError{Message: err.Error()})
		finish(res, "")
		return res, nil
	}
	res.Rows = len(rows)
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		root, err := findOrg(ctx, tx, orgID, true)
		if err != nil {
			return err
		}
		fail := func(row int, col, msg string) { res.Errors = append(res.Errors, ImportError{row, col, msg}) }
		seen := map[string]int{}
		for _, r := range rows {
			m, field, msg := s.importMember(ctx, tx, root, cell(r, cols, "公民身份号码"), cell(r, cols, "姓名"))
			if msg != "" {
				fail(r.n, map[string]string{"id": "公民身份号码", "name": "姓名"}[field], msg)
				continue
			}
			mo, err := parseMonthCell(cell(r, cols, "月份"))
			if err != nil {
				fail(r.n, "月份", err.Error())
				continue
			}
			key := fmt.Sprintf("%d/%s", m.ID, mo)
			if first, dup := seen[key]; dup {
				fail(r.n, "月份", fmt.Sprintf("与第 %d 行是同一党员的同一月份", first))
				continue
			}
			seen[key] = r.n
			cat, msg := parseCategory(cell(r, cols, "类别"))
			if msg != "" {
				fail(r.n, "类别", msg)
				continue
			}
			amount, err := parseYuan(cell(r, cols, "基数"))
			if err != nil {
				fail(r.n, "基数", err.Error())
				continue
			}
			in := StandardInput{From: mo, Category: cat, source: "import", Note: "导入：" + name}
			if cat.UsesBase() {
				in.BaseFen = amount
			} else {
				in.FixedFen = amount
			}
			if _, err := s.setStandard(ctx, tx, m, in); err != nil {
				if e := api.AsError(err); e.Status >= 500 {
					return err
				}
				res.Errors = append(res.Errors, rowErrors(r.n, err, map[string]string{"from": "月份", "category": "类别", "base_fen": "基数", "fixed_fen": "基数"})...)
				continue
			}
			res.Saved++
		}
		if len(res.Errors) > 0 {
			return errRowsInvalid
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "dues.import_standards", Entity: "org", EntityID: itoa(root.ID),
			Summary: fmt.Sprintf("导入%s党员的党费计算基数 %d 条（%s）", root.Name, res.Saved, name), After: map[string]any{"rows": res.Rows, "file": name}})
	})
	if err != nil && !errors.Is(err, errRowsInvalid) {
		return nil, err
	}
	finish(res, "党费标准")
	return res, nil
}

// ImportPayments reads payments made outside the system (bank or 复兴壹号 exports: 姓名,
// 身份证号, 月份, 金额, 缴费日期, 流水号) for the members under orgID, all or nothing. A serial
// number already recorded for the member is refused, so a file cannot be imported twice.
func (s *Store) ImportPayments(ctx context.Context, orgID int64, method string, data []byte, name string) (*ImportResult, error) {
	if method == "" {
		method = "online"
	}
	if methodNames[method] == "" {
		return nil, api.FieldInvalid("method", "应为 cash、transfer 或 online")
	}
	res := &ImportResult{Errors: []ImportError{}}
	cols, rows, err := readTable(data, name, colName, colID, colMonth, colAmount, colPaidOn, colReceiptNo)
	if err != nil {
		res.Errors = append(res.Errors, ImportError{Message: err.Error()})
		finish(res, "")
		return res, nil
	}
	res.Rows = len(rows)
	var total int64
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		root, err := findOrg(ctx, tx, orgID, true)
		if err != nil {
			return err
		}
		fail := func(row int, col, msg string) { res.Errors = append(res.Errors, ImportError{row, col, msg}) }
		seen := map[string]int{}
		for _, r := range rows {
			m, field, msg := s.importMember(ctx, tx, root, cell(r, cols, "公民身份号码"), cell(r, cols, "姓名"))
			if msg != "" {
				fail(r.n, map[string]string{"id": "身份证号", "name": "姓名"}[field], msg)
				continue
			}
			mo, err := parseMonthCell(cell(r, cols, "月份"))
			if err != nil {
				fail(r.n, "月份", err.Error())
				continue
			}
			amount, err := parseYuan(cell(r, cols, "金额"))
			if err == nil && amount == 0 {
				err = errors.New("金额应大于0")
			}
			if err != nil {
				fail(r.n, "金额", err.Error())
				continue
			}
			paidOn, err := parseDateCell(cell(r, cols, "缴费日期"))
			if err != nil {
				fail(r.n, "缴费日期", err.Error())
				continue
			}
			serial := strings.TrimLeft(cell(r, cols, "流水号"), "'‘’`")
			if serial == "" {
				fail(r.n, "流水号", "请填写流水号（用于核对，防止重复导入）")
				continue
			}
			if first, dup := seen[serial]; dup {
				fail(r.n, "流水号", fmt.Sprintf("与第 %d 行的流水号相同", first))
				continue
			}
			seen[serial] = r.n
			var prev int64
			err = tx.QueryRow(ctx, `SELECT id FROM dues_payments WHERE receipt_no = ? AND member_id = ? LIMIT 1`, serial, m.ID).Scan(&prev)
			if err == nil {
				fail(r.n, "流水号", fmt.Sprintf("流水号 %s 已登记（第%d号记录），可能重复导入", serial, prev))
				continue
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			pr, err := s.pay(ctx, tx, m, PaymentInput{MemberID: m.ID, Months: []Month{mo}, AmountFen: &amount, PaidOn: paidOn,
				Method: method, ReceiptNo: serial, Note: "导入：" + name, source: "import"})
			if err != nil {
				if e := api.AsError(err); e.Status >= 500 {
					return err
				}
				res.Errors = append(res.Errors, rowErrors(r.n, err, map[string]string{"months": "月份", "amount_fen": "金额", "paid_on": "缴费日期",
					"receipt_no": "流水号", "method": ""})...)
				continue
			}
			res.Saved++
			total += pr.TotalFen
		}
		if len(res.Errors) > 0 {
			return errRowsInvalid
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "dues.import_payments", Entity: "org", EntityID: itoa(root.ID),
			Summary: fmt.Sprintf("导入%s党员的交纳记录 %d 条，合计 %s（%s）", root.Name, res.Saved, yuanText(total), name),
			After:   map[string]any{"rows": res.Rows, "file": name, "total_fen": total}})
	})
	if err != nil && !errors.Is(err, errRowsInvalid) {
		return nil, err
	}
	finish(res, "交纳记录")
	return res, nil
}
