import { describe, expect, it } from "vitest";
import { coalesce } from "../src/coalesce";

describe("coalesce", () => {
  it("never overlaps runs and never drops a request", async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const gates: (() => void)[] = [];
    const trigger = coalesce(async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      runs++;
      await new Promise<void>((r) => gates.push(r));
      active--;
    });
    const first = trigger();
    await Promise.resolve();
    // Three requests while the first run is in flight: one more run, not three.
    const more = [trigger(), trigger(), trigger()];
    gates.shift()!();
    await first;
    await new Promise((r) => setTimeout(r));
    expect(runs).toBe(2);
    gates.shift()!();
    await Promise.all(more);
    expect(runs).toBe(2);
    expect(maxActive).toBe(1);
  });
  it("keeps going after a failing run", async () => {
    let n = 0;
    const trigger = coalesce(async () => {
      n++;
      if (n === 1) throw new Error("boom");
    });
    await trigger();
    await trigger();
    expect(n).toBe(2);
  });
});
