// Package config reads the platform's settings from flags and DANGJIAN_* environment variables
// (secrets also from DANGJIAN_*_FILE), flags winning, and validates them before anything starts.
package config

import (
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
)

// Config is what every command shares, plus the server's settings.
type Config struct {
	DataDir      string
	DB           string
	Addr         string
	SecureCookie bool
	TrustProxy   bool
	LogLevel     string
	LogFormat    string
	// PIIKey is the base64 32-byte key sealing personal data (公民身份号码, phone, address);
	// empty means DATA/pii.key, generated on first use.
	PIIKey string
}

// Defaults.
const (
	DefaultDataDir = "./data"
	DefaultAddr    = "127.0.0.1:8080"
)

// Global registers the flags every command takes (--data, --db) with their environment fallbacks.
func (c *Config) Global(fs *flag.FlagSet) {
	fs.StringVar(&c.DataDir, "data", env("DANGJIAN_DATA", DefaultDataDir), "数据目录（SQLite 数据库、密钥）；环境变量 DANGJIAN_DATA")
	fs.StringVar(&c.DB, "db", "", "数据库：留空为数据目录中的 SQLite；postgres://… 为 PostgreSQL；环境变量 DANGJIAN_DB 或 DANGJIAN_DB_FILE")
	fs.StringVar(&c.LogLevel, "log-level", env("DANGJIAN_LOG_LEVEL", "info"), "日志级别 debug|info|warn|error；环境变量 DANGJIAN_LOG_LEVEL")
	fs.StringVar(&c.LogFormat, "log-format", env("DANGJIAN_LOG_FORMAT", "text"), "日志格式 text|json；环境变量 DANGJIAN_LOG_FORMAT")
	fs.StringVar(&c.PIIKey, "pii-key", "", PIIKeyUsage)
}

// PIIKeyUsage describes --pii-key.
const PIIKeyUsage = "个人信息加密密钥（base64 编码的 32 字节，openssl rand -base64 32）；留空则使用数据目录中的 pii.key（首次自动生成，务必备份）；环境变量 DANGJIAN_PII_KEY 或 DANGJIAN_PII_KEY_FILE"

// Server registers the serve command's flags.
func (c *Config) Server(fs *flag.FlagSet) {
	fs.StringVar(&c.Addr, "addr", env("DANGJIAN_ADDR", DefaultAddr), "监听地址 HOST:PORT；环境变量 DANGJIAN_ADDR")
	fs.BoolVar(&c.SecureCookie, "secure-cookie", envBool("DANGJIAN_SECURE_COOKIE"), "会话 Cookie 仅经 HTTPS 发送（经 HTTPS 反向代理对外时打开）；环境变量 DANGJIAN_SECURE_COOKIE")
	fs.BoolVar(&c.TrustProxy, "trust-proxy", envBool("DANGJIAN_TRUST_PROXY"), "信任 X-Forwarded-For（仅在负载均衡/反向代理之后打开）；环境变量 DANGJIAN_TRUST_PROXY")
}

func env(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}

func envBool(key string) bool {
	v, _ := strconv.ParseBool(os.Getenv(key))
	return v
}

// Resolve fills values that come from the environment only when no flag set them (the
// database URL may carry a password, so it may also come from a file), then validates.
func (c *Config) Resolve() error {
	if c.DB == "" {
		dsn, err := secret("DANGJIAN_DB")
		if err != nil {
			return err
		}
		c.DB = dsn
	}
	if c.PIIKey == "" {
		key, err := secret("DANGJIAN_PII_KEY")
		if err != nil {
			return err
		}
		c.PIIKey = key
	}
	return c.Validate()
}

// secret reads KEY, or the file named by KEY_FILE (for container secrets).
func secret(key string) (string, error) {
	v, hasV := os.LookupEnv(key)
	file, hasFile := os.LookupEnv(key + "_FILE")
	switch {
	case hasV && hasFile:
		return "", fmt.Errorf("%s 与 %s_FILE 只能设置一个", key, key)
	case hasFile:
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("%s_FILE: 无法读取 %s: %w", key, file, err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	return v, nil
}

// Validate checks the settings and names the one at fault.
func (c *Config) Validate() error {
	var errs []error
	if strings.TrimSpace(c.DataDir) == "" {
		errs = append(errs, errors.New("--data: 数据目录不能为空"))
	}
	if c.DB != "" && !strings.HasPrefix(c.DB, "postgres://") && !strings.HasPrefix(c.DB, "postgresql://") &&
		!strings.HasSuffix(c.DB, ".db") && !strings.HasSuffix(c.DB, ".sqlite") {
		errs = append(errs, fmt.Errorf("--db: 应为 postgres://… 地址，或以 .db 结尾的 SQLite 文件路径，而不是 %q", c.DB))
	}
	if c.Addr != "" {
		if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
			errs = append(errs, fmt.Errorf("--addr: 应为 HOST:PORT，例如 127.0.0.1:8080，而不是 %q", c.Addr))
		}
	}
	if _, err := c.Level(); err != nil {
		errs = append(errs, err)
	}
	if err := validPIIKey(c.PIIKey); err != nil {
		errs = append(errs, err)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("--log-format: 应为 text 或 json，而不是 %q", c.LogFormat))
	}
	return errors.Join(errs...)
}

// Level is the slog level named by LogLevel.
func (c *Config) Level() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return 0, fmt.Errorf("--log-level: 应为 debug、info、warn 或 error，而不是 %q", c.LogLevel)
	}
	return l, nil
}

// Logger builds the process logger.
func (c *Config) Logger() *slog.Logger {
	level, _ := c.Level()
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// validPIIKey checks a configured key is base64 of exactly 32 bytes (the pii package parses it
// again; the check lives here too so a bad setting is reported before anything starts).
func validPIIKey(k string) error {
	k = strings.TrimSpace(k)
	if k == "" {
		return nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if raw, err := enc.DecodeString(k); err == nil {
			if len(raw) != 32 {
				return fmt.Errorf("--pii-key: 个人信息密钥应为 base64 编码的 32 字节，而这里是 %d 字节（可用 openssl rand -base64 32 生成）", len(raw))
			}
			return nil
		}
	}
	return errors.New("--pii-key: 个人信息密钥不是有效的 base64（可用 openssl rand -base64 32 生成）")
}
