package types

import "fmt"

// DefaultGenesis has no disputes.
func DefaultGenesis() *GenesisState { return &GenesisState{Params: DefaultParams(), NextDisputeId: 1} }

// Validate checks params and dispute ids.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	seen := map[uint64]bool{}
	for _, d := range gs.Disputes {
		if d.Id == 0 || d.Id >= gs.NextDisputeId || seen[d.Id] {
			return fmt.Errorf("dispute id %d duplicated or not below next_dispute_id %d", d.Id, gs.NextDisputeId)
		}
		if d.Status == DISPUTE_STATUS_UNSPECIFIED || d.Phase == PHASE_UNSPECIFIED {
			return fmt.Errorf("dispute %d: status and phase are required", d.Id)
		}
		seen[d.Id] = true
	}
	return nil
}
