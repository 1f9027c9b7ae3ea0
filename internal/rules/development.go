package rules

// The rules of 发展党员, checked by internal/development when a step of a case is recorded.
// National rules come from the 2014 《中国共产党发展党员工作细则》 (中办发〔2014〕33号); the
// step list is the national flowchart (5 stages, 25 steps). Where an article number was seen
// only in a secondary source the Source says so. Level is the default: every organisation may
// set a rule to warn or block for its subtree (internal/development settings). Values marked
// 本地要求 are off (0) by default and switched on per organisation.
//
// A revised 细则 dated 2026-05-18 is reported by several sources but its official text was not
// retrieved (see /work/shared/domain/rules.md): nothing here relies on it.

const (
	srcDev2014       = "《中国共产党发展党员工作细则》（2014，中办发〔2014〕33号）"
	srcDevFlow       = "全国“发展党员工作流程图”（5个阶段25个步骤）"
	srcConstitution1 = "《中国共产党章程》第一条"
)

var developmentRules = []Rule{
	{ID: "dev.order", Title: "发展党员步骤顺序", Level: Block,
		Text:   "发展党员须按申请入党、确定和培养积极分子、确定和考察发展对象、接收预备党员、预备党员教育考察和转正的顺序逐步进行，前一步骤完成后才能进行下一步骤。",
		Source: srcDevFlow + "；" + srcDev2014 + "第四条（坚持“控制总量、优化结构、提高质量、发挥作用”，按照程序发展党员）"},
	{ID: "dev.date.future", Title: "步骤日期不晚于今天", Level: Block,
		Text:   "登记的是已经完成的步骤，日期不能晚于今天。",
		Source: "本系统"},
	{ID: "dev.date.sequence", Title: "步骤日期不早于上一步骤", Level: Block,
		Text:   "后一步骤的日期不能早于前一步骤的日期。",
		Source: "本系统；" + srcDevFlow},
	{ID: "dev.age", Title: "申请入党年龄", Level: Block, Value: 18, Unit: "周岁",
		Text:   "年满十八岁的中国工人、农民、军人、知识分子和其他社会阶层的先进分子，可以申请加入中国共产党：递交入党申请书时应已年满18周岁。",
		Source: srcConstitution1 + "；" + srcDev2014 + "第五条"},
	{ID: "dev.talk", Title: "收到入党申请书后谈话", Level: Warn, Value: 1, Unit: "个月",
		Text:   "党组织收到入党申请书后，应当在一个月内派人同入党申请人谈话，了解基本情况。",
		Source: srcDev2014 + "第七条"},
	{ID: "dev.activist_wait", Title: "递交申请书至确定积极分子（本地要求）", Level: Warn, Value: 0, Unit: "个月",
		Text:   "一些地方要求递交入党申请书满一定时间（常见为6个月）后才能列为入党积极分子。全国细则没有这一时限，本系统默认不作要求（0），由组织按本地要求设置。",
		Source: "本地要求（各地发展党员工作实施细则常见做法，如“递交申请书满6个月”）；全国细则未规定"},
	{ID: "dev.contacts", Title: "培养联系人", Level: Block, Value: 2, Unit: "名正式党员",
		Text:   "党组织应当指定一至两名正式党员作入党积极分子的培养联系人。",
		Source: srcDev2014 + "第九条（条号未能对照官方全文核实；“指定一至两名正式党员作培养联系人”见多个地方发展党员制度引述）"},
	{ID: "dev.review_half_year", Title: "每半年考察一次", Level: Warn, Value: 6, Unit: "个月",
		Text:   "党支部每半年对入党积极分子进行一次考察：从确定为积极分子到确定为发展对象，相邻两次考察（或确定积极分子、确定发展对象）之间不应超过6个月。",
		Source: srcDev2014 + "第十一条"},
	{ID: "dev.candidate_one_year", Title: "培养考察一年以上", Level: Block, Value: 1, Unit: "年",
		Text:   "对经过一年以上培养教育和考察、基本具备党员条件的入党积极分子，在听取党小组、培养联系人、党员和群众意见的基础上，支部委员会讨论同意并报上级党委备案后，可列为发展对象。",
		Source: srcDev2014 + "第十三条"},
	{ID: "dev.publicity", Title: "公示", Level: Warn, Value: 5, Unit: "个工作日",
		Text:   "确定发展对象、预备党员转正前应当公示，公示期不少于5个工作日（按法定节假日和调休安排计算工作日）。2014年细则正文中未见公示条款，此为各地通行要求，天数可按本地要求设置。",
		Source: "各地发展党员工作规定通行要求（公示不少于5个工作日）；2014年细则未见公示条款"},
	{ID: "dev.introducers", Title: "入党介绍人", Level: Block, Value: 2, Unit: "名正式党员",
		Text:   "发展对象应当有两名正式党员作入党介绍人，一般由培养联系人担任，也可由党组织指定。预备党员不能作入党介绍人；受留党察看处分、尚未恢复党员权利的党员，不能作入党介绍人。",
		Source: srcDev2014 + "第十四条（条文经开源系统 HPartySystem 引述，条号待核）；" + srcConstitution7 + "（预备党员的权利）"},
	{ID: "dev.training", Title: "发展对象集中培训", Level: Block, Value: 3, Unit: "天或24学时",
		Text:   "发展对象在接收为预备党员前须参加集中培训，时间一般不少于三天（或不少于24个学时）；未经培训的，除个别特殊情况外，不能发展为党员。",
		Source: srcDev2014 + "第十七条"},
	{ID: "dev.pre_review_to_congress", Title: "预审后提交支部大会（本地要求）", Level: Warn, Value: 0, Unit: "天",
		Text:   "一些地方要求预审合格后一个月内提交支部大会讨论（据称2026年修订的细则第十九条也有此要求，未核实）。2014年细则没有这一时限，本系统默认不作要求（0），由组织按本地要求设置天数。",
		Source: "本地要求（如“预审合格后一个月内召开支部大会”）；2026年修订细则第十九条（未核实）"},
	{ID: "dev.congress.quorum", Title: "支部大会到会人数", Level: Block, Value: 50, Unit: "%（超过）",
		Text:   "支部大会讨论接收预备党员（或预备党员转正）时，有表决权的到会人数必须超过应到会有表决权人数的半数。预备党员没有表决权。",
		Source: srcDev2014 + "第二十条；" + srcConstitution7},
	{ID: "dev.congress.pass", Title: "支部大会表决通过", Level: Block, Value: 50, Unit: "%（超过）",
		Text:   "支部大会以无记名投票方式表决，赞成人数超过应到会有表决权的正式党员的半数，才能通过接收预备党员（或转正）的决议。因故不能到会的有表决权的党员在会前正式向党支部提出书面意见的，应当统计在票数内。",
		Source: srcDev2014 + "第二十一条；第三十三条（转正程序同接收预备党员）"},
	{ID: "dev.vote.counts", Title: "表决票数", Level: Block,
		Text:   "应到会有表决权人数不能多于党员名册中本支部当日的正式党员人数；到会有表决权人数不能多于应到会人数；赞成、反对、弃权之和不能多于到会有表决权人数（含会前书面意见）。",
		Source: "本系统；" + srcDev2014 + "第二十条、第二十一条"},
	{ID: "dev.approval.time", Title: "上级党委审批时限", Level: Block, Value: 3, Unit: "个月",
		Text:   "上级党委应当在支部大会通过后三个月内审批（转正同）；遇有党组织整顿等特殊情况可以适当延长审批时间，但不得超过六个月：超过三个月须说明原因。",
		Source: srcDev2014 + "（审批时限；条号一说为第二十五条，未能对照官方全文核实）"},
	{ID: "dev.approver", Title: "审批权限", Level: Block,
		Text: "预备党员的接收和转正须由具有审批权限的基层党委审批：党总支、临时党组织不能审批预备党员；乡镇（街道）党委所属的村、社区党委也不能审批（可以审议）。" +
			"本系统把党委和党工委（街道党工委、机关工委）视为可以审批；某个党工委未经授权的，审批时在“审批组织”中选择其上级党委。",
		Source: srcDev2014 + "第二十三条（条号未能对照官方全文核实；内容见共产党员网问答“党总支能不能审批预备党员”fuwu.12371.cn/2017/07/24/ARTI1500860283547773.shtml、“村、社区党委能审批预备党员吗”）"},
	{ID: "dev.probation", Title: "预备期一年", Level: Block, Value: 1, Unit: "年",
		Text:   "预备党员的预备期为一年，从支部大会通过其为预备党员之日算起（不是从入党宣誓之日）。预备期满，党支部应当及时讨论其能否转为正式党员；预备期未满不能讨论转正。",
		Source: srcDev2014 + "第三十二条；" + srcConstitution7},
	{ID: "dev.membership_from", Title: "取得党籍之日", Level: Block,
		Text:   "预备党员自支部大会通过之日起取得党籍：上级党委批准接收后，党员名册中的加入党组织日期为支部大会通过之日；按期转正的，转为正式党员日期为预备期满之日。",
		Source: "《中国共产党党员教育管理工作条例》第二十四条；" + srcConstitution7 + "（党龄从预备期满转为正式党员之日算起）"},
	{ID: "dev.extension", Title: "延长预备期", Level: Block, Value: 12, Unit: "个月",
		Text:   "预备期满需要继续考察和教育的，可以延长一次预备期，延长时间不能少于半年，最长不超过一年；延长须经支部大会通过和上级党委批准。",
		Source: srcDev2014 + "第三十二条；" + srcConstitution7},
	{ID: "dev.pre_review.departure", Title: "即将离开单位的发展对象", Level: Warn, Value: 3, Unit: "个月",
		Text:   "发展对象未来3个月内将离开工作、学习单位的，一般不办理接收预备党员的手续。",
		Source: srcDev2014 + "第十九条"},
}

func init() { catalog = append(catalog, developmentRules...) }
