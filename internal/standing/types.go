// Package standing is 党籍管理: the procedures that change a member's 党籍状态 — 停止党籍,
// 恢复党籍, 重新入党, the six kinds of 出党 (开除党籍, 退党除名, 劝退, 劝而不退除名, 自行脱党除名,
// 取消预备党员资格) and 死亡, plus 出国（境）/回国（境）, recorded with the 党籍状态 unchanged — each a
// deliberate act with its date, reason, approving body and document, checked against its rules
// (internal/rules, with their sources), written in one transaction with the status change, the
// org counts, the membership ledger row and the audit entry; and the 党员数量变化 report (党内统计
// 表一) drawn from that ledger, with 年报封存 (year-end snapshots) that make its 差额 a real check.
package standing

import (
	"time"

	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/rules"
)

// Kind is one procedure of 党籍管理.
type Kind string

const (
	KindSuspend         Kind = "suspend"          // 停止党籍
	KindRestore         Kind = "restore"          // 恢复党籍
	KindRejoin          Kind = "rejoin"           // 重新入党
	KindExpel           Kind = "expel"            // 开除党籍
	KindWithdraw        Kind = "withdraw"         // 退党除名
	KindPersuade        Kind = "persuade"         // 劝退
	KindPersuadeRemoved Kind = "persuade_removed" // 劝而不退除名
	KindLapse           Kind = "lapse"            // 自行脱党除名
	KindCancelProbation Kind = "cancel_probation" // 取消预备党员资格
	KindDeath           Kind = "death"            // 死亡
	// 出国（境） and 回国（境） change no 党籍状态: they record the member's going abroad, which
	// the 停止党籍 of a member settled abroad builds on.
	KindAbroad Kind = "abroad" // 出国（境）
	KindBack   Kind = "back"   // 回国（境）
)

// Ground is a reason a procedure recognises (停止党籍: 失联, 出国).
type Ground struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Rule string `json:"rule"`
}

// Procedure is one kind of change of 党籍状态 as rule data: the states it starts from and leads
// to, what must be given, the ledger row it writes and the rules it checks.
type Procedure struct {
	Kind      Kind            `json:"kind"`
	Name      string          `json:"name"`
	Group     string          `json:"group" doc:"停止党籍、恢复党籍、重新入党、出党、死亡"`
	From      []member.Status `json:"from" doc:"可以办理的党籍状态"`
	FromNames []string        `json:"from_names"`
	To        member.Status   `json:"to"`
	ToName    string          `json:"to_name"`
	// Probationary: only for a 预备党员 (取消预备党员资格).
	Probationary     bool             `json:"probationary_only"`
	ApprovalRequired bool             `json:"approval_required" doc:"须填写批准机关"`
	DocumentRequired bool             `json:"document_required" doc:"须填写文件名称和文号"`
	ApprovalHint     string           `json:"approval_hint" doc:"批准机关的填写提示"`
	Event            member.EventKind `json:"event" doc:"写入党员数量变化记录的类别"`
	Grounds          []Ground         `json:"grounds,omitempty" doc:"须选择的依据情形"`
	Hint             string           `json:"hint"`
	Rules            []rules.Rule     `json:"rules"`
}

// Input is a procedure to record for a member.
type Input struct {
	Kind       Kind       `json:"kind"`
	On         civil.Date `json:"on" doc:"批准（决定）之日；死亡为去世之日"`
	Ground     string     `json:"ground,omitempty" doc:"停止党籍的情形：lost 失联6个月以上、abroad 出国定居或出国学习研究超过5年"`
	Reason     string     `json:"reason"`
	ApprovedBy string     `json:"approved_by" doc:"批准机关（作出决定的党组织）"`
	Document   string     `json:"document" doc:"文件名称和文号"`
}

// Finding is a rule that a recorded procedure breaks (blocking: refused; warning: recorded
// with it).
type Finding struct {
	Rule    string      `json:"rule"`
	Title   string      `json:"title"`
	Source  string      `json:"source"`
	Message string      `json:"message"`
	Level   rules.Level `json:"level"`
}

// Change is one recorded change of 党籍状态 with the procedure's name.
type Change struct {
	member.StatusRecord
	KindName string `json:"kind_name"`
}

// Available is a procedure as offered for one member: allowed in the member's present state, or
// not, with the reason.
type Available struct {
	Kind    Kind   `json:"kind"`
	Name    string `json:"name"`
	Allowed bool   `json:"allowed"`
	Reason  string `json:"reason,omitempty" doc:"不能办理的原因（含依据）"`
}

// Standing is a member's 党籍 as the dialog shows it: the state, the history and what may be
// done next.
type Standing struct {
	MemberID   int64         `json:"member_id"`
	Name       string        `json:"name"`
	Status     member.Status `json:"status"`
	StatusName string        `json:"status_name"`
	StatusOn   civil.Date    `json:"status_on"`
	JoinedOn   civil.Date    `json:"joined_on"`
	Category   string        `json:"category" doc:"full 正式党员、probationary 预备党员"`
	Abroad     bool          `json:"abroad" doc:"已登记出国（境），尚未回国（境）"`
	Items      []Change      `json:"items"`
	Available  []Available   `json:"available"`
}

// Answer is the result of recording a procedure.
type Answer struct {
	Change   Change    `json:"change"`
	Standing Standing  `json:"standing"`
	Warnings []Finding `json:"warnings"`
}

// Settings are the configurable levels of 党籍管理.
type Settings struct {
	// LapseLevel says whether 自行脱党除名 of a suspended member before two years have passed
	// is refused (block) or recorded with a warning (warn).
	LapseLevel rules.Level `json:"lapse_level" doc:"停止党籍不满2年即按自行脱党除名时：block 阻止、warn 仅提示"`
	UpdatedAt  *time.Time  `json:"updated_at,omitempty"`
}

// KindsAnswer is GET /standing/kinds.
type KindsAnswer struct {
	Items    []Procedure `json:"items"`
	Settings Settings    `json:"settings"`
}
