// Command benchreport turns the raw output of `make bench` (go test -bench
// text and delphid loadtest JSON under one directory) into BENCHMARKS.md:
// the machine, the commands, every figure as the median of its repeated
// runs, and the ratios the issue asks for, computed from the same run.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

func main() {
	dir := flag.String("dir", "build/bench", "directory with the raw results")
	out := flag.String("out", "BENCHMARKS.md", "report to write")
	flag.Parse()
	r, err := load(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var b strings.Builder
	r.write(&b)
	if err := os.WriteFile(*out, []byte(b.String()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("wrote", *out)
}

// bench holds every go benchmark result: name (without the -GOMAXPROCS
// suffix) → unit → the values of its runs.
type bench map[string]map[string][]float64

var lineRE = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

// parseBench reads `go test -bench` output.
func parseBench(path string, into bench) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		m := lineRE.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		fields := strings.Fields(m[2])
		for i := 0; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				continue
			}
			if into[m[1]] == nil {
				into[m[1]] = map[string][]float64{}
			}
			into[m[1]][fields[i+1]] = append(into[m[1]][fields[i+1]], v)
		}
	}
	return sc.Err()
}

// get is the median of a benchmark's metric, NaN when it did not run.
func (b bench) get(name, unit string) float64 {
	vs := b[name][unit]
	if len(vs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(vs)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func (b bench) runs(name, unit string) int { return len(b[name][unit]) }

// names are the benchmarks under prefix (the prefix cut off), sorted.
func (b bench) names(prefix string) []string {
	var out []string
	for n := range b {
		if rest, ok := strings.CutPrefix(n, prefix); ok {
			out = append(out, rest)
		}
	}
	sort.Strings(out)
	return out
}

// loadReport mirrors internal/loadtest.Report.
type loadReport struct {
	Kind       string  `json:"kind"`
	Validators int     `json:"validators"`
	Accounts   int     `json:"accounts"`
	Markets    int     `json:"markets"`
	Positions  int     `json:"positions"`
	MaxTPS     float64 `json:"max_committed_tps"`
	BlockMs    float64 `json:"mean_block_ms"`
	Stages     []struct {
		Offered      int     `json:"offered_tps"`
		Sent         int     `json:"sent"`
		Refused      int     `json:"refused"`
		Dropped      int     `json:"dropped"`
		Committed    int     `json:"committed"`
		Failed       int     `json:"failed"`
		CommittedTPS float64 `json:"committed_tps"`
		GasPerTx     float64 `json:"gas_per_tx"`
		Backlog      int     `json:"mempool_backlog"`
		BackedUp     bool    `json:"backed_up"`
	} `json:"stages"`
}

type results struct {
	dir   string
	b     bench
	loads map[string]*loadReport // file stem → report
	meta  map[string]string
}

func load(dir string) (*results, error) {
	r := &results{dir: dir, b: bench{}, loads: map[string]*loadReport{}, meta: map[string]string{}}
	txt, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	for _, p := range txt {
		if err := parseBench(p, r.b); err != nil {
			return nil, err
		}
	}
	js, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	for _, p := range js {
		raw, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var rep loadReport
		if err := json.Unmarshal(raw, &rep); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		r.loads[strings.TrimSuffix(filepath.Base(p), ".json")] = &rep
	}
	if raw, err := os.ReadFile(filepath.Join(dir, "meta.env")); err == nil {
		for _, l := range strings.Split(string(raw), "\n") {
			if k, v, ok := strings.Cut(l, "="); ok {
				r.meta[k] = v
			}
		}
	}
	if len(r.b) == 0 && len(r.loads) == 0 {
		return nil, fmt.Errorf("no results under %s: run make bench", dir)
	}
	return r, nil
}

func cpuModel() string {
	raw, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	for _, l := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(l, "model name") {
			if _, v, ok := strings.Cut(l, ":"); ok {
				return strings.TrimSpace(v)
			}
		}
	}
	return "unknown"
}

func gitCommit() string {
	out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}

// f formats a figure with sensible precision; "—" when it did not run.
func f(v float64) string {
	switch {
	case math.IsNaN(v):
		return "—"
	case v == 0:
		return "0"
	case math.Abs(v) >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case math.Abs(v) >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	default:
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
}

func ratio(a, b float64) string {
	if math.IsNaN(a) || math.IsNaN(b) || b == 0 {
		return "—"
	}
	return strconv.FormatFloat(a/b, 'f', 2, 64) + "×"
}

func pct(a, b float64) string {
	if math.IsNaN(a) || math.IsNaN(b) || b == 0 {
		return "—"
	}
	return strconv.FormatFloat(100*a/b, 'f', 0, 64) + "%"
}
