import { describe, expect, it } from "vitest";
import block from "./fixtures/newblock-trade.json";
import { eventText, parseNewBlock, parseTrade } from "../src/events";

// fixtures/newblock-trade.json is a NewBlock message captured from a node's
// websocket (scripts/web-chain.sh), carrying carol's seeded buy.
describe("websocket blocks", () => {
  it("reads the height, the trade and the market it touched", () => {
    const u = parseNewBlock(block)!;
    expect(u.height).toBe(9);
    expect(u.trades).toEqual([
      {
        marketId: "1",
        trader: "delphi1dac3hmkxvxs7hyyd5dug9pfphtjmzsyt8czt0s",
        side: "SIDE_BUY",
        outcome: 0,
        shares: "2777983",
        amount: "1485148",
        prices: ["0.569006365406545174", "0.430993634593454826"],
      },
    ]);
    expect(u.marketIds).toEqual(["1"]);
    expect(u.eventTypes).toContain("delphi.market.v1.EventTrade");
    expect(u.eventTypes).toContain("mint");
  });
  it("ignores the events of a failed transaction", () => {
    const failed = structuredClone(block) as any;
    for (const tx of failed.result.data.value.result_finalize_block.tx_results) tx.code = 1104;
    const u = parseNewBlock(failed)!;
    expect(u.trades).toEqual([]);
    expect(u.marketIds).toEqual([]);
  });
  it("gives null for anything but a NewBlock", () => {
    expect(parseNewBlock({ jsonrpc: "2.0", id: 1, result: {} })).toBeNull();
    expect(parseNewBlock(null)).toBeNull();
    expect(parseNewBlock({ result: { data: { type: "tendermint/event/Tx", value: {} } } })).toBeNull();
    expect(parseNewBlock({ result: { data: { type: "tendermint/event/NewBlock", value: { block: { header: { height: "x" } } } } } })).toBeNull();
  });
  it("skips garbled trade events", () => {
    expect(parseTrade({ type: "delphi.market.v1.EventTrade", attributes: [{ key: "market_id", value: '"1"' }] })).toBeNull();
    expect(parseTrade({ type: "delphi.market.v1.EventTrade", attributes: [{ key: "prices", value: "not json" }] })).toBeNull();
    expect(parseTrade({ type: "transfer", attributes: [] })).toBeNull();
  });
});

describe("event attributes as text", () => {
  it("decodes JSON strings and keeps everything else as written", () => {
    expect(eventText('"1"')).toBe("1");
    expect(eventText('"say \\"hi\\""')).toBe('say "hi"');
    expect(eventText("5")).toBe("5");
    expect(eventText('["0.5"]')).toBe('["0.5"]');
    expect(eventText("SIDE_BUY")).toBe("SIDE_BUY");
  });
});
