package development

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/life"
)

// The 支部大会 steps (s15 接收预备党员, s23 转正) may name the meeting recorded in 组织生活
// (internal/life). It must be a 支部党员大会 of the case's branch held on the step's date; its
// attendance then gives 应到会 and 到会 (the branch's 正式党员 on the list, and those present:
// 预备党员 have no vote), and its recorded 表决 gives the votes, so the figures are never typed
// twice. The quorum and pass rules then run on those figures.

func (s *Store) linkMeeting(ctx context.Context, tx *db.Tx, f *api.Fields, c *caseRow, data *StepData, on civil.Date) error {
	if data.MeetingID == nil {
		return nil
	}
	where, args := access.Filter(ctx, "o.path", access.OrgRead)
	var orgID int64
	var typ, also, orgName string
	var held civil.Date
	err := tx.QueryRow(ctx, `SELECT m.org_id, o.name, m.type, m.also_types, m.held_on FROM meetings m JOIN orgs o ON o.id = m.org_id
		WHERE m.id = ? AND `+where, append([]any{*data.MeetingID}, args...)...).Scan(&orgID, &orgName, &typ, &also, &held)
	if errors.Is(err, sql.ErrNoRows) {
		f.Add("meeting_id", "会议不存在，或不在您的管理范围内")
		return nil
	}
	if err != nil {
		return err
	}
	isCongress := typ == life.TypeBranchCongress || slices.Contains(strings.Split(also, ","), life.TypeBranchCongress)
	switch {
	case orgID != c.branch.ID:
		f.Add("meeting_id", fmt.Sprintf("所选会议是“%s”的会议，不是“%s”的支部党员大会", orgName, c.branch.Name))
		return nil
	case !isCongress:
		f.Add("meeting_id", "所选会议不是支部党员大会：接收预备党员和转正须经支部党员大会讨论")
		return nil
	case held != on:
		f.Add("meeting_id", fmt.Sprintf("所选支部党员大会在 %s 召开，与本步骤日期 %s 不一致", held, on))
		return nil
	}
	v := Vote{}
	if data.Vote != nil {
		v = *data.Vote
	}
	var listed, present int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN a.status = 'present' THEN 1 ELSE 0 END), 0)
		FROM meeting_attendance a JOIN members mb ON mb.id = a.member_id
		WHERE a.meeting_id = ? AND mb.status = 'normal' AND mb.full_on IS NOT NULL AND mb.full_on <= ?`, *data.MeetingID, on).Scan(&listed, &present); err != nil {
		return err
	}
	if listed > 0 {
		v.Entitled, v.PresentEntitled = listed, present
	}
	rows, err := tx.Query(ctx, `SELECT subject, entitled, present_entitled, yes, no, abstain FROM meeting_votes WHERE meeting_id = ? ORDER BY seq`, *data.MeetingID)
	if err != nil {
		return err
	}
	type mv struct {
		subject                             string
		entitled, present, yes, no, abstain int
	}
	var votes []mv
	for rows.Next() {
		var x mv
		if err := rows.Scan(&x.subject, &x.entitled, &x.present, &x.yes, &x.no, &x.abstain); err != nil {
			rows.Close()
			return err
		}
		votes = append(votes, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var pick *mv
	for i := range votes {
		if strings.Contains(votes[i].subject, c.Name) {
			pick = &votes[i]
			break
		}
	}
	if pick == nil && len(votes) == 1 {
		pick = &votes[0]
	}
	switch {
	case pick != nil:
		v.Yes, v.No, v.Abstain = pick.yes, pick.no, pick.abstain
		if listed == 0 {
			v.Entitled, v.PresentEntitled = pick.entitled, pick.present
		} else if pick.present > v.PresentEntitled {
			// 会前正式提出书面意见的 count as present for the vote.
			v.PresentEntitled = min(pick.present, v.Entitled)
		}
	case len(votes) > 1:
		f.Add("meeting_id", fmt.Sprintf("所选会议记录了 %d 项表决，没有一项的事由含“%s”：请在会议记录中注明，或不关联会议直接填写票数", len(votes), c.Name))
		return nil
	case data.Vote == nil:
		f.Add("vote", "所选会议没有记录表决票数：请填写赞成、反对、弃权票数")
		return nil
	}
	if listed == 0 && pick == nil {
		f.Add("meeting_id", "所选会议没有登记出席情况和表决：请先在组织生活中补全，或不关联会议直接填写票数")
		return nil
	}
	data.Vote = &v
	return nil
}
