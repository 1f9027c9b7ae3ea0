package api

import (
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/dangjian/dangjian/internal/civil"
)

// OpenAPI builds the OpenAPI 3.1 document from the route table, so the document cannot drift
// from what the server serves.
func (rt *Router) OpenAPI(version string) map[string]any {
	g := &schemaGen{defs: map[string]any{}}
	paths := map[string]any{}
	for _, route := range rt.routes {
		op := map[string]any{
			"summary":     route.Summary,
			"tags":        []string{route.Tag},
			"operationId": operationID(route),
		}
		var params []any
		for _, name := range pathParams.FindAllStringSubmatch(route.Path, -1) {
			params = append(params, map[string]any{"name": name[1], "in": "path", "required": true,
				"schema": map[string]any{"type": "integer"}})
		}
		for _, q := range route.Query {
			params = append(params, map[string]any{"name": q.Name, "in": "query", "description": q.Description,
				"schema": map[string]any{"type": q.Type}})
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		if route.Request != nil {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(route.Request))}}}
		}
		status := route.Status
		if status == 0 {
			status = http.StatusOK
		}
		ok := map[string]any{"description": http.StatusText(status)}
		switch {
		case route.Produces != "":
			ok["content"] = map[string]any{route.Produces: map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}
		case route.Response != nil:
			ok["content"] = map[string]any{"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(route.Response))}}
		}
		problem := map[string]any{"description": "错误（problem+json，中文说明）",
			"content": map[string]any{"application/problem+json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Problem"}}}}
		op["responses"] = map[string]any{strconv.Itoa(status): ok, "default": problem}
		if route.Public {
			op["security"] = []any{}
		} else if len(route.Perms) > 0 {
			perms := make([]string, len(route.Perms))
			for i, p := range route.Perms {
				perms[i] = string(p)
			}
			op["description"] = "需要权限（任一）：" + strings.Join(perms, "、")
		}
		item, _ := paths[route.Path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[route.Path] = item
		}
		item[strings.ToLower(route.Method)] = op
	}
	g.defs["Problem"] = map[string]any{"type": "object", "properties": map[string]any{
		"type": map[string]any{"type": "string"}, "title": map[string]any{"type": "string"},
		"status": map[string]any{"type": "integer"}, "code": map[string]any{"type": "string"},
		"detail": map[string]any{"type": "string"},
		"errors": map[string]any{"type": "array", "items": g.schema(reflect.TypeOf(FieldError{}))},
	}}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "基层党建综合管理平台 API", "version": version,
			"description": "除登录外，所有非 GET 请求须带 X-CSRF-Token 头；会话保存在 HttpOnly Cookie dj_session 中。"},
		"paths": paths,
		"components": map[string]any{
			"schemas":         g.defs,
			"securitySchemes": map[string]any{"session": map[string]any{"type": "apiKey", "in": "cookie", "name": "dj_session"}},
		},
		"security": []any{map[string]any{"session": []any{}}},
	}
}

var pathParams = regexp.MustCompile(`\{(\w+)\}`)

func operationID(r Route) string {
	s := strings.NewReplacer("/api/v1/", "", "/", "_", "{", "", "}", "").Replace(r.Path)
	return strings.ToLower(r.Method) + "_" + s
}

type schemaGen struct{ defs map[string]any }

var (
	timeType = reflect.TypeOf(time.Time{})
	dateType = reflect.TypeOf(civil.Date{})
	rawJSON  = reflect.TypeOf([]byte(nil))
)

func (g *schemaGen) schema(t reflect.Type) map[string]any {
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == dateType:
		return map[string]any{"type": []string{"string", "null"}, "format": "date"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		s := g.schema(t.Elem())
		if typ, ok := s["type"].(string); ok {
			s = clone(s)
			s["type"] = []string{typ, "null"}
		}
		return s
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		if t == rawJSON {
			return map[string]any{}
		}
		return map[string]any{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schema(t.Elem())}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		name := schemaName(t)
		if name != "" {
			if _, done := g.defs[name]; !done {
				g.defs[name] = map[string]any{} // placeholder against recursion
				g.defs[name] = g.object(t)
			}
			return map[string]any{"$ref": "#/components/schemas/" + name}
		}
		return g.object(t)
	}
	return map[string]any{}
}

func (g *schemaGen) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			for k, v := range g.object(f.Type)["properties"].(map[string]any) {
				props[k] = v
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		s := g.schema(f.Type)
		if doc := f.Tag.Get("doc"); doc != "" {
			s = clone(s)
			s["description"] = doc
		}
		props[name] = s
	}
	return map[string]any{"type": "object", "properties": props}
}

// schemaName names a struct type for components; generic instantiations get a readable name.
func schemaName(t reflect.Type) string {
	name := t.Name()
	if name == "" {
		return ""
	}
	if i := strings.IndexByte(name, '['); i >= 0 {
		inner := name[i+1 : len(name)-1]
		if j := strings.LastIndexByte(inner, '.'); j >= 0 {
			inner = inner[j+1:]
		}
		name = name[:i] + "Of" + inner
	}
	pkg := t.PkgPath()
	if j := strings.LastIndexByte(pkg, '/'); j >= 0 {
		pkg = pkg[j+1:]
	}
	if pkg == "" || pkg == "api" {
		return name
	}
	return strings.ToUpper(pkg[:1]) + pkg[1:] + name
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
