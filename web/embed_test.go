package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func get(t *testing.T, h http.Handler, method, target string) *http.Response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestNotBuiltFallback(t *testing.T) {
	h := NewHandler(fstest.MapFS{})
	for _, target := range []string{"/", "/login", "/orgs/12", "/assets/index-abc.js"} {
		res := get(t, h, http.MethodGet, target)
		if res.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("GET %s: status %d, want 503", target, res.StatusCode)
		}
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("GET %s: Content-Type %q", target, ct)
		}
		b := body(t, res)
		for _, want := range []string{"网页界面未构建", "make web", "cd web &amp;&amp; npm ci &amp;&amp; npm run build"} {
			if !strings.Contains(b, want) {
				t.Errorf("GET %s: page lacks %q", target, want)
			}
		}
	}
	// The API is not this handler's business, built or not.
	res := get(t, h, http.MethodGet, "/api/v1/me")
	if res.StatusCode != http.StatusNotFound || !strings.Contains(res.Header.Get("Content-Type"), "problem+json") {
		t.Errorf("GET /api/v1/me: %d %s, want a problem+json 404", res.StatusCode, res.Header.Get("Content-Type"))
	}
}

func TestServesBuiltApp(t *testing.T) {
	const index = `<!doctype html><title>基层党建综合管理平台</title><div id="app"></div>`
	h := NewHandler(fstest.MapFS{
		"index.html":           {Data: []byte(index)},
		"favicon.svg":          {Data: []byte("<svg/>")},
		"assets/index-abc.js":  {Data: []byte("console.log(1)")},
		"assets/index-abc.css": {Data: []byte("body{}")},
	})

	for _, target := range []string{"/", "/index.html", "/orgs/12", "/orgs/12?tab=committee", "/settings/security", "/login"} {
		res := get(t, h, http.MethodGet, target)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d", target, res.StatusCode)
		}
		if got := body(t, res); got != index {
			t.Errorf("GET %s: body %q, want index.html", target, got)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache", target, cc)
		}
		if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("GET %s: Content-Type %q", target, ct)
		}
	}

	res := get(t, h, http.MethodGet, "/assets/index-abc.js")
	if res.StatusCode != http.StatusOK || body(t, res) != "console.log(1)" {
		t.Fatalf("GET asset: status %d", res.StatusCode)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
		t.Errorf("asset Cache-Control %q", cc)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
		t.Errorf("asset Content-Type %q", ct)
	}

	res = get(t, h, http.MethodGet, "/favicon.svg")
	if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "no-cache" || body(t, res) != "<svg/>" {
		t.Errorf("GET /favicon.svg: %d %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}

	// A missing chunk must be a 404, never index.html (which would be cached as JavaScript).
	res = get(t, h, http.MethodGet, "/assets/old-chunk.js")
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("missing asset: status %d, want 404", res.StatusCode)
	}
	if strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Error("missing asset must not be cached")
	}

	for _, target := range []string{"/api/v1/orgs", "/api", "/api/"} {
		res = get(t, h, http.MethodGet, target)
		if res.StatusCode != http.StatusNotFound || strings.Contains(body(t, res), "<div id=\"app\">") {
			t.Errorf("GET %s: status %d, want 404 without index.html", target, res.StatusCode)
		}
	}

	res = get(t, h, http.MethodPost, "/orgs")
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /orgs: status %d, want 405", res.StatusCode)
	}

	res = get(t, h, http.MethodHead, "/orgs/3")
	if res.StatusCode != http.StatusOK || body(t, res) != "" {
		t.Errorf("HEAD /orgs/3: status %d", res.StatusCode)
	}

	// Path tricks stay inside the app.
	res = get(t, h, http.MethodGet, "/assets/../../embed.go")
	if res.StatusCode != http.StatusOK || body(t, res) != index {
		t.Errorf("GET with ..: status %d, want index.html", res.StatusCode)
	}
}

func TestEmbeddedDist(t *testing.T) {
	// dist/.keep is committed so that the embed pattern always matches.
	if _, err := Dist.Open("dist/.keep"); err != nil {
		t.Fatalf("dist/.keep not embedded: %v", err)
	}
	res := get(t, Handler(), http.MethodGet, "/")
	want := http.StatusServiceUnavailable
	if Built() {
		want = http.StatusOK
	}
	if res.StatusCode != want {
		t.Errorf("GET / with the embedded UI (built=%v): status %d, want %d", Built(), res.StatusCode, want)
	}
}
