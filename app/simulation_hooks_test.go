package app

// Test-only hooks (compiled into the package's tests, never into delphid).

import (
	"github.com/delphi-network/delphi/app/abci/preblock"
	"github.com/delphi-network/delphi/x/evaluation/simulation"
)

// EnableSimulation readies the app for the SDK simulator: its validators' vote
// extensions come from a simulation.Network (the simulator has no
// CometBFT), and after every block the app's invariants are checked — a
// broken one fails the block, so the simulator stops at the first block
// that breaks one. Simulations only: a node never calls it.
func (app *App) EnableSimulation() {
	net := simulation.NewNetwork(&app.EvaluationKeeper)
	app.preblock.SetSimulatedCommits(preblock.CommitSource(net.Commit))
	app.checkEveryBlock = true
}
