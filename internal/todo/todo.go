// Package todo is the shape of one thing a user must do next. Each capability (组织生活,
// 发展党员, 组织关系转接, 流动/失联 …) lists its own items for the caller's write scope; the
// 工作台 (internal/life's Workbench) gathers them, orders them by date and shows them to the
// person who must act. Nothing is scored or ranked.
package todo

import (
	"context"

	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/org"
)

// Ref names an organisation.
type Ref struct {
	ID       int64    `json:"id"`
	Code     string   `json:"code"`
	Name     string   `json:"name"`
	Type     org.Type `json:"type"`
	TypeName string   `json:"type_name"`
}

// Item is one thing the current user must do next, with its date and its source.
type Item struct {
	Kind   string     `json:"kind" doc:"meeting 会议 / talk 谈心谈话 / lapse 党员连续6个月未参加组织生活 / silent 支部未开展组织生活 / election 换届 / member_changes 信息修改审批 / development 发展党员 / transfer 组织关系转接 / mobility 流动、失联党员"`
	Org    Ref        `json:"org"`
	Title  string     `json:"title"`
	DueOn  civil.Date `json:"due_on" doc:"截止或届满日期；没有的为 null"`
	Date   string     `json:"date" doc:"日期说明，如“截止 2026-12-31”"`
	Source string     `json:"source"`
	Link   string     `json:"link" doc:"办理页面（前端路径）"`
}

// Source lists a capability's items for the organisations the caller may write (access
// scope from ctx).
type Source func(ctx context.Context, today civil.Date) ([]Item, error)
