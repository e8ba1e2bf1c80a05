import { describe, expect, it } from "vitest";
import { disputeStory, listWords, nextDraw, runningStandings, settlementBanner } from "../src/story";
import type { Dispute, Evaluation, Market, Result, Round } from "../src/types";

const ev = {
  id: "1", benchmark_id: "1", model_ids: ["3", "5"], rounds: 3, items_per_round: 10, blocks_between_rounds: "5",
  start_height: "20", deadline_height: "80", status: "EVALUATION_STATUS_RUNNING", standings: [], draw_heights: ["20", "25", "31"],
} as Evaluation;
const result = (round: number, model: string, correct: number, replaced = false) => ({ round, model_id: model, correct: String(correct), replaced }) as Result;

describe("market story", () => {
  it("adds up the final rounds so far, best first", () => {
    // Model 5's round 1 was corrected by a dispute from 9 to 4: the corrected result counts.
    const s = runningStandings(ev, [result(0, "3", 7), result(0, "5", 9), result(1, "3", 8), result(1, "5", 4, true)]);
    expect(s).toEqual([
      { modelId: "3", correct: 15, items: 20 },
      { modelId: "5", correct: 13, items: 20 },
    ]);
  });
  it("names the next draw from the reserved heights", () => {
    expect(nextDraw(ev, [])).toBe(20);
    expect(nextDraw(ev, [{ round: 0 } as Round, { round: 1 } as Round])).toBe(31);
    expect(nextDraw(ev, [0, 1, 2].map((round) => ({ round }) as Round))).toBeNull();
  });
  it("says who won and what a share pays once resolved; invalid pays everyone equally", () => {
    const m = { status: "MARKET_STATUS_RESOLVED", model_ids: ["3", "5"], payout_numerators: ["0", "1"], payout_denominator: "1",
      resolved_height: "90", collateral_denom: "uusdc" } as Market;
    const b = settlementBanner(m, ["iris-logreg", "iris-mlp"])!;
    expect(b.title).toBe("iris-mlp won");
    expect(b.text).toContain("Each share of iris-mlp pays 1 USDC");
    const tie = settlementBanner({ ...m, payout_numerators: ["1", "1"], payout_denominator: "2" }, ["a", "b"])!;
    expect(tie.title).toBe("a and b tied");
    expect(tie.text).toContain("pays 0.5 USDC");
    const invalid = settlementBanner({ ...m, status: "MARKET_STATUS_INVALID", payout_numerators: ["1", "1"], payout_denominator: "2" }, ["a", "b"])!;
    expect(invalid.kind).toBe("invalid");
    expect(invalid.text).toContain("0.5 USDC");
    expect(settlementBanner({ ...m, status: "MARKET_STATUS_OPEN" }, ["a", "b"])).toBeNull();
    expect(listWords(["a", "b", "c"])).toBe("a, b and c");
  });
  it("tells a dispute in words: who claimed what, the verdict, who was slashed", () => {
    const d = {
      id: "1", evaluation_id: "1", round: 0, model_id: "5", lo: "0", hi: "9", phase: "PHASE_DONE", status: "DISPUTE_STATUS_CLAIMANT_WON",
      claimant: { correct: "9", account: "", validators: ["AA", "BB", "CC"] },
      challenger: { correct: "3", account: "", validators: ["DD"] },
      opened_height: "30", resolved_height: "40", reason: "", history: [],
    } as Dispute;
    const names: Record<string, { name: string; jailed?: boolean }> = {
      AA: { name: "node0", jailed: true }, BB: { name: "node1", jailed: true }, CC: { name: "node2", jailed: false }, DD: { name: "node3", jailed: true },
    };
    const v = (hex: string) => names[hex] ?? { name: hex };
    const won = disputeStory(d, "iris-mlp", v);
    expect(won).toContain("node0, node1 and node2 reported that iris-mlp got 9 right in round 0; node3 said 3.");
    expect(won).toContain("agreed with node0, node1 and node2: the score stands. Node3 was slashed and jailed.");
    // The claimant lost: jailed ones are said to be; one not jailed today is not claimed to be.
    const now = { round: 0, model_id: "5", correct: "3", replaced: true } as Result;
    const lost = disputeStory({ ...d, status: "DISPUTE_STATUS_CHALLENGER_WON" }, "iris-mlp", v, now);
    expect(lost).toContain("the result is now 3. Node0 and node1 were slashed and jailed; node2 lost too (not jailed now");
    const stale = disputeStory({ ...d, status: "DISPUTE_STATUS_CHALLENGER_WON" }, "iris-mlp", v, { ...now, correct: "9" } as Result);
    expect(stale).toContain("the result had changed meanwhile");
    // A bonded challenger's bond in whatever denomination it was posted.
    const bonded = disputeStory(
      { ...d, challenger: { correct: "3", account: "delphi1abcdefghijklmnop", validators: [], bond: [{ denom: "udelphi", amount: "5000000" }] } as Dispute["challenger"] },
      "iris-mlp", v);
    expect(bonded).toContain("Account delphi1abcde… lost its bond of 5 DELPHI.");
    const open = disputeStory({ ...d, status: "DISPUTE_STATUS_OPEN", phase: "PHASE_BISECT" }, "iris-mlp", v);
    expect(open).toContain("narrowing down");
    expect(open).not.toContain("DISPUTE_STATUS");
    const same = disputeStory({ ...d, challenger: { ...d.challenger, correct: "9" } }, "iris-mlp", v);
    expect(same).toContain("node3 claimed the same score from a different computation.");
    const none = disputeStory({ ...d, status: "DISPUTE_STATUS_NO_VERDICT" }, "iris-mlp", v);
    expect(none).toContain("nobody is slashed, the round is drawn again");
    expect(none).toContain("bonded challenger forfeits its bond");
  });
});

import { consensusHex } from "../src/validators";

describe("validator names", () => {
  it("derives the consensus address CometBFT uses from an ed25519 key", async () => {
    // sha256 of 32 zero bytes is 66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925.
    expect(await consensusHex("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")).toBe("66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925".slice(0, 40));
  });
});
