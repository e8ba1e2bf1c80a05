// Protobuf encoders for the x/market messages the app signs. Hand-written
// against proto/delphi/market/v1/tx.proto (the app needs four messages, not
// a generated client); test/msgs.test.ts checks every byte against the
// encodings the Go code produces (web/testdata/msgs.json, written by
// web/msgs_golden_test.go).
import { BinaryWriter } from "cosmjs-types/binary";

export const TYPE_BUY_SHARES = "/delphi.market.v1.MsgBuyShares";
export const TYPE_BUY_FOR_AMOUNT = "/delphi.market.v1.MsgBuyForAmount";
export const TYPE_SELL_SHARES = "/delphi.market.v1.MsgSellShares";
export const TYPE_REDEEM = "/delphi.market.v1.MsgRedeem";

const LEN = 2; // wire type: length-delimited
const VARINT = 0;

export interface MsgBuyShares {
  trader: string;
  marketId: bigint;
  outcome: number;
  shares: bigint;
  maxCost: bigint;
}

export interface MsgBuyForAmount {
  trader: string;
  marketId: bigint;
  outcome: number;
  amount: bigint;
  minShares: bigint;
}

export interface MsgSellShares {
  trader: string;
  marketId: bigint;
  outcome: number;
  shares: bigint;
  minProceeds: bigint;
}

export interface MsgRedeem {
  owner: string;
  marketId: bigint;
}

/** An Any ready for a TxBody. */
export interface EncodedMsg {
  typeUrl: string;
  value: Uint8Array;
}

// proto3 leaves out zero scalars and empty strings; gogoproto's non-nullable
// cosmos.Int fields are always written, as their decimal string.
function str(w: BinaryWriter, field: number, v: string) {
  if (v !== "") w.tag(field, LEN).string(v);
}
function u64(w: BinaryWriter, field: number, v: bigint) {
  if (v < 0n || v >= 1n << 64n) throw new RangeError(`field ${field}: ${v} is not a uint64`);
  if (v !== 0n) w.tag(field, VARINT).uint64(v);
}
function u32(w: BinaryWriter, field: number, v: number) {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`field ${field}: ${v} is not a uint32`);
  if (v !== 0) w.tag(field, VARINT).uint32(v);
}
function int(w: BinaryWriter, field: number, v: bigint) {
  w.tag(field, LEN).string(v.toString());
}

/** Arguments shared by the three trade messages, in their field order. */
function trade(w: BinaryWriter, trader: string, marketId: bigint, outcome: number) {
  str(w, 1, trader);
  u64(w, 2, marketId);
  u32(w, 3, outcome);
}

export function encodeBuyShares(m: MsgBuyShares): EncodedMsg {
  const w = BinaryWriter.create();
  trade(w, m.trader, m.marketId, m.outcome);
  int(w, 4, m.shares);
  int(w, 5, m.maxCost);
  return { typeUrl: TYPE_BUY_SHARES, value: w.finish() };
}

export function encodeBuyForAmount(m: MsgBuyForAmount): EncodedMsg {
  const w = BinaryWriter.create();
  trade(w, m.trader, m.marketId, m.outcome);
  int(w, 4, m.amount);
  int(w, 5, m.minShares);
  return { typeUrl: TYPE_BUY_FOR_AMOUNT, value: w.finish() };
}

export function encodeSellShares(m: MsgSellShares): EncodedMsg {
  const w = BinaryWriter.create();
  trade(w, m.trader, m.marketId, m.outcome);
  int(w, 4, m.shares);
  int(w, 5, m.minProceeds);
  return { typeUrl: TYPE_SELL_SHARES, value: w.finish() };
}

export function encodeRedeem(m: MsgRedeem): EncodedMsg {
  const w = BinaryWriter.create();
  str(w, 1, m.owner);
  u64(w, 2, m.marketId);
  return { typeUrl: TYPE_REDEEM, value: w.finish() };
}
