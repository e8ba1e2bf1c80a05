import { describe, expect, it } from "vitest";
import { addPoint, extendTo, seriesFromHistory } from "../src/series";

describe("price series", () => {
  it("builds one column per model from the history", () => {
    const s = seriesFromHistory(
      [
        { height: "8", prices: ["0.5", "0.5"] },
        { height: "9", prices: ["0.569006365406545174", "0.430993634593454826"] },
      ],
      2,
    );
    expect(s.heights).toEqual([8, 9]);
    expect(s.prices[0]).toEqual([0.5, 0.569006365406545174]);
    expect(s.prices[1][1]).toBeCloseTo(0.430993634593454826, 15);
  });
  it("keeps the last prices of a block, ignores stale and malformed points", () => {
    const s = seriesFromHistory([{ height: "8", prices: ["0.5", "0.5"] }], 2);
    expect(addPoint(s, 10, ["0.6", "0.4"])).toBe(true);
    expect(addPoint(s, 10, ["0.7", "0.3"])).toBe(true);
    expect(addPoint(s, 9, ["0.1", "0.9"])).toBe(false);
    expect(addPoint(s, 11, ["0.1"])).toBe(false);
    expect(s.heights).toEqual([8, 10]);
    expect(s.prices[0]).toEqual([0.5, 0.7]);
  });
  it("extends the last prices to the chain's tip", () => {
    const s = seriesFromHistory([{ height: "8", prices: ["0.5", "0.5"] }], 2);
    extendTo(s, 12);
    extendTo(s, 11);
    expect(s.heights).toEqual([8, 12]);
    expect(s.prices[1]).toEqual([0.5, 0.5]);
    expect(addPoint(s, 12, ["0.9", "0.1"])).toBe(true);
    expect(s.prices[0]).toEqual([0.5, 0.9]);
  });
});
