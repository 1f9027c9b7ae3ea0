package transfer

import (
	"context"
	"fmt"

	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/rules"
	"github.com/dangjian/dangjian/internal/todo"
)

// maxWorkItems bounds what one box adds to the 工作台; the 转接 page has the rest.
const maxWorkItems = 20

// WorkItems are the 工作台's transfer items for the caller: letters to accept or return (the
// receiver must not leave them lying: 不得无故拒转拒接), letters sent that nobody accepted by
// their validity date, and letters to outside the system still waiting for their 回执 (the
// sender stays responsible until then).
func (s *Store) WorkItems(ctx context.Context, today civil.Date) ([]todo.Item, error) {
	accept, responsible, overdue := rules.Get("transfer.no_refusal").Source, rules.Get("transfer.responsibility").Source, rules.Get("transfer.overdue").Source
	var items []todo.Item
	in, err := s.List(ctx, ListFilter{Box: "in", Status: "pending"}, api.Paging{Page: 1, Size: maxWorkItems})
	if err != nil {
		return nil, err
	}
	for _, t := range in.Items {
		if !t.CanAccept {
			continue
		}
		items = append(items, todo.Item{Kind: "transfer", Org: sideRef(t.To), DueOn: t.ValidUntil,
			Title:  fmt.Sprintf("接收或退回%s的组织关系（%s转来，介绍信 %s）", t.MemberName, t.From.Name, t.LetterNo),
			Date:   "介绍信有效期至 " + t.ValidUntil.String(),
			Source: accept, Link: "/transfers?box=in"})
	}
	out, err := s.List(ctx, ListFilter{Box: "out", Status: "pending"}, api.Paging{Page: 1, Size: maxWorkItems})
	if err != nil {
		return nil, err
	}
	for _, t := range out.Items {
		if !t.CanWithdraw {
			continue
		}
		switch {
		case t.Kind == KindOut:
			items = append(items, todo.Item{Kind: "transfer", Org: sideRef(t.From), DueOn: t.ValidUntil,
				Title:  fmt.Sprintf("%s转往%s的介绍信尚未收到回执", t.MemberName, t.To.Name),
				Date:   "介绍信有效期至 " + t.ValidUntil.String(),
				Source: responsible, Link: "/transfers?box=out"})
		case t.Overdue:
			items = append(items, todo.Item{Kind: "transfer", Org: sideRef(t.From), DueOn: t.ValidUntil,
				Title:  fmt.Sprintf("%s转往%s的介绍信已过有效期仍未被接收：请联系接收组织，或撤回后重新开具", t.MemberName, t.To.Name),
				Date:   "有效期截至 " + t.ValidUntil.String(),
				Source: overdue, Link: "/transfers?box=out"})
		}
	}
	return items, nil
}

// sideRef names a side's organisation for a work item.
func sideRef(side Side) todo.Ref {
	r := todo.Ref{Name: side.Name}
	if side.OrgID != nil {
		r.ID = *side.OrgID
	}
	return r
}
