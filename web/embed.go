// Package web embeds the built web UI (web/dist/app, made by `npm run build`) and serves it as a
// single-page app. When the UI was not built, it answers with a short page saying how to build
// it, while the API keeps working.
package web

import (
	"bytes"
	"embed"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// Dist holds web/dist: dist/.keep always, dist/app once the UI is built.
//
//go:embed all:dist
var Dist embed.FS

// Handler serves the UI embedded in Dist.
func Handler() http.Handler {
	app, err := fs.Sub(Dist, "dist/app")
	if err != nil { // only for an invalid name, which "dist/app" is not
		panic(err)
	}
	return NewHandler(app)
}

// NewHandler serves the single-page app in fsys (index.html at its root):
//   - files under /assets/ (hashed names) with a year-long immutable cache, 404 when missing;
//   - other existing files (favicon…) as they are, revalidated on each use;
//   - any other path not under /api/ gets index.html, so the client-side router can show it;
//   - paths under /api/ get a problem+json 404: the API router, not this handler, serves them;
//   - with no index.html in fsys (UI not built), a 503 page explaining how to build it.
func NewHandler(fsys fs.FS) http.Handler {
	return &spa{fsys: fsys}
}

type spa struct {
	fsys fs.FS
}

const (
	cacheImmutable  = "public, max-age=31536000, immutable"
	cacheRevalidate = "no-cache"
)

func (h *spa) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := path.Clean("/" + r.URL.Path)
	if p == "/api" || strings.HasPrefix(p, "/api/") {
		notFoundAPI(w)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "不支持的请求方法", http.StatusMethodNotAllowed)
		return
	}
	index, err := fs.ReadFile(h.fsys, "index.html")
	if err != nil {
		notBuilt(w, r)
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")

	name := strings.TrimPrefix(p, "/")
	if name != "" && name != "index.html" {
		if h.serveFile(w, r, name) {
			return
		}
		if strings.HasPrefix(p, "/assets/") {
			// A stale page asking for an old chunk must not get HTML in place of JavaScript.
			w.Header().Set("Cache-Control", "no-store")
			http.Error(w, "文件不存在", http.StatusNotFound)
			return
		}
	}
	w.Header().Set("Cache-Control", cacheRevalidate)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	http.ServeContent(w, r, "index.html", time.Time{}, bytes.NewReader(index))
}

// serveFile serves a regular file of fsys and reports whether there was one.
func (h *spa) serveFile(w http.ResponseWriter, r *http.Request, name string) bool {
	if !fs.ValidPath(name) {
		return false
	}
	f, err := h.fsys.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return false
	}
	content, ok := f.(io.ReadSeeker)
	if !ok {
		b, err := io.ReadAll(f)
		if err != nil {
			return false
		}
		content = bytes.NewReader(b)
	}
	if strings.HasPrefix(name, "assets/") {
		w.Header().Set("Cache-Control", cacheImmutable)
	} else {
		w.Header().Set("Cache-Control", cacheRevalidate)
	}
	http.ServeContent(w, r, st.Name(), st.ModTime(), content)
	return true
}

func notFoundAPI(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/problem+json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNotFound)
	io.WriteString(w, `{"type":"about:blank","title":"未找到","status":404,"code":"not_found","detail":"接口不存在"}`+"\n")
}

// notBuiltPage is shown when the binary was built without the web UI.
const notBuiltPage = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>网页界面未构建 - 基层党建综合管理平台</title>
<style>
body{margin:0;font-family:-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;background:#f3f4f6;color:#1f2329}
main{max-width:560px;margin:12vh auto;padding:28px 32px;background:#fff;border:1px solid #e4e7ec;border-top:3px solid #b0242a;border-radius:8px}
h1{font-size:20px;margin:0 0 12px}
p{line-height:1.8;margin:8px 0}
code{background:#f3f4f6;padding:2px 6px;border-radius:4px;font-family:ui-monospace,Menlo,Consolas,monospace}
.muted{color:#86909c;font-size:13px}
</style>
</head>
<body>
<main>
<h1>基层党建综合管理平台：网页界面未构建</h1>
<p>本程序在编译时没有包含网页界面，因此暂时无法通过浏览器使用。接口（<code>/api/</code>）工作正常。</p>
<p>请在源代码目录执行 <code>make web</code>，或 <code>cd web &amp;&amp; npm ci &amp;&amp; npm run build</code>，然后重新编译本程序。</p>
<p class="muted">如您是使用者而非开发者，请联系系统管理员。</p>
</main>
</body>
</html>
`

func notBuilt(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusServiceUnavailable)
	if r.Method != http.MethodHead {
		io.WriteString(w, notBuiltPage)
	}
}

// Built reports whether the UI was built into this binary, so main can warn at start-up.
func Built() bool {
	_, err := fs.Stat(Dist, "dist/app/index.html")
	return err == nil
}
