package org

import (
	"fmt"
	"slices"

	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/rules"
)

// allowedChildren is the nesting rule (rules "org.nesting"): which types may sit under which.
var allowedChildren = map[Type][]Type{
	TypeCommittee:        {TypeCommittee, TypeWorkingCommittee, TypeLeadingGroup, TypeGeneralBranch, TypeBranch, TypeJointBranch, TypeTemporaryBranch},
	TypeWorkingCommittee: {TypeCommittee, TypeWorkingCommittee, TypeGeneralBranch, TypeBranch, TypeJointBranch, TypeTemporaryBranch},
	TypeGeneralBranch:    {TypeBranch, TypeJointBranch, TypeTemporaryBranch},
	TypeBranch:           {TypeGroup},
	TypeJointBranch:      {TypeGroup},
	TypeTemporaryBranch:  {TypeGroup},
}

// CanContain reports whether a child of type child may sit under parent.
func CanContain(parent, child Type) bool {
	return slices.Contains(allowedChildren[parent], child)
}

func nestingError(parent, child Type) string {
	r := rules.Get("org.nesting")
	if len(allowedChildren[parent]) == 0 {
		return fmt.Sprintf("%s下不能再设立党组织（依据：%s）", parent.Name(), r.Source)
	}
	return fmt.Sprintf("%s下不能设立%s（依据：%s）", parent.Name(), child.Name(), r.Source)
}

// termRule is the rule that sets the term length of o: 村/社区 organisations 5 years, other
// 党委/党工委/党组 5 years, 党总支/党支部/党小组 3 years.
func termRule(t Type, u UnitType) rules.Rule {
	switch {
	case u == UnitVillage || u == UnitCommunity:
		return rules.Get("org.term.village")
	case t == TypeCommittee || t == TypeWorkingCommittee || t == TypeLeadingGroup:
		return rules.Get("org.term.committee")
	default:
		return rules.Get("org.term.branch")
	}
}

// holdsElections reports whether the type is elected for a term and so appears in the 换届 list
// (党组 members are appointed; 党小组 follow their branch).
func holdsElections(t Type) bool { return t != TypeLeadingGroup && t != TypeGroup }

// Finding is a broken or noteworthy rule for one organisation.
type Finding struct {
	RuleID  string      `json:"rule_id"`
	Level   rules.Level `json:"level"`
	Message string      `json:"message"`
	Source  string      `json:"source"`
}

func finding(ruleID, format string, args ...any) Finding {
	r := rules.Get(ruleID)
	return Finding{RuleID: r.ID, Level: r.Level, Message: fmt.Sprintf(format, args...), Source: r.Source}
}

// checkInput is what the checks look at; member counts are nil until the member registry
// provides them, and checks that need them stay silent until then.
type checkInput struct {
	Org        *Org
	ParentType Type
	Term       *Term
	// CommitteeSize counts the current term's serving leaders.
	CommitteeSize int
	Today         civil.Date
}

// Check evaluates the setup rules for one organisation.
func check(in checkInput) []Finding {
	o := in.Org
	var out []Finding
	if o.Status != StatusActive {
		return out
	}
	if in.ParentType != "" && !CanContain(in.ParentType, o.Type) {
		out = append(out, Finding{RuleID: "org.nesting", Level: rules.Block,
			Message: nestingError(in.ParentType, o.Type), Source: rules.Get("org.nesting").Source})
	}
	full, prob := o.FullMembers, o.ProbationaryMembers
	if o.Type.IsBranchLike() && full != nil {
		total := *full
		if prob != nil {
			total += *prob
		}
		if min := rules.Get("org.branch.min_full_members").Value; *full < min && o.Type != TypeJointBranch {
			out = append(out, finding("org.branch.min_full_members", "正式党员 %d 人，不足 %d 人，宜与邻近单位联合成立党支部", *full, min))
		}
		if max := rules.Get("org.branch.max_members").Value; total > max {
			out = append(out, finding("org.branch.max_members", "党员 %d 人，超过一般上限 %d 人，可考虑分设党支部", total, max))
		}
		if in.Term != nil {
			committee := in.CommitteeSize
			threshold := rules.Get("org.branch.committee_threshold").Value
			maxSize := rules.Get("org.branch.committee_size").Value
			switch {
			case *full >= threshold && committee < 3:
				out = append(out, finding("org.branch.committee_threshold", "正式党员 %d 人（%d 人以上），应设立支部委员会（3至5人），现有班子 %d 人", *full, threshold, committee))
			case *full >= threshold && committee > maxSize:
				out = append(out, finding("org.branch.committee_size", "支部委员会 %d 人，超过一般上限 %d 人", committee, maxSize))
			case *full < threshold && committee > 2:
				out = append(out, finding("org.branch.committee_threshold", "正式党员 %d 人（不足 %d 人），不设支部委员会，设书记1名、必要时副书记1名；现有班子 %d 人", *full, threshold, committee))
			}
		}
	}
	if o.Type == TypeGeneralBranch && full != nil {
		if v := rules.Get("org.general_branch.members").Value; *full < v {
			out = append(out, finding("org.general_branch.members", "正式党员 %d 人，少于设立党总支的参考人数 %d 人", *full, v))
		}
	}
	if o.Type == TypeCommittee && o.UnitType != UnitLocal && full != nil {
		if v := rules.Get("org.committee.members").Value; *full < v {
			out = append(out, finding("org.committee.members", "正式党员 %d 人，少于设立基层党委的参考人数 %d 人", *full, v))
		}
	}
	if o.Type == TypeJointBranch {
		if max := rules.Get("org.joint_branch.max_units").Value; len(o.Units) > max {
			out = append(out, finding("org.joint_branch.max_units", "覆盖 %d 个单位，超过一般上限 %d 个", len(o.Units), max))
		}
	}
	if holdsElections(o.Type) {
		switch t := in.Term; {
		case t == nil:
			out = append(out, finding("org.term.missing", "尚未录入本届班子，无法推算换届时间"))
		case t.State == TermOverdue:
			out = append(out, finding("org.term.overdue", "本届任期已于 %s 届满，已超期 %d 天，应按期换届", t.DueOn, -in.Today.DaysUntil(t.DueOn)))
		case t.State == TermDueSoon:
			out = append(out, finding("org.term.remind", "本届任期将于 %s 届满（还有 %d 天），请提前做好换届准备", t.DueOn, in.Today.DaysUntil(t.DueOn)))
		}
		if t := in.Term; t != nil && !t.ExtendedTo.IsZero() && t.ExtendedTo.After(t.EndsOn.AddDate(rules.Get("org.term.extension").Value, 0, 0)) {
			out = append(out, finding("org.term.extension", "延期至 %s，超过届满日期后1年的上限", t.ExtendedTo))
		}
	}
	return out
}
