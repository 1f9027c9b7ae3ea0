package server

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dangjian/dangjian/internal/access"
)

// upload posts data as the multipart field "file", like the import dialog.
func (c *client) upload(path, filename string, data []byte) (int, []byte) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", filename)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("X-CSRF-Token", c.csrf)
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, raw
}

// rosterFile is a minimal 花名册 with one member per row: 姓名, 公民身份号码, 所在党支部.
func rosterFile(t *testing.T, rows ...[3]string) []byte {
	t.Helper()
	x := excelize.NewFile()
	header := []any{"姓名", "公民身份号码", "民族", "学历", "加入党组织日期", "转为正式党员日期", "所在党支部"}
	x.SetSheetRow("Sheet1", "A1", &header)
	for i, r := range rows {
		row := []any{r[0], r[1], "汉族", "大学本科", "2010-07-01", "2011-07-01", r[2]}
		x.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+2), &row)
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rosterScopeCases keep the 街道 A user out of 街道 B through the roster's Excel endpoints.
func rosterScopeCases(t *testing.T, f *fixture, c *client) map[string]func() {
	expect := func(what string, got, want int) {
		t.Helper()
		if got != want {
			t.Errorf("%s: status %d, want %d", what, got, want)
		}
	}
	countB := func() int {
		var n int
		f.d.QueryRow(t.Context(), `SELECT COUNT(*) FROM members WHERE org_id = ?`, f.bBranch.ID).Scan(&n)
		return n
	}
	return map[string]func(){
		"GET /api/v1/members/template": func() {
			status, body := c.raw("GET", "/api/v1/members/template", nil)
			expect("template", status, 200)
			if _, err := excelize.OpenReader(bytes.NewReader(body)); err != nil {
				t.Errorf("the template is not a workbook: %v", err)
			}
		},
		"POST /api/v1/members/import": func() {
			before := countB()
			newRow := [3]string{"李新", "430702199001010019", ""}
			st, _ := c.upload(fmt.Sprintf("/api/v1/members/import?org=%d", f.bBranch.ID), "r.xlsx", rosterFile(t, newRow))
			expect("import into B's branch", st, 404)
			st, _ = c.upload(fmt.Sprintf("/api/v1/members/import?org=%d", f.a.ID), "r.xlsx", rosterFile(t, [3]string{"李新", "430702199001010019", "B2"}))
			expect("import into A naming B's branch", st, 422)
			st, _ = c.upload(fmt.Sprintf("/api/v1/members/import?org=%d", f.aBranch.ID), "r.xlsx", rosterFile(t, [3]string{"王府坪", "11010519491231002X", ""}))
			expect("import B's member's 公民身份号码 into A", st, 422)
			st, _ = c.upload(fmt.Sprintf("/api/v1/members/import?org=%d&dry_run=1", f.aBranch.ID), "r.xlsx", rosterFile(t, newRow))
			expect("dry run of a good file into A", st, 200)
			if got := countB(); got != before {
				t.Errorf("B's branch has %d members after A's imports, want %d", got, before)
			}
			b, err := f.members.Get(access.System(t.Context()), f.bMember.ID, false)
			if err != nil || b.OrgID != f.bBranch.ID || b.Name != f.bMember.Name {
				t.Errorf("B's member changed by A's imports: %+v %v", b, err)
			}
		},
		"GET /api/v1/members/export": func() {
			expect("export B", c.do("GET", fmt.Sprintf("/api/v1/members/export?org=%d", f.b.ID), nil, nil), 404)
			status, body := c.raw("GET", "/api/v1/members/export", nil)
			expect("export own scope", status, 200)
			x, err := excelize.OpenReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("export is not a workbook: %v", err)
			}
			rows, _ := x.GetRows(x.GetSheetName(0))
			if len(rows) != 3 { // title, header, A's one member
				t.Fatalf("export has %d rows, want title + header + 1", len(rows))
			}
			for _, r := range rows[2:] {
				if code := r[len(r)-1]; !f.aCodes[code] {
					t.Errorf("export lists a member of org %s, outside 街道 A", code)
				}
			}
		},
	}
}
