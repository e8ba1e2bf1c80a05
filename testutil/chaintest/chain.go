// Package chaintest drives one Delphi app through ABCI as a CometBFT network
// of several validators would: InitChain with the validators bonded in
// genesis, then blocks whose extended commits the validators' own ed25519
// keys sign. There is no CometBFT node: the test plays every validator and
// the proposer, so it can also play a byzantine one, and every check the
// app runs (signatures, flags, powers, bounds) is the real one.
package chaintest

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"sort"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmted25519 "github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/cometbft/cometbft/libs/protoio"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	cmttypes "github.com/cometbft/cometbft/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/log/v2"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	slashingtypes "github.com/cosmos/cosmos-sdk/x/slashing/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/delphi-network/delphi/app"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// Validator is one validator the test plays: its consensus key and power.
type Validator struct {
	Key     cmted25519.PrivKey
	Address []byte
	Power   int64
}

// Options shape the chain.
type Options struct {
	// Validators is the number of validators (default 4), each of power 1.
	Validators int
	// ConsensusParams replaces the default consensus params; vote
	// extensions are enabled from height 2 either way.
	ConsensusParams *cmtproto.ConsensusParams
	// Genesis edits the app state before InitChain.
	Genesis func(cdc codec.Codec, state map[string]json.RawMessage)
	// AppOptions are extra app options (app.toml keys).
	AppOptions map[string]any
}

// Chain is a running single-app chain.
type Chain struct {
	t          testing.TB
	App        *app.App
	ChainID    string
	Validators []Validator
	// Funder is a genesis account with both denominations.
	Funder sdk.AccAddress
	// FunderKey signs the funder's transactions.
	FunderKey *secp256k1.PrivKey
	// Height is the last committed height.
	Height int64
	// Extend gives validator i's vote extension at height h, raw; nil or a
	// nil result is an empty extension. When Extend is nil, each validator
	// says what an honest one says (x/evaluation's BuildVoteExtension, with
	// Results as its sidecar's and Tamper's edits).
	Extend func(i int, h int64) []byte
	// Results is what validator i's sidecar has finished at height h.
	Results func(ctx sdk.Context, i int, h int64) []*evaluationtypes.RoundResult
	// Tamper edits validator i's honest extension at h (byzantine).
	Tamper func(i int, h int64, ve *evaluationtypes.VoteExtension)
	time   time.Time
	// pending counts the funder's txs signed since the last block.
	pending uint64
	// exts are the validators' extensions of the last committed height.
	exts [][]byte
}

type opts map[string]any

func (o opts) Get(k string) any { return o[k] }

// New starts a chain and commits its first block (no extensions yet: they
// are enabled from height 2, so block 3 carries the first injected commit).
func New(t testing.TB, o Options) *Chain {
	t.Helper()
	n := o.Validators
	if n == 0 {
		n = 4
	}
	app.SetSDKConfig()
	const chainID = "delphi-chaintest"
	ao := opts{"home": t.TempDir()}
	for k, v := range o.AppOptions {
		ao[k] = v
	}
	a := app.New(log.NewNopLogger(), dbm.NewMemDB(), ao, baseapp.SetChainID(chainID))
	c := &Chain{t: t, App: a, ChainID: chainID, time: time.Unix(1_700_000_000, 0).UTC()}

	vals := make([]*cmttypes.Validator, n)
	for i := range vals {
		key := cmted25519.GenPrivKeyFromSecret([]byte{'v', byte(i)})
		vals[i] = cmttypes.NewValidator(key.PubKey(), 1)
		c.Validators = append(c.Validators, Validator{Key: key, Address: key.PubKey().Address(), Power: 1})
	}
	// CometBFT's order: power descending, then address ascending.
	sort.Slice(c.Validators, func(i, j int) bool {
		a, b := c.Validators[i], c.Validators[j]
		if a.Power != b.Power {
			return a.Power > b.Power
		}
		return bytes.Compare(a.Address, b.Address) < 0
	})
	valSet := cmttypes.NewValidatorSet(vals)

	c.FunderKey = secp256k1.GenPrivKeyFromSecret([]byte("chaintest funder"))
	c.Funder = sdk.AccAddress(c.FunderKey.PubKey().Address())
	acc := authtypes.NewBaseAccount(c.Funder, nil, 0, 0)
	bal := banktypes.Balance{Address: c.Funder.String(), Coins: sdk.NewCoins(
		sdk.NewCoin(app.BondDenom, math.NewInt(1_000_000_000_000)), sdk.NewCoin(app.CollateralDenom, math.NewInt(1_000_000_000_000)))}
	state, err := simtestutil.GenesisStateWithValSet(a.AppCodec(), a.DefaultGenesis(), valSet, []authtypes.GenesisAccount{acc}, bal)
	require.NoError(t, err)
	var bank, defaultBank banktypes.GenesisState
	a.AppCodec().MustUnmarshalJSON(state[banktypes.ModuleName], &bank)
	a.AppCodec().MustUnmarshalJSON(a.DefaultGenesis()[banktypes.ModuleName], &defaultBank)
	bank.DenomMetadata = defaultBank.DenomMetadata
	// The SDK helper funds the bonded pool with one validator's bond
	// whatever the number of validators; it holds all of them.
	pool := authtypes.NewModuleAddress(stakingtypes.BondedPoolName).String()
	for i := range bank.Balances {
		if bank.Balances[i].Address == pool {
			bank.Balances[i].Coins = sdk.NewCoins(sdk.NewCoin(app.BondDenom, sdk.DefaultPowerReduction.MulRaw(int64(n))))
		}
	}
	state[banktypes.ModuleName] = a.AppCodec().MustMarshalJSON(&bank)
	// Signing infos, which gentxs would have created through the staking
	// hooks: x/slashing's BeginBlock reads one for every vote.
	var slashing slashingtypes.GenesisState
	a.AppCodec().MustUnmarshalJSON(state[slashingtypes.ModuleName], &slashing)
	for _, v := range c.Validators {
		addr := sdk.ConsAddress(v.Address).String()
		slashing.SigningInfos = append(slashing.SigningInfos, slashingtypes.SigningInfo{Address: addr,
			ValidatorSigningInfo: slashingtypes.NewValidatorSigningInfo(sdk.ConsAddress(v.Address), 0, 0, time.Unix(0, 0).UTC(), false, 0)})
	}
	state[slashingtypes.ModuleName] = a.AppCodec().MustMarshalJSON(&slashing)
	if o.Genesis != nil {
		o.Genesis(a.AppCodec(), state)
	}
	raw, err := json.Marshal(state)
	require.NoError(t, err)

	params := *simtestutil.DefaultConsensusParams
	if o.ConsensusParams != nil {
		params = *o.ConsensusParams
	}
	params.Abci = &cmtproto.ABCIParams{VoteExtensionsEnableHeight: app.DefaultVoteExtensionsEnableHeight}
	// The SDK's test params name a cosmos-prefixed consensus authority,
	// which would override the modules' own (x/upgrade's among them).
	params.Authority = nil
	_, err = a.InitChain(&abci.RequestInitChain{ChainId: chainID, AppStateBytes: raw, ConsensusParams: &params,
		InitialHeight: 1, Time: c.time})
	require.NoError(t, err)
	c.finalize(nil, abci.CommitInfo{})
	return c
}

// WithT is the chain reporting to t: a fuzz target's or subtest's.
func (c *Chain) WithT(t testing.TB) *Chain {
	cp := *c
	cp.t = t
	return &cp
}

// Sign is validator i's signature of extension ext at height h, round 0,
// over the bytes CometBFT signs (a length-delimited CanonicalVoteExtension).
func (c *Chain) Sign(i int, h int64, ext []byte) []byte {
	var buf bytes.Buffer
	cve := cmtproto.CanonicalVoteExtension{Extension: ext, Height: h, Round: 0, ChainId: c.ChainID}
	_, err := protoio.NewDelimitedWriter(&buf).WriteMsg(&cve)
	require.NoError(c.t, err)
	sig, err := c.Validators[i].Key.Sign(buf.Bytes())
	require.NoError(c.t, err)
	return sig
}

// ExtendedCommit is the commit of height h in which every validator voted
// for the block and signed its extension exts[i] (nil: empty).
func (c *Chain) ExtendedCommit(h int64, exts [][]byte) abci.ExtendedCommitInfo {
	info := abci.ExtendedCommitInfo{Round: 0}
	for i, v := range c.Validators {
		var ext []byte
		if i < len(exts) {
			ext = exts[i]
		}
		if ext == nil {
			ext = []byte{}
		}
		info.Votes = append(info.Votes, abci.ExtendedVoteInfo{
			Validator:   abci.Validator{Address: v.Address, Power: v.Power},
			BlockIdFlag: cmtproto.BlockIDFlagCommit, VoteExtension: ext, ExtensionSignature: c.Sign(i, h, ext),
		})
	}
	return info
}

// LastCommit is the block's last commit CometBFT builds from an extended
// commit: the same validators, powers and flags, no extensions.
func LastCommit(info abci.ExtendedCommitInfo) abci.CommitInfo {
	out := abci.CommitInfo{Round: info.Round}
	for _, v := range info.Votes {
		out.Votes = append(out.Votes, abci.VoteInfo{Validator: v.Validator, BlockIdFlag: v.BlockIdFlag})
	}
	return out
}

// Prepare asks the app, as proposer of the next height, for a block.
func (c *Chain) Prepare(local abci.ExtendedCommitInfo, maxTxBytes int64) [][]byte {
	c.t.Helper()
	res, err := c.App.PrepareProposal(&abci.RequestPrepareProposal{Height: c.Height + 1, Time: c.next(),
		LocalLastCommit: local, MaxTxBytes: maxTxBytes, ProposerAddress: c.Validators[0].Address})
	require.NoError(c.t, err)
	return res.Txs
}

// MaxTxBytes is what CometBFT offers a proposer for txs under the chain's
// consensus params, with no evidence in the block.
func (c *Chain) MaxTxBytes() int64 {
	cp := c.App.GetConsensusParams(c.Context())
	max := cp.Block.MaxBytes
	if max == -1 {
		max = cmttypes.MaxBlockSizeBytes
	}
	return cmttypes.MaxDataBytes(max, 0, len(c.Validators))
}

// Process asks the app, as a validator, whether it accepts a proposal of the
// next height with this last commit.
func (c *Chain) Process(txs [][]byte, last abci.CommitInfo) abci.ResponseProcessProposal_ProposalStatus {
	c.t.Helper()
	res, err := c.App.ProcessProposal(&abci.RequestProcessProposal{Height: c.Height + 1, Time: c.next(), Txs: txs,
		ProposedLastCommit: last, ProposerAddress: c.Validators[0].Address})
	require.NoError(c.t, err)
	return res.Status
}

// Finalize decides and commits the next block with these txs and last
// commit, whatever ProcessProposal said: the network may decide a block
// this node rejected.
func (c *Chain) Finalize(txs [][]byte, decided abci.CommitInfo) *abci.ResponseFinalizeBlock {
	c.t.Helper()
	return c.finalize(txs, decided)
}

func (c *Chain) finalize(txs [][]byte, decided abci.CommitInfo) *abci.ResponseFinalizeBlock {
	res, err := c.App.FinalizeBlock(&abci.RequestFinalizeBlock{Height: c.Height + 1, Time: c.next(), Txs: txs,
		DecidedLastCommit: decided, ProposerAddress: c.Validators[0].Address,
		Hash: blockHash(c.ChainID, c.Height+1)})
	require.NoError(c.t, err)
	_, err = c.App.Commit()
	require.NoError(c.t, err)
	c.Height++
	c.time = c.time.Add(time.Second)
	c.pending = 0
	return res
}

func (c *Chain) next() time.Time { return c.time }

// blockHash stands in for the hash CometBFT would give block h.
func blockHash(chainID string, h int64) []byte {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s/%d", chainID, h)))
	return sum[:]
}

// Extensions are every validator's extension at height h, on the state
// the app's ExtendVote at h would see (the last committed one).
func (c *Chain) Extensions(h int64) [][]byte {
	exts := make([][]byte, len(c.Validators))
	for i := range exts {
		if c.Extend != nil {
			exts[i] = c.Extend(i, h)
			continue
		}
		exts[i] = c.Honest(i, h)
	}
	return exts
}

// Reporter is validator i as the author of its extensions.
func (c *Chain) Reporter(i int) evaluationtypes.Reporter {
	secret := sha256.Sum256(append([]byte("chaintest secret/"), c.Validators[i].Address...))
	return evaluationtypes.Reporter{Address: c.Validators[i].Address, Secret: secret[:]}
}

// Honest is validator i's extension at height h as its ExtendVote would
// build it (with Tamper's edits, if any).
func (c *Chain) Honest(i int, h int64) []byte {
	c.t.Helper()
	ctx := c.Context()
	limits, err := c.App.EvaluationKeeper.ExtensionLimits(ctx, h)
	require.NoError(c.t, err)
	var results []*evaluationtypes.RoundResult
	if c.Results != nil {
		results = c.Results(ctx, i, h)
	}
	ve, err := c.App.EvaluationKeeper.BuildVoteExtension(ctx, h, c.Reporter(i), results, limits)
	require.NoError(c.t, err)
	if c.Tamper != nil {
		c.Tamper(i, h, &ve)
	}
	bz, err := evaluationtypes.EncodeVoteExtension(ve, limits)
	require.NoError(c.t, err)
	return bz
}

// NextBlock runs one honest height: the validators' signed extensions of
// the last height; the proposal; every validator's acceptance (required);
// the validators' extensions of the new height, made and verified (as
// ExtendVote and VerifyVoteExtension are) on the state before the new
// block; the decided block. It returns the block's txs and result.
func (c *Chain) NextBlock(extraTxs ...[]byte) ([][]byte, *abci.ResponseFinalizeBlock) {
	c.t.Helper()
	var local abci.ExtendedCommitInfo
	if c.Height >= app.DefaultVoteExtensionsEnableHeight {
		local = c.ExtendedCommit(c.Height, c.exts)
	} else {
		local = c.ExtendedCommit(c.Height, nil)
		for i := range local.Votes {
			local.Votes[i].VoteExtension, local.Votes[i].ExtensionSignature = nil, nil
		}
	}
	txs := c.Prepare(local, c.MaxTxBytes())
	txs = append(txs, extraTxs...)
	require.Equal(c.t, abci.ResponseProcessProposal_ACCEPT, c.Process(txs, LastCommit(local)),
		"an honest proposal at height %d is accepted", c.Height+1)
	next := c.Extensions(c.Height + 1)
	for i, ext := range next {
		res, err := c.App.VerifyVoteExtension(&abci.RequestVerifyVoteExtension{Height: c.Height + 1,
			ValidatorAddress: c.Validators[i].Address, VoteExtension: ext})
		require.NoError(c.t, err)
		require.Equal(c.t, abci.ResponseVerifyVoteExtension_ACCEPT, res.Status,
			"validator %d's extension at height %d is accepted", i, c.Height+1)
	}
	res := c.Finalize(txs, LastCommit(local))
	c.exts = next
	return txs, res
}
