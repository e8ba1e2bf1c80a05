package types_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/x/evaluation/types"
)

var me = types.Reporter{Address: bytes.Repeat([]byte{0xaa}, 20), Secret: bytes.Repeat([]byte{0x5e}, 32)}

func result(e uint64, r uint32, m uint64) *types.RoundResult {
	return &types.RoundResult{EvaluationId: e, Round: r, ModelId: m, Correct: 97, TraceRoot: bytes.Repeat([]byte{7}, 32), Leaves: 12}
}

func encode(t *testing.T, ve *types.VoteExtension) []byte {
	t.Helper()
	bz, err := ve.Marshal()
	require.NoError(t, err)
	return bz
}

func commits(rs ...*types.RoundResult) *types.VoteExtension {
	ve := &types.VoteExtension{}
	for _, r := range rs {
		ve.Commitments = append(ve.Commitments, me.Commit(r))
	}
	return ve
}

func reveals(rs ...*types.RoundResult) *types.VoteExtension {
	ve := &types.VoteExtension{}
	for _, r := range rs {
		ve.Reveals = append(ve.Reveals, me.Reveal(r))
	}
	return ve
}

func TestDecodeVoteExtension(t *testing.T) {
	p := types.DefaultParams().Limits(1)
	var many []*types.RoundResult
	for i := 0; i <= int(p.MaxResultsPerExtension); i++ {
		many = append(many, result(1, 0, uint64(i+1)))
	}
	good := commits(result(1, 0, 1), result(1, 0, 2), result(1, 1, 1), result(2, 0, 1))
	good.Reveals = reveals(result(1, 0, 1), result(3, 0, 1)).Reveals
	good.SeedCommitments = []*types.SeedCommitment{{Height: 9, Hash: bytes.Repeat([]byte{1}, 32)}, {Height: 12, Hash: bytes.Repeat([]byte{2}, 32)}}
	good.SeedReveals = []*types.SeedReveal{{Height: 8, Value: me.SeedContribution(8)}}
	ok, err := types.DecodeVoteExtension(encode(t, good), p)
	require.NoError(t, err)
	require.Len(t, ok.Commitments, 4)
	require.Len(t, ok.Reveals, 2)
	require.Len(t, ok.SeedCommitments, 2)
	empty, err := types.DecodeVoteExtension(nil, p)
	require.NoError(t, err)
	require.Empty(t, empty.Commitments)

	mutate := func(f func(*types.VoteExtension)) []byte {
		ve := *commits(result(1, 0, 1), result(1, 0, 2))
		ve.Reveals = reveals(result(1, 0, 1)).Reveals
		ve.SeedCommitments = []*types.SeedCommitment{{Height: 9, Hash: bytes.Repeat([]byte{1}, 32)}}
		ve.SeedReveals = []*types.SeedReveal{{Height: 8, Value: bytes.Repeat([]byte{1}, 32)}}
		f(&ve)
		return encode(t, &ve)
	}
	manySeeds := make([]*types.SeedReveal, types.MaxSeedEntries+1)
	for i := range manySeeds {
		manySeeds[i] = &types.SeedReveal{Height: int64(i + 1), Value: bytes.Repeat([]byte{1}, 32)}
	}
	half := len(many) / 2
	for name, bz := range map[string][]byte{
		"garbled":                     {0xff, 0xff, 0xff, 0x01},
		"oversized":                   bytes.Repeat([]byte{0}, int(p.MaxVoteExtensionBytes)+1),
		"too many results":            encode(t, commits(many...)),
		"too many results, together":  encode(t, &types.VoteExtension{Commitments: commits(many[:half]...).Commitments, Reveals: reveals(many[half:]...).Reveals}),
		"too many seed reveals":       encode(t, &types.VoteExtension{SeedReveals: manySeeds}),
		"short hash":                  mutate(func(v *types.VoteExtension) { v.Commitments[0].Hash = v.Commitments[0].Hash[:31] }),
		"short trace root":            mutate(func(v *types.VoteExtension) { v.Reveals[0].TraceRoot = v.Reveals[0].TraceRoot[:31] }),
		"short salt":                  mutate(func(v *types.VoteExtension) { v.Reveals[0].Salt = nil }),
		"duplicate commitment":        mutate(func(v *types.VoteExtension) { v.Commitments[1] = v.Commitments[0] }),
		"unsorted commitments":        mutate(func(v *types.VoteExtension) { v.Commitments[0], v.Commitments[1] = v.Commitments[1], v.Commitments[0] }),
		"duplicate reveal":            mutate(func(v *types.VoteExtension) { v.Reveals = append(v.Reveals, v.Reveals[0]) }),
		"zero model":                  mutate(func(v *types.VoteExtension) { v.Commitments[0].ModelId = 0 }),
		"zero evaluation in a reveal": mutate(func(v *types.VoteExtension) { v.Reveals[0].EvaluationId = 0 }),
		"seed at height 0":            mutate(func(v *types.VoteExtension) { v.SeedCommitments[0].Height = 0 }),
		"short seed value":            mutate(func(v *types.VoteExtension) { v.SeedReveals[0].Value = []byte{1} }),
		"seed heights repeat": mutate(func(v *types.VoteExtension) {
			v.SeedCommitments = append(v.SeedCommitments, v.SeedCommitments[0])
		}),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := types.DecodeVoteExtension(bz, p)
			require.ErrorIs(t, err, types.ErrInvalidVoteExtension)
		})
	}
}

func FuzzDecodeVoteExtension(f *testing.F) {
	p := types.DefaultParams().Limits(1)
	f.Add([]byte{})
	f.Add([]byte{0x0a, 0x02, 0x08, 0x01})
	seed, err := commits(result(1, 0, 1)).Marshal()
	require.NoError(f, err)
	f.Add(seed)
	f.Fuzz(func(t *testing.T, bz []byte) {
		ve, err := types.DecodeVoteExtension(bz, p)
		if err != nil {
			return
		}
		// Whatever decodes re-encodes within the limits and decodes to the
		// same extension: one encoding per extension.
		again, err := types.EncodeVoteExtension(ve, p)
		require.NoError(t, err)
		require.LessOrEqual(t, len(again), int(p.MaxVoteExtensionBytes))
		back, err := types.DecodeVoteExtension(again, p)
		require.NoError(t, err)
		require.Equal(t, len(ve.Commitments), len(back.Commitments))
		require.Equal(t, len(ve.Reveals), len(back.Reveals))
	})
}

// TestCommitmentsBindTheResultTheSaltAndTheValidator: a reveal opens the
// commitment it was made from, and nothing else: not another validator's
// (a copier replaying a commitment and, later, its reveal), not another
// result, salt, attempt, or key.
func TestCommitmentsBindTheResultTheSaltAndTheValidator(t *testing.T) {
	r := result(3, 1, 2)
	r.Attempt = 1
	c, rv := me.Commit(r), me.Reveal(r)
	require.Equal(t, c.Hash, rv.Hash(me.Address))
	require.Len(t, rv.Salt, types.SaltLen)

	other := bytes.Repeat([]byte{0xbb}, 20)
	require.NotEqual(t, c.Hash, rv.Hash(other), "bound to the validator")
	for name, edit := range map[string]func(*types.ResultReveal){
		"correct":    func(x *types.ResultReveal) { x.Correct++ },
		"trace root": func(x *types.ResultReveal) { x.TraceRoot = bytes.Repeat([]byte{8}, 32) },
		"leaves":     func(x *types.ResultReveal) { x.Leaves++ },
		"salt":       func(x *types.ResultReveal) { x.Salt = bytes.Repeat([]byte{0}, 32) },
		"attempt":    func(x *types.ResultReveal) { x.Attempt = 0 },
		"round":      func(x *types.ResultReveal) { x.Round = 0 },
		"model":      func(x *types.ResultReveal) { x.ModelId = 1 },
		"evaluation": func(x *types.ResultReveal) { x.EvaluationId = 4 },
	} {
		t.Run(name, func(t *testing.T) {
			x := *rv
			edit(&x)
			require.NotEqual(t, c.Hash, x.Hash(me.Address))
		})
	}
	// Salts and seed contributions are the secret's: another node cannot
	// derive them.
	thief := types.Reporter{Address: me.Address, Secret: bytes.Repeat([]byte{1}, 32)}
	require.NotEqual(t, me.Salt(3, 1, 1, 2), thief.Salt(3, 1, 1, 2))
	require.NotEqual(t, me.SeedContribution(9), thief.SeedContribution(9))
	require.NotEqual(t, me.SeedContribution(9), me.SeedContribution(10))
}

func TestSeedValueIsOrderFree(t *testing.T) {
	a := types.Contribution{Validator: []byte{1}, Value: bytes.Repeat([]byte{1}, 32)}
	b := types.Contribution{Validator: []byte{2}, Value: bytes.Repeat([]byte{2}, 32)}
	require.Equal(t, types.SeedValue(5, []types.Contribution{a, b}), types.SeedValue(5, []types.Contribution{b, a}))
	require.NotEqual(t, types.SeedValue(5, []types.Contribution{a, b}), types.SeedValue(6, []types.Contribution{a, b}))
	require.NotEqual(t, types.SeedValue(5, []types.Contribution{a, b}), types.SeedValue(5, []types.Contribution{a}))
	require.Equal(t, types.SeedCommitmentHash(5, a.Validator, a.Value), types.SeedCommitmentHash(5, a.Validator, a.Value))
	require.NotEqual(t, types.SeedCommitmentHash(5, a.Validator, a.Value), types.SeedCommitmentHash(5, b.Validator, a.Value))
}
