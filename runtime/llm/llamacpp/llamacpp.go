// Package llamacpp runs llama.cpp itself — the prebuilt CPU library that npm
// node-llama-cpp ships, which make data installs — through a small C
// driver (csrc/driver.c), so that tests and benchmarks can hold Delphi's
// GGUF files, quantization and language-model arithmetic against the
// engine most users run. It is test and benchmark tooling: delphid never
// links it, and it needs a C compiler and the data cache.
//
// # Flow
//
// Open compiles the embedded driver once per source version into the
// cache (gcc, llama.cpp's headers from the package's source bundle, its
// shared libraries) and returns a Driver; each method writes its inputs to
// a temporary directory, runs the driver as a child process and reads its
// raw little-endian outputs back.
package llamacpp

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/delphi-network/delphi/runtime/bench"
)

//go:embed csrc/driver.c
var driverSource []byte

// Version is the node-llama-cpp package make data installs.
const Version = "3.21.1"

// Driver is a compiled driver.
type Driver struct {
	bin, lib string
}

var (
	once   sync.Once
	shared *Driver
	errs   error
)

// Open returns the driver, compiling it the first time.
func Open() (*Driver, error) {
	once.Do(func() { shared, errs = build() })
	return shared, errs
}

// Dir is where make data installs node-llama-cpp.
func Dir() string { return filepath.Join(bench.DataDir(), "node-llama-cpp") }

func build() (*Driver, error) {
	dir := Dir()
	platform := "linux-x64"
	if goruntime.GOARCH == "arm64" {
		platform = "linux-arm64"
	}
	lib := filepath.Join(dir, "node_modules", "@node-llama-cpp", platform, "bins", platform)
	inc := filepath.Join(dir, "include")
	for _, p := range []string{filepath.Join(lib, "libllama.v0.4.0.so"), filepath.Join(inc, "llama.h")} {
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("llama.cpp (npm node-llama-cpp@%s) is not installed at %s: run `make data` (%v)", Version, dir, err)
		}
	}
	sum := sha256.Sum256(driverSource)
	bin := filepath.Join(dir, "driver-"+hex.EncodeToString(sum[:8]))
	if _, err := os.Stat(bin); err == nil {
		return &Driver{bin: bin, lib: lib}, nil
	}
	src := filepath.Join(dir, "driver.c")
	if err := os.WriteFile(src, driverSource, 0o644); err != nil {
		return nil, err
	}
	tmp := bin + ".tmp"
	cmd := exec.Command("gcc", "-O2", "-Wall", "-o", tmp, src, "-I"+inc, "-L"+lib,
		"-l:libllama.v0.4.0.so", "-l:libggml.v0.4.0.so", "-l:libggml-base.so", "-Wl,-rpath,"+lib)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("compiling the llama.cpp driver: %v\n%s", err, out)
	}
	if err := os.Rename(tmp, bin); err != nil {
		return nil, err
	}
	return &Driver{bin: bin, lib: lib}, nil
}

// run executes one driver command and returns the fields after "ok".
func (d *Driver) run(args ...string) ([]string, error) {
	cmd := exec.Command(d.bin, args...)
	cmd.Env = append(os.Environ(), "LLAMACPP_LIB="+d.lib)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("llama.cpp driver %s: %v: %s", args[0], err, strings.TrimSpace(stderr.String()))
	}
	f := strings.Fields(stdout.String())
	if len(f) == 0 || f[0] != "ok" {
		return nil, fmt.Errorf("llama.cpp driver %s: unexpected output %q", args[0], stdout.String())
	}
	return f[1:], nil
}

func writeInts(path string, v []int) error {
	b := make([]byte, 0, 4*len(v))
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, uint32(int32(x)))
	}
	return os.WriteFile(path, b, 0o644)
}

func readInts(path string) ([]int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := make([]int, len(b)/4)
	for i := range out {
		out[i] = int(int32(binary.LittleEndian.Uint32(b[4*i:])))
	}
	return out, nil
}

func writeFloats(path string, v []float32) error {
	b := make([]byte, 0, 4*len(v))
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
	}
	return os.WriteFile(path, b, 0o644)
}

func readFloats(path string) ([]float32, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := make([]float32, len(b)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out, nil
}

func scratch() (string, func(), error) {
	dir, err := os.MkdirTemp("", "llamacpp-")
	return dir, func() { os.RemoveAll(dir) }, err
}

// Logits evaluates tokens as one batch (f32 KV cache, no flash attention)
// and returns every position's logits, row-major [len(tokens), vocab].
func (d *Driver) Logits(model string, tokens []int, threads int) ([]float32, int, error) {
	dir, done, err := scratch()
	if err != nil {
		return nil, 0, err
	}
	defer done()
	in, out := filepath.Join(dir, "tokens"), filepath.Join(dir, "logits")
	if err := writeInts(in, tokens); err != nil {
		return nil, 0, err
	}
	f, err := d.run("logits", model, in, out, strconv.Itoa(threads))
	if err != nil {
		return nil, 0, err
	}
	if len(f) != 2 {
		return nil, 0, fmt.Errorf("llama.cpp driver logits: output %v", f)
	}
	vocab, _ := strconv.Atoi(f[1])
	l, err := readFloats(out)
	if err != nil || vocab <= 0 || len(l) != vocab*len(tokens) {
		return nil, 0, fmt.Errorf("llama.cpp driver logits: %d floats for %d tokens of vocab %d (%v)", len(l), len(tokens), vocab, err)
	}
	return l, vocab, nil
}

// Greedy returns n tokens chosen greedily after the prompt.
func (d *Driver) Greedy(model string, prompt []int, n, threads int) ([]int, error) {
	dir, done, err := scratch()
	if err != nil {
		return nil, err
	}
	defer done()
	in, out := filepath.Join(dir, "tokens"), filepath.Join(dir, "out")
	if err := writeInts(in, prompt); err != nil {
		return nil, err
	}
	if _, err := d.run("greedy", model, in, strconv.Itoa(n), out, strconv.Itoa(threads)); err != nil {
		return nil, err
	}
	return readInts(out)
}

// Tokenize returns llama.cpp's ids for text under the file's vocabulary
// (no BOS added, special tokens not parsed).
func (d *Driver) Tokenize(model string, text []byte) ([]int, error) {
	dir, done, err := scratch()
	if err != nil {
		return nil, err
	}
	defer done()
	in, out := filepath.Join(dir, "text"), filepath.Join(dir, "ids")
	if err := os.WriteFile(in, text, 0o644); err != nil {
		return nil, err
	}
	if _, err := d.run("tokenize", model, in, out); err != nil {
		return nil, err
	}
	return readInts(out)
}

// Quantize writes out as llama_model_quantize makes it from in, every
// matrix of one type (llama.cpp's "pure" mode) given as a llama_ftype.
func (d *Driver) Quantize(in, out string, ftype int) error {
	_, err := d.run("quantize", in, out, strconv.Itoa(ftype))
	return err
}

// QuantizeRows quantizes rows of perRow floats to ggml type typ with
// ggml_quantize_chunk, llama.cpp's quantizer.
func (d *Driver) QuantizeRows(typ int, src []float32, rows, perRow int) ([]byte, error) {
	dir, done, err := scratch()
	if err != nil {
		return nil, err
	}
	defer done()
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	if err := writeFloats(in, src); err != nil {
		return nil, err
	}
	if _, err := d.run("qchunk", strconv.Itoa(typ), in, out, strconv.Itoa(rows), strconv.Itoa(perRow)); err != nil {
		return nil, err
	}
	return os.ReadFile(out)
}

// Dequantize returns ggml's to_float of n elements of type typ.
func (d *Driver) Dequantize(typ int, raw []byte, n int) ([]float32, error) {
	dir, done, err := scratch()
	if err != nil {
		return nil, err
	}
	defer done()
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	if err := os.WriteFile(in, raw, 0o644); err != nil {
		return nil, err
	}
	if _, err := d.run("dequant", strconv.Itoa(typ), in, out, strconv.Itoa(n)); err != nil {
		return nil, err
	}
	return readFloats(out)
}

// Speed is llama.cpp's measured throughput.
type Speed struct{ Prompt, Generate float64 } // tokens per second

// Bench times the prompt as one batch, then gen greedy tokens one by one.
func (d *Driver) Bench(model string, prompt []int, gen, threads int) (Speed, error) {
	dir, done, err := scratch()
	if err != nil {
		return Speed{}, err
	}
	defer done()
	in := filepath.Join(dir, "tokens")
	if err := writeInts(in, prompt); err != nil {
		return Speed{}, err
	}
	f, err := d.run("bench", model, in, strconv.Itoa(gen), strconv.Itoa(threads))
	if err != nil {
		return Speed{}, err
	}
	if len(f) != 2 {
		return Speed{}, fmt.Errorf("llama.cpp driver bench: output %v", f)
	}
	var s Speed
	s.Prompt, _ = strconv.ParseFloat(f[0], 64)
	s.Generate, _ = strconv.ParseFloat(f[1], 64)
	return s, nil
}
