// Package auth is who may log in and how long they stay: argon2id passwords under a
// 等级保护-style policy, server-side sessions in the database (only a token's SHA-256 is
// stored), per-user lock-out and per-address throttling of failed logins, CSRF protection, the
// users and their role grants (三员分立), and the security settings. Everything lives in the
// database and is read per request, so several app servers sharing one PostgreSQL agree.
package auth
