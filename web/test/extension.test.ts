import { afterEach, describe, expect, it } from "vitest";
import { DirectSecp256k1Wallet } from "@cosmjs/proto-signing";
import { fromHex } from "@cosmjs/encoding";
import keys from "../testdata/keys.json";
import { chainSuggestion, connectExtension, installed, WalletError, type Provider } from "../src/extension";
import { isLocalChain } from "../src/wallet";
import type { ChainInfo } from "../src/types";

// The providers live on window; under Node the global object stands in.
(globalThis as unknown as { window: unknown }).window ??= globalThis;

const chain: ChainInfo = { chain_id: "delphi-1", bech32_prefix: "delphi", bond_denom: "udelphi", collateral_denom: "uusdc", height: "9" };
const endpoints = { rpc: "http://127.0.0.1:26657", rest: "http://127.0.0.1:1317" };

/** A provider with Keplr's interface over a cosmjs key, as the e2e tests inject one. */
async function fakeProvider(prefix = "delphi", ledger = false) {
  const signerOptions: unknown[] = [];
  const signer = await DirectSecp256k1Wallet.fromKey(fromHex(keys[0].priv_hex), prefix);
  const [acc] = await signer.getAccounts();
  const suggested: unknown[] = [];
  const enabled: string[] = [];
  const p = {
    experimentalSuggestChain: async (info: { chainId: string }) => void suggested.push(info),
    enable: async (id: string) => {
      if (!suggested.some((s) => (s as { chainId: string }).chainId === id)) throw new Error(`There is no chain info for ${id}`);
      enabled.push(id);
    },
    getKey: async () => ({ name: "bob", bech32Address: acc.address, pubKey: acc.pubkey, isNanoLedger: ledger }),
    getOfflineSigner: (_id: string, opts?: { preferNoSetFee?: boolean }) => {
      signerOptions.push(opts);
      return signer;
    },
  } as unknown as Provider;
  return { p, suggested, enabled, signerOptions, address: acc.address };
}

afterEach(() => {
  delete (window as unknown as Record<string, unknown>).keplr;
  delete (window as unknown as Record<string, unknown>).leap;
});

describe("browser wallets", () => {
  it("suggests the chain with its prefixes, currencies and endpoints", () => {
    const s = chainSuggestion(chain, endpoints, { units: 25n * 10n ** 15n, denom: "uusdc" });
    expect(s.chainId).toBe("delphi-1");
    expect(s.rpc).toBe(endpoints.rpc);
    expect(s.rest).toBe(endpoints.rest);
    expect(s.bip44.coinType).toBe(118);
    expect(s.bech32Config?.bech32PrefixValAddr).toBe("delphivaloper");
    expect(s.currencies.map((c) => c.coinMinimalDenom)).toEqual(["udelphi", "uusdc"]);
    expect(s.feeCurrencies[0].coinMinimalDenom).toBe("uusdc");
    // The wallet's price step is the node's minimum gas price (0.025uusdc).
    expect(s.feeCurrencies[0].gasPriceStep).toEqual({ low: 0.025, average: 0.025, high: 0.05 });
    const free = chainSuggestion(chain, endpoints, null);
    expect(free.feeCurrencies[0].coinMinimalDenom).toBe("udelphi");
    expect(free.feeCurrencies[0].gasPriceStep?.average).toBe(0);
  });

  it("connects through an injected provider: suggest, enable, then the wallet's address and signer", async () => {
    expect(installed()).toEqual([]);
    const f = await fakeProvider();
    (window as unknown as Record<string, unknown>).leap = f.p;
    expect(installed().map((e) => e.kind)).toEqual(["leap"]);
    const w = await connectExtension("leap", chain, endpoints, null);
    expect(f.enabled).toEqual(["delphi-1"]);
    expect(w.address).toBe(keys[0].address);
    expect(w.kind).toBe("leap");
    expect(w.label).toBe("bob");
    const [acc] = await w.signer.getAccounts();
    expect(acc.address).toBe(w.address);
    // The app's simulated fee stands: the wallet is asked not to set its own.
    expect(f.signerOptions).toEqual([{ preferNoSetFee: true }]);
  });

  it("refuses a wallet that is missing or answers with another chain's address", async () => {
    await expect(connectExtension("keplr", chain, endpoints, null)).rejects.toThrow(WalletError);
    const f = await fakeProvider("cosmos");
    (window as unknown as Record<string, unknown>).keplr = f.p;
    await expect(connectExtension("keplr", chain, endpoints, null)).rejects.toThrow(/not one of this chain/);
    (window as unknown as Record<string, unknown>).keplr = (await fakeProvider("delphi", true)).p;
    await expect(connectExtension("keplr", chain, endpoints, null)).rejects.toThrow(/Ledger/);
  });

  it("allows a pasted key only on local test chains", () => {
    for (const id of ["delphi-demo", "delphi-localnet-web", "delphi-local-1", "delphi-devnet", "local"]) expect(isLocalChain(id), id).toBe(true);
    for (const id of ["delphi-1", "delphi-mainnet", "delphi-testnet-2", "localhost-fork", "demonstration"]) expect(isLocalChain(id), id).toBe(false);
  });
});
