package tokenizer

// trie holds the user-defined tokens, which Encode matches literally in
// the text before anything else (Hugging Face's added tokens; llama.cpp's
// USER_DEFINED tokens, which it matches even when not parsing special
// tokens).
type trie struct {
	edge  map[uint64]int // node<<8 | byte -> child node
	id    []int          // node -> token id, or -1
	first [256]bool      // bytes some token begins with
}

func newTrie() *trie { return &trie{edge: map[uint64]int{}, id: []int{-1}} }

func (tr *trie) add(s []byte, id int) {
	node := 0
	for _, b := range s {
		k := uint64(node)<<8 | uint64(b)
		next, ok := tr.edge[k]
		if !ok {
			next = len(tr.id)
			tr.edge[k] = next
			tr.id = append(tr.id, -1)
		}
		node = next
	}
	tr.id[node] = id
	tr.first[s[0]] = true
}

// find is the leftmost match in text and, there, the longest: its offset,
// length and token id; (len(text), 0, 0) when there is none.
func (tr *trie) find(text []byte) (at, n, id int) {
	for at = range text {
		if !tr.first[text[at]] {
			continue
		}
		node := 0
		for j := at; j < len(text); j++ {
			next, ok := tr.edge[uint64(node)<<8|uint64(text[j])]
			if !ok {
				break
			}
			node = next
			if tr.id[node] >= 0 {
				n, id = j+1-at, tr.id[node]
			}
		}
		if n > 0 {
			return at, n, id
		}
	}
	return len(text), 0, 0
}
