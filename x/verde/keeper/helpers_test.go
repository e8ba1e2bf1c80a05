package keeper_test

import (
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/delphi-network/delphi/evaluator/player"
	"github.com/delphi-network/delphi/x/verde/types"
)

func (f *fixture) honestMove(id uint64, side types.Side) (*types.MsgBisect, error) {
	d, err := f.k.Disputes.Get(f.ctx, id)
	if err != nil {
		return nil, err
	}
	return player.Reveal(f.submitter, d, side, f.honest)
}

func playerReveal(f *fixture, id uint64, side types.Side, run player.Run) (*types.MsgBisect, error) {
	d, err := f.k.Disputes.Get(f.ctx, id)
	if err != nil {
		return nil, err
	}
	return player.Reveal(f.submitter, d, side, run)
}

func authModule(name string) []byte { return authtypes.NewModuleAddress(name) }
