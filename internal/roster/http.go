package roster

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/org"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// multipartSlack is what the multipart envelope may add to a file of MaxFileSize.
const multipartSlack = 64 << 10

// Register adds the roster endpoints: the import template, the import (and its dry run), and
// the export.
func Register(r *api.Router, s *member.Store, orgs *org.Store) {
	const tag = "党员"
	r.Handle(api.Route{Method: "GET", Path: "/api/v1/members/template", Tag: tag,
		Summary: "下载党员花名册导入模板（Excel：16项基本信息在前，扩展信息在后，含下拉选项和「可选值」代码表）",
		Perms:   []access.Perm{access.OrgRead, access.OrgWrite}, Produces: xlsxType},
		func(w http.ResponseWriter, r *http.Request) error {
			codes, err := s.Codes(r.Context())
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := TemplateWith(&buf, codes); err != nil {
				return err
			}
			attachment(w, "members-template.xlsx", "党员花名册导入模板.xlsx")
			_, err = w.Write(buf.Bytes())
			return err
		})

	r.Handle(api.Route{Method: "POST", Path: "/api/v1/members/import", Tag: tag,
		Summary: "导入党员花名册（multipart/form-data，字段 file：.xlsx 或 .csv，不超过 20 MB、20000 行）：全部正确才保存；" +
			"有错误时返回 422，列出每处错误（行、列、表头、说明），并附标出错误的工作簿（error_workbook，base64）",
		Perms: []access.Perm{access.OrgWrite}, Response: Report{},
		Query: []api.Param{api.QInt("org", "导入到哪个组织（必填）：党支部，或党委、党总支（此时逐行按“所在党支部”编入）"),
			api.QString("dry_run", "为 1 时只检查，不保存")}},
		func(w http.ResponseWriter, r *http.Request) error {
			under, err := api.QueryID(r, "org")
			if err != nil {
				return err
			}
			if under == 0 {
				return api.FieldInvalid("org", "请选择导入到哪个组织")
			}
			data, name, err := readUpload(w, r)
			if err != nil {
				return err
			}
			rep, err := Import(r.Context(), s, under, data, name,
				Options{DryRun: r.URL.Query().Get("dry_run") == "1", Marked: true, Today: s.Today()})
			var fe *FileError
			switch {
			case errors.As(err, &fe):
				return fe.APIError()
			case err != nil:
				return err
			case !rep.OK:
				return rowsInvalid(rep)
			}
			return api.JSON(w, http.StatusOK, rep)
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/members/export", Tag: tag,
		Summary: "导出党员花名册（Excel，与导入模板同样的列，可直接改后再导入；默认脱敏，reveal=1 导出完整信息需 pii.export 并记入审计日志）",
		Perms:   []access.Perm{access.OrgRead}, Produces: xlsxType,
		Query: append(append([]api.Param{}, member.FilterParams...), api.QString("reveal", "为 1 时导出完整的公民身份号码、联系电话和家庭住址"))},
		func(w http.ResponseWriter, r *http.Request) error {
			f, err := member.FilterOf(r)
			if err != nil {
				return err
			}
			title := "党员花名册"
			if f.Under != 0 {
				o, err := orgs.Get(r.Context(), f.Under)
				if err != nil {
					return err
				}
				title = o.Name + "党员花名册"
			}
			name := fmt.Sprintf("%s_%s.xlsx", title, strings.ReplaceAll(civil.Today().String(), "-", ""))
			lw := &lazyWriter{w: w, start: func() { attachment(w, "members.xlsx", name) }}
			err = ExportTitled(r.Context(), lw, s, f, r.URL.Query().Get("reveal") == "1", title)
			if err != nil && lw.started {
				// Part of the workbook is out: a JSON error cannot follow. Break the connection
				// so the browser reports a failed download instead of keeping a broken file.
				panic(http.ErrAbortHandler)
			}
			return err
		})
}

// readUpload reads the multipart field "file", refusing more than MaxFileSize with a 413.
func readUpload(w http.ResponseWriter, r *http.Request) ([]byte, string, error) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxFileSize+multipartSlack)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, "", api.BadRequest("请以 multipart/form-data 上传文件（字段名 file）")
	}
	for {
		part, err := mr.NextPart()
		if err != nil {
			if tooLarge(err) {
				return nil, "", ErrTooLarge.APIError()
			}
			return nil, "", api.BadRequest("请求中没有文件：请以 multipart/form-data 上传，字段名 file")
		}
		if part.FormName() != "file" {
			part.Close()
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, MaxFileSize+1))
		part.Close()
		switch {
		case tooLarge(err) || len(data) > MaxFileSize:
			return nil, "", ErrTooLarge.APIError()
		case err != nil:
			return nil, "", api.BadRequest("文件没有上传完整，请重试")
		}
		return data, part.FileName(), nil
	}
}

func tooLarge(err error) bool {
	var mb *http.MaxBytesError
	return errors.As(err, &mb)
}

// rowsInvalid is the 422 of an import with errors: a problem document that carries the whole
// report, the marked workbook included.
func rowsInvalid(rep *Report) error {
	e := api.Status(http.StatusUnprocessableEntity, "import_invalid", rep.Summary()+"；请按标出的错误修改后重新导入")
	raw, err := json.Marshal(rep)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, &e.Extra); err != nil {
		return err
	}
	return e
}

// attachment sets the headers of a workbook download; name may be Chinese (RFC 5987 filename*,
// with an ASCII fallback for old clients).
func attachment(w http.ResponseWriter, fallback, name string) {
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+fallback+`"; filename*=UTF-8''`+rfc5987(name))
	w.Header().Set("Cache-Control", "no-store")
}

// rfc5987 percent-encodes everything but the attr-chars of RFC 5987.
func rfc5987(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// lazyWriter sets the download headers at the first byte, so an error before it can still be
// answered as problem+json.
type lazyWriter struct {
	w       http.ResponseWriter
	start   func()
	started bool
}

func (l *lazyWriter) Write(p []byte) (int, error) {
	if !l.started {
		l.started = true
		l.start()
	}
	return l.w.Write(p)
}
