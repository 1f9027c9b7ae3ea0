package pii

import (
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func newKey(t *testing.T) *Key {
	t.Helper()
	k, _, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealOpenRoundTrip(t *testing.T) {
	k := newKey(t)
	for _, plain := range []string{"43070219850312123X", "13812345678", "湖南省常德市武陵区启明街道某小区3栋2单元501", "a"} {
		c, err := k.Seal(plain)
		if err != nil {
			t.Fatal(err)
		}
		if len(plain) > 3 && strings.Contains(c, plain) {
			t.Errorf("sealed %q contains the plain text", plain)
		}
		c2, _ := k.Seal(plain)
		if c == c2 {
			t.Errorf("two seals of %q are equal: the nonce must be random", plain)
		}
		got, err := k.Open(c)
		if err != nil || got != plain {
			t.Errorf("Open(Seal(%q)) = %q, %v", plain, got, err)
		}
	}
	if c, _ := k.Seal(""); c != "" {
		t.Errorf("Seal(\"\") = %q, want empty", c)
	}
	if p, err := k.Open(""); p != "" || err != nil {
		t.Errorf("Open(\"\") = %q, %v", p, err)
	}
}

func TestTamperAndWrongKeyFail(t *testing.T) {
	k := newKey(t)
	c, _ := k.Seal("43070219850312123X")
	raw, _ := base64.StdEncoding.DecodeString(c)
	for i := range raw {
		bad := append([]byte(nil), raw...)
		bad[i] ^= 0x01
		if _, err := k.Open(base64.StdEncoding.EncodeToString(bad)); !errors.Is(err, ErrOpen) {
			t.Fatalf("flipping byte %d: err = %v, want ErrOpen", i, err)
		}
	}
	if _, err := k.Open(base64.StdEncoding.EncodeToString(raw[:len(raw)-1])); !errors.Is(err, ErrOpen) {
		t.Errorf("truncated: %v", err)
	}
	if _, err := k.Open("not base64!"); !errors.Is(err, ErrOpen) {
		t.Errorf("garbage: %v", err)
	}
	other := newKey(t)
	if _, err := other.Open(c); !errors.Is(err, ErrOpen) {
		t.Errorf("wrong key: %v", err)
	}
}

func TestHashIsKeyedAndStable(t *testing.T) {
	k, other := newKey(t), newKey(t)
	a, b := k.Hash("13812345678"), k.Hash("13812345678")
	if a != b || len(a) != 64 {
		t.Fatalf("hash not stable: %s %s", a, b)
	}
	if k.Hash("13812345679") == a {
		t.Error("different values hash alike")
	}
	if other.Hash("13812345678") == a {
		t.Error("hash does not depend on the key")
	}
	if k.Hash("") != "" {
		t.Error("empty value should hash to empty")
	}
}

func TestMasks(t *testing.T) {
	cases := []struct {
		fn       func(string) string
		in, want string
	}{
		{MaskID, "43070219850312123X", "4307**********123X"},
		{MaskID, "", ""},
		{MaskPhone, "13812345678", "138****5678"},
		{MaskPhone, "138 1234 5678", "138****5678"},
		{MaskPhone, "0736-1234567", "0736-***4567"},
		{MaskPhone, "07367654321", "0736-***4321"},
		{MaskPhone, "010-87654321", "010-****4321"},
		{MaskPhone, "0736-1234567-123", "0736-***4567"},
		{MaskPhone, "", ""},
		{MaskAddress, "湖南省常德市武陵区启明街道某小区3栋", "湖南省常德市****"},
		{MaskAddress, "北京市", "北****"},
		{MaskAddress, "", ""},
	}
	for _, c := range cases {
		if got := c.fn(c.in); got != c.want {
			t.Errorf("mask(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestLoadKeyGeneratesOnceWith0600(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	k1, generated, err := LoadKey(dir, "")
	if err != nil || !generated {
		t.Fatalf("first load: generated=%v err=%v", generated, err)
	}
	fi, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	k2, generated, err := LoadKey(dir, "")
	if err != nil || generated {
		t.Fatalf("second load: generated=%v err=%v", generated, err)
	}
	c, _ := k1.Seal("13812345678")
	if p, err := k2.Open(c); err != nil || p != "13812345678" {
		t.Fatalf("second load is another key: %q %v", p, err)
	}
	if k1.Hash("x") != k2.Hash("x") {
		t.Error("hash key differs between loads")
	}
	if !strings.Contains(GeneratedWarning(dir), "备份") {
		t.Error("warning does not say to back up")
	}
}

func TestLoadKeyConfigured(t *testing.T) {
	dir := t.TempDir()
	_, text, _ := Generate()
	k, generated, err := LoadKey(dir, text)
	if err != nil || generated || k == nil {
		t.Fatalf("configured: %v %v", generated, err)
	}
	if _, err := os.Stat(filepath.Join(dir, FileName)); !os.IsNotExist(err) {
		t.Error("a configured key must not write a key file")
	}
	k2, _, _ := LoadKey(t.TempDir(), text)
	c, _ := k.Seal("x")
	if p, err := k2.Open(c); err != nil || p != "x" {
		t.Error("same configured key does not open")
	}
	for _, bad := range []string{"short", base64.StdEncoding.EncodeToString(make([]byte, 16))} {
		if _, _, err := LoadKey(dir, bad); err == nil || !strings.Contains(err.Error(), "--pii-key") {
			t.Errorf("bad key %q: %v", bad, err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadKey(dir, ""); err == nil {
		t.Error("a corrupt key file must be an error, not replaced")
	}
}
