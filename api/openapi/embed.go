// Package openapi embeds the OpenAPI 3 document that
// `make proto-gen` writes for every Delphi REST route.
package openapi

import _ "embed"

// Document is the merged OpenAPI document served at /delphi/openapi.json.
//
//go:embed delphi.openapi.json
var Document []byte
