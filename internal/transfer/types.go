// Package transfer is 组织关系转接: a member's relation moves from one 党支部 to another inside
// the system (issued by the sender, accepted or returned by the receiver; until acceptance
// the member stays with the sender — 《中国共产党党员教育管理工作条例》第二十五条), to an
// organisation outside the system (a printed 介绍信, the member leaves the roster when the 回执
// comes back), from outside (the receiving branch registers the letter and the member), and a
// whole organisation's move (整建制转接). Each act is one row of transfers with its 介绍信编号;
// the printable letter is 一式三联 (存根/介绍信/回执). The sender sees a transfer through the
// sending organisation's path, the receiver through the receiving one's (JOIN orgs,
// access.Filter); only the destination search reaches outside the caller's scope, and it shows
// names only.
package transfer

import (
	"time"

	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/member"
)

// Kind of transfer.
type Kind string

const (
	KindInternal Kind = "internal" // 系统内转接
	KindOut      Kind = "out"      // 转出至系统外
	KindIn       Kind = "in"       // 由系统外转入
	KindOrg      Kind = "org"      // 整建制转接
)

var kindNames = map[Kind]string{KindInternal: "系统内转接", KindOut: "转出至系统外", KindIn: "由系统外转入", KindOrg: "整建制转接"}

// Status of a transfer.
type Status string

const (
	StatusPending   Status = "pending"   // 待接收（转出系统外：待回执）
	StatusAccepted  Status = "accepted"  // 已接收（已回执、已登记、已转接）
	StatusReturned  Status = "returned"  // 已退回
	StatusWithdrawn Status = "withdrawn" // 已撤回
)

var statusNames = map[Status]string{StatusPending: "待接收", StatusAccepted: "已接收", StatusReturned: "已退回", StatusWithdrawn: "已撤回"}

// Side is the sending or receiving organisation.
type Side struct {
	OrgID *int64   `json:"org_id" doc:"系统内组织的编号；系统外为 null"`
	Name  string   `json:"name"`
	Path  []string `json:"path" doc:"上级组织名称（自上而下），系统外为空"`
}

// Transfer is one 介绍信 or transfer act.
type Transfer struct {
	ID           int64           `json:"id"`
	Kind         Kind            `json:"kind" doc:"internal 系统内、out 转出至系统外、in 由系统外转入、org 整建制"`
	KindName     string          `json:"kind_name"`
	Status       Status          `json:"status" doc:"pending 待接收（待回执）、accepted 已接收、returned 已退回、withdrawn 已撤回"`
	StatusName   string          `json:"status_name"`
	Overdue      bool            `json:"overdue" doc:"超过有效期仍未办结（逾期）"`
	LetterNo     string          `json:"letter_no" doc:"介绍信编号（系统自动编号）"`
	MemberID     *int64          `json:"member_id"`
	MemberName   string          `json:"member_name"`
	Gender       string          `json:"gender"`
	Ethnicity    string          `json:"ethnicity"`
	BirthDate    civil.Date      `json:"birth_date"`
	Category     member.Category `json:"category" doc:"full 正式党员、probationary 预备党员"`
	CategoryName string          `json:"category_name"`
	IDNumber     string          `json:"id_number" doc:"公民身份号码（脱敏）"`
	SubjectOrgID *int64          `json:"subject_org_id" doc:"整建制转接的组织"`
	SubjectName  string          `json:"subject_name"`
	MemberCount  int             `json:"member_count" doc:"整建制转接时随组织转移的党员人数"`
	From         Side            `json:"from"`
	To           Side            `json:"to"`
	ExtLetterNo  string          `json:"ext_letter_no" doc:"由系统外转入：来信的介绍信编号"`
	Reason       string          `json:"reason"`
	IssuedOn     civil.Date      `json:"issued_on" doc:"开具日期"`
	ValidUntil   civil.Date      `json:"valid_until" doc:"有效期截止日"`
	DuesPaidTo   string          `json:"dues_paid_to" doc:"党费交至（YYYY-MM）"`
	DecidedOn    civil.Date      `json:"decided_on" doc:"接收、退回、撤回或回执日期"`
	DecidedBy    string          `json:"decided_by"`
	DecisionNote string          `json:"decision_note" doc:"退回、撤回原因或回执说明"`
	CanAccept    bool            `json:"can_accept" doc:"本人可接收或退回"`
	CanWithdraw  bool            `json:"can_withdraw" doc:"本人可撤回（或登记回执）"`
	CreatedBy    string          `json:"created_by"`
	CreatedAt    time.Time       `json:"created_at"`
	UpdatedAt    time.Time       `json:"updated_at"`
	Version      int             `json:"version" doc:"办理时原样带回，用于发现他人已办理"`
	Warnings     []string        `json:"warnings,omitempty"`
}

// CreateInput issues a transfer of one member.
type CreateInput struct {
	Kind          Kind       `json:"kind" doc:"internal（默认）或 out"`
	MemberID      int64      `json:"member_id"`
	ToOrgID       int64      `json:"to_org_id" doc:"系统内：转入的党支部（由 destinations 查询）"`
	ToName        string     `json:"to_name" doc:"转出至系统外：接收党组织名称"`
	CrossProvince bool       `json:"cross_province" doc:"转出至系统外：跨省（区、市），有效期按跨省规则"`
	Reason        string     `json:"reason" doc:"转接原因，如工作调动、毕业、居住地变动"`
	IssuedOn      civil.Date `json:"issued_on" doc:"开具日期；不填为今天"`
	ValidUntil    civil.Date `json:"valid_until" doc:"有效期截止日；不填按规则 transfer.validity 推算"`
	DuesPaidTo    string     `json:"dues_paid_to" doc:"党费交至（YYYY-MM）；不填取党费台账中最后交清的月份"`
}

// Decision accepts, returns, withdraws or confirms the 回执 of a pending transfer.
type Decision struct {
	Version int        `json:"version" doc:"读取时的版本号"`
	On      civil.Date `json:"on" doc:"日期；不填为今天"`
	Note    string     `json:"note" doc:"退回、撤回的原因（退回必填）或回执说明"`
}

// IncomingInput registers a letter from an organisation outside the system with the member.
type IncomingInput struct {
	ToOrgID     int64        `json:"to_org_id" doc:"接收的党支部"`
	FromName    string       `json:"from_name" doc:"转出党组织名称"`
	ExtLetterNo string       `json:"ext_letter_no" doc:"来信的介绍信编号"`
	LetterDate  civil.Date   `json:"letter_date" doc:"介绍信开具日期"`
	ReceivedOn  civil.Date   `json:"received_on" doc:"接收日期；不填为今天"`
	ValidUntil  civil.Date   `json:"valid_until" doc:"介绍信有效期截止日（可不填）"`
	DuesPaidTo  string       `json:"dues_paid_to" doc:"党费交至（YYYY-MM）"`
	Reason      string       `json:"reason"`
	Member      member.Input `json:"member" doc:"党员的登记信息（所在党支部取 to_org_id）"`
}

// OrgInput is a 整建制转接: an organisation with its whole subtree under a new parent.
type OrgInput struct {
	OrgID    int64  `json:"org_id" doc:"转接的组织"`
	ParentID int64  `json:"parent_id" doc:"新的上级组织"`
	Reason   string `json:"reason"`
}

// Destination is a 党支部 that may receive a transfer: names only.
type Destination struct {
	ID   int64    `json:"id"`
	Name string   `json:"name"`
	Path []string `json:"path" doc:"上级组织名称（自上而下）"`
}

// Defaults are what a new letter would say, for the issue dialog.
type Defaults struct {
	DuesPaidTo    string     `json:"dues_paid_to" doc:"党费台账中最后交清的月份"`
	ValidUntil    civil.Date `json:"valid_until"`
	Months        int        `json:"months"`
	CrossProvince bool       `json:"cross_province"`
	Rule          string     `json:"rule"`
	Source        string     `json:"source"`
	OpenTransfer  *int64     `json:"open_transfer" doc:"该党员未办结的介绍信"`
}

// Settings are the validity defaults (rules transfer.validity, transfer.validity_cross_province).
type Settings struct {
	Months              int    `json:"months" doc:"介绍信有效期（月），默认3"`
	CrossProvinceMonths int    `json:"cross_province_months" doc:"跨省转接有效期（月），默认6"`
	Note                string `json:"note"`
}
