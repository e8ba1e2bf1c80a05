package app

import "github.com/delphi-network/delphi/app/abci/ve"

// Tamper makes a node byzantine on purpose, for tests of the chain's
// defences: each function, when set, rewrites what this node sends. A
// production node never sets it (only test harnesses call SetTamper).
type Tamper struct {
	// VoteExtension rewrites this node's vote extension.
	VoteExtension ve.Tamper
	// Proposal rewrites the block this node proposes (txs[0] is the
	// injected extended commit once vote extensions are live).
	Proposal func(height int64, txs [][]byte) [][]byte
}

// SetTamper installs t; call it before the node starts.
func (app *App) SetTamper(t Tamper) {
	app.ve.SetTamper(t.VoteExtension)
	app.proposals.SetTamper(t.Proposal)
}
