// Package cli is the dangjian command line: serve, migrate, user, org, demo, version.
// Every command takes --data and --db; errors end with a one-line reason and a non-zero exit.
package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/auth"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/config"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/demo"
	"github.com/dangjian/dangjian/internal/development"
	"github.com/dangjian/dangjian/internal/dues"
	"github.com/dangjian/dangjian/internal/life"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/mobility"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/pii"
	"github.com/dangjian/dangjian/internal/server"
	"github.com/dangjian/dangjian/internal/standing"
	"github.com/dangjian/dangjian/internal/transfer"
)

// Version is set at build time (-ldflags "-X github.com/dangjian/dangjian/internal/cli.Version=…").
var Version = ""

func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// App is one run of the command line.
type App struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Ready is called with the address once serve listens (tests use it).
	Ready func(addr string)
}

const usage = `dangjian — 基层党建综合管理平台

用法：dangjian [--data DIR] [--db DSN] 命令 [参数]

命令：
  serve     启动服务（默认 127.0.0.1:8080，数据目录中的 SQLite）
  migrate   升级数据库结构
  user      用户管理：user add | user passwd | user list
  org       组织：org list [--parent CODE] | org add
  demo      生成演示数据：demo --area 430702 | --city 4307 | --province 37 [--seed N] [--members-only]
  import    导入党员花名册：import members --org 组织代码 [--dry-run] [--errors 标注.xlsx] 花名册.xlsx|.csv
  export    导出党员花名册：export members --org 组织代码 [--reveal] --out 花名册.xlsx
  version   显示版本

每个命令都接受 --data（数据目录，默认 ./data）和 --db（postgres://… 使用 PostgreSQL）。
`

// Run executes args (without the program name) and returns the exit status.
func (a *App) Run(ctx context.Context, args []string) int {
	var cfg config.Config
	global := flag.NewFlagSet("dangjian", flag.ContinueOnError)
	global.SetOutput(a.Stderr)
	global.Usage = func() { fmt.Fprint(a.Stderr, usage) }
	cfg.Global(global)
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	rest := global.Args()
	if len(rest) == 0 {
		fmt.Fprint(a.Stderr, usage)
		return 2
	}
	cmd, rest := rest[0], rest[1:]
	var err error
	switch cmd {
	case "serve":
		err = a.serve(ctx, &cfg, rest)
	case "migrate":
		err = a.migrate(ctx, &cfg, rest)
	case "user":
		err = a.user(ctx, &cfg, rest)
	case "org":
		err = a.org(ctx, &cfg, rest)
	case "demo":
		err = a.demo(ctx, &cfg, rest)
	case "import":
		err = a.importMembers(ctx, &cfg, rest)
	case "export":
		err = a.exportMembers(ctx, &cfg, rest)
	case "version":
		fmt.Fprintln(a.Stdout, "dangjian", version())
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(a.Stdout, usage)
		return 0
	default:
		err = fmt.Errorf("未知命令 %q（可用：serve、migrate、user、org、demo、import、export、version）", cmd)
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(a.Stderr, "dangjian:", oneLine(err))
		return 1
	}
	return 0
}

func oneLine(err error) string {
	var e *api.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		parts := make([]string, len(e.Fields))
		for i, f := range e.Fields {
			parts[i] = f.Field + ": " + f.Message
		}
		return strings.Join(parts, "；")
	}
	return strings.ReplaceAll(err.Error(), "\n", "；")
}

// flags parses a subcommand's flags; --data and --db are accepted after the command too.
func (a *App) flags(name string, cfg *config.Config, args []string, define func(fs *flag.FlagSet)) (*flag.FlagSet, error) {
	fs := flag.NewFlagSet("dangjian "+name, flag.ContinueOnError)
	fs.SetOutput(a.Stderr)
	// Re-register the global flags with the values parsed so far as defaults.
	data, dsn, level, format, piiKey := cfg.DataDir, cfg.DB, cfg.LogLevel, cfg.LogFormat, cfg.PIIKey
	fs.StringVar(&cfg.DataDir, "data", data, "数据目录")
	fs.StringVar(&cfg.DB, "db", dsn, "数据库（postgres://… 或 SQLite 文件）")
	fs.StringVar(&cfg.LogLevel, "log-level", level, "日志级别")
	fs.StringVar(&cfg.LogFormat, "log-format", format, "日志格式")
	fs.StringVar(&cfg.PIIKey, "pii-key", piiKey, config.PIIKeyUsage)
	if define != nil {
		define(fs)
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("多余的参数：%s", strings.Join(fs.Args(), " "))
	}
	return fs, cfg.Resolve()
}

func (a *App) open(ctx context.Context, cfg *config.Config, migrate bool) (*db.DB, error) {
	d, err := db.Open(ctx, cfg.DB, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	if migrate {
		_, err = d.Migrate(ctx)
	} else {
		err = d.CheckSchema(ctx)
	}
	if err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// piiKey loads the key sealing personal data (configured, or DATA/pii.key, generated on first
// use with a loud warning to back it up).
func (a *App) piiKey(cfg *config.Config) (*pii.Key, error) {
	key, generated, err := pii.LoadKey(cfg.DataDir, cfg.PIIKey)
	if err != nil {
		return nil, err
	}
	if generated {
		fmt.Fprintln(a.Stderr, "警告："+pii.GeneratedWarning(cfg.DataDir))
	}
	return key, nil
}

// memberStore returns the member registry over d, sealing personal data with the configured
// key; the import, export and demo commands call it.
func (a *App) memberStore(ctx context.Context, cfg *config.Config, d *db.DB) (*member.Store, error) {
	key, err := a.piiKey(cfg)
	if err != nil {
		return nil, err
	}
	s := member.NewStore(d, key)
	if err := s.CheckKey(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func (a *App) serve(ctx context.Context, cfg *config.Config, args []string) error {
	if _, err := a.flags("serve", cfg, args, cfg.Server); err != nil {
		return err
	}
	log := cfg.Logger()
	slog.SetDefault(log)
	key, err := a.piiKey(cfg)
	if err != nil {
		return err
	}
	d, err := a.open(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := member.NewStore(d, key).CheckKey(ctx); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	h := server.New(d, log, server.Options{Version: version(), Auth: auth.Options{SecureCookie: cfg.SecureCookie, TrustProxy: cfg.TrustProxy}, PIIKey: key})
	where := "SQLite " + cfg.DataDir
	if d.Dialect == db.Postgres {
		where = "PostgreSQL"
	}
	return server.Serve(ctx, cfg.Addr, h, log, func(addr string) {
		log.Info("dangjian started", "version", version(), "db", where, "addr", addr)
		fmt.Fprintf(a.Stdout, "基层党建综合管理平台已启动：http://%s/ （数据库：%s；Ctrl+C 停止）\n", addr, where)
		if a.Ready != nil {
			a.Ready(addr)
		}
	})
}

func (a *App) migrate(ctx context.Context, cfg *config.Config, args []string) error {
	if _, err := a.flags("migrate", cfg, args, nil); err != nil {
		return err
	}
	d, err := db.Open(ctx, cfg.DB, cfg.DataDir)
	if err != nil {
		return err
	}
	defer d.Close()
	n, err := d.Migrate(ctx)
	if err != nil {
		return err
	}
	v, _ := d.SchemaVersion(ctx)
	fmt.Fprintf(a.Stdout, "数据库结构已是版本 %d（本次升级 %d 步）\n", v, n)
	return nil
}

func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", errors.New("--password-stdin: 标准输入中没有密码")
	}
	return pw, nil
}

func (a *App) user(ctx context.Context, cfg *config.Config, args []string) error {
	if len(args) == 0 {
		return errors.New("用法：dangjian user add|passwd|list")
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "add":
		var u auth.NewUser
		var stdin bool
		if _, err := a.flags("user add", cfg, args, func(fs *flag.FlagSet) {
			fs.StringVar(&u.Username, "username", "", "用户名")
			fs.StringVar(&u.DisplayName, "display-name", "", "姓名（默认同用户名）")
			fs.StringVar(&u.Role, "role", "", "角色："+roleCodes())
			fs.StringVar(&u.OrgCode, "org", "", "业务角色所在组织的组织代码")
			fs.BoolVar(&stdin, "password-stdin", false, "从标准输入读取密码")
		}); err != nil {
			return err
		}
		if !stdin {
			return errors.New("--password-stdin: 请用 --password-stdin 从标准输入提供密码（避免密码出现在命令历史中）")
		}
		pw, err := readPassword(a.Stdin)
		if err != nil {
			return err
		}
		u.Password = pw
		if u.DisplayName == "" {
			u.DisplayName = u.Username
		}
		d, err := a.open(ctx, cfg, true)
		if err != nil {
			return err
		}
		defer d.Close()
		if _, err := auth.AddUser(access.System(ctx), d, u); err != nil {
			return err
		}
		fmt.Fprintf(a.Stdout, "已创建用户 %s（%s）\n", u.Username, u.Role)
		return nil
	case "passwd":
		var username string
		var stdin bool
		if _, err := a.flags("user passwd", cfg, args, func(fs *flag.FlagSet) {
			fs.StringVar(&username, "username", "", "用户名")
			fs.BoolVar(&stdin, "password-stdin", false, "从标准输入读取新密码")
		}); err != nil {
			return err
		}
		if !stdin {
			return errors.New("--password-stdin: 请用 --password-stdin 从标准输入提供新密码")
		}
		pw, err := readPassword(a.Stdin)
		if err != nil {
			return err
		}
		d, err := a.open(ctx, cfg, false)
		if err != nil {
			return err
		}
		defer d.Close()
		if err := auth.SetPassword(access.System(ctx), d, username, pw); err != nil {
			return err
		}
		fmt.Fprintf(a.Stdout, "已重设 %s 的密码，其现有会话已失效\n", username)
		return nil
	case "list":
		if _, err := a.flags("user list", cfg, args, nil); err != nil {
			return err
		}
		d, err := a.open(ctx, cfg, false)
		if err != nil {
			return err
		}
		defer d.Close()
		users, err := auth.ListUsers(access.System(ctx), d)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(a.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "用户名\t姓名\t角色\t状态")
		for _, u := range users {
			var roles []string
			for _, g := range u.Roles {
				r := g.RoleName
				if g.OrgName != "" {
					r += "@" + g.OrgCode
				}
				roles = append(roles, r)
			}
			state := "正常"
			if u.Disabled {
				state = "已停用"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Username, u.DisplayName, strings.Join(roles, "，"), state)
		}
		return tw.Flush()
	}
	return fmt.Errorf("未知的 user 子命令 %q（可用：add、passwd、list）", sub)
}

func roleCodes() string {
	codes := make([]string, len(access.Roles))
	for i, r := range access.Roles {
		codes[i] = r.Code
	}
	return strings.Join(codes, ", ")
}

func (a *App) org(ctx context.Context, cfg *config.Config, args []string) error {
	if len(args) == 0 {
		return errors.New("用法：dangjian org list [--parent CODE] | org add --code C --name N --type T --unit-type U [--parent CODE]")
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "list":
		var parent string
		if _, err := a.flags("org list", cfg, args, func(fs *flag.FlagSet) {
			fs.StringVar(&parent, "parent", "", "上级组织代码；不填列出根组织")
		}); err != nil {
			return err
		}
		d, err := a.open(ctx, cfg, false)
		if err != nil {
			return err
		}
		defer d.Close()
		s := org.NewStore(d)
		sys := access.System(ctx)
		var parentID int64
		if parent != "" {
			p, err := s.GetByCode(sys, parent)
			if err != nil {
				return fmt.Errorf("--parent: 组织代码 %q 不存在", parent)
			}
			parentID = p.ID
		}
		nodes, err := s.Tree(sys, parentID, true)
		if err != nil {
			return err
		}
		w := bufio.NewWriter(a.Stdout)
		for _, n := range nodes {
			fmt.Fprintf(w, "%s\t%s\t%s\n", n.Code, n.TypeName, n.Name)
		}
		return w.Flush()
	case "add":
		var in org.CreateInput
		var parent, typ, unit, established string
		if _, err := a.flags("org add", cfg, args, func(fs *flag.FlagSet) {
			fs.StringVar(&in.Code, "code", "", "组织代码")
			fs.StringVar(&in.Name, "name", "", "组织全称")
			fs.StringVar(&in.ShortName, "short-name", "", "简称")
			fs.StringVar(&typ, "type", "", "组织类别：committee 党委、working_committee 党工委、leading_group 党组、general_branch 党总支、branch 党支部、joint_branch 联合党支部、temporary_branch 临时党支部、group 党小组")
			fs.StringVar(&unit, "unit-type", "", "所在单位类型：local、street、township、village、community、organ、institution、school、soe、collective、private、social、other")
			fs.StringVar(&in.DivisionCode, "division", "", "统计用区划代码")
			fs.StringVar(&parent, "parent", "", "上级组织代码；不填则为根组织")
			fs.StringVar(&established, "established", "", "成立日期 YYYY-MM-DD")
		}); err != nil {
			return err
		}
		in.Type, in.UnitType = org.Type(typ), org.UnitType(unit)
		var err error
		if in.EstablishedOn, err = civil.Parse(established); err != nil {
			return fmt.Errorf("--established: %v", err)
		}
		d, err := a.open(ctx, cfg, true)
		if err != nil {
			return err
		}
		defer d.Close()
		s := org.NewStore(d)
		sys := access.System(ctx)
		if parent != "" {
			p, err := s.GetByCode(sys, parent)
			if err != nil {
				return fmt.Errorf("--parent: 组织代码 %q 不存在", parent)
			}
			in.ParentID = p.ID
		}
		o, err := s.Create(sys, in)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.Stdout, "%s\t%s\t%s\n", o.Code, o.TypeName, o.Name)
		return nil
	}
	return fmt.Errorf("未知的 org 子命令 %q（可用：list、add）", sub)
}

// DemoPassword is the password of every demo account; demo data is for trying the platform,
// never for production.
const DemoPassword = "Dangjian@2026"

func (a *App) demo(ctx context.Context, cfg *config.Config, args []string) error {
	var opt demo.Options
	var membersOnly bool
	if _, err := a.flags("demo", cfg, args, func(fs *flag.FlagSet) {
		fs.StringVar(&opt.Area, "area", "", "区县代码（6位），如 430702 武陵区")
		fs.StringVar(&opt.City, "city", "", "地市代码（4位），如 4307 常德市")
		fs.StringVar(&opt.Province, "province", "", "省份代码（2位），如 37 山东省")
		fs.Int64Var(&opt.Seed, "seed", 1, "随机种子：相同种子生成相同数据")
		fs.BoolVar(&membersOnly, "members-only", false, "只生成组织和党员，不生成组织生活、党费的演示记录（大数据量的性能测试用）")
	}); err != nil {
		return err
	}
	if err := opt.Validate(); err != nil {
		return err
	}
	opt.Today = civil.Today().Time() // the day the member registry checks dates against
	d, err := a.open(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer d.Close()
	sys := access.System(ctx)
	var existing int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM orgs`).Scan(&existing); err != nil {
		return err
	}
	if existing > 0 {
		return fmt.Errorf("数据库中已有 %d 个组织；演示数据只能导入空库（请换一个 --data 目录）", existing)
	}
	ms, err := a.memberStore(ctx, cfg, d)
	if err != nil {
		return err
	}
	start := time.Now()
	s := org.NewStore(d)
	var rootCode, firstChild string
	n, err := s.Load(sys, "演示数据", func(add func(org.Seed) error) error {
		return demo.Generate(opt, func(o demo.Org) error {
			switch {
			case o.ParentCode == "":
				rootCode = o.Code
			case o.ParentCode == rootCode && firstChild == "":
				firstChild = o.Code
			}
			return add(seedOf(o))
		})
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(a.Stdout, "已生成 %d 个党组织（用时 %s）\n", n, time.Since(start).Round(time.Millisecond))
	// The members of every 支部: the same tree once more (it is deterministic), streamed into
	// the registry's bulk path with each 支部's database id.
	start = time.Now()
	branchIDs := map[string]int64{}
	rows, err := d.Query(ctx, `SELECT code, id FROM orgs WHERE type IN (?, ?, ?)`,
		org.TypeBranch, org.TypeJointBranch, org.TypeTemporaryBranch)
	if err != nil {
		return err
	}
	for rows.Next() {
		var code string
		var id int64
		if err := rows.Scan(&code, &id); err != nil {
			rows.Close()
			return err
		}
		branchIDs[code] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	log := cfg.Logger() // --log-level debug shows the phases of the bulk load
	member.BulkPhases = func(phase string, took time.Duration) {
		log.Debug("bulk load phase", "phase", phase, "took", took.Round(time.Millisecond))
	}
	defer func() { member.BulkPhases = nil }()
	next, stop := demo.PullMembers(opt, func(code string) int64 { return branchIDs[code] })
	members, err := ms.BulkLoad(sys, next)
	stop()
	if err != nil {
		return fmt.Errorf("导入演示党员：%w", err)
	}
	count := fmt.Sprint(members)
	for i := len(count) - 3; i > 0; i -= 3 {
		count = count[:i] + "," + count[i:]
	}
	fmt.Fprintf(a.Stdout, "已生成党员 %s 名（用时 %s）\n", count, time.Since(start).Round(time.Millisecond))
	if !membersOnly {
		// A past year of 组织生活 and 党费 for every 支部: the tree once more, each 支部's meetings
		// and books loaded in a transaction of its own through the life and dues stores' checks.
		start = time.Now()
		key, err := a.piiKey(cfg)
		if err != nil {
			return err
		}
		ls, ds := life.NewStore(d, s), dues.NewStore(d, key)
		orgIDs := map[string]int64{}
		rows, err = d.Query(ctx, `SELECT code, id FROM orgs WHERE type IN (?, ?, ?, ?)`,
			org.TypeBranch, org.TypeJointBranch, org.TypeTemporaryBranch, org.TypeGroup)
		if err != nil {
			return err
		}
		for rows.Next() {
			var code string
			var id int64
			if err := rows.Scan(&code, &id); err != nil {
				rows.Close()
				return err
			}
			orgIDs[code] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		var meetings, standards, payments int
		err = demo.GenerateActivity(opt, func(act *demo.Activity) error {
			branch := orgIDs[act.Branch.Code]
			// The 支部's members in the order they were generated (and loaded).
			var ids []int64
			mrows, err := d.Query(ctx, `SELECT id, name FROM members WHERE org_id = ? ORDER BY id`, branch)
			if err != nil {
				return err
			}
			for i := 0; mrows.Next(); i++ {
				var id int64
				var name string
				if err := mrows.Scan(&id, &name); err != nil {
					mrows.Close()
					return err
				}
				if i >= len(act.Members) || act.Members[i].Name != name {
					mrows.Close()
					return fmt.Errorf("%s的党员名册与生成的不一致（第 %d 名 %s）", act.Branch.Name, i+1, name)
				}
				ids = append(ids, id)
			}
			mrows.Close()
			if err := mrows.Err(); err != nil {
				return err
			}
			if len(ids) != len(act.Members) {
				return fmt.Errorf("%s有党员 %d 名，生成的为 %d 名", act.Branch.Name, len(ids), len(act.Members))
			}
			ins := make([]life.MeetingInput, 0, len(act.Meetings))
			for _, m := range act.Meetings {
				in := life.MeetingInput{OrgID: orgIDs[m.OrgCode], Type: m.Type, HeldOn: m.HeldOn, Topic: m.Topic, Place: m.Place, Host: m.Host}
				for _, at := range m.Attendance {
					in.Attendance = append(in.Attendance, life.AttendanceInput{MemberID: ids[at.Member], Status: at.Status, Reason: at.Reason})
				}
				ins = append(ins, in)
			}
			n, err := ls.LoadMeetings(sys, act.Branch.Name, ins)
			if err != nil {
				return fmt.Errorf("导入演示会议记录：%w", err)
			}
			meetings += n
			hist := make([]dues.History, 0, len(act.Dues))
			for _, du := range act.Dues {
				h := dues.History{MemberID: ids[du.Member], Standard: dues.StandardInput{From: dues.MonthOf(du.From),
					Category: dues.Category(du.Category), BaseFen: du.BaseFen, FixedFen: du.FixedFen, Note: "演示数据"}}
				for _, p := range du.Paid {
					h.Paid = append(h.Paid, dues.PaidMonth{Month: dues.MonthOf(p.Month), PaidOn: p.PaidOn, Method: p.Method})
				}
				hist = append(hist, h)
			}
			ns, np, err := ds.LoadHistory(sys, branch, hist)
			if err != nil {
				return fmt.Errorf("导入%s的演示党费记录：%w", act.Branch.Name, err)
			}
			standards += ns
			payments += np
			return nil
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(a.Stdout, "已生成会议 %d 次、党费记录 %d 条（党费标准 %d 人，用时 %s）\n", meetings, payments, standards,
			time.Since(start).Round(time.Millisecond))
	}
	if !membersOnly {
		// A year of 党籍 changes and transfers in the first 街道, through the stores: the
		// 党员数量变化 table has something to show.
		root, err := s.GetByCode(sys, rootCode)
		if err != nil {
			return err
		}
		street, err := s.GetByCode(sys, firstChild)
		if err != nil {
			return err
		}
		today := civil.Today()
		key, err := a.piiKey(cfg)
		if err != nil {
			return err
		}
		// 发展党员 first: the 审批 writes develop rows, some of them last year, before the year
		// is frozen.
		start = time.Now()
		dev := development.NewStore(d, key)
		dev.Today = func() civil.Date { return today }
		work, err := demo.Development(sys, d, dev, street.ID, today)
		if err != nil {
			return fmt.Errorf("演示发展党员：%w", err)
		}
		took := time.Since(start)
		ss := standing.NewStore(d, ms)
		sum, err := demo.Lifecycle(sys, d, ms, ss, root.ID, street.ID, today)
		if err != nil {
			return fmt.Errorf("演示党籍变动：%w", err)
		}
		fmt.Fprintln(a.Stdout, sum)
		// Then the work in progress: letters of 转接, 流动 and 失联 members.
		ts := transfer.NewStore(d, ms, s)
		ts.Today = func() civil.Date { return today }
		mob := mobility.NewStore(d, ms, key)
		mob.Today = func() civil.Date { return today }
		start = time.Now()
		if err := demo.Casework(sys, d, ts, mob, street.ID, today, &work); err != nil {
			return fmt.Errorf("演示转接和流动党员：%w", err)
		}
		fmt.Fprintf(a.Stdout, "%s（用时 %s）\n", work, (took + time.Since(start)).Round(time.Millisecond))
	}
	accounts := []auth.NewUser{
		{Username: "admin", DisplayName: "组织部管理员", Role: "org-admin", OrgCode: rootCode},
		{Username: "jiedao", DisplayName: "街道管理员", Role: "org-admin", OrgCode: firstChild},
		{Username: "viewer", DisplayName: "查看员", Role: "org-viewer", OrgCode: rootCode},
		{Username: "sysadmin", DisplayName: "系统管理员", Role: "system-admin"},
		{Username: "secadmin", DisplayName: "安全保密管理员", Role: "security-admin"},
		{Username: "auditor", DisplayName: "安全审计员", Role: "auditor"},
	}
	tw := tabwriter.NewWriter(a.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "演示账号\t角色\t管理范围")
	for _, u := range accounts {
		u.Password = DemoPassword
		if _, err := auth.AddUser(sys, d, u); err != nil {
			return fmt.Errorf("创建演示账号 %s: %w", u.Username, err)
		}
		r, _ := access.RoleByCode(u.Role)
		scope := "全局"
		if u.OrgCode != "" {
			o, _ := s.GetByCode(sys, u.OrgCode)
			scope = o.Name
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", u.Username, r.Name, scope)
	}
	// One member of the 街道 gets an account, to try the self-service pages.
	if first, err := s.GetByCode(sys, firstChild); err == nil {
		page, err := ms.List(sys, member.ListFilter{Under: first.ID}, api.Paging{Page: 1, Size: 1})
		if err == nil && len(page.Items) == 1 {
			m := page.Items[0]
			u, err := auth.AddUser(sys, d, auth.NewUser{Username: "dangyuan", DisplayName: m.Name, Role: "member", OrgCode: m.OrgCode, Password: DemoPassword})
			if err != nil {
				return fmt.Errorf("创建演示账号 dangyuan: %w", err)
			}
			if _, err := ms.LinkUser(sys, m.ID, u.ID); err != nil {
				return fmt.Errorf("关联演示党员账号: %w", err)
			}
			fmt.Fprintf(tw, "dangyuan\t党员\t本人（%s，%s）\n", m.Name, m.OrgName)
		}
	}
	tw.Flush()
	fmt.Fprintf(a.Stdout, "演示账号的密码均为 %s（仅供体验，请勿用于正式环境）\n", DemoPassword)
	slog.Debug("demo loaded", "orgs", n, "members", members)
	return nil
}

func seedOf(o demo.Org) org.Seed {
	s := org.Seed{Code: o.Code, ParentCode: o.ParentCode, Name: o.Name, ShortName: o.ShortName, Type: o.Type,
		UnitType: o.UnitType, DivisionCode: o.DivisionCode, EstablishedOn: civil.Of(o.EstablishedOn), Units: o.Units, SortOrder: o.SortOrder}
	if o.Term != nil {
		t := &org.SeedTerm{ElectedOn: civil.Of(o.Term.ElectedOn)}
		for _, l := range o.Term.Leaders {
			t.Leaders = append(t.Leaders, org.SeedLeader{Name: l.Name, Post: l.Post})
		}
		s.Term = t
	}
	return s
}
