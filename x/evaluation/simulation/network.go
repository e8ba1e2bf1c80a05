package simulation

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/internal/simkit"
	"github.com/delphi-network/delphi/x/evaluation/keeper"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// Network plays the simulated chain's validators and their sidecars, which
// the SDK simulator has not: it hands every block's PreBlocker the
// extended commit CometBFT would have, with the vote extensions each
// validator built with the keeper's own BuildVoteExtension at the height
// before, on the state that height's ExtendVote sees. Their sidecars
// "evaluate" every open round with simulated traces (internal/simkit):
// every validator reports the same claim for a result, except that about
// one validator in 1,024 disagrees on a given result with a trace that
// diverges from the others' somewhere — so some results are contested
// when they become final and x/verde opens disputes, which its simulation
// operations play.
type Network struct {
	k       *keeper.Keeper
	pending map[string]types.VoteExtension
	honest  map[[32]byte]*types.RoundResult
}

// NewNetwork is the validators of a simulated chain whose x/evaluation is k.
func NewNetwork(k *keeper.Keeper) *Network {
	return &Network{k: k, pending: map[string]types.VoteExtension{}, honest: map[[32]byte]*types.RoundResult{}}
}

// Commit is the extended commit of the block ctx finalizes, whose decided
// last commit is decided: each vote with the extension its validator built
// at the previous height (a validator absent from it has none). Then every
// validator of decided builds its extension of this height on ctx's state
// (the state committed at the previous height, which ExtendVote of this
// height reads), for the next block.
func (n *Network) Commit(ctx sdk.Context, decided abci.CommitInfo) (abci.ExtendedCommitInfo, error) {
	info := abci.ExtendedCommitInfo{Round: decided.Round}
	decided = quorum(decided)
	for _, v := range decided.Votes {
		vote := abci.ExtendedVoteInfo{Validator: v.Validator, BlockIdFlag: v.BlockIdFlag}
		if ext, ok := n.pending[string(v.Validator.Address)]; ok && v.BlockIdFlag == cmtproto.BlockIDFlagCommit {
			bz, err := ext.Marshal()
			if err != nil {
				return info, err
			}
			// ProcessProposal verifies extension signatures; ProcessCommit
			// counts the extensions of votes that carry one.
			vote.VoteExtension, vote.ExtensionSignature = bz, []byte("simulated")
		}
		info.Votes = append(info.Votes, vote)
	}

	height := ctx.BlockHeight()
	limits, err := n.k.ExtensionLimits(ctx, height)
	if err != nil {
		return info, err
	}
	open, err := n.openResults(ctx)
	if err != nil {
		return info, err
	}
	n.pending = map[string]types.VoteExtension{}
	for _, v := range decided.Votes {
		me := reporter(v.Validator.Address)
		results := make([]*types.RoundResult, len(open))
		for i, o := range open {
			results[i] = n.claim(me.Address, o)
		}
		ext, err := n.k.BuildVoteExtension(ctx, height, me, results, limits)
		if err != nil {
			return info, fmt.Errorf("validator %X builds its extension of height %d: %w", me.Address, height, err)
		}
		n.pending[string(me.Address)] = ext
	}
	return info, nil
}

// quorum is the decided commit with more than 2/3 of the power voting:
// CometBFT decides no block without it, but the simulator's random
// liveness marks validators absent regardless, which would leave every seed
// and result short of its quorum for long stretches. Absent validators are
// counted as voting, in the commit's order, until the quorum holds.
func quorum(decided abci.CommitInfo) abci.CommitInfo {
	var total, voted int64
	for _, v := range decided.Votes {
		total += v.Validator.Power
		if v.BlockIdFlag == cmtproto.BlockIDFlagCommit {
			voted += v.Validator.Power
		}
	}
	out := abci.CommitInfo{Round: decided.Round, Votes: append([]abci.VoteInfo(nil), decided.Votes...)}
	for i := range out.Votes {
		if 3*voted > 2*total {
			break
		}
		if out.Votes[i].BlockIdFlag != cmtproto.BlockIDFlagCommit {
			out.Votes[i].BlockIdFlag = cmtproto.BlockIDFlagCommit
			voted += out.Votes[i].Validator.Power
		}
	}
	return out
}

// reporter is a simulated validator as the author of its extensions, its
// secret derived from its address.
func reporter(addr []byte) types.Reporter {
	secret := sha256.Sum256(append([]byte("delphi/sim/secret"), addr...))
	return types.Reporter{Address: addr, Secret: secret[:]}
}

// openResult is a result the sidecars compute: a model of an open round.
type openResult struct {
	round types.Round
	model uint64
	items uint64
}

// openResults are the results the sidecars have finished: every model of
// every open round of a running evaluation (and of every final round,
// whose reveals may still be due).
func (n *Network) openResults(ctx sdk.Context) ([]openResult, error) {
	var out []openResult
	err := n.k.Rounds.Walk(ctx, nil, func(_ collections.Pair[uint64, uint32], r types.Round) (bool, error) {
		if r.Status != types.ROUND_STATUS_OPEN && r.Status != types.ROUND_STATUS_FINAL {
			return false, nil
		}
		e, err := n.k.Evaluations.Get(ctx, r.EvaluationId)
		if err != nil || e.Status != types.EVALUATION_STATUS_RUNNING {
			return false, err
		}
		for _, m := range e.ModelIds {
			out = append(out, openResult{round: r, model: m, items: uint64(e.ItemsPerRound)})
		}
		return false, nil
	})
	return out, err
}

// claim is validator addr's result: the honest one (the same for every
// validator, a function of the result) unless addr is one of about 1 in
// 1,024 validators that disagree on this result, each with its own claim:
// another score, with a trace that diverges from the honest one at a point
// of its own, or with the honest trace (a lie about the score alone).
func (n *Network) claim(addr []byte, o openResult) *types.RoundResult {
	r := o.round
	key := ResultKey(r.EvaluationId, r.Round, r.Attempt, o.model)
	res, ok := n.honest[key]
	if !ok {
		correct := binary.BigEndian.Uint64(key[:8]) % (o.items + 1)
		res = result(r, o.model, key, 0, simkit.TraceLeaves, correct)
		n.honest[key] = res
	}
	dissent := sha256.Sum256(append(key[:], addr...))
	if dissent[0] != 0 || dissent[1] >= 64 {
		c := *res
		return &c
	}
	if dissent[2]%2 == 0 {
		// A lie about the score alone: the honest trace, another correct.
		c := *res
		c.Correct = (res.Correct + 1) % (o.items + 1)
		return &c
	}
	variant := binary.BigEndian.Uint64(dissent[8:16])
	return result(r, o.model, key, variant, int(dissent[1])%simkit.TraceLeaves, (res.Correct+1)%(o.items+1))
}

func result(r types.Round, model uint64, key [32]byte, variant uint64, diverge int, correct uint64) *types.RoundResult {
	root, leaves := simkit.Trace(key[:], variant, diverge, correct)
	bz, _ := hex.DecodeString(root)
	return &types.RoundResult{EvaluationId: r.EvaluationId, Round: r.Round, Attempt: r.Attempt, ModelId: model,
		Correct: correct, TraceRoot: bz, Leaves: leaves}
}

// ResultKey names one result of a round attempt for the simulated traces.
func ResultKey(evaluation uint64, round, attempt uint32, model uint64) [32]byte {
	var buf [24]byte
	binary.BigEndian.PutUint64(buf[:8], evaluation)
	binary.BigEndian.PutUint32(buf[8:12], round)
	binary.BigEndian.PutUint32(buf[12:16], attempt)
	binary.BigEndian.PutUint64(buf[16:], model)
	return sha256.Sum256(append([]byte("delphi/sim/result"), buf[:]...))
}
