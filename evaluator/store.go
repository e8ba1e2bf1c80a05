package evaluator

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/delphi-network/delphi/runtime"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// Store keeps finished results on disk, one small file per result, so a
// restarted sidecar serves them again without recomputing.
type Store struct {
	dir string
	mu  sync.RWMutex
	res map[resultID]*evaluationtypes.RoundResult
}

type resultID struct {
	Evaluation uint64
	Round      uint32
	Attempt    uint32
	Model      uint64
}

func (id resultID) file() string {
	return fmt.Sprintf("e%d-r%d-a%d-m%d.json", id.Evaluation, id.Round, id.Attempt, id.Model)
}

// RoundKey names an open round; its value in an open set is the attempt.
type RoundKey struct {
	Evaluation uint64
	Round      uint32
}

// OpenStore loads every result under dir/results.
func OpenStore(dir string) (*Store, error) {
	s := &Store{dir: filepath.Join(dir, "results"), res: map[resultID]*evaluationtypes.RoundResult{}}
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if filepath.Ext(e.Name()) != ".json" {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(s.dir, e.Name()))
		if err != nil {
			return nil, err
		}
		var r evaluationtypes.RoundResult
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, fmt.Errorf("result %s: %w", e.Name(), err)
		}
		s.res[resultID{r.EvaluationId, r.Round, r.Attempt, r.ModelId}] = &r
	}
	return s, nil
}

// Has says whether a result is stored for this attempt of the round.
func (s *Store) Has(e uint64, r, attempt uint32, m uint64) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.res[resultID{e, r, attempt, m}]
	return ok
}

// Put writes a result durably (write to a temp file, then rename).
func (s *Store) Put(r *evaluationtypes.RoundResult) error {
	id := resultID{r.EvaluationId, r.Round, r.Attempt, r.ModelId}
	raw, err := json.Marshal(r)
	if err != nil {
		return err
	}
	tmp := filepath.Join(s.dir, "."+id.file())
	if err := os.WriteFile(tmp, raw, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(s.dir, id.file())); err != nil {
		return err
	}
	s.mu.Lock()
	s.res[id] = r
	s.mu.Unlock()
	return nil
}

// PutTrace keeps a run's trace (its output hashes) beside its result, for
// the disputes the result may meet.
func (s *Store) PutTrace(r *evaluationtypes.RoundResult, tr *runtime.Trace) error {
	raw, err := tr.MarshalBinary()
	if err != nil {
		return err
	}
	id := resultID{r.EvaluationId, r.Round, r.Attempt, r.ModelId}
	name := strings.TrimSuffix(id.file(), ".json") + ".trace"
	tmp := filepath.Join(s.dir, "."+name)
	if err := os.WriteFile(tmp, raw, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(s.dir, name))
}

// Trace loads a stored run's trace.
func (s *Store) Trace(e uint64, r, attempt uint32, m uint64) (*runtime.Trace, error) {
	name := strings.TrimSuffix(resultID{e, r, attempt, m}.file(), ".json") + ".trace"
	raw, err := os.ReadFile(filepath.Join(s.dir, name))
	if err != nil {
		return nil, err
	}
	tr := &runtime.Trace{}
	return tr, tr.UnmarshalBinary(raw)
}

// Results returns the stored results of (evaluation, round, model) over
// every attempt, by attempt.
func (s *Store) Results(e uint64, r uint32, m uint64) []*evaluationtypes.RoundResult {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []*evaluationtypes.RoundResult
	for id, res := range s.res {
		if id.Evaluation == e && id.Round == r && id.Model == m {
			out = append(out, res)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Attempt < out[j].Attempt })
	return out
}

// Len is the number of stored results.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.res)
}

// Select returns the stored results of the current attempt of each open
// round, in (evaluation, round, model) order, at most max.
func (s *Store) Select(open map[RoundKey]uint32, max int) []*evaluationtypes.RoundResult {
	s.mu.RLock()
	var out []*evaluationtypes.RoundResult
	for id, r := range s.res {
		if attempt, ok := open[RoundKey{id.Evaluation, id.Round}]; ok && attempt == id.Attempt {
			out = append(out, r)
		}
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.EvaluationId != b.EvaluationId {
			return a.EvaluationId < b.EvaluationId
		}
		if a.Round != b.Round {
			return a.Round < b.Round
		}
		return a.ModelId < b.ModelId
	})
	if max >= 0 && len(out) > max {
		out = out[:max]
	}
	return out
}
