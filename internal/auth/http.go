package auth

import (
	"net/http"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/db"
)

// RoleInfo describes a built-in role for the role picker.
type RoleInfo struct {
	Code        string        `json:"code"`
	Name        string        `json:"name"`
	Description string        `json:"description"`
	NeedsOrg    bool          `json:"needs_org" doc:"授予时须指定组织"`
	Admin       bool          `json:"admin" doc:"三员角色：只能单独授予，不能与其他任何角色同时授予"`
	Permissions []access.Perm `json:"permissions"`
}

// RoleList is the answer of GET /roles.
type RoleList struct {
	Items []RoleInfo `json:"items"`
}

func roleList() RoleList {
	out := RoleList{Items: make([]RoleInfo, len(access.Roles))}
	for i, r := range access.Roles {
		out.Items[i] = RoleInfo{Code: r.Code, Name: r.Name, Description: r.Description, NeedsOrg: r.NeedsOrg,
			Admin: r.Admin, Permissions: r.Permissions}
	}
	return out
}

// Register adds the login, user, role and security-settings endpoints.
func Register(r *api.Router, d *db.DB, opts Options) {
	const (
		tagAuth     = "认证"
		tagUsers    = "用户与权限"
		tagSecurity = "安全设置"
	)
	// Compute the hash that unknown usernames are checked against now, so that the first such
	// login does not take twice as long as a real one.
	go dummyHash()
	r.Handle(api.Route{Method: "POST", Path: loginPath, Tag: tagAuth, Public: true,
		Summary: "登录：成功后在 Cookie dj_session 中建立会话，并返回 CSRF 令牌；连续失败过多会锁定账号（423），同一地址尝试过多会被限制（429）",
		Request: LoginInput{}, Response: LoginAnswer{}},
		func(w http.ResponseWriter, r *http.Request) error {
			var in LoginInput
			if err := api.Decode(r, &in); err != nil {
				return err
			}
			var f api.Fields
			if normalizeUsername(in.Username) == "" {
				f.Add("username", "请输入用户名")
			}
			if in.Password == "" {
				f.Add("password", "请输入密码")
			}
			if err := f.Err(); err != nil {
				return err
			}
			me, token, err := Login(r.Context(), d, in, ClientIP(r, opts.TrustProxy), r.UserAgent())
			if err != nil {
				return err
			}
			if old := sessionFrom(r.Context()); old != nil {
				if _, err := d.Exec(r.Context(), `DELETE FROM sessions WHERE token_hash = ?`, old.hash); err != nil {
					return err
				}
			}
			setCookie(w, opts, token)
			return api.JSON(w, http.StatusOK, LoginAnswer{User: me, CSRFToken: me.CSRFToken})
		})

	r.Handle(api.Route{Method: "POST", Path: "/api/v1/auth/logout", Tag: tagAuth, Public: true,
		Summary: "退出登录：结束当前会话并清除 Cookie", Status: http.StatusNoContent},
		func(w http.ResponseWriter, r *http.Request) error {
			if s := sessionFrom(r.Context()); s != nil {
				if err := logout(r.Context(), d, s); err != nil {
					return err
				}
			}
			clearCookie(w, opts)
			return api.NoContent(w)
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/me", Tag: tagAuth,
		Summary: "当前用户：角色、权限和 CSRF 令牌", Response: Me{}},
		func(w http.ResponseWriter, r *http.Request) error {
			csrf := ""
			if s := sessionFrom(r.Context()); s != nil {
				csrf = s.csrf
			}
			me, err := meOf(r.Context(), d, access.From(r.Context()), csrf)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, me)
		})

	r.Handle(api.Route{Method: "POST", Path: "/api/v1/me/password", Tag: tagAuth,
		Summary: "修改本人密码：须验证原密码；新密码须符合密码策略；本人其他会话随之失效",
		Request: PasswordChange{}, Status: http.StatusNoContent},
		func(w http.ResponseWriter, r *http.Request) error {
			var in PasswordChange
			if err := api.Decode(r, &in); err != nil {
				return err
			}
			s := sessionFrom(r.Context())
			if s == nil {
				return api.Unauthenticated("unauthenticated", "请先登录")
			}
			if err := changeOwnPassword(r.Context(), d, s, in); err != nil {
				return err
			}
			return api.NoContent(w)
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/roles", Tag: tagUsers,
		Summary: "内置角色及其权限", Response: RoleList{}},
		func(w http.ResponseWriter, r *http.Request) error {
			return api.JSON(w, http.StatusOK, roleList())
		})

	userReaders := []access.Perm{access.UserManage, access.RoleGrant}
	r.Handle(api.Route{Method: "GET", Path: "/api/v1/users", Tag: tagUsers,
		Summary: "用户列表（按用户名排序，可按用户名或姓名搜索）", Perms: userReaders, Response: api.List[User]{},
		Query: append([]api.Param{api.QString("q", "用户名或姓名的一部分")}, api.PageParams...)},
		func(w http.ResponseWriter, r *http.Request) error {
			page, err := api.PageOf(r)
			if err != nil {
				return err
			}
			list, err := ListUsersPage(r.Context(), d, UserFilter{Q: r.URL.Query().Get("q")}, page)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, list)
		})

	r.Handle(api.Route{Method: "POST", Path: "/api/v1/users", Tag: tagUsers,
		Summary: "新建用户（不含角色，角色由安全保密管理员另行授予）", Perms: []access.Perm{access.UserManage},
		Request: CreateUserInput{}, Response: User{}, Status: http.StatusCreated},
		func(w http.ResponseWriter, r *http.Request) error {
			var in CreateUserInput
			if err := api.Decode(r, &in); err != nil {
				return err
			}
			u, err := CreateUser(r.Context(), d, in)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusCreated, u)
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/users/{id}", Tag: tagUsers,
		Summary: "查看用户", Perms: userReaders, Response: User{}},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := api.PathID(r, "id")
			if err != nil {
				return err
			}
			u, err := GetUser(r.Context(), d, id)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, u)
		})

	r.Handle(api.Route{Method: "PATCH", Path: "/api/v1/users/{id}", Tag: tagUsers,
		Summary: "修改用户：姓名、停用/启用、重设密码、解除锁定（停用或重设密码会使其全部会话失效）",
		Perms:   []access.Perm{access.UserManage}, Request: UpdateUserInput{}, Response: User{}},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := api.PathID(r, "id")
			if err != nil {
				return err
			}
			var in UpdateUserInput
			if err := api.Decode(r, &in); err != nil {
				return err
			}
			u, err := UpdateUser(r.Context(), d, id, in)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, u)
		})

	r.Handle(api.Route{Method: "PUT", Path: "/api/v1/users/{id}/roles", Tag: tagUsers,
		Summary: "设置用户的全部角色（三员分立：三种管理员角色互斥且不与业务角色兼任；业务角色须指定组织；不能修改本人角色）",
		Perms:   []access.Perm{access.RoleGrant}, Request: RolesInput{}, Response: User{}},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := api.PathID(r, "id")
			if err != nil {
				return err
			}
			var in RolesInput
			if err := api.Decode(r, &in); err != nil {
				return err
			}
			if in.Roles == nil { // a body without the list must not silently strip every role
				return api.FieldInvalid("roles", "请提供完整的角色列表（撤销全部角色请传空列表 []）")
			}
			u, err := SetRoles(r.Context(), d, id, in.Roles)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, u)
		})

	security := []access.Perm{access.SecurityManage}
	r.Handle(api.Route{Method: "GET", Path: "/api/v1/settings/security", Tag: tagSecurity,
		Summary: "安全设置：登录失败锁定、会话超时、密码长度", Perms: security, Response: Settings{}},
		func(w http.ResponseWriter, r *http.Request) error {
			s, err := LoadSettings(r.Context(), d)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, s)
		})

	r.Handle(api.Route{Method: "PUT", Path: "/api/v1/settings/security", Tag: tagSecurity,
		Summary: "修改安全设置（四项均须提供；立即对所有服务器生效）", Perms: security, Request: Settings{}, Response: Settings{}},
		func(w http.ResponseWriter, r *http.Request) error {
			var in Settings
			if err := api.Decode(r, &in); err != nil {
				return err
			}
			s, err := SaveSettings(r.Context(), d, in)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, s)
		})
}
