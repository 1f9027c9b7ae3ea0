package life

import (
	"context"
	"strings"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/rules"
)

// HoursItem is one member's 学时 for a year: the sum of the study hours of the meetings they
// attended (present or 补课), against their target. Listed in roster order, never by hours.
type HoursItem struct {
	MemberID       int64   `json:"member_id"`
	Name           string  `json:"name"`
	Org            Ref     `json:"org"`
	Leader         bool    `json:"leader" doc:"书记或班子成员（按本人所在组织及上级组织本届班子的姓名认定）"`
	PostName       string  `json:"post_name"`
	Hours          float64 `json:"hours"`
	Meetings       int     `json:"meetings" doc:"计入学时的会议次数"`
	Target         float64 `json:"target"`
	Status         string  `json:"status" doc:"met 达标 / in_progress 年度未结束 / not_met 未达标"`
	StatusName     string  `json:"status_name"`
	JoinedThisYear bool    `json:"joined_this_year" doc:"年内入党（目标按全年计，仅作说明）"`
}

// HoursCount counts members by their 学时 status.
type HoursCount struct {
	Members    int `json:"members"`
	Met        int `json:"met"`
	InProgress int `json:"in_progress"`
	NotMet     int `json:"not_met"`
}

func (c *HoursCount) add(status string) {
	c.Members++
	switch status {
	case "met":
		c.Met++
	case "in_progress":
		c.InProgress++
	case "not_met":
		c.NotMet++
	}
}

// HoursAnswer is the 学时 coverage of a subtree.
type HoursAnswer struct {
	Org      Ref          `json:"org"`
	Year     int          `json:"year"`
	Closed   bool         `json:"closed"`
	Targets  []rules.Rule `json:"targets" doc:"目标的依据（各组织可调整，见 items 中的 target）"`
	Summary  HoursCount   `json:"summary"`
	Items    []HoursItem  `json:"items"`
	Total    int          `json:"total"`
	Page     int          `json:"page"`
	PageSize int          `json:"page_size"`
	Notes    []string     `json:"notes"`
}

var hoursStatusNames = map[string]string{"met": "达标", "in_progress": "进行中", "not_met": "未达标"}

// StudyHours derives each member's study hours for year from the meetings they attended.
// status narrows the list to met, in_progress or not_met.
func (s *Store) StudyHours(ctx context.Context, orgID int64, year int, status string, page api.Paging) (*HoursAnswer, error) {
	root, err := s.unitRequired(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if status != "" && hoursStatusNames[status] == "" {
		return nil, api.FieldInvalid("status", "应为 met（达标）、in_progress（进行中）或 not_met（未达标）")
	}
	today := s.Today()
	from, to := civil.New(year, 1, 1), civil.New(year, 12, 31)
	out := &HoursAnswer{Org: root.ref(), Year: year, Closed: today.After(to), Items: []HoursItem{}, Page: page.Page, PageSize: page.Size,
		Targets: []rules.Rule{rules.Get("life.study_hours.member"), rules.Get("life.study_hours.leader")}, Notes: []string{}}
	if !out.Closed {
		out.Notes = append(out.Notes, "年度尚未结束：未达目标的显示为“进行中”。")
	}
	tree, err := settingsTable.Tree(ctx, s.db, root.Path)
	if err != nil {
		return nil, err
	}
	// Serving 班子 members of the subtree and of its ancestors, by organisation path.
	leaders := map[string]map[string]string{} // org path → name → post name
	lrows, err := s.db.Query(ctx, `SELECT o.path, l.name, l.post FROM org_terms t JOIN org_leaders l ON l.term_id = t.id JOIN orgs o ON o.id = t.org_id
		WHERE t.closed_on IS NULL AND l.ended_on IS NULL AND (o.path LIKE ? OR ? LIKE o.path || '%')`, root.Path+"%", root.Path)
	if err != nil {
		return nil, err
	}
	for lrows.Next() {
		var path, name string
		var post string
		if err := lrows.Scan(&path, &name, &post); err != nil {
			lrows.Close()
			return nil, err
		}
		if leaders[path] == nil {
			leaders[path] = map[string]string{}
		}
		leaders[path][name] = org.Post(post).Name()
	}
	lrows.Close()
	if err := lrows.Err(); err != nil {
		return nil, err
	}
	where, args := access.Filter(ctx, "o.path", access.OrgRead)
	const attended = `FROM meeting_attendance a JOIN meetings mt ON mt.id = a.meeting_id
		WHERE a.member_id = m.id AND a.status IN ('present', 'makeup') AND mt.held_on >= ? AND mt.held_on <= ?`
	rows, err := s.db.Query(ctx, `SELECT m.id, m.name, o.id, o.code, o.name, o.type, o.path, m.joined_on,
		COALESCE((SELECT SUM(mt.study_hours) `+attended+`), 0), (SELECT COUNT(*) `+attended+`)
		FROM members m JOIN orgs o ON o.id = m.org_id
		WHERE o.path LIKE ? AND `+where+` AND m.status = 'normal' AND m.joined_on <= ?
		ORDER BY o.path, m.id`, append(append([]any{from, to, from, to, root.Path + "%"}, args...), to)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	n := 0
	effCache := map[string]Effective{}
	for rows.Next() {
		var it HoursItem
		var path string
		var joined civil.Date
		if err := rows.Scan(&it.MemberID, &it.Name, &it.Org.ID, &it.Org.Code, &it.Org.Name, &it.Org.Type, &path, &joined, &it.Hours, &it.Meetings); err != nil {
			return nil, err
		}
		it.Org.TypeName = it.Org.Type.Name()
		it.JoinedThisYear = joined.Year() == year
		best := ""
		for p, names := range leaders { // the nearest 班子 names the post
			if post, ok := names[it.Name]; ok && strings.HasPrefix(path, p) && len(p) > len(best) {
				best, it.Leader, it.PostName = p, true, post
			}
		}
		e, ok := effCache[path]
		if !ok {
			e = merge(tree.Chain(path))
			effCache[path] = e
		}
		it.Target = e.StudyHoursTarget
		if it.Leader {
			it.Target = e.LeaderStudyHoursTarget
		}
		switch {
		case it.Hours >= it.Target:
			it.Status = "met"
		case !out.Closed:
			it.Status = "in_progress"
		default:
			it.Status = "not_met"
		}
		it.StatusName = hoursStatusNames[it.Status]
		out.Summary.add(it.Status)
		if status != "" && it.Status != status {
			continue
		}
		if n >= page.Offset() && len(out.Items) < page.Size {
			out.Items = append(out.Items, it)
		}
		n++
	}
	out.Total = n
	return out, rows.Err()
}
