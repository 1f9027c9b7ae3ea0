// Package development is the core of 发展党员 (developing new members): one case per applicant,
// the steps of the 25-step national flow recorded against a versioned rule set, every time,
// vote and eligibility rule checked when a step is entered (blocking or warning, per
// organisation), the phase derived from the steps, what is due next, by when and by whom, and
// each organisation's 待办. Cases are scoped through their 党支部's path (JOIN orgs) with
// access.Filter, failing closed.
package development

import (
	"slices"

	"github.com/dangjian/dangjian/internal/rules"
)

// Actor levels: who must act on a step.
const (
	ActorSelf   = "self"   // 本人
	ActorBranch = "branch" // 党支部（支委会、支部大会、培养联系人）
	ActorUpper  = "upper"  // 上级党委（具有审批权限的基层党委）
)

// Stage is one of the five stages.
type Stage struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Step is one of the 25 steps.
type Step struct {
	Code       string   `json:"code"`
	Seq        int      `json:"seq"`
	Stage      string   `json:"stage"`
	Name       string   `json:"name"`
	Actor      string   `json:"actor" doc:"谁来办"`
	ActorLevel string   `json:"actor_level" doc:"self 本人、branch 党支部、upper 上级党委"`
	Documents  []string `json:"documents" doc:"通常形成的材料（只作提示，上传不是必需的）"`
	Rules      []string `json:"rules" doc:"录入本步骤时检查的规则"`
	Repeatable bool     `json:"repeatable" doc:"可多次登记（如每半年一次的考察）"`
	Note       string   `json:"note"`
}

// Check is a rule of the set with the article it rests on in this version of the text.
type Check struct {
	rules.Rule
	Article string `json:"article" doc:"条款；未核实的注明"`
}

// RuleSet is one version of the 发展党员 rules.
type RuleSet struct {
	Version  string  `json:"version"`
	Title    string  `json:"title"`
	Source   string  `json:"source"`
	Default  bool    `json:"default"`
	Verified bool    `json:"verified" doc:"条文是否已对照官方文本核实"`
	Note     string  `json:"note"`
	Stages   []Stage `json:"stages"`
	Steps    []Step  `json:"steps"`
	Checks   []Check `json:"checks"`
}

// Step codes referred to by the checks.
const (
	StepApply          = "s01" // 递交入党申请书
	StepTalk           = "s02" // 党组织派人谈话
	StepActivist       = "s03" // 确定入党积极分子
	StepActivistFiling = "s04"
	StepContacts       = "s05" // 指定培养联系人
	StepReview         = "s06" // 培养教育考察
	StepCandidate      = "s07" // 确定发展对象
	StepCandidateFile  = "s08" // 报上级党委备案（发展对象公示后）
	StepIntroducers    = "s09"
	StepPolitical      = "s10"
	StepTraining       = "s11"
	StepCommitteeCheck = "s12"
	StepPreReview      = "s13"
	StepForm           = "s14"
	StepCongress       = "s15" // 支部大会讨论接收预备党员
	StepUpperTalk      = "s16"
	StepApproval       = "s17" // 上级党委审批接收预备党员
	StepUpperFiling    = "s18"
	StepAssign         = "s19"
	StepOath           = "s20"
	StepProbationEdu   = "s21"
	StepFullApply      = "s22"
	StepFullCongress   = "s23" // 支部大会讨论转正
	StepFullApproval   = "s24" // 上级党委审批转正
	StepArchive        = "s25"
)

var stages2014 = []Stage{
	{"1", "申请入党"},
	{"2", "入党积极分子的确定和培养教育"},
	{"3", "发展对象的确定和考察"},
	{"4", "预备党员的接收"},
	{"5", "预备党员的教育考察和转正"},
}

// steps2014 is the national flowchart (see /work/shared/domain/rules.md §1.1).
var steps2014 = []Step{
	{Code: StepApply, Stage: "1", Name: "递交入党申请书", Actor: "本人（向工作、学习单位党组织，或居住地党组织）", ActorLevel: ActorSelf,
		Documents: []string{"入党申请书"}, Rules: []string{"dev.age"}},
	{Code: StepTalk, Stage: "1", Name: "党组织派人谈话", Actor: "党支部书记、副书记或组织委员", ActorLevel: ActorBranch,
		Documents: []string{"谈话记录"}, Rules: []string{"dev.talk"}},
	{Code: StepActivist, Stage: "2", Name: "推荐和确定入党积极分子", Actor: "支部委员会（不设支委会的由支部大会）", ActorLevel: ActorBranch,
		Documents: []string{"党员推荐、群团组织推优材料", "支委会会议记录"}, Rules: []string{"dev.activist_wait"}},
	{Code: StepActivistFiling, Stage: "2", Name: "报上级党委备案", Actor: "上级党委", ActorLevel: ActorUpper,
		Documents: []string{"入党积极分子备案表"}, Note: "备案，不是审批"},
	{Code: StepContacts, Stage: "2", Name: "指定培养联系人", Actor: "支部委员会", ActorLevel: ActorBranch,
		Documents: []string{"培养联系人登记"}, Rules: []string{"dev.contacts"}},
	{Code: StepReview, Stage: "2", Name: "培养教育考察", Actor: "党支部、培养联系人", ActorLevel: ActorBranch,
		Documents: []string{"考察登记表", "思想汇报"}, Repeatable: true, Note: "每半年考察一次，每次登记一条"},
	{Code: StepCandidate, Stage: "3", Name: "确定发展对象", Actor: "支部委员会", ActorLevel: ActorBranch,
		Documents: []string{"支委会会议记录", "党小组、培养联系人、党员和群众意见"}, Rules: []string{"dev.candidate_one_year", "dev.review_half_year"}},
	{Code: StepCandidateFile, Stage: "3", Name: "报上级党委备案", Actor: "上级党委", ActorLevel: ActorUpper,
		Documents: []string{"发展对象备案表", "公示材料"}, Rules: []string{"dev.publicity"}, Note: "登记公示起止日期：确定发展对象后公示"},
	{Code: StepIntroducers, Stage: "3", Name: "确定入党介绍人", Actor: "支部委员会", ActorLevel: ActorBranch,
		Documents: []string{"入党介绍人登记"}, Rules: []string{"dev.introducers"}},
	{Code: StepPolitical, Stage: "3", Name: "进行政治审查", Actor: "党组织", ActorLevel: ActorBranch,
		Documents: []string{"政审函调材料", "政治审查结论性材料"}, Note: "未经政治审查或政治审查不合格的，不能发展入党（第十六条）"},
	{Code: StepTraining, Stage: "3", Name: "开展集中培训", Actor: "基层党委或县级党委组织部门", ActorLevel: ActorUpper,
		Documents: []string{"培训结业证明"}, Rules: []string{"dev.training"}},
	{Code: StepCommitteeCheck, Stage: "4", Name: "支部委员会审查", Actor: "支部委员会", ActorLevel: ActorBranch,
		Documents: []string{"支委会审查意见"}},
	{Code: StepPreReview, Stage: "4", Name: "上级党委预审", Actor: "具有审批权限的基层党委", ActorLevel: ActorUpper,
		Documents: []string{"预审意见", "《入党志愿书》发放登记"}, Rules: []string{"dev.approver", "dev.pre_review.departure"}},
	{Code: StepForm, Stage: "4", Name: "填写入党志愿书", Actor: "本人（入党介绍人指导）", ActorLevel: ActorSelf,
		Documents: []string{"《中国共产党入党志愿书》"}},
	{Code: StepCongress, Stage: "4", Name: "支部大会讨论", Actor: "支部党员大会", ActorLevel: ActorBranch,
		Documents: []string{"支部大会记录", "支部大会决议"}, Rules: []string{"dev.pre_review_to_congress", "dev.congress.quorum", "dev.congress.pass", "dev.vote.counts"}},
	{Code: StepUpperTalk, Stage: "4", Name: "上级党委派人谈话", Actor: "党委委员或组织员", ActorLevel: ActorUpper,
		Documents: []string{"谈话记录（填入志愿书）"}},
	{Code: StepApproval, Stage: "4", Name: "上级党委审批", Actor: "具有审批权限的基层党委（集体讨论、逐个表决）", ActorLevel: ActorUpper,
		Documents: []string{"审批意见", "批复"}, Rules: []string{"dev.approval.time", "dev.approver"}},
	{Code: StepUpperFiling, Stage: "4", Name: "再上一级党委组织部门备案", Actor: "基层党委", ActorLevel: ActorUpper,
		Documents: []string{"备案报告"}},
	{Code: StepAssign, Stage: "5", Name: "编入党支部和党小组", Actor: "党支部", ActorLevel: ActorBranch,
		Note: "及时通知本人并在党员大会上宣布"},
	{Code: StepOath, Stage: "5", Name: "入党宣誓", Actor: "基层党委或党支部（总支）", ActorLevel: ActorBranch,
		Documents: []string{"宣誓记录"}, Note: "预备期从支部大会通过之日算起，不从宣誓之日算起"},
	{Code: StepProbationEdu, Stage: "5", Name: "继续教育考察", Actor: "党支部", ActorLevel: ActorBranch,
		Documents: []string{"预备党员考察记录"}, Repeatable: true},
	{Code: StepFullApply, Stage: "5", Name: "提出转正申请", Actor: "本人", ActorLevel: ActorSelf,
		Documents: []string{"转正申请书"}},
	{Code: StepFullCongress, Stage: "5", Name: "支部大会讨论", Actor: "支部党员大会", ActorLevel: ActorBranch,
		Documents: []string{"支部大会记录", "转正决议", "公示材料"},
		Rules:     []string{"dev.probation", "dev.extension", "dev.publicity", "dev.congress.quorum", "dev.congress.pass", "dev.vote.counts"},
		Note:      "决定按期转正、延长预备期或取消预备党员资格；登记转正公示起止日期"},
	{Code: StepFullApproval, Stage: "5", Name: "上级党委审批", Actor: "具有审批权限的基层党委", ActorLevel: ActorUpper,
		Documents: []string{"批复"}, Rules: []string{"dev.approval.time", "dev.approver"}},
	{Code: StepArchive, Stage: "5", Name: "材料归档", Actor: "党支部、基层党委", ActorLevel: ActorBranch,
		Documents: []string{"入党志愿书", "入党申请书", "政审材料", "转正申请书", "培养教育考察材料"}},
}

// checkIDs are the rules every version checks; articles differ by version.
var articles2014 = map[string]string{
	"dev.order":                  "发展党员工作流程图",
	"dev.date.future":            "—（本系统）",
	"dev.date.sequence":          "—（本系统）",
	"dev.age":                    "党章第一条；细则第五条",
	"dev.talk":                   "细则第七条",
	"dev.activist_wait":          "—（本地要求）",
	"dev.contacts":               "细则第九条（条号待核）",
	"dev.review_half_year":       "细则第十一条",
	"dev.candidate_one_year":     "细则第十三条",
	"dev.publicity":              "—（各地通行要求）",
	"dev.introducers":            "细则第十四条（条号待核）",
	"dev.training":               "细则第十七条",
	"dev.pre_review.departure":   "细则第十九条",
	"dev.pre_review_to_congress": "—（本地要求）",
	"dev.congress.quorum":        "细则第二十条",
	"dev.congress.pass":          "细则第二十一条、第三十三条",
	"dev.vote.counts":            "细则第二十条、第二十一条",
	"dev.approval.time":          "细则（审批时限；条号一说第二十五条，未核实）",
	"dev.approver":               "细则第二十三条（条号待核）",
	"dev.probation":              "细则第三十二条；党章第七条",
	"dev.extension":              "细则第三十二条；党章第七条",
}

func checksOf(articles map[string]string) []Check {
	ids := make([]string, 0, len(articles))
	for id := range articles {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]Check, 0, len(ids))
	for _, id := range ids {
		out = append(out, Check{Rule: rules.Get(id), Article: articles[id]})
	}
	return out
}

func numbered(steps []Step) []Step {
	out := make([]Step, len(steps))
	for i, s := range steps {
		s.Seq = i + 1
		if s.Documents == nil {
			s.Documents = []string{}
		}
		if s.Rules == nil {
			s.Rules = []string{}
		}
		out[i] = s
	}
	return out
}

// DefaultVersion is the rule set used unless an organisation chooses another.
const DefaultVersion = "2014"

var ruleSets = map[string]*RuleSet{}

func init() {
	ruleSets["2014"] = &RuleSet{Version: "2014", Title: "中国共产党发展党员工作细则（2014）",
		Source: "中共中央办公厅印发，中办发〔2014〕33号；步骤依全国“发展党员工作流程图”（5个阶段25个步骤）", Default: true, Verified: true,
		Note:   "时限、表决规则按2014年细则；条号未能对照官方全文核实的，在条款中注明。",
		Stages: stages2014, Steps: numbered(steps2014), Checks: checksOf(articles2014)}
	// The 2026 revision is reported (2026-05-18) but its official text was not retrieved: this
	// is a skeleton with the 2014 steps and the claimed differences noted, never the default.
	a2026 := map[string]string{}
	for k, v := range articles2014 {
		a2026[k] = v + "（2014年条号，2026年修订版未核实）"
	}
	a2026["dev.publicity"] = "据称修订细则第十三条（未核实）"
	a2026["dev.pre_review_to_congress"] = "据称修订细则第十九条（未核实）"
	ruleSets["2026"] = &RuleSet{Version: "2026", Title: "中国共产党发展党员工作细则（2026年修订，未核实）",
		Source:   "据多个来源称2026年5月18日印发（共产党员网 12371.cn 2026-05-18）；官方全文未取得",
		Verified: false,
		Note: "未核实的骨架：步骤同2014年版；据称的差异——确定发展对象报上级党委“同意”而非“备案”、列为发展对象前公示不少于五个工作日（第十三条）、" +
			"预审合格后一个月内提交支部大会（第十九条）、批准后一般一个月内组织入党宣誓（第二十九条）——只作提示，不作为默认规则。启用前须对照官方文本核实。",
		Stages: stages2014, Steps: numbered(steps2014), Checks: checksOf(a2026)}
}

// RuleSetOf returns the rule set of version (nil when unknown).
func RuleSetOf(version string) *RuleSet { return ruleSets[version] }

// Versions lists the known versions, default first.
func Versions() []string { return []string{"2014", "2026"} }

func (rs *RuleSet) step(code string) (Step, bool) {
	for _, s := range rs.Steps {
		if s.Code == code {
			return s, true
		}
	}
	return Step{}, false
}

func (rs *RuleSet) index(code string) int {
	for i, s := range rs.Steps {
		if s.Code == code {
			return i
		}
	}
	return -1
}

func (rs *RuleSet) check(id string) Check {
	for _, c := range rs.Checks {
		if c.ID == id {
			return c
		}
	}
	return Check{Rule: rules.Get(id)}
}
