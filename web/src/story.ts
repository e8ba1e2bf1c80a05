// The story of a market in words a trader reads: who leads while rounds
// run, when the next round is drawn, how the market settled and what a
// share pays, and what each dispute decided and who paid for it. Pure
// functions over REST data, so they are tested without a chain.
import { formatAmount } from "./format";
import type { Dispute, Evaluation, Market, Result, Round } from "./types";

export interface Standing {
  modelId: string;
  correct: number;
  items: number;
}

/** Correct answers so far per model, over rounds with a final result, best first (ties by id). */
export function runningStandings(ev: Evaluation, results: Result[]): Standing[] {
  const by = new Map<string, Standing>(ev.model_ids.map((id) => [id, { modelId: id, correct: 0, items: 0 }]));
  for (const r of results) {
    const s = by.get(r.model_id);
    if (!s || r.replaced) continue;
    s.correct += Number(r.correct);
    s.items += ev.items_per_round;
  }
  return [...by.values()].sort((a, b) => b.correct - a.correct || Number(a.modelId) - Number(b.modelId));
}

/** The height the next round is drawn at, or null when every round has started. */
export function nextDraw(ev: Evaluation, rounds: Round[]): number | null {
  const started = new Set(rounds.map((r) => r.round));
  const draws = ev.draw_heights ?? [];
  for (let i = 0; i < ev.rounds; i++) {
    if (!started.has(i)) return draws[i] ? Number(draws[i]) : null;
  }
  return null;
}

export interface Banner {
  kind: "resolved" | "invalid" | "cancelled";
  title: string;
  text: string;
}

/** "a", "a and b", "a, b and c". */
export function listWords(xs: string[]): string {
  return xs.length <= 1 ? (xs[0] ?? "") : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`;
}

/** What a settled market says at the top of its page; null while it trades. */
export function settlementBanner(m: Market, names: string[]): Banner | null {
  const den = BigInt(m.payout_denominator || "0");
  const pays = (i: number) => (den > 0n ? (BigInt(m.payout_numerators[i] ?? "0") * 1_000_000n) / den : 0n);
  switch (m.status) {
    case "MARKET_STATUS_RESOLVED": {
      const winners = m.model_ids.map((_, i) => i).filter((i) => (m.payout_numerators[i] ?? "0") !== "0");
      const who = listWords(winners.map((i) => names[i]));
      const each = winners.length ? formatAmount(pays(winners[0]), m.collateral_denom) : formatAmount(0n, m.collateral_denom);
      return {
        kind: "resolved",
        title: winners.length === 1 ? `${who} won` : `${who} tied`,
        text:
          `Resolved at block ${m.resolved_height} on the final standings. Each share of ${who} pays ${each}; ` +
          "every other share pays nothing. Holders redeem below.",
      };
    }
    case "MARKET_STATUS_INVALID":
      return {
        kind: "invalid",
        title: "No winner: the market is invalid",
        text:
          `The evaluation could not finish in time, so at block ${m.resolved_height} every outcome was settled equally: ` +
          `each share of any model pays ${formatAmount(pays(0), m.collateral_denom)}.`,
      };
    case "MARKET_STATUS_CANCELLED":
      return {
        kind: "cancelled",
        title: "Cancelled",
        text: `The market was cancelled at block ${m.resolved_height}; its liquidity went back to its funder.`,
      };
  }
  return null;
}

/** Names a side's validators: by moniker where known, else by a short address. */
export type Monikers = (consensusHex: string) => string;

/**
 * A dispute in a sentence or two: whose claim about which score was
 * challenged, what the chain's recomputation decided, and who paid.
 */
export function disputeStory(d: Dispute, model: string, moniker: Monikers, denom: string): string {
  const side = (p: Dispute["claimant"]) =>
    p.validators.length ? listWords(p.validators.map(moniker)) : p.account ? `account ${p.account.slice(0, 12)}…` : "an account";
  const claimant = side(d.claimant);
  const challenger = side(d.challenger);
  const bond = (p: Dispute["claimant"]) => {
    const b = (p as { bond?: { denom: string; amount: string }[] }).bond?.find((c) => c.denom === denom);
    return b ? ` and lost its bond of ${formatAmount(b.amount, denom)}` : "";
  };
  const punished = (p: Dispute["claimant"]) =>
    p.validators.length ? `${side(p)} ${p.validators.length > 1 ? "were" : "was"} slashed and jailed` : `${side(p)} was not a validator${bond(p)}`;
  const what =
    `${claimant} reported that ${model} got ${d.claimant.correct} right in round ${d.round}; ` +
    (d.challenger.correct === d.claimant.correct
      ? `${challenger} claimed the same score from a different computation.`
      : `${challenger} said ${d.challenger.correct}.`);
  switch (d.status) {
    case "DISPUTE_STATUS_OPEN":
      return d.phase === "PHASE_REFEREE"
        ? `${what} The two narrowed it to one step of the computation; the chain is recomputing that step to decide.`
        : `${what} The two are narrowing down the first step where their computations differ (steps ${d.lo}–${d.hi}); ` +
            "the round's result waits for the verdict.";
    case "DISPUTE_STATUS_CLAIMANT_WON":
      return `${what} The chain recomputed the disputed step and it agreed with ${claimant}: the score stands. ${capital(punished(d.challenger))}.`;
    case "DISPUTE_STATUS_CHALLENGER_WON":
      return (
        `${what} The chain recomputed the disputed step and it agreed with ${challenger}: the score is now ` +
        `${d.challenger.correct}. ${capital(punished(d.claimant))}.`
      );
    case "DISPUTE_STATUS_BOTH_LOST":
      return (
        `${what} The chain's recomputation matched neither claim: both sides lost and the evaluation failed. ` +
        `${capital(punished(d.claimant))}; ${punished(d.challenger)}.`
      );
    case "DISPUTE_STATUS_NO_DIVERGENCE":
      return `${what} Both computations turned out identical step for step: the score stands and nobody was punished.`;
    case "DISPUTE_STATUS_NO_VERDICT":
      return (
        `${what} The chain reached no verdict${d.reason ? ` (${d.reason})` : ""}: the score stands, nobody was punished ` +
        "and bonds were refunded."
      );
  }
  return `${what} ${d.reason}`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
