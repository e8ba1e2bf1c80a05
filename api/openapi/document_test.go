package openapi

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDocumentIsOpenAPI3: the served document names Delphi and its
// version, every operation has a unique id and a module tag (generated
// clients would otherwise collide on Query_Params), and every schema
// reference resolves.
func TestDocumentIsOpenAPI3(t *testing.T) {
	var doc struct {
		OpenAPI string `json:"openapi"`
		Info    struct {
			Title, Version string
		} `json:"info"`
		Paths map[string]map[string]struct {
			OperationID string   `json:"operationId"`
			Tags        []string `json:"tags"`
			Parameters  []struct {
				Name, In string
			} `json:"parameters"`
		} `json:"paths"`
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal(Document, &doc))
	require.True(t, strings.HasPrefix(doc.OpenAPI, "3."), doc.OpenAPI)
	require.Equal(t, "Delphi REST API", doc.Info.Title)
	require.Equal(t, "v1", doc.Info.Version)

	ids := map[string]string{}
	for path, ops := range doc.Paths {
		module := strings.Split(path, "/")[2]
		for method, op := range ops {
			require.NotEmpty(t, op.OperationID, "%s %s", method, path)
			require.NotContains(t, ids, op.OperationID, "%s %s repeats the id of %s", method, path, ids[op.OperationID])
			ids[op.OperationID] = path
			require.Equal(t, []string{module}, op.Tags, path)
			require.Contains(t, op.Parameters, struct{ Name, In string }{"x-cosmos-block-height", "header"}, "%s reads past blocks", path)
		}
	}
	for _, want := range []string{"/delphi/chain/v1/info", "/delphi/market/v1/markets/{market_id}/quote", "/delphi/verde/v1/disputes"} {
		require.Contains(t, doc.Paths, want)
	}
	require.GreaterOrEqual(t, len(ids), 30)

	for _, ref := range regexp.MustCompile(`"\$ref": "#/components/schemas/([^"]+)"`).FindAllStringSubmatch(string(Document), -1) {
		require.Contains(t, doc.Components.Schemas, ref[1], "dangling reference")
	}
}
