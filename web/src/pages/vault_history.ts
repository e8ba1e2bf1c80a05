// A vault's share price over time: the vault read at up to 24 heights
// evenly spread from the first block the node can show it at (REST with
// x-cosmos-block-height), drawn as a line with its first and last value.
import type { Context } from "../context";
import { h } from "../dom";
import { sparkline, type Point } from "../sparkline";
import { pricePerMillion } from "../vaultmath";

const POINTS = 24;

/** The heights to sample between `from` and `to`, at most `n`, ascending, `to` included. */
export function sampleHeights(from: number, to: number, n = POINTS): number[] {
  if (to < from) return [];
  const span = to - from;
  const step = Math.max(1, Math.ceil(span / (n - 1)));
  const out: number[] = [];
  for (let x = to; x >= from && out.length < n; x -= step) out.unshift(x);
  return out;
}

/**
 * The first height at which the node can read the vault: a binary search
 * over heights (404 before the vault was created or where the node pruned the state).
 */
export async function firstReadable(read: (height: number) => Promise<unknown>, now: number): Promise<number> {
  let lo = 1;
  let hi = now;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const ok = await read(mid).then(
      () => true,
      () => false,
    );
    if (ok) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function shareHistory(ctx: Context, vaultId: string, now: number): HTMLElement {
  const box = h("div", { class: "share-history", "data-testid": `vault-${vaultId}-history` }, h("p", { class: "muted" }, "Reading the share price history…"));
  void (async () => {
    const since = await firstReadable((height) => ctx.api.vaultAt(vaultId, height), now);
    const heights = sampleHeights(since, now);
    const points: Point[] = [];
    const values = await Promise.all(heights.map((height) => ctx.api.vaultAt(vaultId, height).then((r) => r.share_price, () => null)));
    values.forEach((price, i) => {
      if (price) points.push({ x: heights[i], y: Number(pricePerMillion(price)) });
    });
    if (points.length < 2) {
      box.replaceChildren(h("p", { class: "muted" }, "Not enough history yet for a share price chart."));
      return;
    }
    const first = points[0];
    const last = points[points.length - 1];
    const change = ((last.y - first.y) / first.y) * 100;
    const summary =
      `Share price per 10⁶ shares from block ${first.x} to ${last.x}: ${first.y.toFixed(6)} → ${last.y.toFixed(6)} ` +
      `(${change >= 0 ? "+" : ""}${change.toFixed(2)}%).`;
    box.replaceChildren(sparkline(points, summary), h("p", { class: "muted", "data-testid": `vault-${vaultId}-history-summary` }, summary));
  })();
  return box;
}
