package member

import (
	"context"
	"time"

	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
)

// EventKind is one kind of change in who counts where: the columns of 党员数量变化
// (党内统计报表 表一: 本年增加 and 本年减少).
type EventKind string

const (
	// 本年增加
	EventDevelop EventKind = "develop" // 发展党员（支部大会通过接收为预备党员）
	EventRejoin  EventKind = "rejoin"  // 重新入党
	EventRestore EventKind = "restore" // 恢复党籍（含停止党籍后恢复）
	// Either side, by the paths: 转入 where to_path is under the organisation and from_path is
	// not, 转出 the other way round; a move inside the organisation changes neither.
	EventTransfer    EventKind = "transfer"     // 转接组织关系（系统内，或与系统外之间：一侧路径为空）
	EventOrgTransfer EventKind = "org_transfer" // 整建制转移
	// 本年减少
	EventSuspend EventKind = "suspend" // 停止党籍
	EventDeath   EventKind = "death"   // 死亡
	// 出党
	EventExpel           EventKind = "expel"            // 开除党籍
	EventWithdraw        EventKind = "withdraw"         // 退党除名
	EventPersuade        EventKind = "persuade"         // 劝退
	EventPersuadeRemoved EventKind = "persuade_removed" // 劝而不退除名
	EventLapse           EventKind = "lapse"            // 自行脱党除名
	EventCancelProbation EventKind = "cancel_probation" // 取消预备党员资格
)

// Event is one row of the membership ledger. FromPath and ToPath are the org paths where the
// member counted before and after the act, "" for "not counted" (not yet a member, outside
// the system, suspended, gone).
type Event struct {
	MemberID int64
	On       civil.Date
	Kind     EventKind
	FromPath string
	ToPath   string
	Ref      string // the act behind it, e.g. "transfer:12"
}

// RecordEvent writes one ledger row in the caller's transaction. Every write that changes
// whether or where a member counts calls it, so the year's balance can be drawn from the
// ledger alone.
func RecordEvent(ctx context.Context, tx *db.Tx, e Event) error {
	_, err := tx.Exec(ctx, `INSERT INTO member_events (member_id, on_date, kind, from_path, to_path, ref, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, e.MemberID, e.On, string(e.Kind), e.FromPath, e.ToPath, e.Ref, time.Now().UTC())
	return err
}

// addedAs says which ledger row a new member writes, if any. A 补录 writes none: the member
// counted before the system knew them.
func addedAs(in Input, today civil.Date) (EventKind, bool) {
	switch in.AddedAs {
	case "":
		if !in.JoinedOn.IsZero() && in.JoinedOn.Year() == today.Year() {
			return EventDevelop, true
		}
		return "", false
	case AddedDevelop:
		return EventDevelop, true
	case AddedRejoin:
		return EventRejoin, true
	case AddedTransferIn:
		return EventTransfer, true
	}
	return "", false
}
