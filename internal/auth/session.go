package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/db"
)

// Options configure sessions.
type Options struct {
	// SecureCookie marks the session cookie Secure (serve over HTTPS).
	SecureCookie bool
	// TrustProxy takes the client address from X-Forwarded-For and the public host from
	// X-Forwarded-Host: set it only behind a reverse proxy that sets them.
	TrustProxy bool
}

// CookieName is the session cookie.
const CookieName = "dj_session"

// CSRFHeader carries the session's CSRF token on every request that changes something.
const CSRFHeader = "X-CSRF-Token"

// clock is "now"; tests move it to pass lock-outs and idle timeouts without sleeping.
var clock = func() time.Time { return time.Now().UTC() }

// lastSeenEvery is how stale last_seen_at may get before a request refreshes it, so that a busy
// session does not cost a write per request.
const lastSeenEvery = time.Minute

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// tokenHash is what the sessions table keeps of a token: a stolen database does not yield
// usable cookies.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// session is the request's session, kept in its context for logout, /me and password changes.
type session struct {
	hash   string
	csrf   string
	userID int64
}

type sessionKey struct{}

func sessionFrom(ctx context.Context) *session {
	s, _ := ctx.Value(sessionKey{}).(*session)
	return s
}

// newSession stores a fresh session for userID and returns its token and CSRF token.
func newSession(ctx context.Context, tx *db.Tx, userID int64, ip, userAgent string) (token, csrf string, err error) {
	token, csrf = randomToken(), randomToken()
	now := clock()
	if len(userAgent) > 256 {
		userAgent = userAgent[:256]
	}
	_, err = tx.Exec(ctx, `INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, ip, user_agent)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, tokenHash(token), userID, csrf, now, now, ip, userAgent)
	return token, csrf, err
}

func setCookie(w http.ResponseWriter, opts Options, token string) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: opts.SecureCookie})
}

func clearCookie(w http.ResponseWriter, opts Options) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: opts.SecureCookie})
}

var (
	errSessionExpired = api.Unauthenticated("session_expired", "登录已超时，请重新登录")
	errCSRF           = api.Status(http.StatusForbidden, "csrf", "页面已过期或请求来源可疑，请刷新页面后重试")
)

// loadSession finds the session of token and its user. It returns (nil, nil) for an unknown
// token or a disabled user, and errSessionExpired (after deleting the row) for a session idle
// longer than the policy allows.
func loadSession(ctx context.Context, d *db.DB, token string) (*session, *access.Principal, error) {
	h := tokenHash(token)
	var (
		s        = &session{hash: h}
		lastSeen time.Time
		username string
		disabled bool
		idle     sql.NullString
	)
	err := d.QueryRow(ctx, `SELECT s.user_id, s.csrf_token, s.last_seen_at, u.username, u.disabled,
			(SELECT value FROM settings WHERE key = '`+idleSettingKey+`')
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, h).
		Scan(&s.userID, &s.csrf, &lastSeen, &username, &disabled, &idle)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if disabled {
		return nil, nil, nil
	}
	now := clock()
	if now.Sub(lastSeen) > time.Duration(idleMinutes(idle))*time.Minute {
		if _, err := d.Exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, h); err != nil {
			return nil, nil, err
		}
		return nil, nil, errSessionExpired
	}
	if now.Sub(lastSeen) >= lastSeenEvery {
		if _, err := d.Exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE token_hash = ? AND last_seen_at < ?`,
			now, h, now.Add(-lastSeenEvery)); err != nil {
			return nil, nil, err
		}
	}
	grants, err := loadGrants(ctx, d, s.userID)
	if err != nil {
		return nil, nil, err
	}
	return s, &access.Principal{UserID: s.userID, Username: username, Grants: grants}, nil
}

// loadGrants reads a user's grants with the org each covers, in one query.
func loadGrants(ctx context.Context, q db.Querier, userID int64) ([]access.Grant, error) {
	rows, err := q.Query(ctx, `SELECT ur.role, ur.org_id, o.path, o.code, o.name
		FROM user_roles ur LEFT JOIN orgs o ON o.id = ur.org_id WHERE ur.user_id = ? ORDER BY ur.id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []access.Grant
	for rows.Next() {
		var g access.Grant
		var orgID sql.NullInt64
		var path, code, name sql.NullString
		if err := rows.Scan(&g.Role, &orgID, &path, &code, &name); err != nil {
			return nil, err
		}
		g.OrgID, g.OrgPath, g.OrgCode, g.OrgName = orgID.Int64, path.String, code.String, name.String
		out = append(out, g)
	}
	return out, rows.Err()
}

const loginPath = "/api/v1/auth/login"

// Middleware loads the session named by the cookie and puts its principal in the request
// context (access.With); without a valid session the request goes on without one, and the
// router answers 401 for protected routes — session_expired when the session timed out.
// Requests that change something must come from our own pages: an Origin header, if sent,
// must name this host, and once logged in the X-CSRF-Token header must match the session's.
func Middleware(d *db.DB, opts Options, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		unsafe := r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions
		if unsafe && !sameOrigin(r, opts.TrustProxy) {
			api.WriteError(w, r, nil, errCSRF)
			return
		}
		c, err := r.Cookie(CookieName)
		if err != nil || c.Value == "" {
			next.ServeHTTP(w, r)
			return
		}
		s, p, err := loadSession(r.Context(), d, c.Value)
		switch {
		case errors.Is(err, errSessionExpired):
			clearCookie(w, opts)
			next.ServeHTTP(w, api.WithAuthProblem(r, errSessionExpired))
			return
		case err != nil:
			slog.Error("loading session", "err", err)
			api.WriteError(w, r, nil, api.Internal(err))
			return
		case s == nil:
			next.ServeHTTP(w, r)
			return
		}
		// Without a session there is nothing to forge, and the router answers 401; with one,
		// every change must prove it comes from a page that read the token.
		if unsafe && !(r.Method == http.MethodPost && r.URL.Path == loginPath) &&
			subtle.ConstantTimeCompare([]byte(r.Header.Get(CSRFHeader)), []byte(s.csrf)) != 1 {
			api.WriteError(w, r, nil, errCSRF)
			return
		}
		ctx := context.WithValue(access.With(r.Context(), p), sessionKey{}, s)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// sameOrigin reports whether r's Origin header, when present, names the host r was sent to.
func sameOrigin(r *http.Request, trustProxy bool) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false // includes "null" from sandboxed frames and file:// pages
	}
	host := r.Host
	if trustProxy {
		if fh := r.Header.Get("X-Forwarded-Host"); fh != "" {
			host, _, _ = strings.Cut(fh, ",")
			host = strings.TrimSpace(host)
		}
	}
	return strings.EqualFold(stripDefaultPort(u.Host, u.Scheme), stripDefaultPort(host, u.Scheme))
}

func stripDefaultPort(host, scheme string) string {
	if h, port, err := net.SplitHostPort(host); err == nil &&
		(scheme == "http" && port == "80" || scheme == "https" && port == "443") {
		return h
	}
	return host
}

// ClientIP is the address of the client: the first X-Forwarded-For address when trustProxy
// (the server runs behind a reverse proxy that sets it), else the connection's peer.
func ClientIP(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			first, _, _ := strings.Cut(xff, ",")
			if ip, err := netip.ParseAddr(strings.TrimSpace(first)); err == nil {
				return ip.Unmap().String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		return ip.Unmap().String()
	}
	return host
}
