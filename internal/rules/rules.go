// Package rules is the catalogue of every rule the platform checks — deadlines, thresholds,
// steps — as data with its source, so a warning can always say "依据：…" and a reviewer can
// check each value against the official text. Where sources disagree (see the notes on each
// rule) the value is a default meant to be configurable.
package rules

import "fmt"

// Level says what happens when a rule is broken.
type Level string

const (
	Block Level = "block" // the write is refused
	Warn  Level = "warn"  // allowed, shown as a warning to the person who must act
	Info  Level = "info"  // a reminder
)

// Rule is one checked rule.
type Rule struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Text   string `json:"text"`
	Level  Level  `json:"level"`
	Value  int    `json:"value"`
	Unit   string `json:"unit"`
	Source string `json:"source"`
}

// Sources cited more than once.
const (
	srcConstitution30 = "《中国共产党章程》第三十条"
	srcBranchRules    = "《中国共产党支部工作条例（试行）》（2018）"
	srcTermOpinion    = "中共中央办公厅《关于党的基层组织任期的意见》（2018）"
	srcElection3      = "《中国共产党基层组织选举工作条例》（2020）第三条"
	srcConstitution7  = "《中国共产党章程》第七条"
	srcIDNumber       = "GB 11643-1999《公民身份号码》"
)

var catalog = []Rule{
	{ID: "org.term.committee", Title: "基层党委任期", Level: Info, Value: 5, Unit: "年",
		Text:   "党的基层委员会每届任期一般为5年。",
		Source: srcTermOpinion + "；" + srcConstitution30 + "（每届任期三年至五年）"},
	{ID: "org.term.branch", Title: "党总支、党支部任期", Level: Info, Value: 3, Unit: "年",
		Text:   "党总支部委员会、党支部委员会每届任期一般为3年。",
		Source: srcTermOpinion + "；" + srcBranchRules},
	{ID: "org.term.village", Title: "村、社区党组织任期", Level: Info, Value: 5, Unit: "年",
		Text:   "村和社区党组织（党委、总支、支部）每届任期5年。",
		Source: srcTermOpinion + "；" + srcBranchRules + "（村、社区党支部委员会每届任期5年）"},
	{ID: "org.term.extension", Title: "延期换届上限", Level: Block, Value: 1, Unit: "年",
		Text:   "任期届满应按期换届；确需延期或提前的须报上级党组织批准，延长或提前期限一般不超过1年。",
		Source: srcElection3 + "；" + srcTermOpinion},
	{ID: "org.term.overdue", Title: "按期换届", Level: Warn, Value: 0, Unit: "天",
		Text:   "党组织任期届满（含经批准的延期）应按期进行换届选举。",
		Source: srcElection3},
	{ID: "org.term.remind", Title: "换届提醒期", Level: Info, Value: 180, Unit: "天",
		Text:   "任期届满前提醒，便于提前向上级请示、做好换届准备（本系统默认值，可按本地要求调整）。",
		Source: "本系统默认"},
	{ID: "org.term.missing", Title: "班子信息", Level: Info, Value: 0, Unit: "",
		Text:   "党组织应录入本届班子（选举日期和成员），系统才能推算换届时间。",
		Source: srcTermOpinion},
	{ID: "org.nesting", Title: "组织隶属关系", Level: Block, Value: 0, Unit: "",
		Text:   "党委、党工委可下设党委、党总支、党支部；党总支下设党支部；党支部下可划分党小组；党小组、党组不再下设党组织。",
		Source: "《中国共产党章程》第五章；" + srcBranchRules + "第十三条（党小组）"},
	{ID: "org.branch.min_full_members", Title: "成立党支部的人数", Level: Warn, Value: 3, Unit: "名正式党员",
		Text:   "有正式党员3人以上的，应当成立党支部；不足3人的，可与邻近单位联合成立党支部。",
		Source: srcConstitution30 + "；" + srcBranchRules + "第四条"},
	{ID: "org.branch.max_members", Title: "党支部规模", Level: Warn, Value: 50, Unit: "名党员",
		Text:   "党支部党员人数一般不超过50人。",
		Source: srcBranchRules + "第四条"},
	{ID: "org.branch.committee_threshold", Title: "设立支部委员会", Level: Warn, Value: 7, Unit: "名正式党员",
		Text:   "正式党员7人以上的党支部，应当设立支部委员会；不足7人的，设1名书记，必要时设1名副书记。",
		Source: srcBranchRules},
	{ID: "org.branch.committee_size", Title: "支部委员会人数", Level: Warn, Value: 7, Unit: "人",
		Text:   "支部委员会由3至5人组成，一般不超过7人。",
		Source: srcBranchRules},
	{ID: "org.joint_branch.max_units", Title: "联合党支部覆盖单位数", Level: Warn, Value: 5, Unit: "个单位",
		Text:   "联合党支部覆盖的单位一般不超过5个。",
		Source: srcBranchRules + "第四条"},
	{ID: "org.general_branch.members", Title: "党总支规模（参考）", Level: Info, Value: 50, Unit: "名党员",
		Text:   "党员50人以上、100人以下的，可设立党的总支部委员会（各来源对边界是否含本数表述不一，仅作提示）。",
		Source: "《中国共产党党和国家机关基层组织工作条例》（2019）；旗帜网党建业务问答"},
	{ID: "org.committee.members", Title: "基层党委规模（参考）", Level: Info, Value: 100, Unit: "名党员",
		Text:   "党员100人以上的，可设立党的基层委员会（各来源对边界是否含本数表述不一，仅作提示）。",
		Source: "《中国共产党党和国家机关基层组织工作条例》（2019）；旗帜网党建业务问答"},
	{ID: "member.id_checksum", Title: "公民身份号码", Level: Block, Value: 18, Unit: "位",
		Text:   "公民身份号码为18位：6位地址码、8位出生日期码、3位顺序码（第17位奇数为男、偶数为女）和1位按 ISO 7064 MOD 11-2 计算的校验码（可为 X）。15位旧号码应换用18位号码。",
		Source: srcIDNumber},
	{ID: "member.age_at_joining", Title: "入党年龄", Level: Block, Value: 18, Unit: "周岁",
		Text:   "年满十八岁的中国工人、农民、军人、知识分子和其他社会阶层的先进分子，可以申请加入中国共产党：加入党组织之日应已年满18周岁。",
		Source: "《中国共产党章程》第一条；《中国共产党发展党员工作细则》（2014）第五条"},
	{ID: "member.full_after_joined", Title: "转正日期不早于入党日期", Level: Block, Value: 0, Unit: "",
		Text:   "预备期从支部大会通过其为预备党员之日算起，转为正式党员的日期不能早于加入党组织的日期。",
		Source: srcConstitution7},
	{ID: "member.probation_one_year", Title: "预备期一年", Level: Block, Value: 1, Unit: "年",
		Text:   "预备党员的预备期为一年，转正日期一般为入党满一年之日；1969年4月至1977年8月间入党的（九大、十大党章未规定预备期），入党即为正式党员，两个日期可以相同。",
		Source: srcConstitution7 + "；《中国共产党章程》（1969年、1973年）"},
	{ID: "member.probation_extension", Title: "延长预备期", Level: Warn, Value: 1, Unit: "年",
		Text:   "预备期满需要继续考察和教育的，可以延长预备期，但不能超过一年：转正日期一般不晚于入党满两年之日。",
		Source: srcConstitution7},
	{ID: "member.dates_not_future", Title: "日期不晚于今天", Level: Block, Value: 0, Unit: "",
		Text:   "出生、入党、转正、参加工作等日期都已发生，不能晚于今天。",
		Source: "本系统"},
}

// All returns the catalogue.
func All() []Rule { return append([]Rule(nil), catalog...) }

// Get returns the rule with id; an unknown id is a programming error.
func Get(id string) Rule {
	if r, ok := Find(id); ok {
		return r
	}
	panic(fmt.Sprintf("rules: unknown rule %q", id))
}

// Find returns the rule with the id, if there is one.
func Find(id string) (Rule, bool) {
	for _, r := range catalog {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}
