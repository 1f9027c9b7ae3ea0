package dues

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/rules"
)

var (
	read  = []access.Perm{access.OrgRead}
	write = []access.Perm{access.OrgWrite}
	self  = []access.Perm{access.SelfRead}
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Meta is the reference data the dues pages need.
type Meta struct {
	Tables     []RateTable  `json:"tables" doc:"党费标准各版本（按施行月份）"`
	Current    string       `json:"current" doc:"本月执行的版本"`
	Categories []option     `json:"categories"`
	Methods    []option     `json:"methods"`
	Kinds      []option     `json:"kinds"`
	Statuses   []option     `json:"statuses"`
	Rules      []rules.Rule `json:"rules" doc:"党费相关规则及依据"`
	Defaults   Settings     `json:"defaults" doc:"无人设置时的默认设置"`
	Rounding   string       `json:"rounding"`
}

type option struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

func (s *Store) meta() Meta {
	t := TableFor(s.thisMonth())
	m := Meta{Tables: Tables(), Current: t.Version, Defaults: DefaultSettings, Rounding: rules.Get("dues.rounding").Text}
	for _, c := range t.Categories {
		m.Categories = append(m.Categories, option{string(c.Category), c.Name})
	}
	for _, k := range []string{"cash", "transfer", "online"} {
		m.Methods = append(m.Methods, option{k, methodNames[k]})
	}
	for _, k := range []string{"payment", "voluntary", "correction", "refund"} {
		m.Kinds = append(m.Kinds, option{k, kindNames[k]})
	}
	for _, k := range []string{StatusPaid, StatusUnpaid, StatusPartial, StatusOver, StatusExempt, StatusNoStandard, StatusNotDue} {
		m.Statuses = append(m.Statuses, option{k, statusNames[k]})
	}
	for _, r := range rules.All() {
		if len(r.ID) > 5 && r.ID[:5] == "dues." {
			m.Rules = append(m.Rules, r)
		}
	}
	return m
}

func queryMonth(r *http.Request) (Month, error) {
	mo, err := ParseMonth(r.URL.Query().Get("month"))
	if err != nil {
		return "", api.FieldInvalid("month", err.Error())
	}
	return mo, nil
}

func queryYear(r *http.Request, s *Store) (int, error) {
	return api.QueryInt(r, "year", s.Today().Year(), 2008, 9999)
}

func orgParam(r *http.Request) (int64, error) {
	id, err := api.QueryID(r, "org")
	if err == nil && id == 0 {
		err = api.FieldInvalid("org", "请选择组织")
	}
	return id, err
}

// maxUpload bounds an imported file.
const maxUpload = 10 << 20

// readUpload reads the multipart field "file".
func readUpload(w http.ResponseWriter, r *http.Request) ([]byte, string, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, "", api.BadRequest("请以 multipart/form-data 上传文件（字段名 file）")
	}
	for {
		part, err := mr.NextPart()
		if err != nil {
			var mb *http.MaxBytesError
			if errors.As(err, &mb) {
				return nil, "", api.Status(http.StatusRequestEntityTooLarge, "too_large", "文件超过 10 MB，请拆分后分别导入")
			}
			return nil, "", api.BadRequest("请求中没有文件：请以 multipart/form-data 上传，字段名 file")
		}
		if part.FormName() != "file" {
			part.Close()
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, maxUpload+1))
		part.Close()
		if err != nil || len(data) > maxUpload {
			return nil, "", api.Status(http.StatusRequestEntityTooLarge, "too_large", "文件超过 10 MB，请拆分后分别导入")
		}
		return data, part.FileName(), nil
	}
}

// importAnswer is 200 with the result, or 422 carrying it (errors per row, nothing saved).
func importAnswer(w http.ResponseWriter, res *ImportResult) error {
	if res.OK {
		return api.JSON(w, http.StatusOK, res)
	}
	e := api.Status(http.StatusUnprocessableEntity, "import_invalid", res.Summary)
	e.Extra = map[string]any{"ok": false, "rows": res.Rows, "saved": 0, "errors": res.Errors, "summary": res.Summary}
	return e
}

func attachment(w http.ResponseWriter, fallback, name string) {
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+fallback+`"; filename*=UTF-8''`+url.PathEscape(name))
	w.Header().Set("Cache-Control", "no-store")
}

// Register adds the dues endpoints.
func Register(r *api.Router, s *Store) {
	const tag = "党费"
	orgQ := api.QInt("org", "组织编号（党支部；汇总时可为任一上级组织）")
	monthQ := api.QString("month", "月份 YYYY-MM；不填为本月")
	yearQ := api.QInt("year", "年度；不填为今年")

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/dues/meta", Tag: tag, Summary: "党费参照数据：标准各版本（比例表）、类别、交纳方式、相关规则及依据",
		Response: Meta{}}, func(w http.ResponseWriter, r *http.Request) error {
		return api.JSON(w, http.StatusOK, s.meta())
	})

	r.Handle(api.Route{Method: "POST", Path: "/api/v1/dues/calculate", Tag: tag, Summary: "按标准计算每月应交党费（附适用档次、计算过程和依据；四舍五入到分）",
		Perms: []access.Perm{access.OrgRead, access.OrgWrite}, Request: CalcRequest{}, Response: CalcAnswer{}},
		func(w http.ResponseWriter, r *http.Request) error {
			var in CalcRequest
			if err := api.Decode(r, &in); err != nil {
				return err
			}
			out, err := s.Calculate(r.Context(), in)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, out)
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/dues/settings", Tag: tag, Summary: "党费设置（“税后”公式、按季度交纳、补交期限、党员提醒）：生效值及来源",
		Perms: read, Query: []api.Param{orgQ}, Response: SettingsAnswer{}},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := orgParam(r)
			if err != nil {
				return err
			}
			out, err := s.Settings(r.Context(), id)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, out)
		})
	r.Handle(api.Route{Method: "PUT", Path: "/api/v1/dues/settings", Tag: tag, Summary: "修改本组织的党费设置（null 表示沿用上级；下级未设置的沿用本组织）",
		Perms: write, Request: SettingsInput{}, Response: SettingsAnswer{}},
		func(w http.ResponseWriter, r *http.Request) error {
			var in SettingsInput
			if err := api.Decode(r, &in); err != nil {
				return err
			}
			out, err := s.SetSettings(r.Context(), in)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, out)
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/dues/members/{id}", Tag: tag, Summary: "党员的党费：标准（含历次调整和依据）、逐月应交实交、未交月份",
		Perms: read, Response: MemberDues{}},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := api.PathID(r, "id")
			if err != nil {
				return err
			}
			out, err := s.MemberDues(r.Context(), id)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, out)
		})
	r.Handle(api.Route{Method: "POST", Path: "/api/v1/dues/members/{id}/standards", Tag: tag,
		Summary: "核定党员的党费标准（从某月起执行；同月已有的被替换；会改变已交纳或已结账月份应交数的不允许）",
		Perms:   write, Request: StandardInput{}, Response: Standard{}, Status: http.StatusCreated},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := api.PathID(r, "id")
			if err != nil {
				return err
			}
			var in StandardInput
			if err := api.Decode(r, &in); err != nil {
				return err
			}
			out, err := s.SetStandard(r.Context(), id, in)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusCreated, out)
		})
	r.Handle(api.Route{Method: "POST", Path: "/api/v1/dues/standards/import", Tag: tag,
		Summary: "导入党费计算基数（multipart/form-data，字段 file：.xlsx 或 .csv，列：姓名、公民身份号码、月份、类别、基数）：全部正确才保存，有错误时返回 422 和逐行错误",
		Perms:   write, Query: []api.Param{orgQ}, Response: ImportResult{}},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := orgParam(r)
			if err != nil {
				return err
			}
			data, name, err := readUpload(w, r)
			if err != nil {
				return err
			}
			res, err := s.ImportStandards(r.Context(), id, data, name)
			if err != nil {
				return err
			}
			return importAnswer(w, res)
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/dues/ledger", Tag: tag, Summary: "党支部某月的党费收缴表：每名党员的标准、应交、实交、状态（已交、未交、少交、多交）",
		Perms: read, Query: []api.Param{orgQ, monthQ}, Response: Ledger{}},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := orgParam(r)
			if err != nil {
				return err
			}
			mo, err := queryMonth(r)
			if err != nil {
				return err
			}
			out, err := s.Ledger(r.Context(), id, mo)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, out)
		})
	r.Handle(api.Route{Method: "POST", Path: "/api/v1/dues/payments", Tag: tag,
		Summary: "登记交纳（一名党员的一个或几个月；已交清的月份只能按自愿多交登记；补交超过期限须写明批准情况）",
		Perms:   write, Request: PaymentInput{}, Response: PaymentResult{}, Status: http.StatusCreated},
		func(w http.ResponseWriter, r *http.Request) error {
			var in PaymentInput
			if err := api.Decode(r, &in); err != nil {
				return err
			}
			out, err := s.Pay(r.Context(), in)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusCreated, out)
		})
	r.Handle(api.Route{Method: "POST", Path: "/api/v1/dues/payments/import", Tag: tag,
		Summary: "导入系统外的交纳记录（银行、复兴壹号导出，列：姓名、身份证号、月份、金额、缴费日期、流水号）：全部正确才保存，有错误时返回 422 和逐行错误",
		Perms:   write, Query: []api.Param{orgQ, api.QString("method", "交纳方式：online（默认）、transfer、cash")}, Response: ImportResult{}},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := orgParam(r)
			if err != nil {
				return err
			}
			data, name, err := readUpload(w, r)
			if err != nil {
				return err
			}
			res, err := s.ImportPayments(r.Context(), id, r.URL.Query().Get("method"), data, name)
			if err != nil {
				return err
			}
			return importAnswer(w, res)
		})
	r.Handle(api.Route{Method: "POST", Path: "/api/v1/dues/payments/{id}/correct", Tag: tag, Summary: "更正或退还一笔交纳（新增一条更正记录，原记录不变）",
		Perms: write, Request: CorrectInput{}, Response: Payment{}, Status: http.StatusCreated},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := api.PathID(r, "id")
			if err != nil {
				return err
			}
			var in CorrectInput
			if err := api.Decode(r, &in); err != nil {
				return err
			}
			out, err := s.Correct(r.Context(), id, in)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusCreated, out)
		})
	r.Handle(api.Route{Method: "POST", Path: "/api/v1/dues/close", Tag: tag, Summary: "党支部月结账（记下当月合计；此后该月只能登记更正）",
		Perms: write, Request: CloseInput{}, Response: Close{}, Status: http.StatusCreated},
		func(w http.ResponseWriter, r *http.Request) error {
			var in CloseInput
			if err := api.Decode(r, &in); err != nil {
				return err
			}
			out, err := s.CloseMonth(r.Context(), in)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusCreated, out)
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/dues/arrears", Tag: tag, Summary: "欠缴提醒：连续3个月、5个月、6个月以上未交纳党费的党员（给党费收缴员和支部书记）",
		Perms: read, Query: append([]api.Param{orgQ}, api.PageParams...), Response: ArrearsAnswer{}},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := orgParam(r)
			if err != nil {
				return err
			}
			page, err := api.PageOf(r)
			if err != nil {
				return err
			}
			out, err := s.Arrears(r.Context(), id, page)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, out)
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/dues/report", Tag: tag, Summary: "党费汇总：按下级组织的应交、实交、人数、欠交人数，全年按5%上缴中央的数额",
		Perms: read, Query: []api.Param{orgQ, yearQ, api.QString("month", "只看某月 YYYY-MM")}, Response: Report{}},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := orgParam(r)
			if err != nil {
				return err
			}
			year, err := queryYear(r, s)
			if err != nil {
				return err
			}
			mo, err := queryMonth(r)
			if err != nil {
				return err
			}
			out, err := s.Report(r.Context(), id, year, mo)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, out)
		})
	r.Handle(api.Route{Method: "GET", Path: "/api/v1/dues/report/export", Tag: tag, Summary: "导出党费汇总（Excel）",
		Perms: read, Query: []api.Param{orgQ, yearQ, api.QString("month", "只看某月 YYYY-MM")}, Produces: xlsxType},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := orgParam(r)
			if err != nil {
				return err
			}
			year, err := queryYear(r, s)
			if err != nil {
				return err
			}
			mo, err := queryMonth(r)
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := s.Export(r.Context(), id, year, mo, &buf); err != nil {
				return err
			}
			period := strconv.Itoa(year)
			if !mo.IsZero() {
				period = string(mo)
			}
			attachment(w, "dues.xlsx", fmt.Sprintf("党费汇总_%s.xlsx", period))
			_, err = w.Write(buf.Bytes())
			return err
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/dues/publication", Tag: tag, Summary: "党费收缴使用情况年度公示（可打印的网页）",
		Perms: read, Query: []api.Param{api.QInt("org", "党支部编号"), yearQ, api.QString("format", "为 json 时返回数据（Publication）而不是网页")}, Produces: "text/html"},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := orgParam(r)
			if err != nil {
				return err
			}
			year, err := queryYear(r, s)
			if err != nil {
				return err
			}
			pub, err := s.Publication(r.Context(), id, year)
			if err != nil {
				return err
			}
			if r.URL.Query().Get("format") == "json" {
				return api.JSON(w, http.StatusOK, pub)
			}
			var buf bytes.Buffer
			if err := publicationPage.Execute(&buf, pub); err != nil {
				return err
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			_, err = w.Write(buf.Bytes())
			return err
		})
	r.Handle(api.Route{Method: "PUT", Path: "/api/v1/dues/publication", Tag: tag, Summary: "填写年度公示中的党费使用情况（逐行）",
		Perms: write, Request: UsageInput{}, Response: Publication{}},
		func(w http.ResponseWriter, r *http.Request) error {
			var in UsageInput
			if err := api.Decode(r, &in); err != nil {
				return err
			}
			out, err := s.SetUsage(r.Context(), in)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, out)
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/me/dues", Tag: "党员自助", Summary: "本人的党费：标准及依据、交纳记录、未交月份",
		Perms: self, Response: MemberDues{}},
		func(w http.ResponseWriter, r *http.Request) error {
			out, err := s.MyDues(r.Context())
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, out)
		})
}

var publicationPage = template.Must(template.New("pub").Funcs(template.FuncMap{"yuan": Yuan}).Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{.Org.Name}}{{.Year}}年度党费收缴使用情况公示</title>
<style>
body{font-family:"SimSun","Songti SC",serif;max-width:760px;margin:24px auto;padding:0 16px;color:#222;line-height:1.7}
h1{font-size:22px;text-align:center;margin:8px 0 20px;color:#b0242a}
table{border-collapse:collapse;width:100%;margin:12px 0}
th,td{border:1px solid #666;padding:4px 8px;text-align:center}
td.num{text-align:right;font-family:"Courier New",monospace}
.sign{text-align:right;margin-top:32px}
.note{font-size:13px;color:#555}
@media print{.noprint{display:none}body{margin:0}}
</style></head><body>
<p class="noprint note">这是系统根据党费账目生成的公示，可在浏览器中打印（Ctrl+P）后张贴，或截图发到支部群。</p>
<h1>{{.Org.Name}}<br>{{.Year}}年度党费收缴使用情况公示</h1>
<p>根据《关于中国共产党党费收缴、使用和管理的规定》，现将本支部{{.Period}}党费收缴和使用情况公示如下：</p>
<h2 style="font-size:17px">一、党费收缴情况</h2>
<p>应交纳党费的党员 {{.Members}} 名，应交党费 {{yuan .DueFen}} 元，实交党费 {{yuan .PaidFen}} 元{{if .Voluntary}}（其中自愿多交 {{yuan .Voluntary}} 元）{{end}}。
已按月结账上缴上级党组织 {{yuan .HandedFen}} 元（{{.ClosedCount}} 个月）{{if .OpenFen}}，尚未结账 {{yuan .OpenFen}} 元{{end}}。</p>
<table><thead><tr><th>月份</th><th>应交（元）</th><th>实交（元）</th></tr></thead><tbody>
{{range .Months}}<tr><td>{{.Month.Label}}</td><td class="num">{{yuan .DueFen}}</td><td class="num">{{yuan .PaidFen}}</td></tr>
{{end}}</tbody></table>
<h2 style="font-size:17px">二、党费使用情况</h2>
{{if .Usage}}<ol>{{range .Usage}}<li>{{.}}</li>{{end}}</ol>{{else}}<p>本年度本支部未使用党费。</p>{{end}}
<p>如有疑问，请向党支部书记或党费收缴员反映。</p>
<p class="sign">{{.Org.Name}}<br>{{.Generated}}</p>
<p class="note">依据：{{.Source}}。{{.RuleText}}</p>
</body></html>
`))
