package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/dues"
)

// duesUpload posts a file as multipart/form-data (field "file").
func duesUpload(c *client, path, name string, data []byte) (int, []byte) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
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

func duesWorkbook(t *testing.T, rows ...[]any) []byte {
	t.Helper()
	x := excelize.NewFile()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		x.SetSheetRow("Sheet1", cell, &r)
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// duesScopeCases are the scope cases of the 党费 endpoints: the street user (街道 A) must not
// read or write anything of 街道 B's dues through any of them. B's member gets a standard and
// a payment first; every write case checks afterwards that B's books are as they were.
func duesScopeCases(t *testing.T, f *fixture, c *client) map[string]func() {
	sys := access.System(context.Background())
	ds := dues.NewStore(f.d, nil)
	month := dues.MonthOf(ds.Today())
	for _, m := range []int64{f.aMember.ID, f.bMember.ID} {
		if _, err := ds.SetStandard(sys, m, dues.StandardInput{From: month.Add(-2), Category: dues.Salaried, BaseFen: 450000}); err != nil {
			t.Fatal(err)
		}
	}
	bPay, err := ds.Pay(sys, dues.PaymentInput{MemberID: f.bMember.ID, Months: []dues.Month{month.Add(-1)}, Method: "cash", ReceiptNo: "B-0001"})
	if err != nil {
		t.Fatal(err)
	}
	bFull, err := f.members.Get(sys, f.bMember.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	expect := func(what string, got, want int) {
		t.Helper()
		if got != want {
			t.Errorf("%s: status %d, want %d", what, got, want)
		}
	}
	// bUnchanged: B's member still has one standard and one payment, B2 no close and no settings.
	bUnchanged := func(what string) {
		t.Helper()
		md, err := ds.MemberDues(sys, f.bMember.ID)
		if err != nil {
			t.Fatal(err)
		}
		entries := 0
		for _, m := range md.Months {
			entries += len(m.Entries)
		}
		if len(md.Standards) != 1 || md.Standards[0].MonthlyFen != 4500 || entries != 1 {
			t.Errorf("%s changed B's dues: %d standards, %d entries", what, len(md.Standards), entries)
		}
		l, _ := ds.Ledger(sys, f.bBranch.ID, month.Add(-1))
		if l.Close != nil {
			t.Errorf("%s closed B's month", what)
		}
		st, _ := ds.Settings(sys, f.bBranch.ID)
		if st.Own.AllowQuarterly != nil || st.Own.BackPayLimit != nil {
			t.Errorf("%s changed B's settings", what)
		}
		pub, _ := ds.Publication(sys, f.bBranch.ID, month.Year())
		if len(pub.Usage) != 0 {
			t.Errorf("%s wrote B's 公示", what)
		}
	}
	org := func(id int64) string { return fmt.Sprint(id) }
	return map[string]func(){
		"GET /api/v1/dues/meta": func() { expect("dues meta", c.do("GET", "/api/v1/dues/meta", nil, nil), 200) },
		"POST /api/v1/dues/calculate": func() {
			var out dues.CalcAnswer
			expect("calculate", c.do("POST", "/api/v1/dues/calculate", map[string]any{"category": "salaried", "base_fen": 300001}, &out), 200)
			if out.MonthlyFen != 3000 || out.RateBP != 100 {
				t.Errorf("calculate: %+v", out)
			}
			expect("calculate with B's formula", c.do("POST", "/api/v1/dues/calculate", map[string]any{"category": "salaried", "base_fen": 1, "org_id": f.bBranch.ID}, nil), 404)
		},
		"GET /api/v1/dues/settings": func() {
			expect("settings of A", c.do("GET", "/api/v1/dues/settings?org="+org(f.aBranch.ID), nil, nil), 200)
			expect("settings of B", c.do("GET", "/api/v1/dues/settings?org="+org(f.bBranch.ID), nil, nil), 404)
		},
		"PUT /api/v1/dues/settings": func() {
			expect("settings of B", c.do("PUT", "/api/v1/dues/settings", map[string]any{"org_id": f.bBranch.ID, "allow_quarterly": true, "back_pay_limit": 3}, nil), 404)
			expect("settings of the root", c.do("PUT", "/api/v1/dues/settings", map[string]any{"org_id": f.root.ID, "back_pay_limit": 3}, nil), 404)
			bUnchanged("PUT settings")
		},
		"GET /api/v1/dues/members/{id}": func() {
			expect("A's member", c.do("GET", fmt.Sprintf("/api/v1/dues/members/%d", f.aMember.ID), nil, nil), 200)
			expect("B's member", c.do("GET", fmt.Sprintf("/api/v1/dues/members/%d", f.bMember.ID), nil, nil), 404)
		},
		"POST /api/v1/dues/members/{id}/standards": func() {
			expect("standard of B's member", c.do("POST", fmt.Sprintf("/api/v1/dues/members/%d/standards", f.bMember.ID),
				map[string]any{"from": string(month), "category": "retired", "base_fen": 100000}, nil), 404)
			bUnchanged("POST standards")
		},
		"POST /api/v1/dues/standards/import": func() {
			file := duesWorkbook(t, []any{"姓名", "公民身份号码", "月份", "类别", "基数"}, []any{bFull.Name, bFull.IDNumber, string(month), "退休", "1000"})
			st, _ := duesUpload(c, "/api/v1/dues/standards/import?org="+org(f.bBranch.ID), "x.xlsx", file)
			expect("import into B", st, 404)
			st, raw := duesUpload(c, "/api/v1/dues/standards/import?org="+org(f.a.ID), "x.xlsx", file)
			expect("import B's member into A", st, 422)
			if !strings.Contains(string(raw), "没有这个公民身份号码") {
				t.Errorf("import B's member into A: %s", raw)
			}
			bUnchanged("standards import")
		},
		"GET /api/v1/dues/ledger": func() {
			var l dues.Ledger
			expect("ledger of A", c.do("GET", "/api/v1/dues/ledger?org="+org(f.aBranch.ID), nil, &l), 200)
			if len(l.Rows) != 1 || l.Rows[0].Member.ID != f.aMember.ID {
				t.Errorf("A's ledger: %+v", l.Rows)
			}
			expect("ledger of B", c.do("GET", "/api/v1/dues/ledger?org="+org(f.bBranch.ID)+"&month="+string(month.Add(-1)), nil, nil), 404)
		},
		"POST /api/v1/dues/payments": func() {
			expect("pay for B's member", c.do("POST", "/api/v1/dues/payments",
				map[string]any{"member_id": f.bMember.ID, "months": []string{string(month)}, "method": "cash"}, nil), 404)
			bUnchanged("POST payments")
		},
		"POST /api/v1/dues/payments/import": func() {
			file := duesWorkbook(t, []any{"姓名", "身份证号", "月份", "金额", "缴费日期", "流水号"},
				[]any{bFull.Name, bFull.IDNumber, string(month), "45", ds.Today().String(), "X1"})
			st, _ := duesUpload(c, "/api/v1/dues/payments/import?org="+org(f.b.ID), "x.xlsx", file)
			expect("payments import into B", st, 404)
			st, _ = duesUpload(c, "/api/v1/dues/payments/import?org="+org(f.a.ID), "x.xlsx", file)
			expect("B's payments into A", st, 422)
			bUnchanged("payments import")
		},
		"POST /api/v1/dues/payments/{id}/correct": func() {
			expect("refund B's payment", c.do("POST", fmt.Sprintf("/api/v1/dues/payments/%d/correct", bPay.Entries[0].ID),
				map[string]any{"kind": "refund", "amount_fen": 4500, "note": "x"}, nil), 404)
			bUnchanged("correct")
		},
		"POST /api/v1/dues/close": func() {
			expect("close B's month", c.do("POST", "/api/v1/dues/close", map[string]any{"org_id": f.bBranch.ID, "month": string(month.Add(-1))}, nil), 404)
			bUnchanged("close")
		},
		"GET /api/v1/dues/arrears": func() {
			var a dues.ArrearsAnswer
			expect("arrears of A", c.do("GET", "/api/v1/dues/arrears?org="+org(f.a.ID), nil, &a), 200)
			for _, it := range a.Items {
				if it.Member.ID == f.bMember.ID {
					t.Error("A's arrears list B's member")
				}
			}
			expect("arrears of B", c.do("GET", "/api/v1/dues/arrears?org="+org(f.b.ID), nil, nil), 404)
			expect("arrears of the root", c.do("GET", "/api/v1/dues/arrears?org="+org(f.root.ID), nil, nil), 404)
		},
		"GET /api/v1/dues/report": func() {
			var rep dues.Report
			expect("report of A", c.do("GET", "/api/v1/dues/report?org="+org(f.a.ID), nil, &rep), 200)
			if rep.Total.Members != 1 || rep.Total.PaidFen != 0 {
				t.Errorf("A's report counts B: %+v", rep.Total)
			}
			expect("report of B", c.do("GET", "/api/v1/dues/report?org="+org(f.b.ID), nil, nil), 404)
			expect("report of the root", c.do("GET", "/api/v1/dues/report?org="+org(f.root.ID), nil, nil), 404)
		},
		"GET /api/v1/dues/report/export": func() {
			st, _ := c.raw("GET", "/api/v1/dues/report/export?org="+org(f.a.ID), nil)
			expect("export of A", st, 200)
			expect("export of B", c.do("GET", "/api/v1/dues/report/export?org="+org(f.b.ID), nil, nil), 404)
		},
		"GET /api/v1/dues/publication": func() {
			st, raw := c.raw("GET", "/api/v1/dues/publication?org="+org(f.aBranch.ID), nil)
			expect("publication of A", st, 200)
			if !strings.Contains(string(raw), f.aBranch.Name) || !strings.Contains(string(raw), "党费收缴使用情况公示") {
				t.Errorf("publication: %.200s", raw)
			}
			expect("publication of B", c.do("GET", "/api/v1/dues/publication?org="+org(f.bBranch.ID), nil, nil), 404)
		},
		"PUT /api/v1/dues/publication": func() {
			expect("B's 公示", c.do("PUT", "/api/v1/dues/publication", map[string]any{"org_id": f.bBranch.ID, "year": month.Year(), "lines": []string{"x"}}, nil), 404)
			bUnchanged("PUT publication")
		},
		"GET /api/v1/me/dues": func() {
			var body map[string]any
			st, raw := c.raw("GET", "/api/v1/me/dues", nil)
			json.Unmarshal(raw, &body)
			expect("own dues as an admin", st, 403)
		},
	}
}
