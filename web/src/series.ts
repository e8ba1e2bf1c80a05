// Turns price history (one point per block with a trade) and live trades
// into the step series the chart draws: x = block height, one y per model.
import { priceToNumber } from "./format";
import type { PricePoint } from "./types";

export interface Series {
  heights: number[];
  /** prices[outcome][i] is the outcome's price after block heights[i]. */
  prices: number[][];
}

export function seriesFromHistory(points: PricePoint[], outcomes: number): Series {
  const s: Series = { heights: [], prices: Array.from({ length: outcomes }, () => []) };
  for (const p of points) addPoint(s, Number(p.height), p.prices);
  return s;
}

/**
 * Adds the prices after a block. Several trades in one block keep the last
 * prices; a point older than the newest is ignored (history and live events
 * overlap by design).
 */
export function addPoint(s: Series, height: number, prices: string[]): boolean {
  if (prices.length !== s.prices.length || !Number.isFinite(height)) return false;
  const last = s.heights.length - 1;
  if (last >= 0 && height < s.heights[last]) return false;
  if (last >= 0 && height === s.heights[last]) {
    prices.forEach((p, i) => (s.prices[i][last] = priceToNumber(p)));
    return true;
  }
  s.heights.push(height);
  prices.forEach((p, i) => s.prices[i].push(priceToNumber(p)));
  return true;
}

/** Extends the last prices to `height`, so the chart reaches the chain's tip. */
export function extendTo(s: Series, height: number) {
  const last = s.heights.length - 1;
  if (last < 0 || height <= s.heights[last]) return;
  s.heights.push(height);
  s.prices.forEach((col) => col.push(col[last]));
}
