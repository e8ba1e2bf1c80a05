import { describe, expect, it } from "vitest";
import {
  closesNote, denomLabel, enumLabel, formatAmount, formatPrice, formatRatio, InputError, maxAfterSlippage, minAfterSlippage,
  parseAmount, parseTolerance, shortAddress,
} from "../src/format";

describe("amounts", () => {
  it("shows micro units as whole units, truncated, grouped", () => {
    expect(formatAmount("1485148", "uusdc")).toBe("1.485148 USDC");
    expect(formatAmount("99960000000", "uusdc", 2)).toBe("99,960 USDC");
    expect(formatAmount("1999999", "uusdc", 2)).toBe("1.99 USDC");
    expect(formatAmount("0", "uusdc")).toBe("0 USDC");
    expect(formatAmount(-2500000n)).toBe("−2.5");
    expect(formatAmount("123456789012345678901234567890")).toBe("123,456,789,012,345,678,901,234.56789");
  });
  it("labels micro denoms", () => {
    expect(denomLabel("uusdc")).toBe("USDC");
    expect(denomLabel("ibc/ABC")).toBe("ibc/ABC");
  });
  it("parses user input exactly, with clear refusals", () => {
    expect(parseAmount("1.5")).toBe(1500000n);
    expect(parseAmount(" 1,000.25 ")).toBe(1000250000n);
    expect(parseAmount(".5")).toBe(500000n);
    expect(parseAmount("0.000001")).toBe(1n);
    for (const [bad, msg] of [
      ["", "Enter an amount"],
      ["-1", "not a number"],
      ["1e6", "not a number"],
      [".", "not a number"],
      ["abc", "not a number"],
      ["1.0000001", "At most 6 decimals"],
      ["0", "above zero"],
      ["1" + "0".repeat(60), "too large"],
    ]) {
      expect(() => parseAmount(bad), bad).toThrow(InputError);
      expect(() => parseAmount(bad), bad).toThrow(msg);
    }
  });
});

describe("prices and slippage", () => {
  it("shows prices as percentages", () => {
    expect(formatPrice("0.569006365406545174")).toBe("56.9%");
    expect(formatPrice("1.000000000000000000")).toBe("100.0%");
  });
  it("bounds round the safe way", () => {
    expect(minAfterSlippage(1000n, 100)).toBe(990n);
    expect(minAfterSlippage(999n, 100)).toBe(989n); // floor(989.01)
    expect(maxAfterSlippage(999n, 100)).toBe(1009n); // ceil(1008.99)
    expect(minAfterSlippage(1234n, 0)).toBe(1234n);
  });
  it("parses a tolerance in percent", () => {
    expect(parseTolerance("1")).toBe(100);
    expect(parseTolerance("0.5")).toBe(50);
    expect(parseTolerance("0")).toBe(0);
    expect(() => parseTolerance("-1")).toThrow(InputError);
    expect(() => parseTolerance("60")).toThrow("above 50%");
    expect(() => parseTolerance("0.123")).toThrow(InputError);
  });
});

describe("labels", () => {
  it("formats enums, ratios and addresses", () => {
    expect(enumLabel("MARKET_STATUS_OPEN")).toBe("open");
    expect(enumLabel("DISPUTE_STATUS_CHALLENGER_WON")).toBe("challenger won");
    expect(enumLabel("PHASE_BISECT")).toBe("bisect");
    expect(enumLabel("FUND_RULE_MANAGER")).toBe("manager");
    expect(enumLabel("EVALUATION_STATUS_RUNNING")).toBe("running");
    expect(formatRatio("23", 25)).toBe("92.0%");
    expect(formatRatio(0, 0)).toBe("–");
    expect(shortAddress("delphi1hzjdgsn0smvmhvvt9w6lc2mcvhajc6z29au2gf")).toBe("delphi1hzj…u2gf");
  });
});

describe("closesNote", () => {
  it("names the closing block, and nothing when unknown", () => {
    expect(closesNote({ closes_at: "120" })).toContain("closes at block 120");
    expect(closesNote({ closes_at: "0" })).toBe("");
    expect(closesNote({})).toBe("");
  });
});
