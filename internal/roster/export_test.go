package roster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/dangjian/dangjian/internal/member"
)

// fakeSource streams n made-up members.
type fakeSource struct {
	n   int
	err error // returned after the members
}

func (s fakeSource) Codes(context.Context) (*member.Codes, error) { return member.DefaultCodes, nil }

func (s fakeSource) Each(_ context.Context, _ member.ListFilter, _ bool, fn func(*member.Member) error) error {
	m := member.Member{OrgName: "中共马家吉社区第一支部委员会", OrgCode: "430702001001", Gender: "2", Ethnicity: "01",
		BirthDate: date("1985-03-12"), Education: "21", JoinedOn: date("2010-07-01"), FullOn: date("2011-07-01"), Job: "014",
		Phone: "13812345678", Address: "湖南省常德市武陵区启明街道马家吉社区1栋2单元301", Status: member.StatusNormal,
		CategoryName: "正式党员", NativePlace: "湖南常德", Introducers: "李明、赵强"}
	for i := range s.n {
		m.ID = int64(i + 1)
		m.Name = fmt.Sprintf("党员%06d", i)
		m.IDNumber = idNumber("19850312", i%1000)
		if err := fn(&m); err != nil {
			return err
		}
	}
	return s.err
}

func TestExportErrorWritesNothing(t *testing.T) {
	var buf bytes.Buffer
	boom := errors.New("boom")
	if err := Export(context.Background(), &buf, fakeSource{n: 10, err: boom}, member.ListFilter{}, true); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if buf.Len() != 0 {
		t.Errorf("%d bytes written before the error", buf.Len())
	}
}

func TestExportShape(t *testing.T) {
	var buf bytes.Buffer
	if err := Export(context.Background(), &buf, fakeSource{n: 3}, member.ListFilter{}, true); err != nil {
		t.Fatal(err)
	}
	rows := sheetRows(t, buf.Bytes())
	if len(rows) != 5 {
		t.Fatalf("%d rows, want title, header and 3", len(rows))
	}
	head := rows[1]
	if head[0] != "姓名" || head[2] != "公民身份号码" || head[10] != "工作岗位" || len(head) != len(exportColumns()) {
		t.Errorf("header = %v", head)
	}
	if r := rows[2]; r[1] != "女" || r[4] != "1985-03-12" || r[10] != "公有制单位企业管理人员" || r[14] != "否" {
		t.Errorf("row = %v", r)
	}
}

// BenchmarkExport writes 100,000 members; memory stays flat because rows are streamed (see
// the allocated bytes per export: they are garbage per row, not a growing workbook).
func BenchmarkExport(b *testing.B) {
	b.ReportAllocs()
	src := fakeSource{n: 100_000}
	for b.Loop() {
		if err := Export(context.Background(), io.Discard, src, member.ListFilter{}, true); err != nil {
			b.Fatal(err)
		}
	}
}
