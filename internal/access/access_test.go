package access

import (
	"context"
	"testing"
)

func TestFilterFailsClosed(t *testing.T) {
	where, args := Filter(context.Background(), "o.path", OrgRead)
	if where != "1=0" || args != nil {
		t.Fatalf("no principal: %q %v, want a filter that matches nothing", where, args)
	}
	auditor := With(context.Background(), &Principal{Grants: []Grant{{Role: "auditor"}}})
	if where, _ := Filter(auditor, "o.path", OrgRead); where != "1=0" {
		t.Fatalf("auditor reading orgs: %q, want nothing", where)
	}
}

func TestFilterUsesGrantedSubtrees(t *testing.T) {
	ctx := With(context.Background(), &Principal{Grants: []Grant{
		{Role: "org-viewer", OrgPath: "/1/7/"},
		{Role: "org-admin", OrgPath: "/1/7/9/"}, // inside the first: adds nothing
		{Role: "org-viewer", OrgPath: "/1/12/"},
	}})
	where, args := Filter(ctx, "o.path", OrgRead)
	if where != "(o.path LIKE ? OR o.path LIKE ?)" || len(args) != 2 || args[0] != "/1/12/%" || args[1] != "/1/7/%" {
		t.Fatalf("got %q %v", where, args)
	}
	if !Covers(ctx, OrgWrite, "/1/7/9/30/") || Covers(ctx, OrgWrite, "/1/7/") || Covers(ctx, OrgRead, "/1/") {
		t.Fatal("Covers does not follow the granted subtrees")
	}
	// "/1/1" must not be taken for a child of "/1/" by a naive prefix without the trailing slash.
	if Covers(ctx, OrgRead, "/1/70/") {
		t.Fatal("/1/70/ is not inside /1/7/")
	}
}

func TestAdminRolesSeeNoBusinessData(t *testing.T) {
	for _, code := range []string{"system-admin", "security-admin", "auditor"} {
		p := &Principal{Grants: []Grant{{Role: code}}}
		if p.Can(OrgRead) || p.Can(OrgWrite) {
			t.Errorf("%s can read or write organisations", code)
		}
	}
	sec := &Principal{Grants: []Grant{{Role: "security-admin"}}}
	if !sec.Can(RoleGrant) || sec.Can(AuditRead) || sec.Can(UserManage) {
		t.Error("security-admin permissions are not separated")
	}
}
