import { describe, expect, it } from "vitest";
import { checkQuote } from "../src/quotecheck";
import type { Quote } from "../src/types";

const quote = (shares: number, total: number, after: string[]) => ({ shares: String(shares), amount: String(total), fee: "0", total: String(total), prices_after: after }) as Quote;

describe("quote checks", () => {
  const base = { side: "buy" as const, outcome: 1, name: "iris-mlp", denom: "uusdc" };
  it("passes an ordinary buy", () => {
    expect(checkQuote({ ...base, input: 2_000_000n, quote: quote(3_500_000, 2_000_000, ["0.4", "0.6"]), balance: 10_000_000n })).toEqual({ blocking: [], warnings: [] });
  });
  it("blocks a buy the balance cannot pay, before anything is signed", () => {
    const c = checkQuote({ ...base, input: 5_000_000n, quote: quote(8_000_000, 5_000_000, ["0.3", "0.7"]), balance: 1_000_000n });
    expect(c.blocking).toEqual(["Your balance is 1 USDC: not enough for 5 USDC."]);
  });
  it("warns when the price is pushed to ~100% and when the market takes only part of the spend", () => {
    const c = checkQuote({ ...base, input: 50_000_000n, quote: quote(40_000_000, 30_000_000, ["0.02", "0.98"]), balance: 10n ** 12n });
    expect(c.blocking).toEqual([]);
    expect(c.warnings.join(" ")).toContain("takes only 30 USDC of the 50 USDC");
    expect(c.warnings.join(" ")).toContain("pushes iris-mlp to 98.0%");
  });
  it("warns about an average price near 1 even when the price after stays below 95%", () => {
    const c = checkQuote({ ...base, input: 960_000n, quote: quote(1_000_000, 960_000, ["0.1", "0.9"]) });
    expect(c.warnings).toEqual(["You pay 0.960 per share on average, fee included; a winning share pays 1."]);
  });
  it("blocks selling more shares than held", () => {
    const c = checkQuote({ ...base, side: "sell", input: 5_000_000n, quote: quote(5_000_000, 2_000_000, ["0.5", "0.5"]), held: 1_000_000n });
    expect(c.blocking).toEqual(["You hold 1 shares of iris-mlp: you cannot sell 5 shares."]);
  });
});
