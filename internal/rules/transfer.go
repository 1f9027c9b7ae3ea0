package rules

// The rules of 组织关系转接, checked by internal/transfer. The national basis is 第五章 of
// 《中国共产党党员教育管理工作条例》（2019）; the letter is the one of 组通字〔2006〕45号. The
// validity of a 介绍信 is not settled by any text seen (sources say 3 months, some 6 months
// across provinces, some 10 days): both values are defaults that the system administrator may
// change (PUT /api/v1/transfers/settings), and each letter keeps its own 有效期截止日.

const (
	srcLetter    = "中组部组通字〔2006〕45号（党员组织关系介绍信一式三联）"
	srcRelations = "中组发〔2004〕10号《关于进一步加强党员组织关系管理的意见》"
)

var transferRules = []Rule{
	{ID: "transfer.validity", Title: "介绍信有效期（未核实）", Level: Info, Value: 3, Unit: "个月",
		Text:   "党员组织关系介绍信应注明有效期，一般不超过3个月（各来源说法不一：有“一般10天左右、最长不超过3个月”，也有“6个月”）。本系统默认开具之日起3个月，系统管理员可调整，每份介绍信也可单独填写有效期截止日。",
		Source: srcLetter + "；各地办事指南（说法不一，未核实）"},
	{ID: "transfer.validity_cross_province", Title: "跨省转接介绍信有效期（未核实）", Level: Info, Value: 6, Unit: "个月",
		Text:   "跨省（区、市）转接的介绍信有效期一说最长不超过6个月。本系统在转出、转入组织的区划代码属于不同省份（或转出系统外时注明跨省）时默认6个月，系统管理员可调整。",
		Source: "各地办事指南（“最长一般不超过3个月，跨省不超过6个月”，未核实）"},
	{ID: "transfer.responsibility", Title: "转出未被接收的仍负管理责任", Level: Info,
		Text:   "党员组织关系转出后未被接收的，原党组织仍负管理责任：介绍信被接收之前，党员仍在原党支部的名册和统计中。",
		Source: srcEduRules + "第二十五条"},
	{ID: "transfer.destination", Title: "转入党支部", Level: Block,
		Text:   "每个党员都应编入党的一个支部、小组或其他特定组织：组织关系应转入正常存在的党支部（联合党支部、临时党支部），不能转入党委、党总支或已撤销的组织，也不能转入党员现在的党支部。",
		Source: srcEduRules + "第二十五条"},
	{ID: "transfer.member_status", Title: "党籍正常的党员办理转接", Level: Block,
		Text:   "办理组织关系转接的应是党籍正常的党员；停止党籍、已出党、已去世或已转出的，不开具介绍信。",
		Source: "本系统；" + srcRelations},
	{ID: "transfer.one_open", Title: "同一时间只有一份介绍信", Level: Block,
		Text:   "一名党员同一时间只能有一份未办结的组织关系介绍信：原介绍信被接收、退回或撤回后，才能开具新的。",
		Source: "本系统；" + srcLetter},
	{ID: "transfer.no_refusal", Title: "不得无故拒转拒接", Level: Block,
		Text:   "党组织不得无故拒转拒接党员组织关系：退回介绍信须写明原因。",
		Source: srcEduRules + "第二十五条"},
	{ID: "transfer.overdue", Title: "介绍信逾期", Level: Warn,
		Text:   "超过有效期仍未被接收的介绍信为逾期，应查明原因：重新开具或督促接收；党员超过6个月不转组织关系的，按党章第九条处理。",
		Source: srcLetter + "；《中国共产党章程》第九条"},
}

func init() { catalog = append(catalog, transferRules...) }
