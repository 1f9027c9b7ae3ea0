package development

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"strings"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/civil"
)

// Letters: the documents of a case generated from what it records, never typed twice —
// printable HTML in Chinese. None shows the 公民身份号码, phone or address.
const (
	LetterCandidateFiling    = "candidate-filing"    // 发展对象备案报告（报上级党委）
	LetterPreReview          = "pre-review"          // 预审请示
	LetterApproval           = "approval"            // 审批批复（接收预备党员）
	LetterCandidatePublicity = "candidate-publicity" // 发展对象公示
	LetterFullPublicity      = "full-publicity"      // 拟转正公示
)

// LetterKinds lists the letters with their names and the step that makes each available.
var LetterKinds = []struct{ Code, Name, After string }{
	{LetterCandidatePublicity, "发展对象公示", StepCandidate},
	{LetterCandidateFiling, "发展对象备案报告", StepCandidate},
	{LetterPreReview, "预审请示", StepCommitteeCheck},
	{LetterApproval, "接收预备党员的批复", StepApproval},
	{LetterFullPublicity, "拟转正公示", StepFullApply},
}

type letter struct {
	Title   string
	To      string // 主送
	Paras   []string
	Rows    [][2]string // 基本情况
	From    string      // 落款
	Date    string
	Footer  string
	Heading string
}

var letterTmpl = template.Must(template.New("letter").Parse(`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font-family:"FangSong","STFangsong","仿宋",serif;font-size:16pt;line-height:1.8;max-width:210mm;margin:0 auto;padding:20mm 18mm;color:#000}
h1{font-family:"SimHei","黑体","STHeiti",sans-serif;font-size:20pt;text-align:center;margin:0 0 1em}
p{text-indent:2em;margin:0}
p.to{text-indent:0}
table{border-collapse:collapse;width:100%;margin:.6em 0;font-size:13pt}
td{border:1px solid #000;padding:2px 6px}
td.k{width:34%;white-space:nowrap}
.sign{text-align:right;margin-top:2em}
.foot{font-size:11pt;color:#444;margin-top:2em;text-indent:0}
.noprint{position:fixed;top:8px;right:8px}
@media print{.noprint{display:none}body{padding:0}}
</style></head><body>
<button class="noprint" onclick="window.print()">打印</button>
<h1>{{.Title}}</h1>
{{if .To}}<p class="to">{{.To}}：</p>{{end}}
{{range .Paras}}<p>{{.}}</p>
{{end}}{{if .Rows}}{{if .Heading}}<p>{{.Heading}}</p>{{end}}<table>{{range .Rows}}<tr><td class="k">{{index . 0}}</td><td>{{index . 1}}</td></tr>{{end}}</table>{{end}}
<div class="sign">{{.From}}<br>{{.Date}}</div>
{{if .Footer}}<p class="foot">{{.Footer}}</p>{{end}}
</body></html>`))

func cnDate(d civil.Date) string {
	if d.IsZero() {
		return "____年__月__日"
	}
	return fmt.Sprintf("%d年%d月%d日", d.Year(), int(d.Time().Month()), d.Time().Day())
}

func cnMonth(d civil.Date) string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d年%d月", d.Year(), int(d.Time().Month()))
}

// publicityPeriod is the recorded 公示 of a step, or the one the calendar suggests: from the
// first working day after base, for days working days.
func publicityPeriod(cal *Calendar, rec StepRecord, recorded bool, base civil.Date, days int) (from, to civil.Date, n int) {
	if recorded && !rec.PublicityFrom.IsZero() && !rec.PublicityTo.IsZero() {
		return rec.PublicityFrom, rec.PublicityTo, cal.WorkingDays(rec.PublicityFrom, rec.PublicityTo)
	}
	from = base.AddDate(0, 0, 1)
	for !cal.IsWorkday(from) {
		from = from.AddDate(0, 0, 1)
	}
	to, n = from, 1
	for n < days {
		to = to.AddDate(0, 0, 1)
		if cal.IsWorkday(to) {
			n++
		}
	}
	return from, to, n
}

func names(ps []Person) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	if len(out) == 0 {
		return "—"
	}
	return strings.Join(out, "、")
}

// Letter renders one letter of a case as HTML.
func (s *Store) Letter(ctx context.Context, caseID int64, kind string) ([]byte, error) {
	c, err := s.findCase(ctx, s.db, caseID, access.OrgRead)
	if err != nil {
		return nil, err
	}
	st := derive(c.Steps)
	rs := ruleSets[c.RuleVersion]
	var after, kindName string
	for _, k := range LetterKinds {
		if k.Code == kind {
			after, kindName = k.After, k.Name
		}
	}
	if after == "" {
		return nil, api.NotFound("没有这种文书：" + kind)
	}
	if _, ok := st.done[after]; !ok {
		sn, _ := rs.step(after)
		return nil, api.Conflict("“" + c.Name + "”尚未完成“" + sn.Name + "”，还不能生成" + kindName)
	}
	eff, err := s.effective(ctx, s.db, c.branch)
	if err != nil {
		return nil, err
	}
	cal, err := loadCalendar(ctx, s.db)
	if err != nil {
		return nil, err
	}
	approver := ""
	if o, err := s.approverOf(ctx, s.db, c.branch, st, StepApproval, map[int64]*orgRow{}); err != nil {
		return nil, err
	} else if o != nil {
		approver = o.Name
	}
	if n := st.done[StepApproval].ApproverName; n != "" {
		approver = n
	}
	on := func(code string) civil.Date { return st.done[code].On }
	name := c.Name + "同志"
	basics := [][2]string{{"姓名", c.Name}, {"性别", c.GenderName}, {"出生年月", cnMonth(c.BirthDate)},
		{"民族", orDash(c.Profile.EthnicityName)}, {"学历", orDash(c.Profile.EducationName)}, {"工作岗位", orDash(c.Profile.JobName)},
		{"递交入党申请书时间", cnDate(st.appliedOn)}, {"确定为入党积极分子时间", cnDate(on(StepActivist))},
		{"培养联系人", names(st.done[StepContacts].People)}}
	today := s.Today()
	var l letter
	switch kind {
	case LetterCandidatePublicity:
		rec, ok := st.done[StepCandidateFile]
		from, to, n := publicityPeriod(cal, rec, ok, on(StepCandidate), eff.PublicityDays)
		l = letter{Title: "关于拟确定" + c.Name + "同志为发展对象的公示",
			Paras: []string{
				fmt.Sprintf("经%s党支部委员会讨论，拟将%s确定为发展对象。%s自%s递交入党申请书，%s被确定为入党积极分子，经过一年以上的培养教育和考察，基本具备党员条件。现将有关情况予以公示。",
					cnDate(on(StepCandidate)), name, name, cnDate(st.appliedOn), cnDate(on(StepActivist))),
				fmt.Sprintf("公示时间：%s至%s（%d个工作日）。", cnDate(from), cnDate(to), n),
				fmt.Sprintf("公示期间，党员和群众如对%s有意见，可通过来信、来电、来访等方式向%s反映。反映情况应实事求是，以个人名义反映的请署真实姓名。", name, c.branch.Name),
			},
			Heading: "基本情况：", Rows: basics, From: c.branch.Name, Date: cnDate(from)}
	case LetterCandidateFiling:
		rec, ok := st.done[StepCandidateFile]
		from, to, n := publicityPeriod(cal, rec, ok, on(StepCandidate), eff.PublicityDays)
		pub := fmt.Sprintf("已于%s至%s在本单位公示（%d个工作日）", cnDate(from), cnDate(to), n)
		if !ok {
			pub = fmt.Sprintf("拟于%s至%s在本单位公示（%d个工作日）", cnDate(from), cnDate(to), n)
		}
		date := today
		if ok {
			date = rec.On
		}
		l = letter{Title: "关于确定" + c.Name + "同志为发展对象的备案报告", To: orDash(approver),
			Paras: []string{
				fmt.Sprintf("%s于%s递交入党申请书，%s被确定为入党积极分子，经过一年以上的培养教育和考察。%s党支部委员会在听取党小组、培养联系人、党员和群众意见的基础上讨论同意，将其列为发展对象，%s。",
					name, cnDate(st.appliedOn), cnDate(on(StepActivist)), cnDate(on(StepCandidate)), pub),
				"现将有关情况报上，请予备案。",
			},
			Heading: "基本情况：", Rows: append(basics, [2]string{"确定为发展对象时间", cnDate(on(StepCandidate))}),
			From: c.branch.Name, Date: cnDate(date),
			Footer: "依据：" + rs.check("dev.candidate_one_year").Source + "（经过一年以上培养教育和考察，支部委员会讨论同意并报上级党委备案后，可列为发展对象）"}
	case LetterPreReview:
		tr := st.done[StepTraining]
		training := "—"
		if _, ok := st.done[StepTraining]; ok {
			training = fmt.Sprintf("%s结业（%g天、%g学时）", cnDate(tr.On), tr.TrainingDays, tr.TrainingHours)
		}
		rows := append(basics, [2]string{"确定为发展对象时间", cnDate(on(StepCandidate))},
			[2]string{"入党介绍人", names(st.done[StepIntroducers].People)},
			[2]string{"政治审查", cnDate(on(StepPolitical)) + "完成，结论合格"},
			[2]string{"集中培训", training},
			[2]string{"支部委员会审查", cnDate(on(StepCommitteeCheck))})
		l = letter{Title: "关于对发展对象" + c.Name + "同志进行预审的请示", To: orDash(approver),
			Paras: []string{
				fmt.Sprintf("%s于%s被确定为发展对象，已确定入党介绍人，完成政治审查和集中培训。%s党支部委员会对其条件、培养教育情况进行了审查，集体讨论认为%s基本具备党员条件，拟提交支部大会讨论。", name, cnDate(on(StepCandidate)), cnDate(on(StepCommitteeCheck)), name),
				"现将有关材料报上，请予预审。",
			},
			Heading: "基本情况：", Rows: rows, From: c.branch.Name, Date: cnDate(on(StepCommitteeCheck))}
	case LetterApproval:
		v := st.done[StepCongress].Vote
		vote := ""
		if v != nil {
			vote = fmt.Sprintf("（应到会有表决权的正式党员%d人，到会%d人；赞成%d票，反对%d票，弃权%d票）", v.Entitled, v.PresentEntitled, v.Yes, v.No, v.Abstain)
		}
		l = letter{Title: "关于同意接收" + c.Name + "同志为中共预备党员的批复", To: c.branch.Name,
			Paras: []string{
				fmt.Sprintf("你支部%s召开支部党员大会，讨论通过接收%s为中共预备党员的决议%s收悉。", cnDate(st.joinedOn), name, vote),
				fmt.Sprintf("经%s党委会议集体讨论、表决，同意接收%s为中共预备党员，预备期一年，自%s起至%s止（预备期从支部大会通过之日算起）。",
					cnDate(on(StepApproval)), name, cnDate(st.joinedOn), cnDate(st.probationEnds)),
				"请及时通知本人，将其编入党支部和党小组，组织入党宣誓，并继续对其进行教育和考察。",
			},
			From: orDash(approver), Date: cnDate(on(StepApproval)),
			Footer: "依据：" + rs.check("dev.probation").Source + "；" + rs.check("dev.approval.time").Source}
	case LetterFullPublicity:
		rec, ok := st.done[StepFullCongress]
		from, to, n := publicityPeriod(cal, rec, ok && rec.Outcome == OutcomeFull, on(StepFullApply), eff.PublicityDays)
		l = letter{Title: "关于" + c.Name + "同志拟按期转为正式党员的公示",
			Paras: []string{
				fmt.Sprintf("%s于%s经支部党员大会通过、%s上级党委批准为中共预备党员，预备期至%s届满。本人已于%s提出书面转正申请。经征求党员和群众意见、支部委员会审查，党支部拟提交支部党员大会讨论其按期转为中共正式党员。现予公示。",
					name, cnDate(st.joinedOn), cnDate(on(StepApproval)), cnDate(st.probationEnds), cnDate(on(StepFullApply))),
				fmt.Sprintf("公示时间：%s至%s（%d个工作日）。", cnDate(from), cnDate(to), n),
				fmt.Sprintf("公示期间，党员和群众如对%s有意见，可通过来信、来电、来访等方式向%s反映。", name, c.branch.Name),
			},
			Heading: "基本情况：", Rows: append(basics[:6:6], [2]string{"入党时间（支部大会通过）", cnDate(st.joinedOn)},
				[2]string{"入党介绍人", names(st.done[StepIntroducers].People)}, [2]string{"预备期满", cnDate(st.probationEnds)}),
			From: c.branch.Name, Date: cnDate(from)}
	}
	var b bytes.Buffer
	if err := letterTmpl.Execute(&b, l); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
