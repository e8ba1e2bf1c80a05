// Validators by consensus address, as disputes and results name them (hex
// of the first 20 bytes of SHA-256 of the ed25519 consensus key): the
// moniker a trader recognises instead of a hash.
import type { Api } from "./api";
import type { Validators } from "./story";

interface StakingValidator {
  description?: { moniker?: string };
  consensus_pubkey?: { key?: string };
  jailed?: boolean;
}

/** Consensus address (lowercase hex) of a base64 ed25519 public key. */
export async function consensusHex(pubkeyB64: string): Promise<string> {
  const [{ sha256 }, { fromBase64, toHex }] = await Promise.all([import("@cosmjs/crypto"), import("@cosmjs/encoding")]);
  return toHex(sha256(fromBase64(pubkeyB64)).slice(0, 20));
}

/** Moniker and jailed status per consensus address; one the node does not list is shortened instead. */
export async function validatorInfo(api: Api): Promise<Validators> {
  const known = new Map<string, { name: string; jailed: boolean }>();
  try {
    const r = await api.get<{ validators: StakingValidator[] }>("/cosmos/staking/v1beta1/validators?pagination.limit=300");
    await Promise.all(
      r.validators.map(async (v) => {
        if (v.consensus_pubkey?.key) {
          known.set(await consensusHex(v.consensus_pubkey.key), { name: v.description?.moniker || "a validator", jailed: !!v.jailed });
        }
      }),
    );
  } catch {
    // Without the staking route, validators are named by address.
  }
  return (hex: string) => known.get(hex.toLowerCase()) ?? { name: `validator ${hex.slice(0, 8).toLowerCase()}…` };
}
