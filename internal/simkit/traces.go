package simkit

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"sync"

	"github.com/delphi-network/delphi/runtime"
)

// TraceLeaves is the length of every simulated trace: the claims of one
// result must have equal leaf counts for a dispute's first step to compare
// their scores.
const TraceLeaves = 16

// traces maps a simulated trace's root (hex) to the trace. It is keyed by
// content, so simulations running side by side (one per seed) share it
// safely: the same root is always the same trace.
var traces sync.Map

// Trace is a simulated run's trace: TraceLeaves leaves whose outputs are a
// function of key, except from leaf diverge on, where they are a function
// of key and variant too (diverge ≥ TraceLeaves: never), and whose last
// leaf is the score leaf of correct, as a real run's is. Two traces of one
// key agree up to their divergence, so a dispute between them bisects to a
// real first difference. The trace is kept so that a simulated player can
// reveal its leaves later (TraceByRoot).
func Trace(key []byte, variant uint64, diverge int, correct uint64) (root string, leaves uint64) {
	var t runtime.Trace
	for i := 0; i < TraceLeaves-1; i++ {
		h := sha256.New()
		h.Write([]byte("delphi/sim/trace"))
		h.Write(key)
		var buf [16]byte
		binary.BigEndian.PutUint64(buf[:8], uint64(i))
		if i >= diverge {
			binary.BigEndian.PutUint64(buf[8:], variant+1)
		}
		h.Write(buf[:])
		var o runtime.Hash
		copy(o[:], h.Sum(nil))
		t.Append(o)
	}
	t.Append(runtime.OutputHash(runtime.ScoreTensor(int64(correct))))
	r := t.Root()
	root = hex.EncodeToString(r[:])
	traces.LoadOrStore(root, &t)
	return root, TraceLeaves
}

// TraceByRoot is a trace Trace made, by its root (hex, either case).
func TraceByRoot(root string) (*runtime.Trace, bool) {
	b, err := hex.DecodeString(root)
	if err != nil {
		return nil, false
	}
	t, ok := traces.Load(hex.EncodeToString(b))
	if !ok {
		return nil, false
	}
	return t.(*runtime.Trace), true
}
