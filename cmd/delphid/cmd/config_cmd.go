package cmd

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
)

// configFiles maps the names `delphid config` accepts to files under
// <home>/config.
var configFiles = map[string]string{
	"client": "client.toml",
	"app":    "app.toml",
	"comet":  "config.toml",
}

// configCmd reads and edits the node's and client's TOML files, so scripts and
// operators never have to patch them with sed.
func configCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Read or change settings in client.toml, app.toml or config.toml (comet)",
		Long: `Read or change settings in the home's config files.

FILE is client (client.toml), app (app.toml) or comet (config.toml). KEY is a
dotted path such as rpc.laddr or api.enable; VALUE is parsed as a boolean or a
number when it looks like one, and kept as a string otherwise.`,
		Example: `  delphid config get client chain-id
  delphid config set client chain-id delphi-local
  delphid config set comet consensus.timeout_commit 1s
  delphid config set app api.enable true`,
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "get FILE KEY",
		Short: "Print one setting",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, doc, err := loadConfigFile(cmd, args[0])
			if err != nil {
				return err
			}
			v, err := lookup(doc, args[1])
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			cmd.Println(formatValue(v))
			return nil
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "set FILE KEY VALUE",
		Short: "Change one setting",
		Args:  cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, doc, err := loadConfigFile(cmd, args[0])
			if err != nil {
				return err
			}
			if err := assign(doc, args[1], parseValue(args[2])); err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			out, err := toml.Marshal(doc)
			if err != nil {
				return err
			}
			return os.WriteFile(path, out, 0o600)
		},
	})
	return cmd
}

func loadConfigFile(cmd *cobra.Command, name string) (string, map[string]any, error) {
	file, ok := configFiles[name]
	if !ok {
		return "", nil, fmt.Errorf("unknown config file %q: want client, app or comet", name)
	}
	home := client.GetClientContextFromCmd(cmd).HomeDir
	path := filepath.Join(home, "config", file)
	raw, err := os.ReadFile(path)
	if err != nil {
		return "", nil, fmt.Errorf("read %s (run `delphid init` first?): %w", path, err)
	}
	doc := map[string]any{}
	if err := toml.Unmarshal(raw, &doc); err != nil {
		return "", nil, fmt.Errorf("parse %s: %w", path, err)
	}
	return path, doc, nil
}

func lookup(doc map[string]any, key string) (any, error) {
	parts := strings.Split(key, ".")
	cur := doc
	for i, p := range parts {
		v, ok := cur[p]
		if !ok {
			return nil, fmt.Errorf("no setting %q", key)
		}
		if i == len(parts)-1 {
			return v, nil
		}
		if cur, ok = v.(map[string]any); !ok {
			return nil, fmt.Errorf("%q is not a section", strings.Join(parts[:i+1], "."))
		}
	}
	return nil, fmt.Errorf("empty key")
}

// assign sets an existing key only: a typo must not silently add a setting
// that nothing reads.
func assign(doc map[string]any, key string, value any) error {
	parts := strings.Split(key, ".")
	cur := doc
	for _, p := range parts[:len(parts)-1] {
		next, ok := cur[p].(map[string]any)
		if !ok {
			return fmt.Errorf("no section %q", p)
		}
		cur = next
	}
	last := parts[len(parts)-1]
	if _, ok := cur[last]; !ok {
		return fmt.Errorf("no setting %q", key)
	}
	cur[last] = value
	return nil
}

func parseValue(s string) any {
	if b, err := strconv.ParseBool(s); err == nil {
		return b
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	return s
}

func formatValue(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}
