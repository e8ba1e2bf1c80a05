package ve

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cast"

	servertypes "github.com/cosmos/cosmos-sdk/server/types"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// secretFile holds the node's reporter secret, under the node's data
// directory: the salts of its result commitments and its seed
// contributions derive from it, so it must stay on the node and survive
// restarts (a lost secret costs the reveals of the rounds in flight).
const secretFile = "data/reporter_secret"

// LoadReporter is this node's identity as the author of its extensions:
// the consensus address of its priv_validator_key_file (relative to home,
// as CometBFT's config names it) and its reporter secret, created on first
// use. A node without a local validator key (a full node, or one signing
// remotely without [evaluator] consensus_address) has none and extends its
// votes with nothing.
func LoadReporter(opts servertypes.AppOptions) (evaluationtypes.Reporter, error) {
	var none evaluationtypes.Reporter
	home := cast.ToString(opts.Get("home"))
	if home == "" {
		return none, fmt.Errorf("no home directory")
	}
	addr, err := reporterAddress(opts, home)
	if err != nil {
		return none, err
	}
	secret, err := loadSecret(filepath.Join(home, secretFile))
	if err != nil {
		return none, err
	}
	return evaluationtypes.Reporter{Address: addr, Secret: secret}, nil
}

func reporterAddress(opts servertypes.AppOptions, home string) ([]byte, error) {
	if s := cast.ToString(opts.Get("evaluator.consensus_address")); s != "" {
		return hex.DecodeString(s)
	}
	keyFile := cast.ToString(opts.Get("priv_validator_key_file"))
	if keyFile == "" {
		keyFile = filepath.Join("config", "priv_validator_key.json")
	}
	if !filepath.IsAbs(keyFile) {
		keyFile = filepath.Join(home, keyFile)
	}
	raw, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, fmt.Errorf("validator key: %w", err)
	}
	var key struct {
		Address string `json:"address"`
	}
	if err := json.Unmarshal(raw, &key); err != nil {
		return nil, fmt.Errorf("validator key %s: %w", keyFile, err)
	}
	addr, err := hex.DecodeString(key.Address)
	if err != nil || len(addr) == 0 {
		return nil, fmt.Errorf("validator key %s: address %q", keyFile, key.Address)
	}
	return addr, nil
}

func loadSecret(path string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if err == nil {
		secret, err := hex.DecodeString(strings.TrimSpace(string(raw)))
		if err != nil || len(secret) != 32 {
			return nil, fmt.Errorf("reporter secret %s is not 32 hex-encoded bytes", path)
		}
		return secret, nil
	}
	if !os.IsNotExist(err) {
		return nil, err
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(hex.EncodeToString(secret)+"\n"), 0o600); err != nil {
		return nil, err
	}
	return secret, os.Rename(tmp, path)
}
