package dues

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/rules"
)

// Category is how a member's dues are set (党费交纳类别).
type Category string

const (
	Salaried     Category = "salaried"      // 按月领取工资（第一、二条）
	AnnualSalary Category = "annual_salary" // 年薪制（第三条）
	SelfEmployed Category = "self_employed" // 不按月取得收入的个体经营者等（第四条）
	Retired      Category = "retired"       // 离退休（第五条）
	Farmer       Category = "farmer"        // 农民（第六条）
	StudentEtc   Category = "student_etc"   // 学生、下岗失业、依靠抚恤或救济、领取最低生活保障金（第六条）
	Reduced      Category = "reduced"       // 确有困难，经批准少交（第七条）
	Exempt       Category = "exempt"        // 确有困难，经批准免交（第七条）
)

// Kind is how a category's amount is found.
type Kind string

const (
	KindRate     Kind = "rate"     // base × the rate of the bracket the base falls in
	KindFixed    Kind = "fixed"    // a fixed amount within [MinFen, MaxFen]
	KindApproved Kind = "approved" // an amount approved by the 上一级党委 (少交) or none (免交)
)

// Bracket is one row of a rate table: bases up to UpToFen (inclusive; 0 = no upper bound) pay
// RateBP basis points of the whole base.
type Bracket struct {
	UpToFen int64  `json:"up_to_fen" doc:"本档上限（含），单位分；0 表示无上限"`
	RateBP  int    `json:"rate_bp" doc:"比例，单位为万分之一（50 = 0.5%）"`
	Text    string `json:"text"`
	RuleID  string `json:"rule_id"`
}

// CategoryRule is how one category's dues are computed under a table version.
type CategoryRule struct {
	Category Category  `json:"category"`
	Name     string    `json:"name"`
	Kind     Kind      `json:"kind"`
	BaseName string    `json:"base_name" doc:"计算基数是什么"`
	Brackets []Bracket `json:"brackets"`
	MinFen   int64     `json:"min_fen" doc:"固定数额的下限（分）"`
	MaxFen   int64     `json:"max_fen" doc:"固定数额的上限（分）"`
	RuleID   string    `json:"rule_id"`
	Source   string    `json:"source"`
}

// RateTable is one version of the dues rules, in force from EffectiveFrom until the next
// version's month. A revision is a new entry in rateTables: months before it keep the amounts
// of the version they fell under.
type RateTable struct {
	Version       string         `json:"version"`
	EffectiveFrom Month          `json:"effective_from"`
	Source        string         `json:"source"`
	Categories    []CategoryRule `json:"categories"`
}

func bracket(upToYuan int64, id string) Bracket {
	r := rules.Get(id)
	return Bracket{UpToFen: upToYuan * 100, RateBP: r.Value, Text: r.Text, RuleID: id}
}

func fixedRule(minID, maxID string) (int64, int64) {
	return int64(rules.Get(minID).Value), int64(rules.Get(maxID).Value)
}

// rateTables are the versions, oldest first. The values come from the rule catalogue
// (internal/rules/dues.go), where each carries its source; TestTableMatchesOfficialText pins
// them to the official figures.
var rateTables = func() []RateTable {
	src := func(id string) string { return rules.Get(id).Source }
	salaried := []Bracket{bracket(3000, "dues.salaried.3000"), bracket(5000, "dues.salaried.5000"),
		bracket(10000, "dues.salaried.10000"), bracket(0, "dues.salaried.over")}
	retired := []Bracket{bracket(5000, "dues.retired.5000"), bracket(0, "dues.retired.over")}
	farmMin, farmMax := fixedRule("dues.farmer.min", "dues.farmer.max")
	student := int64(rules.Get("dues.student").Value)
	return []RateTable{{
		Version: "2008", EffectiveFrom: MustMonth("2008-04"), Source: src("dues.effective"),
		Categories: []CategoryRule{
			{Category: Salaried, Name: "按月领取工资", Kind: KindRate, BaseName: "每月工资总额中相对固定的、经常性的工资收入（税后）",
				Brackets: salaried, RuleID: "dues.salaried.base", Source: src("dues.salaried.base") + "、第二条"},
			{Category: AnnualSalary, Name: "实行年薪制", Kind: KindRate, BaseName: "当月实际领取的薪酬收入",
				Brackets: salaried, RuleID: "dues.annual_salary", Source: src("dues.annual_salary")},
			{Category: SelfEmployed, Name: "不按月取得收入（个体经营者等）", Kind: KindRate, BaseName: "上一季度月平均纯收入",
				Brackets: salaried, RuleID: "dues.self_employed", Source: src("dues.self_employed")},
			{Category: Retired, Name: "离退休", Kind: KindRate, BaseName: "离退休费总额或养老金总额",
				Brackets: retired, RuleID: "dues.retired.5000", Source: src("dues.retired.5000")},
			{Category: Farmer, Name: "农民", Kind: KindFixed, BaseName: "每月固定数额（0.2元至1元，由党支部确定）",
				MinFen: farmMin, MaxFen: farmMax, RuleID: "dues.farmer.min", Source: src("dues.farmer.min")},
			{Category: StudentEtc, Name: "学生、下岗失业、依靠抚恤或救济、领取最低生活保障金", Kind: KindFixed, BaseName: "每月0.2元",
				MinFen: student, MaxFen: student, RuleID: "dues.student", Source: src("dues.student")},
			{Category: Reduced, Name: "经批准少交", Kind: KindApproved, BaseName: "经上一级党委批准的数额",
				MinFen: 1, RuleID: "dues.reduced", Source: src("dues.reduced")},
			{Category: Exempt, Name: "经批准免交", Kind: KindApproved, BaseName: "免交",
				RuleID: "dues.reduced", Source: src("dues.reduced")},
		},
	}}
}()

// Tables returns the rate table versions, oldest first.
func Tables() []RateTable { return append([]RateTable(nil), rateTables...) }

// TableFor returns the version in force in month m (the oldest version for months before it:
// the platform keeps no older rules).
func TableFor(m Month) *RateTable {
	i := sort.Search(len(rateTables), func(i int) bool { return rateTables[i].EffectiveFrom.After(m) })
	if i == 0 {
		return &rateTables[0]
	}
	return &rateTables[i-1]
}

// Rule returns the category's rule in t.
func (t *RateTable) Rule(c Category) (*CategoryRule, bool) {
	for i := range t.Categories {
		if t.Categories[i].Category == c {
			return &t.Categories[i], true
		}
	}
	return nil, false
}

// Valid reports whether c is a known category.
func (c Category) Valid() bool {
	_, ok := rateTables[len(rateTables)-1].Rule(c)
	return ok
}

// Name is the category's Chinese name.
func (c Category) Name() string {
	if r, ok := rateTables[len(rateTables)-1].Rule(c); ok {
		return r.Name
	}
	return string(c)
}

// NeedsApproval reports whether the category is 少交 or 免交 (第七条).
func (c Category) NeedsApproval() bool { return c == Reduced || c == Exempt }

// UsesBase reports whether the amount is a rate of a base.
func (c Category) UsesBase() bool {
	return c == Salaried || c == AnnualSalary || c == SelfEmployed || c == Retired
}

// RoundHalfUp is round(fen × bp / 10000) with halves rounded up, for non-negative fen: the
// rounding rule of dues.rounding (四舍五入到分).
func RoundHalfUp(fen int64, bp int) int64 {
	if fen <= 0 {
		return 0
	}
	return (fen*int64(bp) + 5000) / 10000
}

// Yuan formats fen as yuan with two decimals: 300001 → "3000.01".
func Yuan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}

// Percent formats basis points: 50 → "0.5%", 150 → "1.5%".
func Percent(bp int) string {
	s := fmt.Sprintf("%d.%02d", bp/100, bp%100)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s + "%"
}

// amount is Calculate's MonthlyFen without the texts, for roll-ups that need it for every
// member and month; ok is false where Calculate reports an error.
func amount(t *RateTable, in CalcInput) (int64, bool) {
	r, found := t.Rule(in.Category)
	if !found {
		return 0, false
	}
	switch r.Kind {
	case KindRate:
		if in.BaseFen < 0 || in.BaseFen > 100_000_000_00 {
			return 0, false
		}
		for _, x := range r.Brackets {
			if x.UpToFen == 0 || in.BaseFen <= x.UpToFen {
				return RoundHalfUp(in.BaseFen, x.RateBP), true
			}
		}
		return RoundHalfUp(in.BaseFen, r.Brackets[len(r.Brackets)-1].RateBP), true
	case KindFixed:
		v := in.FixedFen
		if r.MinFen == r.MaxFen {
			v = r.MinFen
		}
		return v, v >= r.MinFen && v <= r.MaxFen
	}
	if r.Category == Exempt {
		return 0, true
	}
	return in.FixedFen, in.FixedFen >= r.MinFen
}

// CalcInput is what an amount is computed from.
type CalcInput struct {
	Category Category `json:"category"`
	BaseFen  int64    `json:"base_fen" doc:"计算基数（分），按比例计算的类别用"`
	FixedFen int64    `json:"fixed_fen" doc:"每月固定数额（分）：农民（20–100）、经批准少交的数额"`
}

// Calc is an amount with its basis, as the UI shows it.
type Calc struct {
	Category     Category `json:"category"`
	CategoryName string   `json:"category_name"`
	BaseFen      int64    `json:"base_fen"`
	RateBP       int      `json:"rate_bp" doc:"比例（万分之一）；固定数额的类别为 0"`
	MonthlyFen   int64    `json:"monthly_fen"`
	Bracket      string   `json:"bracket" doc:"适用的档次或规定"`
	Basis        string   `json:"basis" doc:"计算过程，如：4500.00元 × 1% = 45.00元（四舍五入到分）"`
	RuleID       string   `json:"rule_id"`
	Source       string   `json:"source"`
	Version      string   `json:"version" doc:"所用标准的版本"`
	Rounding     string   `json:"rounding"`
}

// Calculate computes the monthly amount under table t. Field errors name base_fen or
// fixed_fen.
func Calculate(t *RateTable, in CalcInput) (Calc, api.Fields) {
	var f api.Fields
	r, ok := t.Rule(in.Category)
	if !ok {
		f.Add("category", "请选择党费交纳类别")
		return Calc{}, f
	}
	out := Calc{Category: r.Category, CategoryName: r.Name, RuleID: r.RuleID, Source: r.Source, Version: t.Version,
		Rounding: rules.Get("dues.rounding").Text}
	switch r.Kind {
	case KindRate:
		switch {
		case in.BaseFen < 0:
			f.Add("base_fen", "计算基数不能为负数")
			return out, f
		case in.BaseFen > 100_000_000_00:
			f.Add("base_fen", "计算基数超过1亿元，请核对（单位为分）")
			return out, f
		}
		b := r.Brackets[len(r.Brackets)-1]
		for _, x := range r.Brackets {
			if x.UpToFen == 0 || in.BaseFen <= x.UpToFen {
				b = x
				break
			}
		}
		out.BaseFen, out.RateBP, out.MonthlyFen = in.BaseFen, b.RateBP, RoundHalfUp(in.BaseFen, b.RateBP)
		out.Bracket, out.RuleID, out.Source = b.Text, b.RuleID, rules.Get(b.RuleID).Source
		out.Basis = fmt.Sprintf("%s %s元 × %s = %s元（按全额适用本档比例，四舍五入到分）", r.BaseName, Yuan(in.BaseFen), Percent(b.RateBP), Yuan(out.MonthlyFen))
	case KindFixed:
		amount := in.FixedFen
		if r.MinFen == r.MaxFen {
			amount = r.MinFen
		}
		if amount < r.MinFen || amount > r.MaxFen {
			f.Add("fixed_fen", fmt.Sprintf("%s党员每月交纳%s元至%s元，%s元不在此范围内（多交的部分请按自愿多交登记）",
				r.Name, Yuan(r.MinFen), Yuan(r.MaxFen), Yuan(amount)))
			return out, f
		}
		out.MonthlyFen = amount
		out.Bracket = rules.Get(r.RuleID).Text
		out.Basis = fmt.Sprintf("%s：每月 %s元", r.Name, Yuan(amount))
	case KindApproved:
		if r.Category == Exempt {
			out.Bracket = rules.Get(r.RuleID).Text
			out.Basis = "经批准免交：每月 0.00元"
			break
		}
		if in.FixedFen < r.MinFen {
			f.Add("fixed_fen", "请填写经批准的每月交纳数额（大于0；免交请选“经批准免交”）")
			return out, f
		}
		out.MonthlyFen = in.FixedFen
		out.Bracket = rules.Get(r.RuleID).Text
		out.Basis = fmt.Sprintf("经批准少交：每月 %s元", Yuan(in.FixedFen))
	}
	return out, f
}
