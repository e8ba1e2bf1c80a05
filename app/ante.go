package app

import (
	"fmt"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/x/auth/ante"
)

// setAnteHandler installs the SDK's standard ante chain: fee deduction,
// signature verification, sequence checks and gas accounting.
func (app *App) setAnteHandler(txConfig client.TxConfig) {
	handler, err := ante.NewAnteHandler(ante.HandlerOptions{
		AccountKeeper:   app.AccountKeeper,
		BankKeeper:      app.BankKeeper,
		SignModeHandler: txConfig.SignModeHandler(),
		SigGasConsumer:  ante.DefaultSigVerificationGasConsumer,
	})
	if err != nil {
		panic(fmt.Errorf("build ante handler: %w", err))
	}
	app.SetAnteHandler(handler)
}
