package e2e

// The one file that touches chromedp: a headless Chromium, one tab per scenario, and the few
// steps the scenarios are written in (click by data-testid, type into an Element Plus input,
// pick an option of an el-select, wait for text). Every step has a bound, so a broken UI
// fails in seconds with a screenshot instead of hanging the test run.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

const (
	chromiumPath = "/usr/bin/chromium"
	// stepTimeout bounds every step; the UI answers within a second, so 20 s only matters
	// when something is broken.
	stepTimeout  = 20 * time.Second
	startTimeout = 30 * time.Second
	viewW, viewH = 1366, 768
)

// Browser is one headless Chromium shared by the scenarios of a test.
type Browser struct {
	ctx context.Context // the first tab's context; the browser lives as long as it
}

// startBrowser starts Chromium, or fails the test (skips it only with
// DANGJIAN_TEST_SKIP_BROWSER=1, which CI never sets).
func startBrowser(t *testing.T) *Browser {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("DANGJIAN_TEST_SKIP_BROWSER") == "1" && os.Getenv("DANGJIAN_TEST_REQUIRE_BROWSER") != "1" {
			t.Skipf("DANGJIAN_TEST_SKIP_BROWSER=1: browser tests skipped, no Chromium at %s (never in CI)", chromiumPath)
		}
		t.Fatalf("the browser tests need Debian Chromium at %s and it is missing (%v): apt-get install chromium\n"+
			"(on a laptop without it, DANGJIAN_TEST_SKIP_BROWSER=1 skips these tests; never in CI)", chromiumPath, err)
	}
	// chromedp gives the browser a fresh temporary profile (--user-data-dir) and removes it,
	// with any leftover child process, when the allocator ends.
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests run as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(viewW, viewH),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc() // waits for the browser to exit
	})
	// The first Do starts the browser and binds it to ctx, so it cannot carry a deadline;
	// bound it from outside instead.
	if err := within(startTimeout, func() error { return chromedp.Do(ctx) }, cancel); err != nil {
		t.Fatalf("starting Chromium (%s): %v", chromiumPath, err)
	}
	return &Browser{ctx: ctx}
}

// within runs f and gives up after d, calling stop so that f returns.
func within(d time.Duration, f func() error, stop func()) error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		stop()
		<-done
		return fmt.Errorf("no answer within %s", d)
	}
}

// Tab is one browser tab in a browser context of its own (own cookies), on the server at base.
type Tab struct {
	t    *testing.T
	ctx  context.Context
	base string

	mu      sync.Mutex
	console []string
}

// NewTab opens a tab in a fresh browser context: each scenario starts logged out.
func (b *Browser) NewTab(t *testing.T, base string) *Tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	tab := &Tab{t: t, ctx: ctx, base: strings.TrimSuffix(base, "/")}
	err := within(stepTimeout, func() error {
		return chromedp.Do(ctx, chromedp.EmulateViewport(viewW, viewH))
	}, cancel)
	if err != nil {
		t.Fatalf("opening a browser tab: %v", err)
	}
	// Keep the page's console errors and uncaught exceptions for the failure message.
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				line := m.String()
				if m.URL != "" {
					line += " (" + strings.TrimPrefix(m.URL, tab.base) + ")"
				}
				tab.mu.Lock()
				tab.console = append(tab.console, line)
				tab.mu.Unlock()
			}
		}
	}()
	return tab
}

// Phone makes the tab a phone screen of w×h CSS pixels (a mobile viewport with touch, as the
// device toolbar does), for the layouts under 768 px; the other tabs keep the desktop size.
// Call it before opening the pages; WaitPhone checks that a page sees it.
func (tab *Tab) Phone(w, h int64) {
	tab.t.Helper()
	tab.do(fmt.Sprintf("emulate a %d×%d phone", w, h),
		chromedp.EmulateViewport(w, h, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait))
}

// WaitPhone waits until the open page lays out at w CSS pixels wide, under the UI's phone
// breakpoint (767 px).
func (tab *Tab) WaitPhone(w int64) {
	tab.t.Helper()
	tab.WaitJS(fmt.Sprintf("the page to be %d px wide, a phone layout", w),
		fmt.Sprintf(`return innerWidth === %d && document.documentElement.clientWidth === %d && matchMedia('(max-width: 767px)').matches`, w, w))
}

// Fatalf ends the scenario with a screenshot, the UI's visible messages and the console errors.
func (tab *Tab) Fatalf(format string, args ...any) {
	tab.t.Helper()
	msg := fmt.Sprintf(format, args...)
	var extra []string
	if url, err := evalQuick[string](tab, `return location.href`); err == nil {
		extra = append(extra, "page: "+url)
	}
	if toasts, err := evalQuick[[]string](tab, `return all('.el-message, .el-message-box, .el-alert, .el-form-item__error').map(text)`); err == nil && len(toasts) > 0 {
		extra = append(extra, "on screen: "+strings.Join(toasts, " | "))
	}
	tab.mu.Lock()
	if n := len(tab.console); n > 0 {
		last := tab.console[max(0, n-8):]
		extra = append(extra, "browser console:\n    "+strings.Join(last, "\n    "))
	}
	tab.mu.Unlock()
	extra = append(extra, tab.screenshot())
	tab.t.Fatalf("%s\n  %s", msg, strings.Join(extra, "\n  "))
}

// screenshot saves the page to $DANGJIAN_E2E_SHOTS, or to a directory under the system's
// temporary directory that outlives the test, and says where.
func (tab *Tab) screenshot() string {
	dir := os.Getenv("DANGJIAN_E2E_SHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "dangjian-e2e-shots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "screenshot: " + err.Error()
	}
	ctx, cancel := context.WithTimeout(tab.ctx, 10*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100: PNG
	if err != nil {
		return "screenshot: " + err.Error()
	}
	name := regexp.MustCompile(`[^A-Za-z0-9_.-]+`).ReplaceAllString(tab.t.Name(), "_")
	file := filepath.Join(dir, fmt.Sprintf("%s-%s.png", name, time.Now().Format("150405")))
	if err := os.WriteFile(file, buf, 0o644); err != nil {
		return "screenshot: " + err.Error()
	}
	return "screenshot: " + file
}

// do runs actions as one bounded step.
func (tab *Tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tab.Fatalf("%s: %v", what, explain(err))
	}
}

func explain(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("not done within %s (%w)", stepTimeout, err)
	}
	return err
}

// prelude defines the helpers of the page-side snippets: vis (rendered and not hidden), all
// (visible matches of a selector), one (the first), testid (the CSS of a data-testid), text.
const prelude = `
const vis = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
const all = (sel, root) => root === null ? [] : [...(root || document).querySelectorAll(sel)].filter(vis);
const one = (sel, root) => all(sel, root)[0] || null;
const testid = (id) => '[data-testid="' + id + '"]';
const text = (el) => el ? (el.innerText || el.textContent || '').replace(/\s+/g, ' ').trim() : null;
`

// js wraps a function body using the prelude into an expression.
func js(body string) string { return "(() => {" + prelude + body + "\n})()" }

// asyncJS wraps a function body that may await into an expression (a promise).
func asyncJS(body string) string { return "(async () => {" + prelude + body + "\n})()" }

// q quotes s as a JavaScript string literal.
func q(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// evalQuick evaluates a function body (it may await) with a short bound, for polling and
// diagnostics.
func evalQuick[T any](tab *Tab, body string) (T, error) {
	ctx, cancel := context.WithTimeout(tab.ctx, 3*time.Second)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[T](asyncJS(body), chromedp.EvalAwaitPromise))
}

// Eval evaluates a function body (it may await) and decodes its result.
func Eval[T any](tab *Tab, what, body string) T {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](asyncJS(body), chromedp.EvalAwaitPromise))
	if err != nil {
		tab.Fatalf("%s: %v", what, explain(err))
	}
	return v
}

// WaitJS waits until a function body (it may await) returns a truthy value; it keeps polling
// across page loads and errors, and reports the last one when the time is up.
func (tab *Tab) WaitJS(what, body string) {
	tab.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	var last error
	for {
		ok, err := evalQuick[bool](tab, "return !!(await (async () => {"+body+"\n})())")
		if err == nil && ok {
			return
		}
		last = err
		if time.Now().After(deadline) {
			if last != nil {
				tab.Fatalf("waiting %s for %s: %v", stepTimeout, what, last)
			}
			tab.Fatalf("waited %s for %s", stepTimeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Open loads a path of the server in the tab.
func (tab *Tab) Open(path string) {
	tab.t.Helper()
	tab.do("open "+path, chromedp.Navigate(tab.base+path))
}

// Path is the page's path (the SPA's route).
func (tab *Tab) Path() string {
	tab.t.Helper()
	return Eval[string](tab, "read the location", `return location.pathname`)
}

// WaitPath waits until the route matches re.
func (tab *Tab) WaitPath(re string) {
	tab.t.Helper()
	tab.WaitJS("the route to match "+re, `return new RegExp(`+q(re)+`).test(location.pathname)`)
}

// sel is the CSS of a data-testid.
func sel(testid string) string { return `[data-testid="` + testid + `"]` }

// Click clicks the element with a data-testid; see ClickJS.
func (tab *Tab) Click(testid string) {
	tab.t.Helper()
	tab.ClickJS(testid, `one(testid(`+q(testid)+`))`)
}

// ClickJS clicks, with the mouse, the element a JavaScript expression (with the prelude) gives,
// once a user could: it is shown and enabled, has stopped moving (dialogs and drop-downs
// animate in) and nothing covers its centre (loading masks fade out). what names it in the
// failure.
func (tab *Tab) ClickJS(what, expr string) {
	tab.t.Helper()
	tab.WaitJS(what+" to be clickable", `const el = `+expr+`;
		if (!el || !vis(el) || el.disabled || el.classList.contains('is-disabled') || el.getAttribute('aria-disabled') === 'true') return false;
		el.scrollIntoView({block: 'nearest', inline: 'nearest'});
		const a = el.getBoundingClientRect();
		await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
		const b = el.getBoundingClientRect();
		if (a.x !== b.x || a.y !== b.y || a.width !== b.width || a.height !== b.height) return false;
		const at = document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2);
		return !!at && (at === el || el.contains(at));`)
	tab.do("click "+what, chromedp.Click(chromedp.JSPath(js("return "+expr))))
}

// Upload sets the file of the <input type=file> inside the element of testid (el-upload keeps
// it hidden), as if the user had picked it.
func (tab *Tab) Upload(testid, file string) {
	tab.t.Helper()
	tab.do("choose "+file, chromedp.SetUploadFiles(chromedp.CSS(sel(testid)+` input[type=file]`), []string{file}))
}

// inputOf is the native input of an Element Plus input: the data-testid sits on the <input>
// (el-input passes it through) or on a wrapper around it (el-autocomplete and others).
func inputOf(testid string) string {
	s := sel(testid)
	return fmt.Sprintf(`input%[1]s, textarea%[1]s, %[1]s input, %[1]s textarea`, s)
}

// Type replaces the text of an Element Plus input with s, with real key strokes.
func (tab *Tab) Type(testid, s string) {
	tab.t.Helper()
	in := chromedp.CSS(inputOf(testid))
	tab.do("type into "+testid,
		chromedp.WaitVisible(in),
		chromedp.Focus(in),
		// Empty it the way a user would (select the text, delete it), so v-model sees it.
		chromedp.Evaluate[chromedp.Void](`document.activeElement.select()`),
		chromedp.KeyEvent(kb.Backspace),
		chromedp.SendKeys(in, s),
	)
	got := Eval[string](tab, "read "+testid, `return document.querySelector(`+q(inputOf(testid))+`).value`)
	if got != s {
		tab.Fatalf("typed %q into %s, the field holds %q", s, testid, got)
	}
}

// Select picks the option labelled label of the el-select with the data-testid.
func (tab *Tab) Select(testid, label string) {
	tab.t.Helper()
	tab.ClickJS(testid, `one(testid(`+q(testid)+`) + '.el-select .el-select__wrapper')`)
	tab.ClickJS(fmt.Sprintf("option %q of %s", label, testid),
		`all('.el-select-dropdown__item').find((li) => text(li) === `+q(label)+`)`)
	tab.WaitJS(fmt.Sprintf("%s to show %q", testid, label),
		`const s = one(testid(`+q(testid)+`) + '.el-select .el-select__selected-item:not(.is-hidden)'); return text(s) === `+q(label))
}

// PressEnter presses Enter in the focused element.
func (tab *Tab) PressEnter() {
	tab.t.Helper()
	tab.do("press Enter", chromedp.KeyEvent(kb.Enter))
}

// PressTab presses Tab: focus moves on, and the field left commits what was typed (a native
// change event), as el-date-picker needs.
func (tab *Tab) PressTab() {
	tab.t.Helper()
	tab.do("press Tab", chromedp.KeyEvent(kb.Tab))
}

// Text is the visible text of the element with a data-testid.
func (tab *Tab) Text(testid string) string {
	tab.t.Helper()
	tab.do("wait for "+testid, chromedp.WaitVisible(chromedp.CSS(sel(testid))))
	return Eval[string](tab, "read "+testid, `return text(one(testid(`+q(testid)+`))) || ''`)
}

// WaitText waits until the element with a data-testid shows exactly want.
func (tab *Tab) WaitText(testid, want string) {
	tab.t.Helper()
	tab.WaitJS(fmt.Sprintf("%s to show %q", testid, want), `return text(one(testid(`+q(testid)+`))) === `+q(want))
}

// WaitTextContains waits until the element with a data-testid shows want somewhere.
func (tab *Tab) WaitTextContains(testid, want string) {
	tab.t.Helper()
	tab.WaitJS(fmt.Sprintf("%s to contain %q", testid, want), `return (text(one(testid(`+q(testid)+`))) || '').includes(`+q(want)+`)`)
}

// WaitVisible waits until the element with a data-testid is shown.
func (tab *Tab) WaitVisible(testid string) {
	tab.t.Helper()
	tab.do("wait for "+testid, chromedp.WaitVisible(chromedp.CSS(sel(testid))))
}

// WaitGone waits until no element with a data-testid is shown.
func (tab *Tab) WaitGone(testid string) {
	tab.t.Helper()
	tab.WaitJS(testid+" to go away", `return all(testid(`+q(testid)+`)).length === 0`)
}

// Login signs in through the login page and waits for the main layout.
func (tab *Tab) Login(username, password string) {
	tab.t.Helper()
	tab.Open("/login")
	tab.Type("login-username", username)
	tab.Type("login-password", password)
	tab.Click("login-submit")
	tab.WaitVisible("user-menu")
}

// APIStatus fetches an API path with the tab's session and returns the status and JSON body.
func (tab *Tab) APIStatus(path string) (int, map[string]any) {
	tab.t.Helper()
	var out struct {
		Status int            `json:"status"`
		Body   map[string]any `json:"body"`
	}
	raw := Eval[string](tab, "GET "+path, `const r = await fetch(`+q(path)+`, {credentials: 'same-origin', headers: {Accept: 'application/json'}});
		const t = await r.text(); let b = null; try { b = JSON.parse(t) } catch (e) {}
		return JSON.stringify({status: r.status, body: b})`)
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		tab.Fatalf("GET %s: %v", path, err)
	}
	return out.Status, out.Body
}

// Cookie returns the value of a cookie the browser holds for the server (HttpOnly ones too).
func (tab *Tab) Cookie(name string) string {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, stepTimeout)
	defer cancel()
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{tab.base + "/"}})
	if err != nil {
		tab.Fatalf("reading cookies: %v", err)
	}
	for _, c := range res.Cookies {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// httpStatus asks the server directly (outside the browser) with a cookie, for checks that
// must not depend on what the browser forgot.
func httpStatus(t *testing.T, url string, cookie *http.Cookie) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cookie != nil {
		req.AddCookie(cookie)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	res.Body.Close()
	return res.StatusCode
}
