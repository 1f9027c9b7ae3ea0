package transfer

import (
	"net/http"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
)

type items[T any] struct {
	Items []T `json:"items"`
}

var (
	read  = []access.Perm{access.OrgRead}
	write = []access.Perm{access.OrgWrite}
)

// Register adds the 组织关系转接 endpoints.
func Register(r *api.Router, s *Store) {
	const tag = "组织关系转接"
	r.Handle(api.Route{Method: "GET", Path: "/api/v1/transfers", Tag: tag, Summary: "转接列表：转出箱（box=out）或转入箱（box=in），可按状态（含逾期）筛选",
		Perms: read, Response: api.List[Transfer]{},
		Query: append([]api.Param{api.QString("box", "out 转出、in 转入；不填为两者"),
			api.QString("status", "pending 待接收、overdue 逾期、accepted 已接收、returned 已退回、withdrawn 已撤回、closed 已办结"),
			api.QString("kind", "internal、out、in、org"), api.QString("q", "姓名、组织名称或介绍信编号")}, api.PageParams...)},
		func(w http.ResponseWriter, r *http.Request) error {
			page, err := api.PageOf(r)
			if err != nil {
				return err
			}
			q := r.URL.Query()
			list, err := s.List(r.Context(), ListFilter{Box: q.Get("box"), Status: q.Get("status"), Kind: Kind(q.Get("kind")), Q: q.Get("q")}, page)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, list)
		})

	r.Serve(api.Route{Method: "POST", Path: "/api/v1/transfers", Tag: tag,
		Summary: "开具组织关系介绍信（系统内转往任一党支部，或转出至系统外）；接收前党员仍由原党支部管理",
		Perms:   write, Request: CreateInput{}, Response: Transfer{}, Status: http.StatusCreated},
		func(r *http.Request) (any, error) {
			var in CreateInput
			if err := api.Decode(r, &in); err != nil {
				return nil, err
			}
			return s.Create(r.Context(), in)
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/transfers/destinations", Tag: tag,
		Summary: "查找转入的党支部（全系统，只返回名称和上级组织名称）",
		Perms:   write, Query: []api.Param{api.QString("q", "党支部名称中的字（至少两个）或组织代码")}, Response: items[Destination]{}},
		func(w http.ResponseWriter, r *http.Request) error {
			list, err := s.Destinations(r.Context(), r.URL.Query().Get("q"))
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, items[Destination]{list})
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/transfers/defaults", Tag: tag, Summary: "开具介绍信的默认值：党费交至、有效期截止日及其规则",
		Perms: write, Response: Defaults{},
		Query: []api.Param{api.QInt("member_id", "党员"), api.QInt("to_org_id", "转入的党支部（可不填）"), api.QString("cross_province", "转出系统外时是否跨省：true/false")}},
		func(w http.ResponseWriter, r *http.Request) error {
			mid, err := api.QueryID(r, "member_id")
			if err != nil {
				return err
			}
			to, err := api.QueryID(r, "to_org_id")
			if err != nil {
				return err
			}
			d, err := s.Defaults(r.Context(), mid, to, r.URL.Query().Get("cross_province") == "true")
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, d)
		})

	r.Serve(api.Route{Method: "GET", Path: "/api/v1/transfers/settings", Tag: tag, Summary: "介绍信有效期的默认值（各来源说法不一，可调整）",
		Perms: []access.Perm{access.OrgRead, access.UserManage}, Response: Settings{}},
		func(r *http.Request) (any, error) {
			return s.Settings(r.Context())
		})

	r.Serve(api.Route{Method: "PUT", Path: "/api/v1/transfers/settings", Tag: tag, Summary: "设置介绍信有效期的默认值（系统管理员）",
		Perms: []access.Perm{access.UserManage}, Request: Settings{}, Response: Settings{}},
		func(r *http.Request) (any, error) {
			var in Settings
			if err := api.Decode(r, &in); err != nil {
				return nil, err
			}
			return s.PutSettings(r.Context(), in)
		})

	r.Serve(api.Route{Method: "POST", Path: "/api/v1/transfers/incoming", Tag: tag,
		Summary: "登记由系统外转入的组织关系：建立党员记录（曾转出的恢复原记录）",
		Perms:   write, Request: IncomingInput{}, Response: Transfer{}, Status: http.StatusCreated},
		func(r *http.Request) (any, error) {
			var in IncomingInput
			if err := api.Decode(r, &in); err != nil {
				return nil, err
			}
			return s.Incoming(r.Context(), in)
		})

	r.Serve(api.Route{Method: "POST", Path: "/api/v1/transfers/org", Tag: tag,
		Summary: "整建制转接：组织及其全部下级转到新的上级组织，党员随之转接",
		Perms:   write, Request: OrgInput{}, Response: Transfer{}, Status: http.StatusCreated},
		func(r *http.Request) (any, error) {
			var in OrgInput
			if err := api.Decode(r, &in); err != nil {
				return nil, err
			}
			return s.MoveOrg(r.Context(), in)
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/transfers/{id}", Tag: tag, Summary: "一份转接记录（转出方或接收方可见）",
		Perms: read, Response: Transfer{}},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := api.PathID(r, "id")
			if err != nil {
				return err
			}
			t, err := s.Get(r.Context(), id)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, t)
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/transfers/{id}/letter", Tag: tag,
		Summary: "打印介绍信（一式三联：存根、介绍信、回执）；公民身份号码默认脱敏，reveal=true 需 pii.read 并记入审计",
		Perms:   read, Query: []api.Param{api.QString("reveal", "true：打印完整的公民身份号码")}, Produces: "text/html"},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := api.PathID(r, "id")
			if err != nil {
				return err
			}
			b, err := s.Letter(r.Context(), id, r.URL.Query().Get("reveal") == "true")
			if err != nil {
				return err
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			_, err = w.Write(b)
			return err
		})

	for _, a := range []struct {
		path, summary string
		do            func(*Store) func(ctx *http.Request, id int64, d Decision) (*Transfer, error)
	}{
		{"accept", "接收：党员转入本党支部（名册、历史、统计、党费随之转接）", func(s *Store) func(*http.Request, int64, Decision) (*Transfer, error) {
			return func(r *http.Request, id int64, d Decision) (*Transfer, error) { return s.Accept(r.Context(), id, d) }
		}},
		{"return", "退回介绍信（须写明原因）；党员仍在原党支部", func(s *Store) func(*http.Request, int64, Decision) (*Transfer, error) {
			return func(r *http.Request, id int64, d Decision) (*Transfer, error) { return s.Return(r.Context(), id, d) }
		}},
		{"withdraw", "撤回尚未接收的介绍信（转出方）", func(s *Store) func(*http.Request, int64, Decision) (*Transfer, error) {
			return func(r *http.Request, id int64, d Decision) (*Transfer, error) { return s.Withdraw(r.Context(), id, d) }
		}},
		{"receipt", "登记回执（转出至系统外）：党员转出，不再列入名册", func(s *Store) func(*http.Request, int64, Decision) (*Transfer, error) {
			return func(r *http.Request, id int64, d Decision) (*Transfer, error) { return s.Receipt(r.Context(), id, d) }
		}},
	} {
		do := a.do(s)
		r.Handle(api.Route{Method: "POST", Path: "/api/v1/transfers/{id}/" + a.path, Tag: tag, Summary: a.summary,
			Perms: write, Request: Decision{}, Response: Transfer{}},
			func(w http.ResponseWriter, r *http.Request) error {
				id, err := api.PathID(r, "id")
				if err != nil {
					return err
				}
				var d Decision
				if err := api.Decode(r, &d); err != nil {
					return err
				}
				t, err := do(r, id, d)
				if err != nil {
					return err
				}
				return api.JSON(w, http.StatusOK, t)
			})
	}
}
