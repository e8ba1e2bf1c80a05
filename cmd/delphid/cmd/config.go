package cmd

import (
	"time"

	serverconfig "github.com/cosmos/cosmos-sdk/server/config"

	"github.com/delphi-network/delphi/app"
)

// blockTime is CometBFT's timeout_commit for new nodes. Trading reacts to
// evaluation rounds, so Delphi favours short blocks.
const blockTime = time.Second

// appConfig is the SDK's app.toml with Delphi's defaults: gas is paid in
// udelphi and a zero price is accepted, which an operator raises on a public
// network.
func appConfig() *serverconfig.Config {
	cfg := serverconfig.DefaultConfig()
	cfg.MinGasPrices = "0" + app.BondDenom
	return cfg
}

func appConfigTemplate() string { return serverconfig.DefaultConfigTemplate }
