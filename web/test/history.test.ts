import { describe, expect, it } from "vitest";
import { parseEvents, pnlByMarket } from "../src/history";

const trade = (h: number, hash: string, market: string, trader: string, side: string, outcome: number, shares: string, amount: string, fee: string) => ({
  height: String(h),
  txhash: hash,
  events: [
    { type: "message", attributes: [{ key: "action", value: "/delphi.market.v1.MsgBuyShares" }] },
    {
      type: "delphi.market.v1.EventTrade",
      attributes: [
        { key: "amount", value: `"${amount}"` },
        { key: "fee", value: `"${fee}"` },
        { key: "market_id", value: `"${market}"` },
        { key: "outcome", value: String(outcome) },
        { key: "prices", value: '["0.4","0.6"]' },
        { key: "shares", value: `"${shares}"` },
        { key: "side", value: `"${side}"` },
        { key: "trader", value: `"${trader}"` },
        { key: "msg_index", value: "0" },
      ],
    },
  ],
});
const redeem = (h: number, market: string, owner: string, payout: string) => ({
  height: String(h),
  txhash: `R${h}`,
  events: [{ type: "delphi.market.v1.EventRedeemed", attributes: [{ key: "market_id", value: `"${market}"` }, { key: "owner", value: `"${owner}"` }, { key: "payout", value: `"${payout}"` }] }],
});

describe("trade history", () => {
  it("reads typed trade and redeem events, fee included in the cash, oldest first, once each", () => {
    const t1 = trade(12, "A", "1", "bob", "SIDE_BUY", 1, "3000000", "1700000", "17000");
    // One transaction that redeems market 1 and buys in market 2: the
    // redemption search and the trade search both return it.
    const both = { ...redeem(30, "1", "bob", "3000000"), events: [...redeem(30, "1", "bob", "3000000").events, ...trade(30, "R30", "2", "bob", "SIDE_BUY", 0, "5", "5", "0").events] };
    const ev = parseEvents([both, t1, both, { ...trade(9, "F", "1", "bob", "SIDE_BUY", 0, "1", "1", "0"), code: 5 }]);
    expect(ev.map((e) => [e.kind, e.height, e.marketId, e.cash])).toEqual([
      ["trade", 12, "1", 1_717_000n],
      ["redeem", 30, "1", 3_000_000n],
      ["trade", 30, "2", 5n],
    ]);
    // Two identical trades in two transactions are two trades.
    expect(parseEvents([t1, { ...t1, txhash: "A2" }])).toHaveLength(2);
    expect(ev[0].prices).toEqual(["0.4", "0.6"]);
    expect(ev[0].outcome).toBe(1);
  });
  it("realizes P&L when a position is sold out or redeemed, keeps losing and redeemed markets", () => {
    const ev = parseEvents([
      trade(10, "A", "1", "bob", "SIDE_BUY", 1, "3000000", "1700000", "17000"),
      trade(11, "B", "1", "bob", "SIDE_SELL", 1, "1000000", "700000", "7000"),
      redeem(40, "1", "bob", "2000000"),
      trade(12, "C", "2", "bob", "SIDE_BUY", 0, "2000000", "1000000", "10000"),
      trade(13, "D", "3", "bob", "SIDE_BUY", 0, "2000000", "1000000", "10000"),
      trade(14, "E", "3", "bob", "SIDE_SELL", 0, "2000000", "1200000", "12000"),
      // A losing position redeemed for nothing stays in the history as a loss.
      trade(15, "G", "4", "bob", "SIDE_BUY", 1, "1000000", "500000", "5000"),
      redeem(50, "4", "bob", "0"),
    ]);
    const p = pnlByMarket(ev);
    expect(p.map((x) => [x.marketId, x.realized])).toEqual([
      ["1", 2_693_000n - 1_717_000n],
      ["2", null],
      ["3", 1_188_000n - 1_010_000n],
      ["4", -505_000n],
    ]);
    expect(p[0].redeemed).toBe(true);
    expect(p[1].held.get(0)).toBe(2_000_000n);
  });
  it("claims no realized P&L when a sale has no buy to account for it", () => {
    const ev = parseEvents([trade(14, "E", "3", "bob", "SIDE_SELL", 0, "2000000", "1200000", "12000")]);
    expect(pnlByMarket(ev)[0].realized).toBeNull();
  });
});
