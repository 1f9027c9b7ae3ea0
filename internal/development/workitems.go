package development

import (
	"context"
	"strconv"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/rules"
	"github.com/dangjian/dangjian/internal/todo"
)

// WorkItems put each open case's next step on the 工作台 of the one who must act: the
// branch's steps for those who write the branch, 预审 and 审批 for the approving 党委's users
// only (Todo already keeps those to them).
func (s *Store) WorkItems(ctx context.Context, today civil.Date) ([]todo.Item, error) {
	list, err := s.Todo(ctx, 0, "")
	if err != nil {
		return nil, err
	}
	var items []todo.Item
	for _, it := range list {
		if !approvalSteps[it.Next.Step] && !access.Covers(ctx, access.OrgWrite, it.branchPath) {
			continue // a reader's view: the branch's users act
		}
		item := todo.Item{Kind: "development", Org: todo.Ref(it.Org), DueOn: it.Next.DueOn,
			Title:  it.Name + "：" + it.StepName,
			Source: stepSource(it.Next), Link: "/development/cases/" + strconv.FormatInt(it.CaseID, 10)}
		switch {
		case it.Next.Overdue:
			item.Date = "已超过 " + it.Next.DueOn.String()
		case !it.Next.DueOn.IsZero():
			item.Date = "应于 " + it.Next.DueOn.String() + " 前办理"
		case !it.Next.NotBefore.IsZero():
			item.Date = it.Next.NotBefore.String() + " 起可办理"
			item.DueOn = it.Next.NotBefore
		}
		if it.Next.Approver != "" {
			item.Title += "（" + it.Next.Approver + "办理）"
		}
		items = append(items, item)
	}
	return items, nil
}

// stepSource is the source of the rule behind a next step (it names its articles), or the
// national flow chart.
func stepSource(n Next) string {
	if r, ok := rules.Find(n.Rule); ok {
		return r.Source
	}
	return "全国“发展党员工作流程图”（5个阶段25个步骤）"
}
