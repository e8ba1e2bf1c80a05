import { describe, expect, it } from "vitest";
import { explain } from "../src/errors";

describe("chain refusals", () => {
  it("are explained by codespace and code from a broadcast", () => {
    expect(explain({ codespace: "market", code: 12, log: "x" })).toMatch(/slippage tolerance/);
    expect(explain({ codespace: "market", code: 14, log: "x" })).toMatch(/Trading is closed/);
    expect(explain({ codespace: "sdk", code: 5, log: "x" })).toMatch(/Insufficient funds/);
    expect(explain({ codespace: "market", code: 13, log: "x" })).toMatch(/more shares than you hold/);
  });
  it("are explained from the message of a failed simulation", () => {
    // As the node's simulate endpoint words them.
    expect(explain({ log: "rpc error: code = Unknown desc = market 1: cost 1000 above max 990: slippage limit exceeded [x/market]" })).toMatch(/slippage/);
    expect(explain({ log: "spendable balance 1000000uusdc is smaller than 5000000uusdc: insufficient funds" })).toMatch(/Insufficient funds/);
    expect(explain({ log: "market 2: trading closed" })).toMatch(/Trading is closed/);
    expect(explain({ log: "account delphi1xyz not found" })).toMatch(/does not exist on chain/);
  });
  it("pass anything unknown through verbatim", () => {
    expect(explain({ codespace: "foo", code: 99, log: "boom" })).toBe("The chain refused the transaction: boom");
  });
});
