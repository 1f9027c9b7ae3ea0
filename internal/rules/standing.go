package rules

// The rules of 党籍管理 (停止党籍, 恢复党籍, 重新入党, 出党 of each kind, 死亡), checked by
// internal/standing when a procedure is recorded. The texts of 《中国共产党党员教育管理工作条例》
// (2019) 第二十四条 and of 《中国共产党章程》（2022）第九条、第四十一条、第四十二条 were checked
// against public copies (see /work/shared/domain/rules.md §4.1); 第七条 on 取消预备党员资格 is
// quoted from the 党章 as commonly printed and was not looked up again for this module.

const (
	srcEduMgmt24      = "《中国共产党党员教育管理工作条例》（2019）第二十四条"
	srcConstitution   = "《中国共产党章程》（2022）"
	srcDiscipline     = srcConstitution + "第四十一条、第四十二条"
	srcConstitution9s = srcConstitution + "第九条"
)

var standingRules = []Rule{
	{ID: "standing.abroad", Title: "出国（境）党员", Level: Block,
		Text: "党员出国（境）的，登记出国（境）日期、去向和事由，回国（境）后登记回国（境）。出国（境）期间党籍不变，仍计入党员总数（党内统计另有《出国（境）党员情况》）；" +
			"因私出国并在国外长期定居的，出国学习研究超过5年仍未返回的，一般停止党籍（办理“停止党籍”，情形选“出国”）。同一时间只有一次未回国（境）的出国（境）登记。",
		Source: srcEduMgmt24 + "；党内统计《出国（境）党员情况》"},
	{ID: "standing.date", Title: "党籍变动日期", Level: Block,
		Text:   "党籍变动的日期是批准（或死亡）之日，已经发生，不能晚于今天，也不能早于加入党组织之日（重新入党不能早于出党之日）。",
		Source: "本系统"},
	{ID: "standing.suspend.lost", Title: "失联党员停止党籍", Level: Block, Value: 6, Unit: "个月",
		Text:   "对与党组织失去联系6个月以上、通过各种方式查找仍然没有取得联系的党员，予以停止党籍。停止党籍的决定由所在党支部或者上级党组织按照有关规定作出。",
		Source: srcEduMgmt24},
	{ID: "standing.suspend.abroad", Title: "出国定居、出国学习研究党员停止党籍", Level: Warn, Value: 5, Unit: "年",
		Text:   "对因私出国并在国外长期定居的党员，出国学习研究超过5年仍未返回的党员，一般予以停止党籍。停止党籍的决定由保留其组织关系的党组织按照有关规定作出。",
		Source: srcEduMgmt24},
	{ID: "standing.lapse.after_suspension", Title: "停止党籍2年后除名", Level: Block, Value: 2, Unit: "年",
		Text:   "停止党籍2年后确实无法取得联系的，按照自行脱党予以除名：停止党籍不满2年的不能按自行脱党除名。是否阻止可以设置（warn 仅提示、block 阻止）。",
		Source: srcEduMgmt24},
	{ID: "standing.restore", Title: "恢复党籍", Level: Block,
		Text:   "对停止党籍的党员，符合条件的，可以按照规定程序恢复党籍。对劝其退党、劝而不退除名、自行脱党除名、退党除名、开除党籍的，原则上不能恢复党籍，符合条件的可以重新入党。",
		Source: srcEduMgmt24},
	{ID: "standing.rejoin", Title: "重新入党", Level: Block,
		Text:   "出党的（劝退、除名、开除党籍等）原则上不能恢复党籍，符合条件的可以重新入党：按发展党员的程序重新接收为预备党员，以支部大会通过之日为新的加入党组织日期，重新经过一年预备期。",
		Source: srcEduMgmt24 + "；" + srcConstitution7 + "（预备期一年）"},
	{ID: "standing.withdraw", Title: "退党除名", Level: Block,
		Text:   "党员有退党的自由。党员要求退党，应当经支部大会讨论后宣布除名，并报上级党组织备案。",
		Source: srcConstitution9s},
	{ID: "standing.persuade", Title: "劝退、劝而不退除名", Level: Block,
		Text:   "党员缺乏革命意志，不履行党员义务，不符合党员条件，党的支部应当对他进行教育，要求他限期改正；经教育仍无转变的，应当劝他退党。劝党员退党，应当经支部大会讨论决定，并报上级党组织批准。如被劝告退党的党员坚持不退，应当提交支部大会讨论，决定把他除名，并报上级党组织批准。",
		Source: srcConstitution9s},
	{ID: "standing.lapse", Title: "自行脱党除名", Level: Block, Value: 6, Unit: "个月",
		Text:   "党员如果没有正当理由，连续六个月不参加党的组织生活，或不交纳党费，或不做党所分配的工作，就被认为是自行脱党。支部大会应当决定把这样的党员除名，并报上级党组织批准。",
		Source: srcConstitution9s},
	{ID: "standing.expel", Title: "开除党籍", Level: Block,
		Text:   "开除党籍是党内的最高处分。对党员的纪律处分，必须经过支部大会讨论决定，报党的基层委员会批准；给党员以开除党籍的处分，应分别不同情况，报县级或县级以上党的纪律检查委员会审查批准。",
		Source: srcDiscipline},
	{ID: "standing.cancel_probation", Title: "取消预备党员资格", Level: Block,
		Text:   "预备党员不履行党员义务，不具备党员条件的，应当取消预备党员资格（须经支部大会讨论、上级党组织批准）。只适用于预备党员：正式党员出党按其他方式办理。",
		Source: srcConstitution7 + "（条文未在本模块重新核对）；《中国共产党发展党员工作细则》（2014）第三十二条（条号未核实）"},
	{ID: "standing.death", Title: "党员去世", Level: Block,
		Text:   "党员去世的，党籍状态记为“已去世”，自去世之日起不再计入党员总数（党员数量变化表的“死亡”栏）。正常党籍和停止党籍的党员都可以登记去世。",
		Source: "党内统计 表一《党员数量变化情况》（本年减少：死亡）"},
	{ID: "standing.approval", Title: "批准机关和文件", Level: Block,
		Text:   "停止党籍、恢复党籍、重新入党和各类出党须写明批准（或作出决定）的党组织和文件名称、文号，以便核查和年报统计。",
		Source: srcEduMgmt24 + "；" + srcConstitution9s + "；" + srcDiscipline},
	{ID: "standing.balance", Title: "党员数量变化平衡", Level: Warn,
		Text:   "上年底总数 + 本年增加（发展党员、重新入党、恢复党籍、转入组织关系含整建制转入）− 本年减少（出党、停止党籍、死亡、转出组织关系含整建制转出）= 本年底应有数；应有数与实有数的差额应为0。",
		Source: "党内统计 表一《党员数量变化情况》"},
}

func init() { catalog = append(catalog, standingRules...) }
