// Command delphid is Delphi's one binary: node, client, evaluator and model tools.
package main

import (
	"fmt"
	"os"

	"github.com/delphi-network/delphi/cmd/delphid/cmd"
)

func main() {
	if err := cmd.Execute(); err != nil {
		// One line: the error chain already says what failed and why.
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
}
