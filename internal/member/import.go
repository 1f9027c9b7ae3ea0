package member

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/org"
)

// ImportRow is one row of an imported roster.
type ImportRow struct {
	Row   int    // the sheet's row number, for messages
	Org   string // 所在党支部 by 组织代码 or name; "" = the import's root itself
	Input Input
}

// RowError is a problem with one row; Field is the JSON field name ("org" for the 所在党支部).
type RowError struct {
	Row     int    `json:"row"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// RowChange says which fields a re-import changed in an existing member.
type RowChange struct {
	Row      int      `json:"row"`
	MemberID int64    `json:"member_id"`
	Name     string   `json:"name"`
	Fields   []string `json:"fields"`
}

// ImportResult is the outcome of an import: either Errors (and nothing saved) or the counts.
type ImportResult struct {
	Created   int         `json:"created"`
	Updated   int         `json:"updated"`
	Unchanged int         `json:"unchanged"`
	Changes   []RowChange `json:"changes"`
	Errors    []RowError  `json:"errors"`
}

var errRowsInvalid = errors.New("rows invalid")

// Import saves a roster under the organisation under, all or nothing. Every row is checked
// first (Check, the 所在党支部 inside under and inside the caller's write scope, 公民身份号码
// repeated in the file or registered in a subtree the caller cannot change); if any row has
// an error nothing is saved and the errors come back with a nil error. Otherwise, in one
// transaction, new members are created and existing ones (same 公民身份号码) updated in place,
// with the changed fields reported; one member.import audit entry records the counts.
func (s *Store) Import(ctx context.Context, under int64, rows []ImportRow) (*ImportResult, error) {
	return s.importRows(ctx, under, rows, false)
}

// CheckImport is Import without saving: the same checks and the same counts (what would be
// created, updated or left unchanged), then the transaction is rolled back.
func (s *Store) CheckImport(ctx context.Context, under int64, rows []ImportRow) (*ImportResult, error) {
	return s.importRows(ctx, under, rows, true)
}

var errDryRun = errors.New("dry run")

func (s *Store) importRows(ctx context.Context, under int64, rows []ImportRow, dryRun bool) (*ImportResult, error) {
	res := &ImportResult{Changes: []RowChange{}, Errors: []RowError{}}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var root org.Org
		var rootType org.Type
		err := tx.QueryRow(ctx, `SELECT id, code, name, path, type, parent_id FROM orgs WHERE id = ?`, under).
			Scan(&root.ID, &root.Code, &root.Name, &root.Path, &rootType, &root.ParentID)
		if err != nil || !access.Covers(ctx, access.OrgRead, root.Path) {
			return api.NotFound("组织不存在，或不在您的管理范围内")
		}
		if !access.Covers(ctx, access.OrgWrite, root.Path) {
			return api.Forbidden("您对“" + root.Name + "”只有查看权限，不能导入党员")
		}
		branches, err := branchesUnder(ctx, tx, root.Path)
		if err != nil {
			return err
		}
		codes, err := loadCodes(ctx, tx)
		if err != nil {
			return err
		}
		fail := func(row int, field, msg string) { res.Errors = append(res.Errors, RowError{row, field, msg}) }
		type planned struct {
			row   ImportRow
			b     *branch
			seal  sealed
			exist *row
		}
		plan := make([]planned, 0, len(rows))
		firstRow := map[string]int{}
		today := s.Today()
		for _, r := range rows {
			in := r.Input
			fields, _ := CheckWith(&in, today, codes)
			for _, f := range fields {
				fail(r.Row, f.Field, f.Message)
			}
			b, msg := branches.resolve(r.Org, root.ID)
			if msg != "" {
				fail(r.Row, "org", msg)
			} else {
				in.OrgID = b.id
			}
			p, err := s.seal(&in)
			if err != nil {
				return err
			}
			if !fields.Has("id_number") {
				if first, dup := firstRow[p.idHash]; dup {
					fail(r.Row, "id_number", fmt.Sprintf("与第 %d 行的公民身份号码重复", first))
				} else {
					firstRow[p.idHash] = r.Row
				}
			}
			r.Input = in
			plan = append(plan, planned{row: r, b: b, seal: p})
		}
		// Members already registered, found by hash in batches.
		existing := map[string]*row{}
		hashes := make([]string, 0, len(firstRow))
		for h := range firstRow {
			hashes = append(hashes, h)
		}
		for len(hashes) > 0 {
			n := min(len(hashes), 500)
			batch := hashes[:n]
			hashes = hashes[n:]
			args := make([]any, len(batch))
			for i, h := range batch {
				args[i] = h
			}
			q, err := tx.Query(ctx, memberSelect+` WHERE m.id_hash IN (`+strings.TrimSuffix(strings.Repeat("?,", n), ",")+`)`, args...)
			if err != nil {
				return err
			}
			for q.Next() {
				r, err := scanRow(q)
				if err != nil {
					q.Close()
					return err
				}
				p, err := s.key.Open(r.idCipher)
				if err != nil {
					q.Close()
					return err
				}
				existing[s.key.Hash(p)] = r
			}
			q.Close()
			if err := q.Err(); err != nil {
				return err
			}
		}
		for i := range plan {
			p := &plan[i]
			ex := existing[p.seal.idHash]
			if ex == nil || firstRow[p.seal.idHash] != p.row.Row {
				continue
			}
			switch {
			case !access.Covers(ctx, access.OrgWrite, ex.path):
				fail(p.row.Row, "id_number", duplicateIDMessage(""))
			case !strings.HasPrefix(ex.path, root.Path):
				fail(p.row.Row, "id_number", "该公民身份号码已登记在“"+ex.OrgName+"”（不在本次导入的“"+root.Name+"”范围内），请先办理组织关系转移")
			default:
				p.exist = ex
			}
		}
		if len(res.Errors) > 0 {
			return errRowsInvalid
		}
		if err := org.LockRollups(ctx, tx); err != nil {
			return err
		}
		now := time.Now().UTC()
		ins, err := tx.Prepare(ctx, insertSQL+` RETURNING id`)
		if err != nil {
			return err
		}
		defer ins.Close()
		touched := map[int64]bool{}
		for _, p := range plan {
			in := p.row.Input
			if p.exist == nil {
				var id int64
				if err := ins.QueryRowContext(ctx, insertArgs(&in, p.b.path, p.seal, now)...).Scan(&id); err != nil {
					if db.IsUniqueViolation(err) {
						return api.Conflict(fmt.Sprintf("第 %d 行：公民身份号码刚被他人登记，请重新导入", p.row.Row))
					}
					return err
				}
				// Like Create: a member who joined this year is 新发展 (a row of 本年增加); an older
				// member is 补录 and writes none.
				if kind, counted := addedAs(in, today); counted && kind == EventDevelop {
					if err := RecordEvent(ctx, tx, Event{MemberID: id, On: in.JoinedOn, Kind: kind, ToPath: p.b.path, Ref: "import"}); err != nil {
						return err
					}
				}
				touched[p.b.id] = true
				res.Created++
				continue
			}
			ex := p.exist
			old, err := s.input(ex)
			if err != nil {
				return err
			}
			CheckWith(&old, today, codes)
			fields := changed(&old, &in)
			if len(fields) == 0 {
				res.Unchanged++
				continue
			}
			if _, err := tx.Exec(ctx, updateSQL, updateArgs(&in, p.seal, now, ex.ID)...); err != nil {
				return err
			}
			if in.OrgID != ex.OrgID {
				if _, err := tx.Exec(ctx, `UPDATE members SET org_id = ?, org_path = ? WHERE id = ?`, in.OrgID, p.b.path, ex.ID); err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, `INSERT INTO member_history (member_id, kind, started_on, title, detail, created_at) VALUES (?, 'transfer', ?, ?, ?, ?)`,
					ex.ID, today, "组织关系转接", "导入时由“"+ex.OrgName+"”调整到“"+p.b.name+"”", now); err != nil {
					return err
				}
			}
			touched[ex.OrgID], touched[p.b.id] = true, true
			res.Updated++
			res.Changes = append(res.Changes, RowChange{Row: p.row.Row, MemberID: ex.ID, Name: in.Name, Fields: fields})
		}
		ids := make([]int64, 0, len(touched))
		for id := range touched {
			ids = append(ids, id)
		}
		if dryRun {
			return errDryRun
		}
		if err := org.RecountMembers(ctx, tx, ids...); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "member.import", Entity: "org", EntityID: itoa(root.ID),
			Summary: fmt.Sprintf("向“%s”导入党员 %d 行：新增 %d、更新 %d、无变化 %d", root.Name, len(rows), res.Created, res.Updated, res.Unchanged),
			After:   map[string]any{"rows": len(rows), "created": res.Created, "updated": res.Updated, "unchanged": res.Unchanged}})
	})
	if errors.Is(err, errDryRun) {
		return res, nil
	}
	if errors.Is(err, errRowsInvalid) {
		return &ImportResult{Changes: []RowChange{}, Errors: res.Errors}, nil
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// branchSet is the organisations of a subtree members may be placed in, by code and name.
type branchSet struct {
	byID   map[int64]*branch
	byCode map[string]*branch
	byName map[string][]*branch
	// groups map a 党小组 (by code or name) to its branch.
	groupOf map[string]int64
}

func branchesUnder(ctx context.Context, tx *db.Tx, path string) (*branchSet, error) {
	set := &branchSet{byID: map[int64]*branch{}, byCode: map[string]*branch{}, byName: map[string][]*branch{}, groupOf: map[string]int64{}}
	rows, err := tx.Query(ctx, `SELECT id, code, name, short_name, path, type, parent_id FROM orgs WHERE path LIKE ? AND status = 'active'`, path+"%")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type group struct {
		code, name, short string
		parent            int64
	}
	var groups []group
	for rows.Next() {
		var b branch
		var short string
		var typ org.Type
		var parent *int64
		if err := rows.Scan(&b.id, &b.code, &b.name, &short, &b.path, &typ, &parent); err != nil {
			return nil, err
		}
		switch {
		case typ.IsBranchLike():
			bb := b
			set.byID[b.id], set.byCode[b.code] = &bb, &bb
			set.byName[b.name] = append(set.byName[b.name], &bb)
			if short != "" && short != b.name {
				set.byName[short] = append(set.byName[short], &bb)
			}
		case typ == org.TypeGroup && parent != nil:
			groups = append(groups, group{b.code, b.name, short, *parent})
		default:
			set.byCode[b.code] = &branch{id: -b.id, code: b.code, name: b.name} // not a branch: named in the error
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, g := range groups {
		set.groupOf["code:"+g.code] = g.parent
		set.groupOf["name:"+g.name] = g.parent
	}
	return set, nil
}

// resolve finds the branch a row names (code first, then name, 党小组 to their branch).
func (bs *branchSet) resolve(name string, root int64) (*branch, string) {
	name = strings.TrimSpace(name)
	if name == "" {
		if b := bs.byID[root]; b != nil {
			return b, ""
		}
		return nil, "请填写所在党支部（导入到党委、党总支时须逐行写明党支部名称或组织代码）"
	}
	if b := bs.byCode[name]; b != nil {
		if b.id < 0 {
			return nil, "“" + b.name + "”不是党支部，党员应编入党支部或党小组"
		}
		return b, ""
	}
	if id, ok := bs.groupOf["code:"+name]; ok {
		if b := bs.byID[id]; b != nil {
			return b, ""
		}
	}
	switch found := bs.byName[name]; len(found) {
	case 1:
		return found[0], ""
	case 0:
	default:
		return nil, "有多个党支部名为“" + name + "”，请改填组织代码"
	}
	if id, ok := bs.groupOf["name:"+name]; ok {
		if b := bs.byID[id]; b != nil {
			return b, ""
		}
	}
	return nil, "在导入范围内找不到党支部“" + name + "”（请填写党支部全称、简称或组织代码）"
}
