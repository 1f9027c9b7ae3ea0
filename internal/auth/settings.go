package auth

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/db"
)

// Settings is the security policy, kept in table settings so that every app server sharing
// the database applies the same one. It is read per request, never cached.
type Settings struct {
	MaxFailedLogins    int `json:"max_failed_logins" doc:"连续登录失败多少次后锁定账号（3–10，默认 5）"`
	LockoutMinutes     int `json:"lockout_minutes" doc:"锁定时长，分钟（1–1440，默认 15）"`
	SessionIdleMinutes int `json:"session_idle_minutes" doc:"会话空闲多少分钟后须重新登录（5–480，默认 30）"`
	PasswordMinLength  int `json:"password_min_length" doc:"密码最短长度（8–32，默认 8）"`
}

type settingDef struct {
	key       string
	field     string // JSON name, for errors
	label     string
	def       int
	min, max  int
	get       func(*Settings) *int
	unitLabel string
}

var settingDefs = []settingDef{
	{"security.max_failed_logins", "max_failed_logins", "登录失败锁定次数", 5, 3, 10,
		func(s *Settings) *int { return &s.MaxFailedLogins }, "次"},
	{"security.lockout_minutes", "lockout_minutes", "锁定时长", 15, 1, 1440,
		func(s *Settings) *int { return &s.LockoutMinutes }, "分钟"},
	{"security.session_idle_minutes", "session_idle_minutes", "会话空闲超时", 30, 5, 480,
		func(s *Settings) *int { return &s.SessionIdleMinutes }, "分钟"},
	{"security.password_min_length", "password_min_length", "密码最短长度", DefaultPasswordMinLength, MinPasswordMinLength, MaxPasswordMinLength,
		func(s *Settings) *int { return &s.PasswordMinLength }, "个字符"},
}

const idleSettingKey = "security.session_idle_minutes"

// DefaultSettings is the policy of a fresh installation.
func DefaultSettings() Settings {
	var s Settings
	for _, d := range settingDefs {
		*d.get(&s) = d.def
	}
	return s
}

// LoadSettings reads the policy. A missing key means its default; a stored value outside its
// range is clamped into it, so the password minimum is never below 8.
func LoadSettings(ctx context.Context, q db.Querier) (Settings, error) {
	s := DefaultSettings()
	rows, err := q.Query(ctx, `SELECT key, value FROM settings WHERE key LIKE 'security.%'`)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return s, err
		}
		for _, d := range settingDefs {
			if d.key == k {
				*d.get(&s) = d.parse(v)
			}
		}
	}
	return s, rows.Err()
}

func (d settingDef) parse(v string) int {
	n, err := strconv.Atoi(v)
	if err != nil {
		return d.def
	}
	return min(max(n, d.min), d.max)
}

// idleMinutes reads session_idle_minutes from a value selected alongside the session.
func idleMinutes(v sql.NullString) int {
	for _, d := range settingDefs {
		if d.key == idleSettingKey {
			if !v.Valid {
				return d.def
			}
			return d.parse(v.String)
		}
	}
	panic("unreachable")
}

// Validate checks every field against its range.
func (s Settings) Validate() error {
	var f api.Fields
	for _, d := range settingDefs {
		if v := *d.get(&s); v < d.min || v > d.max {
			f.Add(d.field, fmt.Sprintf("%s应为 %d 到 %d %s之间的整数", d.label, d.min, d.max, d.unitLabel))
		}
	}
	return f.Err()
}

// SaveSettings validates and stores the policy, audited as settings.update. It needs
// security.manage.
func SaveSettings(ctx context.Context, d *db.DB, s Settings) (Settings, error) {
	if !access.From(ctx).Can(access.SecurityManage) {
		return Settings{}, api.Forbidden("您的角色没有此项操作权限")
	}
	if err := s.Validate(); err != nil {
		return Settings{}, err
	}
	err := d.InTx(ctx, func(tx *db.Tx) error {
		before, err := LoadSettings(ctx, tx)
		if err != nil {
			return err
		}
		now := clock()
		for _, def := range settingDefs {
			if _, err := tx.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
				def.key, strconv.Itoa(*def.get(&s)), now); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "settings.update", Entity: "settings", EntityID: "security",
			Summary: "修改安全设置", Before: before, After: s})
	})
	if err != nil {
		return Settings{}, err
	}
	return s, nil
}
