package member

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/rules"
)

// Warning is a rule the record does not break outright but someone should look at.
type Warning struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	RuleID  string `json:"rule_id"`
}

// provinces are the 省级 codes a 公民身份号码's address code may start with (GB/T 2260,
// plus 81–83 used by 港澳台居民居住证).
var provinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true, "21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true, "50": true, "51": true,
	"52": true, "53": true, "54": true, "61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true, "83": true,
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// NormalizeID trims a 公民身份号码, drops inner spaces and upper-cases a trailing x.
func NormalizeID(s string) string {
	s = strings.Join(strings.Fields(s), "")
	return strings.ToUpper(s)
}

// IDInfo is what a valid 公民身份号码 says.
type IDInfo struct {
	Number    string
	BirthDate civil.Date
	Gender    string // "1" 男, "2" 女 (GB/T 2261.1)
}

// ParseID checks a 公民身份号码 against GB 11643-1999 (rule member.id_checksum) and returns
// what it encodes, or a Chinese reason.
func ParseID(s string, today civil.Date) (IDInfo, string) {
	id := NormalizeID(s)
	digits := func(x string) bool {
		for _, r := range x {
			if r < '0' || r > '9' {
				return false
			}
		}
		return true
	}
	switch {
	case id == "":
		return IDInfo{}, "请填写公民身份号码"
	case len(id) == 15 && digits(id):
		return IDInfo{}, "这是15位旧身份证号码，请填写18位公民身份号码"
	case utf8.RuneCountInString(id) != 18:
		return IDInfo{}, fmt.Sprintf("公民身份号码应为18位，这里是 %d 位", utf8.RuneCountInString(id))
	case !digits(id[:17]) || !(digits(id[17:]) || id[17] == 'X'):
		return IDInfo{}, "公民身份号码前17位应为数字，最后一位为数字或 X"
	case !provinces[id[:2]] || id[2:6] == "0000":
		return IDInfo{}, "公民身份号码前6位不是有效的地址码：" + id[:6]
	}
	birth, err := time.Parse("20060102", id[6:14])
	if err != nil || birth.Year() < 1900 {
		return IDInfo{}, "公民身份号码第7–14位不是真实的出生日期：" + id[6:14]
	}
	bd := civil.Of(birth)
	if bd.After(today) {
		return IDInfo{}, "公民身份号码中的出生日期 " + bd.String() + " 晚于今天"
	}
	sum := 0
	for i, w := range idWeights {
		sum += int(id[i]-'0') * w
	}
	if want := "10X98765432"[sum%11]; id[17] != want {
		return IDInfo{}, fmt.Sprintf("公民身份号码校验位不对：应为 %c（请核对号码是否抄错）", want)
	}
	gender := "2"
	if (id[16]-'0')%2 == 1 {
		gender = "1"
	}
	return IDInfo{Number: id, BirthDate: bd, Gender: gender}, ""
}

var (
	mobileRE   = regexp.MustCompile(`^1[3-9]\d{9}$`)
	landlineRE = regexp.MustCompile(`^(0\d{2,3})-?(\d{7,8})(?:(?:-|转|#|,|ext\.?|EXT\.?|x|X)(\d{1,6}))?$`)
	// Built once: a Replacer builds its lookup tables on first use, which costs more than the
	// replacement itself when it is made per call (bulk loads call this millions of times).
	phoneBrackets = strings.NewReplacer("（", "", "）", "", "(", "", ")", "")
	jobPunct      = strings.NewReplacer("/", "", "-", "", "—", "", "·", "", " ", "", "、", "")
)

// NormalizePhone returns the form of a phone number that is hashed for exact search: digits
// only (+86 dropped), with "#" and the extension of a landline; "" when it is not a valid
// number. 13812345678, 138 1234 5678 and +86 138-1234-5678 normalise alike.
func NormalizePhone(s string) string {
	s = strings.Join(strings.Fields(s), "")
	s = phoneBrackets.Replace(s)
	s = strings.TrimPrefix(s, "+86")
	if d := strings.ReplaceAll(s, "-", ""); mobileRE.MatchString(d) {
		return d
	} else if len(d) == 13 && strings.HasPrefix(d, "86") && mobileRE.MatchString(d[2:]) {
		return d[2:]
	}
	if m := landlineRE.FindStringSubmatch(s); m != nil {
		out := m[1] + m[2]
		if m[3] != "" {
			out += "#" + m[3]
		}
		return out
	}
	return ""
}

// Age is the age in whole years on day on.
func Age(birth, on civil.Date) int {
	if birth.IsZero() || on.IsZero() {
		return 0
	}
	b, t := birth.Time(), on.Time()
	age := t.Year() - b.Year()
	if t.Month() < b.Month() || (t.Month() == b.Month() && t.Day() < b.Day()) {
		age--
	}
	return age
}

// noProbationFrom and noProbationTo bound the period in which the 九大 and 十大 constitutions
// had no 预备期 (rule member.probation_one_year).
var (
	noProbationFrom = civil.New(1969, 4, 1)
	noProbationTo   = civil.New(1977, 8, 11)
)

// Check validates a member record (rules member.*) and normalises it in place: the
// 公民身份号码 upper-cased, 出生日期 and 性别 derived from it when empty, text trimmed, the
// 失联 and 流动 details cleared when the member is neither. Errors name the JSON field. The
// organisation is checked by the store, which needs the database. Codes are checked against
// the published tables; the store checks against the locally edited ones (CheckWith).
func Check(in *Input, today civil.Date) api.Fields {
	f, _ := CheckWith(in, today, DefaultCodes)
	return f
}

// Warnings are the soft findings of Check for the same record (call after Check).
func Warnings(in *Input, today civil.Date) []Warning {
	c := *in
	_, w := CheckWith(&c, today, DefaultCodes)
	return w
}

// CheckWith is Check against the given code tables, returning the warnings too.
func CheckWith(in *Input, today civil.Date, codes *Codes) (api.Fields, []Warning) {
	var f api.Fields
	var warn []Warning
	trim := func(p *string) { *p = strings.TrimSpace(*p) }
	for _, p := range []*string{&in.Name, &in.Gender, &in.Ethnicity, &in.Education, &in.Job, &in.Phone, &in.Address,
		&in.LostSituation, &in.MobileTo, &in.NativePlace, &in.Degree, &in.TechTitle, &in.PartyPost, &in.Introducers} {
		trim(p)
	}
	in.IDNumber = NormalizeID(in.IDNumber)
	// Rule member.dates_not_future.
	future := func(field, label string, d civil.Date) bool {
		if !d.IsZero() && d.After(today) {
			f.Add(field, label+"不能晚于今天（"+today.String()+"）")
			return true
		}
		return false
	}

	switch n := utf8.RuneCountInString(in.Name); {
	case n == 0:
		f.Add("name", "请填写姓名")
	case n < 2 || n > 30:
		f.Add("name", "姓名应为2–30个字")
	}

	info, msg := ParseID(in.IDNumber, today)
	if msg != "" {
		f.Add("id_number", msg)
	} else {
		in.IDNumber = info.Number
		if in.BirthDate.IsZero() {
			in.BirthDate = info.BirthDate
		} else if in.BirthDate != info.BirthDate {
			f.Add("birth_date", "出生日期 "+in.BirthDate.String()+" 与公民身份号码中的 "+info.BirthDate.String()+" 不一致")
		}
		if in.Gender == "" {
			in.Gender = info.Gender
		}
	}
	if in.Gender != "" {
		if code, ok := codes.Lookup(KindGender, in.Gender); !ok {
			f.Add("gender", "性别应为 1（男）或 2（女）")
		} else {
			in.Gender = code
			if msg == "" && code != info.Gender {
				f.Add("gender", "性别与公民身份号码第17位不一致：号码显示为"+codes.Name(KindGender, info.Gender))
			}
		}
	} else if msg == "" {
		f.Add("gender", "请填写性别")
	}
	if !f.Has("birth_date") {
		future("birth_date", "出生日期", in.BirthDate)
	}

	code := func(field, kind, label string, p *string, required bool) {
		if *p == "" {
			if required {
				f.Add(field, "请填写"+label)
			}
			return
		}
		c, ok := codes.Lookup(kind, *p)
		if !ok {
			f.Add(field, fmt.Sprintf("%s“%s”不在代码表中（%s）", label, *p, codes.tableOf(kind).Source))
			return
		}
		*p = c
	}
	code("ethnicity", KindEthnicity, "民族", &in.Ethnicity, true)
	code("education", KindEducation, "学历", &in.Education, true)
	code("job", KindJob, "工作岗位", &in.Job, false)

	// 加入党组织日期 and 转为正式党员日期.
	switch {
	case in.JoinedOn.IsZero():
		f.Add("joined_on", "请填写加入党组织日期")
	case future("joined_on", "加入党组织日期", in.JoinedOn):
	case !in.BirthDate.IsZero():
		r := rules.Get("member.age_at_joining")
		if age := Age(in.BirthDate, in.JoinedOn); age < r.Value {
			f.Add("joined_on", fmt.Sprintf("加入党组织时只有 %d 周岁，应年满 %d 周岁（依据：%s）", age, r.Value, r.Source))
		}
	}
	if !in.FullOn.IsZero() && !future("full_on", "转为正式党员日期", in.FullOn) && !in.JoinedOn.IsZero() && !f.Has("joined_on") {
		j := in.JoinedOn
		noProbation := !j.Before(noProbationFrom) && !j.After(noProbationTo)
		year := rules.Get("member.probation_one_year")
		switch {
		case in.FullOn.Before(j):
			r := rules.Get("member.full_after_joined")
			f.Add("full_on", "转为正式党员日期不能早于加入党组织日期 "+j.String()+"（依据："+r.Source+"）")
		case in.FullOn == j && noProbation:
			// 九大、十大党章没有预备期。
		case in.FullOn == j:
			f.Add("full_on", "转正日期与入党日期相同：预备期为一年，只有1969年4月1日至1977年8月11日间入党的才没有预备期（依据："+year.Source+"）")
		case in.FullOn.Before(j.AddDate(year.Value, 0, 0)) && !noProbation:
			f.Add("full_on", fmt.Sprintf("距入党不满一年就转正：预备期为一年，转正日期应不早于 %s（依据：%s）", j.AddDate(year.Value, 0, 0), year.Source))
		case in.FullOn.After(j.AddDate(year.Value+rules.Get("member.probation_extension").Value, 0, 0)) && !noProbation:
			r := rules.Get("member.probation_extension")
			warn = append(warn, Warning{Field: "full_on", RuleID: r.ID,
				Message: fmt.Sprintf("入党 %s 至转正 %s 超过两年：延长预备期不能超过一年，请核对日期（依据：%s）", j, in.FullOn, r.Source)})
		}
	}
	if in.FullOn.IsZero() && !in.JoinedOn.IsZero() && !f.Has("joined_on") {
		r := rules.Get("member.probation_extension")
		if !in.JoinedOn.Before(noProbationFrom) && !in.JoinedOn.After(noProbationTo) {
			warn = append(warn, Warning{Field: "full_on", RuleID: "member.probation_one_year",
				Message: "1969年4月至1977年8月间入党的没有预备期，应填写转正日期（同入党日期）"})
		} else if in.JoinedOn.AddDate(2, 0, 0).Before(today) {
			warn = append(warn, Warning{Field: "full_on", RuleID: r.ID,
				Message: fmt.Sprintf("入党已超过两年仍为预备党员，请核对转正日期（依据：%s）", r.Source)})
		}
	}

	if in.Phone != "" && NormalizePhone(in.Phone) == "" {
		f.Add("phone", "联系电话应为11位手机号码（如 13812345678），或带区号的固定电话（如 0736-1234567，分机可写作 0736-1234567-123）")
	}
	limit := func(field, label string, s string, n int) {
		if utf8.RuneCountInString(s) > n {
			f.Add(field, fmt.Sprintf("%s最长%d字", label, n))
		}
	}
	limit("address", "家庭住址", in.Address, 200)
	limit("native_place", "籍贯", in.NativePlace, 50)
	limit("degree", "学位", in.Degree, 30)
	limit("tech_title", "专业技术职务", in.TechTitle, 50)
	limit("party_post", "党内职务", in.PartyPost, 50)
	limit("introducers", "入党介绍人", in.Introducers, 100)
	limit("mobile_to", "外出流向", in.MobileTo, 100)

	if !in.WorkStartedOn.IsZero() && !future("work_started_on", "参加工作日期", in.WorkStartedOn) &&
		!in.BirthDate.IsZero() && Age(in.BirthDate, in.WorkStartedOn) < 14 {
		f.Add("work_started_on", "参加工作日期早于14周岁，请核对")
	}
	if in.LostContact {
		code("lost_situation", KindLostSituation, "失联情形", &in.LostSituation, false)
		if !in.LostOn.IsZero() && !future("lost_on", "失去联系日期", in.LostOn) && !in.JoinedOn.IsZero() && in.LostOn.Before(in.JoinedOn) {
			f.Add("lost_on", "失去联系日期不能早于加入党组织日期")
		}
	} else {
		in.LostOn, in.LostSituation = civil.Date{}, ""
	}
	if !in.Mobile {
		in.MobileTo = ""
	}
	return f, warn
}
