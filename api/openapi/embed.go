// Package openapi embeds the merged OpenAPI (Swagger 2.0) document that
// `make proto-gen` writes for every Delphi REST route.
package openapi

import _ "embed"

// Document is the merged OpenAPI document served at /delphi/openapi.json.
//
//go:embed delphi.swagger.json
var Document []byte
