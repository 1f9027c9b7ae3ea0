package member

import (
	"strings"
	"testing"

	"github.com/dangjian/dangjian/internal/civil"
)

var today = civil.New(2026, 6, 15)

// good is a valid record: 男, born 1985-03-12, joined 2010-07-01, full 2011-07-01.
func good() Input {
	return Input{Name: "张建国", IDNumber: "430702198503121232", Ethnicity: "01", Education: "21",
		JoinedOn: civil.New(2010, 7, 1), FullOn: civil.New(2011, 7, 1), Job: "011", Phone: "13812345678"}
}

func fieldMsg(t *testing.T, in Input) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range Check(&in, today) {
		out[f.Field] = f.Message
	}
	return out
}

func TestCheckTable(t *testing.T) {
	cases := []struct {
		name   string
		change func(*Input)
		field  string // "" = valid
		want   string // part of the message
	}{
		{"good", func(*Input) {}, "", ""},
		{"lower-case x is normalised", func(in *Input) {
			in.IDNumber, in.BirthDate = "11010519491231002x", civil.Date{}
			in.JoinedOn, in.FullOn = civil.New(1970, 5, 1), civil.New(1970, 5, 1)
		}, "", ""},
		{"bad checksum", func(in *Input) { in.IDNumber = "43070219850312123X" }, "id_number", "校验位不对：应为 2"},
		{"impossible date", func(in *Input) { in.IDNumber = "430702198502301234" }, "id_number", "不是真实的出生日期"},
		{"15 digits", func(in *Input) { in.IDNumber = "430702850312123" }, "id_number", "18位"},
		{"wrong length", func(in *Input) { in.IDNumber = "4307021985031212" }, "id_number", "应为18位"},
		{"bad area", func(in *Input) { in.IDNumber = "990702198503121232" }, "id_number", "地址码"},
		{"missing id", func(in *Input) { in.IDNumber = "" }, "id_number", "请填写"},
		{"birth date disagrees", func(in *Input) { in.BirthDate = civil.New(1985, 3, 13) }, "birth_date", "不一致"},
		{"gender disagrees", func(in *Input) { in.Gender = "女" }, "gender", "不一致"},
		{"gender label ok", func(in *Input) { in.Gender = "男" }, "", ""},
		{"age 17 at joining", func(in *Input) {
			in.IDNumber = "430702200801010012" // born 2008-01-01
			in.JoinedOn, in.FullOn = civil.New(2025, 12, 31), civil.Date{}
		}, "joined_on", "只有 17 周岁"},
		{"exactly 18 at joining", func(in *Input) {
			in.IDNumber = "430702200801010012"
			in.JoinedOn, in.FullOn = civil.New(2026, 1, 1), civil.Date{}
		}, "", ""},
		{"full before joined", func(in *Input) { in.FullOn = civil.New(2010, 6, 30) }, "full_on", "不能早于加入党组织日期"},
		{"full within a year", func(in *Input) { in.FullOn = civil.New(2011, 3, 1) }, "full_on", "不满一年"},
		{"equal dates 1990 refused", func(in *Input) {
			in.IDNumber = "43070219620101001X"
			in.JoinedOn, in.FullOn = civil.New(1990, 5, 1), civil.New(1990, 5, 1)
		}, "full_on", "相同"},
		{"equal dates 1970 ok", func(in *Input) {
			in.IDNumber = "11010519491231002X"
			in.JoinedOn, in.FullOn = civil.New(1970, 5, 1), civil.New(1970, 5, 1)
		}, "", ""},
		{"joined in the future", func(in *Input) { in.JoinedOn, in.FullOn = civil.New(2026, 7, 1), civil.Date{} }, "joined_on", "不能晚于今天"},
		{"full in the future", func(in *Input) { in.JoinedOn, in.FullOn = civil.New(2025, 7, 1), civil.New(2026, 7, 1) }, "full_on", "不能晚于今天"},
		{"bad phone", func(in *Input) { in.Phone = "12345" }, "phone", "11位手机号码"},
		{"mobile starting 12 refused", func(in *Input) { in.Phone = "12812345678" }, "phone", "手机"},
		{"landline ok", func(in *Input) { in.Phone = "0736-1234567" }, "", ""},
		{"landline with extension ok", func(in *Input) { in.Phone = "0736-1234567-123" }, "", ""},
		{"landline without dash ok", func(in *Input) { in.Phone = "07361234567" }, "", ""},
		{"name too short", func(in *Input) { in.Name = "张" }, "name", "2–30"},
		{"name missing", func(in *Input) { in.Name = "  " }, "name", "请填写姓名"},
		{"ethnicity missing", func(in *Input) { in.Ethnicity = "" }, "ethnicity", "请填写民族"},
		{"ethnicity label", func(in *Input) { in.Ethnicity = "汉" }, "", ""},
		{"ethnicity unknown", func(in *Input) { in.Ethnicity = "火星族" }, "ethnicity", "不在代码表中"},
		{"education missing", func(in *Input) { in.Education = "" }, "education", "请填写学历"},
		{"education alias", func(in *Input) { in.Education = "大专" }, "", ""},
		{"joined missing", func(in *Input) { in.JoinedOn, in.FullOn = civil.Date{}, civil.Date{} }, "joined_on", "请填写"},
		{"job unknown", func(in *Input) { in.Job = "999" }, "job", "不在代码表中"},
		{"lost situation unknown", func(in *Input) { in.LostContact, in.LostSituation = true, "9" }, "lost_situation", "不在代码表中"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := good()
			c.change(&in)
			got := fieldMsg(t, in)
			if c.field == "" {
				if len(got) > 0 {
					t.Fatalf("want valid, got %v", got)
				}
				return
			}
			if !strings.Contains(got[c.field], c.want) {
				t.Fatalf("field %s: got %q (all: %v), want it to contain %q", c.field, got[c.field], got, c.want)
			}
		})
	}
}

func TestCheckNormalises(t *testing.T) {
	in := good()
	in.IDNumber, in.Gender, in.Ethnicity, in.Education = " 11010519491231002x ", "", "汉族", "本科"
	in.JoinedOn, in.FullOn = civil.New(1971, 1, 1), civil.New(1971, 1, 1)
	in.MobileTo, in.LostOn = "广东", civil.New(2020, 1, 1)
	if f := Check(&in, today); len(f) > 0 {
		t.Fatal(f)
	}
	if in.IDNumber != "11010519491231002X" || in.Gender != "2" || in.BirthDate != civil.New(1949, 12, 31) ||
		in.Ethnicity != "01" || in.Education != "21" || in.MobileTo != "" || !in.LostOn.IsZero() {
		t.Fatalf("not normalised: %+v", in)
	}
}

func TestWarnings(t *testing.T) {
	in := good()
	in.FullOn = civil.New(2013, 1, 1) // 2.5 years after joining
	w := Warnings(&in, today)
	if len(w) != 1 || w[0].RuleID != "member.probation_extension" || w[0].Field != "full_on" {
		t.Fatalf("late 转正: %+v", w)
	}
	in = good()
	in.FullOn = civil.New(2012, 1, 1) // extended probation: normal
	if w := Warnings(&in, today); len(w) != 0 {
		t.Fatalf("extended probation warned: %+v", w)
	}
	in = good()
	in.FullOn = civil.Date{}
	if w := Warnings(&in, today); len(w) != 1 {
		t.Fatalf("probationary for 16 years not warned: %+v", w)
	}
}

func TestNormalizePhone(t *testing.T) {
	for in, want := range map[string]string{
		"13812345678": "13812345678", "138 1234 5678": "13812345678", "+86 138-1234-5678": "13812345678",
		"0736-1234567": "07361234567", "07361234567": "07361234567", "0736-1234567-12": "07361234567#12",
		"0736-1234567转12": "07361234567#12", "12345": "", "": "",
	} {
		if got := NormalizePhone(in); got != want {
			t.Errorf("NormalizePhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAge(t *testing.T) {
	for _, c := range []struct {
		b, on civil.Date
		want  int
	}{
		{civil.New(2000, 6, 15), civil.New(2026, 6, 15), 26},
		{civil.New(2000, 6, 16), civil.New(2026, 6, 15), 25},
		{civil.New(2000, 2, 29), civil.New(2026, 2, 28), 25},
		{civil.New(2000, 2, 29), civil.New(2026, 3, 1), 26},
	} {
		if got := Age(c.b, c.on); got != c.want {
			t.Errorf("Age(%s, %s) = %d, want %d", c.b, c.on, got, c.want)
		}
	}
	// yearsBefore agrees with Age at the boundary, including 29 February.
	for _, d := range []civil.Date{civil.New(2028, 2, 29), civil.New(2026, 6, 15), civil.New(2026, 3, 1)} {
		for n := 0; n < 80; n++ {
			b := yearsBefore(d, n)
			if Age(b, d) != n || Age(b.AddDate(0, 0, 1), d) != n-1 {
				t.Fatalf("yearsBefore(%s, %d) = %s: ages %d, %d", d, n, b, Age(b, d), Age(b.AddDate(0, 0, 1), d))
			}
		}
	}
}

func TestCodes(t *testing.T) {
	c := DefaultCodes
	if n := len(c.tableOf(KindEthnicity).Items); n != 58 {
		t.Errorf("民族 has %d entries, want 56 + 97 + 98", n)
	}
	if c.Name(KindEthnicity, "56") != "基诺族" || c.Name(KindEthnicity, "01") != "汉族" {
		t.Error("民族 codes wrong")
	}
	for kind, cases := range map[string]map[string]string{
		KindGender:    {"女": "2", "男": "1", "1": "1"},
		KindEthnicity: {"汉族": "01", "汉": "01", "蒙古": "02", "基诺族": "56", "1": "01"},
		KindEducation: {"大学本科": "20", "本科": "21", "大专": "31", "硕士": "14", "博士": "11", "研究生": "10", "中专": "41", "高中": "61", "初中": "71", "小学": "81", "21": "21"},
		KindJob:       {"党政机关工作人员": "011", "公有制单位企业管理人员": "014", "非公有制单位/企业管理人员": "021", "学生": "3", "0164": "0164"},
	} {
		for label, want := range cases {
			if got, ok := c.Lookup(kind, label); !ok || got != want {
				t.Errorf("Lookup(%s, %q) = %q, %v; want %q", kind, label, got, ok, want)
			}
		}
	}
	if _, ok := c.Lookup(KindJob, "企业管理人员"); ok {
		t.Error("an ambiguous 工作岗位 label must not resolve")
	}
	for code, want := range map[string]string{"11": "1", "14": "1", "21": "2", "31": "3", "41": "4", "43": "4", "44": "5", "47": "5", "61": "5",
		"71": "6", "81": "6", "90": "6", "": ""} {
		if got := EducationBucket(code); got != want {
			t.Errorf("EducationBucket(%q) = %q, want %q", code, got, want)
		}
	}
	if c.Root(KindJob, "0164") != "0" || c.Root(KindJob, "113") != "1" {
		t.Error("job roots wrong")
	}
}
