package division

import (
	"net/http"

	"github.com/dangjian/dangjian/internal/api"
)

// Item is a division as the cascader in the organisation form loads it.
type Item struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	Level       int    `json:"level" doc:"1 省 2 市 3 县 4 乡镇街道 5 村社区"`
	HasChildren bool   `json:"has_children"`
}

type list struct {
	Items []Item `json:"items"`
}

// Register adds GET /api/v1/divisions: the children of a division (the provinces without parent).
func Register(r *api.Router) {
	r.Handle(api.Route{Method: "GET", Path: "/api/v1/divisions", Tag: "参照数据", Summary: "统计用区划代码：某区划的下级（不带 parent 为各省）",
		Query: []api.Param{api.QString("parent", "上级区划代码")}, Response: list{}},
		func(w http.ResponseWriter, r *http.Request) error {
			parent := r.URL.Query().Get("parent")
			if parent != "" {
				if _, ok := Get(parent); !ok {
					return api.FieldInvalid("parent", "区划代码不存在："+parent)
				}
			}
			out := list{Items: []Item{}}
			for _, d := range Children(parent) {
				out.Items = append(out.Items, Item{Code: d.Code, Name: d.Name, Level: int(d.Level), HasChildren: d.Level < Village && HasChildren(d.Code)})
			}
			return api.JSON(w, http.StatusOK, out)
		})
}
