import { describe, expect, it } from "vitest";
import { leader, markToMarket, payoutPerShare, priceUnits, redeemable, valuePosition } from "../src/valuation";
import type { Market, Position } from "../src/types";

describe("valuation", () => {
  it("reads 18-decimal prices exactly", () => {
    expect(priceUnits("0.569006365406545174")).toBe(569006365406545174n);
    expect(priceUnits("1")).toBe(10n ** 18n);
    expect(priceUnits("0.5")).toBe(5n * 10n ** 17n);
    expect(priceUnits("garbage")).toBe(0n);
  });
  it("marks a position to the market, rounding down", () => {
    expect(markToMarket(["2777983", "0"], ["0.569006365406545174", "0.430993634593454826"])).toBe(1580690n);
    expect(markToMarket(["1000000", "3"], ["0.5", "0.5"])).toBe(500001n);
  });
  it("pays out as x/market's Market.Payout does", () => {
    const won = { payout_numerators: ["0", "1"], payout_denominator: "1" };
    expect(redeemable(["100", "250"], won)).toBe(250n);
    const tie = { payout_numerators: ["1", "1"], payout_denominator: "2" };
    expect(redeemable(["101", "0"], tie)).toBe(50n);
    expect(redeemable(["5", "5"], { payout_numerators: [], payout_denominator: "0" })).toBe(0n);
  });
  it("values open positions at prices and settled ones at their payout", () => {
    const pos: Position = { market_id: "1", owner: "o", shares: ["0", "4000000"], net_spent: "2000000" };
    const open = { status: "MARKET_STATUS_OPEN", payout_numerators: [], payout_denominator: "0" } as unknown as Market;
    const v = valuePosition(pos, open, ["0.4", "0.6"]);
    expect(v.value).toBe(2400000n);
    expect(v.pnl).toBe(400000n);
    expect(v.redeemable).toBe(0n);
    const settled = { status: "MARKET_STATUS_RESOLVED", payout_numerators: ["1", "0"], payout_denominator: "1" } as unknown as Market;
    const lost = valuePosition(pos, settled, ["0.4", "0.6"]);
    expect(lost.value).toBe(0n);
    expect(lost.pnl).toBe(-2000000n);
  });
  it("names the leader", () => {
    expect(leader(["0.3", "0.5", "0.2"])).toBe(1);
    expect(leader([])).toBe(-1);
  });

  it("pays a whole share its numerator's share of the denominator, rounded down", () => {
    const m = { payout_numerators: ["2", "1", "0"], payout_denominator: "3" };
    expect(payoutPerShare(m, 0)).toBe(666_666n);
    expect(payoutPerShare(m, 1)).toBe(333_333n);
    expect(payoutPerShare(m, 2)).toBe(0n);
    expect(payoutPerShare(m, 7)).toBe(0n);
    expect(payoutPerShare({ payout_numerators: [], payout_denominator: "" }, 0)).toBe(0n);
  });
});
