package commit

import (
	"bytes"
	"context"
	"errors"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	cmted25519 "github.com/cometbft/cometbft/crypto/ed25519"
	cryptoenc "github.com/cometbft/cometbft/crypto/encoding"
	cmtprotocrypto "github.com/cometbft/cometbft/proto/tendermint/crypto"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// keyring maps consensus addresses to keys, as x/staking does.
type keyring map[string]cmtprotocrypto.PublicKey

func (k keyring) GetPubKeyByConsAddr(_ context.Context, a sdk.ConsAddress) (cmtprotocrypto.PublicKey, error) {
	pk, ok := k[string(a)]
	if !ok {
		return pk, errors.New("no validator")
	}
	return pk, nil
}

type signer struct {
	keys []cmted25519.PrivKey
	ring keyring
}

func newSigner(t *testing.T, n int) *signer {
	s := &signer{ring: keyring{}}
	for i := 0; i < n; i++ {
		k := cmted25519.GenPrivKeyFromSecret([]byte{byte(i)})
		pk, err := cryptoenc.PubKeyToProto(k.PubKey())
		require.NoError(t, err)
		s.keys = append(s.keys, k)
		s.ring[string(k.PubKey().Address())] = pk
	}
	return s
}

// commit is every validator's COMMIT vote at height 9 with extension exts[i].
func (s *signer) commit(t *testing.T, exts ...[]byte) abci.ExtendedCommitInfo {
	var info abci.ExtendedCommitInfo
	for i, k := range s.keys {
		msg, err := SignBytes(exts[i], 9, 0, "c")
		require.NoError(t, err)
		sig, err := k.Sign(msg)
		require.NoError(t, err)
		info.Votes = append(info.Votes, abci.ExtendedVoteInfo{Validator: abci.Validator{Address: k.PubKey().Address(), Power: 10},
			BlockIdFlag: cmtproto.BlockIDFlagCommit, VoteExtension: exts[i], ExtensionSignature: sig})
	}
	return info
}

func lastOf(info abci.ExtendedCommitInfo) abci.CommitInfo {
	out := abci.CommitInfo{Round: info.Round}
	for _, v := range info.Votes {
		out.Votes = append(out.Votes, abci.VoteInfo{Validator: v.Validator, BlockIdFlag: v.BlockIdFlag})
	}
	return out
}

func TestMatchesLastCommit(t *testing.T) {
	s := newSigner(t, 3)
	ext := []byte("x")
	for name, tc := range map[string]struct {
		edit func(*abci.ExtendedCommitInfo, *abci.CommitInfo)
		want string
	}{
		"identical":     {func(*abci.ExtendedCommitInfo, *abci.CommitInfo) {}, ""},
		"other round":   {func(i *abci.ExtendedCommitInfo, _ *abci.CommitInfo) { i.Round = 1 }, "round"},
		"vote dropped":  {func(i *abci.ExtendedCommitInfo, _ *abci.CommitInfo) { i.Votes = i.Votes[:2] }, "votes"},
		"power raised":  {func(i *abci.ExtendedCommitInfo, _ *abci.CommitInfo) { i.Votes[1].Validator.Power++ }, "power"},
		"order swapped": {func(i *abci.ExtendedCommitInfo, _ *abci.CommitInfo) { i.Votes[0], i.Votes[1] = i.Votes[1], i.Votes[0] }, "validator"},
		"flag flipped": {func(i *abci.ExtendedCommitInfo, _ *abci.CommitInfo) {
			i.Votes[2].BlockIdFlag = cmtproto.BlockIDFlagAbsent
		}, "flag"},
		"both flipped, ext": {func(i *abci.ExtendedCommitInfo, l *abci.CommitInfo) {
			i.Votes[2].BlockIdFlag, l.Votes[2].BlockIdFlag = 3, 3
		}, "carries"},
		"both flipped, bare": {func(i *abci.ExtendedCommitInfo, l *abci.CommitInfo) {
			i.Votes[2].BlockIdFlag, l.Votes[2].BlockIdFlag = cmtproto.BlockIDFlagNil, cmtproto.BlockIDFlagNil
			i.Votes[2].VoteExtension, i.Votes[2].ExtensionSignature = nil, nil
		}, ""},
	} {
		t.Run(name, func(t *testing.T) {
			info := s.commit(t, ext, ext, ext)
			last := lastOf(info)
			tc.edit(&info, &last)
			err := MatchesLastCommit(info, last)
			if tc.want == "" {
				require.NoError(t, err)
			} else {
				require.ErrorContains(t, err, tc.want)
			}
		})
	}
}

func TestVerify(t *testing.T) {
	s := newSigner(t, 3)
	ok := func([]byte) error { return nil }
	ext := []byte("result")
	info := s.commit(t, ext, ext, []byte{})
	got, err := Verify(context.Background(), s.ring, info, 9, "c", ok)
	require.NoError(t, err)
	require.Equal(t, []Extension{Included, Included, Included}, got)

	_, err = Verify(context.Background(), s.ring, info, 10, "c", ok)
	require.ErrorContains(t, err, "does not verify", "signed at another height")
	_, err = Verify(context.Background(), s.ring, info, 9, "other-chain", ok)
	require.ErrorContains(t, err, "does not verify")
	got, err = Verify(context.Background(), s.ring, info, 9, "c", func(b []byte) error {
		if bytes.Equal(b, ext) {
			return errors.New("malformed")
		}
		return nil
	})
	require.NoError(t, err, "a validator's own malformed extension counts for nothing; it does not stop the proposal")
	require.Equal(t, []Extension{Invalid, Invalid, Included}, got)

	tampered := s.commit(t, ext, ext, ext)
	tampered.Votes[1].VoteExtension = []byte("другое")
	_, err = Verify(context.Background(), s.ring, tampered, 9, "c", ok)
	require.ErrorContains(t, err, "does not verify")

	unsigned := s.commit(t, ext, ext, ext)
	unsigned.Votes[0].ExtensionSignature = nil
	_, err = Verify(context.Background(), s.ring, unsigned, 9, "c", ok)
	require.ErrorContains(t, err, "without a signature")

	omitted := s.commit(t, ext, ext, ext)
	omitted.Votes[2].VoteExtension, omitted.Votes[2].ExtensionSignature = nil, nil
	got, err = Verify(context.Background(), s.ring, omitted, 9, "c", ok)
	require.NoError(t, err)
	require.Equal(t, []Extension{Included, Included, Omitted}, got)

	// A validator whose key x/staking no longer has (or rotated) cannot be
	// checked: its extension must be left out, and then it is Unsignable.
	delete(s.ring, string(s.keys[1].PubKey().Address()))
	_, err = Verify(context.Background(), s.ring, s.commit(t, ext, ext, ext), 9, "c", ok)
	require.ErrorContains(t, err, "no key")
	gone := s.commit(t, ext, ext, ext)
	gone.Votes[1].VoteExtension, gone.Votes[1].ExtensionSignature = nil, nil
	got, err = Verify(context.Background(), s.ring, gone, 9, "c", ok)
	require.NoError(t, err)
	require.Equal(t, []Extension{Included, Unsignable, Included}, got)
}

func TestFitAndCheckOmissions(t *testing.T) {
	s := newSigner(t, 4)
	big := bytes.Repeat([]byte{7}, 1000)
	info := s.commit(t, big, big, big, big)
	full, err := Encode(info)
	require.NoError(t, err)

	// Room for everything: nothing is left out.
	tx, err := Fit(context.Background(), s.ring, info, 8, Size(full))
	require.NoError(t, err)
	require.Equal(t, full, tx)

	// Room for about two: at height 8 the order starts at vote 0, so the
	// extensions of votes 2 and 3 go; flags and powers stay.
	target := Size(full) - 1500
	tx, err = Fit(context.Background(), s.ring, info, 8, target)
	require.NoError(t, err)
	require.LessOrEqual(t, Size(tx), target)
	fitted, err := Decode(tx)
	require.NoError(t, err)
	require.NoError(t, MatchesLastCommit(fitted, lastOf(info)))
	exts, err := Verify(context.Background(), s.ring, fitted, 9, "c", func([]byte) error { return nil })
	require.NoError(t, err)
	require.Equal(t, []Extension{Included, Included, Omitted, Omitted}, exts)
	require.NoError(t, CheckOmissions(exts, 8, Size(tx), target, 1000, SignatureBytes(fitted)), "what Fit does passes the check")

	// A proposer cannot drop anyone it likes, nor drop with room to spare.
	require.ErrorContains(t, CheckOmissions([]Extension{Omitted, Included, Included, Included}, 8, Size(tx), target, 1000, 64), "only the last")
	require.ErrorContains(t, CheckOmissions(exts, 8, Size(tx), 10*Size(full), 1000, 64), "had room")
	// Unsignable extensions are left out wherever they are.
	require.NoError(t, CheckOmissions([]Extension{Unsignable, Included, NotCommit, Included}, 8, 100, 10, 1000, 64))
}

// A proposer cannot make a commit look full with bytes that carry
// nothing: protobuf would skip an unknown field, so Decode requires the
// canonical encoding.
func TestDecodeRefusesPadding(t *testing.T) {
	s := newSigner(t, 4)
	info := s.commit(t, []byte("a"), []byte("b"), []byte("c"), []byte("d"))
	tx, err := Encode(info)
	require.NoError(t, err)
	got, err := Decode(tx)
	require.NoError(t, err)
	require.Equal(t, info.Votes[2].VoteExtension, got.Votes[2].VoteExtension)
	// Field 99, length-delimited, 1000 bytes.
	padded := append(append(append([]byte(nil), tx...), 0x9a, 0x06, 0xe8, 0x07), bytes.Repeat([]byte{0}, 1000)...)
	_, err = Decode(padded)
	require.ErrorContains(t, err, "not canonically encoded")
}

// In a block short of room, the validators whose extensions are left out
// change with the height: over any n heights in a row each of n validators
// is left out equally often, and a proposer must follow the height's order.
func TestOmissionsRotateWithTheHeight(t *testing.T) {
	s := newSigner(t, 4)
	big := bytes.Repeat([]byte{7}, 1000)
	info := s.commit(t, big, big, big, big)
	full, err := Encode(info)
	require.NoError(t, err)
	target := Size(full) - 1500
	dropped := make([]int, 4)
	for h := int64(20); h < 24; h++ {
		tx, err := Fit(context.Background(), s.ring, info, h, target)
		require.NoError(t, err)
		fitted, err := Decode(tx)
		require.NoError(t, err)
		exts, err := Verify(context.Background(), s.ring, fitted, 9, "c", func([]byte) error { return nil })
		require.NoError(t, err)
		require.NoError(t, CheckOmissions(exts, h, Size(tx), target, 1000, SignatureBytes(fitted)))
		for i, e := range exts {
			if e == Omitted {
				dropped[i]++
			}
		}
		// Height 20 starts at vote 0 and drops 2 and 3; the same omissions
		// at height 21 (start 1, drops 0 and 3) are refused.
		if h == 20 {
			require.Equal(t, []Extension{Included, Included, Omitted, Omitted}, exts)
			require.ErrorContains(t, CheckOmissions(exts, 21, Size(tx), target, 1000, SignatureBytes(fitted)), "only the last")
		}
	}
	require.Equal(t, []int{2, 2, 2, 2}, dropped, "each validator left out equally often")
	require.Equal(t, []int{3, 0, 1, 2}, Order(4, 7))
	require.Empty(t, Order(0, 7))
}

// A block too small for even the votes carries the elided commit (its
// round, no votes) instead of failing to propose; it is accepted only when
// the votes really do not fit.
func TestAnElidedCommitOnlyWhenTheVotesDoNotFit(t *testing.T) {
	s := newSigner(t, 4)
	big := bytes.Repeat([]byte{7}, 1000)
	info := s.commit(t, big, big, big, big)
	info.Round = 2
	last := lastOf(info)
	stripped, err := Encode(Stripped(last))
	require.NoError(t, err)

	tx, err := Fit(context.Background(), s.ring, info, 8, Size(stripped)-1)
	require.NoError(t, err)
	elided, err := Decode(tx)
	require.NoError(t, err)
	require.True(t, IsElided(elided))
	require.Equal(t, int32(2), elided.Round)
	require.Less(t, Size(tx), Size(stripped))
	require.NoError(t, CheckElided(elided, last, Size(stripped)-1))

	require.ErrorContains(t, CheckElided(elided, last, Size(stripped)), "room", "the votes fit: they must be there")
	other := last
	other.Round = 3
	require.ErrorContains(t, CheckElided(elided, other, 0), "round")

	// With room for the votes but no extension, the votes stay.
	tx, err = Fit(context.Background(), s.ring, info, 8, Size(stripped))
	require.NoError(t, err)
	kept, err := Decode(tx)
	require.NoError(t, err)
	require.NoError(t, MatchesLastCommit(kept, last))
	require.Equal(t, stripped, tx)
}

func TestBudget(t *testing.T) {
	cp := cmtproto.ConsensusParams{Block: &cmtproto.BlockParams{MaxBytes: 1 << 20}, Evidence: &cmtproto.EvidenceParams{MaxBytes: 1000}}
	b := Budget(cp, 4)
	require.Positive(t, b)
	require.Less(t, b, int64(1<<20-1000))
	require.Less(t, Budget(cp, 40), b, "more validators, bigger commit signatures, less room")
	cp.Block.MaxBytes = -1
	require.Greater(t, Budget(cp, 4), b, "no block limit: CometBFT's maximum")
	cp.Block.MaxBytes = 10
	require.Zero(t, Budget(cp, 4))
	require.Zero(t, Budget(cmtproto.ConsensusParams{}, 4))
}
