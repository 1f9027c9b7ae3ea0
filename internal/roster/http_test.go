package roster

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/db/dbtest"
	"github.com/dangjian/dangjian/internal/org"
)

// server serves the roster endpoints to a caller holding role at o.
func (r *registry) server(t *testing.T, role string, o *org.Org) *httptest.Server {
	rt := api.NewRouter(slog.New(slog.DiscardHandler))
	Register(rt, r.s, r.orgs)
	p := &access.Principal{UserID: 1, Username: role, Grants: []access.Grant{{Role: role, OrgID: o.ID, OrgPath: o.Path}}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		rt.ServeHTTP(w, req.WithContext(access.With(req.Context(), p)))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func upload(t *testing.T, srv *httptest.Server, query string, name string, data []byte) (*http.Response, []byte) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	res, err := http.Post(srv.URL+"/api/v1/members/import?"+query, mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res, raw
}

func get(t *testing.T, srv *httptest.Server, path string) (*http.Response, []byte) {
	t.Helper()
	res, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res, raw
}

func TestHTTP(t *testing.T) {
	r := newRegistry(t, dbtest.SQLite(t))
	admin := r.server(t, "org-admin", r.community)
	viewer := r.server(t, "org-viewer", r.community)
	org := fmt.Sprintf("org=%d", r.community.ID)

	t.Run("template", func(t *testing.T) {
		res, raw := get(t, viewer, "/api/v1/members/template")
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != xlsxType {
			t.Fatalf("template: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "filename*=UTF-8''"+url.PathEscape("党员花名册导入模板.xlsx")) {
			t.Errorf("Content-Disposition = %s", cd)
		}
		if _, err := excelize.OpenReader(bytes.NewReader(raw)); err != nil {
			t.Errorf("not a workbook: %v", err)
		}
	})

	t.Run("dry run saves nothing", func(t *testing.T) {
		res, raw := upload(t, admin, org+"&dry_run=1", "花名册.xlsx", fullRoster(t))
		var rep Report
		json.Unmarshal(raw, &rep)
		if res.StatusCode != 200 || !rep.OK || !rep.DryRun || rep.Rows != 3 || len(rep.Mapping) == 0 {
			t.Fatalf("dry run: %d %s", res.StatusCode, raw)
		}
		if n := len(snapshot(t, r)); n != 0 {
			t.Errorf("dry run saved %d members", n)
		}
	})

	t.Run("viewer cannot import", func(t *testing.T) {
		if res, _ := upload(t, viewer, org, "花名册.xlsx", fullRoster(t)); res.StatusCode != 403 {
			t.Errorf("viewer import: %d", res.StatusCode)
		}
	})

	t.Run("outside the scope", func(t *testing.T) {
		res, _ := upload(t, admin, fmt.Sprintf("org=%d", r.b1.ID), "花名册.xlsx", fullRoster(t))
		if res.StatusCode != 404 {
			t.Errorf("import into another 街道: %d", res.StatusCode)
		}
	})

	t.Run("rows cannot reach outside the scope", func(t *testing.T) {
		outside := workbook(t, func(f *excelize.File, sh string) {
			setRow(t, f, sh, 1, "姓名", "公民身份号码", "民族", "学历", "加入党组织日期", "转为正式党员日期", "所在党支部")
			setRow(t, f, sh, 2, "越权", idNumber("19900101", 19), "汉族", "本科", "2015-01-01", "2016-01-01", r.b1.Code)
			setRow(t, f, sh, 3, "越权二", idNumber("19900102", 21), "汉族", "本科", "2015-01-01", "2016-01-01", r.b1.Name)
		})
		res, raw := upload(t, admin, org, "越权.xlsx", outside)
		if res.StatusCode != 422 || strings.Count(string(raw), "找不到党支部") != 2 {
			t.Errorf("rows in another 街道's branch: %d %s", res.StatusCode, raw)
		}
		if n := len(snapshot(t, r)); n != 0 {
			t.Errorf("saved %d members", n)
		}
	})

	t.Run("errors are a 422 with the marked workbook", func(t *testing.T) {
		res, raw := upload(t, admin, fmt.Sprintf("org=%d", r.a1.ID), "错.xlsx", badRoster(t))
		if res.StatusCode != 422 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
			t.Fatalf("bad roster: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		var p struct {
			Code, Detail  string
			OK            bool
			Errors        []CellError
			Mapping       []Mapping
			ErrorWorkbook string `json:"error_workbook"`
		}
		if err := json.Unmarshal(raw, &p); err != nil {
			t.Fatal(err)
		}
		if p.Code != "import_invalid" || p.OK || len(p.Errors) < 5 || p.Errors[0].Row != 4 || p.Errors[0].Column != "D" || len(p.Mapping) == 0 {
			t.Errorf("problem = %+v", p)
		}
		wb, err := base64.StdEncoding.DecodeString(p.ErrorWorkbook)
		if err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(bytes.NewReader(wb))
		if err != nil {
			t.Fatalf("error_workbook is not a workbook: %v", err)
		}
		f.Close()
		if n := len(snapshot(t, r)); n != 0 {
			t.Errorf("saved %d members despite errors", n)
		}
	})

	t.Run("files that cannot be read", func(t *testing.T) {
		res, raw := upload(t, admin, org, "a.xlsx", []byte("PK\x03\x04junk"))
		if res.StatusCode != 422 || !strings.Contains(string(raw), msgCorrupt) {
			t.Errorf("corrupt: %d %s", res.StatusCode, raw)
		}
		res, raw = upload(t, admin, org, "a.xlsx", make([]byte, MaxFileSize+1))
		if res.StatusCode != 413 || !strings.Contains(string(raw), "文件超过 20 MB") {
			t.Errorf("too large: %d %s", res.StatusCode, raw)
		}
		res, _ = upload(t, admin, "", "a.xlsx", fullRoster(t))
		if res.StatusCode != 422 {
			t.Errorf("no org: %d", res.StatusCode)
		}
	})

	t.Run("import, then export", func(t *testing.T) {
		res, raw := upload(t, admin, org, "花名册.xlsx", fullRoster(t))
		var rep Report
		json.Unmarshal(raw, &rep)
		if res.StatusCode != 200 || rep.Created != 3 {
			t.Fatalf("import: %d %s", res.StatusCode, raw)
		}
		res, raw = get(t, admin, fmt.Sprintf("/api/v1/members/export?org=%d&reveal=1", r.a1.ID))
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != xlsxType {
			t.Fatalf("export: %d %s", res.StatusCode, raw)
		}
		if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "filename*=UTF-8''"+url.PathEscape(r.a1.Name+"党员花名册")) {
			t.Errorf("Content-Disposition = %s", cd)
		}
		rows := sheetRows(t, raw)
		if len(rows) != 3 || rows[2][0] != "王芳" || rows[2][2] != idNumber("19850312", 2) {
			t.Errorf("export of 第一支部 = %v", rows)
		}
		if res, _ := get(t, viewer, "/api/v1/members/export?reveal=1"); res.StatusCode != 403 {
			t.Errorf("viewer reveal: %d", res.StatusCode)
		}
		res, raw = get(t, viewer, "/api/v1/members/export")
		if res.StatusCode != 200 || len(sheetRows(t, raw)) != 5 || strings.Contains(string(raw), idNumber("19850312", 2)) {
			t.Errorf("viewer masked export: %d", res.StatusCode)
		}
		if res, _ := get(t, admin, fmt.Sprintf("/api/v1/members/export?org=%d", r.b1.ID)); res.StatusCode != 404 {
			t.Errorf("export of another 街道: %d", res.StatusCode)
		}
	})
}

func TestRFC5987(t *testing.T) {
	if got := rfc5987("党员 花名册(1).xlsx"); got != "%E5%85%9A%E5%91%98%20%E8%8A%B1%E5%90%8D%E5%86%8C%281%29.xlsx" {
		t.Errorf("rfc5987 = %s", got)
	}
}

func TestRoutesAreDocumented(t *testing.T) {
	r := newRegistry(t, dbtest.SQLite(t))
	rt := api.NewRouter(slog.New(slog.DiscardHandler))
	Register(rt, r.s, r.orgs)
	doc := rt.OpenAPI("test")
	paths := doc["paths"].(map[string]any)
	for _, route := range rt.Routes() {
		op, ok := paths[route.Path].(map[string]any)[strings.ToLower(route.Method)].(map[string]any)
		if !ok || op["summary"] == "" || len(route.Perms) == 0 {
			t.Errorf("%s %s is not documented or has no permission", route.Method, route.Path)
		}
	}
	if len(rt.Routes()) != 3 {
		t.Errorf("%d routes", len(rt.Routes()))
	}
}
