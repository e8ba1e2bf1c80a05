package web

import (
	"encoding/json"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
)

// Prefix is where the app is mounted on the API server.
const Prefix = "/app/"

// Config is what the app learns from the node that serves it, at
// /app/config.json. The app's REST calls go to the same origin; only the
// CometBFT websocket (events) lives on another port.
type Config struct {
	// RPCPort is the CometBFT RPC port; the app dials ws://<page host>:<port>/websocket
	// so that it works whether the page was opened as 127.0.0.1 or localhost.
	RPCPort int `json:"rpc_port"`
	// RPCPath is the path of the websocket endpoint.
	RPCPath string `json:"rpc_path"`
}

// ConfigFromLaddr derives the app's Config from CometBFT's rpc.laddr
// (e.g. "tcp://127.0.0.1:26657"). A laddr without a TCP port (a unix socket)
// gives port 0, which the app reads as "no live events": its pages then show
// the state as of their last load, and say so.
func ConfigFromLaddr(laddr string) Config {
	cfg := Config{RPCPath: "/websocket"}
	u, err := url.Parse(laddr)
	if err != nil || u.Host == "" {
		return cfg
	}
	_, port, err := net.SplitHostPort(u.Host)
	if err != nil {
		return cfg
	}
	if p, err := strconv.Atoi(port); err == nil && p > 0 && p < 65536 {
		cfg.RPCPort = p
	}
	return cfg
}

const contentSecurityPolicy = "default-src 'self'; script-src 'self'; connect-src 'self' ws: wss:; " +
	"img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

// Handler serves the embedded app under Prefix: the files of dist/, the
// node's Config at config.json, and index.html for every other path, so a
// reload on any page of the app works.
func Handler(cfg Config) http.Handler {
	root, err := fs.Sub(dist, "dist")
	if err != nil {
		// dist is embedded at build time; a missing directory is a build defect.
		panic(err)
	}
	files := http.FileServer(http.FS(root))
	conf, _ := json.Marshal(cfg)
	return http.StripPrefix(strings.TrimSuffix(Prefix, "/"), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		switch {
		case name == "config.json":
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Cache-Control", "no-store")
			_, _ = w.Write(conf)
			return
		case name == "assets" || strings.HasPrefix(name, "assets/"):
			// Vite names assets by content hash: they never change. A
			// missing asset is a 404, and directories are not listed.
			info, err := fs.Stat(root, name)
			if err != nil || info.IsDir() {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		case name != "" && name != "index.html":
			if _, err := fs.Stat(root, name); err != nil {
				r.URL.Path = "/"
			}
		}
		if r.URL.Path == "/" || r.URL.Path == "" || name == "index.html" {
			w.Header().Set("Cache-Control", "no-cache")
			r.URL.Path = "/"
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		// The page can hold a private key: only its own scripts run, and it
		// talks only to this node (REST) and a CometBFT websocket.
		w.Header().Set("Content-Security-Policy", contentSecurityPolicy)
		files.ServeHTTP(w, r)
	}))
}
