// Package api is the plumbing of the JSON API: handlers that return errors, problem+json
// answers in Chinese, request decoding, paging, the route table and the OpenAPI document built
// from it. Domain packages register their own routes on a Router.
package api

import (
	"errors"
	"fmt"
	"net/http"
)

// Error is an API error: a public Chinese message kept apart from the internal error, which is
// logged and never sent.
type Error struct {
	Status int
	Code   string
	Title  string
	Detail string
	Fields Fields
	Extra  map[string]any
	Err    error
}

// FieldError names the field at fault and says why, in Chinese.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Detail, e.Err)
	}
	return e.Detail
}

func (e *Error) Unwrap() error { return e.Err }

var titles = map[int]string{
	http.StatusBadRequest:          "请求有误",
	http.StatusUnauthorized:        "未登录",
	http.StatusForbidden:           "没有权限",
	http.StatusNotFound:            "未找到",
	http.StatusConflict:            "操作冲突",
	http.StatusLocked:              "账号已锁定",
	http.StatusUnprocessableEntity: "输入有误",
	http.StatusTooManyRequests:     "请求过于频繁",
	http.StatusInternalServerError: "服务器内部错误",
}

func newError(status int, code, detail string) *Error {
	return &Error{Status: status, Code: code, Title: titles[status], Detail: detail}
}

// Invalid is a 422 with per-field errors.
func Invalid(fields ...FieldError) *Error {
	e := newError(http.StatusUnprocessableEntity, "invalid", "请检查标出的字段")
	if len(fields) == 1 {
		e.Detail = fields[0].Message
	}
	e.Fields = fields
	return e
}

// FieldInvalid is a 422 for one field.
func FieldInvalid(field, message string) *Error { return Invalid(FieldError{field, message}) }

// BadRequest is a 400 for a request that cannot be read at all.
func BadRequest(detail string) *Error { return newError(http.StatusBadRequest, "bad_request", detail) }

// NotFound is a 404. Things outside the caller's subtree are "not found" too, so that scope
// does not leak what exists.
func NotFound(detail string) *Error { return newError(http.StatusNotFound, "not_found", detail) }

// Forbidden is a 403 for a missing permission.
func Forbidden(detail string) *Error { return newError(http.StatusForbidden, "forbidden", detail) }

// Conflict is a 409.
func Conflict(detail string) *Error { return newError(http.StatusConflict, "conflict", detail) }

// Unauthenticated is a 401 with a code the client can branch on.
func Unauthenticated(code, detail string) *Error {
	return newError(http.StatusUnauthorized, code, detail)
}

// Status builds any other error.
func Status(status int, code, detail string) *Error { return newError(status, code, detail) }

// Internal wraps an unexpected error; the client sees only a generic message.
func Internal(err error) *Error {
	e := newError(http.StatusInternalServerError, "internal", "服务器内部错误，请稍后重试；如持续出现请联系系统管理员")
	e.Err = err
	return e
}

// AsError turns any error into an *Error (unknown errors become 500s).
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Internal(err)
}

// Fields collects field errors while validating input.
type Fields []FieldError

// Add records a problem with field.
func (f *Fields) Add(field, message string) { *f = append(*f, FieldError{field, message}) }

// Has reports whether field already has a problem.
func (f Fields) Has(field string) bool {
	for _, e := range f {
		if e.Field == field {
			return true
		}
	}
	return false
}

// Err is nil when nothing was added, else a 422.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return Invalid(f...)
}
