package demo

import (
	"context"
	"fmt"

	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/standing"
)

// LifecycleSummary says what Lifecycle recorded.
type LifecycleSummary struct {
	Moves, TransfersIn, TransfersOut, Suspended, Restored, Deaths, Left int
	Frozen                                                              int // organisations whose last year was frozen
}

func (s LifecycleSummary) String() string {
	return fmt.Sprintf("本年党籍和组织关系变动：支部间调整 %d 人、转入 %d 人、转出 %d 人、停止党籍 %d 人（其中恢复 %d 人）、去世 %d 人、出党 %d 人；封存上年年报 %d 个组织",
		s.Moves, s.TransfersIn, s.TransfersOut, s.Suspended, s.Restored, s.Deaths, s.Left, s.Frozen)
}

// Lifecycle records a year of 党籍 changes and transfers in the 街道 street (a demo's first
// street, the jiedao account's scope), through the member and standing stores so that the
// ledger and the 党员数量变化 table are real: moves between its 支部, transfers in from and out
// to another street, a 停止党籍 of a lost member, another restored, three deaths, one 出党 —
// dated through the current year up to today. The root's last year is frozen (年报封存) first,
// so the table's 差额 is a real check. ctx must be the system principal.
func Lifecycle(ctx context.Context, d *db.DB, ms *member.Store, ss *standing.Store, rootID, streetID int64, today civil.Date) (LifecycleSummary, error) {
	var sum LifecycleSummary
	fr, err := ss.Freeze(ctx, standing.SnapshotInput{OrgID: rootID, Year: today.Year() - 1})
	if err != nil {
		return sum, fmt.Errorf("封存上年年报：%w", err)
	}
	sum.Frozen = fr.Orgs
	var street string
	if err := d.QueryRow(ctx, `SELECT path FROM orgs WHERE id = ?`, streetID).Scan(&street); err != nil {
		return sum, err
	}
	jan1 := civil.New(today.Year(), 1, 1)
	span := max(jan1.DaysUntil(today), 0)
	on := func(pct int) civil.Date { return jan1.AddDate(0, 0, span*pct/100) }
	branches := func(inside bool) ([]int64, error) {
		op := "LIKE"
		if !inside {
			op = "NOT LIKE"
		}
		return ids(ctx, d, `SELECT o.id FROM orgs o WHERE o.path `+op+` ? AND o.status = 'active' AND o.type IN (?, ?, ?)
			AND EXISTS (SELECT 1 FROM members m WHERE m.org_id = o.id AND m.status = 'normal') ORDER BY o.id`,
			street+"%", org.TypeBranch, org.TypeJointBranch, org.TypeTemporaryBranch)
	}
	in, err := branches(true)
	if err != nil {
		return sum, err
	}
	out, err := branches(false)
	if err != nil {
		return sum, err
	}
	if len(in) < 3 || len(out) < 1 {
		return sum, nil // too small a tree for the story
	}
	// Members in contact who joined before this year, so that every date of the year is after
	// joining.
	members := func(orgID int64, n int) ([]int64, error) {
		return ids(ctx, d, `SELECT id FROM members WHERE org_id = ? AND status = 'normal' AND joined_on < ? AND full_on IS NOT NULL
			AND lost_contact = ? ORDER BY id LIMIT `+fmt.Sprint(n), orgID, jan1, false)
	}
	move := func(who []int64, to int64, date civil.Date, note string) error {
		if len(who) == 0 {
			return nil
		}
		_, err := ms.MoveOn(ctx, member.MoveInput{IDs: who, OrgID: to, On: date, Note: note})
		return err
	}
	// Moves between the street's 支部, transfers in and out.
	who, err := members(in[0], 2)
	if err != nil {
		return sum, err
	}
	if err := move(who, in[1], on(15), "工作单位变动"); err != nil {
		return sum, err
	}
	sum.Moves = len(who)
	if who, err = members(out[len(out)-1], 2); err != nil {
		return sum, err
	}
	if err := move(who, in[0], on(20), "经常居住地变动，转入本街道"); err != nil {
		return sum, err
	}
	sum.TransfersIn = len(who)
	if who, err = members(in[2], 1); err != nil {
		return sum, err
	}
	if err := move(who, out[0], on(25), "工作调动，转出本街道"); err != nil {
		return sum, err
	}
	sum.TransfersOut = len(who)

	// 停止党籍 of members lost for six months and more; the second is found and restored.
	lost, err := ids(ctx, d, `SELECT m.id FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path LIKE ? AND m.status = 'normal'
		AND m.lost_contact = ? AND m.lost_on IS NOT NULL AND m.lost_on <= ? AND m.full_on IS NOT NULL ORDER BY m.id LIMIT 2`, street+"%", true, on(30).AddDate(0, -6, 0))
	if err != nil {
		return sum, err
	}
	for len(lost) < 2 {
		// Too few lost members in the generated street: register one (失联 since over a year).
		who, err := members(in[1+len(lost)], 1)
		if err != nil || len(who) == 0 {
			break
		}
		m, err := ms.Get(ctx, who[0], false)
		if err != nil {
			return sum, err
		}
		since, situation := jan1.AddDate(-1, 0, 0), "1"
		if since.Before(m.JoinedOn) {
			break
		}
		if _, err := ms.Update(ctx, m.ID, member.Patch{LostContact: &[]bool{true}[0], LostOn: &since, LostSituation: &situation, Version: m.Version}); err != nil {
			return sum, fmt.Errorf("演示失联党员：%w", err)
		}
		lost = append(lost, m.ID)
	}
	for i, id := range lost {
		_, err := ss.Record(ctx, id, standing.Input{Kind: standing.KindSuspend, On: on(30 + 5*i), Ground: "lost",
			Reason: "失去联系6个月以上，经电话、走访、发函等多方查找仍未取得联系", ApprovedBy: "所在党支部（报街道党工委备案）",
			Document: fmt.Sprintf("关于停止党籍的决定（支部〔%d〕%d号）", today.Year(), i+1)})
		if err != nil {
			return sum, fmt.Errorf("演示停止党籍：%w", err)
		}
		sum.Suspended++
	}
	if len(lost) == 2 {
		if _, err := ss.Record(ctx, lost[1], standing.Input{Kind: standing.KindRestore, On: on(70),
			Reason: "本人主动与党组织取得联系，说明失联原因并补交党费，经审查符合恢复党籍条件", ApprovedBy: "街道党工委",
			Document: fmt.Sprintf("关于恢复党籍的批复（街党〔%d〕%d号）", today.Year(), 21)}); err != nil {
			return sum, fmt.Errorf("演示恢复党籍：%w", err)
		}
		sum.Restored++
	}
	// Three deaths among the oldest members of the street.
	old, err := ids(ctx, d, `SELECT m.id FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path LIKE ? AND m.status = 'normal'
		AND m.joined_on < ? ORDER BY m.birth_date, m.id LIMIT 3`, street+"%", jan1)
	if err != nil {
		return sum, err
	}
	for i, id := range old {
		if _, err := ss.Record(ctx, id, standing.Input{Kind: standing.KindDeath, On: on(40 + 20*i), Reason: "因病医治无效逝世"}); err != nil {
			return sum, fmt.Errorf("演示死亡：%w", err)
		}
		sum.Deaths++
	}
	// One 出党: 劝而不退除名.
	if who, err = members(in[len(in)-1], 1); err != nil {
		return sum, err
	}
	for _, id := range who {
		if _, err := ss.Record(ctx, id, standing.Input{Kind: standing.KindPersuadeRemoved, On: on(60),
			Reason: "长期不履行党员义务，经教育仍无转变，劝其退党而坚持不退", ApprovedBy: "街道党工委",
			Document: fmt.Sprintf("关于同意给予除名处置的批复（街党〔%d〕%d号）", today.Year(), 33)}); err != nil {
			return sum, fmt.Errorf("演示出党：%w", err)
		}
		sum.Left++
	}
	return sum, nil
}

func ids(ctx context.Context, d *db.DB, q string, args ...any) ([]int64, error) {
	rows, err := d.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
