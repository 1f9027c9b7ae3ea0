package development

import (
	"context"
	"fmt"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/db"
)

// Who may approve. 预审 (s13), 审批 of 接收预备党员 (s17) and 审批 of 转正 (s24) are acts of the
// 具有审批权限的基层党委 (细则第十九条、第二十三条 etc.): only a user who may write that 党委 records
// them, and their 待办 goes to its users only. The approving 党委 is the one named on the step,
// or the one of the previous approval step, or the nearest ancestor with approval authority.

// approvalSteps are the steps only the approving 党委 records.
var approvalSteps = map[string]bool{StepPreReview: true, StepApproval: true, StepFullApproval: true}

// priorApprover is the 党委 of the previous approval step of a case (0: none).
func priorApprover(st state, step string) int64 {
	switch step {
	case StepApproval:
		return st.done[StepPreReview].ApproverOrgID
	case StepFullApproval:
		if id := st.done[StepApproval].ApproverOrgID; id != 0 {
			return id
		}
		return st.done[StepPreReview].ApproverOrgID
	}
	return 0
}

// checkAuthority refuses (403) an approval step recorded by someone who cannot write the
// approving 党委.
func (s *Store) checkAuthority(ctx context.Context, tx *db.Tx, rs *RuleSet, step Step, f *api.Fields, c *caseRow, data StepData) error {
	if !approvalSteps[step.Code] || data.ApproverOrgID == 0 || f.Has("approver_org_id") {
		return nil
	}
	o, err := orgAny(ctx, tx, data.ApproverOrgID)
	if err != nil || o == nil {
		return err
	}
	if access.Covers(ctx, access.OrgWrite, o.Path) {
		return nil
	}
	ck := rs.check("dev.approver")
	e := api.Forbidden(fmt.Sprintf("“%s”由具有审批权限的上级党委办理，须由“%s”的工作人员登记；您管理的是“%s”，不能代替上级党委登记（依据：%s）",
		step.Name, o.Name, c.branch.Name, ck.Source))
	e.Extra = map[string]any{"rule": "dev.approver", "article": ck.Article, "source": ck.Source, "approver_org_id": o.ID, "approver_name": o.Name}
	return e
}

// approverOf is the 党委 that acts on an approval step of a case: the one of the previous
// approval step, else the nearest ancestor with approval authority (nil: none).
func (s *Store) approverOf(ctx context.Context, q db.Querier, branch *orgRow, st state, step string, cache map[int64]*orgRow) (*orgRow, error) {
	if id := priorApprover(st, step); id != 0 {
		if o, ok := cache[-id]; ok {
			return o, nil
		}
		o, err := orgAny(ctx, q, id)
		if err != nil {
			return nil, err
		}
		cache[-id] = o
		return o, nil
	}
	if o, ok := cache[branch.ID]; ok {
		return o, nil
	}
	var found *orgRow
	ids := pathIDs(branch.Path)
	for i := len(ids) - 2; i >= 0; i-- {
		o, err := orgAny(ctx, q, ids[i])
		if err != nil {
			return nil, err
		}
		if o != nil && canApprove(o) == "" {
			found = o
			break
		}
	}
	cache[branch.ID] = found
	return found, nil
}
