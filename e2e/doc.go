// Package e2e holds the browser end-to-end tests of the platform: a real Chromium drives the
// embedded web UI against a real server, on SQLite and on PostgreSQL, with the 武陵区 demo
// tree loaded.
//
// Run them with
//
//	make web && go test ./e2e/
//
// They need:
//   - the built web UI (`make web`, or `cd web && npm ci && npm run build`), since the server
//     embeds web/dist; without it the tests fail and say so;
//   - Debian Chromium at /usr/bin/chromium (`apt-get install chromium`). Without it the tests
//     fail; DANGJIAN_TEST_SKIP_BROWSER=1 skips them on a laptop without one, never in CI;
//   - PostgreSQL, as for every store test (see internal/db/dbtest: DANGJIAN_TEST_POSTGRES).
//
// Every step is bounded (20 s), so a broken UI fails fast. A failing step saves a screenshot of
// the page in $DANGJIAN_E2E_SHOTS, or else in $TMPDIR/dangjian-e2e-shots (kept after the run),
// and the failure message names the file, the page's URL, the messages on screen and the
// browser console's errors.
package e2e
