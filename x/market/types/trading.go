package types

import (
	"fmt"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// Trading says whether market m trades at height h, given its evaluation.
//
// Nobody may trade on what the market maker cannot see. A round's items
// are unknown until its seed is fixed, at its draw height at the earliest
// (validators reveal their contributions to it in the extensions of the
// height before, so the proposer of the draw height's block may know it);
// from then on anyone who runs the models knows their scores on it, while
// the LMSR still prices what was known before. So trading stops in the
// block of a round's draw height and stays stopped until the round's
// results are final on chain — published to everyone at once — and
// reopen_blocks more blocks have passed; then it runs until the next
// round's draw. Once the last round not yet drawn is drawn, trading has
// ended for good: the market only waits for settlement. A market with
// reopen_blocks 0 trades only before its evaluation's first draw.
//
// The rule reads only the evaluation's per-round heights, so a round drawn
// again (a timeout, a dispute without verdict) or a result replaced by a
// dispute closes trading again by itself. While a dispute about one of the
// evaluation's results is open (disputed), trading stays closed too: the
// published result may be wrong, and anyone who reruns the disputed item
// knows which.
func Trading(m Market, e evaluationtypes.Evaluation, h int64, disputed bool) TradingState {
	closed := func(reopen int64, format string, args ...any) TradingState {
		return TradingState{Reason: fmt.Sprintf(format, args...), ReopensAt: reopen}
	}
	if m.Status != MARKET_STATUS_OPEN {
		return closed(0, "market %d is %s", m.Id, m.Status)
	}
	if m.TradingEndHeight != 0 && h >= m.TradingEndHeight {
		return closed(0, "market %d stopped trading at height %d (its creator's trading end)", m.Id, m.TradingEndHeight)
	}
	if e.Status != evaluationtypes.EVALUATION_STATUS_SCHEDULED && e.Status != evaluationtypes.EVALUATION_STATUS_RUNNING {
		return closed(0, "evaluation %d is %s: the market settles on it", e.Id, e.Status)
	}
	nextDraw, lastFinal := int64(0), int64(0)
	pending, pendingAt := -1, int64(0) // a drawn round whose results are not final
	drawn := 0
	for r := 0; r < int(e.Rounds); r++ {
		at := RoundDrawn(e, r, h)
		if at == 0 {
			if d := evaluationtypes.RoundHeight(e.DrawHeights, r); nextDraw == 0 || d < nextDraw {
				nextDraw = d
			}
			continue
		}
		drawn++
		if f := evaluationtypes.RoundHeight(e.FinalHeights, r); f == 0 {
			if pending < 0 {
				pending, pendingAt = r, at
			}
		} else if f > lastFinal {
			lastFinal = f
		}
	}
	switch {
	case nextDraw == 0:
		return closed(0, "every round of evaluation %d is drawn: trading has ended and the market settles on the results", e.Id)
	case drawn > 0 && m.ReopenBlocks == 0:
		return closed(0, "evaluation %d's first round is drawn: market %d trades only before it (reopen_blocks 0)", e.Id, m.Id)
	case pending >= 0:
		return closed(0, "round %d's items are known since height %d and its results are not final: trading resumes %s after they are",
			pending, pendingAt, blocks(m.ReopenBlocks))
	case drawn > 0 && disputed:
		return closed(0, "a dispute about a result of evaluation %d is open: trading resumes when it is decided (%s after, if it replaces the result)",
			e.Id, blocks(m.ReopenBlocks))
	}
	closes := nextDraw
	if m.TradingEndHeight != 0 && m.TradingEndHeight < closes {
		closes = m.TradingEndHeight
	}
	if drawn > 0 {
		reopen := lastFinal + int64(m.ReopenBlocks)
		if reopen >= closes {
			return closed(0, "round results became final at height %d: trading would resume at %d, but it closes at %d first",
				lastFinal, reopen, closes)
		}
		if h < reopen {
			return closed(reopen, "round results became final at height %d: trading resumes at height %d", lastFinal, reopen)
		}
	}
	return TradingState{Open: true, ClosesAt: closes}
}

// RoundDrawn is the height from which round r's items can be known at
// height h: its first draw, or its draw height once reached (the seed may
// be revealed while the draw still waits for it); 0 while neither.
func RoundDrawn(e evaluationtypes.Evaluation, r int, h int64) int64 {
	if o := evaluationtypes.RoundHeight(e.OpenedHeights, r); o != 0 {
		return o
	}
	if d := evaluationtypes.RoundHeight(e.DrawHeights, r); d != 0 && d <= h {
		return d
	}
	return 0
}

// Exposed reports whether some round of the market's evaluation is drawn
// at height h while the market is open: scores are (partly) knowable that
// its prices may not reflect, so x/vault neither takes deposits nor pays
// withdrawals against it until it settles.
func Exposed(m Market, e evaluationtypes.Evaluation, h int64) bool {
	if m.Status != MARKET_STATUS_OPEN {
		return false
	}
	for r := 0; r < int(e.Rounds); r++ {
		if RoundDrawn(e, r, h) != 0 {
			return true
		}
	}
	return false
}

// blocks says n blocks in words.
func blocks(n uint64) string {
	if n == 1 {
		return "1 block"
	}
	return fmt.Sprintf("%d blocks", n)
}
