package standing

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
)

var (
	read  = []access.Perm{access.OrgRead}
	write = []access.Perm{access.OrgWrite}
)

// Register adds the 党籍管理 and 党员数量变化 endpoints.
func Register(r *api.Router, s *Store) {
	const tag = "党籍管理"
	r.Serve(api.Route{Method: "GET", Path: "/api/v1/standing/kinds", Tag: tag, Summary: "党籍变动方式（停止党籍、恢复党籍、重新入党、出党、死亡）及其规则和依据",
		Perms: []access.Perm{access.OrgRead, access.UserManage}, Response: KindsAnswer{}},
		func(r *http.Request) (any, error) {
			return s.Kinds(r.Context())
		})
	r.Serve(api.Route{Method: "PUT", Path: "/api/v1/standing/settings", Tag: tag, Summary: "党籍管理设置：停止党籍不满2年即按自行脱党除名时阻止或仅提示（系统管理员）",
		Perms: []access.Perm{access.UserManage}, Request: Settings{}, Response: Settings{}},
		func(r *http.Request) (any, error) {
			var in Settings
			if err := api.Decode(r, &in); err != nil {
				return nil, err
			}
			return s.PutSettings(r.Context(), in)
		})
	r.Handle(api.Route{Method: "GET", Path: "/api/v1/members/{id}/status-changes", Tag: tag, Summary: "党员的党籍变动记录及可以办理的党籍变动",
		Perms: read, Response: Standing{}},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := api.PathID(r, "id")
			if err != nil {
				return err
			}
			st, err := s.Standing(r.Context(), id)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, st)
		})
	r.Handle(api.Route{Method: "POST", Path: "/api/v1/members/{id}/status-changes", Tag: tag,
		Summary: "办理党籍变动：违反阻止类规则时 422（rule、source、message），提示类规则随结果返回",
		Perms:   write, Request: Input{}, Response: Answer{}, Status: http.StatusCreated},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := api.PathID(r, "id")
			if err != nil {
				return err
			}
			var in Input
			if err := api.Decode(r, &in); err != nil {
				return err
			}
			a, err := s.Record(r.Context(), id, in)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusCreated, a)
		})

	const statsTag = "统计"
	params := []api.Param{api.QInt("org", "组织编号；不填为本人管理范围的第一个根组织"), api.QInt("year", "年份，默认今年")}
	report := func(r *http.Request) (int64, int, error) {
		id, err := api.QueryID(r, "org")
		if err != nil {
			return 0, 0, err
		}
		year, err := api.QueryInt(r, "year", s.Today().Year(), 1921, 2100)
		return id, year, err
	}
	r.Handle(api.Route{Method: "GET", Path: "/api/v1/stats/member-changes", Tag: statsTag,
		Summary: "党员数量变化（党内统计表一）：本组织及直属下级的上年底数、本年增减、本年底应有数、实有数和差额",
		Perms:   read, Query: params, Response: ChangeReport{}},
		func(w http.ResponseWriter, r *http.Request) error {
			id, year, err := report(r)
			if err != nil {
				return err
			}
			rep, err := s.MemberChanges(r.Context(), id, year)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, rep)
		})
	r.Handle(api.Route{Method: "GET", Path: "/api/v1/stats/member-changes/export", Tag: statsTag, Summary: "导出党员数量变化（Excel）",
		Perms: read, Query: params, Produces: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		func(w http.ResponseWriter, r *http.Request) error {
			id, year, err := report(r)
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			rep, err := s.ExportMemberChanges(r.Context(), id, year, &buf)
			if err != nil {
				return err
			}
			name := fmt.Sprintf("党员数量变化_%s_%d.xlsx", rep.OrgName, rep.Year)
			w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
			w.Header().Set("Content-Disposition", "attachment; filename=\"member-changes.xlsx\"; filename*=UTF-8''"+url.PathEscape(name))
			_, err = w.Write(buf.Bytes())
			return err
		})
	r.Serve(api.Route{Method: "POST", Path: "/api/v1/stats/member-changes/snapshots", Tag: statsTag,
		Summary: "封存年报：冻结某个已结束年度本组织及全部下级的年底党员总数（已封存时须 confirm）",
		Perms:   write, Request: SnapshotInput{}, Response: SnapshotAnswer{}, Status: http.StatusCreated},
		func(r *http.Request) (any, error) {
			var in SnapshotInput
			if err := api.Decode(r, &in); err != nil {
				return nil, err
			}
			return s.Freeze(r.Context(), in)
		})
}
