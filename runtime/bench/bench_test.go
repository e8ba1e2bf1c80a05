package bench

import (
	"encoding/hex"
	"testing"

	"github.com/delphi-network/delphi/runtime/merkle"
)

// TestBenchmarksLoad loads every registered benchmark from its package and
// pins its size and canonical hash. A missing source fails with a message
// saying how to fetch it (scripts/fetch-data.sh).
func TestBenchmarksLoad(t *testing.T) {
	want := map[string]struct {
		items, classes int
		shape          []int
		sha            string
	}{
		"mnist":               {10000, 10, []int{1, 1, 28, 28}, "8b68b48f3070c82cfa429f27b856dff50ceccd019a0f49f1455853e5fb16a5e4"},
		"mnist-train":         {60000, 10, []int{1, 1, 28, 28}, "50d20ceecee357bb65cc967f43ffa417e753cc2b55a31ad03fafb1eece3cac3b"},
		"fashion-mnist":       {10000, 10, []int{1, 1, 28, 28}, "45e9cf4cef314cdc29a6f59933271b1e6b6075dce36d0118334c61ccd99f571f"},
		"fashion-mnist-train": {60000, 10, []int{1, 1, 28, 28}, "c3ad148b2639e33036e085eaa3ffc9eb24e3b7f2aeb5cdccb51fda0515146894"},
		"iris":                {150, 3, []int{1, 4}, "58e626b975e5e67a9ac15037e74209cc9e3da2e5798a63b67797a1df67b142f3"},
		"wine":                {178, 3, []int{1, 13}, "f24f8fdb077819157ec34a0097c8a0b948b67b13c6ebb434d56f684486350e01"},
		"breast-cancer":       {569, 2, []int{1, 30}, "053d84a4c61a225e415ca70e9b1c8c9fbb73e461eb82724564b21455f577b772"},
		"digits":              {1797, 10, []int{1, 64}, "a47404f15c3b06a2361523aa8a5d12e9ed8e782041057ed7b23ee5f87f37673d"},
	}
	if len(Names()) != len(want) {
		t.Fatalf("registry %v", Names())
	}
	for _, name := range Names() {
		b, err := Load(name)
		if err != nil {
			t.Fatal(err)
		}
		w := want[name]
		if b.Len() != w.items || b.Classes() != w.classes || len(b.InputShape()) != len(w.shape) {
			t.Fatalf("%s: %d items, %d classes, shape %v", name, b.Len(), b.Classes(), b.InputShape())
		}
		if h := b.SHA256(); hex.EncodeToString(h[:]) != w.sha {
			t.Fatalf("%s canonical sha256 %x, pinned %s", name, h, w.sha)
		}
		root := b.ItemRoot()
		for _, i := range []int{0, b.Len() / 2, b.Len() - 1} {
			p, err := b.ProveItem(i)
			if err != nil {
				t.Fatal(err)
			}
			if err := merkle.Verify(root, uint64(i), merkle.LeafHash(b.ItemEncoding(i)), p); err != nil {
				t.Fatalf("%s item %d: %v", name, i, err)
			}
		}
	}
	// spot values: the first iris row is 5.1,3.5,1.4,0.2 -> setosa (0)
	iris, _ := Load("iris")
	x, l := iris.Item(0)
	if x.F[0] != 5.1 || x.F[3] != 0.2 || l != 0 {
		t.Fatalf("iris item 0 = %v label %d", x.F, l)
	}
	// the first MNIST test label is 7
	mn, _ := Load("mnist")
	if _, l := mn.Item(0); l != 7 {
		t.Fatalf("mnist item 0 label %d", l)
	}
}

func TestSelect(t *testing.T) {
	a, err := Select([]byte("block-hash"), 100, 10000)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Select([]byte("block-hash"), 100, 10000)
	c, _ := Select([]byte("other"), 100, 10000)
	seen := map[int]bool{}
	same := 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatal("same seed, different selection")
		}
		if a[i] < 0 || a[i] >= 10000 || seen[a[i]] {
			t.Fatalf("index %d repeated or out of range", a[i])
		}
		seen[a[i]] = true
		if a[i] == c[i] {
			same++
		}
	}
	if same > 5 {
		t.Fatalf("different seeds share %d positions", same)
	}
	// pinned draw: the selection algorithm is consensus-critical
	got, _ := Select(SeedFromUint64(1), 5, 10000)
	pinned := []int{2252, 9963, 6948, 8209, 8737}
	for i := range pinned {
		if got[i] != pinned[i] {
			t.Fatalf("Select(seed 1) = %v, pinned %v", got, pinned)
		}
	}
	full, _ := Select([]byte{}, 50, 50)
	if len(full) != 50 {
		t.Fatal("full selection")
	}
	if _, err := Select(nil, 11, 10); err == nil {
		t.Fatal("selected more items than exist")
	}
	// uniformity: each index of a 10-set is drawn first about 1/10 of the time
	counts := make([]int, 10)
	for s := uint64(0); s < 5000; s++ {
		d, _ := Select(SeedFromUint64(s), 1, 10)
		counts[d[0]]++
	}
	for i, c := range counts {
		if c < 400 || c > 600 {
			t.Fatalf("index %d first in %d of 5000 draws", i, c)
		}
	}
}

func TestDecodeItem(t *testing.T) {
	for _, name := range []string{"mnist", "wine"} {
		b, err := Load(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range []int{0, 7, b.Len() - 1} {
			x, label := b.Item(i)
			got, gl, err := DecodeItem(b.ItemEncoding(i), b.InputShape())
			if err != nil || gl != label || len(got.F) != len(x.F) {
				t.Fatalf("%s item %d: %v", name, i, err)
			}
			for k := range x.F {
				if got.F[k] != x.F[k] {
					t.Fatalf("%s item %d value %d", name, i, k)
				}
			}
		}
		if _, _, err := DecodeItem(b.ItemEncoding(0)[1:], b.InputShape()); err == nil {
			t.Fatal("short encoding accepted")
		}
	}
}
