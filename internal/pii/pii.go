// Package pii protects personal data at rest: 公民身份号码, phone numbers and addresses are
// sealed with AES-256-GCM before they reach the database, indexed by a keyed HMAC-SHA256 hash
// (so uniqueness and exact search work without decrypting), and shown masked by default.
//
// The key is 32 random bytes, configured as base64 (--pii-key, DANGJIAN_PII_KEY or
// DANGJIAN_PII_KEY_FILE) or kept in DATA/pii.key. Losing it loses every sealed value: back it
// up apart from the database. Every app server sharing one database must use the same key.
package pii

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the length of the master key (AES-256).
const KeySize = 32

// FileName is the key file in the data directory.
const FileName = "pii.key"

// Key seals, opens and hashes personal data.
type Key struct {
	aead cipher.AEAD
	mac  []byte
}

// NewKey builds a Key from 32 raw bytes. The AEAD uses them directly; the HMAC key is derived
// with HKDF-SHA256 so the two uses never share key material.
func NewKey(master []byte) (*Key, error) {
	if len(master) != KeySize {
		return nil, fmt.Errorf("个人信息密钥应为 %d 字节，而不是 %d 字节", KeySize, len(master))
	}
	block, err := aes.NewCipher(master)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	mac, err := hkdf.Key(sha256.New, master, nil, "dangjian pii hmac v1", 32)
	if err != nil {
		return nil, err
	}
	return &Key{aead: aead, mac: mac}, nil
}

// ParseKey decodes a base64 (standard or URL alphabet, padded or not) 32-byte key.
func ParseKey(s string) (*Key, error) {
	s = strings.TrimSpace(s)
	var raw []byte
	var err error
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if raw, err = enc.DecodeString(s); err == nil {
			break
		}
	}
	if err != nil {
		return nil, errors.New("个人信息密钥应为 base64 编码的 32 字节（可用 openssl rand -base64 32 生成）")
	}
	if len(raw) != KeySize {
		return nil, fmt.Errorf("个人信息密钥应为 base64 编码的 32 字节，而这里是 %d 字节（可用 openssl rand -base64 32 生成）", len(raw))
	}
	return NewKey(raw)
}

// Generate returns a new random key and its base64 form.
func Generate() (*Key, string, error) {
	raw := make([]byte, KeySize)
	if _, err := rand.Read(raw); err != nil {
		return nil, "", err
	}
	k, err := NewKey(raw)
	return k, base64.StdEncoding.EncodeToString(raw), err
}

// LoadKey returns the configured key (base64), else the key in dataDir/pii.key, else a new key
// written there with mode 0600; generated reports the last case, when the caller must warn
// loudly that the file has to be backed up.
func LoadKey(dataDir, configured string) (k *Key, generated bool, err error) {
	if strings.TrimSpace(configured) != "" {
		k, err := ParseKey(configured)
		if err != nil {
			return nil, false, fmt.Errorf("--pii-key: %w", err)
		}
		return k, false, nil
	}
	path := filepath.Join(dataDir, FileName)
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		k, err := ParseKey(string(b))
		if err != nil {
			return nil, false, fmt.Errorf("%s: %w", path, err)
		}
		return k, false, nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, false, fmt.Errorf("无法读取个人信息密钥 %s: %w", path, err)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, false, fmt.Errorf("无法创建数据目录 %s: %w", dataDir, err)
	}
	k, text, err := Generate()
	if err != nil {
		return nil, false, err
	}
	// O_EXCL: two processes starting at once must not each write their own key.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return LoadKey(dataDir, "")
	}
	if err != nil {
		return nil, false, fmt.Errorf("无法写入个人信息密钥 %s: %w", path, err)
	}
	if _, err := f.WriteString(text + "\n"); err != nil {
		f.Close()
		os.Remove(path)
		return nil, false, fmt.Errorf("无法写入个人信息密钥 %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return nil, false, err
	}
	return k, true, nil
}

// GeneratedWarning is what callers log (and the CLI prints) when LoadKey generated a key.
func GeneratedWarning(dataDir string) string {
	return fmt.Sprintf("已生成个人信息加密密钥 %s：请立即将其另行备份（丢失后已加密的身份证号、电话、住址将无法恢复）；多台服务器共用数据库时须通过 --pii-key 或 DANGJIAN_PII_KEY 配置同一密钥",
		filepath.Join(dataDir, FileName))
}

// ErrOpen is returned when a sealed value fails authentication: tampered, truncated, or sealed
// with another key.
var ErrOpen = errors.New("个人信息解密失败：数据被改动，或密钥不对")

// Seal encrypts plain with a random nonce and returns base64(nonce‖ciphertext‖tag). The empty
// string seals to the empty string, so optional fields stay empty.
func (k *Key) Seal(plain string) (string, error) {
	if plain == "" {
		return "", nil
	}
	nonce := make([]byte, k.aead.NonceSize(), k.aead.NonceSize()+len(plain)+k.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := k.aead.Seal(nonce, nonce, []byte(plain), nil)
	return base64.StdEncoding.EncodeToString(out), nil
}

// Open decrypts what Seal produced.
func (k *Key) Open(sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	raw, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil || len(raw) < k.aead.NonceSize()+k.aead.Overhead() {
		return "", ErrOpen
	}
	n := k.aead.NonceSize()
	plain, err := k.aead.Open(nil, raw[:n], raw[n:], nil)
	if err != nil {
		return "", ErrOpen
	}
	return string(plain), nil
}

// Hash is the keyed HMAC-SHA256 of an already normalised value, hex encoded; "" hashes to "".
func (k *Key) Hash(normalised string) string {
	if normalised == "" {
		return ""
	}
	m := hmac.New(sha256.New, k.mac)
	m.Write([]byte(normalised))
	return hex.EncodeToString(m.Sum(nil))
}

// MaskID keeps the first 4 and last 4 characters of a 公民身份号码:
// 43070219850312123X → 4307**********123X.
func MaskID(id string) string {
	r := []rune(id)
	if len(r) <= 8 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:4]) + strings.Repeat("*", len(r)-8) + string(r[len(r)-4:])
}

// MaskPhone keeps a mobile number's first 3 and last 4 digits (13812345678 → 138****5678) and
// a landline's area code and last 4 digits (0736-1234567 → 0736-***4567); an extension is
// dropped.
func MaskPhone(phone string) string {
	p := strings.NewReplacer(" ", "", "(", "", ")", "", "（", "", "）", "").Replace(strings.TrimSpace(phone))
	if p == "" {
		return ""
	}
	p = strings.TrimPrefix(p, "+86")
	if d := strings.ReplaceAll(p, "-", ""); len(d) == 11 && d[0] == '1' {
		return d[:3] + "****" + d[7:]
	}
	if strings.HasPrefix(p, "0") && len(p) > 3 {
		area := 4
		if p[1] == '1' || p[1] == '2' { // 010, 02x: three-digit area codes
			area = 3
		}
		rest := strings.TrimPrefix(p[area:], "-")
		n := 0
		for n < len(rest) && n < 8 && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n >= 7 {
			local := rest[:n]
			return p[:area] + "-" + strings.Repeat("*", len(local)-4) + local[len(local)-4:]
		}
	}
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, p)
	if len(digits) <= 4 {
		return strings.Repeat("*", len(digits))
	}
	return strings.Repeat("*", len(digits)-4) + digits[len(digits)-4:]
}

// MaskAddress keeps the first 6 characters (roughly province and city) and hides the rest.
func MaskAddress(addr string) string {
	r := []rune(strings.TrimSpace(addr))
	if len(r) == 0 {
		return ""
	}
	keep := 6
	if len(r) <= keep {
		keep = len(r) / 2
	}
	return string(r[:keep]) + "****"
}
