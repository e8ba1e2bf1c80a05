// Browser wallets: Keplr (window.keplr) and Leap (window.leap) inject the
// same provider interface, which @keplr-wallet/types publishes. The app
// suggests the chain to the wallet (experimentalSuggestChain: endpoints,
// bech32 prefixes, currencies), asks it to enable the chain, and signs with
// its offline signer in SIGN_MODE_DIRECT — the key never reaches the page.
import type { ChainInfo as KeplrChainInfo, Keplr } from "@keplr-wallet/types";
import type { OfflineDirectSigner } from "@cosmjs/proto-signing";
import type { GasPrice } from "./tx";
import type { ChainInfo } from "./types";
import type { Wallet } from "./wallet";

export type ExtensionKind = "keplr" | "leap";

export const EXTENSIONS: { kind: ExtensionKind; name: string }[] = [
  { kind: "keplr", name: "Keplr" },
  { kind: "leap", name: "Leap" },
];

/** The subset of the provider interface the app uses. */
export type Provider = Pick<Keplr, "experimentalSuggestChain" | "enable" | "getKey" | "getOfflineSigner">;

/** The injected provider of a wallet, if the browser has it. */
export function provider(kind: ExtensionKind): Provider | undefined {
  return (window as unknown as Record<string, Provider | undefined>)[kind];
}

/** The wallets this browser has. */
export function installed(): { kind: ExtensionKind; name: string }[] {
  return EXTENSIONS.filter((e) => provider(e.kind));
}

/** The node's endpoints the wallet talks to. */
export interface Endpoints {
  rpc: string;
  rest: string;
}

/** Six decimals for both tokens: the chain's bank metadata says so (1 USDC = 10⁶ uusdc). */
function currency(minimal: string) {
  const name = minimal.replace(/^u/, "").toUpperCase();
  return { coinDenom: name, coinMinimalDenom: minimal, coinDecimals: 6 };
}

/**
 * What the wallet needs to know about the chain: its id and name, the
 * node's endpoints, BIP-44 coin type 118 (the Cosmos default Delphi keys
 * use), the address prefixes and the currencies. Fees are paid in the
 * denomination of the node's minimum gas price, at that price (the app
 * sets the fee and asks the wallet to keep it; the step is what the
 * wallet shows and would use on its own).
 */
export function chainSuggestion(chain: ChainInfo, endpoints: Endpoints, gas: GasPrice | null): KeplrChainInfo {
  const p = chain.bech32_prefix;
  const fee = currency(gas?.denom || chain.bond_denom);
  const price = gas ? Number(gas.units) / 1e18 : 0;
  return {
    chainId: chain.chain_id,
    chainName: `Delphi (${chain.chain_id})`,
    rpc: endpoints.rpc,
    rest: endpoints.rest,
    bip44: { coinType: 118 },
    bech32Config: {
      bech32PrefixAccAddr: p,
      bech32PrefixAccPub: `${p}pub`,
      bech32PrefixValAddr: `${p}valoper`,
      bech32PrefixValPub: `${p}valoperpub`,
      bech32PrefixConsAddr: `${p}valcons`,
      bech32PrefixConsPub: `${p}valconspub`,
    },
    stakeCurrency: currency(chain.bond_denom),
    currencies: [currency(chain.bond_denom), currency(chain.collateral_denom)],
    feeCurrencies: [{ ...fee, gasPriceStep: { low: price, average: price, high: price * 2 } }],
    features: [],
  };
}

/** Thrown when a wallet cannot connect, with a sentence for the user. */
export class WalletError extends Error {}

/** Suggests the chain, enables it and returns a wallet that signs through the extension. */
export async function connectExtension(kind: ExtensionKind, chain: ChainInfo, endpoints: Endpoints, gas: GasPrice | null): Promise<Wallet> {
  const name = EXTENSIONS.find((e) => e.kind === kind)?.name ?? kind;
  const p = provider(kind);
  if (!p) throw new WalletError(`${name} is not installed in this browser.`);
  try {
    await p.experimentalSuggestChain(chainSuggestion(chain, endpoints, gas));
    await p.enable(chain.chain_id);
  } catch (e) {
    throw new WalletError(`${name} did not connect: ${(e as Error).message}`);
  }
  const key = await p.getKey(chain.chain_id);
  if (!key.bech32Address.startsWith(`${chain.bech32_prefix}1`)) {
    throw new WalletError(`${name} gave the address ${key.bech32Address}, not one of this chain (${chain.bech32_prefix}1…).`);
  }
  // A Ledger signs only amino JSON; the app signs in direct mode.
  if (key.isNanoLedger) {
    throw new WalletError(`${name}'s account is on a Ledger, which cannot sign this app's transactions (direct mode) yet: choose a software account.`);
  }
  // The offline signer is cosmjs-compatible; Keplr's types spell the sign
  // doc's account number as a Long where cosmjs has a bigint, and the
  // providers convert it with toString(), so both work at run time.
  // preferNoSetFee: the app simulated the transaction and set its fee at
  // the node's price; the wallet must not replace it with its own.
  const signer = p.getOfflineSigner(chain.chain_id, { preferNoSetFee: true }) as unknown as OfflineDirectSigner;
  return { address: key.bech32Address, pubkey: key.pubKey, signer, kind, label: key.name || name };
}
