package types

// SetRoundHeight records height for round r in one of the evaluation's
// per-round height lists (OpenedHeights, FinalHeights), growing the list to
// one entry per round (evaluations stored before the lists existed have
// none). Without overwrite only an unset (0) entry is written. It reports
// whether the entry changed.
func (e *Evaluation) SetRoundHeight(list *[]int64, r uint32, height int64, overwrite bool) bool {
	if r >= e.Rounds {
		return false
	}
	for len(*list) < int(e.Rounds) {
		*list = append(*list, 0)
	}
	cur := (*list)[r]
	if cur == height || (cur != 0 && !overwrite) {
		return false
	}
	(*list)[r] = height
	return true
}

// RoundHeight is round r's entry in a per-round height list (0: unset).
func RoundHeight(list []int64, r int) int64 {
	if r < 0 || r >= len(list) {
		return 0
	}
	return list[r]
}
