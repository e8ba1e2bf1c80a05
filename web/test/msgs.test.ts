import { describe, expect, it } from "vitest";
import goldens from "../testdata/msgs.json";
import { encodeBuyForAmount, encodeBuyShares, encodeRedeem, encodeSellShares, type EncodedMsg } from "../src/msgs";

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
  }
  throw new Error(`no encoder for ${typeUrl}`);
}

describe("x/market message encoders", () => {
  it("covers every message the app signs", () => {
    expect(new Set(goldens.map((g) => g.type_url))).toEqual(
      new Set(["/delphi.market.v1.MsgBuyShares", "/delphi.market.v1.MsgBuyForAmount", "/delphi.market.v1.MsgSellShares", "/delphi.market.v1.MsgRedeem"]),
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
});
