// Package access says who may do what, and where. A user holds grants: a role, and for business
// roles the org node the role covers (its whole subtree). Every store query asks Filter for its
// WHERE clause, so scope is enforced in one place, under every query, and fails closed: a
// context with no principal matches nothing.
package access

import (
	"context"
	"slices"
	"sort"
	"strings"
)

// Perm is one permission.
type Perm string

const (
	OrgRead        Perm = "org.read"        // read organisations in the granted subtree
	OrgWrite       Perm = "org.write"       // change organisations in the granted subtree
	OrgBrowse      Perm = "org.browse"      // see the tree's names only, to grant scopes
	UserManage     Perm = "user.manage"     // accounts: create, disable, reset passwords
	RoleGrant      Perm = "role.grant"      // grant roles and scopes
	SecurityManage Perm = "security.manage" // security settings
	AuditRead      Perm = "audit.read"      // read the audit log
	SelfRead       Perm = "self.read"       // a member's own record
	PIIRead        Perm = "pii.read"        // see a member's full 公民身份号码, phone and address (audited)
	PIIExport      Perm = "pii.export"      // export members with full personal data (audited)
)

// Role is a named bundle of permissions.
type Role struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	Description string `json:"description"`
	NeedsOrg    bool   `json:"needs_org"`
	Permissions []Perm `json:"permissions"`
	// Admin marks the three 等级保护 administrator roles, which exclude each other and any
	// business role.
	Admin bool `json:"-"`
}

// Roles are the built-in roles.
var Roles = []Role{
	{Code: "system-admin", Name: "系统管理员", Admin: true,
		Description: "管理账号与系统配置，不接触业务数据",
		Permissions: []Perm{UserManage}},
	{Code: "security-admin", Name: "安全保密管理员", Admin: true,
		Description: "分配角色与数据范围，管理安全策略",
		Permissions: []Perm{RoleGrant, SecurityManage, OrgBrowse}},
	{Code: "auditor", Name: "安全审计员", Admin: true,
		Description: "查阅审计日志，不做其他操作",
		Permissions: []Perm{AuditRead}},
	{Code: "org-admin", Name: "组织管理员", NeedsOrg: true,
		Description: "管理所授组织及其全部下级（组织部、党委、党支部管理员）",
		Permissions: []Perm{OrgRead, OrgWrite, PIIRead, PIIExport}},
	{Code: "org-viewer", Name: "查看员", NeedsOrg: true,
		Description: "只读查看所授组织及其全部下级（个人敏感信息只显示脱敏后的值）",
		Permissions: []Perm{OrgRead}},
	{Code: "member", Name: "党员", NeedsOrg: true,
		Description: "只看本人信息",
		Permissions: []Perm{SelfRead}},
}

// RoleByCode finds a built-in role.
func RoleByCode(code string) (Role, bool) {
	for _, r := range Roles {
		if r.Code == code {
			return r, true
		}
	}
	return Role{}, false
}

// Grant is one role held by a user, at an org node for business roles.
type Grant struct {
	Role    string `json:"role"`
	OrgID   int64  `json:"org_id,omitempty"`
	OrgPath string `json:"-"`
	OrgCode string `json:"org_code,omitempty"`
	OrgName string `json:"org_name,omitempty"`
}

// Principal is the user a request acts for.
type Principal struct {
	UserID   int64
	Username string
	Grants   []Grant
	system   bool
}

type ctxKey struct{}

// With returns ctx acting for p.
func With(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// From returns the principal of ctx, or nil.
func From(ctx context.Context) *Principal {
	p, _ := ctx.Value(ctxKey{}).(*Principal)
	return p
}

// System returns ctx acting as the operator at the command line (migrate, demo, user add):
// everything, everywhere. The HTTP server never uses it for a request.
func System(ctx context.Context) context.Context {
	return With(ctx, &Principal{Username: "system", system: true})
}

// Can reports whether p holds perm anywhere.
func (p *Principal) Can(perm Perm) bool {
	if p == nil {
		return false
	}
	if p.system {
		return true
	}
	for _, g := range p.Grants {
		if r, ok := RoleByCode(g.Role); ok && slices.Contains(r.Permissions, perm) {
			return true
		}
	}
	return false
}

// Permissions lists what p holds, for the UI.
func (p *Principal) Permissions() []Perm {
	var out []Perm
	for _, r := range Roles {
		for _, perm := range r.Permissions {
			if !slices.Contains(out, perm) && p.Can(perm) {
				out = append(out, perm)
			}
		}
	}
	return out
}

// scope returns the subtree paths where p holds any of perms; all is true when a grant covers
// everything (the system principal, or a role that needs no org).
func (p *Principal) scope(perms ...Perm) (paths []string, all bool) {
	if p == nil {
		return nil, false
	}
	if p.system {
		return nil, true
	}
	for _, g := range p.Grants {
		r, ok := RoleByCode(g.Role)
		if !ok || !slices.ContainsFunc(perms, func(perm Perm) bool { return slices.Contains(r.Permissions, perm) }) {
			continue
		}
		if !r.NeedsOrg {
			return nil, true
		}
		if g.OrgPath != "" {
			paths = append(paths, g.OrgPath)
		}
	}
	return minimalPaths(paths), false
}

// minimalPaths drops paths inside another one, so nested grants cost nothing.
func minimalPaths(paths []string) []string {
	sort.Strings(paths)
	var out []string
	for _, p := range paths {
		if len(out) > 0 && strings.HasPrefix(p, out[len(out)-1]) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// Roots returns the subtree paths where the context's principal holds any of perms (nil with
// all=true for everything).
func Roots(ctx context.Context, perms ...Perm) (paths []string, all bool) {
	return From(ctx).scope(perms...)
}

// Filter returns a WHERE fragment restricting pathColumn (an org path such as o.path) to the
// subtrees where the context's principal holds any of perms, and its arguments. Without a
// principal, or without the permission, it matches nothing.
func Filter(ctx context.Context, pathColumn string, perms ...Perm) (string, []any) {
	paths, all := Roots(ctx, perms...)
	if all {
		return "1=1", nil
	}
	if len(paths) == 0 {
		return "1=0", nil
	}
	var b strings.Builder
	args := make([]any, len(paths))
	b.WriteByte('(')
	for i, p := range paths {
		if i > 0 {
			b.WriteString(" OR ")
		}
		b.WriteString(pathColumn)
		b.WriteString(" LIKE ?")
		args[i] = p + "%"
	}
	b.WriteByte(')')
	return b.String(), args
}

// Covers reports whether the org at path lies in a subtree where the principal holds perm.
func Covers(ctx context.Context, perm Perm, path string) bool {
	paths, all := Roots(ctx, perm)
	if all {
		return true
	}
	for _, p := range paths {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}
