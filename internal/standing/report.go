package standing

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/member"
)

// ChangeRow is one row of 党员数量变化 (党内统计 表一) for an organisation and a year.
type ChangeRow struct {
	OrgID   int64  `json:"org_id"`
	OrgCode string `json:"org_code"`
	OrgName string `json:"org_name"`
	Node    bool   `json:"node" doc:"所查组织本身（其余为直属下级）"`
	// 上年底总数: the frozen year-end total (年报封存) when there is one, else derived.
	PrevTotal  int  `json:"prev_total" doc:"上年底总数"`
	PrevFrozen bool `json:"prev_frozen" doc:"上年底数取自封存年报；否则按变动记录推算"`
	// 本年增加
	Develop       int `json:"develop" doc:"发展党员"`
	Rejoin        int `json:"rejoin" doc:"重新入党"`
	Restore       int `json:"restore" doc:"恢复党籍"`
	TransferIn    int `json:"transfer_in" doc:"转入组织关系（含整建制转入）"`
	OrgTransferIn int `json:"org_transfer_in" doc:"其中：整建制转入"`
	Increase      int `json:"increase" doc:"本年增加合计"`
	// 本年减少
	Left            int `json:"left" doc:"出党合计"`
	Expel           int `json:"expel" doc:"开除党籍"`
	Withdraw        int `json:"withdraw" doc:"退党除名"`
	Persuade        int `json:"persuade" doc:"劝退"`
	PersuadeRemoved int `json:"persuade_removed" doc:"劝而不退除名"`
	Lapse           int `json:"lapse" doc:"自行脱党除名"`
	CancelProbation int `json:"cancel_probation" doc:"取消预备党员资格"`
	Suspend         int `json:"suspend" doc:"停止党籍"`
	Death           int `json:"death" doc:"死亡"`
	TransferOut     int `json:"transfer_out" doc:"转出组织关系（含整建制转出）"`
	OrgTransferOut  int `json:"org_transfer_out" doc:"其中：整建制转出"`
	Decrease        int `json:"decrease" doc:"本年减少合计"`
	// 本年底
	Expected    int    `json:"expected" doc:"本年底应有数 = 上年底 + 增加 − 减少"`
	Actual      int    `json:"actual" doc:"本年底实有数（本年为当前党籍正常的党员数）"`
	Difference  int    `json:"difference" doc:"差额 = 应有数 − 实有数，应为0"`
	Explanation string `json:"explanation,omitempty" doc:"差额不为0时的说明"`
	later       int    // net change after the year, for 实有数 of a past year
}

// ChangeReport is 党员数量变化 for a node and a year: the node's row and one per direct child.
type ChangeReport struct {
	OrgID    int64       `json:"org_id"`
	OrgName  string      `json:"org_name"`
	Year     int         `json:"year"`
	Current  bool        `json:"current" doc:"本年（实有数为当前数）"`
	AsOf     civil.Date  `json:"as_of" doc:"统计截至日期"`
	Derived  bool        `json:"derived" doc:"上年底数按变动记录推算（未封存年报）"`
	Note     string      `json:"note"`
	Frozen   *Snapshot   `json:"frozen,omitempty" doc:"本年度年报的封存情况"`
	Rows     []ChangeRow `json:"rows"`
	Rule     string      `json:"rule"`
	Source   string      `json:"source"`
	Balanced bool        `json:"balanced" doc:"各行差额均为0"`
}

// Snapshot is a frozen year-end total (年报封存).
type Snapshot struct {
	OrgID    int64     `json:"org_id"`
	Year     int       `json:"year"`
	Total    int       `json:"total"`
	FrozenAt time.Time `json:"frozen_at"`
	Username string    `json:"username"`
}

// SnapshotInput freezes a past year's year-end totals for a node's subtree.
type SnapshotInput struct {
	OrgID   int64 `json:"org_id"`
	Year    int   `json:"year"`
	Confirm bool  `json:"confirm" doc:"已封存时须为 true 才重新封存（覆盖原数）"`
}

// SnapshotAnswer says what was frozen.
type SnapshotAnswer struct {
	OrgID   int64 `json:"org_id"`
	Year    int   `json:"year"`
	Orgs    int   `json:"orgs" doc:"封存的组织个数（本组织及全部下级）"`
	Total   int   `json:"total" doc:"本组织的年底总数"`
	Refroze bool  `json:"refroze" doc:"覆盖了原封存数"`
}

const derivedNote = "上年底数按变动记录推算，未封存年报"

type node struct {
	id         int64
	code, name string
	path       string
	live       int
}

func loadNode(ctx context.Context, q db.Querier, id int64) (*node, error) {
	var n node
	err := q.QueryRow(ctx, `SELECT id, code, name, path, COALESCE(full_members, 0) + COALESCE(probationary_members, 0) FROM orgs WHERE id = ?`, id).
		Scan(&n.id, &n.code, &n.name, &n.path, &n.live)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !access.Covers(ctx, access.OrgRead, n.path)) {
		return nil, api.NotFound("组织不存在，或不在您的管理范围内")
	}
	return &n, err
}

// rootOf is the organisation a report without org_id is drawn for: the caller's first root.
func (s *Store) rootOf(ctx context.Context, id int64) (int64, error) {
	if id != 0 {
		return id, nil
	}
	paths, all := access.Roots(ctx, access.OrgRead)
	if all {
		var root int64
		err := s.db.QueryRow(ctx, `SELECT id FROM orgs WHERE parent_id IS NULL ORDER BY sort_order, code LIMIT 1`).Scan(&root)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, api.NotFound("还没有党组织")
		}
		return root, err
	}
	if len(paths) == 0 {
		return 0, api.Forbidden("没有可查看的组织")
	}
	ids := strings.Split(strings.Trim(paths[0], "/"), "/")
	return strconv.ParseInt(ids[len(ids)-1], 10, 64)
}

// eventGroup is the ledger's rows since a year's start, grouped.
type eventGroup struct {
	kind     member.EventKind
	from, to string
	later    bool // after the year's end
	n        int
}

// events reads the ledger rows dated from the year's start on whose from or to path lies
// under path, grouped by kind and paths (the dated index keeps it to those rows).
func events(ctx context.Context, q db.Querier, path string, year int) ([]eventGroup, error) {
	start, end := civil.New(year, 1, 1), civil.New(year, 12, 31)
	like := "%" + path[strings.LastIndex(strings.TrimSuffix(path, "/"), "/"):] + "%" // '%/N/%'
	rows, err := q.Query(ctx, `SELECT kind, from_path, to_path, CASE WHEN on_date > ? THEN 1 ELSE 0 END, COUNT(*)
		FROM member_events WHERE on_date >= ? AND (from_path LIKE ? OR to_path LIKE ?)
		GROUP BY 1, 2, 3, 4`, end, start, like, like)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []eventGroup
	for rows.Next() {
		var g eventGroup
		var later int
		if err := rows.Scan(&g.kind, &g.from, &g.to, &later, &g.n); err != nil {
			return nil, err
		}
		g.later = later == 1
		out = append(out, g)
	}
	return out, rows.Err()
}

func under(path string, id int64) bool {
	return strings.Contains(path, "/"+strconv.FormatInt(id, 10)+"/")
}

// add counts g in r for organisation id: an increase when the member came under it, a
// decrease when they left it; a move inside it changes nothing.
func (r *ChangeRow) add(g eventGroup, id int64) {
	in, out := under(g.to, id) && !under(g.from, id), under(g.from, id) && !under(g.to, id)
	if !in && !out {
		return
	}
	if g.later {
		if in {
			r.later += g.n
		} else {
			r.later -= g.n
		}
		return
	}
	if in {
		r.Increase += g.n
		switch g.kind {
		case member.EventDevelop:
			r.Develop += g.n
		case member.EventRejoin:
			r.Rejoin += g.n
		case member.EventRestore:
			r.Restore += g.n
		case member.EventOrgTransfer:
			r.TransferIn += g.n
			r.OrgTransferIn += g.n
		default: // transfer, and anything else that brings a member in
			r.TransferIn += g.n
		}
		return
	}
	r.Decrease += g.n
	switch g.kind {
	case member.EventExpel:
		r.Expel += g.n
	case member.EventWithdraw:
		r.Withdraw += g.n
	case member.EventPersuade:
		r.Persuade += g.n
	case member.EventPersuadeRemoved:
		r.PersuadeRemoved += g.n
	case member.EventLapse:
		r.Lapse += g.n
	case member.EventCancelProbation:
		r.CancelProbation += g.n
	case member.EventSuspend:
		r.Suspend += g.n
	case member.EventDeath:
		r.Death += g.n
	case member.EventOrgTransfer:
		r.TransferOut += g.n
		r.OrgTransferOut += g.n
	default:
		r.TransferOut += g.n
	}
	r.Left = r.Expel + r.Withdraw + r.Persuade + r.PersuadeRemoved + r.Lapse + r.CancelProbation
}

// MemberChanges draws 党员数量变化 for organisation orgID (0: the caller's first root) and a
// year: 本年 from the ledger, 本年底实有数 from the organisations' member counts (for a past year
// less the net change of the later ledger rows), 上年底 from the frozen snapshot or derived.
func (s *Store) MemberChanges(ctx context.Context, orgID int64, year int) (*ChangeReport, error) {
	today := s.Today()
	if year == 0 {
		year = today.Year()
	}
	if year > today.Year() {
		return nil, api.FieldInvalid("year", "年份不能晚于今年")
	}
	if year < 1921 {
		return nil, api.FieldInvalid("year", "年份有误")
	}
	id, err := s.rootOf(ctx, orgID)
	if err != nil {
		return nil, err
	}
	n, err := loadNode(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	units := []node{*n}
	rows, err := s.db.Query(ctx, `SELECT id, code, name, path, COALESCE(full_members, 0) + COALESCE(probationary_members, 0)
		FROM orgs WHERE parent_id = ? ORDER BY sort_order, code`, n.id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var c node
		if err := rows.Scan(&c.id, &c.code, &c.name, &c.path, &c.live); err != nil {
			rows.Close()
			return nil, err
		}
		units = append(units, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	groups, err := events(ctx, s.db, n.path, year)
	if err != nil {
		return nil, err
	}
	snaps := map[int64]int{}
	{
		ids := make([]string, len(units))
		for i, u := range units {
			ids[i] = strconv.FormatInt(u.id, 10)
		}
		rows, err := s.db.Query(ctx, `SELECT org_id, total FROM member_count_snapshots WHERE year = ? AND org_id IN (`+strings.Join(ids, ",")+`)`, year-1)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var total int
			if err := rows.Scan(&id, &total); err != nil {
				rows.Close()
				return nil, err
			}
			snaps[id] = total
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	rep := &ChangeReport{OrgID: n.id, OrgName: n.name, Year: year, Current: year == today.Year(), Rows: []ChangeRow{}, Balanced: true,
		Rule: "上年底总数 + 本年增加 − 本年减少 = 本年底应有数；应有数 − 实有数 = 差额（应为0）", Source: "党内统计 表一《党员数量变化情况》"}
	rep.AsOf = civil.New(year, 12, 31)
	if rep.Current {
		rep.AsOf = today
	}
	for i, u := range units {
		r := ChangeRow{OrgID: u.id, OrgCode: u.code, OrgName: u.name, Node: i == 0}
		for _, g := range groups {
			r.add(g, u.id)
		}
		r.Actual = u.live - r.later
		if total, ok := snaps[u.id]; ok {
			r.PrevTotal, r.PrevFrozen = total, true
		} else {
			r.PrevTotal = r.Actual - r.Increase + r.Decrease
		}
		r.Expected = r.PrevTotal + r.Increase - r.Decrease
		r.Difference = r.Expected - r.Actual
		if r.Difference != 0 {
			rep.Balanced = false
			more := "多"
			if r.Difference > 0 {
				more = "少"
			}
			r.Explanation = fmt.Sprintf("实有数比应有数%s %d 名：%d年底封存的年报数加减本年的变动记录与当前名册不符。常见原因：补录的党员（不计入本年增加）、"+
				"直接删除的党员记录、未经党籍变动程序的修改，或封存后补登的上年变动。请逐一核对后办理相应手续或重新封存上年年报。", more, abs(r.Difference), year-1)
		}
		if i == 0 && !r.PrevFrozen {
			rep.Derived, rep.Note = true, derivedNote
		}
		rep.Rows = append(rep.Rows, r)
	}
	var snap Snapshot
	err = s.db.QueryRow(ctx, `SELECT org_id, year, total, frozen_at, username FROM member_count_snapshots WHERE org_id = ? AND year = ?`, n.id, year).
		Scan(&snap.OrgID, &snap.Year, &snap.Total, &snap.FrozenAt, &snap.Username)
	if err == nil {
		rep.Frozen = &snap
	} else if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	return rep, nil
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// pathIDs are the organisation ids of a path, root first.
func pathIDs(path string) []int64 {
	var out []int64
	for _, p := range strings.Split(strings.Trim(path, "/"), "/") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// Freeze records the year-end totals of a past year for organisation in.OrgID and every
// organisation under it (年报封存): each total is the organisation's member count less the net
// change of the ledger rows dated after that year. Refreezing needs Confirm (409 otherwise).
func (s *Store) Freeze(ctx context.Context, in SnapshotInput) (*SnapshotAnswer, error) {
	today := s.Today()
	switch {
	case in.Year == 0:
		return nil, api.FieldInvalid("year", "请选择要封存的年份")
	case in.Year >= today.Year():
		return nil, api.FieldInvalid("year", fmt.Sprintf("只能封存已经结束的年度（%d年及以前）：本年和以后的年份尚未结束", today.Year()-1))
	case in.Year < 1921:
		return nil, api.FieldInvalid("year", "年份有误")
	}
	if in.OrgID == 0 {
		return nil, api.FieldInvalid("org_id", "请选择组织")
	}
	ans := &SnapshotAnswer{OrgID: in.OrgID, Year: in.Year}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		n, err := loadNode(ctx, tx, in.OrgID)
		if err != nil {
			return err
		}
		if !access.Covers(ctx, access.OrgWrite, n.path) {
			return api.Forbidden("您对“" + n.name + "”只有查看权限，不能封存年报")
		}
		var have int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM member_count_snapshots s JOIN orgs o ON o.id = s.org_id WHERE s.year = ? AND o.path LIKE ?`,
			in.Year, n.path+"%").Scan(&have); err != nil {
			return err
		}
		if have > 0 && !in.Confirm {
			e := api.Conflict(fmt.Sprintf("“%s”%d年的年报已封存（含下级 %d 个组织）。重新封存将按当前名册和变动记录覆盖原封存数，请确认后再操作", n.name, in.Year, have))
			e.Extra = map[string]any{"frozen": have, "confirm": "confirm"}
			return e
		}
		ans.Refroze = have > 0
		// Net change after the year for every organisation the later rows touch.
		groups, err := events(ctx, tx, n.path, in.Year)
		if err != nil {
			return err
		}
		later := map[int64]int{}
		for _, g := range groups {
			if !g.later {
				continue
			}
			from, to := map[int64]bool{}, map[int64]bool{}
			for _, id := range pathIDs(g.from) {
				from[id] = true
			}
			for _, id := range pathIDs(g.to) {
				to[id] = true
				if !from[id] {
					later[id] += g.n
				}
			}
			for id := range from {
				if !to[id] {
					later[id] -= g.n
				}
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM member_count_snapshots WHERE year = ? AND org_id IN (SELECT id FROM orgs WHERE path LIKE ?)`,
			in.Year, n.path+"%"); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT id, COALESCE(full_members, 0) + COALESCE(probationary_members, 0) FROM orgs WHERE path LIKE ? ORDER BY id`, n.path+"%")
		if err != nil {
			return err
		}
		type total struct {
			id int64
			n  int
		}
		var all []total
		for rows.Next() {
			var t total
			if err := rows.Scan(&t.id, &t.n); err != nil {
				rows.Close()
				return err
			}
			t.n -= later[t.id]
			all = append(all, t)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		now, who := time.Now().UTC(), username(ctx)
		for len(all) > 0 {
			chunk := all[:min(len(all), 300)]
			all = all[len(chunk):]
			var sb strings.Builder
			args := make([]any, 0, 5*len(chunk))
			sb.WriteString(`INSERT INTO member_count_snapshots (org_id, year, total, frozen_at, username) VALUES `)
			for i, t := range chunk {
				if i > 0 {
					sb.WriteString(",")
				}
				sb.WriteString("(?, ?, ?, ?, ?)")
				args = append(args, t.id, in.Year, t.n, now, who)
				if t.id == n.id {
					ans.Total = t.n
				}
				ans.Orgs++
			}
			if _, err := tx.Exec(ctx, sb.String(), args...); err != nil {
				return err
			}
		}
		verb := "封存"
		if ans.Refroze {
			verb = "重新封存"
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "standing.snapshot", Entity: "org", EntityID: strconv.FormatInt(n.id, 10),
			Summary: fmt.Sprintf("%s“%s”%d年党员数量年报：年底总数 %d 名（含下级共 %d 个组织）", verb, n.name, in.Year, ans.Total, ans.Orgs),
			After:   ans})
	})
	if err != nil {
		return nil, err
	}
	return ans, nil
}

func username(ctx context.Context) string {
	if p := access.From(ctx); p != nil {
		return p.Username
	}
	return "system"
}
