// Package web serves Delphi's reference web app (the Vite build in dist/,
// embedded so that a plain `go build` ships it) from the node's API server at
// /app/. The app's sources are in src/; `make web-build` rebuilds dist/.
package web

import "embed"

// dist is the committed production build of the app.
//
//go:embed all:dist
var dist embed.FS
