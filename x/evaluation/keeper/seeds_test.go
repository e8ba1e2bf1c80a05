package keeper_test

import (
	"encoding/hex"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	"github.com/delphi-network/delphi/x/evaluation/types"
)

// seed is the seed of height h: its record while the chain keeps it,
// then what the events said (the record is pruned once drawn from).
func (f *fixture) seed(t testing.TB, h int64) types.Seed {
	t.Helper()
	s, err := f.k.Seeds.Get(f.ctx, h)
	if errors.Is(err, collections.ErrNotFound) {
		got, ok := f.sim.Seeds[h]
		require.True(t, ok, "no seed at %d", h)
		return got
	}
	require.NoError(t, err)
	return s
}

// seedOf is the seed the given validators' contributions make at h.
func (f *fixture) seedOf(h int64, vals ...int) string {
	var cs []types.Contribution
	for _, i := range vals {
		r := f.sim.Validators[i]
		cs = append(cs, types.Contribution{Validator: r.Address, Value: r.SeedContribution(h)})
	}
	return hex.EncodeToString(types.SeedValue(h, cs))
}

// TestAProposerDroppingARevealDelaysTheSeedButCannotChangeIt: the seed
// waits for every validator that committed; a proposer that leaves a
// reveal out of its block (here validator 2's vote is missing from the
// block of the seed's height) only delays the draw by a block, and the
// seed is the one all four contributions make.
func TestAProposerDroppingARevealDelaysTheSeedButCannotChangeIt(t *testing.T) {
	f := newFixture(t)
	id := scheduleThreeRounds(t, f)
	f.runTo(t, 102)
	f.sim.Absent[2] = true
	f.runTo(t, 103)
	require.Equal(t, types.SEED_STATUS_PENDING, f.seed(t, 103).Status, "one committed contribution is missing")
	require.Empty(t, f.rounds(t, id))
	delete(f.sim.Absent, 2)
	f.runTo(t, 104)
	s := f.seed(t, 103)
	require.Equal(t, types.SEED_STATUS_FIXED, s.Status)
	require.Equal(t, f.seedOf(103, 0, 1, 2, 3), s.Value)
	require.Len(t, f.rounds(t, id), 1)
	r := f.rounds(t, id)[0]
	require.Equal(t, int64(104), r.StartHeight)
	require.Equal(t, int64(103), r.SeedHeight)
}

// TestAWithholderCanOnlyDelay: a validator that committed and then withholds
// its contribution holds the seed for seed_grace_blocks; then the seed is
// fixed with the others' (more than 2/3), and the withholder's choice was
// between two seeds, at the cost of a delay.
func TestAWithholderCanOnlyDelay(t *testing.T) {
	f := newFixture(t)
	id := scheduleThreeRounds(t, f)
	f.sim.Tamper = func(i int, h int64, ve *types.VoteExtension) {
		if i == 3 {
			ve.SeedReveals = nil
		}
	}
	f.runTo(t, 104)
	require.Equal(t, types.SEED_STATUS_PENDING, f.seed(t, 103).Status)
	f.runTo(t, 105) // 103 + seed_grace_blocks (2)
	s := f.seed(t, 103)
	require.Equal(t, types.SEED_STATUS_FIXED, s.Status)
	require.Equal(t, f.seedOf(103, 0, 1, 2), s.Value)
	require.Equal(t, int64(75), s.Power)
	require.Len(t, f.rounds(t, id), 1)
}

// TestASeedWithoutTwoThirdsCommittedFails: if too little power committed
// to the seed of a draw (here two of four validators were down while
// commitments were taken), nobody can make it unpredictable: it fails and
// the draw moves to a later seed.
func TestASeedWithoutTwoThirdsCommittedFails(t *testing.T) {
	f := newFixture(t)
	id := scheduleThreeRounds(t, f)
	f.sim.Absent[2], f.sim.Absent[3] = true, true
	f.runTo(t, 103)
	require.Equal(t, types.SEED_STATUS_FAILED, f.seed(t, 103).Status)
	require.Empty(t, f.rounds(t, id))
	delete(f.sim.Absent, 2)
	delete(f.sim.Absent, 3)
	f.runTo(t, 106)
	require.Equal(t, types.SEED_STATUS_FIXED, f.seed(t, 106).Status)
	// Round 0 moved to the next seed with room, 106, which round 1 had
	// reserved already: both are drawn there.
	rounds := f.rounds(t, id)
	require.Len(t, rounds, 2)
	for _, r := range rounds {
		require.Equal(t, int64(106), r.SeedHeight)
		require.Equal(t, int64(106), r.StartHeight)
	}
	e, err := f.k.Evaluations.Get(f.ctx, id)
	require.NoError(t, err)
	require.Equal(t, []int64{106, 106, 109}, e.DrawHeights)
}

// TestLateSeedCommitmentsAndBadRevealsCountForNothing: a commitment that
// arrives once reveals may have begun is refused (a late committer could
// pick its value after seeing the others'); a reveal that does not open
// the validator's commitment is a fault and the contribution is left out.
func TestLateSeedCommitmentsAndBadRevealsCountForNothing(t *testing.T) {
	f := newFixture(t)
	scheduleThreeRounds(t, f)
	late := f.sim.Validators[3]
	f.sim.Tamper = func(i int, h int64, ve *types.VoteExtension) {
		switch {
		case i == 3:
			// Commits to the seed of 103 only at height 102 (recorded by
			// block 103, when reveals count) and reveals at once.
			ve.SeedCommitments, ve.SeedReveals = nil, nil
			if h == 102 {
				ve.SeedCommitments = []*types.SeedCommitment{{Height: 103,
					Hash: types.SeedCommitmentHash(103, late.Address, late.SeedContribution(103))}}
				ve.SeedReveals = []*types.SeedReveal{{Height: 103, Value: late.SeedContribution(103)}}
			}
		case i == 2 && h == 102:
			for _, r := range ve.SeedReveals {
				r.Value = make([]byte, types.SeedValueLen) // not what it committed to
			}
		}
	}
	f.runTo(t, 103)
	require.Equal(t, types.SEED_STATUS_PENDING, f.seed(t, 103).Status, "validator 2's bad reveal does not count")
	f.runTo(t, 104)
	s := f.seed(t, 103)
	require.Equal(t, types.SEED_STATUS_FIXED, s.Status)
	require.Equal(t, f.seedOf(103, 0, 1, 2), s.Value, "validator 3's late contribution does not count")
	require.Equal(t, []string{f.valHex(0), f.valHex(1), f.valHex(2)}, s.Contributors, "validator 3's late commitment was refused")
	p, err := f.k.Participations.Get(f.ctx, f.sim.Validators[2].Address)
	require.NoError(t, err)
	require.Positive(t, p.Faults)
}

// TestAProposerCannotChooseTheSeedByLeavingContributionsOut: every
// contribution to the seed of 103 is public in the extensions of 102, so
// the proposers of 103, 104, 105 (the grace) could each leave one honest
// validator's vote out of their blocks and choose, between the seeds with
// and without it, the one whose items suit them. A contributor that was
// not heard is waited for (up to seed_max_wait_blocks), so the seed comes
// out the same whoever is left out, and nobody is faulted for a vote a
// proposer dropped.
func TestAProposerCannotChooseTheSeedByLeavingContributionsOut(t *testing.T) {
	seedWithout := func(t *testing.T, left int) types.Seed {
		f := newFixture(t)
		scheduleThreeRounds(t, f)
		f.runTo(t, 102)
		f.sim.Absent[left] = true
		f.runTo(t, 105) // 103 + seed_grace_blocks
		require.Equal(t, types.SEED_STATUS_PENDING, f.seed(t, 103).Status)
		delete(f.sim.Absent, left)
		f.runTo(t, 106)
		for i := range f.sim.Validators {
			require.Zero(t, f.participation(t, i).Faults, "validator %d", i)
		}
		s := f.seed(t, 103)
		require.Equal(t, f.seedOf(103, 0, 1, 2, 3), s.Value)
		return s
	}
	require.Equal(t, seedWithout(t, 0).Value, seedWithout(t, 1).Value)
}

// TestAContributorNeverHeardIsWaitedForUpToTheMaximum: a validator that
// committed and then is never heard again (down, or every proposer leaves
// it out) holds the seed for seed_max_wait_blocks; then the seed is fixed
// without it, and it is not faulted: being unheard proves nothing.
func TestAContributorNeverHeardIsWaitedForUpToTheMaximum(t *testing.T) {
	f := newFixture(t)
	id := scheduleThreeRounds(t, f)
	f.runTo(t, 102)
	f.sim.Absent[3] = true
	round0 := func() bool {
		_, err := f.k.GetRound(f.ctx, id, 0)
		return err == nil
	}
	f.runTo(t, 110) // 103 + seed_max_wait_blocks (8) - 1
	require.Equal(t, types.SEED_STATUS_PENDING, f.seed(t, 103).Status)
	require.False(t, round0())
	f.runTo(t, 111)
	s := f.seed(t, 103)
	require.Equal(t, types.SEED_STATUS_FIXED, s.Status)
	require.Equal(t, f.seedOf(103, 0, 1, 2), s.Value)
	require.Zero(t, f.participation(t, 3).Faults)
	require.True(t, round0())
}
