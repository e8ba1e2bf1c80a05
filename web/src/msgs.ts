// The messages the app signs, built with the TypeScript client that
// protoc-gen-es generates from proto/ (src/gen, `make proto-gen`).
// test/msgs.test.ts checks every byte against the encodings the Go code
// produces (web/testdata/msgs.json, written by web/msgs_golden_test.go).
//
// The generated types carry uint64 as bigint and cosmos.Int as its decimal
// string; the checks here refuse, with a RangeError, a value the chain's
// types cannot hold instead of letting the encoder wrap it.
import { create, toBinary, type DescMessage, type MessageInitShape } from "@bufbuild/protobuf";
import { MsgBuyForAmountSchema, MsgBuySharesSchema, MsgRedeemSchema, MsgSellSharesSchema } from "./gen/delphi/market/v1/tx_pb.js";
import { MsgDepositSchema, MsgWithdrawSchema } from "./gen/delphi/vault/v1/tx_pb.js";

export const TYPE_BUY_SHARES = `/${MsgBuySharesSchema.typeName}`;
export const TYPE_BUY_FOR_AMOUNT = `/${MsgBuyForAmountSchema.typeName}`;
export const TYPE_SELL_SHARES = `/${MsgSellSharesSchema.typeName}`;
export const TYPE_REDEEM = `/${MsgRedeemSchema.typeName}`;
export const TYPE_DEPOSIT = `/${MsgDepositSchema.typeName}`;
export const TYPE_WITHDRAW = `/${MsgWithdrawSchema.typeName}`;

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

export interface MsgDeposit {
  depositor: string;
  vaultId: bigint;
  amount: bigint;
  minShares: bigint;
}

export interface MsgWithdraw {
  depositor: string;
  vaultId: bigint;
  shares: bigint;
  minAmount: bigint;
}

/** An Any ready for a TxBody. */
export interface EncodedMsg {
  typeUrl: string;
  value: Uint8Array;
}

const MAX_U64 = (1n << 64n) - 1n;
const MAX_INT = (1n << 256n) - 1n; // cosmos.Int holds 256 bits

function u64(name: string, v: bigint): bigint {
  if (v < 0n || v > MAX_U64) throw new RangeError(`${name}: ${v} is not a uint64`);
  return v;
}
function u32(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`${name}: ${v} is not a uint32`);
  return v;
}
function int(name: string, v: bigint): string {
  if (v < 0n || v > MAX_INT) throw new RangeError(`${name}: ${v} is not an amount the chain holds`);
  return v.toString();
}

function encode<Desc extends DescMessage>(schema: Desc, init: MessageInitShape<Desc>): EncodedMsg {
  return { typeUrl: `/${schema.typeName}`, value: toBinary(schema, create(schema, init)) };
}

export function encodeBuyShares(m: MsgBuyShares): EncodedMsg {
  return encode(MsgBuySharesSchema, {
    trader: m.trader,
    marketId: u64("market id", m.marketId),
    outcome: u32("outcome", m.outcome),
    shares: int("shares", m.shares),
    maxCost: int("max cost", m.maxCost),
  });
}

export function encodeBuyForAmount(m: MsgBuyForAmount): EncodedMsg {
  return encode(MsgBuyForAmountSchema, {
    trader: m.trader,
    marketId: u64("market id", m.marketId),
    outcome: u32("outcome", m.outcome),
    amount: int("amount", m.amount),
    minShares: int("min shares", m.minShares),
  });
}

export function encodeSellShares(m: MsgSellShares): EncodedMsg {
  return encode(MsgSellSharesSchema, {
    trader: m.trader,
    marketId: u64("market id", m.marketId),
    outcome: u32("outcome", m.outcome),
    shares: int("shares", m.shares),
    minProceeds: int("min proceeds", m.minProceeds),
  });
}

export function encodeRedeem(m: MsgRedeem): EncodedMsg {
  return encode(MsgRedeemSchema, { owner: m.owner, marketId: u64("market id", m.marketId) });
}

export function encodeDeposit(m: MsgDeposit): EncodedMsg {
  return encode(MsgDepositSchema, {
    depositor: m.depositor,
    vaultId: u64("vault id", m.vaultId),
    amount: int("amount", m.amount),
    minShares: int("min shares", m.minShares),
  });
}

export function encodeWithdraw(m: MsgWithdraw): EncodedMsg {
  return encode(MsgWithdrawSchema, {
    depositor: m.depositor,
    vaultId: u64("vault id", m.vaultId),
    shares: int("shares", m.shares),
    minAmount: int("min amount", m.minAmount),
  });
}
