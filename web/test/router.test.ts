import { describe, expect, it } from "vitest";
import { href, parseRoute, type Route } from "../src/router";

describe("routes", () => {
  it("parses every page", () => {
    expect(parseRoute("")).toEqual({ page: "markets" });
    expect(parseRoute("#/")).toEqual({ page: "markets" });
    expect(parseRoute("#/markets/12")).toEqual({ page: "market", id: "12" });
    expect(parseRoute("#/models/3/")).toEqual({ page: "model", id: "3" });
    expect(parseRoute("#/vaults")).toEqual({ page: "vaults" });
    expect(parseRoute("#/portfolio")).toEqual({ page: "portfolio" });
    expect(parseRoute("#/portfolio/delphi1hzjdgsn0smvmhvvt9w6lc2mcvhajc6z29au2gf")).toEqual({
      page: "portfolio",
      address: "delphi1hzjdgsn0smvmhvvt9w6lc2mcvhajc6z29au2gf",
    });
  });
  it("refuses malformed ids and addresses", () => {
    for (const bad of ["#/markets/0", "#/markets/01", "#/markets/-1", "#/markets/1x", "#/markets/123456789012345678901", "#/nope"]) {
      expect(parseRoute(bad).page, bad).toBe("notfound");
    }
  });
  it("says an address is not one, as typed", () => {
    expect(parseRoute("#/portfolio/<script>")).toEqual({ page: "badaddress", input: "<script>" });
    expect(parseRoute("#/portfolio/bob%20smith")).toEqual({ page: "badaddress", input: "bob smith" });
    expect(parseRoute("#/portfolio/%E0%A4%A")).toEqual({ page: "badaddress", input: "%E0%A4%A" });
  });
  it("round-trips", () => {
    const routes: Route[] = [{ page: "markets" }, { page: "market", id: "5" }, { page: "model", id: "9" }, { page: "vaults" }, { page: "portfolio" }];
    for (const r of routes) expect(parseRoute(href(r))).toEqual(r);
  });
});
