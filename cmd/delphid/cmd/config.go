package cmd

import (
	"time"

	"github.com/delphi-network/delphi/app"
)

// blockTime is CometBFT's timeout_commit for new nodes. Trading reacts to
// evaluation rounds, so Delphi favours short blocks.
const blockTime = time.Second

// appConfig is app.toml's defaults for a new node.
func appConfig() app.Config { return app.DefaultConfig() }

func appConfigTemplate() string { return app.ConfigTemplate() }
