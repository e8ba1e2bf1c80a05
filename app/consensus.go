package app

import (
	"fmt"

	cmttypes "github.com/cometbft/cometbft/types"

	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"
)

// EnableVoteExtensions sets the vote-extension enable height in a genesis
// file's consensus params, creating default params where the file has none.
// `delphid init` and the test networks call it so that every Delphi genesis
// carries vote extensions from DefaultVoteExtensionsEnableHeight.
func EnableVoteExtensions(genFile string, height int64) error {
	gen, err := genutiltypes.AppGenesisFromFile(genFile)
	if err != nil {
		return fmt.Errorf("read genesis %s: %w", genFile, err)
	}
	if gen.Consensus == nil {
		gen.Consensus = &genutiltypes.ConsensusGenesis{}
	}
	if gen.Consensus.Params == nil {
		gen.Consensus.Params = cmttypes.DefaultConsensusParams()
	}
	gen.Consensus.Params.ABCI.VoteExtensionsEnableHeight = height
	if err := gen.ValidateAndComplete(); err != nil {
		return fmt.Errorf("genesis %s: %w", genFile, err)
	}
	return gen.SaveAs(genFile)
}
