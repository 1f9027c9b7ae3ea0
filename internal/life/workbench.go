package life

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/rules"
	"github.com/dangjian/dangjian/internal/todo"
)

// WorkItem is one thing the current user must do next (internal/todo).
type WorkItem = todo.Item

// Workbench is the current user's to-do list within their scope.
type Workbench struct {
	Today   civil.Date `json:"today"`
	Managed []Ref      `json:"managed" doc:"按本人管理范围提醒的组织"`
	Items   []WorkItem `json:"items"`
	Notes   []string   `json:"notes"`
}

const maxElectionItems = 20

// Workbench lists, for the organisations the user manages (where they hold org.write), the
// meetings due in the current period that are not yet held, the 谈心谈话 still to do, the
// 6-month signals, 换届 due (from internal/org) and pending member change requests. Nothing
// is scored or ranked; items are ordered by their date.
func (s *Store) Workbench(ctx context.Context) (*Workbench, error) {
	today := s.Today()
	out := &Workbench{Today: today, Managed: []Ref{}, Items: []WorkItem{}, Notes: []string{}}
	paths, all := access.Roots(ctx, access.OrgWrite)
	if all {
		out.Notes = append(out.Notes, "全局账号没有具体的管理组织，工作台不列提醒。")
		return out, nil
	}
	if len(paths) == 0 {
		out.Notes = append(out.Notes, "您只有查看权限：工作台只为负责录入的管理员列出待办事项。")
		return out, nil
	}
	var roots []*unit
	for _, p := range paths {
		ids := pathIDs(p)
		if len(ids) == 0 {
			continue
		}
		u, err := s.unit(ctx, s.db, ids[len(ids)-1])
		if errors.Is(err, errOrgNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		roots = append(roots, u)
	}
	for _, root := range roots {
		units, sizes, _, err := s.subtreeUnits(ctx, s.db, root)
		if err != nil {
			return nil, err
		}
		managed := managedUnits(root, units)
		for _, u := range managed {
			out.Managed = append(out.Managed, u.ref())
		}
		if err := s.meetingItems(ctx, out, root, managed, sizes, today); err != nil {
			return nil, err
		}
		if err := s.talkItems(ctx, out, root, managed, today); err != nil {
			return nil, err
		}
		if err := s.electionItems(ctx, out, root, today); err != nil {
			return nil, err
		}
	}
	if err := s.changeItems(ctx, out); err != nil {
		return nil, err
	}
	for _, src := range s.WorkSources {
		items, err := src(ctx, today)
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, items...)
	}
	sort.SliceStable(out.Items, func(i, j int) bool {
		a, b := out.Items[i].DueOn, out.Items[j].DueOn
		if a.IsZero() != b.IsZero() {
			return !a.IsZero()
		}
		return a.Before(b)
	})
	if len(out.Items) == 0 {
		out.Notes = append(out.Notes, "当前没有需要办理的事项。")
	}
	return out, nil
}

// managedUnits are the organisations whose reminders go to a user granted at root: root itself
// and, where root runs its branches directly (党总支, 村/社区党组织), its branches; a branch's
// 党小组 go to the branch. Branches under a 乡镇党委 or higher get their own reminders.
func managedUnits(root *unit, units []*unit) []*unit {
	out := []*unit{}
	direct := root.Type == org.TypeGeneralBranch || root.Type.IsBranchLike() ||
		(root.Type == org.TypeCommittee && (root.UnitType == org.UnitVillage || root.UnitType == org.UnitCommunity))
	included := map[int64]bool{}
	for _, u := range units {
		switch {
		case u.ID == root.ID:
		case !direct || u.ParentID == nil:
			continue
		case *u.ParentID == root.ID && (u.Type.IsBranchLike() || u.Type == org.TypeGroup):
		case u.Type == org.TypeGroup && included[*u.ParentID]:
		default:
			continue
		}
		if holdsLife(u.Type) {
			included[u.ID] = true
			out = append(out, u)
		}
	}
	return out
}

func (s *Store) meetingItems(ctx context.Context, out *Workbench, root *unit, managed []*unit, sizes map[int64]int, today civil.Date) error {
	if len(managed) == 0 {
		return nil
	}
	tree, err := settingsTable.Tree(ctx, s.db, root.Path)
	if err != nil {
		return err
	}
	meetings, err := s.meetingsIn(ctx, s.db, root, civil.New(today.Year(), 1, 1), civil.New(today.Year(), 12, 31))
	if err != nil {
		return err
	}
	lapseFrom := today.AddDate(0, -rules.Get("life.lapse").Value, 0)
	recent, err := s.meetingsIn(ctx, s.db, root, lapseFrom.AddDate(0, 0, 1), today)
	if err != nil {
		return err
	}
	lapses, err := s.lapses(ctx, root, lapseFrom, today)
	if err != nil {
		return err
	}
	for _, u := range managed {
		e := merge(tree.Chain(u.Path))
		for _, t := range requiredTypes(u, sizes[u.ID], e) {
			freq := e.Frequencies[t.Code]
			p := PeriodOf(freq, today)
			req := evaluate(t, freq, u, p, meetings, today)
			if req.Status != Pending {
				continue
			}
			title := fmt.Sprintf("%s%s尚未召开", p.Label(), t.Name)
			if t.Code == TypeThemeDay && e.ThemeDay > 0 {
				title += fmt.Sprintf("（固定日：%s）", themeDayOf(e.ThemeDay, today))
			}
			out.Items = append(out.Items, WorkItem{Kind: "meeting", Org: u.ref(), Title: title, DueOn: p.To(), Date: "截止 " + p.To().String(),
				Source: t.Source, Link: fmt.Sprintf("/life/meetings/%d?new=%s", u.ID, t.Code)})
		}
		if !u.Type.IsBranchLike() {
			continue
		}
		uc := UnitCompliance{}
		s.lifeSignals(&uc, u, recent, lapses, lapseFrom, today)
		for _, f := range uc.Findings {
			kind := "lapse"
			if f.RuleID == "life.silent" {
				kind = "silent"
			}
			out.Items = append(out.Items, WorkItem{Kind: kind, Org: u.ref(), Title: f.Message, Date: lapseFrom.AddDate(0, 0, 1).String() + " 至 " + today.String(),
				Source: f.Source, Link: fmt.Sprintf("/life/compliance/%d", u.ID)})
		}
	}
	return nil
}

func (s *Store) talkItems(ctx context.Context, out *Workbench, root *unit, managed []*unit, today civil.Date) error {
	one := api.Paging{Page: 1, Size: 100000}
	for _, u := range managed {
		if !u.Type.IsBranchLike() {
			continue
		}
		c, err := s.TalkCoverage(ctx, u.ID, "branch", PeriodOf(Yearly, today), one)
		if err != nil {
			return err
		}
		for _, it := range c.Items {
			if it.Org.ID == u.ID && it.Status == Pending {
				out.Items = append(out.Items, WorkItem{Kind: "talk", Org: u.ref(), Title: fmt.Sprintf("本年度尚有 %d 名党员未开展谈心谈话", len(it.Uncovered)),
					DueOn: civil.New(today.Year(), 12, 31), Date: "截止 " + civil.New(today.Year(), 12, 31).String(), Source: it.Source, Link: "/life/talks"})
			}
		}
	}
	// The township's own duty: its 班子 talks with every village cadre each quarter.
	if root.UnitType != org.UnitTownship && root.UnitType != org.UnitStreet {
		return nil
	}
	c, err := s.TalkCoverage(ctx, root.ID, "village", PeriodOf(Quarterly, today), one)
	if err != nil {
		return err
	}
	people, villages := 0, 0
	for _, it := range c.Items {
		if it.Status == Pending {
			people += len(it.Uncovered)
			villages++
		}
	}
	if people > 0 {
		q := PeriodOf(Quarterly, today)
		out.Items = append(out.Items, WorkItem{Kind: "talk", Org: root.ref(),
			Title: fmt.Sprintf("%s尚有 %d 名村干部未开展谈心谈话（涉及 %d 个村）", q.Label(), people, villages),
			DueOn: q.To(), Date: "截止 " + q.To().String(), Source: rules.Get("life.talk.village").Source, Link: "/life/talks?scope=village"})
	}
	return nil
}

func (s *Store) electionItems(ctx context.Context, out *Workbench, root *unit, today civil.Date) error {
	list, err := s.orgs.Elections(ctx, root.ID, rules.Get("org.term.remind").Value, api.Paging{Page: 1, Size: maxElectionItems + 10})
	if err != nil {
		return err
	}
	n := 0
	for _, e := range list.Items {
		if e.State == "missing" || e.Term == nil {
			continue
		}
		if n == maxElectionItems {
			out.Items = append(out.Items, WorkItem{Kind: "election", Org: root.ref(), Title: "更多换届提醒请查看换届提醒页面",
				Source: e.Term.Source, Link: "/elections"})
			break
		}
		n++
		title := fmt.Sprintf("本届班子 %s 届满，还有 %d 天，请提前做好换届准备", e.DueOn, today.DaysUntil(e.DueOn))
		if e.State == "overdue" {
			title = fmt.Sprintf("本届班子已于 %s 届满，已超期 %d 天，应按期换届", e.DueOn, -today.DaysUntil(e.DueOn))
		}
		out.Items = append(out.Items, WorkItem{Kind: "election", Org: Ref{ID: e.Org.ID, Code: e.Org.Code, Name: e.Org.Name, Type: e.Org.Type, TypeName: e.Org.TypeName},
			Title: title, DueOn: e.DueOn, Date: "届满 " + e.DueOn.String(), Source: e.Term.Source, Link: "/orgs/" + strconv.FormatInt(e.Org.ID, 10) + "?tab=committee"})
	}
	return nil
}

// changeItems counts the members' pending self-service change requests the user may decide
// (internal/member has no count function yet, so this reads its table directly, scoped the
// same way: org.write on the member's organisation).
func (s *Store) changeItems(ctx context.Context, out *Workbench) error {
	where, args := access.Filter(ctx, "o.path", access.OrgWrite)
	const from = ` FROM member_change_requests r JOIN members m ON m.id = r.member_id JOIN orgs o ON o.id = m.org_id WHERE r.status = 'pending' AND `
	var n int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*)`+from+where, args...).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return nil
	}
	var oldest time.Time
	if err := s.db.QueryRow(ctx, `SELECT r.requested_at`+from+where+` ORDER BY r.requested_at LIMIT 1`, args...).Scan(&oldest); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	since := civil.Of(oldest.In(time.FixedZone("CST", 8*3600)))
	out.Items = append(out.Items, WorkItem{Kind: "member_changes", Title: fmt.Sprintf("%d 条党员信息修改申请待审批", n),
		Date: "最早提交于 " + since.String(), Source: "党员自助修改的关键信息须经党组织审核", Link: "/members?tab=changes"})
	return nil
}
