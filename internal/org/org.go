// Package org is the organisation registry: the party organisation tree with its types, units,
// division codes, status and history, each organisation's 班子 with their terms, and the setup
// rules checked against them. Every query is scoped to the caller's subtree through
// access.Filter.
package org

import (
	"time"

	"github.com/dangjian/dangjian/internal/civil"
)

// Status of an organisation.
type Status string

const (
	StatusActive    Status = "active"    // 正常
	StatusDissolved Status = "dissolved" // 已撤销
)

// Name is the Chinese label of s.
func (s Status) Name() string {
	if s == StatusDissolved {
		return "已撤销"
	}
	return "正常"
}

// Org is an organisation as the API shows it.
type Org struct {
	ID                  int64      `json:"id"`
	Code                string     `json:"code" doc:"组织代码，全局唯一"`
	Name                string     `json:"name"`
	ShortName           string     `json:"short_name"`
	Type                Type       `json:"type"`
	TypeName            string     `json:"type_name"`
	UnitType            UnitType   `json:"unit_type"`
	UnitTypeName        string     `json:"unit_type_name"`
	DivisionCode        string     `json:"division_code" doc:"统计用区划代码"`
	DivisionName        string     `json:"division_name"`
	ParentID            *int64     `json:"parent_id"`
	ParentName          string     `json:"parent_name"`
	Path                string     `json:"-"`
	Depth               int        `json:"depth"`
	Status              Status     `json:"status"`
	StatusName          string     `json:"status_name"`
	EstablishedOn       civil.Date `json:"established_on"`
	DissolvedOn         civil.Date `json:"dissolved_on"`
	DissolvedReason     string     `json:"dissolved_reason"`
	Units               []string   `json:"units" doc:"所在单位；联合党支部可有多个"`
	SortOrder           int        `json:"sort_order"`
	FullMembers         *int       `json:"full_members" doc:"正式党员数（党籍正常，含全部下级组织）；尚无党员记录时为 null"`
	ProbationaryMembers *int       `json:"probationary_members" doc:"预备党员数（同上）"`
	ChildCount          int        `json:"child_count"`
	CreatedAt           time.Time  `json:"created_at"`
	UpdatedAt           time.Time  `json:"updated_at"`
	Version             int        `json:"version" doc:"修改时原样带回，用于发现并发修改"`
	Ancestors           []Ref      `json:"ancestors,omitempty"`
}

// Ref is a short reference to an organisation.
type Ref struct {
	ID       int64  `json:"id"`
	Code     string `json:"code"`
	Name     string `json:"name"`
	Type     Type   `json:"type,omitempty"`
	TypeName string `json:"type_name,omitempty"`
}

// TreeNode is one node of the lazily loaded tree.
type TreeNode struct {
	ID         int64  `json:"id"`
	Code       string `json:"code"`
	Name       string `json:"name"`
	Type       Type   `json:"type"`
	TypeName   string `json:"type_name"`
	Status     Status `json:"status"`
	ChildCount int    `json:"child_count"`
}

// CreateInput is a new organisation.
type CreateInput struct {
	Code          string     `json:"code"`
	Name          string     `json:"name"`
	ShortName     string     `json:"short_name"`
	Type          Type       `json:"type"`
	UnitType      UnitType   `json:"unit_type"`
	DivisionCode  string     `json:"division_code"`
	ParentID      int64      `json:"parent_id"`
	EstablishedOn civil.Date `json:"established_on"`
	Units         []string   `json:"units"`
	SortOrder     int        `json:"sort_order"`
}

// UpdateInput changes some fields; absent fields stay as they are.
type UpdateInput struct {
	Code          *string     `json:"code"`
	Name          *string     `json:"name"`
	ShortName     *string     `json:"short_name"`
	Type          *Type       `json:"type"`
	UnitType      *UnitType   `json:"unit_type"`
	DivisionCode  *string     `json:"division_code"`
	EstablishedOn *civil.Date `json:"established_on"`
	Units         *[]string   `json:"units"`
	SortOrder     *int        `json:"sort_order"`
	Version       int         `json:"version"`
}

// MoveInput names the new parent.
type MoveInput struct {
	ParentID int64 `json:"parent_id"`
}

// DissolveInput is a 撤销.
type DissolveInput struct {
	Date   civil.Date `json:"date"`
	Reason string     `json:"reason"`
}

// Event is one entry of an organisation's history.
type Event struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	Kind     string    `json:"kind"`
	KindName string    `json:"kind_name"`
	Summary  string    `json:"summary"`
	Username string    `json:"username"`
}

var eventKinds = map[string]string{
	"create": "成立", "update": "修改", "move": "调整隶属", "dissolve": "撤销", "restore": "恢复",
	"term": "换届", "term_update": "班子任期调整", "leader": "班子成员变动",
}

// TermState says where a term stands.
type TermState string

const (
	TermCurrent TermState = "current"  // 正常
	TermDueSoon TermState = "due_soon" // 即将届满
	TermOverdue TermState = "overdue"  // 已超期
	TermEnded   TermState = "ended"    // 已换届
)

// Term is one elected 班子 with its leaders.
type Term struct {
	ID                int64      `json:"id"`
	OrgID             int64      `json:"org_id"`
	ElectedOn         civil.Date `json:"elected_on"`
	TermYears         int        `json:"term_years"`
	EndsOn            civil.Date `json:"ends_on"`
	ExtendedTo        civil.Date `json:"extended_to"`
	ExtensionReason   string     `json:"extension_reason"`
	ExtensionApproval string     `json:"extension_approval"`
	ClosedOn          civil.Date `json:"closed_on"`
	DueOn             civil.Date `json:"due_on" doc:"应换届日期：经批准延期的以延期日期为准"`
	State             TermState  `json:"state"`
	Source            string     `json:"source" doc:"任期年限的依据"`
	Leaders           []Leader   `json:"leaders"`
}

func (t *Term) committeeSize() int {
	n := 0
	for _, l := range t.Leaders {
		if l.EndedOn.IsZero() {
			n++
		}
	}
	return n
}

// Leader is one member of a 班子.
type Leader struct {
	ID        int64      `json:"id"`
	TermID    int64      `json:"term_id"`
	Name      string     `json:"name"`
	Post      Post       `json:"post"`
	PostName  string     `json:"post_name"`
	StartedOn civil.Date `json:"started_on"`
	EndedOn   civil.Date `json:"ended_on"`
	Note      string     `json:"note"`
}

// TermInput is a new term (换届) with its leaders.
type TermInput struct {
	ElectedOn civil.Date    `json:"elected_on"`
	EndsOn    civil.Date    `json:"ends_on"`
	Leaders   []LeaderInput `json:"leaders"`
}

// TermUpdate changes a term's dates or records an approved extension.
type TermUpdate struct {
	ElectedOn         *civil.Date `json:"elected_on"`
	EndsOn            *civil.Date `json:"ends_on"`
	ExtendedTo        *civil.Date `json:"extended_to"`
	ExtensionReason   *string     `json:"extension_reason"`
	ExtensionApproval *string     `json:"extension_approval"`
}

// LeaderInput is a leader to add or change.
type LeaderInput struct {
	Name      string     `json:"name"`
	Post      Post       `json:"post"`
	StartedOn civil.Date `json:"started_on"`
	Note      string     `json:"note"`
}

// LeaderUpdate changes some fields of a leader.
type LeaderUpdate struct {
	Name      *string     `json:"name"`
	Post      *Post       `json:"post"`
	StartedOn *civil.Date `json:"started_on"`
	EndedOn   *civil.Date `json:"ended_on"`
	Note      *string     `json:"note"`
}

// Committee is an organisation's current and past terms.
type Committee struct {
	Current *Term  `json:"current"`
	Terms   []Term `json:"terms"`
}

// ListFilter selects organisations for the paged list.
type ListFilter struct {
	Under    int64  // subtree root (excluded); 0 = everything in scope
	Direct   bool   // only the direct children of Under
	Q        string // code or name contains
	Type     Type
	UnitType UnitType
	Status   string // active (default), dissolved, all
}

// Election is one line of the 换届 list.
type Election struct {
	Org      Ref        `json:"org"`
	Term     *Term      `json:"term"`
	DueOn    civil.Date `json:"due_on"`
	DaysLeft *int       `json:"days_left"`
	State    string     `json:"state" doc:"overdue 已超期 / due_soon 即将届满 / missing 未录入班子"`
}

// OrgFindings are the findings of one organisation.
type OrgFindings struct {
	Org      Ref       `json:"org"`
	Findings []Finding `json:"findings"`
}

// Stats summarise a subtree.
type Stats struct {
	Total      int         `json:"total"`
	Active     int         `json:"active"`
	Dissolved  int         `json:"dissolved"`
	ByType     []Count     `json:"by_type"`
	ByUnitType []Count     `json:"by_unit_type"`
	Elections  ElectionSum `json:"elections"`
}

// Count is one bar or slice of a chart.
type Count struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// ElectionSum counts active elected organisations by term state.
type ElectionSum struct {
	Overdue int `json:"overdue"`
	DueSoon int `json:"due_soon"`
	OK      int `json:"ok"`
	Missing int `json:"missing"`
}
