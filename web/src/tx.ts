// Builds, simulates, signs (SIGN_MODE_DIRECT) and broadcasts a transaction
// through the node's REST routes, then waits until it is in a block.
import type { Api } from "./api";
import { ApiError } from "./api";
import { explain } from "./errors";
import type { EncodedMsg } from "./msgs";
import type { TxResponse } from "./types";
import type { Wallet } from "./wallet";

/** A transaction the chain refused, with a sentence that says why. */
export class TxError extends Error {
  constructor(
    message: string,
    readonly raw: string,
  ) {
    super(message);
  }
}

/** A gas price as an 18-decimal fixed-point number of a denom. */
export interface GasPrice {
  units: bigint;
  denom: string;
}

/** Parses the node's minimum gas price ("0.025uusdc", "0.000000000000000000udelphi"). */
export function parseGasPrice(s: string): GasPrice | null {
  const m = /^(\d+)(?:\.(\d{1,18}))?([a-zA-Z][a-zA-Z0-9/:._-]*)$/.exec((s || "").split(",")[0].trim());
  if (!m) return null;
  const units = BigInt(m[1] + (m[2] ?? "").padEnd(18, "0"));
  return units > 0n ? { units, denom: m[3] } : null;
}

/** The fee for `gas` at `price`, rounded up in integer math as the node checks it. */
export function feeFor(gas: number, price: GasPrice): bigint {
  const scale = 10n ** 18n;
  return (BigInt(gas) * price.units + scale - 1n) / scale;
}

/** The gas limit for a simulated use: 30% headroom, plus a fixed margin. */
export function gasLimit(used: number): number {
  return Math.ceil(used * 1.3) + 20000;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function signAndBroadcast(
  api: Api,
  wallet: Wallet,
  chainId: string,
  msgs: EncodedMsg[],
  opts: { timeoutMs?: number } = {},
): Promise<TxResponse> {
  const [{ TxBody, TxRaw }, { SignMode }, { encodePubkey, makeAuthInfoBytes, makeSignDoc }, { encodeSecp256k1Pubkey }, { toBase64, fromBase64 }] =
    await Promise.all([
      import("cosmjs-types/cosmos/tx/v1beta1/tx"),
      import("cosmjs-types/cosmos/tx/signing/v1beta1/signing"),
      import("@cosmjs/proto-signing"),
      import("@cosmjs/amino"),
      import("@cosmjs/encoding"),
    ]);

  let account;
  try {
    account = await api.account(wallet.address);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) throw new TxError(explain({ log: `account ${wallet.address} not found` }), e.message);
    throw e;
  }
  const accountNumber = BigInt(account.account_number ?? "0");
  const sequence = BigInt(account.sequence ?? "0");
  const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages: msgs, memo: "delphi web" })).finish();
  const pubkey = encodePubkey(encodeSecp256k1Pubkey(wallet.pubkey));
  const authInfo = (gas: number, fee: { denom: string; amount: string }[]) =>
    makeAuthInfoBytes([{ pubkey, sequence }], fee, gas, undefined, undefined, SignMode.SIGN_MODE_DIRECT);

  // Simulate first: it prices the gas and reports a refusal (slippage, funds)
  // before anything is signed.
  let used: number;
  try {
    const probe = TxRaw.encode({ bodyBytes, authInfoBytes: authInfo(0, []), signatures: [new Uint8Array()] }).finish();
    used = Number((await api.simulate(toBase64(probe))).gas_used);
  } catch (e) {
    if (e instanceof ApiError && e.status !== 0) throw new TxError(explain({ log: e.message }), e.message);
    throw e;
  }
  const gas = gasLimit(used);
  const price = parseGasPrice(await api.minGasPrice().catch(() => ""));
  const fee = price ? [{ denom: price.denom, amount: feeFor(gas, price).toString() }] : [];
  const authInfoBytes = authInfo(gas, fee);
  const signed = await wallet.signer.signDirect(wallet.address, makeSignDoc(bodyBytes, authInfoBytes, chainId, accountNumber));
  const txBytes = TxRaw.encode({
    bodyBytes: signed.signed.bodyBytes,
    authInfoBytes: signed.signed.authInfoBytes,
    signatures: [fromBase64(signed.signature.signature)],
  }).finish();

  const sent = await api.broadcast(toBase64(txBytes));
  if (sent.code !== 0) throw new TxError(explain({ codespace: sent.codespace, code: sent.code, log: sent.raw_log }), sent.raw_log);

  const deadline = Date.now() + (opts.timeoutMs ?? 30000);
  while (Date.now() < deadline) {
    await sleep(400);
    try {
      const res = await api.tx(sent.txhash);
      if (res.code !== 0) throw new TxError(explain({ codespace: res.codespace, code: res.code, log: res.raw_log }), res.raw_log);
      return res;
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 400 || e.status === 500)) continue;
      throw e;
    }
  }
  throw new TxError(`The transaction ${sent.txhash} was not included within ${(opts.timeoutMs ?? 30000) / 1000} s.`, "");
}
