package types_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/x/evaluation/types"
)

func result(e uint64, r uint32, m uint64) *types.RoundResult {
	return &types.RoundResult{EvaluationId: e, Round: r, ModelId: m, Correct: 97, TraceRoot: bytes.Repeat([]byte{7}, 32), Leaves: 12}
}

func encode(t *testing.T, rs ...*types.RoundResult) []byte {
	t.Helper()
	bz, err := (&types.VoteExtension{Results: rs}).Marshal()
	require.NoError(t, err)
	return bz
}

func TestDecodeVoteExtension(t *testing.T) {
	p := types.DefaultParams().Limits(1)
	many := make([]*types.RoundResult, p.MaxResultsPerExtension+1)
	for i := range many {
		many[i] = result(1, 0, uint64(i+1))
	}
	shortRoot := result(1, 0, 1)
	shortRoot.TraceRoot = shortRoot.TraceRoot[:31]

	ok, err := types.DecodeVoteExtension(encode(t, result(1, 0, 1), result(1, 0, 2), result(1, 1, 1), result(2, 0, 1)), p)
	require.NoError(t, err)
	require.Len(t, ok.Results, 4)
	empty, err := types.DecodeVoteExtension(nil, p)
	require.NoError(t, err)
	require.Empty(t, empty.Results)

	for name, bz := range map[string][]byte{
		"garbled":          {0xff, 0xff, 0xff, 0x01},
		"oversized":        bytes.Repeat([]byte{0}, int(p.MaxVoteExtensionBytes)+1),
		"too many results": encode(t, many...),
		"short trace root": encode(t, shortRoot),
		"duplicate":        encode(t, result(1, 0, 1), result(1, 0, 1)),
		"unsorted":         encode(t, result(2, 0, 1), result(1, 0, 1)),
		"zero model":       encode(t, result(1, 0, 0)),
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
	f.Fuzz(func(t *testing.T, bz []byte) {
		ve, err := types.DecodeVoteExtension(bz, p)
		if err != nil {
			return
		}
		// Whatever is accepted re-encodes within bounds and decodes again.
		again, err := ve.Marshal()
		require.NoError(t, err)
		require.LessOrEqual(t, len(again), int(p.MaxVoteExtensionBytes))
		_, err = types.DecodeVoteExtension(again, p)
		require.NoError(t, err)
	})
}

func TestEncodeVoteExtensionAlwaysDecodes(t *testing.T) {
	p := types.DefaultParams().Limits(1)
	bad := result(1, 0, 3)
	bad.TraceRoot = []byte{1}
	bz, err := types.EncodeVoteExtension([]*types.RoundResult{
		result(2, 0, 1), nil, result(1, 0, 2), result(1, 0, 2), bad, result(1, 0, 1), result(0, 0, 1),
	}, p)
	require.NoError(t, err)
	ve, err := types.DecodeVoteExtension(bz, p)
	require.NoError(t, err)
	require.Len(t, ve.Results, 3, "malformed, zero-id and duplicate results dropped")
	require.Equal(t, uint64(2), ve.Results[2].EvaluationId)

	p.MaxResultsPerExtension = 2
	bz, err = types.EncodeVoteExtension([]*types.RoundResult{result(1, 0, 1), result(1, 0, 2), result(1, 0, 3)}, p)
	require.NoError(t, err)
	ve, err = types.DecodeVoteExtension(bz, p)
	require.NoError(t, err)
	require.Len(t, ve.Results, 2)

	p = types.DefaultParams().Limits(1)
	p.MaxVoteExtensionBytes = 1024
	many := make([]*types.RoundResult, 100)
	for i := range many {
		many[i] = result(1, 0, uint64(i+1))
	}
	bz, err = types.EncodeVoteExtension(many, p)
	require.NoError(t, err)
	require.LessOrEqual(t, len(bz), 1024)
	ve, err = types.DecodeVoteExtension(bz, p)
	require.NoError(t, err)
	require.NotEmpty(t, ve.Results)

	bz, err = types.EncodeVoteExtension(nil, p)
	require.NoError(t, err)
	require.Empty(t, bz)
}
