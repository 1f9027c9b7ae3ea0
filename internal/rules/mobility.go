package rules

// The rules of 流动党员 and 失联党员, checked by internal/mobility. The thresholds come from
// 《中国共产党党员教育管理工作条例》(2019) 第五章, read in a quotation of the official text (see
// /work/shared/domain/rules.md §4.1, marked [V]); how the 失联日期 is counted and how a member
// found again is handled come from secondary sources only ([S]) and are therefore shown as a
// default the branch can override (an explicit 失联日期; the outcome is chosen, not derived).

const (
	srcEduRules   = "《中国共产党党员教育管理工作条例》（2019）"
	srcEduRules24 = srcEduRules + "第二十四条"
	srcEduRules25 = srcEduRules + "第二十五条"
	srcCard       = "中共中央组织部《关于印发〈中国共产党党员组织关系介绍信〉和〈流动党员活动证〉新式样的通知》（组通字〔2006〕45号）"
)

var mobilityRules = []Rule{
	{ID: "mobility.transfer", Title: "外出6个月以上应转移组织关系", Level: Warn, Value: 6, Unit: "个月",
		Text: "党员工作单位、经常居住地发生变动，或者外出学习、工作、生活6个月以上并且地点相对固定的，应当转移组织关系。" +
			"本系统对登记为“地点相对固定”且外出满6个月仍未返回的流动党员，向所在党支部提示“应转移组织关系”（转接在组织关系转接中办理）。",
		Source: srcEduRules25},
	{ID: "mobility.card", Title: "流动党员活动证", Level: Info, Value: 0, Unit: "",
		Text:   "外出流动党员可持《流动党员活动证》参加流入地党组织的组织生活；登记持证的应填写证件编号。",
		Source: srcCard},
	{ID: "mobility.dates", Title: "外出、返回日期", Level: Block, Value: 0, Unit: "",
		Text:   "外出日期、返回日期是已经发生的日子，不能晚于今天；外出日期不能早于加入党组织日期，返回日期不能早于外出日期。",
		Source: "本系统"},
	{ID: "mobility.host", Title: "流入地党组织", Level: Block, Value: 0, Unit: "",
		Text:   "流入地党组织如在本系统中，须选择一个存在且未撤销的党组织（不能是党员本人所在的党支部）；不在本系统中的，填写其名称。",
		Source: "本系统"},
	{ID: "lost.date", Title: "失去联系日期的起算", Level: Info, Value: 0, Unit: "",
		Text: "失联时间从党员最近一次参加组织生活或者交纳党费之日（取较晚者）起算。本系统默认按组织生活出席（含补课）和党费交纳记录推算，并显示依据；" +
			"此口径见于地方排查工作说明（未见中央文件原文），党支部可填写核实后的日期。失去联系日期不能晚于今天，也不能早于加入党组织日期。",
		Source: "地方失联党员排查工作说明（四川，二手资料）；本系统"},
	{ID: "lost.situation", Title: "失联情形", Level: Block, Value: 7, Unit: "类",
		Text:   "失联情形分为：1 外出务工经商、2 单位改制或破产、3 毕业后去向不明、4 工作单位改变、5 出国(境)、6 居住地改变、7 其他（党内统计失去联系党员情况表）。",
		Source: "党内统计报表“失去联系党员情况”；地方失联党员排查工作说明（二手资料）"},
	{ID: "lost.once", Title: "同一时间只有一次失联", Level: Block, Value: 0, Unit: "",
		Text:   "已标记失联且尚未恢复联系的党员不能再次标记失联；查找记录只能登记在尚未恢复联系的失联党员名下。",
		Source: "本系统"},
	{ID: "lost.suspend", Title: "失联6个月以上查找无果：停止党籍", Level: Warn, Value: 6, Unit: "个月",
		Text: "与党组织失去联系6个月以上、通过各种方式查找仍然没有取得联系的党员，应当停止其党籍，由所在党支部或上级党组织按规定作出。" +
			"本系统在失联满6个月、至少有一次查找记录且仍未恢复联系时，向党支部提出“停止党籍”建议；是否停止由党组织按程序决定。",
		Source: srcEduRules24},
	{ID: "lost.lapse", Title: "停止党籍2年后仍无法联系：按自行脱党除名", Level: Warn, Value: 2, Unit: "年",
		Text:   "停止党籍2年后确实无法取得联系的，按照自行脱党予以除名。本系统在因失联停止党籍满2年仍未恢复联系时，提出“按自行脱党除名”建议。",
		Source: srcEduRules24},
	{ID: "lost.restore", Title: "恢复联系后的处理", Level: Info, Value: 3, Unit: "类",
		Text: "失联党员恢复联系后，党组织根据其失联期间的表现分别处理：重新纳入管理（教育后正常参加组织生活）、限期改正，或按规定处置（如停止党籍、除名）。" +
			"已停止党籍的，恢复党籍须按规定程序办理。",
		Source: "地方失联党员排查处置工作说明（二手资料）；" + srcEduRules24},
	{ID: "lost.screen", Title: "连续6个月不参加组织生活、不交纳党费", Level: Warn, Value: 6, Unit: "个月",
		Text: "党员如果没有正当理由，连续六个月不参加党的组织生活，或不交纳党费，或不做党所分配的工作，就被认为是自行脱党。" +
			"本系统只列出6个月以来既无组织生活出席记录、也无党费交纳记录的党员供党支部核实，不自动标记失联或作任何处理。",
		Source: "《中国共产党章程》第九条"},
}

func init() { catalog = append(catalog, mobilityRules...) }
