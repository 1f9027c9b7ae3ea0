package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/dangjian/dangjian/internal/access"
)

// HandlerFunc handles a request and returns an error for the router to answer.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Param documents a query parameter.
type Param struct {
	Name, Description string
	Type              string // "string", "integer", "boolean"
}

// Route is one endpoint with what the OpenAPI document says of it.
type Route struct {
	Method, Path string // Path uses ServeMux patterns: /api/v1/orgs/{id}
	Summary, Tag string
	// Perms: the caller needs any one of them; empty with Public false means "logged in".
	Perms    []access.Perm
	Public   bool
	Query    []Param
	Request  any // a value of the request body type, or nil
	Response any // a value of the response body type, or nil for 204
	Status   int // success status; default 200
	Produces string
}

// Router is the API's route table.
type Router struct {
	mux    *http.ServeMux
	routes []Route
	log    *slog.Logger
}

// NewRouter returns an empty route table.
func NewRouter(log *slog.Logger) *Router {
	return &Router{mux: http.NewServeMux(), log: log}
}

// Routes lists what was registered, in order.
func (rt *Router) Routes() []Route { return rt.routes }

// ServeHTTP serves the API; unknown paths get a problem+json 404.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if _, pattern := rt.mux.Handler(r); pattern == "" {
		rt.writeError(w, r, NotFound("接口不存在："+r.Method+" "+r.URL.Path))
		return
	}
	rt.mux.ServeHTTP(w, r)
}

// Serve registers a handler that only produces a value: it is answered as JSON with the
// route's Status (200 unless set), or 204 when the value is nil.
func (rt *Router) Serve(route Route, h func(r *http.Request) (any, error)) {
	status := route.Status
	if status == 0 {
		status = http.StatusOK
	}
	rt.Handle(route, func(w http.ResponseWriter, r *http.Request) error {
		v, err := h(r)
		if err != nil {
			return err
		}
		if v == nil {
			return NoContent(w)
		}
		return JSON(w, status, v)
	})
}

// Handle registers h for route. Login and permission are checked here, once, for every route;
// which rows the caller may touch is decided by the stores through access.Filter.
func (rt *Router) Handle(route Route, h HandlerFunc) {
	rt.routes = append(rt.routes, route)
	rt.mux.HandleFunc(route.Method+" "+route.Path, func(w http.ResponseWriter, r *http.Request) {
		if !route.Public {
			p := access.From(r.Context())
			if p == nil {
				rt.writeError(w, r, unauthenticated(r))
				return
			}
			if len(route.Perms) > 0 && !anyPerm(p, route.Perms) {
				rt.writeError(w, r, Forbidden("您的角色没有此项操作权限"))
				return
			}
		}
		if err := h(w, r); err != nil {
			rt.writeError(w, r, err)
		}
	})
}

func anyPerm(p *access.Principal, perms []access.Perm) bool {
	for _, perm := range perms {
		if p.Can(perm) {
			return true
		}
	}
	return false
}

type authProblemKey struct{}

// WithAuthProblem lets the session middleware say why a request has no principal (expired
// session rather than no session at all).
func WithAuthProblem(r *http.Request, e *Error) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), authProblemKey{}, e))
}

func unauthenticated(r *http.Request) *Error {
	if e, ok := r.Context().Value(authProblemKey{}).(*Error); ok {
		return e
	}
	return Unauthenticated("unauthenticated", "请先登录")
}

// WriteError answers with err as problem+json.
func (rt *Router) writeError(w http.ResponseWriter, r *http.Request, err error) {
	WriteError(w, r, rt.log, err)
}

// WriteError answers with err as problem+json; 5xx causes are logged, never sent.
func WriteError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	e := AsError(err)
	if e.Status >= 500 && log != nil {
		log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", e.Err)
	}
	body := map[string]any{
		"type":   "about:blank",
		"title":  e.Title,
		"status": e.Status,
		"code":   e.Code,
		"detail": e.Detail,
	}
	if len(e.Fields) > 0 {
		body["errors"] = e.Fields
	}
	for k, v := range e.Extra {
		body[k] = v
	}
	w.Header().Set("Content-Type", "application/problem+json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(e.Status)
	json.NewEncoder(w).Encode(body)
}

// JSON writes v with status.
func JSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}

// NoContent writes 204.
func NoContent(w http.ResponseWriter) error {
	w.WriteHeader(http.StatusNoContent)
	return nil
}

const maxBody = 1 << 20

// Decode reads a JSON body into v. Unknown fields are refused so typos don't silently drop
// data; type errors name the field.
func Decode(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		var syntaxErr *json.SyntaxError
		switch {
		case errors.Is(err, io.EOF):
			return BadRequest("请求内容为空，应为 JSON")
		case errors.As(err, &typeErr):
			return FieldInvalid(typeErr.Field, fmt.Sprintf("类型不对：应为%s", kindName(typeErr.Type)))
		case errors.As(err, &syntaxErr):
			return BadRequest(fmt.Sprintf("JSON 格式错误（第 %d 字节附近）", syntaxErr.Offset))
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return FieldInvalid(field, "不认识的字段")
		default:
			// Errors from UnmarshalJSON methods (dates) are already in Chinese.
			return BadRequest("请求内容无法解析：" + err.Error())
		}
	}
	return nil
}

func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "文字"
	case reflect.Int, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint32, reflect.Uint64:
		return "整数"
	case reflect.Float32, reflect.Float64:
		return "数字"
	case reflect.Bool:
		return "是/否（true/false）"
	case reflect.Slice:
		return "列表"
	}
	return "对象"
}

// PathID reads a positive integer path value; anything else is a 404.
func PathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, NotFound("未找到：编号无效")
	}
	return id, nil
}

// QueryID reads an optional positive integer query parameter (0 when absent).
func QueryID(r *http.Request, name string) (int64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, FieldInvalid(name, "应为正整数编号")
	}
	return id, nil
}

// QueryInt reads an optional integer query parameter within [min, max].
func QueryInt(r *http.Request, name string, def, min, max int) (int, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		return 0, FieldInvalid(name, fmt.Sprintf("应为 %d 到 %d 之间的整数", min, max))
	}
	return n, nil
}

// Paging is a page request.
type Paging struct{ Page, Size int }

// Offset is the number of rows to skip.
func (p Paging) Offset() int { return (p.Page - 1) * p.Size }

// PageOf reads page and page_size (default 20, at most 200).
func PageOf(r *http.Request) (Paging, error) {
	page, err := QueryInt(r, "page", 1, 1, 1_000_000)
	if err != nil {
		return Paging{}, err
	}
	size, err := QueryInt(r, "page_size", 20, 1, 200)
	if err != nil {
		return Paging{}, err
	}
	return Paging{page, size}, nil
}

// PageParams documents page and page_size.
var PageParams = []Param{
	QInt("page", "页码，从 1 开始"),
	QInt("page_size", "每页条数，默认 20，最多 200"),
}

// List is a page of results.
type List[T any] struct {
	Items    []T `json:"items"`
	Total    int `json:"total"`
	Page     int `json:"page"`
	PageSize int `json:"page_size"`
}

// QString documents a text query parameter.
func QString(name, description string) Param {
	return Param{Name: name, Description: description, Type: "string"}
}

// QInt documents an integer query parameter.
func QInt(name, description string) Param {
	return Param{Name: name, Description: description, Type: "integer"}
}
