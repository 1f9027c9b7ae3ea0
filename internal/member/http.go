package member

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/org"
)

// Meta is the reference data member forms need.
type Meta struct {
	Tables        []CodeTable  `json:"tables"`
	AgeBands      []org.Count  `json:"age_bands" doc:"年龄段（count 恒为 0）"`
	HistoryKinds  []org.Count  `json:"history_kinds"`
	Categories    []org.Count  `json:"categories"`
	JoinedPeriods []org.Count  `json:"joined_periods"`
	Rules         []MetaSource `json:"sources"`
}

// MetaSource names where a group of values comes from.
type MetaSource struct {
	What   string `json:"what"`
	Source string `json:"source"`
}

type codesAnswer struct {
	Tables []CodeTable `json:"tables"`
}

type items[T any] struct {
	Items []T `json:"items"`
}

type movedAnswer struct {
	Moved int `json:"moved"`
}

// LinkInput links a 党员 account to a member; 0 or null unlinks.
type LinkInput struct {
	UserID *int64 `json:"user_id" doc:"党员角色账号的编号；null 为解除关联"`
}

// DecisionInput is the approver's note.
type DecisionInput struct {
	Note string `json:"note" doc:"意见；退回时必填"`
}

var (
	read    = []access.Perm{access.OrgRead}
	write   = []access.Perm{access.OrgWrite}
	self    = []access.Perm{access.SelfRead}
	orgOpt  = api.QInt("org", "组织编号（含其全部下级）；不填为本人全部管理范围")
	reveal1 = api.QString("reveal", "为 1 时返回完整的公民身份号码、联系电话和家庭住址（需 pii.read，记入审计日志）")
)

func boolQuery(r *http.Request, name string) (*bool, error) {
	switch r.URL.Query().Get(name) {
	case "":
		return nil, nil
	case "1", "true":
		v := true
		return &v, nil
	case "0", "false":
		v := false
		return &v, nil
	}
	return nil, api.FieldInvalid(name, "应为 1（是）或 0（否）")
}

// FilterOf reads a roster filter from the query (org, q, category, status, age_band,
// education, gender, mobile, lost_contact, sort); exports use it too.
func FilterOf(r *http.Request) (ListFilter, error) {
	q := r.URL.Query()
	f := ListFilter{Q: q.Get("q"), Category: Category(q.Get("category")), Status: Status(q.Get("status")), AgeBand: q.Get("age_band"),
		Education: q.Get("education"), Gender: q.Get("gender"), Sort: q.Get("sort")}
	var err error
	if f.Under, err = api.QueryID(r, "org"); err != nil {
		return f, err
	}
	if f.Mobile, err = boolQuery(r, "mobile"); err != nil {
		return f, err
	}
	f.LostContact, err = boolQuery(r, "lost_contact")
	return f, err
}

// FilterParams documents FilterOf.
var FilterParams = []api.Param{orgOpt,
	api.QString("q", "姓名（包含），或完整的公民身份号码、联系电话（精确匹配）"),
	api.QString("category", "full 正式党员、probationary 预备党员"),
	api.QString("status", "党籍状态：normal、suspended、left、deceased、all；默认为正常和停止党籍"),
	api.QString("age_band", "年龄段：<=30、31-35 … 66-70、>=71"),
	api.QString("education", "学历档位 1–6（党内统计）"),
	api.QString("gender", "1 男、2 女"),
	api.QString("mobile", "1 只看流动党员，0 排除"),
	api.QString("lost_contact", "1 只看失联党员，0 排除"),
	api.QString("sort", "name、birth_date、joined_on、org；前加 - 为倒序"),
}

func meta(codes *Codes) Meta {
	m := Meta{Tables: codes.Tables()}
	for _, b := range AgeBands {
		m.AgeBands = append(m.AgeBands, org.Count{Code: b.Code, Name: b.Name})
	}
	for _, k := range []string{"post", "award", "punishment", "transfer"} {
		m.HistoryKinds = append(m.HistoryKinds, org.Count{Code: k, Name: historyKinds[k]})
	}
	m.Categories = []org.Count{{Code: string(CategoryFull), Name: categoryNames[CategoryFull]}, {Code: string(CategoryProbationary), Name: categoryNames[CategoryProbationary]}}
	for _, p := range JoinedPeriods {
		m.JoinedPeriods = append(m.JoinedPeriods, org.Count{Code: p.Code, Name: p.Name})
	}
	m.Rules = []MetaSource{{"入党时间分组", JoinedPeriodsSource}, {"年龄分组", "党内统计报表（党员队伍情况）年龄分组"}}
	return m
}

func xlsx(w http.ResponseWriter, name string, buf *bytes.Buffer) error {
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename=\"export.xlsx\"; filename*=UTF-8''"+url.PathEscape(name))
	_, err := w.Write(buf.Bytes())
	return err
}

// Register adds the member registry endpoints.
func Register(r *api.Router, s *Store, orgs *org.Store) {
	const tag = "党员"
	r.Handle(api.Route{Method: "GET", Path: "/api/v1/members/meta", Tag: tag, Summary: "党员信息表单的参照数据：代码表（附来源）、年龄段、入党时间分组",
		Response: Meta{}}, func(w http.ResponseWriter, r *http.Request) error {
		codes, err := s.Codes(r.Context())
		if err != nil {
			return err
		}
		return api.JSON(w, http.StatusOK, meta(codes))
	})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/members", Tag: tag, Summary: "党员名册（分页、搜索、筛选；个人敏感信息脱敏）",
		Perms: read, Response: api.List[Member]{}, Query: append(append([]api.Param{}, FilterParams...), api.PageParams...)},
		func(w http.ResponseWriter, r *http.Request) error {
			page, err := api.PageOf(r)
			if err != nil {
				return err
			}
			f, err := FilterOf(r)
			if err != nil {
				return err
			}
			list, err := s.List(r.Context(), f, page)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, list)
		})

	r.Handle(api.Route{Method: "POST", Path: "/api/v1/members", Tag: tag, Summary: "新增党员",
		Perms: write, Request: Input{}, Response: Detail{}, Status: http.StatusCreated},
		func(w http.ResponseWriter, r *http.Request) error {
			var in Input
			if err := api.Decode(r, &in); err != nil {
				return err
			}
			d, err := s.Create(r.Context(), in)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusCreated, d)
		})

	r.Handle(api.Route{Method: "POST", Path: "/api/v1/members/move", Tag: tag, Summary: "批量转移党员到另一个党支部（本管理范围内）",
		Perms: write, Request: MoveInput{}, Response: movedAnswer{}},
		func(w http.ResponseWriter, r *http.Request) error {
			var in MoveInput
			if err := api.Decode(r, &in); err != nil {
				return err
			}
			n, err := s.MoveOn(r.Context(), in)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, movedAnswer{n})
		})

	byID := func(method, path, summary string, perms []access.Perm, query []api.Param, req, resp any, status int, h func(r *http.Request, id int64) (any, error)) {
		r.Handle(api.Route{Method: method, Path: path, Tag: tag, Summary: summary, Perms: perms, Query: query, Request: req, Response: resp, Status: status},
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

	byID("GET", "/api/v1/members/{id}", "党员详情（含职务、奖惩、组织关系变动和党籍变动记录）", read, []api.Param{reveal1}, nil, Detail{}, 0,
		func(r *http.Request, id int64) (any, error) {
			return s.Get(r.Context(), id, r.URL.Query().Get("reveal") == "1")
		})
	byID("PATCH", "/api/v1/members/{id}", "修改党员信息（须带 version）", write, nil, Patch{}, Detail{}, 0, func(r *http.Request, id int64) (any, error) {
		var p Patch
		if err := api.Decode(r, &p); err != nil {
			return nil, err
		}
		if p.Version == 0 {
			return nil, api.FieldInvalid("version", "缺少版本号 version，请刷新页面后重试")
		}
		return s.Update(r.Context(), id, p)
	})
	byID("GET", "/api/v1/members/{id}/history", "党员的职务、奖惩和组织关系变动记录", read, nil, nil, items[History]{}, 0,
		func(r *http.Request, id int64) (any, error) {
			h, err := s.Histories(r.Context(), id)
			return items[History]{h}, err
		})
	byID("POST", "/api/v1/members/{id}/history", "新增职务、奖惩或组织关系变动记录", write, nil, HistoryInput{}, History{}, http.StatusCreated,
		func(r *http.Request, id int64) (any, error) {
			var in HistoryInput
			if err := api.Decode(r, &in); err != nil {
				return nil, err
			}
			return s.AddHistory(r.Context(), id, in)
		})
	byID("DELETE", "/api/v1/members/{id}/history/{hid}", "删除误录入的记录", write, nil, nil, nil, http.StatusNoContent,
		func(r *http.Request, id int64) (any, error) {
			hid, err := api.PathID(r, "hid")
			if err != nil {
				return nil, err
			}
			return nil, s.DeleteHistory(r.Context(), id, hid)
		})
	byID("PUT", "/api/v1/members/{id}/user", "关联或解除党员本人的账号（党员角色，用于自助服务）", write, nil, LinkInput{}, Detail{}, 0,
		func(r *http.Request, id int64) (any, error) {
			var in LinkInput
			if err := api.Decode(r, &in); err != nil {
				return nil, err
			}
			var uid int64
			if in.UserID != nil {
				uid = *in.UserID
			}
			return s.LinkUser(r.Context(), id, uid)
		})

	const statsTag = "统计"
	r.Handle(api.Route{Method: "GET", Path: "/api/v1/stats/members", Tag: statsTag, Summary: "党员队伍结构统计（性别、民族、年龄、学历、岗位、入党时间等）",
		Perms: read, Response: Stats{}, Query: []api.Param{orgOpt}},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := api.QueryID(r, "org")
			if err != nil {
				return err
			}
			st, err := s.Stats(r.Context(), id, orgs)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, st)
		})
	r.Handle(api.Route{Method: "GET", Path: "/api/v1/stats/members/export", Tag: statsTag, Summary: "导出党员队伍结构统计（Excel）",
		Perms: read, Query: []api.Param{orgOpt}, Produces: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := api.QueryID(r, "org")
			if err != nil {
				return err
			}
			scope := "本人全部管理范围"
			if id != 0 {
				o, err := orgs.Get(r.Context(), id)
				if err != nil {
					return err
				}
				scope = o.Name
			}
			var buf bytes.Buffer
			if err := s.ExportStats(r.Context(), id, orgs, scope, &buf); err != nil {
				return err
			}
			return xlsx(w, fmt.Sprintf("党员统计_%s.xlsx", time.Now().Format("20060102")), &buf)
		})

	const selfTag = "党员自助"
	r.Handle(api.Route{Method: "GET", Path: "/api/v1/me/member", Tag: selfTag, Summary: "本人的党员信息（公民身份号码默认脱敏；查看记入审计日志）",
		Perms: self, Response: MyRecord{}, Query: []api.Param{api.QString("reveal", "为 1 时显示完整的公民身份号码")}},
		func(w http.ResponseWriter, r *http.Request) error {
			d, err := s.MyRecord(r.Context(), r.URL.Query().Get("reveal") == "1")
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, d)
		})
	r.Handle(api.Route{Method: "POST", Path: "/api/v1/me/member/changes", Tag: selfTag, Summary: "提交本人信息修改：联系方式等直接生效，关键信息报党支部审核",
		Perms: self, Request: SelfChange{}, Response: SelfResult{}},
		func(w http.ResponseWriter, r *http.Request) error {
			var c SelfChange
			if err := api.Decode(r, &c); err != nil {
				return err
			}
			res, err := s.SubmitChanges(r.Context(), c)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, res)
		})
	r.Handle(api.Route{Method: "GET", Path: "/api/v1/member-changes", Tag: tag, Summary: "党员本人提交的信息修改申请（待审核等）",
		Perms: write, Response: api.List[ChangeRequest]{},
		Query: append([]api.Param{api.QInt("org", "只看该组织及其下级；不填为本人全部管理范围"),
			api.QString("status", "pending 待审核、approved 已同意、rejected 已退回；不填为全部")}, api.PageParams...)},
		func(w http.ResponseWriter, r *http.Request) error {
			page, err := api.PageOf(r)
			if err != nil {
				return err
			}
			under, err := api.QueryID(r, "org")
			if err != nil {
				return err
			}
			list, err := s.ChangeRequests(r.Context(), under, r.URL.Query().Get("status"), page)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, list)
		})
	for _, d := range []struct {
		verb    string
		approve bool
		summary string
	}{{"approve", true, "同意党员的信息修改申请（修改随即生效）"}, {"reject", false, "退回党员的信息修改申请（须写明原因）"}} {
		byID("POST", "/api/v1/member-changes/{id}/"+d.verb, d.summary, write, nil, DecisionInput{}, ChangeRequest{}, 0,
			func(r *http.Request, id int64) (any, error) {
				var in DecisionInput
				if r.ContentLength != 0 {
					if err := api.Decode(r, &in); err != nil {
						return nil, err
					}
				}
				return s.Decide(r.Context(), id, d.approve, in.Note)
			})
	}

	const codeTag = "代码表"
	r.Handle(api.Route{Method: "GET", Path: "/api/v1/codes", Tag: codeTag, Summary: "全部代码表（性别、民族、学历、工作岗位等，附标准来源）",
		Response: codesAnswer{}}, func(w http.ResponseWriter, r *http.Request) error {
		codes, err := s.Codes(r.Context())
		if err != nil {
			return err
		}
		return api.JSON(w, http.StatusOK, codesAnswer{codes.Tables()})
	})
	// Code tables are system configuration shared by every subtree: the 系统管理员 (user.manage)
	// maintains them, not the business administrators of one subtree.
	r.Handle(api.Route{Method: "PUT", Path: "/api/v1/codes/{kind}/{code}", Tag: codeTag, Summary: "修改或新增代码表条目（系统管理员）",
		Perms: []access.Perm{access.UserManage}, Request: CodeInput{}, Response: CodeTable{}},
		func(w http.ResponseWriter, r *http.Request) error {
			var in CodeInput
			if err := api.Decode(r, &in); err != nil {
				return err
			}
			t, err := s.SetCode(r.Context(), r.PathValue("kind"), r.PathValue("code"), in)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, t)
		})
}
