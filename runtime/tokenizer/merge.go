package tokenizer

import "unicode/utf8"

// minHeap is a binary heap ordered by less.
type minHeap[T any] struct {
	a    []T
	less func(x, y T) bool
}

func (h *minHeap[T]) push(x T) {
	h.a = append(h.a, x)
	for i := len(h.a) - 1; i > 0; {
		p := (i - 1) / 2
		if !h.less(h.a[i], h.a[p]) {
			break
		}
		h.a[i], h.a[p] = h.a[p], h.a[i]
		i = p
	}
}

func (h *minHeap[T]) pop() T {
	top := h.a[0]
	last := len(h.a) - 1
	h.a[0] = h.a[last]
	h.a = h.a[:last]
	for i := 0; ; {
		l, m := 2*i+1, i
		if l < last && h.less(h.a[l], h.a[m]) {
			m = l
		}
		if l+1 < last && h.less(h.a[l+1], h.a[m]) {
			m = l + 1
		}
		if m == i {
			break
		}
		h.a[i], h.a[m] = h.a[m], h.a[i]
		i = m
	}
	return top
}

// symbol is one node of the doubly linked list a piece is merged in.
type symbol struct {
	id         int // token id (rank merging); -1 once merged away
	start, end int // bytes of the piece (score merging)
	prev, next int
}

// mergeRanks applies the merges to a pre-tokenized piece the way GPT-2,
// Hugging Face's BPE and llama.cpp do: repeatedly the adjacent pair with
// the lowest merge rank, the leftmost among equals, one merge at a time.
func (t *BPE) mergeRanks(piece []byte, out []int) []int {
	if len(piece) == 1 {
		return append(out, t.byteID[piece[0]])
	}
	sym := make([]symbol, len(piece))
	for i, b := range piece {
		sym[i] = symbol{id: t.byteID[b], prev: i - 1, next: i + 1}
	}
	sym[len(sym)-1].next = -1
	type cand struct{ rank, left int }
	h := minHeap[cand]{less: func(x, y cand) bool {
		return x.rank < y.rank || x.rank == y.rank && x.left < y.left
	}}
	try := func(l int) {
		if l < 0 || sym[l].next < 0 {
			return
		}
		if k, ok := t.rank[Pair{sym[l].id, sym[sym[l].next].id}]; ok {
			h.push(cand{k, l})
		}
	}
	for i := 0; i+1 < len(sym); i++ {
		try(i)
	}
	for len(h.a) > 0 {
		c := h.pop()
		l := c.left
		r := sym[l].next
		if sym[l].id < 0 || r < 0 || (Pair{sym[l].id, sym[r].id}) != t.merges[c.rank] {
			continue // a neighbour changed since this pair was queued
		}
		sym[l].id = t.result[c.rank]
		sym[r].id = -1
		sym[l].next = sym[r].next
		if n := sym[r].next; n >= 0 {
			sym[n].prev = l
		}
		try(sym[l].prev)
		try(l)
	}
	for i := 0; i >= 0; i = sym[i].next {
		out = append(out, sym[i].id)
	}
	return out
}

// mergeScores is SentencePiece's BPE as llama.cpp runs it
// (llm_tokenizer_spm): the text's characters (an invalid UTF-8 byte is one
// character) merge pairwise, always the adjacent pair whose concatenation
// is the normal token of highest score, the leftmost among equals; a
// character left with no token of its own becomes its UTF-8 bytes' byte
// tokens.
func (t *BPE) mergeScores(s []byte, out []int) []int {
	var sym []symbol
	for i := 0; i < len(s); {
		_, size := utf8.DecodeRune(s[i:])
		sym = append(sym, symbol{start: i, end: i + size, prev: len(sym) - 1, next: len(sym) + 1})
		i += size
	}
	if len(sym) == 0 {
		return out
	}
	sym[len(sym)-1].next = -1
	type cand struct {
		score       float32
		left, right int
		size        int
	}
	h := minHeap[cand]{less: func(x, y cand) bool {
		return x.score > y.score || x.score == y.score && x.left < y.left
	}}
	try := func(l int) {
		if l < 0 || sym[l].next < 0 {
			return
		}
		r := sym[l].next
		if id, ok := t.lookup[string(s[sym[l].start:sym[r].end])]; ok {
			h.push(cand{t.scores[id], l, r, sym[r].end - sym[l].start})
		}
	}
	for i := 0; i+1 < len(sym); i++ {
		try(i)
	}
	for len(h.a) > 0 {
		c := h.pop()
		L, R := &sym[c.left], &sym[c.right]
		if L.id < 0 || R.id < 0 || L.next != c.right || R.end-L.start != c.size {
			continue // a neighbour changed since this pair was queued
		}
		L.end = R.end
		R.id = -1
		L.next = R.next
		if n := R.next; n >= 0 {
			sym[n].prev = c.left
		}
		try(L.prev)
		try(c.left)
	}
	for i := 0; i >= 0; i = sym[i].next {
		piece := s[sym[i].start:sym[i].end]
		if id, ok := t.lookup[string(piece)]; ok {
			out = append(out, id)
			continue
		}
		for _, b := range piece {
			out = append(out, t.byteID[b])
		}
	}
	return out
}
