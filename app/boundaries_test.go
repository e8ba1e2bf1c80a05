package app_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestModuleBoundaries reads the import graph of x/ with `go list` (test
// files excluded: a test may build another module's keeper as a fixture):
// no module's keeper or types imports another module's keeper — a module
// reaches another only through the interfaces of its types/expected_keepers.go
// (or hooks) — and no module imports the app, the sidecar or the CLI.
func TestModuleBoundaries(t *testing.T) {
	const root = "github.com/delphi-network/delphi/"
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, root+"x/...").Output()
	require.NoError(t, err)
	module := func(pkg string) (name, rest string, ok bool) {
		p, ok := strings.CutPrefix(pkg, root+"x/")
		if !ok {
			return "", "", false
		}
		name, rest, _ = strings.Cut(p, "/")
		return name, rest, true
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	require.Greater(t, len(lines), 8, "go list found the modules")
	for _, line := range lines {
		f := strings.Fields(line)
		pkg, imports := f[0], f[1:]
		from, _, _ := module(pkg)
		for _, imp := range imports {
			for _, banned := range []string{"app", "evaluator", "cmd", "testutil"} {
				require.False(t, imp == root+banned || strings.HasPrefix(imp, root+banned+"/"), "%s imports %s", pkg, imp)
			}
			to, rest, ok := module(imp)
			if !ok || to == from {
				continue
			}
			require.False(t, rest == "keeper" || strings.HasPrefix(rest, "keeper/"),
				"%s imports %s: reach x/%s through an interface in x/%s/types/expected_keepers.go", pkg, imp, to, from)
		}
	}
}

// TestTheBinaryHoldsNoTestCode: delphid (node, CLI, sidecar, testnet
// generator) builds without testutil.
func TestTheBinaryHoldsNoTestCode(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/delphi-network/delphi/cmd/delphid").Output()
	require.NoError(t, err)
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/delphi-network/delphi/internal/localnet")
	for _, d := range deps {
		require.False(t, strings.HasPrefix(d, "github.com/delphi-network/delphi/testutil"), "delphid depends on %s", d)
	}
}
