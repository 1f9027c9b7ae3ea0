package member

import (
	"context"

	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
)

// The flags 是否为流动党员 (mobile, mobile_to) and 是否为失联党员 (lost_contact, lost_on,
// lost_situation) of the official record are kept by the 流动/失联 registers
// (internal/mobility): each act there sets them through these functions in its own
// transaction. They go through the same path as Update — scope check, validation of the whole
// record, version bump, audit — so the roll-ups (kept by the triggers of migration 0005 on
// every UPDATE of members.mobile and members.lost_contact) and the structure statistics stay
// exactly what a recount gives. Neither flag changes whether or where a member counts, so no
// ledger row is written.

// SetMobileTx marks the member 流动党员 with the 外出流向 to (mobile true), or back home
// (mobile false, to ignored), inside tx.
func (s *Store) SetMobileTx(ctx context.Context, tx *db.Tx, id int64, mobile bool, to string) error {
	r, err := s.findWritable(ctx, tx, id)
	if err != nil {
		return err
	}
	verb := "登记外出（流动党员）"
	if !mobile {
		verb, to = "登记返回（不再是流动党员）", ""
	}
	_, err = s.update(ctx, tx, r, func(in *Input) { in.Mobile, in.MobileTo = mobile, to }, "member.mobile", verb)
	return err
}

// SetLostTx marks the member 失联党员 from on with the 失联情形 code situation (lost true), or
// in contact again (lost false: date and code cleared), inside tx.
func (s *Store) SetLostTx(ctx context.Context, tx *db.Tx, id int64, lost bool, on civil.Date, situation string) error {
	r, err := s.findWritable(ctx, tx, id)
	if err != nil {
		return err
	}
	verb := "标记失联"
	if !lost {
		verb, on, situation = "恢复联系", civil.Date{}, ""
	}
	_, err = s.update(ctx, tx, r, func(in *Input) { in.LostContact, in.LostOn, in.LostSituation = lost, on, situation }, "member.lost", verb)
	return err
}
