package keeper

// SetSlotSearchBlocks makes the draw schedule's search short (a full
// schedule small enough for a test) and returns the undo.
func SetSlotSearchBlocks(n int64) (undo func()) {
	old := slotSearchBlocks
	slotSearchBlocks = n
	return func() { slotSearchBlocks = old }
}
