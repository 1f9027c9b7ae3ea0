package life

import (
	"context"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/org"
)

// Ledger is a branch's 组织生活台账 for a year, generated from the meeting records: nothing in
// it is entered twice.
type Ledger struct {
	Org         Ref
	Year        int
	GeneratedOn civil.Date
	Meetings    []*Meeting
	Members     []ledgerMember
	Evaluations []Evaluation
	Talks       []Talk
}

type ledgerMember struct {
	ID       int64
	Name     string
	Category string
	Marks    []string // per meeting: 出/假/缺/补 or ""
	Attended int
	Hours    float64
}

// ledger gathers the year's records of u and its 党小组.
func (s *Store) ledger(ctx context.Context, orgID int64, year int) (*Ledger, error) {
	u, err := s.unitRequired(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if !holdsLife(u.Type) {
		return nil, api.FieldInvalid("org", "“"+u.Name+"”是"+u.Type.Name()+"，不单独召开三会一课：请选择党支部、党小组或党委")
	}
	from, to := civil.New(year, 1, 1), civil.New(year, 12, 31)
	today := s.Today()
	l := &Ledger{Org: u.ref(), Year: year, GeneratedOn: today}
	// A branch's 台账 includes its 党小组; a 党委's is its own meetings only (its branches keep theirs).
	branch := u.Type.IsBranchLike()
	where, args := access.Filter(ctx, "o.path", access.OrgRead)
	cond, arg := "o.id = ?", any(u.ID)
	if branch {
		cond, arg = "o.path LIKE ?", any(u.Path+"%")
	}
	rows, err := s.db.Query(ctx, `SELECT mt.id FROM meetings mt JOIN orgs o ON o.id = mt.org_id WHERE `+cond+` AND mt.held_on >= ? AND mt.held_on <= ? AND `+where+`
		ORDER BY mt.held_on, mt.id`, append([]any{arg, from, to}, args...)...)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, id := range ids {
		m, err := s.load(ctx, s.db, id)
		if err != nil {
			return nil, err
		}
		l.Meetings = append(l.Meetings, m)
	}
	// The attendance matrix: the roster at the year's end (or today), plus anyone who appears in
	// a record of the year (members who left since).
	day := to
	if today.Before(day) {
		day = today
	}
	byID := map[int64]*ledgerMember{}
	var order []int64
	if u.Type.IsBranchLike() || u.Type == org.TypeGroup {
		r, err := s.roster(ctx, s.db, u, day, "")
		if err != nil {
			return nil, err
		}
		for _, m := range r.Members {
			byID[m.ID] = &ledgerMember{ID: m.ID, Name: m.Name, Category: m.CategoryName}
			order = append(order, m.ID)
		}
	}
	for _, m := range l.Meetings {
		for _, a := range m.Attendance {
			if byID[a.MemberID] == nil {
				byID[a.MemberID] = &ledgerMember{ID: a.MemberID, Name: a.Name}
				order = append(order, a.MemberID)
			}
		}
	}
	for i, m := range l.Meetings {
		for _, a := range m.Attendance {
			lm := byID[a.MemberID]
			for len(lm.Marks) < i {
				lm.Marks = append(lm.Marks, "")
			}
			lm.Marks = append(lm.Marks, attendanceShort[a.Status])
			if a.Status == "present" || a.Status == "makeup" {
				lm.Attended++
				lm.Hours += m.StudyHours
			}
		}
	}
	for _, id := range order {
		lm := byID[id]
		for len(lm.Marks) < len(l.Meetings) {
			lm.Marks = append(lm.Marks, "")
		}
		l.Members = append(l.Members, *lm)
	}
	ev, err := s.Evaluations(ctx, u.ID, year, "", api.Paging{Page: 1, Size: 100000})
	if err != nil {
		return nil, err
	}
	talks, err := s.Talks(ctx, u.ID, "", from, to, api.Paging{Page: 1, Size: 100000})
	if err != nil {
		return nil, err
	}
	for _, e := range ev.Items {
		if branch || e.Org.ID == u.ID {
			l.Evaluations = append(l.Evaluations, e)
		}
	}
	for _, t := range talks.Items {
		if branch || t.Org.ID == u.ID {
			l.Talks = append(l.Talks, t)
		}
	}
	sort.SliceStable(l.Talks, func(i, j int) bool { return l.Talks[i].HeldOn.Before(l.Talks[j].HeldOn) })
	return l, nil
}

func typesLabel(m *Meeting) string {
	if len(m.AlsoTypes) == 0 {
		return m.TypeName
	}
	names := []string{m.TypeName}
	for _, c := range m.AlsoTypes {
		names = append(names, typeName(c))
	}
	return strings.Join(names, "、")
}

func votesLabel(m *Meeting) string {
	var parts []string
	for _, v := range m.Votes {
		result := "未通过"
		if v.Passed {
			result = "通过"
		}
		parts = append(parts, fmt.Sprintf("%s：应到%d 实到%d，赞成%d 反对%d 弃权%d，%s", v.Subject, v.Entitled, v.PresentEntitled, v.Yes, v.No, v.Abstain, result))
	}
	return strings.Join(parts, "\n")
}

func countsLabel(counts map[string]int) string {
	var parts []string
	for _, g := range grades4 {
		if n, ok := counts[g.Code]; ok {
			parts = append(parts, fmt.Sprintf("%s %d", g.Name, n))
		}
	}
	return strings.Join(parts, "、")
}

func hoursLabel(h float64) string { return strconv.FormatFloat(h, 'f', -1, 64) }

func (l *Ledger) title() string { return fmt.Sprintf("%s %d年组织生活台账", l.Org.Name, l.Year) }

func (l *Ledger) meetingRows() [][]any {
	var out [][]any
	for i, m := range l.Meetings {
		out = append(out, []any{i + 1, m.HeldOn.String(), typesLabel(m), m.Org.Name, m.Topic, m.FirstTopic, m.Host, m.Place,
			m.Counts.Listed, m.Counts.Present, m.Counts.Leave, m.Counts.Absent, m.Counts.Makeup, m.StudyHours, votesLabel(m), m.Decisions})
	}
	return out
}

var meetingHeader = []string{"序号", "日期", "会议类型", "召开组织", "主题", "第一议题", "主持人/主讲人", "地点", "应到", "出席", "请假", "缺席", "补课", "学时", "表决（只记票数）", "决议"}

func (l *Ledger) attendanceHeader() []string {
	h := []string{"姓名", "类别"}
	for _, m := range l.Meetings {
		t, _ := typeByCode(m.Type)
		short := m.TypeName
		if t != nil {
			short = t.Short
		}
		h = append(h, m.HeldOn.String()[5:]+" "+short)
	}
	return append(h, "出席及补课次数", "学时合计")
}

var evaluationHeader = []string{"姓名", "评定等次", "测评票数", "组织处置", "处置说明", "评定日期", "个人自评"}
var talkHeader = []string{"日期", "类别", "谈话人", "谈话对象", "谈话要点"}

// WriteXLSX writes the ledger as a workbook: 会议记录, 出勤情况, 民主评议, 谈心谈话.
func (l *Ledger) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"F2DCDB"}, Pattern: 1}})
	titleStyle, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	sheet := func(name string, first bool, header []string, widths []float64, rows [][]any) error {
		if first {
			f.SetSheetName("Sheet1", name)
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return err
		}
		for i, wd := range widths {
			if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
				return err
			}
		}
		if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: titleStyle, Value: l.title() + " — " + name}}, excelize.RowOpts{Height: 24}); err != nil {
			return err
		}
		cells := make([]any, len(header))
		for i, h := range header {
			cells[i] = excelize.Cell{StyleID: bold, Value: h}
		}
		if err := sw.SetRow("A2", cells); err != nil {
			return err
		}
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+3)
			if err := sw.SetRow(cell, r); err != nil {
				return err
			}
		}
		return sw.Flush()
	}
	if err := sheet("会议记录", true, meetingHeader, []float64{6, 12, 16, 30, 30, 30, 12, 16, 6, 6, 6, 6, 6, 6, 36, 40}, l.meetingRows()); err != nil {
		return err
	}
	var att [][]any
	for _, m := range l.Members {
		row := []any{m.Name, m.Category}
		for _, mark := range m.Marks {
			row = append(row, mark)
		}
		att = append(att, append(row, m.Attended, m.Hours))
	}
	widths := []float64{10, 10}
	for range l.Meetings {
		widths = append(widths, 11)
	}
	if err := sheet("出勤情况", false, l.attendanceHeader(), append(widths, 14, 10), att); err != nil {
		return err
	}
	var ev [][]any
	for _, e := range l.Evaluations {
		ev = append(ev, []any{e.MemberName, e.GradeName, countsLabel(e.Counts), e.DisposalName, e.DisposalNote, e.DecidedOn.String(), e.SelfAssessment})
	}
	if err := sheet("民主评议", false, evaluationHeader, []float64{10, 10, 30, 14, 30, 12, 50}, ev); err != nil {
		return err
	}
	var tk [][]any
	for _, t := range l.Talks {
		tk = append(tk, []any{t.HeldOn.String(), t.KindName, t.TalkerName, t.WithName, t.Summary})
	}
	if err := sheet("谈心谈话", false, talkHeader, []float64{12, 24, 12, 12, 60}, tk); err != nil {
		return err
	}
	_, err := f.WriteTo(w)
	return err
}

var ledgerHTML = template.Must(template.New("ledger").Funcs(template.FuncMap{"hours": hoursLabel, "types": typesLabel, "inc": func(i int) int { return i + 1 },
	"votes": votesLabel, "counts": countsLabel}).Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{.L.Title}}</title>
<style>
body{font-family:"SimSun","Songti SC",serif;margin:24px;color:#000}
h1{text-align:center;font-size:22px;margin:0 0 4px}
.sub{text-align:center;margin-bottom:20px}
h2{font-size:16px;margin:24px 0 8px;border-left:4px solid #c00;padding-left:8px}
table{border-collapse:collapse;width:100%;font-size:12px;margin-bottom:12px}
th,td{border:1px solid #000;padding:3px 5px;vertical-align:top}
th{background:#f2dcdb}
td.c{text-align:center}
.pre{white-space:pre-wrap}
.note{font-size:12px;color:#444}
@media print{body{margin:0}h2{page-break-after:avoid}table{page-break-inside:auto}tr{page-break-inside:avoid}.noprint{display:none}}
@page{size:A4 landscape;margin:12mm}
</style></head><body>
<h1>{{.L.Title}}</h1>
<div class="sub">{{.L.Org.Name}}　　年度：{{.L.Year}}　　生成日期：{{.L.GeneratedOn}}</div>
<p class="note noprint">本台账由会议记录自动生成。打印请使用浏览器的“打印”功能（Ctrl+P），建议横向纸张。</p>
<h2>一、会议记录</h2>
<table><thead><tr><th>序号</th><th>日期</th><th>会议类型</th><th>主题</th><th>第一议题</th><th>主持人/主讲人</th><th>地点</th><th>应到</th><th>出席</th><th>请假</th><th>缺席</th><th>补课</th><th>学时</th><th>表决（只记票数）</th><th>决议</th></tr></thead><tbody>
{{range $i, $m := .L.Meetings}}<tr><td class="c">{{inc $i}}</td><td>{{$m.HeldOn}}</td><td>{{types $m}}{{if ne $m.Org.ID $.L.Org.ID}}<br>（{{$m.Org.Name}}）{{end}}</td><td>{{$m.Topic}}</td><td class="pre">{{$m.FirstTopic}}</td><td>{{$m.Host}}</td><td>{{$m.Place}}</td><td class="c">{{$m.Counts.Listed}}</td><td class="c">{{$m.Counts.Present}}</td><td class="c">{{$m.Counts.Leave}}</td><td class="c">{{$m.Counts.Absent}}</td><td class="c">{{$m.Counts.Makeup}}</td><td class="c">{{hours $m.StudyHours}}</td><td class="pre">{{votes $m}}</td><td class="pre">{{$m.Decisions}}</td></tr>
{{else}}<tr><td colspan="15" class="c">本年度尚无会议记录</td></tr>{{end}}
</tbody></table>
<h2>二、出勤情况</h2>
<table><thead><tr>{{range .AttHeader}}<th>{{.}}</th>{{end}}</tr></thead><tbody>
{{range .L.Members}}<tr><td>{{.Name}}</td><td>{{.Category}}</td>{{range .Marks}}<td class="c">{{.}}</td>{{end}}<td class="c">{{.Attended}}</td><td class="c">{{hours .Hours}}</td></tr>
{{else}}<tr><td colspan="{{len .AttHeader}}" class="c">无</td></tr>{{end}}
</tbody></table>
<p class="note">出＝出席，假＝请假，缺＝缺席，补＝补课；空白为不在该次会议的出勤范围（如其他党小组的会议）。</p>
<h2>三、民主评议党员</h2>
<table><thead><tr><th>姓名</th><th>评定等次</th><th>测评票数</th><th>组织处置</th><th>处置说明</th><th>评定日期</th></tr></thead><tbody>
{{range .L.Evaluations}}<tr><td>{{.MemberName}}</td><td>{{.GradeName}}</td><td>{{counts .Counts}}</td><td>{{.DisposalName}}</td><td>{{.DisposalNote}}</td><td>{{.DecidedOn}}</td></tr>
{{else}}<tr><td colspan="6" class="c">本年度尚无评议结果</td></tr>{{end}}
</tbody></table>
<h2>四、谈心谈话</h2>
<table><thead><tr><th>日期</th><th>类别</th><th>谈话人</th><th>谈话对象</th><th>谈话要点</th></tr></thead><tbody>
{{range .L.Talks}}<tr><td>{{.HeldOn}}</td><td>{{.KindName}}</td><td>{{.TalkerName}}</td><td>{{.WithName}}</td><td class="pre">{{.Summary}}</td></tr>
{{else}}<tr><td colspan="5" class="c">本年度尚无谈心谈话记录</td></tr>{{end}}
</tbody></table>
</body></html>`))

// Title is the ledger's heading.
func (l *Ledger) Title() string { return l.title() }

// WriteHTML writes the printable ledger.
func (l *Ledger) WriteHTML(w io.Writer) error {
	return ledgerHTML.Execute(w, map[string]any{"L": l, "AttHeader": l.attendanceHeader()})
}
