package e2e

import (
	"context"
	"strconv"
	"testing"

	"github.com/dangjian/dangjian/internal/auth"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/member"
)

// f. 组织关系转接 across two scopes: the 启明街道 admin (jiedao) issues a letter for a member of
// one of its branches to a branch of 府坪街道, found with the system-wide destination search;
// nothing moves until the 府坪街道 admin accepts it in the 转入 box; then the member is on that
// branch's roster and no longer on the old one. (The demo has one 区: its two 街道 stand for the
// two counties of the issue, each admin seeing only their own.)
func transferBetweenStreets(t *testing.T, br *Browser, f *fixture) {
	from := firstBranch(t, f, f.qiming)
	to := firstBranch(t, f, f.fuping)
	if _, err := auth.AddUser(f.sys, f.db, auth.NewUser{Username: "fuping", DisplayName: "府坪街道管理员", Password: password, Role: "org-admin", OrgCode: f.fuping.Code}); err != nil {
		t.Fatal(err)
	}
	id17 := "43070219870505246"
	m, err := f.members.Create(f.sys, member.Input{OrgID: from.ID, Name: "调动人", IDNumber: id17 + checkDigit(id17), Ethnicity: "01", Education: "21",
		JoinedOn: civil.New(2012, 7, 1), FullOn: civil.New(2013, 7, 1)})
	if err != nil {
		t.Fatal(err)
	}
	orgOf := func() int64 {
		var id int64
		if err := f.db.QueryRow(context.Background(), `SELECT org_id FROM members WHERE id = ?`, m.ID).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}

	// The sender: the member's record, 转出组织关系, the destination found by name.
	a := br.NewTab(t, f.url)
	a.Login("jiedao", password)
	a.Open("/members/" + id(from))
	a.WaitTextContains("members-table", m.Name)
	a.ClickJS("the row of "+m.Name, `all('[data-testid="members-table"] .el-table__body tr').find((r) => text(r).includes(`+q(m.Name)+`))`)
	a.WaitTextContains("member-drawer-name", m.Name)
	a.Click("btn-transfer-member")
	a.WaitVisible("transfer-dialog")
	a.ClickJS("the destination field", `one(testid('transfer-destination') + ' .el-select__wrapper')`)
	a.Type("transfer-destination", to.Name)
	a.ClickJS("the destination "+to.Name, `all('.el-select-dropdown__item').find((li) => text(li).includes(`+q(to.Name)+`) && text(li).includes(`+q(f.fuping.Name)+`))`)
	a.Type("transfer-reason", "工作调动")
	a.Click("transfer-submit")
	a.WaitGone("transfer-dialog")

	var transferID int64
	if err := f.db.QueryRow(context.Background(), `SELECT id FROM transfers WHERE member_id = ? AND status = 'pending'`, m.ID).Scan(&transferID); err != nil {
		a.Fatalf("no pending transfer after issuing the letter: %v", err)
	}
	if orgOf() != from.ID {
		a.Fatalf("the member moved before the receiver accepted")
	}
	// The sender's 转出 box lists it as 办理中; the sender cannot accept it.
	a.Open("/transfers?box=out")
	a.WaitTextContains("transfers-list", m.Name)
	if Eval[bool](a, "look for an accept button", `return all(testid('transfer-accept-`+strconv.FormatInt(transferID, 10)+`')).length > 0`) {
		a.Fatalf("the sender is offered 接收")
	}

	// The receiver: the 转入 box, 接收.
	b := br.NewTab(t, f.url)
	b.Login("fuping", password)
	b.Open("/transfers")
	b.WaitTextContains("transfers-list", m.Name)
	b.Click("transfer-accept-" + strconv.FormatInt(transferID, 10))
	b.WaitVisible("transfer-decision")
	b.WaitTextContains("transfer-decision", from.Name)
	b.Click("decision-submit")
	b.WaitGone("transfer-decision")
	if orgOf() != to.ID {
		b.Fatalf("after 接收 the member is in org %d, want %s (%d)", orgOf(), to.Name, to.ID)
	}
	b.Open("/members/" + id(to))
	b.WaitTextContains("members-table", m.Name)

	// And the sender's roster no longer has them.
	a.Open("/members/" + id(from))
	a.WaitJS("the old roster to load without "+m.Name, `const t = one(testid('members-table')); return !!t && !t.querySelector('.el-loading-mask') && !text(t).includes(`+q(m.Name)+`)`)
}
