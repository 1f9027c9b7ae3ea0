package mobility

import (
	"context"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/todo"
)

// WorkItems are the 工作台's proposals for the branches the caller may write: a member away
// six months at a fixed place whose relation should move, a member lost six months and
// searched for without result (停止党籍), a member suspended two years and still not found
// (按自行脱党除名). Each is a proposal for the branch to decide, never an automatic act.
func (s *Store) WorkItems(ctx context.Context, today civil.Date) ([]todo.Item, error) {
	ps, err := s.Proposals(ctx, 0)
	if err != nil {
		return nil, err
	}
	writable := map[int64]bool{}
	var items []todo.Item
	for _, p := range ps {
		o := p.Member.Org
		ok, seen := writable[o.ID]
		if !seen {
			var path string
			if err := s.db.QueryRow(ctx, `SELECT path FROM orgs WHERE id = ?`, o.ID).Scan(&path); err != nil {
				return nil, err
			}
			ok = access.Covers(ctx, access.OrgWrite, path)
			writable[o.ID] = ok
		}
		if !ok {
			continue
		}
		items = append(items, todo.Item{Kind: "mobility", Org: todo.Ref{ID: o.ID, Code: o.Code, Name: o.Name},
			Title: p.Member.Name + "：" + p.Title, DueOn: p.DueOn, Date: "自 " + p.DueOn.String() + " 起应办",
			Source: p.Source, Link: "/mobility?tab=todo"})
	}
	return items, nil
}
