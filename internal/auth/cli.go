package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/db"
)

// NewUser is an account made at the command line, with its one role.
type NewUser struct {
	Username, DisplayName, Password string
	Role                            string // role code, e.g. system-admin
	OrgCode                         string // the org a business role covers, by 组织代码
}

// cliFlags maps API field names to the command line's flags, so errors name what the operator typed.
var cliFlags = map[string]string{
	"username":        "--username",
	"display_name":    "--display-name",
	"password":        "--password-stdin",
	"roles":           "--role",
	"roles[0].role":   "--role",
	"roles[0].org_id": "--org",
}

// terminal rewrites a 422 as lines "--flag: 说明" for the command line.
func terminal(err error) error {
	var e *api.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		if errors.As(err, &e) && e.Status < 500 {
			return errors.New(e.Detail)
		}
		return err
	}
	lines := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		name, ok := cliFlags[f.Field]
		if !ok {
			name = f.Field
		}
		lines[i] = name + ": " + f.Message
	}
	return errors.New(strings.Join(lines, "\n"))
}

// AddUser creates an account with one role, validated like the API (username, name, password
// policy, role and org, 三员分立) and audited as user.create and user.roles by the context's
// principal (the command line passes access.System(ctx)). Errors name the command-line flag.
func AddUser(ctx context.Context, d *db.DB, nu NewUser) (User, error) {
	if err := need(ctx, access.UserManage); err != nil {
		return User{}, terminal(err)
	}
	if err := need(ctx, access.RoleGrant); err != nil {
		return User{}, terminal(err)
	}
	code := strings.TrimSpace(nu.Role)
	if code == "" {
		return User{}, fmt.Errorf("--role: 请指定角色（可选：%s）", roleCodes())
	}
	var u User
	err := d.InTx(ctx, func(tx *db.Tx) error {
		in := RoleInput{Role: code}
		role, known := access.RoleByCode(code)
		if orgCode := strings.TrimSpace(nu.OrgCode); orgCode != "" {
			if known && !role.NeedsOrg {
				return fmt.Errorf("--org: %s不针对具体组织，请不要指定 --org", role.Name)
			}
			var id int64
			err := tx.QueryRow(ctx, `SELECT id FROM orgs WHERE code = ?`, orgCode).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("--org: 组织代码 %q 不存在", orgCode)
			}
			if err != nil {
				return err
			}
			in.OrgID = &id
		} else if known && role.NeedsOrg {
			return fmt.Errorf("--org: %s须用 --org 指定所管理组织的组织代码", role.Name)
		}
		grants, err := validateRoles(ctx, tx, []RoleInput{in})
		if err != nil {
			return terminal(err)
		}
		created, err := insertUser(ctx, tx, CreateUserInput{Username: nu.Username, DisplayName: nu.DisplayName, Password: nu.Password})
		if err != nil {
			return terminal(err)
		}
		u, err = replaceRoles(ctx, tx, created, grants)
		return err
	})
	return u, err
}

// SetPassword gives username a new password (policy applies), lifts a lock-out and ends the
// user's sessions: the way back in for an operator with access to the server. Audited as
// user.password.
func SetPassword(ctx context.Context, d *db.DB, username, password string) error {
	if err := need(ctx, access.UserManage); err != nil {
		return terminal(err)
	}
	username = normalizeUsername(username)
	if username == "" {
		return errors.New("--username: 请指定用户名")
	}
	return d.InTx(ctx, func(tx *db.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `SELECT id FROM users WHERE username = ?`, username).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("--username: 用户 %q 不存在", username)
		}
		if err != nil {
			return err
		}
		settings, err := LoadSettings(ctx, tx)
		if err != nil {
			return err
		}
		if err := CheckPassword(username, password, settings.PasswordMinLength); err != nil {
			return errors.New("--password-stdin: " + err.Error())
		}
		return setPasswordTx(ctx, tx, id, password, true, "在命令行重设用户 "+username+" 的密码")
	})
}

// ListUsers lists every account with its roles, by username.
func ListUsers(ctx context.Context, d *db.DB) ([]User, error) {
	if err := need(ctx, access.UserManage, access.RoleGrant); err != nil {
		return nil, terminal(err)
	}
	rows, err := d.Query(ctx, `SELECT `+userColumns+` FROM users ORDER BY username`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	return out, fillRoles(ctx, d, out)
}
