// Package localnet generates a local network's files: validator keys and
// gentxs, a genesis with funded accounts, and each node's home, config and
// ports. `delphid testnet init-files` (scripts/localnet.sh, make demo) and
// the in-process test network (testutil/network) both use it.
package localnet
