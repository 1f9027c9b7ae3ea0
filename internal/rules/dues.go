package rules

// The rules of 党费 (party dues), from the 中组部 regulation of 2008. The rates and brackets
// here are the catalogue's copy of the rate table in internal/dues (version "2008"); a test
// there checks that both agree. Rates are in basis points (‱, 1/10000): 50 = 0.5%.

const (
	srcDues   = "中共中央组织部《关于中国共产党党费收缴、使用和管理的规定》（中组发〔2008〕3号，2008年2月4日）"
	srcDues12 = srcDues + "第十二条"
)

func init() {
	catalog = append(catalog, duesRules...)
}

var duesRules = []Rule{
	{ID: "dues.effective", Title: "党费标准施行日期", Level: Info, Value: 2008, Unit: "年4月1日起",
		Text:   "现行党费交纳标准自2008年4月1日起施行；本系统的比例表按施行月份分版本（“2008”版自2008-04起），以后修订时新增一版，不改动以往月份的应交数。",
		Source: srcDues},
	{ID: "dues.salaried.base", Title: "按月领取工资的计算基数", Level: Info, Value: 0, Unit: "",
		Text: "按月领取工资的党员，每月以工资总额中相对固定的、经常性的工资收入（税后）为计算基数，按规定比例交纳党费。" +
			"“税后”的算法各地规定不一（如南通：工资项目合计减个人所得税）；本系统按党组织设置的公式计算：工资项目合计，减个人所得税，" +
			"社会保险个人缴费和住房公积金个人缴存是否扣除由各地设置（默认不扣除）。",
		Source: srcDues + "第一条"},
	{ID: "dues.salaried.one_rate", Title: "按全额适用一个比例", Level: Info, Value: 0, Unit: "",
		Text:   "按工资收入所在的档次，用该档比例乘以全部计算基数（不是分段累进计算）。",
		Source: srcDues + "第二条"},
	{ID: "dues.salaried.3000", Title: "月工资收入3000元以下（含）", Level: Info, Value: 50, Unit: "‱",
		Text: "每月工资收入（税后）在3000元以下（含3000元）者，交纳月工资收入的0.5%。", Source: srcDues + "第二条"},
	{ID: "dues.salaried.5000", Title: "月工资收入3000元以上至5000元（含）", Level: Info, Value: 100, Unit: "‱",
		Text: "3000元以上至5000元（含5000元）者，交纳1%。", Source: srcDues + "第二条"},
	{ID: "dues.salaried.10000", Title: "月工资收入5000元以上至10000元（含）", Level: Info, Value: 150, Unit: "‱",
		Text: "5000元以上至10000元（含10000元）者，交纳1.5%。", Source: srcDues + "第二条"},
	{ID: "dues.salaried.over", Title: "月工资收入10000元以上", Level: Info, Value: 200, Unit: "‱",
		Text: "10000元以上者，交纳2%。", Source: srcDues + "第二条"},
	{ID: "dues.annual_salary", Title: "实行年薪制的党员", Level: Info, Value: 0, Unit: "",
		Text:   "实行年薪制人员，每月以当月实际领取的薪酬收入为计算基数，按第二条的比例交纳党费。",
		Source: srcDues + "第三条"},
	{ID: "dues.self_employed", Title: "不按月取得收入的党员", Level: Info, Value: 0, Unit: "",
		Text:   "农民党员以外的不按月取得收入的党员（个体经营者等），每月以上一季度月平均纯收入为计算基数，按第二条的比例交纳党费。",
		Source: srcDues + "第四条"},
	{ID: "dues.retired.5000", Title: "离退休党员：5000元以下（含）", Level: Info, Value: 50, Unit: "‱",
		Text: "离退休干部、职工党员，每月以实际领取的离退休费总额或养老金总额为计算基数，5000元以下（含5000元）的交纳0.5%。", Source: srcDues + "第五条"},
	{ID: "dues.retired.over", Title: "离退休党员：5000元以上", Level: Info, Value: 100, Unit: "‱",
		Text: "离退休费总额或养老金总额5000元以上的交纳1%。", Source: srcDues + "第五条"},
	{ID: "dues.farmer.min", Title: "农民党员每月最少", Level: Block, Value: 20, Unit: "分",
		Text: "农民党员每月交纳党费0.2元至1元（由党支部在此幅度内确定每人的数额）。", Source: srcDues + "第六条"},
	{ID: "dues.farmer.max", Title: "农民党员每月最多", Level: Block, Value: 100, Unit: "分",
		Text: "农民党员每月交纳党费0.2元至1元；超出1元的部分按自愿多交登记。", Source: srcDues + "第六条"},
	{ID: "dues.student", Title: "学生、下岗失业、依靠抚恤或救济生活、领取最低生活保障金的党员", Level: Info, Value: 20, Unit: "分",
		Text: "学生党员、下岗失业的党员、依靠抚恤或救济生活的党员、领取当地最低生活保障金的党员，每月交纳党费0.2元。", Source: srcDues + "第六条"},
	{ID: "dues.reduced", Title: "少交或免交须经批准", Level: Block, Value: 0, Unit: "",
		Text:   "生活确有困难的党员，经党支部研究，报上一级党委批准后，可以少交或免交党费：须登记批准的党委和批准文件（文号）。",
		Source: srcDues + "第七条"},
	{ID: "dues.probationary", Title: "预备党员交纳党费的起始", Level: Block, Value: 0, Unit: "",
		Text:   "预备党员从支部大会通过其为预备党员之日起交纳党费：入党（支部大会通过）当月起应交，此前的月份不能登记交纳。",
		Source: srcDues + "第八条"},
	{ID: "dues.base_change", Title: "工资变化后按新基数交纳", Level: Info, Value: 0, Unit: "",
		Text:   "党员工资收入发生变化后，从按新工资标准领取工资的当月起，按新的工资收入计算交纳党费：新标准从某月起生效，以前的月份不变；已交纳或已结账的月份不能改变应交数。",
		Source: srcDues + "第十条"},
	{ID: "dues.voluntary_centre", Title: "自愿多交：一次1000元以上上缴中央", Level: Warn, Value: 1000, Unit: "元",
		Text:   "党员自愿多交党费不限。自愿一次多交1000元以上的党费，全部上缴中央（本系统对一次多交达到1000元的登记标出“上缴中央”）。",
		Source: srcDues + "第十一条"},
	{ID: "dues.monthly", Title: "按月交纳，经同意可按季度", Level: Block, Value: 1, Unit: "个月",
		Text:   "党员应当增强党员意识，主动按月交纳党费；遇到特殊情况，经党支部同意，可以按季度交纳，也可以委托他人代为交纳（本系统：预交本季度以后的月份须党组织设置“允许按季度交纳”）。",
		Source: srcDues12},
	{ID: "dues.back_pay_limit", Title: "补交期限", Level: Block, Value: 6, Unit: "个月",
		Text:   "补交党费的时间一般不超过6个月：补交6个月以前的月份须写明批准情况（期限可由党组织设置，默认6个月）。",
		Source: srcDues12},
	{ID: "dues.six_months", Title: "连续6个月不交纳党费", Level: Warn, Value: 6, Unit: "个月",
		Text: "党员如果没有正当理由，连续六个月不交纳党费，就被认为是自行脱党，支部大会应当决定把这样的党员除名，并报上级党组织批准。" +
			"本系统只作提醒：是否有正当理由、如何处理，由党支部核实后按程序办理。",
		Source: "《中国共产党章程》第九条；" + srcDues + "第十三条"},
	{ID: "dues.arrears.remind", Title: "欠缴提醒", Level: Info, Value: 3, Unit: "个月",
		Text:   "党员连续3个月、5个月未交纳党费时，提醒党费收缴员和党支部书记及时了解情况、督促交纳（本系统默认，只提醒本支部经办人，不向上级排名通报）。",
		Source: "本系统默认"},
	{ID: "dues.no_advance", Title: "不得垫交、扣缴", Level: Info, Value: 0, Unit: "",
		Text:   "党组织不得以任何理由为党员垫交党费，也不得从党员工资中扣缴党费：每笔交纳都应由党员本人或受其委托的人交纳。",
		Source: srcDues + "第十四条"},
	{ID: "dues.remit_centre", Title: "每年按实交总数5%上缴中央", Level: Info, Value: 5, Unit: "%",
		Text:   "各省、自治区、直辖市党委组织部等每年按党员实际交纳党费总数的5%上缴中央，于次年4月底前上缴（本系统按全年实交总额计算，四舍五入到分）。",
		Source: srcDues + "第十五条"},
	{ID: "dues.publish", Title: "每年公布党费收缴使用情况", Level: Info, Value: 1, Unit: "次/年",
		Text:   "党支部每年至少向党员公布一次党费收缴情况；使用党费的党组织同时公布使用情况。",
		Source: srcDues},
	{ID: "dues.rounding", Title: "计算到分，四舍五入", Level: Info, Value: 0, Unit: "",
		Text:   "每月应交党费 = 计算基数 × 比例，计算到分，分以下四舍五入（如 3000.01元 × 1% = 30.0001元，记 30.00元；2999.99元 × 0.5% = 14.99995元，记 15.00元）。",
		Source: "本系统（金额以分为单位整数计算）"},
}
