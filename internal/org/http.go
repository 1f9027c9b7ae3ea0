package org

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
)

// Meta is the reference data forms need.
type Meta struct {
	Types     []TypeMeta `json:"types"`
	UnitTypes []Option   `json:"unit_types"`
	Posts     []Option   `json:"posts"`
	Statuses  []Option   `json:"statuses"`
}

// TypeMeta is an organisation type with the types allowed under it.
type TypeMeta struct {
	Code            string   `json:"code"`
	Name            string   `json:"name"`
	AllowedChildren []string `json:"allowed_children"`
}

func meta() Meta {
	m := Meta{UnitTypes: unitTypeNames, Posts: postNames,
		Statuses: []Option{{string(StatusActive), StatusActive.Name()}, {string(StatusDissolved), StatusDissolved.Name()}}}
	for _, t := range typeNames {
		tm := TypeMeta{Code: t.Code, Name: t.Name, AllowedChildren: []string{}}
		for _, c := range allowedChildren[Type(t.Code)] {
			tm.AllowedChildren = append(tm.AllowedChildren, string(c))
		}
		m.Types = append(m.Types, tm)
	}
	return m
}

type treeAnswer struct {
	Nodes []TreeNode `json:"nodes"`
}

type items[T any] struct {
	Items []T `json:"items"`
}

var (
	read   = []access.Perm{access.OrgRead}
	write  = []access.Perm{access.OrgWrite}
	browse = []access.Perm{access.OrgRead, access.OrgBrowse}
	under  = api.QInt("under", "子树的根组织编号；不填为本人全部管理范围")
)

// Register adds the organisation endpoints.
func Register(r *api.Router, s *Store) {
	const tag = "组织"
	r.Handle(api.Route{Method: "GET", Path: "/api/v1/orgs/meta", Tag: tag, Summary: "组织类别、单位类型、班子职务等参照数据",
		Response: Meta{}}, func(w http.ResponseWriter, r *http.Request) error {
		return api.JSON(w, http.StatusOK, meta())
	})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/orgs/tree", Tag: tag, Summary: "组织树：某组织的直接下级；不带 parent 时为本人管理范围的根",
		Perms: browse, Response: treeAnswer{},
		Query: []api.Param{api.QInt("parent", "上级组织编号"), api.QString("include_dissolved", "为 1 时包含已撤销组织")}},
		func(w http.ResponseWriter, r *http.Request) error {
			parent, err := api.QueryID(r, "parent")
			if err != nil {
				return err
			}
			nodes, err := s.Tree(r.Context(), parent, r.URL.Query().Get("include_dissolved") == "1")
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, treeAnswer{nodes})
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/orgs", Tag: tag, Summary: "组织列表（分页、搜索、筛选）",
		Perms: browse, Response: api.List[Org]{},
		Query: append([]api.Param{under, api.QString("direct", "为 1 时只列直接下级"), api.QString("q", "名称或代码"),
			api.QString("type", "组织类别"), api.QString("unit_type", "单位类型"), api.QString("status", "active（默认）、dissolved、all")}, api.PageParams...)},
		func(w http.ResponseWriter, r *http.Request) error {
			page, err := api.PageOf(r)
			if err != nil {
				return err
			}
			q := r.URL.Query()
			f := ListFilter{Direct: q.Get("direct") == "1", Q: q.Get("q"), Type: Type(q.Get("type")),
				UnitType: UnitType(q.Get("unit_type")), Status: q.Get("status")}
			if f.Under, err = api.QueryID(r, "under"); err != nil {
				return err
			}
			list, err := s.List(r.Context(), f, page)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, list)
		})

	r.Handle(api.Route{Method: "POST", Path: "/api/v1/orgs", Tag: tag, Summary: "新增组织",
		Perms: write, Request: CreateInput{}, Response: Org{}, Status: http.StatusCreated},
		func(w http.ResponseWriter, r *http.Request) error {
			var in CreateInput
			if err := api.Decode(r, &in); err != nil {
				return err
			}
			o, err := s.Create(r.Context(), in)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusCreated, o)
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/orgs/elections", Tag: tag, Summary: "换届提醒：已超期、即将届满和未录入班子的组织",
		Perms: read, Response: api.List[Election]{},
		Query: append([]api.Param{under, api.QInt("within_days", "届满日期在多少天以内（默认 180）")}, api.PageParams...)},
		func(w http.ResponseWriter, r *http.Request) error {
			page, err := api.PageOf(r)
			if err != nil {
				return err
			}
			id, err := api.QueryID(r, "under")
			if err != nil {
				return err
			}
			days, err := api.QueryInt(r, "within_days", 180, 0, 3650)
			if err != nil {
				return err
			}
			list, err := s.Elections(r.Context(), id, days, page)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, list)
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/orgs/findings", Tag: tag, Summary: "规则检查：子树内不符合或临近规则要求的组织",
		Perms: read, Response: api.List[OrgFindings]{}, Query: append([]api.Param{under}, api.PageParams...)},
		func(w http.ResponseWriter, r *http.Request) error {
			page, err := api.PageOf(r)
			if err != nil {
				return err
			}
			id, err := api.QueryID(r, "under")
			if err != nil {
				return err
			}
			list, err := s.Findings(r.Context(), id, page)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, list)
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/orgs/stats", Tag: tag, Summary: "组织统计（含子树根）",
		Perms: read, Response: Stats{}, Query: []api.Param{under}},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := api.QueryID(r, "under")
			if err != nil {
				return err
			}
			st, err := s.Stats(r.Context(), id)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, st)
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/orgs/export", Tag: tag, Summary: "导出组织（Excel，含子树根）",
		Perms: read, Query: []api.Param{under}, Produces: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := api.QueryID(r, "under")
			if err != nil {
				return err
			}
			// Build in memory first so an error can still be answered as JSON.
			var buf bytes.Buffer
			if err := s.Export(r.Context(), id, &buf); err != nil {
				return err
			}
			name := fmt.Sprintf("党组织_%s.xlsx", time.Now().Format("20060102"))
			w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
			w.Header().Set("Content-Disposition", "attachment; filename=\"orgs.xlsx\"; filename*=UTF-8''"+url.PathEscape(name))
			_, err = w.Write(buf.Bytes())
			return err
		})

	byID := func(method, path, summary string, perms []access.Perm, req, resp any, status int, h func(r *http.Request, id int64) (any, error)) {
		r.Handle(api.Route{Method: method, Path: path, Tag: tag, Summary: summary, Perms: perms, Request: req, Response: resp, Status: status},
			func(w http.ResponseWriter, r *http.Request) error {
				id, err := api.PathID(r, "id")
				if err != nil {
					return err
				}
				v, err := h(r, id)
				if err != nil {
					return err
				}
				if v == nil {
					return api.NoContent(w)
				}
				if status == 0 {
					status = http.StatusOK
				}
				return api.JSON(w, status, v)
			})
	}

	byID("GET", "/api/v1/orgs/{id}", "组织详情（含上级路径）", read, nil, Org{}, 0, func(r *http.Request, id int64) (any, error) {
		return s.Get(r.Context(), id)
	})
	byID("PATCH", "/api/v1/orgs/{id}", "修改组织（须带 version）", write, UpdateInput{}, Org{}, 0, func(r *http.Request, id int64) (any, error) {
		var in UpdateInput
		if err := api.Decode(r, &in); err != nil {
			return nil, err
		}
		if in.Version == 0 {
			return nil, api.FieldInvalid("version", "缺少版本号 version，请刷新页面后重试")
		}
		return s.Update(r.Context(), id, in)
	})
	byID("DELETE", "/api/v1/orgs/{id}", "删除误录入的组织（有下级或班子记录的请用撤销）", write, nil, nil, http.StatusNoContent, func(r *http.Request, id int64) (any, error) {
		return nil, s.Delete(r.Context(), id)
	})
	byID("POST", "/api/v1/orgs/{id}/move", "调整隶属关系（连同全部下级）", write, MoveInput{}, Org{}, 0, func(r *http.Request, id int64) (any, error) {
		var in MoveInput
		if err := api.Decode(r, &in); err != nil {
			return nil, err
		}
		return s.Move(r.Context(), id, in)
	})
	byID("POST", "/api/v1/orgs/{id}/dissolve", "撤销组织", write, DissolveInput{}, Org{}, 0, func(r *http.Request, id int64) (any, error) {
		var in DissolveInput
		if err := api.Decode(r, &in); err != nil {
			return nil, err
		}
		return s.Dissolve(r.Context(), id, in)
	})
	byID("POST", "/api/v1/orgs/{id}/restore", "恢复已撤销的组织", write, nil, Org{}, 0, func(r *http.Request, id int64) (any, error) {
		return s.Restore(r.Context(), id)
	})
	byID("GET", "/api/v1/orgs/{id}/history", "组织变更记录", read, nil, items[Event]{}, 0, func(r *http.Request, id int64) (any, error) {
		h, err := s.History(r.Context(), id)
		return items[Event]{h}, err
	})
	byID("GET", "/api/v1/orgs/{id}/checks", "组织的规则检查结果（附依据）", read, nil, items[Finding]{}, 0, func(r *http.Request, id int64) (any, error) {
		fs, err := s.Checks(r.Context(), id)
		return items[Finding]{fs}, err
	})
	byID("GET", "/api/v1/orgs/{id}/committee", "班子：本届及历届", read, nil, Committee{}, 0, func(r *http.Request, id int64) (any, error) {
		return s.Committee(r.Context(), id)
	})
	byID("POST", "/api/v1/orgs/{id}/terms", "换届：录入新一届班子", write, TermInput{}, Term{}, http.StatusCreated, func(r *http.Request, id int64) (any, error) {
		var in TermInput
		if err := api.Decode(r, &in); err != nil {
			return nil, err
		}
		return s.CreateTerm(r.Context(), id, in)
	})
	byID("PATCH", "/api/v1/terms/{id}", "调整任期或登记经批准的延期", write, TermUpdate{}, Term{}, 0, func(r *http.Request, id int64) (any, error) {
		var in TermUpdate
		if err := api.Decode(r, &in); err != nil {
			return nil, err
		}
		return s.UpdateTerm(r.Context(), id, in)
	})
	byID("POST", "/api/v1/terms/{id}/leaders", "增补班子成员", write, LeaderInput{}, Leader{}, http.StatusCreated, func(r *http.Request, id int64) (any, error) {
		var in LeaderInput
		if err := api.Decode(r, &in); err != nil {
			return nil, err
		}
		return s.AddLeader(r.Context(), id, in)
	})
	byID("PATCH", "/api/v1/leaders/{id}", "修改班子成员（含离任日期）", write, LeaderUpdate{}, Leader{}, 0, func(r *http.Request, id int64) (any, error) {
		var in LeaderUpdate
		if err := api.Decode(r, &in); err != nil {
			return nil, err
		}
		return s.UpdateLeader(r.Context(), id, in)
	})
	byID("DELETE", "/api/v1/leaders/{id}", "删除误录入的班子成员", write, nil, nil, http.StatusNoContent, func(r *http.Request, id int64) (any, error) {
		return nil, s.DeleteLeader(r.Context(), id)
	})
}
