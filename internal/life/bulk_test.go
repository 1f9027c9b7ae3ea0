package life

import (
	"strings"
	"testing"

	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/db/dbtest"
)

// LoadMeetings records a batch with the checks of Create, or nothing at all.
func TestLoadMeetings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		congress := MeetingInput{OrgID: f.b1.ID, Type: TypeBranchCongress, HeldOn: civil.New(2026, 7, 20), Topic: "学习党章",
			Attendance: attendance(f.m1, 8)}
		committee := MeetingInput{OrgID: f.b1.ID, Type: TypeBranchCommittee, HeldOn: civil.New(2026, 7, 5), Attendance: attendance(f.m1[:5], 4)}
		group := MeetingInput{OrgID: f.g1.ID, Type: TypeGroupMeeting, HeldOn: civil.New(2026, 7, 12), Attendance: attendance(f.m1[5:8], 3)}
		before := f.count(t, "audit_log")

		// A refused meeting (too few present for a 支部党员大会) stops the load: nothing is saved.
		bad := congress
		bad.HeldOn, bad.Attendance = civil.New(2026, 8, 1), attendance(f.m1, 3)
		if _, err := f.s.LoadMeetings(f.ctx, "测试", []MeetingInput{committee, bad}); err == nil ||
			!strings.Contains(err.Error(), "第 2 条") || !strings.Contains(err.Error(), "到会人数不足") {
			t.Fatalf("a meeting without quorum in the batch: %v", err)
		}
		if n := f.count(t, "meetings"); n != 0 {
			t.Fatalf("a refused batch saved %d meetings", n)
		}

		n, err := f.s.LoadMeetings(f.ctx, "测试", []MeetingInput{congress, committee, group})
		if err != nil || n != 3 {
			t.Fatalf("LoadMeetings: %d, %v", n, err)
		}
		if got := f.count(t, "meeting_versions"); got != 3 {
			t.Fatalf("%d versions, want one per meeting", got)
		}
		if got := f.count(t, "audit_log") - before; got != 1 {
			t.Fatalf("%d audit entries, want one for the batch", got)
		}
		// Loaded meetings read back and count as any other.
		list, err := f.s.List(f.ctx, ListFilter{Org: f.b1.ID}, api.Paging{Page: 1, Size: 100})
		if err != nil || list.Total != 3 {
			t.Fatalf("list: %+v, %v", list, err)
		}
		m, err := f.s.Get(f.ctx, list.Items[0].ID)
		if err != nil || m.Counts.Present != 8 || m.Quorum == nil || !m.Quorum.OK {
			t.Fatalf("the loaded congress: %+v, %v", m, err)
		}
		v, err := f.s.Versions(f.ctx, m.ID)
		if err != nil || len(v) != 1 || !strings.Contains(string(v[0].Snapshot), `"张书记"`) {
			t.Fatalf("versions: %+v, %v", v, err)
		}
		if r := f.requirement(t, f.compliance(t, f.b1, "2026-07"), f.b1, TypeBranchCommittee); r == nil || r.Status != Held {
			t.Fatalf("支委会 in July after the load: %+v", r)
		}
		if h := f.hours(t, f.b1, f.m1[0]); h.Hours != 1 || h.Meetings != 2 { // the 大会 (1 学时) and the 支委会 (none)
			t.Fatalf("the secretary's hours after the load: %+v", h)
		}
		// The same meeting twice is refused, as Create refuses it.
		if _, err := f.s.LoadMeetings(f.ctx, "测试", []MeetingInput{congress}); err == nil || !strings.Contains(err.Error(), "已有一条") {
			t.Fatalf("loading a meeting again: %v", err)
		}
	})
}
