import { describe, expect, it } from "vitest";
import { InputError } from "../src/format";
import { parseDec18, pricePerMillion, sharesForDeposit, sharesForWithdrawal, valueOfShares } from "../src/vaultmath";

describe("vault arithmetic", () => {
  it("reads the chain's 18-decimal prices exactly", () => {
    expect(parseDec18("0.000001000000000000")).toBe(10n ** 12n);
    expect(parseDec18("2")).toBe(2n * 10n ** 18n);
    expect(() => parseDec18("-1")).toThrow(InputError);
    expect(() => parseDec18("1e-6")).toThrow(InputError);
  });
  it("mints and pays as the chain rounds: down", () => {
    // At par a micro unit buys 10⁶ shares.
    expect(sharesForDeposit(25_000_000n, "0.000001000000000000")).toBe(25_000_000_000_000n);
    // (assets + 1) / (supply + V) = 3 / 2 000 000 = 0.0000015
    expect(sharesForDeposit(10n, "0.000001500000000000")).toBe(6_666_666n);
    expect(valueOfShares(6_666_666n, "0.000001500000000000")).toBe(9n);
  });
  it("burns enough shares to pay a withdrawal, never more than the stake", () => {
    const s = sharesForWithdrawal(9n, "0.000001500000000000", 10n ** 9n);
    expect(valueOfShares(s, "0.000001500000000000")).toBeGreaterThanOrEqual(9n);
    expect(valueOfShares(s - 1n, "0.000001500000000000")).toBeLessThan(9n);
    expect(() => sharesForWithdrawal(10n ** 6n, "0.000001", 10n)).toThrow(/more than your stake/);
  });
  it("shows the price per 10⁶ shares", () => {
    expect(pricePerMillion("0.000001000000000000")).toBe("1.000000");
    expect(pricePerMillion("0.000001234567891234")).toBe("1.234567");
  });
});
