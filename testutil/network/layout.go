package network

import "github.com/delphi-network/delphi/internal/localnet"

// The generated layout of a network — keys, genesis, node homes and ports —
// is internal/localnet's (shared with `delphid testnet init-files`); the
// in-process network starts it.

type (
	Options = localnet.Options
	Ports   = localnet.Ports
	Node    = localnet.Node
	Layout  = localnet.Layout
)

// Generate writes a network's files (localnet.Generate).
func Generate(opts Options) (*Layout, error) { return localnet.Generate(opts) }

// AppConfig is a node's app config (localnet.AppConfig).
var AppConfig = localnet.AppConfig
