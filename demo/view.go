package demo

import (
	"fmt"
	"io"
	"strings"

	markettypes "github.com/delphi-network/delphi/x/market/types"
	verdetypes "github.com/delphi-network/delphi/x/verde/types"
)

// view shows the market as it runs: a redrawn screen on a terminal, plain
// log lines otherwise.
type view struct {
	out     io.Writer
	live    bool
	history [][]float64 // per outcome, price per block
	recent  []string
	last    map[string]string // dedupes plain-mode state lines
}

func newView(out io.Writer, live bool) *view {
	return &view{out: out, live: live, last: map[string]string{}}
}

// event records something that happened (a trade, a round, a dispute).
func (v *view) event(format string, args ...any) {
	line := fmt.Sprintf(format, args...)
	v.recent = append(v.recent, line)
	if len(v.recent) > 8 {
		v.recent = v.recent[len(v.recent)-8:]
	}
	if !v.live {
		fmt.Fprintln(v.out, line)
	}
}

// update draws a snapshot: the whole screen when live; changed state lines
// (round progress, disputes) when not.
func (v *view) update(s *snapshot) {
	if len(v.history) != len(s.prices) {
		v.history = make([][]float64, len(s.prices))
	}
	for i, p := range s.prices {
		v.history[i] = append(v.history[i], p)
		if len(v.history[i]) > 40 {
			v.history[i] = v.history[i][1:]
		}
	}
	if !v.live {
		v.plain("round", fmt.Sprintf("height %d: %d/%d rounds final, prices %s", s.height, s.roundsFinal,
			s.evaluation.Rounds, v.priceList(s)), s.roundsFinal)
		v.plain("disputes", "disputes: "+disputeLine(s), 0)
		v.plain("trading", "trading: "+tradingLine(s.trading), 0)
		return
	}
	var b strings.Builder
	b.WriteString("\x1b[H\x1b[2J")
	fmt.Fprintf(&b, "Delphi demo · height %d · market %d %q · %s\n", s.height, s.market.Id, s.market.Title,
		strings.TrimPrefix(s.market.Status.String(), "MARKET_STATUS_"))
	fmt.Fprintf(&b, "evaluation %d on %d items per round: %d/%d rounds final · %s\n\n", s.evaluation.Id,
		s.evaluation.ItemsPerRound, s.roundsFinal, s.evaluation.Rounds,
		strings.TrimPrefix(s.evaluation.Status.String(), "EVALUATION_STATUS_"))
	fmt.Fprintf(&b, "%-14s %7s  %-40s  %-24s %6s  %s\n", "model", "price", "price, last 40 blocks", "score per round", "total", "index")
	for i, name := range s.names {
		var rounds []string
		for _, r := range s.rounds {
			rounds = append(rounds, fmt.Sprint(r[i]))
		}
		idx := "-"
		if i < len(s.index) && len(s.index[i]) > 5 {
			idx = s.index[i][:5]
		}
		fmt.Fprintf(&b, "%-14s %6.1f%%  %s  %-24s %6d  %s\n", name, 100*s.prices[i], sparkline(v.history[i]),
			strings.Join(rounds, " "), s.cumulative[i], idx)
	}
	fmt.Fprintf(&b, "\ntrading: %s\ndisputes: %s\n\n", tradingLine(s.trading), disputeLine(s))
	for _, r := range v.recent {
		fmt.Fprintf(&b, "  %s\n", r)
	}
	fmt.Fprint(v.out, b.String())
}

func (v *view) plain(key, line string, _ int) {
	if v.last[key] == line {
		return
	}
	v.last[key] = line
	fmt.Fprintln(v.out, line)
}

func (v *view) priceList(s *snapshot) string {
	var parts []string
	for i, name := range s.names {
		parts = append(parts, fmt.Sprintf("%s %.1f%%", name, 100*s.prices[i]))
	}
	return strings.Join(parts, ", ")
}

func disputeLine(s *snapshot) string {
	if len(s.disputes) == 0 {
		return "none"
	}
	open, resolved := 0, map[string]int{}
	var step string
	for _, d := range s.disputes {
		if d.Status == verdetypes.DISPUTE_STATUS_OPEN {
			open++
			step = fmt.Sprintf(" (latest: round %d, %s, interval [%d, %d])", d.Round,
				strings.TrimPrefix(d.Phase.String(), "PHASE_"), d.Lo, d.Hi)
			continue
		}
		resolved[strings.TrimPrefix(d.Status.String(), "DISPUTE_STATUS_")]++
	}
	line := fmt.Sprintf("%d open%s", open, step)
	for status, n := range resolved {
		line += fmt.Sprintf(" · %d %s", n, status)
	}
	if len(s.jailed) > 0 {
		line += " · jailed: " + strings.Join(s.jailed, ", ")
	}
	return line
}

// sparkline draws prices in [0, 1] with eight block heights.
func sparkline(ps []float64) string {
	const bars = "▁▂▃▄▅▆▇█"
	runes := []rune(bars)
	var b strings.Builder
	for _, p := range ps {
		k := int(p * float64(len(runes)))
		k = max(0, min(k, len(runes)-1))
		b.WriteRune(runes[k])
	}
	return b.String() + strings.Repeat(" ", max(0, 40-len(ps)))
}

// tradingLine says whether the market trades now and until when, or why not.
func tradingLine(t markettypes.TradingState) string {
	switch {
	case t.Open && t.ClosesAt != 0:
		return fmt.Sprintf("open until block %d (the next round's draw)", t.ClosesAt)
	case t.Open:
		return "open"
	case t.ReopensAt != 0:
		return fmt.Sprintf("paused until block %d: %s", t.ReopensAt, t.Reason)
	case t.Reason != "":
		return "closed: " + t.Reason
	default:
		return "closed"
	}
}
