// Amounts on chain are integers of a micro denom ("uusdc"); prices are
// 18-decimal strings. Everything money-like stays a string or a BigInt until
// it is shown: the UI never rounds an amount it will sign.

/** Decimals of every micro denom ("u" prefix) the chain uses. */
export const MICRO_DECIMALS = 6;

/** "uusdc" → "USDC"; any other denom is shown as it is. */
export function denomLabel(denom: string): string {
  return /^u[a-z]{2,}$/.test(denom) ? denom.slice(1).toUpperCase() : denom;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * Shows an integer amount of a micro denom in whole units, e.g.
 * formatAmount("1485148", "uusdc") → "1.485148 USDC". At most `maxDecimals`
 * decimals are kept (truncated, never rounded up); trailing zeros go.
 */
export function formatAmount(micro: string | bigint, denom = "", maxDecimals = MICRO_DECIMALS): string {
  let v = typeof micro === "bigint" ? micro : BigInt(micro || "0");
  const neg = v < 0n;
  if (neg) v = -v;
  const scale = 10n ** BigInt(MICRO_DECIMALS);
  const whole = groupThousands((v / scale).toString());
  let frac = (v % scale).toString().padStart(MICRO_DECIMALS, "0").slice(0, maxDecimals).replace(/0+$/, "");
  const num = (neg ? "−" : "") + whole + (frac ? "." + frac : "");
  return denom ? `${num} ${denomLabel(denom)}` : num;
}

/** Shares are integers with the collateral's 6 decimals, shown like amounts. */
export function formatShares(raw: string | bigint): string {
  return formatAmount(raw, "", 2);
}

/** Thrown for input a user must fix; the message says how. */
export class InputError extends Error {}

/**
 * Parses a user's decimal amount ("1.5", "1,000.25") into micro units.
 * Rejects negatives, more than six decimals, exponents and empty input.
 */
export function parseAmount(input: string): bigint {
  const s = input.trim().replace(/,/g, "");
  if (s === "") throw new InputError("Enter an amount.");
  const m = /^(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[1] === "" && (m[2] ?? "") === "")) throw new InputError(`"${input}" is not a number.`);
  const frac = m[2] ?? "";
  if (frac.length > MICRO_DECIMALS) throw new InputError(`At most ${MICRO_DECIMALS} decimals.`);
  const v = BigInt((m[1] || "0") + frac.padEnd(MICRO_DECIMALS, "0"));
  if (v === 0n) throw new InputError("The amount must be above zero.");
  // Far beyond any supply; keeps the value inside cosmos.Int's 256 bits.
  if (v >= 10n ** 60n) throw new InputError("The amount is too large.");
  return v;
}

/** "0.569006365406545174" → 0.569006365… for charts (display only). */
export function priceToNumber(dec: string): number {
  const n = Number(dec);
  return Number.isFinite(n) ? n : 0;
}

/** "0.569006365406545174" → "56.9%". */
export function formatPrice(dec: string): string {
  return `${(priceToNumber(dec) * 100).toFixed(1)}%`;
}

/** A fraction of correct answers, e.g. 23 of 25 → "92.0%". */
export function formatRatio(correct: string | number, items: string | number): string {
  const c = Number(correct);
  const n = Number(items);
  if (!n) return "–";
  return `${((100 * c) / n).toFixed(1)}%`;
}

/** delphi1hkjy…2nu */
export function shortAddress(addr: string): string {
  return addr.length > 16 ? `${addr.slice(0, 10)}…${addr.slice(-4)}` : addr;
}

/** The lower bound a slippage tolerance of `bps` allows: floor(v·(1−bps/10⁴)). */
export function minAfterSlippage(v: bigint, bps: number): bigint {
  return (v * BigInt(10000 - bps)) / 10000n;
}

/** The upper bound a slippage tolerance of `bps` allows: ceil(v·(1+bps/10⁴)). */
export function maxAfterSlippage(v: bigint, bps: number): bigint {
  const n = v * BigInt(10000 + bps);
  return (n + 9999n) / 10000n;
}

/** Parses a slippage tolerance in percent ("0.5") to basis points. */
export function parseTolerance(input: string): number {
  const s = input.trim();
  if (!/^\d+(\.\d{1,2})?$/.test(s)) throw new InputError("Slippage tolerance is a percentage, e.g. 1 or 0.5.");
  const bps = Math.round(Number(s) * 100);
  if (bps > 5000) throw new InputError("Slippage tolerance above 50% is refused.");
  return bps;
}

// The enum type prefixes of the chain's protobuf enums.
const ENUM_PREFIX = /^(MARKET_STATUS|EVALUATION_STATUS|ROUND_STATUS|DISPUTE_STATUS|FUND_RULE|PHASE|SIDE)_/;

/** "MARKET_STATUS_OPEN" → "open", "FUND_RULE_MANAGER" → "manager". */
export function enumLabel(v: string): string {
  return v.replace(ENUM_PREFIX, "").toLowerCase().replace(/_/g, " ");
}

// closesNote says when an open market stops trading: at the next round's
// draw (its items become knowable) or its creator's trading end.
export function closesNote(t: { closes_at?: string }): string {
  if (!t.closes_at || t.closes_at === "0") return "";
  return `Trading closes at block ${t.closes_at}, when the next evaluation round is drawn (or at the creator's trading end), and stays closed until that round's results are final.`;
}
