import { describe, expect, it } from "vitest";
import { project } from "../src/sparkline";

describe("sparkline", () => {
  it("maps the first and last points to the box's edges, higher values higher up", () => {
    const p = project([{ x: 10, y: 1 }, { x: 20, y: 2 }, { x: 30, y: 1.5 }], 100, 50, 0);
    expect(p).toEqual([[0, 50], [50, 0], [100, 25]]);
  });
  it("draws a flat series across the middle and survives one point or none", () => {
    expect(project([{ x: 1, y: 3 }, { x: 2, y: 3 }], 100, 50, 0).map(([, y]) => y)).toEqual([25, 25]);
    expect(project([{ x: 1, y: 3 }], 100, 50, 0)).toEqual([[50, 25]]);
    expect(project([], 100, 50)).toEqual([]);
  });
});

import { sampleHeights } from "../src/pages/vault_history";

describe("share price history heights", () => {
  it("spreads at most 24 heights up to now, now included", () => {
    const hs = sampleHeights(1, 1000);
    expect(hs.length).toBeLessThanOrEqual(24);
    expect(hs[hs.length - 1]).toBe(1000);
    expect(hs[0]).toBeGreaterThanOrEqual(1);
    expect([...hs].sort((a, b) => a - b)).toEqual(hs);
  });
  it("takes every block of a young vault and nothing before it", () => {
    expect(sampleHeights(5, 8)).toEqual([5, 6, 7, 8]);
    expect(sampleHeights(9, 8)).toEqual([]);
  });
});

import { firstReadable } from "../src/pages/vault_history";

describe("the first readable height", () => {
  it("finds the block a vault was created in by halving", async () => {
    const asked: number[] = [];
    const read = (h: number) => (asked.push(h), h >= 377 ? Promise.resolve({}) : Promise.reject(new Error("404")));
    expect(await firstReadable(read, 1000)).toBe(377);
    expect(asked.length).toBeLessThanOrEqual(11);
    expect(await firstReadable(() => Promise.resolve({}), 50)).toBe(1);
  });
});
