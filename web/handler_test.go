package web

import (
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func get(t *testing.T, h http.Handler, method, path string) *http.Response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	return rec.Result()
}

func body(t *testing.T, r *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	return string(b)
}

// anAsset is one hashed file of the committed build.
func anAsset(t *testing.T) string {
	t.Helper()
	entries, err := fs.ReadDir(dist, "dist/assets")
	require.NoError(t, err, "dist/ holds a Vite build (make web-build)")
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".js") {
			return e.Name()
		}
	}
	t.Fatal("no JavaScript in dist/assets")
	return ""
}

func TestHandlerServesTheApp(t *testing.T) {
	h := Handler(Config{RPCPort: 26657, RPCPath: "/websocket"})

	r := get(t, h, http.MethodGet, "/app/")
	require.Equal(t, http.StatusOK, r.StatusCode)
	page := body(t, r)
	require.Contains(t, page, `<main id="main"`)
	require.Contains(t, page, `/app/assets/`, "asset URLs are under the mount point")
	require.Equal(t, "no-cache", r.Header.Get("Cache-Control"))

	// Every unknown path is the app (hash routes, reloads).
	r = get(t, h, http.MethodGet, "/app/markets/1")
	require.Equal(t, http.StatusOK, r.StatusCode)
	require.Equal(t, page, body(t, r))

	// Hashed assets are immutable; a missing asset is a 404, not the page.
	r = get(t, h, http.MethodGet, "/app/assets/"+anAsset(t))
	require.Equal(t, http.StatusOK, r.StatusCode)
	require.Contains(t, r.Header.Get("Content-Type"), "javascript")
	require.Contains(t, r.Header.Get("Cache-Control"), "immutable")
	r = get(t, h, http.MethodGet, "/app/assets/nope.js")
	require.Equal(t, http.StatusNotFound, r.StatusCode)
	for _, dir := range []string{"/app/assets", "/app/assets/"} {
		r = get(t, h, http.MethodGet, dir)
		require.Equal(t, http.StatusNotFound, r.StatusCode, "%s is not listed", dir)
	}

	// A path climbing out of the mount point is cleaned to one inside it.
	r = get(t, h, http.MethodGet, "/app/../../assets/"+anAsset(t))
	require.Equal(t, http.StatusOK, r.StatusCode)
	require.Contains(t, r.Header.Get("Content-Type"), "javascript")
	r = get(t, h, http.MethodGet, "/app/../handler.go")
	require.Equal(t, page, body(t, r))

	r = get(t, h, http.MethodGet, "/app/")
	require.Contains(t, r.Header.Get("Content-Security-Policy"), "script-src 'self'")

	r = get(t, h, http.MethodPost, "/app/")
	require.Equal(t, http.StatusMethodNotAllowed, r.StatusCode)
}

func TestHandlerServesTheNodeConfig(t *testing.T) {
	r := get(t, Handler(ConfigFromLaddr("tcp://127.0.0.1:28601")), http.MethodGet, "/app/config.json")
	require.Equal(t, http.StatusOK, r.StatusCode)
	require.Equal(t, "no-store", r.Header.Get("Cache-Control"))
	var cfg Config
	require.NoError(t, json.Unmarshal([]byte(body(t, r)), &cfg))
	require.Equal(t, Config{RPCPort: 28601, RPCPath: "/websocket"}, cfg)
}

func TestConfigFromLaddr(t *testing.T) {
	for laddr, port := range map[string]int{
		"tcp://127.0.0.1:26657": 26657,
		"tcp://0.0.0.0:1":       1,
		"tcp://[::1]:26657":     26657,
		"unix:///tmp/rpc.sock":  0,
		"":                      0,
		"tcp://127.0.0.1:99999": 0,
		"tcp://127.0.0.1:x":     0,
		"::::":                  0,
	} {
		require.Equal(t, port, ConfigFromLaddr(laddr).RPCPort, laddr)
		require.Equal(t, "/websocket", ConfigFromLaddr(laddr).RPCPath, laddr)
	}
}
