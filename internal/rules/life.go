package rules

// The rules of 组织生活 (三会一课, 主题党日, 组织生活会, 民主评议党员, 谈心谈话, 学时), checked by
// internal/life. Frequencies are stored as Value with the period in Unit ("次/季度"); the meeting
// type table in internal/life links each type to its rule here, so every "依据" shown comes from
// this one place. Values marked 本地要求 or 通行做法 are defaults meant to be overridden per
// organisation (internal/life settings), not national rules.

const (
	srcLocalDistrict = "本地要求：区委在全区基层党建工作会议上的讲话（“各基层党（工）委每半年要召开一次以上党委会，专题研究基层党建工作”）"
	srcLocalCounty   = "本地要求：县委在全县基层党建工作重点任务推进会上的讲话（2022-09-23，“乡镇（街道）领导班子每季度要对村干部全覆盖开展一次谈心谈话”）"
	srcConstitution9 = "《中国共产党章程》第九条"
	srcEduPlan       = "《2019—2023年全国党员教育培训工作规划》（出处待核：所见资料未注明文件名，新一轮规划可能调整，可按本地要求修改）"
)

var lifeRules = []Rule{
	{ID: "life.branch_congress", Title: "支部党员大会", Level: Warn, Value: 1, Unit: "次/季度",
		Text:   "党支部党员大会是党支部的议事决策机构，由全体党员参加，一般每季度召开1次。",
		Source: srcBranchRules + "第十一条"},
	{ID: "life.branch_congress.quorum", Title: "支部党员大会到会人数", Level: Block, Value: 50, Unit: "%（超过）",
		Text:   "党员大会进行表决，有表决权的到会人数须超过应到会有表决权人数的半数；赞成人数超过应到会有表决权党员的半数为通过。预备党员没有表决权。",
		Source: srcBranchRules + "第十一条；" + srcConstitution7 + "（预备党员没有表决权）"},
	{ID: "life.branch_committee", Title: "支部委员会会议", Level: Warn, Value: 1, Unit: "次/月",
		Text:   "支部委员会会议一般每月召开1次，根据需要可以随时召开。只适用于设立了支部委员会的党支部（本届班子3人以上）。",
		Source: srcBranchRules + "第十二条"},
	{ID: "life.branch_committee.quorum", Title: "支委会到会人数", Level: Block, Value: 50, Unit: "%（超过）",
		Text:   "支部委员会会议须有半数以上委员到会方可召开（本系统按超过半数核对）。委员以会议当日的班子（组织管理中录入的班子成员）为准。",
		Source: srcBranchRules + "第十二条"},
	{ID: "life.group_meeting", Title: "党小组会", Level: Warn, Value: 1, Unit: "次/月",
		Text:   "党小组会一般每月召开1次。",
		Source: srcBranchRules + "第十三条"},
	{ID: "life.party_lecture", Title: "党课（党支部）", Level: Warn, Value: 1, Unit: "次/季度",
		Text:   "党支部按期组织党员上党课。条例没有规定党支部党课的频次，“每季度至少1次”是各地通行做法；本系统默认每季度1次，可按本地要求调整。",
		Source: "通行做法，条例未规定（" + srcBranchRules + "只要求按期上党课）"},
	{ID: "life.secretary_lecture", Title: "党委（党组）书记讲党课", Level: Warn, Value: 1, Unit: "次/年",
		Text:   "党员领导干部应当定期为基层党员讲党课，党委（党组）书记每年至少讲1次。",
		Source: srcBranchRules},
	{ID: "life.theme_day", Title: "主题党日", Level: Warn, Value: 1, Unit: "次/月",
		Text:   "党支部每月相对固定1天开展主题党日，组织党员集中学习、过组织生活、进行民主议事和志愿服务等。固定日由党支部自定。",
		Source: srcBranchRules},
	{ID: "life.life_meeting", Title: "组织生活会", Level: Warn, Value: 1, Unit: "次/年",
		Text:   "党支部每年至少召开1次组织生活会，一般安排在第四季度，也可以根据工作需要随时召开。",
		Source: srcBranchRules + "第十七条"},
	{ID: "life.member_review", Title: "民主评议党员", Level: Warn, Value: 1, Unit: "次/年",
		Text:   "党支部一般每年开展1次民主评议党员，按个人自评、党员互评、民主测评的程序，提出评定意见。可结合组织生活会进行。",
		Source: srcBranchRules},
	{ID: "life.review.grades", Title: "民主评议等次", Level: Block, Value: 4, Unit: "档",
		Text:   "评定等次各地做法不一：四档（优秀、合格、基本合格、不合格）或三档（优秀、合格、不合格）。本系统默认四档，可按本地要求改为三档。",
		Source: "条例未规定等次；各地民主评议党员实施办法（四档、三档两种做法并存）"},
	{ID: "life.review.disposal", Title: "不合格党员的处置", Level: Block, Value: 0, Unit: "",
		Text:   "评定为不合格的党员，应当记录组织处置：限期改正、劝退、劝而不退除名、自行脱党除名、除名，预备党员可取消预备党员资格。党籍变动另在党员管理中办理。",
		Source: srcConstitution9 + "（限期改正、劝退、除名）；" + srcConstitution7 + "（取消预备党员资格）；党内统计“民主评议党员情况”表的组织处置分类"},
	{ID: "life.committee_party_building", Title: "党委会专题研究党建", Level: Warn, Value: 1, Unit: "次/半年",
		Text:   "基层党（工）委每半年至少召开1次党委会，专题研究基层党建工作。",
		Source: srcLocalDistrict},
	{ID: "life.first_topic", Title: "第一议题", Level: Info, Value: 0, Unit: "",
		Text:   "党委（党组）会议以学习习近平总书记最新重要讲话和重要指示批示精神为第一议题。本系统在党委（党组）会议未填写第一议题时提示，不阻止保存。",
		Source: "“第一议题”制度（各级党委（党组）普遍执行；具体文件以本地通知为准）"},
	{ID: "life.election.quorum", Title: "选举大会到会人数", Level: Block, Value: 80, Unit: "%（超过）",
		Text:   "进行选举时，有选举权的到会人数超过应到会人数的五分之四，会议有效。预备党员没有选举权。",
		Source: "《中国共产党基层组织选举工作条例》（2020）；" + srcConstitution7},
	{ID: "life.talk.branch", Title: "谈心谈话（党支部）", Level: Warn, Value: 1, Unit: "次/年",
		Text:   "支部委员之间、支部委员和党员之间、党员和党员之间，每年谈心谈话一般不少于1次。本系统按每名党员一年内至少参加1次谈心谈话统计覆盖情况。",
		Source: srcBranchRules},
	{ID: "life.talk.village", Title: "乡镇班子与村干部谈心谈话", Level: Warn, Value: 1, Unit: "次/季度",
		Text:   "乡镇（街道）领导班子每季度对村干部全覆盖开展1次谈心谈话。村干部以村党组织本届班子成员为准。",
		Source: srcLocalCounty},
	{ID: "life.lapse", Title: "连续6个月不参加组织生活", Level: Warn, Value: 6, Unit: "个月",
		Text:   "党员如果没有正当理由，连续六个月不参加党的组织生活，或不交纳党费，或不做党所分配的工作，就被认为是自行脱党。系统只提示连续6个月没有出席或补课记录的党员，请党支部核实有无正当理由（如请假、流动在外参加流入地组织生活），不作结论。",
		Source: srcConstitution9},
	{ID: "life.silent", Title: "党支部近6个月未开展组织生活", Level: Warn, Value: 6, Unit: "个月",
		Text:   "党支部连续6个月没有召开党员大会、党小组会、党课、主题党日等组织生活的记录。这是党支部的问题，不计为党员个人不参加组织生活。",
		Source: srcBranchRules + "（三会一课）"},
	{ID: "life.study_hours.member", Title: "党员集中学习学时", Level: Info, Value: 32, Unit: "学时/年",
		Text:   "党员每年集中学习培训时间一般不少于32学时。本系统按出席或补课的会议记录学时累计。",
		Source: srcEduPlan},
	{ID: "life.study_hours.leader", Title: "书记和班子成员学时", Level: Info, Value: 56, Unit: "学时/年",
		Text:   "基层党组织书记和班子成员每年集中学习培训一般不少于56学时。",
		Source: srcEduPlan},
	{ID: "life.meeting.date", Title: "会议日期", Level: Block, Value: 0, Unit: "",
		Text:   "会议记录的日期不能晚于今天，也不能早于组织成立日期、晚于撤销日期；同一组织同一天同一类会议只记一条。",
		Source: "本系统"},
	{ID: "life.meeting.roster", Title: "参会人员", Level: Block, Value: 0, Unit: "",
		Text:   "出勤记录中的党员须在会议当日本组织的党员名册中（已入党、党籍正常）；流动党员可在流入地参加组织生活，另行标注。",
		Source: "本系统"},
	{ID: "life.meeting.votes", Title: "表决票数", Level: Block, Value: 0, Unit: "",
		Text:   "表决只记票数，不记谁投了什么票：到会有表决权人数不能超过出勤记录中的到会人数，赞成、反对、弃权之和不能超过到会有表决权人数。",
		Source: "本系统；" + srcBranchRules + "第十一条"},
}

func init() { catalog = append(catalog, lifeRules...) }
