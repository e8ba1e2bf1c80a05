// Vault arithmetic the deposit and withdraw forms need, in integers: the
// chain prices a share as (assets + 1) / (supply + virtual shares) and
// answers it as an 18-decimal string; a deposit mints amount / price
// shares and a withdrawal pays shares · price, both rounded down.
import { InputError } from "./format";

const SCALE = 10n ** 18n;

/** "0.000001000000000000" → 10¹² (the price scaled by 10¹⁸). */
export function parseDec18(dec: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,18}))?$/.exec(dec.trim());
  if (!m) throw new InputError(`"${dec}" is not a decimal price.`);
  return BigInt(m[1]) * SCALE + BigInt((m[2] ?? "").padEnd(18, "0"));
}

/** Shares a deposit of `amount` mints at `price` (rounded down, like the chain). */
export function sharesForDeposit(amount: bigint, price: string): bigint {
  const p = parseDec18(price);
  if (p === 0n) throw new InputError("The vault has no price yet.");
  return (amount * SCALE) / p;
}

/** What `shares` pay at `price` (rounded down). */
export function valueOfShares(shares: bigint, price: string): bigint {
  return (shares * parseDec18(price)) / SCALE;
}

/**
 * Shares to burn to take out `amount`: rounded up so the payout reaches
 * it, and never more than `held` (asking for more than the stake is an
 * error, not a silent cap).
 */
export function sharesForWithdrawal(amount: bigint, price: string, held: bigint): bigint {
  const p = parseDec18(price);
  if (p === 0n) throw new InputError("The vault has no price yet.");
  const s = (amount * SCALE + p - 1n) / p;
  if (s > held) throw new InputError("That is more than your stake is worth.");
  return s;
}

/** A share price per 10⁶ shares, the unit a deposit of 1 micro unit mints: "1.000000" at par. */
export function pricePerMillion(price: string): string {
  const p = parseDec18(price) * 1_000_000n; // per 10⁶ shares, scaled 10¹⁸
  const whole = p / SCALE;
  const frac = ((p % SCALE) / 10n ** 12n).toString().padStart(6, "0");
  return `${whole}.${frac}`;
}
