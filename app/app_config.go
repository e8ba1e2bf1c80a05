package app

import (
	serverconfig "github.com/cosmos/cosmos-sdk/server/config"

	"github.com/delphi-network/delphi/app/abci/ve"
)

// Config is app.toml: the SDK's settings plus Delphi's [evaluator] section.
type Config struct {
	serverconfig.Config `mapstructure:",squash"`
	Evaluator           ve.EvaluatorConfig `mapstructure:"evaluator"`
}

// DefaultConfig is app.toml for a new node: gas in udelphi at a zero price
// (an operator raises it on a public network), no evaluator sidecar.
func DefaultConfig() Config {
	cfg := serverconfig.DefaultConfig()
	cfg.MinGasPrices = "0" + BondDenom
	return Config{Config: *cfg, Evaluator: ve.DefaultEvaluatorConfig()}
}

// ConfigTemplate renders Config.
func ConfigTemplate() string { return serverconfig.DefaultConfigTemplate + ve.EvaluatorConfigTemplate }

// WriteConfig writes cfg as app.toml at path.
func WriteConfig(path string, cfg Config) {
	serverconfig.SetConfigTemplate(ConfigTemplate())
	serverconfig.WriteConfigFile(path, cfg)
}
