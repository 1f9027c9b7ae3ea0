package life

import (
	"fmt"

	"github.com/dangjian/dangjian/internal/rules"
)

// QuorumResult says whether the attendance of a meeting meets its type's quorum.
type QuorumResult struct {
	Rule     Quorum `json:"rule"`
	RuleID   string `json:"rule_id"`
	Entitled int    `json:"entitled" doc:"应到会人数：有表决权的党员，或支委会的委员"`
	Present  int    `json:"present" doc:"其中到会人数"`
	Needed   int    `json:"needed" doc:"至少需要到会的人数"`
	OK       bool   `json:"ok"`
	Text     string `json:"text"`
	Source   string `json:"source"`
}

// needed is the smallest attendance that meets q with entitled people: more than half, or
// more than four fifths. 支委会 "须半数以上委员到会" is checked as more than half.
func needed(q Quorum, entitled int) int {
	switch q {
	case QuorumVoting, QuorumCommittee:
		return entitled/2 + 1
	case QuorumElection:
		return entitled*4/5 + 1
	}
	return 0
}

// QuorumMet reports whether present of entitled meets q (false when nobody is entitled).
func QuorumMet(q Quorum, entitled, present int) bool {
	if q == QuorumNone {
		return true
	}
	return entitled > 0 && present >= needed(q, entitled)
}

// evalQuorum checks present of entitled against the type's quorum.
func evalQuorum(t *MeetingType, entitled, present int) *QuorumResult {
	if t.Quorum == QuorumNone {
		return nil
	}
	r := rules.Get(t.QuorumID)
	res := &QuorumResult{Rule: t.Quorum, RuleID: r.ID, Entitled: entitled, Present: present, Needed: needed(t.Quorum, entitled),
		OK: QuorumMet(t.Quorum, entitled, present), Source: r.Source}
	who := "有表决权的党员"
	switch t.Quorum {
	case QuorumCommittee:
		who = "委员"
	case QuorumElection:
		who = "有选举权的党员"
	}
	res.Text = fmt.Sprintf("应到会%s %d 人，到会 %d 人，至少需 %d 人", who, entitled, present, res.Needed)
	if res.OK {
		res.Text += "，符合要求"
	}
	return res
}

func quorumText(t *MeetingType, r *Roster) string {
	switch t.Quorum {
	case QuorumVoting:
		return fmt.Sprintf("有表决权的党员 %d 人，须到会 %d 人以上（超过半数）", r.Voting, needed(t.Quorum, r.Voting))
	case QuorumElection:
		return fmt.Sprintf("有选举权的党员 %d 人，须到会 %d 人以上（超过五分之四）", r.Voting, needed(t.Quorum, r.Voting))
	case QuorumCommittee:
		if !r.HasCommittee {
			return "未设支部委员会（会议当日班子不足3人或未录入班子）"
		}
		return fmt.Sprintf("支部委员 %d 人，须到会 %d 人以上（超过半数）", r.committeeSize, needed(t.Quorum, r.committeeSize))
	}
	return ""
}

// Vote is one 表决: counts only, never who voted how.
type Vote struct {
	Subject         string `json:"subject"`
	Entitled        int    `json:"entitled" doc:"应到会有表决权人数"`
	PresentEntitled int    `json:"present_entitled" doc:"到会有表决权人数"`
	Yes             int    `json:"yes"`
	No              int    `json:"no"`
	Abstain         int    `json:"abstain"`
	Passed          bool   `json:"passed" doc:"赞成票超过应到会有表决权人数的半数"`
}

// VoteInput is a 表决 to record; entitled and present_entitled default to what the roster and
// the attendance say.
type VoteInput struct {
	Subject         string `json:"subject"`
	Entitled        *int   `json:"entitled"`
	PresentEntitled *int   `json:"present_entitled"`
	Yes             int    `json:"yes"`
	No              int    `json:"no"`
	Abstain         int    `json:"abstain"`
}

// Passes reports whether yes passes with entitled voters (赞成人数超过应到会有表决权的党员的半数).
func Passes(yes, entitled int) bool { return entitled > 0 && yes*2 > entitled }

// checkVote validates one vote against the roster's entitled count and the attendance's
// present count, adding field errors under prefix.
func checkVote(in VoteInput, rosterEntitled, present int, prefix string, f interface{ Add(string, string) }) Vote {
	v := Vote{Subject: in.Subject, Entitled: rosterEntitled, PresentEntitled: present, Yes: in.Yes, No: in.No, Abstain: in.Abstain}
	if in.Entitled != nil {
		v.Entitled = *in.Entitled
	}
	if in.PresentEntitled != nil {
		v.PresentEntitled = *in.PresentEntitled
	}
	if n := len([]rune(v.Subject)); n == 0 || n > 200 {
		f.Add(prefix+".subject", "请填写表决事项（最长200字）")
	}
	switch {
	case v.Entitled < 0:
		f.Add(prefix+".entitled", "应到会人数不能为负数")
	case v.Entitled > rosterEntitled:
		f.Add(prefix+".entitled", fmt.Sprintf("应到会有表决权人数 %d 人，多于名册中有表决权的 %d 人", v.Entitled, rosterEntitled))
	}
	switch {
	case v.PresentEntitled < 0:
		f.Add(prefix+".present_entitled", "到会人数不能为负数")
	case v.PresentEntitled > present:
		f.Add(prefix+".present_entitled", fmt.Sprintf("到会有表决权人数 %d 人，多于出勤记录中到会的 %d 人", v.PresentEntitled, present))
	case v.PresentEntitled > v.Entitled:
		f.Add(prefix+".present_entitled", fmt.Sprintf("到会有表决权人数 %d 人，多于应到会的 %d 人", v.PresentEntitled, v.Entitled))
	}
	if v.Yes < 0 || v.No < 0 || v.Abstain < 0 {
		f.Add(prefix+".yes", "票数不能为负数")
	} else if sum := v.Yes + v.No + v.Abstain; sum > v.PresentEntitled {
		f.Add(prefix+".yes", fmt.Sprintf("赞成 %d、反对 %d、弃权 %d，合计 %d 票，超过到会有表决权的 %d 人", v.Yes, v.No, v.Abstain, sum, v.PresentEntitled))
	}
	v.Passed = Passes(v.Yes, v.Entitled)
	return v
}
