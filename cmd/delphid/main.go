// Command delphid is Delphi's one binary: node, client, evaluator and model tools.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/delphi-network/delphi/cmd/delphid/cmd"
)

func main() {
	if err := cmd.Execute(); err != nil {
		// One line, whatever the wrapped errors contain: the chain already
		// says what failed and why, and scripts read the first line.
		fmt.Fprintln(os.Stderr, "Error:", cmd.ErrorText(err))
		code := 1
		var exit *cmd.ExitError
		if errors.As(err, &exit) {
			code = exit.Code
		}
		os.Exit(code)
	}
}
