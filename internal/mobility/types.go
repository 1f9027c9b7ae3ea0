// Package mobility keeps 流动党员 (members away from home for months: 外出登记, 流入地党组织,
// 返回) and 失联党员 (members out of contact: the 失联日期 and its basis, the 失联情形, 查找记录,
// 恢复联系), the proposals the rules call for (应转移组织关系, 停止党籍, 按自行脱党除名), the
// screening list of members with neither 组织生活 nor 党费 for 6 months, and the lists of any
// subtree with the breakdowns of the 党内统计 tables (流动党员情况, 失去联系党员情况). Records are
// scoped through the member's 党支部; the 流入地党组织 sees the members it hosts. The member's
// flags (members.mobile, lost_contact …) follow in the same transaction through
// member.SetMobileTx / SetLostTx.
package mobility

import (
	"time"

	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/rules"
)

// Code is one entry of a small code list.
type Code struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Scopes are the 外出流向 of 党内统计 (流动党员情况: 跨省、省内跨市 …).
var Scopes = []Code{
	{"cross_province", "跨省（区、市）流动"},
	{"cross_city", "省内跨市（地、州、盟）流动"},
	{"cross_county", "市内跨县（市、区、旗）流动"},
	{"in_county", "县（市、区、旗）内流动"},
}

// Reasons are the reasons for going out.
var Reasons = []Code{
	{"1", "务工经商"},
	{"2", "学习培训"},
	{"3", "随迁（随子女、配偶等）"},
	{"4", "异地居住、养老"},
	{"5", "其他"},
}

// Outcomes are how a member found again is handled.
var Outcomes = []Code{
	{"manage", "重新纳入管理"},
	{"correct", "限期改正"},
	{"dispose", "按规定处置"},
}

// Bands are the 失联时长 groups of 党内统计 (失去联系党员情况) plus the months before 6.
var Bands = []Code{
	{"under6m", "不满6个月"},
	{"6m-1y", "6个月至1年"},
	{"1-5y", "1至5年"},
	{"6-10y", "6至10年"},
	{"11y", "11年以上"},
}

func nameOf(list []Code, code string) string {
	for _, c := range list {
		if c.Code == code {
			return c.Name
		}
	}
	return ""
}

func valid(list []Code, code string) bool { return nameOf(list, code) != "" }

// OrgRef names an organisation.
type OrgRef struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// MemberRef is the member a record is about, as lists show it (no personal data).
type MemberRef struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	GenderName string `json:"gender_name"`
	Org        OrgRef `json:"org" doc:"所在党支部"`
	Status     string `json:"status"`
}

// OutingInput registers a member going out (外出登记).
type OutingInput struct {
	LeftOn       civil.Date `json:"left_on" doc:"外出日期"`
	Scope        string     `json:"scope" doc:"外出流向：cross_province 跨省、cross_city 省内跨市、cross_county 市内跨县、in_county 县内；填了流入地行政区划且所在党支部有区划时由系统推出"`
	DivisionCode string     `json:"division_code" doc:"流入地行政区划代码（可不填）"`
	Place        string     `json:"place" doc:"流入地（地点、单位）"`
	Reason       string     `json:"reason" doc:"外出原因代码：1 务工经商、2 学习培训、3 随迁、4 异地居住、5 其他"`
	FixedPlace   bool       `json:"fixed_place" doc:"地点相对固定（满6个月应转移组织关系）"`
	HostOrgID    *int64     `json:"host_org_id" doc:"流入地党组织（在本系统中的）"`
	HostName     string     `json:"host_name" doc:"流入地党组织名称（不在本系统中的）"`
	HostContact  string     `json:"host_contact" doc:"流入地党组织联系人"`
	HostPhone    string     `json:"host_phone" doc:"联系人电话（加密保存，显示时脱敏）"`
	HasCard      bool       `json:"has_card" doc:"是否持《流动党员活动证》"`
	CardNo       string     `json:"card_no" doc:"活动证编号"`
	ExpectedBack civil.Date `json:"expected_back" doc:"预计返回日期"`
	Note         string     `json:"note"`
}

// ReturnInput ends an outing (返回).
type ReturnInput struct {
	ReturnedOn civil.Date `json:"returned_on" doc:"返回日期"`
	Note       string     `json:"note"`
}

// Outing is one spell away from home.
type Outing struct {
	ID           int64      `json:"id"`
	Member       MemberRef  `json:"member"`
	LeftOn       civil.Date `json:"left_on"`
	Months       int        `json:"months" doc:"已外出整月数（返回的到返回日）"`
	Scope        string     `json:"scope"`
	ScopeName    string     `json:"scope_name"`
	DivisionCode string     `json:"division_code"`
	DivisionName string     `json:"division_name"`
	Place        string     `json:"place"`
	Reason       string     `json:"reason"`
	ReasonName   string     `json:"reason_name"`
	FixedPlace   bool       `json:"fixed_place"`
	HostOrg      *OrgRef    `json:"host_org"`
	HostName     string     `json:"host_name" doc:"流入地党组织名称（系统内的为其名称）"`
	HostContact  string     `json:"host_contact"`
	HostPhone    string     `json:"host_phone" doc:"脱敏"`
	HasCard      bool       `json:"has_card"`
	CardNo       string     `json:"card_no"`
	ExpectedBack civil.Date `json:"expected_back"`
	Note         string     `json:"note"`
	ReturnedOn   civil.Date `json:"returned_on"`
	ReturnNote   string     `json:"return_note"`
	CreatedBy    string     `json:"created_by"`
	CreatedAt    time.Time  `json:"created_at"`
}

// LostInput marks a member lost (标记失联).
type LostInput struct {
	LostOn    civil.Date `json:"lost_on" doc:"失去联系日期；不填按最近一次参加组织生活或交纳党费之日推算"`
	Situation string     `json:"situation" doc:"失联情形代码 1–7"`
	Note      string     `json:"note"`
}

// SearchInput is one attempt to reach a lost member (查找记录).
type SearchInput struct {
	SearchedOn civil.Date `json:"searched_on" doc:"查找日期"`
	Way        string     `json:"way" doc:"查找方式（电话、走访家属、原单位、公安协查、网络等）"`
	Result     string     `json:"result" doc:"查找结果"`
	ByWhom     string     `json:"by_whom" doc:"查找人"`
}

// RestoreInput records a lost member found again (恢复联系).
type RestoreInput struct {
	FoundOn civil.Date `json:"found_on" doc:"恢复联系日期"`
	Outcome string     `json:"outcome" doc:"manage 重新纳入管理、correct 限期改正、dispose 按规定处置"`
	Note    string     `json:"note"`
}

// Search is one 查找记录.
type Search struct {
	ID         int64      `json:"id"`
	SearchedOn civil.Date `json:"searched_on"`
	Way        string     `json:"way"`
	Result     string     `json:"result"`
	ByWhom     string     `json:"by_whom"`
	CreatedBy  string     `json:"created_by"`
}

// Loss is one spell out of contact.
type Loss struct {
	ID            int64      `json:"id"`
	Member        MemberRef  `json:"member"`
	LostOn        civil.Date `json:"lost_on"`
	Basis         string     `json:"basis" doc:"attendance 按最近一次组织生活、dues 按最近一次交纳党费、manual 党支部填写；roster 花名册登记为失联、尚未建立记录（id 为 0）"`
	BasisNote     string     `json:"basis_note"`
	Situation     string     `json:"situation"`
	SituationName string     `json:"situation_name"`
	Band          string     `json:"band" doc:"失联时长分组"`
	BandName      string     `json:"band_name"`
	Months        int        `json:"months" doc:"失联整月数"`
	Note          string     `json:"note"`
	Searches      []Search   `json:"searches"`
	SearchCount   int        `json:"search_count"`
	FoundOn       civil.Date `json:"found_on"`
	Outcome       string     `json:"outcome"`
	OutcomeName   string     `json:"outcome_name"`
	OutcomeNote   string     `json:"outcome_note"`
	CreatedBy     string     `json:"created_by"`
	CreatedAt     time.Time  `json:"created_at"`
}

// Basis is the computed 失联日期 and what it rests on.
type Basis struct {
	AttendedOn civil.Date `json:"attended_on" doc:"最近一次参加组织生活（出席或补课）"`
	PaidOn     civil.Date `json:"paid_on" doc:"最近一次交纳党费"`
	LostOn     civil.Date `json:"lost_on" doc:"推算的失去联系日期（两者中较晚者）；都没有记录时为空"`
	Basis      string     `json:"basis"`
	Note       string     `json:"note"`
	Source     string     `json:"source"`
}

// Record is a member's 流动/失联 file.
type Record struct {
	Member  MemberRef `json:"member"`
	Mobile  bool      `json:"mobile"`
	Lost    bool      `json:"lost"`
	Outing  *Outing   `json:"outing" doc:"当前外出（未返回）"`
	Outings []Outing  `json:"outings" doc:"全部外出记录，新的在前"`
	Loss    *Loss     `json:"loss" doc:"当前失联（未恢复联系）"`
	Losses  []Loss    `json:"losses"`
	Basis   Basis     `json:"basis"`
}

// Proposal is a 待办 the rules call for: the act itself is done elsewhere (组织关系转接,
// 党籍变动), Action says where.
type Proposal struct {
	Kind   string     `json:"kind" doc:"transfer 应转移组织关系、suspend 停止党籍、lapse 按自行脱党除名"`
	Title  string     `json:"title"`
	Member MemberRef  `json:"member"`
	Since  civil.Date `json:"since" doc:"外出日期、失去联系日期或停止党籍日期"`
	DueOn  civil.Date `json:"due_on" doc:"自该日起应办"`
	Detail string     `json:"detail"`
	Rule   string     `json:"rule"`
	Source string     `json:"source"`
	Action Action     `json:"action"`
}

// Action is the endpoint where a proposal is carried out.
type Action struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	Kind   string `json:"kind,omitempty" doc:"党籍变动的种类（suspend、lapse）"`
}

// Unchecked is a member on the screening list (应核实).
type Unchecked struct {
	Member     MemberRef  `json:"member"`
	JoinedOn   civil.Date `json:"joined_on"`
	AttendedOn civil.Date `json:"attended_on" doc:"最近一次参加组织生活；空为无记录"`
	PaidOn     civil.Date `json:"paid_on" doc:"最近一次交纳党费；空为无记录"`
	Mobile     bool       `json:"mobile"`
}

// OutingSummary is the 流出 breakdown of 党内统计 (流动党员情况).
type OutingSummary struct {
	Total    int            `json:"total"`
	ByScope  map[string]int `json:"by_scope"`
	WithCard int            `json:"with_card" doc:"持《流动党员活动证》"`
	Fixed    int            `json:"fixed" doc:"地点相对固定"`
	Over6m   int            `json:"over_6m" doc:"外出6个月以上"`
	// Unregistered counts the members marked 流动 on their record (e.g. an imported roster)
	// without an outing registered here; they are listed with status=unregistered.
	Unregistered int `json:"unregistered" doc:"花名册登记为流动党员、尚未登记外出的人数"`
}

// OutingList is a page of outings with the breakdown of all that match.
type OutingList struct {
	Items    []Outing      `json:"items"`
	Total    int           `json:"total"`
	Page     int           `json:"page"`
	PageSize int           `json:"page_size"`
	Summary  OutingSummary `json:"summary"`
}

// LossSummary is the breakdown of 党内统计 (失去联系党员情况).
type LossSummary struct {
	Total       int            `json:"total"`
	ByBand      map[string]int `json:"by_band"`
	BySituation map[string]int `json:"by_situation"`
	Searched    int            `json:"searched" doc:"有查找记录"`
}

// LossList is a page of losses with the breakdown of all that match (before the band filter).
type LossList struct {
	Items    []Loss      `json:"items"`
	Total    int         `json:"total"`
	Page     int         `json:"page"`
	PageSize int         `json:"page_size"`
	Summary  LossSummary `json:"summary"`
}

// Meta is the code lists and rules the pages need.
type Meta struct {
	Scopes     []Code       `json:"scopes"`
	Reasons    []Code       `json:"reasons"`
	Situations []Code       `json:"situations"`
	Outcomes   []Code       `json:"outcomes"`
	Bands      []Code       `json:"bands"`
	Rules      []rules.Rule `json:"rules"`
}
