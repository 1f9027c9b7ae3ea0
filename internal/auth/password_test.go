package auth

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"
)

func TestPasswordPolicy(t *testing.T) {
	cases := []struct {
		username, password string
		minLength          int
		want               string // part of the error; "" for accepted
	}{
		{"zhang", "abcdEF12", 8, ""},
		{"zhang", "abcd12!@", 8, ""},
		{"zhang", "ABCD12!@", 8, ""},
		{"zhang", "Dangjian@2026", 8, ""},
		{"zhang", "密码Ab1!密码", 8, ""},
		{"zhang", "Ab1!xyz", 8, "长度至少 8 个字符（现为 7 个）"},
		{"zhang", "Ab1!xyz", 4, "长度至少 8 个字符"}, // the minimum is never below 8
		{"zhang", "Abcdef12!", 12, "长度至少 12 个字符"},
		{"zhang", "abcdefgh", 8, "目前缺少大写字母、数字、符号"},
		{"zhang", "abcdEFGH", 8, "目前缺少数字、符号"},
		{"zhang", "12345678", 8, "目前缺少小写字母、大写字母、符号"},
		{"zhang", "xZhang#2026", 8, "不能包含用户名"},
		{"zhang", "ZHANG#2026a", 8, "不能包含用户名"},
		{"zhang", "Ab1!\x00xyzw", 8, "不能含有控制字符"},
		{"zhang", "", 8, "请输入密码"},
		{"zhang", strings.Repeat("Ab1!", 33), 8, "不能超过 128 个字符"},
	}
	for _, c := range cases {
		err := CheckPassword(c.username, c.password, c.minLength)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("CheckPassword(%q, %q) = %v, want accepted", c.username, c.password, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("CheckPassword(%q, %q) = %v, want an error containing %q", c.username, c.password, err, c.want)
		}
	}
}

func TestHashAndVerify(t *testing.T) {
	h, err := HashPassword("Secret#2026x")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not an argon2id PHC string with OWASP parameters", h)
	}
	if !VerifyPassword(h, "Secret#2026x") {
		t.Fatal("the right password does not verify")
	}
	if VerifyPassword(h, "Secret#2026y") || VerifyPassword(h, "") {
		t.Fatal("a wrong password verifies")
	}
	if h2, _ := HashPassword("Secret#2026x"); h2 == h {
		t.Fatal("two hashes of one password are equal: salt missing")
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", h[:len(h)-10] + "!!!"} {
		if VerifyPassword(bad, "Secret#2026x") {
			t.Errorf("malformed hash %q verifies", bad)
		}
	}

	// Parameters are read back from the string: a hash made under other (weaker) parameters
	// still verifies, and is flagged for re-hashing.
	salt := []byte("0123456789abcdef")
	key := argon2.IDKey([]byte("Older#2020"), salt, 1, 8192, 2, 32)
	old := fmt.Sprintf("$argon2id$v=19$m=8192,t=1,p=2$%s$%s", b64.EncodeToString(salt), b64.EncodeToString(key))
	if ok, rehash := verify(old, "Older#2020"); !ok || !rehash {
		t.Fatalf("verify(old params) = %v, %v; want true, true", ok, rehash)
	}
	if ok, rehash := verify(h, "Secret#2026x"); !ok || rehash {
		t.Fatalf("verify(current params) = %v, %v; want true, false", ok, rehash)
	}
}

func TestClientIP(t *testing.T) {
	r, _ := http.NewRequest("GET", "/", nil)
	r.RemoteAddr = "192.0.2.7:51234"
	r.Header.Set("X-Forwarded-For", "203.0.113.9, 10.0.0.1")
	if got := ClientIP(r, false); got != "192.0.2.7" {
		t.Errorf("without trustProxy: %q, want the peer 192.0.2.7 (X-Forwarded-For can be forged)", got)
	}
	if got := ClientIP(r, true); got != "203.0.113.9" {
		t.Errorf("with trustProxy: %q, want the first X-Forwarded-For address", got)
	}
	r.Header.Set("X-Forwarded-For", "not-an-ip")
	if got := ClientIP(r, true); got != "192.0.2.7" {
		t.Errorf("garbage X-Forwarded-For: %q, want the peer", got)
	}
	r.RemoteAddr = "[2001:db8::1]:443"
	r.Header.Del("X-Forwarded-For")
	if got := ClientIP(r, true); got != "2001:db8::1" {
		t.Errorf("IPv6 peer: %q", got)
	}
}
