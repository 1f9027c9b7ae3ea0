package dues

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/dangjian/dangjian/internal/api"
)

// WageItem is one fixed, regular wage item of a month (职务工资、级别工资、岗位工资…).
type WageItem struct {
	Name string `json:"name"`
	Fen  int64  `json:"fen"`
}

// BaseItems are a member's wage items and deductions, when the collector enters the pay slip
// rather than the base itself; the base follows from the organisation's Formula.
type BaseItems struct {
	Wages              []WageItem `json:"wages" doc:"相对固定的、经常性的工资项目"`
	IncomeTaxFen       int64      `json:"income_tax_fen" doc:"个人所得税"`
	SocialInsuranceFen int64      `json:"social_insurance_fen" doc:"社会保险个人缴费（养老、医疗、失业）"`
	HousingFundFen     int64      `json:"housing_fund_fen" doc:"住房公积金个人缴存"`
}

// Formula is an organisation's "税后" formula: which deductions come off the wage items.
type Formula struct {
	DeductIncomeTax       bool `json:"deduct_income_tax"`
	DeductSocialInsurance bool `json:"deduct_social_insurance"`
	DeductHousingFund     bool `json:"deduct_housing_fund"`
}

// DefaultFormula is the formula where no organisation set one: 工资项目合计 − 个人所得税.
var DefaultFormula = Formula{DeductIncomeTax: true}

// Text describes the formula: 工资项目合计 − 个人所得税.
func (f Formula) Text() string {
	s := "工资项目合计"
	if f.DeductIncomeTax {
		s += " − 个人所得税"
	}
	if f.DeductSocialInsurance {
		s += " − 社会保险个人缴费"
	}
	if f.DeductHousingFund {
		s += " − 住房公积金个人缴存"
	}
	return s
}

// Base computes the base from items: the sum of the wage items less the deductions the
// formula takes, with the computation spelled out. Field errors name items.wages[i] etc.
func (f Formula) Base(items BaseItems) (int64, string, api.Fields) {
	var errs api.Fields
	if len(items.Wages) == 0 {
		errs.Add("items.wages", "请至少填写一项工资项目")
	}
	if len(items.Wages) > 30 {
		errs.Add("items.wages", "工资项目最多30项")
	}
	var sum int64
	parts := []string{}
	for i, w := range items.Wages {
		name := strings.TrimSpace(w.Name)
		if n := utf8.RuneCountInString(name); n == 0 || n > 30 {
			errs.Add(fmt.Sprintf("items.wages[%d].name", i), "请填写工资项目名称（最长30字）")
		}
		if w.Fen < 0 || w.Fen > 100_000_000_00 {
			errs.Add(fmt.Sprintf("items.wages[%d].fen", i), "金额应为0到1亿元之间（单位为分）")
		}
		sum += w.Fen
		parts = append(parts, fmt.Sprintf("%s %s", name, Yuan(w.Fen)))
	}
	text := fmt.Sprintf("工资项目合计 %s元（%s）", Yuan(sum), strings.Join(parts, " + "))
	base := sum
	deduct := func(on bool, fen int64, field, name string) {
		if fen < 0 {
			errs.Add("items."+field, name+"不能为负数")
			return
		}
		if !on || fen == 0 {
			return
		}
		base -= fen
		text += fmt.Sprintf(" − %s %s元", name, Yuan(fen))
	}
	deduct(f.DeductIncomeTax, items.IncomeTaxFen, "income_tax_fen", "个人所得税")
	deduct(f.DeductSocialInsurance, items.SocialInsuranceFen, "social_insurance_fen", "社会保险个人缴费")
	deduct(f.DeductHousingFund, items.HousingFundFen, "housing_fund_fen", "住房公积金个人缴存")
	if base < 0 && len(errs) == 0 {
		errs.Add("items", "扣除后的计算基数为负数，请核对工资项目和扣除数")
	}
	text += fmt.Sprintf(" = %s元", Yuan(base))
	return base, text, errs
}
