// A key the user imports for the local test chain: a hex private key (as
// `delphid keys export NAME --unarmored-hex --unsafe` prints it) or a BIP-39
// mnemonic. The key lives in this tab's sessionStorage only. cosmjs is loaded
// on first use so that browsing never pays for it.
import type { OfflineDirectSigner } from "@cosmjs/proto-signing";
import { InputError } from "./format";

export interface Wallet {
  address: string;
  pubkey: Uint8Array;
  signer: OfflineDirectSigner;
  /** Where the key lives: imported into this tab, or in a browser wallet. */
  kind: "key" | "keplr" | "leap";
  /** The wallet's own name for the account, if it has one. */
  label?: string;
}

/**
 * Whether a chain id names a local test chain, the only kind on which the
 * app accepts a pasted private key (`delphi-demo`, `delphi-localnet-web`,
 * `delphi-local-1`, `...-devnet`). On any other chain a key is only used
 * through a browser wallet.
 */
export function isLocalChain(chainId: string): boolean {
  return /(^|[-_.])(local|localnet|demo|devnet)([-_.]|\d|$)/.test(chainId);
}

const STORAGE_KEY = "delphi.key";
const EXTENSION_KEY = "delphi.wallet";

/** Remembers which browser wallet this tab connected, to reconnect on reload. */
export function rememberExtension(kind: string | null) {
  if (kind) sessionStorage.setItem(EXTENSION_KEY, kind);
  else sessionStorage.removeItem(EXTENSION_KEY);
}

export function rememberedExtension(): string | null {
  return sessionStorage.getItem(EXTENSION_KEY);
}

/** What kind of secret the input looks like, before any crypto runs. */
export function classifySecret(input: string): "hex" | "mnemonic" {
  const s = input.trim();
  if (/^(0x)?[0-9a-fA-F]{64}$/.test(s)) return "hex";
  const words = s.split(/\s+/).filter(Boolean);
  if ([12, 15, 18, 21, 24].includes(words.length) && words.every((w) => /^[a-z]+$/.test(w))) return "mnemonic";
  throw new InputError("Paste a 64-hex-digit private key or a 12/24-word mnemonic.");
}

export async function importKey(secret: string, prefix: string): Promise<Wallet> {
  const kind = classifySecret(secret);
  const { DirectSecp256k1Wallet, DirectSecp256k1HdWallet } = await import("@cosmjs/proto-signing");
  const { fromHex } = await import("@cosmjs/encoding");
  const s = secret.trim();
  let signer: OfflineDirectSigner;
  try {
    signer =
      kind === "hex"
        ? await DirectSecp256k1Wallet.fromKey(fromHex(s.replace(/^0x/, "")), prefix)
        : await DirectSecp256k1HdWallet.fromMnemonic(s.split(/\s+/).join(" "), { prefix });
  } catch (e) {
    throw new InputError(`That key cannot be used: ${(e as Error).message}`);
  }
  const [account] = await signer.getAccounts();
  return { address: account.address, pubkey: account.pubkey, signer, kind: "key" };
}

export function rememberKey(secret: string) {
  sessionStorage.setItem(STORAGE_KEY, secret.trim());
}

export function rememberedKey(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function forgetKey() {
  sessionStorage.removeItem(STORAGE_KEY);
}
