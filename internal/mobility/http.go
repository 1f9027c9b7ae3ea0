package mobility

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
)

var (
	read  = []access.Perm{access.OrgRead}
	write = []access.Perm{access.OrgWrite}
)

type items[T any] struct {
	Items []T `json:"items"`
}

// PhoneAnswer is a contact's full phone number.
type PhoneAnswer struct {
	Phone string `json:"phone"`
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Register adds the 流动党员 and 失联党员 endpoints.
func Register(r *api.Router, s *Store) {
	const tag = "流动和失联党员"
	orgParam := api.QInt("org", "子树的根组织编号；不填为本人全部管理范围")
	act := func(path, summary string, req any, do func(ctx context.Context, id int64, r *http.Request) (*Record, error)) {
		r.Handle(api.Route{Method: "POST", Path: "/api/v1/mobility/members/{id}/" + path, Tag: tag, Summary: summary,
			Perms: write, Request: req, Response: Record{}},
			func(w http.ResponseWriter, r *http.Request) error {
				id, err := api.PathID(r, "id")
				if err != nil {
					return err
				}
				rec, err := do(r.Context(), id, r)
				if err != nil {
					return err
				}
				return api.JSON(w, http.StatusOK, rec)
			})
	}

	r.Serve(api.Route{Method: "GET", Path: "/api/v1/mobility/meta", Tag: tag, Summary: "流动、失联党员的代码表（外出流向、外出原因、失联情形、处理方式、失联时长）和规则依据",
		Perms: read, Response: Meta{}},
		func(r *http.Request) (any, error) {
			return s.Meta(r.Context())
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/mobility/members/{id}", Tag: tag, Summary: "党员的流动、失联档案：外出记录、失联记录和查找记录、推算的失去联系日期及其依据",
		Perms: read, Response: Record{}},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := api.PathID(r, "id")
			if err != nil {
				return err
			}
			rec, err := s.Get(r.Context(), id)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, rec)
		})

	act("outing", "登记外出（流动党员）：外出日期、流向、原因、流入地党组织及联系人、活动证", OutingInput{},
		func(ctx context.Context, id int64, r *http.Request) (*Record, error) {
			var in OutingInput
			if err := api.Decode(r, &in); err != nil {
				return nil, err
			}
			return s.Go(ctx, id, in)
		})
	act("return", "登记返回：结束外出，不再是流动党员", ReturnInput{},
		func(ctx context.Context, id int64, r *http.Request) (*Record, error) {
			var in ReturnInput
			if err := api.Decode(r, &in); err != nil {
				return nil, err
			}
			return s.Return(ctx, id, in)
		})
	act("lost", "标记失联：失联情形和失去联系日期（不填按最近一次组织生活或交纳党费推算）", LostInput{},
		func(ctx context.Context, id int64, r *http.Request) (*Record, error) {
			var in LostInput
			if err := api.Decode(r, &in); err != nil {
				return nil, err
			}
			return s.MarkLost(ctx, id, in)
		})
	act("searches", "登记查找记录（日期、方式、结果、查找人）", SearchInput{},
		func(ctx context.Context, id int64, r *http.Request) (*Record, error) {
			var in SearchInput
			if err := api.Decode(r, &in); err != nil {
				return nil, err
			}
			return s.AddSearch(ctx, id, in)
		})
	act("restore", "登记恢复联系及处理方式（重新纳入管理、限期改正、按规定处置）", RestoreInput{},
		func(ctx context.Context, id int64, r *http.Request) (*Record, error) {
			var in RestoreInput
			if err := api.Decode(r, &in); err != nil {
				return nil, err
			}
			return s.Restore(ctx, id, in)
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/mobility/outings/{id}/phone", Tag: tag, Summary: "查看外出登记中流入地联系人的完整电话（需个人信息查看权限，记入审计）",
		Perms: []access.Perm{access.PIIRead}, Response: PhoneAnswer{}},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := api.PathID(r, "id")
			if err != nil {
				return err
			}
			p, err := s.RevealPhone(r.Context(), id)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, PhoneAnswer{p})
		})

	outingQuery := append([]api.Param{orgParam, api.QString("status", "open 未返回（默认）、returned 已返回、all"),
		api.QString("scope", "外出流向"), api.QString("q", "姓名或流入地")}, api.PageParams...)
	outings := func(hosted bool) api.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) error {
			page, err := api.PageOf(r)
			if err != nil {
				return err
			}
			f, err := outingFilter(r, hosted)
			if err != nil {
				return err
			}
			l, err := s.Outings(r.Context(), f, page)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, l)
		}
	}
	r.Handle(api.Route{Method: "GET", Path: "/api/v1/mobility/outings", Tag: tag, Summary: "流出党员列表（外出流向、持活动证、外出6个月以上的统计）",
		Perms: read, Query: outingQuery, Response: OutingList{}}, outings(false))
	r.Handle(api.Route{Method: "GET", Path: "/api/v1/mobility/hosted", Tag: tag, Summary: "流入党员列表：流入地党组织为本管理范围内组织的外出党员",
		Perms: read, Query: outingQuery, Response: OutingList{}}, outings(true))

	lossQuery := append([]api.Param{orgParam, api.QString("status", "open 未恢复联系（默认）、found 已恢复联系、all"),
		api.QString("band", "失联时长：under6m、6m-1y、1-5y、6-10y、11y"), api.QString("situation", "失联情形代码 1–7"), api.QString("q", "姓名")}, api.PageParams...)
	r.Handle(api.Route{Method: "GET", Path: "/api/v1/mobility/losses", Tag: tag, Summary: "失联党员列表（按失联时长、失联情形统计）",
		Perms: read, Query: lossQuery, Response: LossList{}},
		func(w http.ResponseWriter, r *http.Request) error {
			page, err := api.PageOf(r)
			if err != nil {
				return err
			}
			f, err := lossFilter(r)
			if err != nil {
				return err
			}
			l, err := s.Losses(r.Context(), f, page)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, l)
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/mobility/proposals", Tag: tag,
		Summary: "待处理建议：应转移组织关系、停止党籍、按自行脱党除名（各附规则依据和办理入口）",
		Perms:   read, Query: []api.Param{orgParam}, Response: items[Proposal]{}},
		func(w http.ResponseWriter, r *http.Request) error {
			id, err := api.QueryID(r, "org")
			if err != nil {
				return err
			}
			l, err := s.Proposals(r.Context(), id)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, items[Proposal]{l})
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/mobility/screening", Tag: tag,
		Summary: "应核实名单：6个月以来既无组织生活出席记录、也无党费交纳记录的党员（只供核实，不自动处理）",
		Perms:   read, Query: append([]api.Param{orgParam}, api.PageParams...), Response: api.List[Unchecked]{}},
		func(w http.ResponseWriter, r *http.Request) error {
			page, err := api.PageOf(r)
			if err != nil {
				return err
			}
			id, err := api.QueryID(r, "org")
			if err != nil {
				return err
			}
			l, err := s.Screening(r.Context(), id, page)
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, l)
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/mobility/host-orgs", Tag: tag, Summary: "按名称或代码查找流入地党组织（全系统，只返回名称和代码）",
		Perms: write, Query: []api.Param{api.QString("q", "组织名称（至少两个字）或组织代码")}, Response: items[OrgRef]{}},
		func(w http.ResponseWriter, r *http.Request) error {
			l, err := s.HostOrgs(r.Context(), r.URL.Query().Get("q"))
			if err != nil {
				return err
			}
			return api.JSON(w, http.StatusOK, items[OrgRef]{l})
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/mobility/outings/export", Tag: tag, Summary: "导出流出或流入党员列表（Excel）",
		Perms: read, Query: append(outingQuery[:4:4], api.QString("hosted", "1 导出流入党员")), Produces: xlsxType},
		func(w http.ResponseWriter, r *http.Request) error {
			hosted := r.URL.Query().Get("hosted") == "1"
			f, err := outingFilter(r, hosted)
			if err != nil {
				return err
			}
			l, err := s.Outings(r.Context(), f, api.Paging{Page: 1})
			if err != nil {
				return err
			}
			name := "流出党员"
			if hosted {
				name = "流入党员"
			}
			return writeXLSX(w, name, []string{"姓名", "性别", "所在党支部", "外出日期", "已外出（月）", "外出流向", "流入地", "外出原因", "流入地党组织",
				"联系人", "联系电话", "持活动证", "活动证编号", "地点相对固定", "预计返回", "返回日期"}, len(l.Items), func(i int) []any {
				x := l.Items[i]
				return []any{x.Member.Name, x.Member.GenderName, x.Member.Org.Name, x.LeftOn.String(), x.Months, x.ScopeName, x.Place, x.ReasonName,
					x.HostName, x.HostContact, x.HostPhone, yes(x.HasCard), x.CardNo, yes(x.FixedPlace), x.ExpectedBack.String(), x.ReturnedOn.String()}
			})
		})

	r.Handle(api.Route{Method: "GET", Path: "/api/v1/mobility/losses/export", Tag: tag, Summary: "导出失联党员列表（Excel）",
		Perms: read, Query: lossQuery[:5:5], Produces: xlsxType},
		func(w http.ResponseWriter, r *http.Request) error {
			f, err := lossFilter(r)
			if err != nil {
				return err
			}
			l, err := s.Losses(r.Context(), f, api.Paging{Page: 1})
			if err != nil {
				return err
			}
			return writeXLSX(w, "失联党员", []string{"姓名", "性别", "所在党支部", "失去联系日期", "起算依据", "失联时长", "失联（月）", "失联情形",
				"查找次数", "恢复联系日期", "处理方式"}, len(l.Items), func(i int) []any {
				x := l.Items[i]
				return []any{x.Member.Name, x.Member.GenderName, x.Member.Org.Name, x.LostOn.String(), x.BasisNote, x.BandName, x.Months, x.SituationName,
					x.SearchCount, x.FoundOn.String(), x.OutcomeName}
			})
		})
}

func yes(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

func outingFilter(r *http.Request, hosted bool) (OutingFilter, error) {
	q := r.URL.Query()
	f := OutingFilter{Hosted: hosted, Status: q.Get("status"), Scope: q.Get("scope"), Q: q.Get("q")}
	var err error
	f.Under, err = api.QueryID(r, "org")
	return f, err
}

func lossFilter(r *http.Request) (LossFilter, error) {
	q := r.URL.Query()
	f := LossFilter{Status: q.Get("status"), Band: q.Get("band"), Situation: q.Get("situation"), Q: q.Get("q")}
	var err error
	f.Under, err = api.QueryID(r, "org")
	return f, err
}

func writeXLSX(w http.ResponseWriter, sheet string, header []string, n int, row func(int) []any) error {
	x := excelize.NewFile()
	defer x.Close()
	x.SetSheetName("Sheet1", sheet)
	put := func(r int, vals []any) {
		for c, v := range vals {
			cell, _ := excelize.CoordinatesToCellName(c+1, r)
			x.SetCellValue(sheet, cell, v)
		}
	}
	hv := make([]any, len(header))
	for i, h := range header {
		hv[i] = h
	}
	put(1, hv)
	for i := 0; i < n; i++ {
		put(i+2, row(i))
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		return err
	}
	name := fmt.Sprintf("%s_%s.xlsx", sheet, time.Now().Format("20060102"))
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", "attachment; filename=\"export.xlsx\"; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, err := w.Write(buf.Bytes())
	return err
}
