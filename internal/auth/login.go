package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/db"
)

// LoginInput is the body of POST /auth/login.
type LoginInput struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// LoginAnswer is what a successful login returns (the session itself is in the cookie).
type LoginAnswer struct {
	User      Me     `json:"user"`
	CSRFToken string `json:"csrf_token" doc:"之后每个非 GET 请求须放在 X-CSRF-Token 头中"`
}

// Me is the logged-in user as the UI needs it.
type Me struct {
	ID              int64         `json:"id"`
	Username        string        `json:"username"`
	DisplayName     string        `json:"display_name"`
	Roles           []UserRole    `json:"roles"`
	Permissions     []access.Perm `json:"permissions"`
	CSRFToken       string        `json:"csrf_token"`
	PasswordExpired bool          `json:"password_expired"`
}

// PasswordChange is the body of POST /me/password.
type PasswordChange struct {
	OldPassword string `json:"old_password"`
	NewPassword string `json:"new_password"`
}

// Per-client-address throttle: after throttleLimit failed logins within throttleWindow, the
// address is refused until the window ends. Kept in the database so all servers agree.
var (
	throttleLimit  = 20
	throttleWindow = 10 * time.Minute
)

var (
	errBadCredentials = api.Unauthenticated("bad_credentials", "用户名或密码错误")
	errThrottled      = api.Status(http.StatusTooManyRequests, "throttled", "登录尝试过于频繁，请稍后再试")
	errDisabled       = api.Status(http.StatusForbidden, "disabled", "账号已停用，请联系系统管理员")
)

var cst = time.FixedZone("CST", 8*3600)

func lockedError(until time.Time) *api.Error {
	local, today := until.In(cst), clock().In(cst)
	at := local.Format("15:04")
	if local.YearDay() != today.YearDay() || local.Year() != today.Year() {
		at = local.Format("1月2日 15:04")
	}
	e := api.Status(http.StatusLocked, "locked", "密码错误次数过多，账号已锁定至 "+at)
	e.Extra = map[string]any{"locked_until": until.UTC()}
	return e
}

type loginUser struct {
	id          int64
	username    string
	displayName string
	hash        string
	disabled    bool
	lockedUntil sql.Null[time.Time]
}

// Login checks credentials and opens a session. It returns the session token and CSRF token.
// Failures answer bad_credentials (also for unknown users, after spending the same hashing
// time), locked, throttled or disabled, and are audited as auth.login_failed.
func Login(ctx context.Context, d *db.DB, in LoginInput, ip, userAgent string) (me Me, token string, err error) {
	attempted := normalizeUsername(in.Username)
	if utf8.RuneCountInString(attempted) > 64 {
		attempted = string([]rune(attempted)[:64])
	}
	now := clock()
	throttleKey := "ip:" + ip

	var failures int
	var windowStart time.Time
	err = d.QueryRow(ctx, `SELECT failures, window_start FROM login_throttle WHERE key = ?`, throttleKey).Scan(&failures, &windowStart)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return me, "", err
	case failures >= throttleLimit && now.Sub(windowStart) < throttleWindow:
		return me, "", errThrottled
	}

	settings, err := LoadSettings(ctx, d)
	if err != nil {
		return me, "", err
	}
	var u loginUser
	err = d.QueryRow(ctx, `SELECT id, username, display_name, password_hash, disabled, locked_until FROM users WHERE username = ?`, attempted).
		Scan(&u.id, &u.username, &u.displayName, &u.hash, &u.disabled, &u.lockedUntil)
	known := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return me, "", err
	}
	if len(in.Password) > 4*MaxPasswordLength {
		in.Password = in.Password[:4*MaxPasswordLength] // cannot match: no stored password is that long
	}

	// fail records a failed attempt against the address (and the user, when counted) and
	// answers with answer.
	fail := func(reason string, count bool, answer error) error {
		err := d.InTx(ctx, func(tx *db.Tx) error {
			if _, err := tx.Exec(ctx, `INSERT INTO login_throttle (key, failures, window_start) VALUES (?, 1, ?)
				ON CONFLICT (key) DO UPDATE SET
					failures = CASE WHEN login_throttle.window_start <= ? THEN 1 ELSE login_throttle.failures + 1 END,
					window_start = CASE WHEN login_throttle.window_start <= ? THEN excluded.window_start ELSE login_throttle.window_start END`,
				throttleKey, now, now.Add(-throttleWindow), now.Add(-throttleWindow)); err != nil {
				return err
			}
			if known && count {
				var n int
				if err := tx.QueryRow(ctx, `UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins`, u.id).Scan(&n); err != nil {
					return err
				}
				if n >= settings.MaxFailedLogins {
					until := now.Add(time.Duration(settings.LockoutMinutes) * time.Minute)
					if _, err := tx.Exec(ctx, `UPDATE users SET failed_logins = 0, locked_until = ? WHERE id = ?`, until, u.id); err != nil {
						return err
					}
					reason += fmt.Sprintf("，连续失败 %d 次，锁定至 %s", n, until.In(cst).Format("2006-01-02 15:04"))
					answer = lockedError(until)
				}
			}
			e := audit.Entry{Action: "auth.login_failed", Entity: "session", Summary: "登录失败：" + reason, Username: attempted}
			if known {
				e.EntityID = strconv.FormatInt(u.id, 10)
			}
			return audit.Record(ctx, tx, e)
		})
		if err != nil {
			return err
		}
		return answer
	}

	if !known {
		verify(dummyHash(), in.Password)
		return me, "", fail("用户名不存在", false, errBadCredentials)
	}
	if u.lockedUntil.Valid && u.lockedUntil.V.After(now) {
		return me, "", fail("账号处于锁定状态", false, lockedError(u.lockedUntil.V))
	}
	ok, rehash := verify(u.hash, in.Password)
	if !ok {
		return me, "", fail("密码错误", true, errBadCredentials)
	}
	// Only a caller who knows the password learns that the account is disabled.
	if u.disabled {
		return me, "", fail("账号已停用", false, errDisabled)
	}
	var newHash string
	if rehash {
		if newHash, err = HashPassword(in.Password); err != nil {
			return me, "", err
		}
	}
	var csrf string
	p := &access.Principal{UserID: u.id, Username: u.username}
	actx := access.With(ctx, p)
	err = d.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ? WHERE id = ?`, now, u.id); err != nil {
			return err
		}
		if newHash != "" {
			if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, newHash, u.id); err != nil {
				return err
			}
		}
		// Sweep sessions nobody can use any more and throttle windows that have passed.
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE last_seen_at < ?`,
			now.Add(-time.Duration(settings.SessionIdleMinutes)*time.Minute)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM login_throttle WHERE window_start < ?`, now.Add(-throttleWindow)); err != nil {
			return err
		}
		if token, csrf, err = newSession(ctx, tx, u.id, ip, userAgent); err != nil {
			return err
		}
		return audit.Record(actx, tx, audit.Entry{Action: "auth.login", Entity: "session", EntityID: strconv.FormatInt(u.id, 10),
			Summary: fmt.Sprintf("用户 %s（%s）登录", u.username, u.displayName)})
	})
	if err != nil {
		return me, "", err
	}
	if p.Grants, err = loadGrants(ctx, d, u.id); err != nil {
		return me, "", err
	}
	me, err = meOf(ctx, d, p, csrf)
	return me, token, err
}

// meOf builds the Me answer for p.
func meOf(ctx context.Context, d *db.DB, p *access.Principal, csrf string) (Me, error) {
	u, err := getUser(ctx, d, p.UserID)
	if err != nil {
		return Me{}, err
	}
	perms := p.Permissions()
	if perms == nil {
		perms = []access.Perm{}
	}
	return Me{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Roles: u.Roles,
		Permissions: perms, CSRFToken: csrf}, nil
}

// Logout ends the session, audited as auth.logout.
func logout(ctx context.Context, d *db.DB, s *session) error {
	return d.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, s.hash)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "auth.logout", Entity: "session",
			EntityID: strconv.FormatInt(s.userID, 10), Summary: "退出登录"})
	})
}

// changeOwnPassword checks the old password and the policy, stores the new one and ends the
// user's other sessions; the session making the change stays logged in.
func changeOwnPassword(ctx context.Context, d *db.DB, s *session, in PasswordChange) error {
	p := access.From(ctx)
	var hash string
	if err := d.QueryRow(ctx, `SELECT password_hash FROM users WHERE id = ?`, p.UserID).Scan(&hash); err != nil {
		return err
	}
	if in.OldPassword == "" {
		return api.FieldInvalid("old_password", "请输入原密码")
	}
	if len(in.OldPassword) > 4*MaxPasswordLength || !VerifyPassword(hash, in.OldPassword) {
		return api.FieldInvalid("old_password", "原密码不正确")
	}
	settings, err := LoadSettings(ctx, d)
	if err != nil {
		return err
	}
	if err := CheckPassword(p.Username, in.NewPassword, settings.PasswordMinLength); err != nil {
		return api.FieldInvalid("new_password", err.Error())
	}
	if in.NewPassword == in.OldPassword {
		return api.FieldInvalid("new_password", "新密码不能与原密码相同")
	}
	return d.InTx(ctx, func(tx *db.Tx) error {
		return setPasswordTx(ctx, tx, p.UserID, in.NewPassword, false, "修改本人密码", s.hash)
	})
}
