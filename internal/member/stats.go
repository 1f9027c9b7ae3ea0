package member

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/org"
)

// JoinedPeriod is one 入党时间 group of the statistics.
type JoinedPeriod struct {
	Code, Name string
	From, To   civil.Date // inclusive; zero = open
}

// JoinedPeriodsSource is where the 入党时间 groups come from.
const JoinedPeriodsSource = "党内统计报表（党员队伍情况）入党时间分组"

// JoinedPeriods are the nine 入党时间 groups of the 党内统计 table, as data. The table has no
// separate group from the 二十大 (2022-11) on; it is kept at nine, like the table, until the
// table itself changes.
var JoinedPeriods = []JoinedPeriod{
	{"1", "1937年7月6日及以前", civil.Date{}, civil.New(1937, 7, 6)},
	{"2", "1937年7月7日至1945年9月2日", civil.New(1937, 7, 7), civil.New(1945, 9, 2)},
	{"3", "1945年9月3日至1949年9月30日", civil.New(1945, 9, 3), civil.New(1949, 9, 30)},
	{"4", "1949年10月1日至1966年4月30日", civil.New(1949, 10, 1), civil.New(1966, 4, 30)},
	{"5", "1966年5月1日至1976年10月31日", civil.New(1966, 5, 1), civil.New(1976, 10, 31)},
	{"6", "1976年11月1日至1978年12月31日", civil.New(1976, 11, 1), civil.New(1978, 12, 31)},
	{"7", "1979年1月1日至2002年10月31日", civil.New(1979, 1, 1), civil.New(2002, 10, 31)},
	{"8", "2002年11月1日至2012年10月31日", civil.New(2002, 11, 1), civil.New(2012, 10, 31)},
	{"9", "2012年11月1日及以后", civil.New(2012, 11, 1), civil.Date{}},
}

// Stats is the structure of the members of a subtree. Counts are of members whose 党籍状态 is
// 正常; those with 停止党籍 are counted apart (Suspended).
type Stats struct {
	OrgID        int64       `json:"org_id" doc:"统计范围的根组织；0 为本人全部管理范围"`
	Total        int         `json:"total"`
	Full         int         `json:"full"`
	Probationary int         `json:"probationary"`
	Female       int         `json:"female"`
	Minority     int         `json:"minority" doc:"少数民族（民族代码 02–56）"`
	Under35      int         `json:"under_35" doc:"35岁及以下"`
	AgeBands     []org.Count `json:"age_bands"`
	Education    []org.Count `json:"education" doc:"党内统计学历6档"`
	Occupation   []org.Count `json:"occupation" doc:"工作岗位第一层"`
	JoinedPeriod []org.Count `json:"joined_period" doc:"入党时间9档"`
	Mobile       int         `json:"mobile"`
	LostContact  int         `json:"lost_contact"`
	Suspended    int         `json:"suspended"`
	Orgs         []org.Count `json:"orgs" doc:"党组织数（按类别）"`
	Today        civil.Date  `json:"today" doc:"年龄按此日计算"`
}

// Stats counts the members of the subtree of orgID (0: the caller's whole scope): from the
// roll-ups for subtrees rooted above the 支部 (with the exact partial-month correction for the
// age bands, see rollup.go) and row by row for a 支部's few members; orgs counts the
// organisations by type from org_rollup. The figures are those of a full recount.
func (s *Store) Stats(ctx context.Context, orgID int64, orgs *org.Store) (*Stats, error) {
	t, err := s.resolveSubtrees(ctx, orgID)
	if err != nil {
		return nil, err
	}
	today := s.Today()
	codes, err := s.Codes(ctx)
	if err != nil {
		return nil, err
	}
	tl := newTally()
	if err := s.rolledTally(ctx, t, tl); err != nil {
		return nil, err
	}
	if err := s.directTally(ctx, t.direct(), tl); err != nil {
		return nil, err
	}
	st := &Stats{OrgID: orgID, Today: today, AgeBands: []org.Count{}, Education: []org.Count{}, Occupation: []org.Count{}, JoinedPeriod: []org.Count{}}
	st.Total, st.Full, st.Probationary, st.Female, st.Under35 = tl.total, tl.full, tl.prob, tl.female, tl.under35
	st.Mobile, st.LostContact, st.Suspended = tl.mobile, tl.lost, tl.suspended
	for e, n := range tl.eth {
		if len(e) == 2 && e >= "02" && e <= "56" {
			st.Minority += n
		}
	}
	for i, b := range AgeBands {
		st.AgeBands = append(st.AgeBands, org.Count{Code: b.Code, Name: b.Name, Count: tl.bands[i]})
	}
	for _, e := range codes.tableOf(KindEduStats).Items {
		st.Education = append(st.Education, org.Count{Code: e.Code, Name: e.Name, Count: tl.edu[e.Code]})
	}
	for _, it := range codes.tableOf(KindJob).Items {
		if it.Parent != "" {
			continue
		}
		n := 0
		for job, c := range tl.job {
			if strings.HasPrefix(job, it.Code) {
				n += c
			}
		}
		st.Occupation = append(st.Occupation, org.Count{Code: it.Code, Name: it.Name, Count: n})
	}
	if n := tl.job[""]; n > 0 {
		st.Occupation = append(st.Occupation, org.Count{Code: "", Name: "未填写", Count: n})
	}
	for _, p := range JoinedPeriods {
		st.JoinedPeriod = append(st.JoinedPeriod, org.Count{Code: p.Code, Name: p.Name, Count: tl.joined[p.Code]})
	}
	var roots []int64
	for _, n := range t.nodes {
		roots = append(roots, n.id)
	}
	if st.Orgs, err = org.CountByType(ctx, s.db, roots); err != nil {
		return nil, err
	}
	return st, nil
}

// ExportStats writes the figures of Stats as an .xlsx workbook.
func (s *Store) ExportStats(ctx context.Context, orgID int64, orgs *org.Store, scope string, w io.Writer) error {
	st, err := s.Stats(ctx, orgID, orgs)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "党员统计"
	f.SetSheetName("Sheet1", sheet)
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"F2DCDB"}, Pattern: 1}})
	if err := sw.SetColWidth(1, 1, 16); err != nil {
		return err
	}
	if err := sw.SetColWidth(2, 2, 36); err != nil {
		return err
	}
	if err := sw.SetColWidth(3, 3, 12); err != nil {
		return err
	}
	r := 1
	put := func(cells ...any) error {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		r++
		return sw.SetRow(cell, cells)
	}
	head := func(a, b, c string) error {
		return put(excelize.Cell{StyleID: bold, Value: a}, excelize.Cell{StyleID: bold, Value: b}, excelize.Cell{StyleID: bold, Value: c})
	}
	if err := put("统计范围", scope, ""); err != nil {
		return err
	}
	if err := put("统计日期", st.Today.String(), "（党籍状态正常的党员；年龄按统计日期计算）"); err != nil {
		return err
	}
	if err := head("分组", "项目", "人数"); err != nil {
		return err
	}
	for _, kv := range []struct {
		name string
		n    int
	}{{"党员总数", st.Total}, {"正式党员", st.Full}, {"预备党员", st.Probationary}, {"女党员", st.Female},
		{"少数民族党员", st.Minority}, {"35岁及以下", st.Under35}, {"流动党员", st.Mobile}, {"失联党员", st.LostContact},
		{"停止党籍（另计）", st.Suspended}} {
		if err := put("总体", kv.name, kv.n); err != nil {
			return err
		}
	}
	groups := []struct {
		name   string
		counts []org.Count
	}{{"年龄", st.AgeBands}, {"学历", st.Education}, {"工作岗位", st.Occupation}, {"入党时间", st.JoinedPeriod}, {"党组织（个）", st.Orgs}}
	for _, g := range groups {
		for _, c := range g.counts {
			if err := put(g.name, c.Name, c.Count); err != nil {
				return err
			}
		}
	}
	if err := put("", "", ""); err != nil {
		return err
	}
	if err := put("说明", fmt.Sprintf("学历按党内统计6档归并（本系统对应关系）；入党时间分组依据：%s", JoinedPeriodsSource), ""); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
