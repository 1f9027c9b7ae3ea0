package config

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func parse(t *testing.T, args ...string) (*Config, error) {
	t.Helper()
	var c Config
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	c.Global(fs)
	c.Server(fs)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return &c, c.Resolve()
}

func TestFlagsBeatEnvironment(t *testing.T) {
	t.Setenv("DANGJIAN_ADDR", "127.0.0.1:9000")
	t.Setenv("DANGJIAN_DATA", "/srv/dj")
	c, err := parse(t, "--addr", "127.0.0.1:9100")
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9100" || c.DataDir != "/srv/dj" {
		t.Fatalf("addr %q data %q", c.Addr, c.DataDir)
	}
}

func TestDatabaseURLFromFile(t *testing.T) {
	f := filepath.Join(t.TempDir(), "db")
	os.WriteFile(f, []byte("postgres://dj:secret@db/dj\n"), 0o600)
	t.Setenv("DANGJIAN_DB_FILE", f)
	c, err := parse(t)
	if err != nil || c.DB != "postgres://dj:secret@db/dj" {
		t.Fatalf("db %q err %v", c.DB, err)
	}
	t.Setenv("DANGJIAN_DB", "postgres://x")
	if _, err := parse(t); err == nil || !strings.Contains(err.Error(), "只能设置一个") {
		t.Fatalf("both DANGJIAN_DB and _FILE: %v", err)
	}
}

func TestInvalidSettingsNameTheFlag(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--addr", "8080"}, "--addr"},
		{[]string{"--db", "mysql://x"}, "--db"},
		{[]string{"--log-level", "loud"}, "--log-level"},
		{[]string{"--data", " "}, "--data"},
	} {
		_, err := parse(t, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want an error naming %s", tc.args, err, tc.want)
		}
	}
}

func TestPIIKeySources(t *testing.T) {
	const key = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" // 32 bytes
	c, err := parse(t, "--pii-key", key)
	if err != nil || c.PIIKey != key {
		t.Fatalf("flag: %q %v", c.PIIKey, err)
	}
	t.Setenv("DANGJIAN_PII_KEY", key)
	if c, err := parse(t); err != nil || c.PIIKey != key {
		t.Fatalf("env: %v", err)
	}
	f := filepath.Join(t.TempDir(), "k")
	os.WriteFile(f, []byte(key+"\n"), 0o600)
	t.Setenv("DANGJIAN_PII_KEY_FILE", f)
	if _, err := parse(t); err == nil || !strings.Contains(err.Error(), "只能设置一个") {
		t.Fatalf("both env and file: %v", err)
	}
	os.Unsetenv("DANGJIAN_PII_KEY")
	if c, err := parse(t); err != nil || c.PIIKey != key {
		t.Fatalf("file: %q %v", c.PIIKey, err)
	}
	for _, bad := range []string{"not base64 at all!", "c2hvcnQ="} {
		if _, err := parse(t, "--pii-key", bad); err == nil || !strings.Contains(err.Error(), "--pii-key") || !strings.Contains(err.Error(), "openssl rand -base64 32") {
			t.Errorf("bad key %q: %v", bad, err)
		}
	}
}
