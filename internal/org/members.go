package org

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dangjian/dangjian/internal/civil"

	"github.com/dangjian/dangjian/internal/db"
)

// Member counts. orgs.full_members and orgs.probationary_members hold the members (党籍状态
// 正常) of the organisation's whole subtree: members belong to a 党支部 (联合党支部, 临时党支部),
// so for a 支部 it is its own members, and for a 党总支 or 党委 the total that the setup rules
// (org.general_branch.members, org.committee.members) compare against. The member registry
// calls RecountMembers in the transaction of every write that changes who is counted where.

// memberCountSQL sets one organisation's counts from its direct members and its children's
// (already current) counts.
const memberCountSQL = `UPDATE orgs SET
	full_members = (SELECT COUNT(*) FROM members m WHERE m.org_id = orgs.id AND m.status = 'normal' AND m.full_on IS NOT NULL)
		+ (SELECT COALESCE(SUM(c.full_members), 0) FROM orgs c WHERE c.parent_id = orgs.id),
	probationary_members = (SELECT COUNT(*) FROM members m WHERE m.org_id = orgs.id AND m.status = 'normal' AND m.full_on IS NULL)
		+ (SELECT COALESCE(SUM(c.probationary_members), 0) FROM orgs c WHERE c.parent_id = orgs.id)`

// RecountMembers recomputes the member counts of the organisations with ids and of all their
// ancestors, deepest first, inside tx. On PostgreSQL the rows are locked first (in id order),
// so concurrent writers in different branches serialise on their common ancestors and every
// count is computed from committed data. The lock is FOR NO KEY UPDATE, which does not conflict
// with the key-share locks that inserting a member (foreign key to its org) takes, so two
// writers in one branch cannot deadlock.
func RecountMembers(ctx context.Context, tx *db.Tx, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	list := make([]string, 0, len(ids))
	for _, id := range ids {
		list = append(list, strconv.FormatInt(id, 10))
	}
	// ids are integers we formatted ourselves, so inlining them is safe.
	rows, err := tx.Query(ctx, `SELECT path FROM orgs WHERE id IN (`+strings.Join(list, ",")+`)`)
	if err != nil {
		return err
	}
	set := map[int64]int{} // id → depth
	for rows.Next() {
		var path string
		if err := rows.Scan(&path); err != nil {
			rows.Close()
			return err
		}
		for depth, id := range pathIDs(path) {
			set[id] = depth
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return recount(ctx, tx, set)
}

// RecountPaths is RecountMembers for organisations known by path (e.g. a subtree's old
// parent after a move).
func RecountPaths(ctx context.Context, tx *db.Tx, paths ...string) error {
	set := map[int64]int{}
	for _, p := range paths {
		for depth, id := range pathIDs(p) {
			set[id] = depth
		}
	}
	return recount(ctx, tx, set)
}

func recount(ctx context.Context, tx *db.Tx, set map[int64]int) error {
	if len(set) == 0 {
		return nil
	}
	ordered := make([]int64, 0, len(set))
	for id := range set {
		ordered = append(ordered, id)
	}
	if tx.Dialect == db.Postgres {
		sort.Slice(ordered, func(i, j int) bool { return ordered[i] < ordered[j] })
		list := make([]string, len(ordered))
		for i, id := range ordered {
			list[i] = strconv.FormatInt(id, 10)
		}
		if _, err := tx.Exec(ctx, `SELECT id FROM orgs WHERE id IN (`+strings.Join(list, ",")+`) ORDER BY id FOR NO KEY UPDATE`); err != nil {
			return err
		}
	}
	sort.SliceStable(ordered, func(i, j int) bool { return set[ordered[i]] > set[ordered[j]] })
	for _, id := range ordered {
		if _, err := tx.Exec(ctx, memberCountSQL+` WHERE id = ?`, id); err != nil {
			return err
		}
	}
	return nil
}

// RecountAllMembers recomputes every organisation's counts, level by level from the leaves
// (bulk loads).
func RecountAllMembers(ctx context.Context, tx *db.Tx) error {
	var maxDepth int
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(depth), 0) FROM orgs`).Scan(&maxDepth); err != nil {
		return err
	}
	for d := maxDepth; d >= 0; d-- {
		if _, err := tx.Exec(ctx, memberCountSQL+` WHERE depth = ?`, d); err != nil {
			return err
		}
	}
	return nil
}

// recordOrgTransfer writes the 整建制转移 rows of the membership ledger (member_events, kind
// "org_transfer") for every member who counts in a moved subtree, whose paths were already
// rewritten from oldPath to newPath. The rows are written here, not in package member, because
// member builds on org.
func recordOrgTransfer(ctx context.Context, tx *db.Tx, orgID int64, oldPath, newPath string, on civil.Date) error {
	rows, err := tx.Query(ctx, `SELECT id, org_path FROM members WHERE org_path LIKE ? AND status = 'normal'`, newPath+"%")
	if err != nil {
		return err
	}
	type moved struct {
		id   int64
		path string
	}
	var all []moved
	for rows.Next() {
		var m moved
		if err := rows.Scan(&m.id, &m.path); err != nil {
			rows.Close()
			return err
		}
		all = append(all, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	ref, now := "org:"+strconv.FormatInt(orgID, 10), time.Now().UTC()
	for _, m := range all {
		from := oldPath + strings.TrimPrefix(m.path, newPath)
		if _, err := tx.Exec(ctx, `INSERT INTO member_events (member_id, on_date, kind, from_path, to_path, ref, created_at)
			VALUES (?, ?, 'org_transfer', ?, ?, ?, ?)`, m.id, on, from, m.path, ref, now); err != nil {
			return err
		}
	}
	return nil
}
