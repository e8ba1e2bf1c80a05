//go:build cuda

package main

// A -tags cuda build links the CUDA backend, which registers itself so that
// `delphid model eval --backend cuda` can select it. Untagged builds never
// import it: gorgonia.org/cu exits the process at init without a GPU.
import _ "github.com/delphi-network/delphi/cuda"
