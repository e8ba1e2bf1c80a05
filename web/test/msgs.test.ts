import { describe, expect, it } from "vitest";
import goldens from "../testdata/msgs.json";
import { encodeBuyForAmount, encodeBuyShares, encodeDeposit, encodeRedeem, encodeSellShares, encodeWithdraw, type EncodedMsg } from "../src/msgs";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

function encode(typeUrl: string, f: Record<string, string>): EncodedMsg {
  switch (typeUrl) {
    case "/delphi.market.v1.MsgBuyShares":
      return encodeBuyShares({ trader: f.trader, marketId: BigInt(f.marketId), outcome: Number(f.outcome), shares: BigInt(f.shares), maxCost: BigInt(f.maxCost) });
    case "/delphi.market.v1.MsgBuyForAmount":
      return encodeBuyForAmount({ trader: f.trader, marketId: BigInt(f.marketId), outcome: Number(f.outcome), amount: BigInt(f.amount), minShares: BigInt(f.minShares) });
    case "/delphi.market.v1.MsgSellShares":
      return encodeSellShares({ trader: f.trader, marketId: BigInt(f.marketId), outcome: Number(f.outcome), shares: BigInt(f.shares), minProceeds: BigInt(f.minProceeds) });
    case "/delphi.market.v1.MsgRedeem":
      return encodeRedeem({ owner: f.owner, marketId: BigInt(f.marketId) });
    case "/delphi.vault.v1.MsgDeposit":
      return encodeDeposit({ depositor: f.depositor, vaultId: BigInt(f.vaultId), amount: BigInt(f.amount), minShares: BigInt(f.minShares) });
    case "/delphi.vault.v1.MsgWithdraw":
      return encodeWithdraw({ depositor: f.depositor, vaultId: BigInt(f.vaultId), shares: BigInt(f.shares), minAmount: BigInt(f.minAmount) });
  }
  throw new Error(`no encoder for ${typeUrl}`);
}

describe("x/market and x/vault message encoders", () => {
  it("covers every message the app signs", () => {
    expect(new Set(goldens.map((g) => g.type_url))).toEqual(
      new Set([
        "/delphi.market.v1.MsgBuyShares",
        "/delphi.market.v1.MsgBuyForAmount",
        "/delphi.market.v1.MsgSellShares",
        "/delphi.market.v1.MsgRedeem",
        "/delphi.vault.v1.MsgDeposit",
        "/delphi.vault.v1.MsgWithdraw",
      ]),
    );
  });
  for (const g of goldens) {
    it(`encodes "${g.name}" byte for byte as the chain does`, () => {
      const m = encode(g.type_url, g.fields as unknown as Record<string, string>);
      expect(m.typeUrl).toBe(g.type_url);
      expect(hex(m.value)).toBe(g.hex);
    });
  }
  it("refuses ids that are not uint64 and outcomes that are not uint32", () => {
    const base = { trader: "delphi1x", outcome: 0, shares: 1n, maxCost: 1n };
    expect(() => encodeBuyShares({ ...base, marketId: 1n << 64n })).toThrow(RangeError);
    expect(() => encodeBuyShares({ ...base, marketId: -1n })).toThrow(RangeError);
    expect(() => encodeBuyShares({ ...base, marketId: 1n, outcome: -1 })).toThrow(RangeError);
    expect(() => encodeBuyShares({ ...base, marketId: 1n, outcome: 1.5 })).toThrow(RangeError);
  });
  it("refuses negative amounts and amounts beyond 256 bits", () => {
    const base = { depositor: "delphi1x", vaultId: 1n, minShares: 0n };
    expect(() => encodeDeposit({ ...base, amount: -1n })).toThrow(RangeError);
    expect(() => encodeDeposit({ ...base, amount: 1n << 256n })).toThrow(RangeError);
    expect(() => encodeWithdraw({ depositor: "delphi1x", vaultId: 1n, shares: 5n, minAmount: -5n })).toThrow(RangeError);
  });
});
