package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/db"
)

// User is an account as the API shows it. It has no password hash field, so no answer and no
// audit entry can carry one.
type User struct {
	ID          int64      `json:"id"`
	Username    string     `json:"username"`
	DisplayName string     `json:"display_name"`
	Disabled    bool       `json:"disabled"`
	LockedUntil *time.Time `json:"locked_until" doc:"锁定到何时；未锁定为 null"`
	LastLoginAt *time.Time `json:"last_login_at"`
	CreatedAt   time.Time  `json:"created_at"`
	Roles       []UserRole `json:"roles"`
}

// UserRole is one role a user holds, with the org it covers for business roles.
type UserRole struct {
	Role     string `json:"role"`
	RoleName string `json:"role_name"`
	OrgID    *int64 `json:"org_id" doc:"业务角色所管理的组织；三员角色为 null"`
	OrgCode  string `json:"org_code"`
	OrgName  string `json:"org_name"`
}

// RoleInput is one grant in PUT /users/{id}/roles.
type RoleInput struct {
	Role  string `json:"role" doc:"角色代码，见 GET /api/v1/roles"`
	OrgID *int64 `json:"org_id,omitempty" doc:"组织管理员、查看员、党员须指定；三员角色不得指定"`
}

// RolesInput is the body of PUT /users/{id}/roles: the user's complete set of grants.
type RolesInput struct {
	Roles []RoleInput `json:"roles"`
}

// CreateUserInput is the body of POST /users.
type CreateUserInput struct {
	Username    string `json:"username" doc:"3–32 位小写字母、数字或 _ . -"`
	DisplayName string `json:"display_name"`
	Password    string `json:"password" doc:"初始密码，须符合密码策略"`
}

// UpdateUserInput is the body of PATCH /users/{id}; absent fields are left as they are.
type UpdateUserInput struct {
	DisplayName *string `json:"display_name,omitempty"`
	Disabled    *bool   `json:"disabled,omitempty" doc:"停用账号会使其全部会话立即失效"`
	Password    *string `json:"password,omitempty" doc:"重设密码，须符合密码策略；其全部会话立即失效"`
	Unlock      bool    `json:"unlock,omitempty" doc:"为 true 时解除登录失败锁定"`
}

var usernameRE = regexp.MustCompile(`^[a-z0-9_.-]{3,32}$`)

// normalizeUsername trims and lower-cases, so that login and creation agree.
func normalizeUsername(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func checkUsername(f *api.Fields, username string) {
	switch {
	case username == "":
		f.Add("username", "请填写用户名")
	case !usernameRE.MatchString(username):
		f.Add("username", "用户名须为 3–32 位小写字母、数字或 _ . -")
	}
}

func checkDisplayName(f *api.Fields, name string) {
	switch {
	case name == "":
		f.Add("display_name", "请填写姓名")
	case utf8.RuneCountInString(name) > 64:
		f.Add("display_name", "姓名不能超过 64 个字符")
	}
}

func need(ctx context.Context, perms ...access.Perm) error {
	p := access.From(ctx)
	for _, perm := range perms {
		if p.Can(perm) {
			return nil
		}
	}
	return api.Forbidden("您的角色没有此项操作权限")
}

const userColumns = `id, username, display_name, disabled, locked_until, last_login_at, created_at`

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var u User
	var locked, last sql.Null[time.Time]
	if err := row.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Disabled, &locked, &last, &u.CreatedAt); err != nil {
		return u, err
	}
	u.CreatedAt = u.CreatedAt.UTC()
	if locked.Valid && locked.V.After(clock()) {
		t := locked.V.UTC()
		u.LockedUntil = &t
	}
	if last.Valid {
		t := last.V.UTC()
		u.LastLoginAt = &t
	}
	u.Roles = []UserRole{}
	return u, nil
}

var errUserNotFound = api.NotFound("用户不存在")

// getUser reads one user with roles through q (the reader pool or a transaction).
func getUser(ctx context.Context, q db.Querier, id int64) (User, error) {
	u, err := scanUser(q.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, errUserNotFound
	}
	if err != nil {
		return u, err
	}
	us := []User{u}
	if err := fillRoles(ctx, q, us); err != nil {
		return u, err
	}
	return us[0], nil
}

// fillRoles loads the roles of us in one query.
func fillRoles(ctx context.Context, q db.Querier, us []User) error {
	if len(us) == 0 {
		return nil
	}
	idx := make(map[int64]int, len(us))
	for i, u := range us {
		idx[u.ID] = i
	}
	// A page names its users; a long list (the command line's) reads every grant instead of
	// binding thousands of parameters.
	where, args := "", []any{}
	if len(us) <= 500 {
		marks := make([]string, len(us))
		for i, u := range us {
			marks[i] = "?"
			args = append(args, u.ID)
		}
		where = "WHERE ur.user_id IN (" + strings.Join(marks, ",") + ")"
	}
	rows, err := q.Query(ctx, `SELECT ur.user_id, ur.role, ur.org_id, o.code, o.name
		FROM user_roles ur LEFT JOIN orgs o ON o.id = ur.org_id `+where+` ORDER BY ur.user_id, ur.id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var uid int64
		var g UserRole
		var orgID sql.NullInt64
		var code, name sql.NullString
		if err := rows.Scan(&uid, &g.Role, &orgID, &code, &name); err != nil {
			return err
		}
		if orgID.Valid {
			g.OrgID = &orgID.Int64
		}
		g.OrgCode, g.OrgName = code.String, name.String
		g.RoleName = g.Role
		if r, ok := access.RoleByCode(g.Role); ok {
			g.RoleName = r.Name
		}
		if i, ok := idx[uid]; ok {
			us[i].Roles = append(us[i].Roles, g)
		}
	}
	return rows.Err()
}

// UserFilter narrows ListUsersPage.
type UserFilter struct {
	Q string // part of the username or display name
}

// ListUsersPage lists users by username. It needs user.manage or role.grant.
func ListUsersPage(ctx context.Context, d *db.DB, f UserFilter, page api.Paging) (api.List[User], error) {
	out := api.List[User]{Items: []User{}, Page: page.Page, PageSize: page.Size}
	if err := need(ctx, access.UserManage, access.RoleGrant); err != nil {
		return out, err
	}
	cond, args := "1=1", []any{}
	if q := strings.TrimSpace(f.Q); q != "" {
		like := "%" + likeEscaper.Replace(q) + "%"
		cond = `(username LIKE ? ESCAPE '\' OR LOWER(display_name) LIKE ? ESCAPE '\')`
		args = append(args, strings.ToLower(like), strings.ToLower(like))
	}
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE `+cond, args...).Scan(&out.Total); err != nil {
		return out, err
	}
	rows, err := d.Query(ctx, `SELECT `+userColumns+` FROM users WHERE `+cond+` ORDER BY username LIMIT ? OFFSET ?`,
		append(args, page.Size, page.Offset())...)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return out, err
		}
		out.Items = append(out.Items, u)
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	rows.Close()
	return out, fillRoles(ctx, d, out.Items)
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// GetUser reads one user. It needs user.manage or role.grant.
func GetUser(ctx context.Context, d *db.DB, id int64) (User, error) {
	if err := need(ctx, access.UserManage, access.RoleGrant); err != nil {
		return User{}, err
	}
	return getUser(ctx, d, id)
}

// CreateUser adds an account without roles (the 安全保密管理员 grants them). It needs
// user.manage; audited as user.create.
func CreateUser(ctx context.Context, d *db.DB, in CreateUserInput) (User, error) {
	if err := need(ctx, access.UserManage); err != nil {
		return User{}, err
	}
	var u User
	err := d.InTx(ctx, func(tx *db.Tx) error {
		var err error
		u, err = insertUser(ctx, tx, in)
		return err
	})
	return u, err
}

// insertUser validates in, inserts the user and records user.create.
func insertUser(ctx context.Context, tx *db.Tx, in CreateUserInput) (User, error) {
	in.Username = normalizeUsername(in.Username)
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	var f api.Fields
	checkUsername(&f, in.Username)
	checkDisplayName(&f, in.DisplayName)
	settings, err := LoadSettings(ctx, tx)
	if err != nil {
		return User{}, err
	}
	if err := CheckPassword(in.Username, in.Password, settings.PasswordMinLength); err != nil {
		f.Add("password", err.Error())
	}
	if !f.Has("username") {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE username = ?`, in.Username).Scan(&n); err != nil {
			return User{}, err
		}
		if n > 0 {
			f.Add("username", "用户名已存在")
		}
	}
	if err := f.Err(); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return User{}, err
	}
	now := clock()
	var id int64
	err = tx.QueryRow(ctx, `INSERT INTO users (username, display_name, password_hash, password_changed_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, in.Username, in.DisplayName, hash, now, now, now).Scan(&id)
	if db.IsUniqueViolation(err) {
		return User{}, api.FieldInvalid("username", "用户名已存在")
	}
	if err != nil {
		return User{}, err
	}
	u, err := getUser(ctx, tx, id)
	if err != nil {
		return u, err
	}
	return u, audit.Record(ctx, tx, audit.Entry{Action: "user.create", Entity: "user", EntityID: strconv.FormatInt(id, 10),
		Summary: fmt.Sprintf("新建用户 %s（%s）", u.Username, u.DisplayName), After: u})
}

// UpdateUser changes display name, disabled state, password (reset) or lock. Disabling a user
// or resetting their password ends their sessions. It needs user.manage; audited as
// user.update and, for a password reset, user.password.
func UpdateUser(ctx context.Context, d *db.DB, id int64, in UpdateUserInput) (User, error) {
	if err := need(ctx, access.UserManage); err != nil {
		return User{}, err
	}
	me := access.From(ctx)
	var f api.Fields
	if in.DisplayName != nil {
		*in.DisplayName = strings.TrimSpace(*in.DisplayName)
		checkDisplayName(&f, *in.DisplayName)
	}
	if in.Disabled != nil && *in.Disabled && me.UserID == id {
		f.Add("disabled", "不能停用自己的账号")
	}
	if in.Password != nil && me.UserID == id {
		f.Add("password", "修改本人密码请使用“修改密码”（须验证原密码）")
	}
	if err := f.Err(); err != nil {
		return User{}, err
	}
	var after User
	err := d.InTx(ctx, func(tx *db.Tx) error {
		before, err := getUser(ctx, tx, id)
		if err != nil {
			return err
		}
		now := clock()
		if in.Password != nil {
			settings, err := LoadSettings(ctx, tx)
			if err != nil {
				return err
			}
			if err := CheckPassword(before.Username, *in.Password, settings.PasswordMinLength); err != nil {
				return api.FieldInvalid("password", err.Error())
			}
		}
		changed := false
		if in.DisplayName != nil && *in.DisplayName != before.DisplayName {
			if _, err := tx.Exec(ctx, `UPDATE users SET display_name = ?, updated_at = ? WHERE id = ?`, *in.DisplayName, now, id); err != nil {
				return err
			}
			changed = true
		}
		if in.Disabled != nil && *in.Disabled != before.Disabled {
			if _, err := tx.Exec(ctx, `UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?`, *in.Disabled, now, id); err != nil {
				return err
			}
			if *in.Disabled {
				if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
					return err
				}
			}
			changed = true
		}
		if in.Unlock {
			res, err := tx.Exec(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL, updated_at = ?
				WHERE id = ? AND (failed_logins <> 0 OR locked_until IS NOT NULL)`, now, id)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				changed = true
			}
		}
		after, err = getUser(ctx, tx, id)
		if err != nil {
			return err
		}
		if changed {
			if err := audit.Record(ctx, tx, audit.Entry{Action: "user.update", Entity: "user", EntityID: strconv.FormatInt(id, 10),
				Summary: "修改用户 " + before.Username + describeChange(before, after, in.Unlock), Before: before, After: after}); err != nil {
				return err
			}
		}
		if in.Password != nil {
			return setPasswordTx(ctx, tx, id, *in.Password, false, "重设用户 "+before.Username+" 的密码")
		}
		return nil
	})
	return after, err
}

func describeChange(before, after User, unlock bool) string {
	var parts []string
	if before.DisplayName != after.DisplayName {
		parts = append(parts, fmt.Sprintf("姓名 %s → %s", before.DisplayName, after.DisplayName))
	}
	if before.Disabled != after.Disabled {
		if after.Disabled {
			parts = append(parts, "停用")
		} else {
			parts = append(parts, "启用")
		}
	}
	if unlock {
		parts = append(parts, "解除锁定")
	}
	if len(parts) == 0 {
		return ""
	}
	return "：" + strings.Join(parts, "，")
}

// passwordAudit is what user.password records: when, never what.
type passwordAudit struct {
	PasswordChangedAt time.Time `json:"password_changed_at"`
}

// setPasswordTx stores a new hash, ends the user's sessions (all but keepSession's, if given)
// and records user.password. The password must already satisfy the policy.
func setPasswordTx(ctx context.Context, tx *db.Tx, id int64, password string, unlock bool, summary string, keepSession ...string) error {
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	var prev time.Time
	if err := tx.QueryRow(ctx, `SELECT password_changed_at FROM users WHERE id = ?`, id).Scan(&prev); err != nil {
		return err
	}
	now := clock()
	q := `UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ? WHERE id = ?`
	if unlock {
		q = `UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ?, failed_logins = 0, locked_until = NULL WHERE id = ?`
	}
	if _, err := tx.Exec(ctx, q, hash, now, now, id); err != nil {
		return err
	}
	if len(keepSession) > 0 {
		_, err = tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`, id, keepSession[0])
	} else {
		_, err = tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id)
	}
	if err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Entry{Action: "user.password", Entity: "user", EntityID: strconv.FormatInt(id, 10),
		Summary: summary, Before: passwordAudit{prev.UTC()}, After: passwordAudit{now}})
}

// grant is a validated role assignment.
type grant struct {
	role  access.Role
	orgID *int64
}

// validateRoles checks a complete set of grants: known roles, an existing org exactly for the
// roles that need one, no duplicates, and 三员分立 (an administrator role excludes every other
// role). Field names follow the API body (roles[i].role, roles[i].org_id, roles).
func validateRoles(ctx context.Context, q db.Querier, in []RoleInput) ([]grant, error) {
	var f api.Fields
	var out []grant
	seen := map[string]int{}
	for i, r := range in {
		field := fmt.Sprintf("roles[%d]", i)
		role, ok := access.RoleByCode(strings.TrimSpace(r.Role))
		if !ok {
			if strings.TrimSpace(r.Role) == "" {
				f.Add(field+".role", "请选择角色（可选："+roleCodes()+"）")
			} else {
				f.Add(field+".role", fmt.Sprintf("未知角色 %q（可选：%s）", r.Role, roleCodes()))
			}
			continue
		}
		switch {
		case role.NeedsOrg && r.OrgID == nil:
			f.Add(field+".org_id", fmt.Sprintf("%s须指定所管理的组织", role.Name))
			continue
		case !role.NeedsOrg && r.OrgID != nil:
			f.Add(field+".org_id", fmt.Sprintf("%s不针对具体组织，不能指定组织", role.Name))
			continue
		case r.OrgID != nil:
			var n int
			if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM orgs WHERE id = ?`, *r.OrgID).Scan(&n); err != nil {
				return nil, err
			}
			if n == 0 {
				f.Add(field+".org_id", fmt.Sprintf("组织（编号 %d）不存在", *r.OrgID))
				continue
			}
		}
		key := role.Code
		if r.OrgID != nil {
			key += "@" + strconv.FormatInt(*r.OrgID, 10)
		}
		if j, dup := seen[key]; dup {
			f.Add(field+".role", fmt.Sprintf("与第 %d 项重复", j+1))
			continue
		}
		seen[key] = i
		out = append(out, grant{role: role, orgID: r.OrgID})
	}
	if len(f) == 0 {
		for _, g := range out {
			if g.role.Admin && len(out) > 1 {
				f.Add("roles", fmt.Sprintf("三员分立：%s只能单独授予，不能与其他角色（包括另外两种管理员角色和业务角色）同时授予同一账号", g.role.Name))
				break
			}
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func roleCodes() string {
	codes := make([]string, len(access.Roles))
	for i, r := range access.Roles {
		codes[i] = r.Code
	}
	return strings.Join(codes, ", ")
}

// SetRoles replaces the user's grants. It needs role.grant; a 安全保密管理员 may not change
// their own roles. Audited as user.roles.
func SetRoles(ctx context.Context, d *db.DB, id int64, in []RoleInput) (User, error) {
	if err := need(ctx, access.RoleGrant); err != nil {
		return User{}, err
	}
	if p := access.From(ctx); p.UserID != 0 && p.UserID == id {
		return User{}, api.Forbidden("不能修改自己的角色，须由另一位安全保密管理员操作")
	}
	var after User
	err := d.InTx(ctx, func(tx *db.Tx) error {
		before, err := getUser(ctx, tx, id)
		if err != nil {
			return err
		}
		grants, err := validateRoles(ctx, tx, in)
		if err != nil {
			return err
		}
		after, err = replaceRoles(ctx, tx, before, grants)
		return err
	})
	return after, err
}

// replaceRoles stores grants as the user's complete set and records user.roles.
func replaceRoles(ctx context.Context, tx *db.Tx, before User, grants []grant) (User, error) {
	if _, err := tx.Exec(ctx, `DELETE FROM user_roles WHERE user_id = ?`, before.ID); err != nil {
		return User{}, err
	}
	for _, g := range grants {
		if _, err := tx.Exec(ctx, `INSERT INTO user_roles (user_id, role, org_id) VALUES (?, ?, ?)`, before.ID, g.role.Code, g.orgID); err != nil {
			return User{}, err
		}
	}
	after, err := getUser(ctx, tx, before.ID)
	if err != nil {
		return after, err
	}
	return after, audit.Record(ctx, tx, audit.Entry{Action: "user.roles", Entity: "user", EntityID: strconv.FormatInt(before.ID, 10),
		Summary: fmt.Sprintf("设置用户 %s 的角色：%s", before.Username, describeRoles(after.Roles)),
		Before:  before.Roles, After: after.Roles})
}

func describeRoles(rs []UserRole) string {
	if len(rs) == 0 {
		return "无"
	}
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.RoleName
		if r.OrgName != "" {
			parts[i] += "（" + r.OrgName + "）"
		}
	}
	return strings.Join(parts, "、")
}
