// The story of a market in words a trader reads: who leads while rounds
// run, when the next round is drawn, how the market settled and what a
// share pays, and what each dispute decided and who paid for it. Pure
// functions over REST data, so they are tested without a chain.
import { formatAmount } from "./format";
import type { Dispute, Evaluation, Market, Result, Round } from "./types";
import { payoutPerShare } from "./valuation";

export interface Standing {
  modelId: string;
  correct: number;
  items: number;
}

/**
 * Correct answers so far per model, over rounds with a final result, best
 * first (ties by id). A result a dispute replaced is the corrected one and
 * counts.
 */
export function runningStandings(ev: Evaluation, results: Result[]): Standing[] {
  const by = new Map<string, Standing>(ev.model_ids.map((id) => [id, { modelId: id, correct: 0, items: 0 }]));
  for (const r of results) {
    const s = by.get(r.model_id);
    if (!s) continue;
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
  const pays = (i: number) => payoutPerShare(m, i);
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

/** What the app knows of a validator, by consensus address (hex). */
export interface ValidatorInfo {
  name: string;
  /** Jailed now; undefined when the node does not list the validator. */
  jailed?: boolean;
}

export type Validators = (consensusHex: string) => ValidatorInfo;

/**
 * A dispute in a sentence or two: whose claim about which score was
 * challenged, what the chain's recomputation decided, and who paid. `now`
 * is the result the evaluation holds today for that round and model (a
 * winning challenge replaces it only if it was still the disputed one).
 */
export function disputeStory(d: Dispute, model: string, validators: Validators, now?: Result): string {
  const names = (p: Dispute["claimant"]) =>
    p.validators.length ? listWords(p.validators.map((v) => validators(v).name)) : p.account ? `account ${p.account.slice(0, 12)}…` : "an account";
  const claimant = names(d.claimant);
  const challenger = names(d.challenger);
  const bond = (p: Dispute["claimant"]) => {
    const coins = (p as { bond?: { denom: string; amount: string }[] }).bond ?? [];
    return coins.length ? listWords(coins.map((c) => formatAmount(c.amount, c.denom))) : "";
  };
  // A losing side's validators are slashed and jailed, except one that had
  // left the validator set: say what the chain shows today.
  const punished = (p: Dispute["claimant"]) => {
    if (!p.validators.length) {
      const b = bond(p);
      return b ? `${names(p)} lost its bond of ${b}` : `${names(p)} posted no bond`;
    }
    const jailed = p.validators.filter((v) => validators(v).jailed === true).map((v) => validators(v).name);
    const free = p.validators.filter((v) => validators(v).jailed !== true).map((v) => validators(v).name);
    const parts = [];
    if (jailed.length) parts.push(`${listWords(jailed)} ${jailed.length > 1 ? "were" : "was"} slashed and jailed`);
    if (free.length) parts.push(`${listWords(free)} lost too (not jailed now: out of the validator set when it lost, or since unjailed)`);
    return parts.join("; ");
  };
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
    case "DISPUTE_STATUS_CHALLENGER_WON": {
      const corrected =
        now && now.correct === d.challenger.correct
          ? `the result is now ${d.challenger.correct}`
          : "the result had changed meanwhile, so it stays as it is";
      return `${what} The chain recomputed the disputed step and it agreed with ${challenger}: ${corrected}. ${capital(punished(d.claimant))}.`;
    }
    case "DISPUTE_STATUS_BOTH_LOST":
      return (
        `${what} The chain's recomputation matched neither claim: both sides lost, and an evaluation still running on ` +
        `that result fails (its markets become invalid). ${capital(punished(d.claimant))}; ${punished(d.challenger)}.`
      );
    case "DISPUTE_STATUS_NO_DIVERGENCE":
      return `${what} Both computations turned out identical step for step: the score stands and nobody was punished.`;
    case "DISPUTE_STATUS_NO_VERDICT":
      return (
        `${what} Neither side justified the disputed step in time, so there is no verdict${d.reason ? ` (${d.reason})` : ""}: ` +
        "nobody is slashed, the round is drawn again (unless it is out of retries or the model was refused), and a " +
        "bonded challenger forfeits its bond."
      );
  }
  return `${what} ${d.reason}`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
