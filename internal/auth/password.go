package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters for new hashes: OWASP's minimum (19 MiB, 2 passes, 1 lane). Verification
// reads the parameters back from the stored string, so they can be raised later; a login with a
// hash made under weaker parameters re-hashes the password.
const (
	argonMemory  = 19456 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// MaxPasswordLength bounds what is hashed, so a huge body cannot make a login expensive.
const MaxPasswordLength = 128

var b64 = base64.RawStdEncoding

// HashPassword returns the PHC string
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash> for password.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

type phc struct {
	memory      uint32
	time        uint32
	threads     uint8
	salt, key   []byte
	currentCost bool
}

var errBadHash = errors.New("stored password hash is not an argon2id PHC string")

func parsePHC(encoded string) (phc, error) {
	var h phc
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return h, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return h, errBadHash
	}
	var m, t, p uint32
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return h, errBadHash
	}
	// Bounds keep a corrupted row from costing gigabytes or minutes.
	if m < 8 || m > 4<<20 || t < 1 || t > 64 || p < 1 || p > 64 {
		return h, errBadHash
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return h, errBadHash
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 128 {
		return h, errBadHash
	}
	h = phc{memory: m, time: t, threads: uint8(p), salt: salt, key: key}
	h.currentCost = m >= argonMemory && t >= argonTime && len(key) >= argonKeyLen
	return h, nil
}

// VerifyPassword reports whether password matches the PHC string encoded, comparing in
// constant time. A malformed hash never matches.
func VerifyPassword(encoded, password string) bool {
	ok, _ := verify(encoded, password)
	return ok
}

// verify also reports whether the hash should be redone under the current parameters.
func verify(encoded, password string) (ok, rehash bool) {
	h, err := parsePHC(encoded)
	if err != nil {
		return false, false
	}
	key := argon2.IDKey([]byte(password), h.salt, h.time, h.memory, h.threads, uint32(len(h.key)))
	return subtle.ConstantTimeCompare(key, h.key) == 1, !h.currentCost
}

// dummyHash is verified against when the username is unknown, so that such a login costs as
// much as a real one and timing does not tell which usernames exist.
var dummyHash = sync.OnceValue(func() string {
	b := make([]byte, 18)
	rand.Read(b)
	h, err := HashPassword(base64.RawURLEncoding.EncodeToString(b))
	if err != nil {
		panic(err)
	}
	return h
})

// Password policy bounds (等级保护: 口令复杂度).
const (
	DefaultPasswordMinLength = 8
	MinPasswordMinLength     = 8
	MaxPasswordMinLength     = 32
)

// CheckPassword applies the password policy: at least minLength characters (never fewer than
// 8), at least three of lowercase letters, uppercase letters, digits and symbols, and not
// containing the username. The error says in Chinese what is missing.
func CheckPassword(username, password string, minLength int) error {
	minLength = max(minLength, MinPasswordMinLength)
	n := utf8.RuneCountInString(password)
	if n == 0 {
		return errors.New("请输入密码")
	}
	if !utf8.ValidString(password) {
		return errors.New("密码含有无效字符")
	}
	var problems []string
	if n < minLength {
		problems = append(problems, fmt.Sprintf("长度至少 %d 个字符（现为 %d 个）", minLength, n))
	}
	if n > MaxPasswordLength {
		problems = append(problems, fmt.Sprintf("长度不能超过 %d 个字符", MaxPasswordLength))
	}
	var lower, upper, digit, symbol, control bool
	for _, r := range password {
		switch {
		case unicode.IsControl(r):
			control = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		case unicode.IsPunct(r) || unicode.IsSymbol(r) || r == ' ':
			symbol = true
		}
	}
	if control {
		problems = append(problems, "不能含有控制字符")
	}
	classes := 0
	var missing []string
	for _, c := range []struct {
		has  bool
		name string
	}{{lower, "小写字母"}, {upper, "大写字母"}, {digit, "数字"}, {symbol, "符号"}} {
		if c.has {
			classes++
		} else {
			missing = append(missing, c.name)
		}
	}
	if classes < 3 {
		problems = append(problems, "须包含小写字母、大写字母、数字、符号中的至少三类，目前缺少"+strings.Join(missing, "、"))
	}
	if u := strings.ToLower(strings.TrimSpace(username)); u != "" && strings.Contains(strings.ToLower(password), u) {
		problems = append(problems, "不能包含用户名")
	}
	if len(problems) > 0 {
		return errors.New("密码" + strings.Join(problems, "；"))
	}
	return nil
}
