package keeper

import (
	"context"
	"errors"
	"math"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/delphi-network/delphi/internal/modkit"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/market/lmsr"
	"github.com/delphi-network/delphi/x/market/types"
)

// maxTradingBlocks bounds trading_blocks so the end height cannot overflow.
const maxTradingBlocks = 100_000_000

// CreateMarket implements types.MsgServer: it checks the market's terms
// against params, creates (or adopts) an evaluation that has not started,
// and escrows the subsidy MaxLoss(n, b) from the creator, who becomes the
// market's liquidity provider.
func (k msgServer) CreateMarket(ctx context.Context, msg *types.MsgCreateMarket) (*types.MsgCreateMarketResponse, error) {
	creator, err := modkit.Signer("creator", msg.Creator, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	p, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkTerms(msg, p); err != nil {
		return nil, err
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	height := sdkCtx.BlockHeight()

	eval, err := k.evaluationFor(ctx, msg, p, height)
	if err != nil {
		return nil, err
	}
	n := len(eval.ModelIds)
	subsidy, err := lmsr.MaxLoss(n, msg.Liquidity)
	if err != nil {
		return nil, lmsrError(err)
	}
	id, err := modkit.NextID(ctx, k.MarketSeq)
	if err != nil {
		return nil, err
	}
	end, deadline, err := schedule(msg, eval, p, height)
	if err != nil {
		return nil, err
	}
	m := types.Market{
		Id: id, EvaluationId: eval.Id, Title: msg.Title, Creator: msg.Creator, FunderVaultId: msg.VaultId,
		CollateralDenom: msg.CollateralDenom, Liquidity: msg.Liquidity, FeeBps: msg.FeeBps,
		CreatorFeeShareBps: msg.CreatorFeeShareBps, TradingEndHeight: end, Status: types.MARKET_STATUS_OPEN,
		ModelIds: eval.ModelIds, Shares: types.ZeroShares(n), Escrow: subsidy, Subsidy: subsidy,
		CreatorFees: sdkmath.ZeroInt(), LpFees: sdkmath.ZeroInt(), Volume: sdkmath.ZeroInt(), CreatedHeight: height,
		ReopenBlocks: msg.ReopenBlocks, SettleDeadlineHeight: deadline,
		LpMark: subsidy, LpMarkLow: subsidy, LpMarkPrevLow: subsidy, LpMarkWindow: height,
	}
	if m.Funder, err = k.escrowSubsidy(ctx, msg, creator, m, eval.BenchmarkId); err != nil {
		return nil, err
	}
	if err := k.Markets.Set(ctx, id, m); err != nil {
		return nil, err
	}
	if err := k.indexDeadline(ctx, m); err != nil {
		return nil, err
	}
	if err := k.MarketByEvaluation.Set(ctx, eval.Id, id); err != nil {
		return nil, err
	}
	// The opening price point (1/N each), so a chart starts at creation.
	if err := k.Traded.Set(ctx, id); err != nil {
		return nil, err
	}
	if err := modkit.Emit(ctx, &types.EventMarketCreated{
		MarketId: id, EvaluationId: eval.Id, Creator: msg.Creator, ModelIds: m.ModelIds,
		Liquidity: m.Liquidity, Subsidy: subsidy, CollateralDenom: m.CollateralDenom,
	}); err != nil {
		return nil, err
	}
	return &types.MsgCreateMarketResponse{MarketId: id, EvaluationId: eval.Id, Subsidy: subsidy}, nil
}

// escrowSubsidy moves the subsidy into the module account, from the
// creator or, when the message names one, from a vault whose rules accept
// the market. It returns the funder's address.
func (k msgServer) escrowSubsidy(ctx context.Context, msg *types.MsgCreateMarket, creator sdk.AccAddress,
	m types.Market, benchmarkID uint64,
) (string, error) {
	if msg.VaultId == 0 {
		coins := sdk.NewCoins(sdk.NewCoin(msg.CollateralDenom, m.Subsidy))
		if err := k.bank.SendCoinsFromAccountToModule(ctx, creator, types.ModuleName, coins); err != nil {
			return "", fundsError(err, msg.Creator, coins)
		}
		return msg.Creator, nil
	}
	if k.vault == nil {
		return "", errorsmod.Wrap(types.ErrInvalidMarket, "no vaults on this chain")
	}
	if err := k.vault.FundMarket(ctx, m, benchmarkID); err != nil {
		return "", err
	}
	return authtypes.NewModuleAddress(k.vault.ModuleName()).String(), nil
}

// checkTerms validates everything about a market that needs no state.
func checkTerms(msg *types.MsgCreateMarket, p types.Params) error {
	switch {
	case len(msg.Title) == 0 || len(msg.Title) > types.MaxTitleLength:
		return errorsmod.Wrapf(types.ErrInvalidMarket, "title of %d bytes: want 1 to %d", len(msg.Title), types.MaxTitleLength)
	case !p.AllowsDenom(msg.CollateralDenom):
		return errorsmod.Wrapf(types.ErrInvalidDenom, "%q not in %v", msg.CollateralDenom, p.CollateralDenoms)
	case msg.Liquidity.IsNil() || msg.Liquidity.LT(p.MinLiquidity) || msg.Liquidity.GT(p.MaxLiquidity):
		return errorsmod.Wrapf(types.ErrInvalidLiquidity, "liquidity %s not in [%s, %s]", msg.Liquidity, p.MinLiquidity, p.MaxLiquidity)
	case msg.FeeBps > p.MaxFeeBps:
		return errorsmod.Wrapf(types.ErrInvalidFee, "fee_bps %d above the maximum %d", msg.FeeBps, p.MaxFeeBps)
	case msg.CreatorFeeShareBps > p.MaxCreatorFeeShareBps:
		return errorsmod.Wrapf(types.ErrInvalidFee, "creator_fee_share_bps %d above the maximum %d", msg.CreatorFeeShareBps, p.MaxCreatorFeeShareBps)
	case msg.TradingBlocks > maxTradingBlocks:
		return errorsmod.Wrapf(types.ErrInvalidMarket, "trading_blocks %d above %d", msg.TradingBlocks, maxTradingBlocks)
	case msg.ReopenBlocks > maxTradingBlocks:
		return errorsmod.Wrapf(types.ErrInvalidMarket, "reopen_blocks %d above %d", msg.ReopenBlocks, maxTradingBlocks)
	case msg.EvaluationId != 0 && msg.Spec != nil:
		return errorsmod.Wrap(types.ErrInvalidMarket, "give either evaluation_id or spec, not both")
	case msg.EvaluationId == 0 && msg.Spec == nil:
		return errorsmod.Wrap(types.ErrInvalidMarket, "give evaluation_id or spec")
	case msg.Spec != nil && len(msg.Spec.ModelIds) > int(p.MaxOutcomes):
		return errorsmod.Wrapf(types.ErrTooManyOutcomes, "%d models, at most %d", len(msg.Spec.ModelIds), p.MaxOutcomes)
	}
	return nil
}

// evaluationFor creates the market's evaluation from spec, or checks that
// the named one has not started and has no market yet.
func (k msgServer) evaluationFor(ctx context.Context, msg *types.MsgCreateMarket, p types.Params, height int64) (evaluationtypes.Evaluation, error) {
	if msg.Spec != nil {
		s := msg.Spec
		e, err := k.eval.CreateEvaluation(ctx, &evaluationtypes.MsgCreateEvaluation{
			Creator: msg.Creator, BenchmarkId: s.BenchmarkId, ModelIds: s.ModelIds, Rounds: s.Rounds,
			ItemsPerRound: s.ItemsPerRound, BlocksBetweenRounds: s.BlocksBetweenRounds,
			StartDelay: s.StartDelay, DeadlineBlocks: s.DeadlineBlocks,
		})
		if errors.Is(err, evaluationtypes.ErrInsufficientDeposit) {
			// The creator posts the evaluation's deposit as well as the
			// subsidy: the same refusal, under this module's code.
			return e, errorsmod.Wrapf(types.ErrInsufficientFunds, "%s cannot post the evaluation's deposit: %v", msg.Creator, err)
		}
		return e, err
	}
	e, err := k.eval.GetEvaluation(ctx, msg.EvaluationId)
	if err != nil {
		return e, err
	}
	if e.Status != evaluationtypes.EVALUATION_STATUS_SCHEDULED || e.StartHeight <= height {
		return e, errorsmod.Wrapf(types.ErrEvaluationStarted, "evaluation %d is %s (round 0 at height %d, now %d)",
			e.Id, e.Status, e.StartHeight, height)
	}
	if has, err := k.MarketByEvaluation.Has(ctx, e.Id); err != nil {
		return e, err
	} else if has {
		return e, errorsmod.Wrapf(types.ErrEvaluationTaken, "evaluation %d", e.Id)
	}
	if len(e.ModelIds) > int(p.MaxOutcomes) || len(e.ModelIds) > math.MaxInt32 {
		return e, errorsmod.Wrapf(types.ErrTooManyOutcomes, "%d models, at most %d", len(e.ModelIds), p.MaxOutcomes)
	}
	return e, nil
}

// schedule checks the market's trading terms against its evaluation's
// schedule and returns its trading end (0: none of its own) and settle
// deadline. Trading must end by the evaluation's last draw (Trading ends it
// there anyway; a longer trading_blocks is a mistake worth saying), a
// market that trades between rounds must leave a window between them, and
// the settle deadline must lie within max_settle_blocks.
func schedule(msg *types.MsgCreateMarket, e evaluationtypes.Evaluation, p types.Params, height int64) (end, deadline int64, err error) {
	lastDraw := int64(0)
	for _, d := range e.DrawHeights {
		lastDraw = max(lastDraw, d)
	}
	if msg.TradingBlocks > 0 {
		end = height + int64(msg.TradingBlocks)
		if end > lastDraw {
			return 0, 0, errorsmod.Wrapf(types.ErrInvalidMarket,
				"trading_blocks %d would trade until height %d, past the draw of evaluation %d's last round at %d: trading ends there at the latest (at most %d, or 0)",
				msg.TradingBlocks, end, e.Id, lastDraw, lastDraw-height)
		}
	}
	if msg.ReopenBlocks > 0 && e.Rounds > 1 && msg.ReopenBlocks >= e.BlocksBetweenRounds {
		return 0, 0, errorsmod.Wrapf(types.ErrInvalidMarket,
			"reopen_blocks %d leaves no trading between rounds drawn %d blocks apart: below %d, or 0 to trade only before the first round",
			msg.ReopenBlocks, e.BlocksBetweenRounds, e.BlocksBetweenRounds)
	}
	deadline = e.DeadlineHeight + int64(p.SettleGraceBlocks)
	if deadline-height > int64(p.MaxSettleBlocks) {
		return 0, 0, errorsmod.Wrapf(types.ErrInvalidMarket,
			"evaluation %d's deadline %d puts the settle deadline at %d, %d blocks away: at most %d (params max_settle_blocks)",
			e.Id, e.DeadlineHeight, deadline, deadline-height, p.MaxSettleBlocks)
	}
	return end, deadline, nil
}
