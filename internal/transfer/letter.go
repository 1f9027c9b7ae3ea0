package transfer

import (
	"bytes"
	"context"
	"html/template"
	"strconv"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/member"
)

// letterData is what the printed 介绍信 shows.
type letterData struct {
	T        *Transfer
	Gender   string
	Age      int
	Ethnic   string
	IDNumber string
	Revealed bool
	Dues     string
	Days     int
	Issued   string
	Until    string
	Decided  string
}

func cnDate(d civil.Date) string {
	if d.IsZero() {
		return "　　年　　月　　日"
	}
	t := d.Time()
	return strconv.Itoa(t.Year()) + "年" + strconv.Itoa(int(t.Month())) + "月" + strconv.Itoa(t.Day()) + "日"
}

func cnMonth(m string) string {
	if len(m) != 7 {
		return "　　年　　月"
	}
	mon, _ := strconv.Atoi(m[5:])
	return m[:4] + "年" + strconv.Itoa(mon) + "月"
}

// Letter renders the printable 介绍信 一式三联 (存根 / 介绍信 / 回执) of a transfer, or the record
// of a 整建制转接. The 公民身份号码 is masked unless reveal is asked and the caller holds pii.read
// on the sending or receiving organisation; a full view is audited (member.reveal).
func (s *Store) Letter(ctx context.Context, id int64, reveal bool) ([]byte, error) {
	r, err := s.find(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	ts, err := s.finish(ctx, s.db, []*row{r})
	if err != nil {
		return nil, err
	}
	t := &ts[0]
	d := letterData{T: t, IDNumber: t.IDNumber, Dues: cnMonth(t.DuesPaidTo), Issued: cnDate(t.IssuedOn), Until: cnDate(t.ValidUntil), Decided: cnDate(t.DecidedOn)}
	d.Gender = map[string]string{"1": "男", "2": "女"}[t.Gender]
	d.Ethnic = member.DefaultCodes.Name(member.KindEthnicity, t.Ethnicity)
	if !t.BirthDate.IsZero() {
		d.Age = member.Age(t.BirthDate, t.IssuedOn)
	}
	if !t.ValidUntil.IsZero() {
		d.Days = t.IssuedOn.DaysUntil(t.ValidUntil)
	}
	if reveal && t.MemberID != nil {
		if !(r.fromPath != "" && access.Covers(ctx, access.PIIRead, r.fromPath)) && !(r.toPath != "" && access.Covers(ctx, access.PIIRead, r.toPath)) {
			return nil, api.Forbidden("打印完整的公民身份号码需要“查看个人敏感信息”（pii.read）权限")
		}
		err := s.db.InTx(ctx, func(tx *db.Tx) error {
			full, err := s.members.RevealIDTx(ctx, tx, *t.MemberID, "打印组织关系介绍信 "+t.LetterNo+" 时")
			if err != nil {
				return err
			}
			d.IDNumber, d.Revealed = full, true
			return audit.Record(ctx, tx, audit.Entry{Action: "transfer.letter_reveal", Entity: "transfer", EntityID: strconv.FormatInt(t.ID, 10),
				Summary: "打印含完整公民身份号码的组织关系介绍信 " + t.LetterNo + "（党员“" + t.MemberName + "”）"})
		})
		if err != nil {
			return nil, err
		}
	}
	var b bytes.Buffer
	tpl := letterTpl
	if t.Kind == KindOrg {
		tpl = orgTpl
	}
	if err := tpl.Execute(&b, d); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

const style = `<style>
body{font-family:"SimSun","Songti SC","Noto Serif CJK SC",serif;color:#000;margin:0;padding:16px;background:#fff}
.sheet{max-width:720px;margin:0 auto}
.part{border:1px solid #000;padding:18px 24px;margin-bottom:0;page-break-inside:avoid}
.cut{border-top:1px dashed #000;margin:14px 0;text-align:center;font-size:12px;color:#444}
h1{font-size:22px;text-align:center;letter-spacing:4px;margin:4px 0 2px;color:#c00}
h2{font-size:15px;text-align:center;margin:0 0 12px;font-weight:normal}
.no{text-align:right;font-size:13px}
p{line-height:2;font-size:15px;margin:6px 0;text-indent:2em}
p.flat{text-indent:0}
.u{border-bottom:1px solid #000;padding:0 6px}
.sign{text-align:right;margin-top:18px;line-height:2}
.note{font-size:12px;color:#333;text-indent:0}
.toolbar{max-width:720px;margin:0 auto 10px;text-align:right}
@media print{.toolbar{display:none}body{padding:0}}
</style>`

var letterTpl = template.Must(template.New("letter").Parse(`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>中国共产党党员组织关系介绍信 {{.T.LetterNo}}</title>` + style + `</head><body>
<div class="toolbar"><button onclick="window.print()">打印</button></div>
<div class="sheet">
<div class="part">
<h1>中国共产党党员组织关系介绍信</h1><h2>（存　根）</h2>
<div class="no">{{.T.LetterNo}}</div>
<p class="flat"><span class="u">{{.T.MemberName}}</span>同志（{{.Gender}}，{{if .Age}}{{.Age}}岁，{{end}}{{.Ethnic}}），系中共<span class="u">{{.T.CategoryName}}</span>，公民身份号码<span class="u">{{.IDNumber}}</span>，组织关系由<span class="u">{{.T.From.Name}}</span>转到<span class="u">{{.T.To.Name}}</span>。</p>
<p class="flat">转接原因：{{.T.Reason}}　　党费交至：<span class="u">{{.Dues}}</span></p>
<p class="flat">有效期至：{{.Until}}{{if .Days}}（{{.Days}}天）{{end}}　　开具日期：{{.Issued}}　　开具人：{{.T.CreatedBy}}</p>
</div>
<div class="cut">………………………………（沿此线剪开）………………………………</div>
<div class="part">
<h1>中国共产党党员组织关系介绍信</h1><h2>（介绍信）</h2>
<div class="no">{{.T.LetterNo}}</div>
<p class="flat"><span class="u">{{.T.To.Name}}</span>：</p>
<p>兹介绍<span class="u">{{.T.MemberName}}</span>同志（{{.Gender}}，{{if .Age}}{{.Age}}岁，{{end}}{{.Ethnic}}），系中共<span class="u">{{.T.CategoryName}}</span>，公民身份号码<span class="u">{{.IDNumber}}</span>，由<span class="u">{{.T.From.Name}}</span>去<span class="u">{{.T.To.Name}}</span>，请转接组织关系。该同志党费已交到<span class="u">{{.Dues}}</span>。</p>
<p>（有效期至{{.Until}}）</p>
<div class="sign">{{.T.From.Name}}（盖章）<br>{{.Issued}}</div>
<p class="note">党员联系电话、原党组织联系电话由开具人填写于此：____________________</p>
</div>
<div class="cut">………………………………（沿此线剪开）………………………………</div>
<div class="part">
<h1>中国共产党党员组织关系介绍信</h1><h2>（回　执）</h2>
<div class="no">{{.T.LetterNo}}</div>
<p class="flat"><span class="u">{{.T.From.Name}}</span>：</p>
<p><span class="u">{{.T.MemberName}}</span>同志的党员组织关系已转达我处，特此回复。</p>
<div class="sign">{{.T.To.Name}}（盖章）<br>{{if eq .T.Status "accepted"}}{{.Decided}}{{else}}　　年　　月　　日{{end}}</div>
</div>
<p class="note">{{if .Revealed}}本页含完整的公民身份号码，已记入审计日志，请妥善保管。{{else}}公民身份号码已脱敏；打印正式介绍信时由有“查看个人敏感信息”权限的人员打印完整号码（操作将记入审计日志）。{{end}}
依据：中组部组通字〔2006〕45号（介绍信一式三联：存根、介绍信、回执）；《中国共产党党员教育管理工作条例》第二十五条（转出未被接收的，原党组织仍负管理责任）。</p>
</div></body></html>`))

var orgTpl = template.Must(template.New("org").Parse(`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>整建制转接 {{.T.LetterNo}}</title>` + style + `</head><body>
<div class="toolbar"><button onclick="window.print()">打印</button></div>
<div class="sheet"><div class="part">
<h1>党组织整建制转接记录</h1>
<div class="no">{{.T.LetterNo}}</div>
<p class="flat">转接的组织：<span class="u">{{.T.SubjectName}}</span>（含全部下级组织）</p>
<p class="flat">原上级组织：<span class="u">{{.T.From.Name}}</span></p>
<p class="flat">新上级组织：<span class="u">{{.T.To.Name}}</span></p>
<p class="flat">随组织转接的党员：<span class="u">{{.T.MemberCount}}</span>名（党籍正常）</p>
<p class="flat">原因：{{.T.Reason}}</p>
<div class="sign">办理人：{{.T.CreatedBy}}<br>{{.Issued}}</div>
</div></div></body></html>`))
