// Package evalsim drives x/evaluation's consensus path the way a network of
// honest validators would, without CometBFT: every height, each validator
// builds its vote extension with the keeper's own BuildVoteExtension (on
// the state before the block, as ExtendVote does), and the next block's
// PreBlocker hands them to ProcessCommit before BeginBlock runs. Keeper
// tests of x/evaluation and x/verde use it to get results final through
// seeds, commitments and reveals, and to play byzantine validators by
// editing an extension before it is sent.
package evalsim

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"sort"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/x/evaluation/keeper"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// Sim is a set of validators voting on one keeper's chain.
type Sim struct {
	K *keeper.Keeper
	// Validators are the reporters, in commit order, and their powers.
	Validators []types.Reporter
	Powers     []int64
	// Results is what validator i's sidecar has finished at height h, on
	// the state ExtendVote sees (nil: nothing). Claims makes one.
	Results func(ctx sdk.Context, i int, h int64) []*types.RoundResult
	// Tamper, when set, edits validator i's extension at height h before
	// it is signed: a byzantine validator.
	Tamper func(i int, h int64, ve *types.VoteExtension)
	// Absent validators' votes are not in the commit (their power counts
	// in the total; they say nothing).
	Absent map[int]bool
	// HeaderHash stands in for the hash of the block at h (what a
	// proposer's choices can change); nil: a fixed function of h.
	HeaderHash func(h int64) []byte
	// BeginBlock runs after the PreBlocker and before x/evaluation's
	// BeginBlock: the modules the app orders before it (x/verde).
	BeginBlock func(ctx sdk.Context)
	// Seeds are the seeds the chain fixed or failed, by height, as its
	// events told (the chain prunes a seed's record once it is drawn from).
	Seeds   map[int64]types.Seed
	pending []types.VoteExtension
}

// New is n validators of power 25, with addresses and secrets derived from
// their index, listed in address order (the order the keeper lists them in).
func New(k *keeper.Keeper, n int) *Sim {
	s := &Sim{K: k, Absent: map[int]bool{}, Seeds: map[int64]types.Seed{}}
	for i := 0; i < n; i++ {
		addr := sha256.Sum256([]byte(fmt.Sprintf("validator-%d", i)))
		secret := sha256.Sum256([]byte(fmt.Sprintf("secret-%d", i)))
		s.Validators = append(s.Validators, types.Reporter{Address: addr[:20], Secret: secret[:]})
		s.Powers = append(s.Powers, 25)
	}
	sort.Slice(s.Validators, func(i, j int) bool { return bytes.Compare(s.Validators[i].Address, s.Validators[j].Address) < 0 })
	return s
}

// NewWith is validators with these consensus addresses, in this order, of
// power 25, with secrets derived from their addresses.
func NewWith(k *keeper.Keeper, addrs [][]byte) *Sim {
	s := &Sim{K: k, Absent: map[int]bool{}, Seeds: map[int64]types.Seed{}}
	for _, a := range addrs {
		secret := sha256.Sum256(append([]byte("secret/"), a...))
		s.Validators = append(s.Validators, types.Reporter{Address: a, Secret: secret[:]})
		s.Powers = append(s.Powers, 25)
	}
	return s
}

// Commit is the extended commit of the pending extensions: every
// validator's vote, COMMIT with a signature unless absent.
func (s *Sim) Commit(t testing.TB, exts []types.VoteExtension) abci.ExtendedCommitInfo {
	t.Helper()
	var info abci.ExtendedCommitInfo
	for i, r := range s.Validators {
		v := abci.ExtendedVoteInfo{Validator: abci.Validator{Address: r.Address, Power: s.Powers[i]}, BlockIdFlag: cmtproto.BlockIDFlagAbsent}
		if !s.Absent[i] {
			v.BlockIdFlag = cmtproto.BlockIDFlagCommit
			if i < len(exts) {
				bz, err := exts[i].Marshal()
				require.NoError(t, err)
				v.VoteExtension = bz
			}
			// ProcessProposal verified the signature; ProcessCommit only
			// counts votes that have one.
			v.ExtensionSignature = []byte("signed")
		}
		info.Votes = append(info.Votes, v)
	}
	return info
}

// Build is every validator's extension at height, on ctx's state.
func (s *Sim) Build(t testing.TB, ctx sdk.Context, height int64) []types.VoteExtension {
	t.Helper()
	limits, err := s.K.ExtensionLimits(ctx, height)
	require.NoError(t, err)
	out := make([]types.VoteExtension, len(s.Validators))
	for i, r := range s.Validators {
		var results []*types.RoundResult
		if s.Results != nil {
			results = s.Results(ctx, i, height)
		}
		ve, err := s.K.BuildVoteExtension(ctx, height, r, results, limits)
		require.NoError(t, err)
		if s.Tamper != nil {
			s.Tamper(i, height, &ve)
		}
		out[i] = ve
	}
	return out
}

// Block runs the next height h on ctx's state, in CometBFT's order: the
// validators build their extensions of h on the state committed at h−1
// (ExtendVote runs before the block is finalized), then the block's
// PreBlocker processes the extensions of h−1 and BeginBlock runs. It
// returns the context at h; the extensions of h go in the next block.
func (s *Sim) Block(t testing.TB, ctx sdk.Context) sdk.Context {
	t.Helper()
	h := ctx.BlockHeight() + 1
	next := s.Build(t, ctx, h)
	hash := []byte(fmt.Sprintf("block-%032d", h))
	if s.HeaderHash != nil {
		hash = s.HeaderHash(h)
	}
	ctx = ctx.WithBlockHeight(h).WithHeaderHash(hash).WithEventManager(sdk.NewEventManager())
	limits, err := s.K.ExtensionLimits(ctx, h-1)
	require.NoError(t, err)
	require.NoError(t, s.K.ProcessCommit(ctx, s.Commit(t, s.pending), limits))
	s.recordSeeds(t, ctx)
	if s.BeginBlock != nil {
		s.BeginBlock(ctx)
	}
	require.NoError(t, s.K.BeginBlocker(ctx))
	require.NoError(t, s.K.EndBlocker(ctx))
	s.pending = next
	return ctx
}

// Run runs n blocks.
func (s *Sim) Run(t testing.TB, ctx sdk.Context, n int) sdk.Context {
	t.Helper()
	for i := 0; i < n; i++ {
		ctx = s.Block(t, ctx)
	}
	return ctx
}

// Until runs blocks until done says so, at most max of them.
func (s *Sim) Until(t testing.TB, ctx sdk.Context, max int, done func(sdk.Context) bool) sdk.Context {
	t.Helper()
	for i := 0; i < max; i++ {
		if done(ctx) {
			return ctx
		}
		ctx = s.Block(t, ctx)
	}
	require.True(t, done(ctx), "not done after %d blocks (height %d)", max, ctx.BlockHeight())
	return ctx
}

// Pending are the extensions the next block will carry.
func (s *Sim) Pending() []types.VoteExtension { return s.pending }

// Claim is what validator i reports for model m in a round attempt (nil:
// nothing yet).
type Claim func(i int, round types.Round, model uint64) *types.RoundResult

// Claims is a Results that reports, for every open round (and every final
// round still taking reveals) of every running evaluation, what claim says.
func (s *Sim) Claims(claim Claim) func(ctx sdk.Context, i int, h int64) []*types.RoundResult {
	return func(ctx sdk.Context, i int, _ int64) []*types.RoundResult {
		var out []*types.RoundResult
		err := s.K.Rounds.Walk(ctx, nil, func(_ collections.Pair[uint64, uint32], r types.Round) (bool, error) {
			if r.Status != types.ROUND_STATUS_OPEN && r.Status != types.ROUND_STATUS_FINAL {
				return false, nil
			}
			e, err := s.K.Evaluations.Get(ctx, r.EvaluationId)
			if err != nil || e.Status != types.EVALUATION_STATUS_RUNNING {
				return false, err
			}
			for _, m := range e.ModelIds {
				if res := claim(i, r, m); res != nil {
					res.EvaluationId, res.Round, res.Attempt, res.ModelId = r.EvaluationId, r.Round, r.Attempt, m
					out = append(out, res)
				}
			}
			return false, nil
		})
		if err != nil {
			panic(err)
		}
		return out
	}
}

// Result is a claim's value: correct answers and a trace root of 32 bytes
// all b, over 12 leaves.
func Result(correct uint64, b byte) *types.RoundResult {
	root := make([]byte, types.TraceRootLen)
	for i := range root {
		root[i] = b
	}
	return &types.RoundResult{Correct: correct, TraceRoot: root, Leaves: 12}
}

// recordSeeds keeps the seeds this block's PreBlocker fixed or failed.
func (s *Sim) recordSeeds(t testing.TB, ctx sdk.Context) {
	t.Helper()
	for _, ev := range ctx.EventManager().ABCIEvents() {
		if ev.Type != proto.MessageName(&types.EventSeedFixed{}) && ev.Type != proto.MessageName(&types.EventSeedFailed{}) {
			continue
		}
		msg, err := sdk.ParseTypedEvent(ev)
		require.NoError(t, err)
		switch e := msg.(type) {
		case *types.EventSeedFixed:
			s.Seeds[e.Height] = types.Seed{Height: e.Height, Status: types.SEED_STATUS_FIXED, Value: e.Value,
				FixedHeight: ctx.BlockHeight(), Contributors: e.ContributorAddresses, Power: e.Power}
		case *types.EventSeedFailed:
			s.Seeds[e.Height] = types.Seed{Height: e.Height, Status: types.SEED_STATUS_FAILED, FixedHeight: ctx.BlockHeight()}
		}
	}
}
