package life

import (
	"slices"

	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/rules"
)

// Quorum is the attendance a meeting type needs to be valid.
type Quorum string

const (
	QuorumNone      Quorum = ""
	QuorumVoting    Quorum = "voting_majority"      // 有表决权的到会人数超过应到会有表决权人数的半数
	QuorumCommittee Quorum = "committee_majority"   // 半数以上委员到会
	QuorumElection  Quorum = "election_four_fifths" // 有选举权的到会人数超过应到会人数的五分之四
)

// Condition narrows the organisations of a holder type that must hold a meeting.
type Condition string

const (
	Always       Condition = ""
	HasCommittee Condition = "committee" // the current 班子 has at least 3 serving members (a 支部委员会)
)

// MeetingType is one kind of meeting as rule data: who holds it, how often it is due, what
// makes it valid, how many 学时 it usually carries, and the rule (with its source) behind it.
// Frequencies can be overridden per organisation (settings), inherited down the tree.
type MeetingType struct {
	Code      string      `json:"code"`
	Name      string      `json:"name"`
	Short     string      `json:"short" doc:"台账出勤表的列名缩写"`
	Holders   []org.Type  `json:"holders" doc:"召开此类会议的组织类别"`
	Condition Condition   `json:"condition" doc:"committee：只要求设立了支部委员会的党支部"`
	Frequency Frequency   `json:"frequency" doc:"默认频次；none 为不定期，不作要求"`
	RuleID    string      `json:"rule_id"`
	Quorum    Quorum      `json:"quorum"`
	QuorumID  string      `json:"quorum_rule_id"`
	Hours     float64     `json:"default_hours" doc:"默认学时（本系统默认，每次记录可修改）"`
	Life      bool        `json:"counts_as_life" doc:"是否计为全体党员参加的组织生活（连续6个月不参加组织生活的判断用）"`
	Votes     bool        `json:"votes" doc:"是否可记录表决"`
	Host      string      `json:"host_label" doc:"主持人一栏的名称"`
	Counts    []string    `json:"also_counts" doc:"召开此类会议同时视为召开的会议类别"`
	Hint      string      `json:"hint"`
	Source    string      `json:"source"`
	Level     rules.Level `json:"level"`
}

var (
	branchLike = []org.Type{org.TypeBranch, org.TypeJointBranch, org.TypeTemporaryBranch}
	committees = []org.Type{org.TypeCommittee, org.TypeWorkingCommittee, org.TypeLeadingGroup}
	electing   = []org.Type{org.TypeBranch, org.TypeJointBranch, org.TypeTemporaryBranch, org.TypeGeneralBranch, org.TypeCommittee, org.TypeWorkingCommittee}
)

// Type codes.
const (
	TypeBranchCongress   = "branch_congress"
	TypeBranchCommittee  = "branch_committee"
	TypeGroupMeeting     = "group_meeting"
	TypePartyLecture     = "party_lecture"
	TypeThemeDay         = "theme_day"
	TypeLifeMeeting      = "life_meeting"
	TypeMemberReview     = "member_review"
	TypeElection         = "election"
	TypeCommitteeMeeting = "committee_meeting"
	TypePartyBuilding    = "committee_party_building"
	TypeSecretaryLecture = "secretary_lecture"
	defaultHoursSource   = "本系统默认，可在每次会议记录中修改"
)

// meetingTypes is the catalogue, in the order forms list it.
var meetingTypes = []MeetingType{
	{Code: TypeBranchCongress, Name: "支部党员大会", Short: "大会", Holders: branchLike, Frequency: Quarterly, RuleID: "life.branch_congress",
		Quorum: QuorumVoting, QuorumID: "life.branch_congress.quorum", Hours: 1, Life: true, Votes: true, Host: "主持人"},
	{Code: TypeBranchCommittee, Name: "支部委员会会议", Short: "支委会", Holders: branchLike, Condition: HasCommittee, Frequency: Monthly,
		RuleID: "life.branch_committee", Quorum: QuorumCommittee, QuorumID: "life.branch_committee.quorum", Votes: true, Host: "主持人"},
	{Code: TypeGroupMeeting, Name: "党小组会", Short: "小组会", Holders: []org.Type{org.TypeGroup}, Frequency: Monthly, RuleID: "life.group_meeting",
		Hours: 1, Life: true, Host: "主持人"},
	{Code: TypePartyLecture, Name: "党课", Short: "党课", Holders: branchLike, Frequency: Quarterly, RuleID: "life.party_lecture",
		Hours: 2, Life: true, Host: "主讲人"},
	{Code: TypeThemeDay, Name: "主题党日", Short: "党日", Holders: branchLike, Frequency: Monthly, RuleID: "life.theme_day",
		Hours: 2, Life: true, Host: "主持人", Hint: "每月相对固定1天，固定日由党支部自定"},
	{Code: TypeLifeMeeting, Name: "组织生活会", Short: "生活会", Holders: branchLike, Frequency: Yearly, RuleID: "life.life_meeting",
		Hours: 2, Life: true, Host: "主持人", Hint: "一般安排在第四季度"},
	{Code: TypeMemberReview, Name: "民主评议党员", Short: "评议", Holders: branchLike, Frequency: Yearly, RuleID: "life.member_review",
		Hours: 1, Life: true, Host: "主持人", Hint: "可结合组织生活会进行；评议结果在“民主评议”中逐人登记"},
	{Code: TypeElection, Name: "换届选举大会", Short: "选举", Holders: electing, Frequency: Never, RuleID: "org.term.overdue",
		Quorum: QuorumElection, QuorumID: "life.election.quorum", Life: true, Votes: true, Host: "主持人", Counts: []string{TypeBranchCongress},
		Hint: "选举后请在组织管理中录入新一届班子；党支部的选举大会同时计为本季度的支部党员大会"},
	{Code: TypeCommitteeMeeting, Name: "党委（党组）会议", Short: "党委会", Holders: committees, Frequency: Never, RuleID: "life.first_topic",
		Host: "主持人", Hint: "第一议题：学习习近平总书记最新重要讲话和重要指示批示精神"},
	{Code: TypePartyBuilding, Name: "党委会专题研究党建", Short: "党建专题", Holders: []org.Type{org.TypeCommittee, org.TypeWorkingCommittee},
		Frequency: HalfYear, RuleID: "life.committee_party_building", Host: "主持人", Hint: "本地要求：每半年至少1次"},
	{Code: TypeSecretaryLecture, Name: "书记讲党课", Short: "书记党课", Holders: committees, Frequency: Yearly, RuleID: "life.secretary_lecture",
		Hours: 2, Host: "主讲人"},
}

func init() {
	for i := range meetingTypes {
		t := &meetingTypes[i]
		r := rules.Get(t.RuleID)
		t.Source, t.Level = r.Source, r.Level
		if t.QuorumID != "" {
			rules.Get(t.QuorumID)
		}
		if t.Counts == nil {
			t.Counts = []string{}
		}
	}
}

// MeetingTypes lists the catalogue.
func MeetingTypes() []MeetingType { return slices.Clone(meetingTypes) }

// typeByCode finds a meeting type.
func typeByCode(code string) (*MeetingType, bool) {
	for i := range meetingTypes {
		if meetingTypes[i].Code == code {
			return &meetingTypes[i], true
		}
	}
	return nil, false
}

// heldBy reports whether organisations of type t hold meetings of this type.
func (mt *MeetingType) heldBy(t org.Type) bool { return slices.Contains(mt.Holders, t) }

// typeName is the label of a type code (the code itself when unknown).
func typeName(code string) string {
	if t, ok := typeByCode(code); ok {
		return t.Name
	}
	return code
}

// Grades of 民主评议.
var (
	grades4 = []Option{{"excellent", "优秀"}, {"qualified", "合格"}, {"basic", "基本合格"}, {"unqualified", "不合格"}}
	grades3 = []Option{{"excellent", "优秀"}, {"qualified", "合格"}, {"unqualified", "不合格"}}
	// disposals of a member graded 不合格.
	disposals = []Option{{"correct", "限期改正"}, {"persuade", "劝退"}, {"persuade_removed", "劝而不退除名"},
		{"lapsed_removed", "自行脱党除名"}, {"removed", "除名"}, {"cancel_probation", "取消预备党员资格"}}
	talkKinds = []Option{{"committee_member", "支委与党员谈心谈话"}, {"committee_peer", "支委之间谈心谈话"}, {"member_peer", "党员之间谈心谈话"},
		{"township_village", "乡镇（街道）班子与村干部谈心谈话"}, {"other", "其他谈心谈话"}}
	attendanceNames = map[string]string{"present": "出席", "leave": "请假", "absent": "缺席", "makeup": "补课"}
	attendanceShort = map[string]string{"present": "出", "leave": "假", "absent": "缺", "makeup": "补"}
)

// Option is a code with its label.
type Option struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

func optionName(opts []Option, code string) string {
	for _, o := range opts {
		if o.Code == code {
			return o.Name
		}
	}
	return ""
}

// gradeSet returns the grades of a configured set ("4" or "3").
func gradeSet(set string) []Option {
	if set == "3" {
		return grades3
	}
	return grades4
}
