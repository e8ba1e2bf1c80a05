import { describe, expect, it } from "vitest";
import { Api, ApiError } from "../src/api";
import { feeFor, gasLimit, parseGasPrice } from "../src/tx";

const reply = (status: number, body: string) => async () => new Response(body, { status });

describe("REST client", () => {
  it("returns the decoded body", async () => {
    const api = new Api("", reply(200, '{"markets":[{"id":"1"}]}'));
    expect(await api.markets()).toEqual([{ id: "1" }]);
  });
  it("turns a gateway error into an ApiError with the node's message", async () => {
    const api = new Api("", reply(404, '{"code":5,"message":"market 9: market not found","details":[]}'));
    const err = await api.market("9").catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(404);
    expect(err.code).toBe(5);
    expect(err.message).toBe("market 9: market not found");
  });
  it("says so when the node is down or answers garbage", async () => {
    const down = new Api("", async () => {
      throw new TypeError("fetch failed");
    });
    await expect(down.markets()).rejects.toThrow("cannot be reached");
    await expect(new Api("", reply(502, "<html>bad gateway</html>")).markets()).rejects.toThrow("not JSON");
  });
  it("builds quote URLs from exact integers", async () => {
    let url = "";
    const api = new Api("http://n", async (u) => {
      url = u;
      return new Response('{"shares":"1","amount":"1","fee":"0","total":"1","prices_after":[]}');
    });
    await api.quote("3", "buy", 1, { amount: 12345678901234567890n });
    expect(url).toBe("http://n/delphi/market/v1/markets/3/quote?side=buy&outcome=1&amount=12345678901234567890");
  });
});

describe("fees", () => {
  it("parses the node's minimum gas price", () => {
    expect(parseGasPrice("0.025uusdc")).toEqual({ units: 25n * 10n ** 15n, denom: "uusdc" });
    expect(parseGasPrice("0.000000000000000000udelphi")).toBeNull();
    expect(parseGasPrice("")).toBeNull();
    expect(parseGasPrice("0.1ibc/ABCD,0.2uusdc")).toEqual({ units: 10n ** 17n, denom: "ibc/ABCD" });
  });
  it("rounds the fee up in integer math", () => {
    // 0.1 · 3 is 0.30000000000000004 in floating point; the fee must be exact.
    expect(feeFor(3, parseGasPrice("0.1uusdc")!)).toBe(1n);
    expect(feeFor(30, parseGasPrice("0.1uusdc")!)).toBe(3n);
    expect(feeFor(200000, parseGasPrice("0.025uusdc")!)).toBe(5000n);
    expect(feeFor(200001, parseGasPrice("0.025uusdc")!)).toBe(5001n);
  });
  it("adds headroom to simulated gas", () => {
    expect(gasLimit(100000)).toBe(150000);
  });
});
