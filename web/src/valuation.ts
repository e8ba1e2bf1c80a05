// What a position is worth: at the market's current prices while it trades,
// and what redemption pays once it settled (the same formula as
// x/market's Market.Payout). Integer math throughout, like the chain.
import type { Market, Position } from "./types";

const PRICE_DECIMALS = 18;

/** "0.569006365406545174" → 569006365406545174n (18 decimals). */
export function priceUnits(dec: string): bigint {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(dec.trim());
  if (!m) return 0n;
  return BigInt(m[1] + (m[2] ?? "").slice(0, PRICE_DECIMALS).padEnd(PRICE_DECIMALS, "0"));
}

/** Σ shares_i · price_i, rounded down: the position marked to the market. */
export function markToMarket(shares: string[], prices: string[]): bigint {
  let total = 0n;
  shares.forEach((s, i) => {
    if (i < prices.length) total += BigInt(s || "0") * priceUnits(prices[i]);
  });
  return total / 10n ** BigInt(PRICE_DECIMALS);
}

/** Σ shares_i · payout_numerators_i / payout_denominator, rounded down. */
export function redeemable(shares: string[], market: Pick<Market, "payout_numerators" | "payout_denominator">): bigint {
  const den = BigInt(market.payout_denominator || "0");
  if (den === 0n) return 0n;
  let total = 0n;
  shares.forEach((s, i) => {
    const num = BigInt(market.payout_numerators[i] ?? "0");
    total += BigInt(s || "0") * num;
  });
  return total / den;
}

/** What one whole share (10⁶ share units) of outcome i pays at redemption, in collateral base units, rounded down; 0 before settlement. */
export function payoutPerShare(m: Pick<Market, "payout_numerators" | "payout_denominator">, i: number): bigint {
  const den = BigInt(m.payout_denominator || "0");
  return den > 0n ? (BigInt(m.payout_numerators[i] ?? "0") * 1_000_000n) / den : 0n;
}

export function isSettled(m: Pick<Market, "status">): boolean {
  return m.status === "MARKET_STATUS_RESOLVED" || m.status === "MARKET_STATUS_INVALID" || m.status === "MARKET_STATUS_CANCELLED";
}

export interface Valued {
  position: Position;
  market: Market;
  /** Current value: redemption if settled, mark to market otherwise. */
  value: bigint;
  redeemable: bigint;
  pnl: bigint;
}

export function valuePosition(position: Position, market: Market, prices: string[]): Valued {
  const settled = isSettled(market);
  const r = settled ? redeemable(position.shares, market) : 0n;
  const value = settled ? r : markToMarket(position.shares, prices);
  return { position, market, value, redeemable: r, pnl: value - BigInt(position.net_spent || "0") };
}

/** The model with the highest price, or -1 for a market without prices. */
export function leader(prices: string[]): number {
  let best = -1;
  let bestUnits = -1n;
  prices.forEach((p, i) => {
    const u = priceUnits(p);
    if (u > bestUnits) {
      best = i;
      bestUnits = u;
    }
  });
  return best;
}
