// What a trader must know about a quote before pressing Buy or Sell:
// whether the money or shares are there (blocking), and whether the trade
// is one they probably do not mean — a spend the market only partly takes,
// a price pushed to ~100% where a share can gain almost nothing (each
// needs an explicit "trade anyway").
import { formatAmount, formatPrice, formatShares, priceToNumber } from "./format";
import type { Quote } from "./types";

export interface QuoteCheck {
  /** Reasons the trade cannot go through; Buy/Sell stays disabled. */
  blocking: string[];
  /** Reasons to think twice; Buy/Sell needs a tick first. */
  warnings: string[];
}

export interface QuoteInput {
  side: "buy" | "sell";
  /** What was typed: collateral to spend (buy) or shares to sell, in micro units. */
  input: bigint;
  quote: Quote;
  outcome: number;
  name: string;
  denom: string;
  /** The wallet's collateral, if a wallet is connected. */
  balance?: bigint;
  /** The wallet's shares of this outcome, if a wallet is connected. */
  held?: bigint;
}

/** A price at or above this is "~100%": a share can gain at most 1/20 of what it costs. */
export const HIGH_PRICE = 0.95;

export function checkQuote(q: QuoteInput): QuoteCheck {
  const blocking: string[] = [];
  const warnings: string[] = [];
  const total = BigInt(q.quote.total);
  const shares = BigInt(q.quote.shares);
  if (q.side === "buy") {
    if (q.balance !== undefined && q.balance < total) {
      blocking.push(`Your balance is ${formatAmount(q.balance, q.denom)}: not enough for ${formatAmount(total, q.denom)}.`);
    }
    if (shares === 0n) blocking.push("That amount buys no shares: enter more.");
    // buy-for-amount spends at most what was typed; much less means the market caps it.
    if (total * 100n < q.input * 99n) {
      warnings.push(
        `The market takes only ${formatAmount(total, q.denom)} of the ${formatAmount(q.input, q.denom)} you entered: ` +
          "buying more would cost more than it could ever pay.",
      );
    }
    const after = priceToNumber(q.quote.prices_after[q.outcome] ?? "0");
    if (after >= HIGH_PRICE) {
      warnings.push(
        `This buy pushes ${q.name} to ${formatPrice(q.quote.prices_after[q.outcome])}: the last shares cost almost what a winning ` +
          "share pays, so they can gain almost nothing.",
      );
    }
    if (shares > 0n) {
      const avg = Number((total * 1_000_000n) / shares) / 1e6;
      if (avg >= HIGH_PRICE && after < HIGH_PRICE) {
        warnings.push(`You pay ${avg.toFixed(3)} per share on average, fee included; a winning share pays 1.`);
      }
    }
  } else if (q.held !== undefined && q.held < q.input) {
    blocking.push(`You hold ${formatShares(q.held)} shares of ${q.name}: you cannot sell ${formatShares(q.input)} shares.`);
  }
  return { blocking, warnings };
}
