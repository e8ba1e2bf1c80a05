package evaluator

import (
	"sort"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// What a verification reports: a verdict per (round, model), the standings
// the local runs imply, and the overall outcome.

// Verdicts of one (round, model).
const (
	Match       = "match"
	Mismatch    = "MISMATCH"
	Pending     = "pending"     // the round is not final yet
	NeverFinal  = "never final" // the evaluation ended before the round was final
	Unavailable = "UNAVAILABLE" // the artifact could not be fetched or is not the registered bytes
)

// Finding is the verdict on one model's result in one round.
type Finding struct {
	Evaluation uint64 `json:"evaluation"`
	Round      uint32 `json:"round"`
	Attempt    uint32 `json:"attempt"`
	Model      uint64 `json:"model"`
	ModelName  string `json:"model_name"`
	Verdict    string `json:"verdict"`
	// Field names what differs (correct, trace_root, leaves), or why the
	// local run failed; Chain and Local are the two values.
	Field string `json:"field,omitempty"`
	Chain string `json:"chain,omitempty"`
	Local string `json:"local,omitempty"`
	// Items is how many items the round holds (each re-run).
	Items uint32 `json:"items"`
	// Correct, TraceRoot and Leaves are the local run's result.
	Correct   uint64 `json:"correct"`
	TraceRoot string `json:"trace_root,omitempty"`
	Leaves    uint64 `json:"leaves"`
	// Challenge is the command that disputes a mismatching result still
	// inside its challenge window, which ends at ChallengeUntil.
	Challenge      string `json:"challenge,omitempty"`
	ChallengeUntil int64  `json:"challenge_until,omitempty"`
}

// Report is the verdict on an evaluation (and its market).
type Report struct {
	Evaluation uint64 `json:"evaluation"`
	// Height is the block whose state was read (0: not known).
	Height   int64     `json:"height,omitempty"`
	Status   string    `json:"status"`
	Findings []Finding `json:"findings"`
	// Standings are the chain's and the ones the local results imply (set
	// when every round is final).
	ChainStandings []evaluationtypes.Standing `json:"chain_standings,omitempty"`
	LocalStandings []evaluationtypes.Standing `json:"local_standings,omitempty"`
	StandingsMatch bool                       `json:"standings_match"`
	// Checked counts the (round, model) results re-run and compared.
	Checked int `json:"checked"`
	// Market, when verifying one: its settlement and whether it follows
	// from the local standings.
	Market     uint64 `json:"market,omitempty"`
	Settlement string `json:"settlement,omitempty"`
	// SettlementChecked: the market is settled and its payout was held
	// against the local standings; SettledOK is the outcome.
	SettlementChecked bool `json:"settlement_checked"`
	SettledOK         bool `json:"settled_ok"`
	// OK: every final result matches, no artifact was unavailable, and the
	// standings (and the settlement) follow.
	OK bool `json:"ok"`
}

// Mismatched: something the chain decided does not follow from the models
// (a result, the standings or the market's settlement) — as opposed to
// what could not be checked.
func (r Report) Mismatched() bool {
	for _, f := range r.Findings {
		if f.Verdict == Mismatch {
			return true
		}
	}
	return !r.StandingsMatch || r.Market != 0 && !r.SettledOK
}

// maxFindings bounds the (round, model) results one verification lists: a
// node claiming billions would otherwise exhaust memory.
const maxFindings = 1 << 20

// Disputable: some mismatching result can still be challenged.
func (r Report) Disputable() bool {
	for _, f := range r.Findings {
		if f.Challenge != "" {
			return true
		}
	}
	return false
}

// Standing is a model's place in an evaluation's standings.
type Standing = evaluationtypes.Standing

// Standings ranks models by their summed local scores as x/evaluation
// does: most correct first, ties sharing a rank, listed by model id.
func Standings(modelIDs []uint64, findings []Finding) []evaluationtypes.Standing {
	sum := map[uint64]uint64{}
	for _, f := range findings {
		sum[f.Model] += f.Correct
	}
	out := make([]evaluationtypes.Standing, 0, len(modelIDs))
	for _, id := range modelIDs {
		out = append(out, evaluationtypes.Standing{ModelId: id, Correct: sum[id]})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Correct != out[j].Correct {
			return out[i].Correct > out[j].Correct
		}
		return out[i].ModelId < out[j].ModelId
	})
	for i := range out {
		if i > 0 && out[i].Correct == out[i-1].Correct {
			out[i].Rank = out[i-1].Rank
		} else {
			out[i].Rank = uint32(i + 1)
		}
	}
	return out
}

func sameStandings(a, b []evaluationtypes.Standing) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ModelId != b[i].ModelId || a[i].Correct != b[i].Correct || a[i].Rank != b[i].Rank {
			return false
		}
	}
	return true
}
