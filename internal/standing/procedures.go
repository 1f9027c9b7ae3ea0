package standing

import (
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/rules"
)

var (
	normal    = member.StatusNormal
	suspended = member.StatusSuspended
	left      = member.StatusLeft
	deceased  = member.StatusDeceased
)

const (
	hintBranchUpper = "支部大会讨论决定，报上级党组织批准：填写批准的上级党组织，如“中共××街道工作委员会”"
	hintDiscipline  = "支部大会讨论决定，报基层党委批准（或县级以上纪委审查批准）：填写批准机关"
)

// procedures is the catalogue, in the order the dialog offers them.
var procedures = []Procedure{
	{Kind: KindSuspend, Name: "停止党籍", Group: "停止党籍", From: []member.Status{normal}, To: suspended,
		ApprovalRequired: true, DocumentRequired: true, Event: member.EventSuspend,
		ApprovalHint: "所在党支部或上级党组织（出国定居的，由保留其组织关系的党组织）",
		Grounds: []Ground{{"lost", "与党组织失去联系6个月以上，通过各种方式查找仍没有取得联系", "standing.suspend.lost"},
			{"abroad", "因私出国并在国外长期定居，或出国学习研究超过5年仍未返回", "standing.suspend.abroad"}},
		Hint:  "停止党籍后不再计入党员总数（本年减少：停止党籍）；符合条件的可以恢复党籍，2年后确实无法取得联系的按自行脱党除名。",
		Rules: ruleList("standing.suspend.lost", "standing.suspend.abroad", "standing.lapse.after_suspension", "standing.approval", "standing.date")},
	{Kind: KindRestore, Name: "恢复党籍", Group: "恢复党籍", From: []member.Status{suspended}, To: normal,
		ApprovalRequired: true, DocumentRequired: true, Event: member.EventRestore,
		ApprovalHint: "作出停止党籍决定的党组织或其上级党组织",
		Hint:         "只适用于停止党籍的党员；已出党的原则上不能恢复党籍，符合条件的可以重新入党。恢复后重新计入党员总数（本年增加：恢复党籍）。",
		Rules:        ruleList("standing.restore", "standing.approval", "standing.date")},
	{Kind: KindRejoin, Name: "重新入党", Group: "重新入党", From: []member.Status{left}, To: normal,
		ApprovalRequired: true, DocumentRequired: true, Event: member.EventRejoin,
		ApprovalHint: "审批接收预备党员的基层党委",
		Hint:         "只适用于已出党的党员：按发展党员程序重新接收为预备党员，变动日期（支部大会通过之日）为新的加入党组织日期，转正日期清空，重新经过一年预备期。",
		Rules:        ruleList("standing.rejoin", "standing.restore", "standing.approval", "standing.date")},
	{Kind: KindExpel, Name: "开除党籍", Group: "出党", From: []member.Status{normal, suspended}, To: left,
		ApprovalRequired: true, DocumentRequired: true, Event: member.EventExpel, ApprovalHint: hintDiscipline,
		Hint:  "党内的最高处分。出党后原则上不能恢复党籍，符合条件的可以重新入党。",
		Rules: ruleList("standing.expel", "standing.approval", "standing.date")},
	{Kind: KindWithdraw, Name: "退党除名", Group: "出党", From: []member.Status{normal}, To: left,
		ApprovalRequired: true, DocumentRequired: true, Event: member.EventWithdraw,
		ApprovalHint: "支部大会讨论后宣布除名，报上级党组织备案：填写备案的上级党组织",
		Hint:         "党员要求退党的，经支部大会讨论后宣布除名。",
		Rules:        ruleList("standing.withdraw", "standing.approval", "standing.date")},
	{Kind: KindPersuade, Name: "劝退", Group: "出党", From: []member.Status{normal}, To: left,
		ApprovalRequired: true, DocumentRequired: true, Event: member.EventPersuade, ApprovalHint: hintBranchUpper,
		Hint:  "经教育仍无转变的，劝其退党。",
		Rules: ruleList("standing.persuade", "standing.approval", "standing.date")},
	{Kind: KindPersuadeRemoved, Name: "劝而不退除名", Group: "出党", From: []member.Status{normal}, To: left,
		ApprovalRequired: true, DocumentRequired: true, Event: member.EventPersuadeRemoved, ApprovalHint: hintBranchUpper,
		Hint:  "被劝告退党的党员坚持不退的，支部大会讨论决定把他除名。",
		Rules: ruleList("standing.persuade", "standing.approval", "standing.date")},
	{Kind: KindLapse, Name: "自行脱党除名", Group: "出党", From: []member.Status{normal, suspended}, To: left,
		ApprovalRequired: true, DocumentRequired: true, Event: member.EventLapse, ApprovalHint: hintBranchUpper,
		Hint:  "无正当理由连续六个月不参加组织生活、不交纳党费或不做党所分配的工作的，为自行脱党；停止党籍2年后确实无法取得联系的，也按自行脱党除名。停止党籍的党员已不计入总数，除名不再重复减少。",
		Rules: ruleList("standing.lapse", "standing.lapse.after_suspension", "standing.approval", "standing.date")},
	{Kind: KindCancelProbation, Name: "取消预备党员资格", Group: "出党", From: []member.Status{normal}, To: left, Probationary: true,
		ApprovalRequired: true, DocumentRequired: true, Event: member.EventCancelProbation, ApprovalHint: hintBranchUpper,
		Hint:  "只适用于预备党员。",
		Rules: ruleList("standing.cancel_probation", "standing.approval", "standing.date")},
	{Kind: KindDeath, Name: "死亡", Group: "死亡", From: []member.Status{normal, suspended}, To: deceased, Event: member.EventDeath,
		ApprovalHint: "可不填",
		Hint:         "登记去世之日。正常党籍的党员计入本年减少（死亡）；停止党籍的党员已不计入总数。",
		Rules:        ruleList("standing.death", "standing.date")},
	{Kind: KindAbroad, Name: "出国（境）", Group: "出国（境）", From: []member.Status{normal}, To: normal,
		ApprovalHint: "可不填；因公出国（境）的填写派出单位党组织",
		Hint:         "党籍不变，仍计入党员总数，不影响党员数量变化。在“原因”中写明去向（国家或地区）、事由（留学、务工、探亲、定居等）和预计回国（境）时间。出国定居或出国学习研究超过5年仍未返回的，一般停止党籍。",
		Rules:        ruleList("standing.abroad", "standing.suspend.abroad", "standing.date")},
	{Kind: KindBack, Name: "回国（境）", Group: "出国（境）", From: []member.Status{normal}, To: normal,
		ApprovalHint: "可不填",
		Hint:         "结束出国（境）登记。因出国被停止党籍的党员回国后，符合条件的办理“恢复党籍”。",
		Rules:        ruleList("standing.abroad", "standing.date")},
}

func ruleList(ids ...string) []rules.Rule {
	out := make([]rules.Rule, len(ids))
	for i, id := range ids {
		out[i] = rules.Get(id)
	}
	return out
}

func procedure(k Kind) *Procedure {
	for i := range procedures {
		if procedures[i].Kind == k {
			return &procedures[i]
		}
	}
	return nil
}

// kindName names a procedure kind ("" for records made before the procedures existed).
func kindName(k string) string {
	if p := procedure(Kind(k)); p != nil {
		return p.Name
	}
	return ""
}

func init() {
	for i := range procedures {
		p := &procedures[i]
		p.ToName = member.DefaultCodes.Name(member.KindStatus, string(p.To))
		for _, f := range p.From {
			p.FromNames = append(p.FromNames, member.DefaultCodes.Name(member.KindStatus, string(f)))
		}
	}
}

// Procedures returns the catalogue.
func Procedures() []Procedure { return append([]Procedure(nil), procedures...) }
