package rules

import (
	"net/http"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
)

type list struct {
	Items []Rule `json:"items"`
}

// Register adds GET /api/v1/rules: every checked rule with its source.
func Register(r *api.Router) {
	r.Handle(api.Route{Method: "GET", Path: "/api/v1/rules", Tag: "规则", Summary: "系统检查的全部规则及其依据",
		Perms: []access.Perm{access.OrgRead, access.OrgBrowse}, Response: list{}},
		func(w http.ResponseWriter, r *http.Request) error {
			return api.JSON(w, http.StatusOK, list{All()})
		})
}
