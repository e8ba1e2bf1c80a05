// Command finish turns the OpenAPI 3 document protoc-gen-openapi writes
// (YAML, every service's tag named "Query", operation ids such as
// "Query_Params" repeated once per module) into the JSON document the node
// serves at /delphi/openapi.json: operations are tagged by module and their
// ids are unique ("market.Query_Params"), so generated clients do not
// collide. `make proto-gen` runs it; its output is deterministic (sorted
// keys), so `make proto-check` can compare it.
//
// Usage: go run ./api/openapi/finish IN.yaml OUT.json
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

// modules describes each module's routes (the document's tags).
var modules = map[string]string{
	"chain":      "Chain-level facts a client needs first: chain id, denominations, vote-extension height.",
	"evaluation": "Benchmarks, models, evaluations, their rounds, results, commitments and the intelligence index.",
	"market":     "Prediction markets: terms, prices, price history, quotes and positions.",
	"vault":      "Liquidity vaults: terms, funded markets, depositors and queued withdrawals.",
	"verde":      "Verde disputes: bisection games over a result's trace, and their verdicts.",
}

// heightHeader is the header every route accepts to read a past block.
var heightHeader = map[string]any{
	"name":        "x-cosmos-block-height",
	"in":          "header",
	"required":    false,
	"description": "Read the state as of this block height (400 for a height the node has not reached, 404 for one it has pruned).",
	"schema":      map[string]any{"type": "string", "format": "int64"},
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: finish IN.yaml OUT.json")
		os.Exit(2)
	}
	if err := finish(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "openapi finish:", err)
		os.Exit(1)
	}
}

func finish(in, out string) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	js, err := yaml.YAMLToJSON(raw)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(js, &doc); err != nil {
		return err
	}
	info, _ := doc["info"].(map[string]any)
	if info == nil {
		return fmt.Errorf("%s has no info", in)
	}
	info["description"] = "Delphi's REST routes (grpc-gateway v2 over the gRPC query services). Errors answer " +
		"4xx for a request the chain refuses (unknown id, bad argument) and 5xx for the node's own failures, " +
		"with a google.rpc.Status body. Enum query parameters take the full name or the short one (?status=open)."
	paths, _ := doc["paths"].(map[string]any)
	used := map[string]bool{}
	ids := map[string]string{}
	for path, item := range paths {
		parts := strings.Split(path, "/")
		if len(parts) < 3 || parts[1] != "delphi" || modules[parts[2]] == "" {
			return fmt.Errorf("path %s is not under /delphi/<module>/", path)
		}
		module := parts[2]
		ops, _ := item.(map[string]any)
		for method, v := range ops {
			op, ok := v.(map[string]any)
			if !ok {
				continue
			}
			id, _ := op["operationId"].(string)
			id = module + "." + id
			if other, dup := ids[id]; dup {
				return fmt.Errorf("operation id %s names both %s and %s %s", id, other, method, path)
			}
			ids[id] = method + " " + path
			op["operationId"] = id
			op["tags"] = []string{module}
			params, _ := op["parameters"].([]any)
			op["parameters"] = append(params, heightHeader)
		}
		used[module] = true
	}
	var names []string
	for m := range used {
		names = append(names, m)
	}
	sort.Strings(names)
	tags := make([]map[string]string, len(names))
	for i, m := range names {
		tags[i] = map[string]string{"name": m, "description": modules[m]}
	}
	doc["tags"] = tags
	bz, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(out, append(bz, '\n'), 0o644)
}
