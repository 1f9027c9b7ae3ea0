package org

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
)

// Seed is one organisation of a bulk load (demo data, a migration from another system).
// Parents come before their children.
type Seed struct {
	Code, ParentCode string
	Name, ShortName  string
	Type             Type
	UnitType         UnitType
	DivisionCode     string
	EstablishedOn    civil.Date
	Units            []string
	SortOrder        int
	Term             *SeedTerm
}

// SeedTerm is the current 班子 of a seed.
type SeedTerm struct {
	ElectedOn civil.Date
	Leaders   []SeedLeader
}

// SeedLeader is one member of a seed's 班子.
type SeedLeader struct {
	Name string
	Post Post
}

// Load inserts organisations in one transaction with prepared statements — the bulk path for
// large trees, all or nothing; the organisation roll-ups are rebuilt once at the end. feed calls add for each seed. Only the command-line operator
// (access.System) may load, since a load can create roots.
func (s *Store) Load(ctx context.Context, summary string, feed func(add func(Seed) error) error) (int, error) {
	if _, all := access.Roots(ctx, access.OrgWrite); !all {
		return 0, fmt.Errorf("批量导入只能由命令行操作员执行")
	}
	n := 0
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var orgID, termID int64
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM orgs`).Scan(&orgID); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM org_terms`).Scan(&termID); err != nil {
			return err
		}
		// The organisation roll-ups are rebuilt once at the end rather than per row.
		resume, err := SuspendRollups(ctx, tx, "orgs")
		if err != nil {
			return err
		}
		insOrg, err := tx.Prepare(ctx, `INSERT INTO orgs (id, code, name, short_name, type, unit_type, division_code, parent_id, path, depth,
			sort_order, status, established_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer insOrg.Close()
		insUnit, err := tx.Prepare(ctx, `INSERT INTO org_units (org_id, seq, name) VALUES (?, ?, ?)`)
		if err != nil {
			return err
		}
		defer insUnit.Close()
		insEvent, err := tx.Prepare(ctx, `INSERT INTO org_events (org_id, at, username, kind, summary) VALUES (?, ?, 'system', 'create', ?)`)
		if err != nil {
			return err
		}
		defer insEvent.Close()
		insTerm, err := tx.Prepare(ctx, `INSERT INTO org_terms (id, org_id, elected_on, term_years, ends_on, created_at) VALUES (?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer insTerm.Close()
		insLeader, err := tx.Prepare(ctx, `INSERT INTO org_leaders (term_id, name, post, started_on, sort_order) VALUES (?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer insLeader.Close()

		type placed struct {
			id    int64
			path  string
			depth int
			typ   Type
		}
		// Codes already in the database may be parents too.
		known := map[string]placed{}
		lookup := func(code string) (placed, bool, error) {
			if p, ok := known[code]; ok {
				return p, true, nil
			}
			var p placed
			err := tx.QueryRow(ctx, `SELECT id, path, depth, type FROM orgs WHERE code = ?`, code).Scan(&p.id, &p.path, &p.depth, &p.typ)
			if err != nil {
				return p, false, nil
			}
			return p, true, nil
		}
		now := time.Now().UTC()
		add := func(sd Seed) error {
			if !sd.Type.Valid() || !sd.UnitType.Valid() || !codePattern.MatchString(sd.Code) || sd.Name == "" {
				return fmt.Errorf("第 %d 个组织 %s（%s）：类别、单位类型、代码或名称无效", n+1, sd.Code, sd.Name)
			}
			if _, dup := known[sd.Code]; dup {
				return fmt.Errorf("组织代码 %s 重复", sd.Code)
			}
			orgID++
			me := placed{id: orgID, typ: sd.Type, path: "/" + strconv.FormatInt(orgID, 10) + "/"}
			var parentID *int64
			if sd.ParentCode != "" {
				p, ok, err := lookup(sd.ParentCode)
				if err != nil {
					return err
				}
				if !ok {
					return fmt.Errorf("组织 %s 的上级 %s 不存在（上级须先于下级导入）", sd.Code, sd.ParentCode)
				}
				if !CanContain(p.typ, sd.Type) {
					return fmt.Errorf("组织 %s：%s", sd.Code, nestingError(p.typ, sd.Type))
				}
				parentID = &p.id
				me.path = p.path + strconv.FormatInt(orgID, 10) + "/"
				me.depth = p.depth + 1
			}
			if _, err := insOrg.ExecContext(ctx, orgID, sd.Code, sd.Name, sd.ShortName, sd.Type, sd.UnitType, sd.DivisionCode,
				parentID, me.path, me.depth, sd.SortOrder, sd.EstablishedOn, now, now); err != nil {
				if db.IsUniqueViolation(err) {
					return fmt.Errorf("组织代码 %s 已存在", sd.Code)
				}
				return err
			}
			known[sd.Code] = me
			for i, u := range sd.Units {
				if _, err := insUnit.ExecContext(ctx, orgID, i, u); err != nil {
					return err
				}
			}
			if _, err := insEvent.ExecContext(ctx, orgID, now, "成立（"+summary+"）"); err != nil {
				return err
			}
			if sd.Term != nil {
				termID++
				rule := termRule(sd.Type, sd.UnitType)
				if _, err := insTerm.ExecContext(ctx, termID, orgID, sd.Term.ElectedOn, rule.Value, sd.Term.ElectedOn.AddDate(rule.Value, 0, 0), now); err != nil {
					return err
				}
				for i, l := range sd.Term.Leaders {
					if _, err := insLeader.ExecContext(ctx, termID, l.Name, l.Post, sd.Term.ElectedOn, i); err != nil {
						return err
					}
				}
			}
			n++
			return nil
		}
		if err := feed(add); err != nil {
			return err
		}
		if err := resume(); err != nil {
			return err
		}
		if err := RebuildRollups(ctx, tx, "orgs"); err != nil {
			return err
		}
		if tx.Dialect == db.Postgres {
			// Ids were given explicitly: move the identity sequences past them.
			for _, t := range []string{"orgs", "org_terms"} {
				if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), (SELECT COALESCE(MAX(id), 1) FROM `+t+`))`); err != nil {
					return err
				}
			}
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "org.load", Entity: "org",
			Summary: fmt.Sprintf("批量导入组织 %d 个（%s）", n, summary)})
	})
	return n, err
}
