package cuda

import (
	"embed"
	"io/fs"
	"sort"
)

// ptxFS holds the PTX nvcc generated from kernels/*.cu (make cuda-ptx), so a
// cuda build needs neither nvcc nor the kernel sources: the driver JIT
// compiles the PTX for whatever GPU it finds.
//
//go:embed ptx/*.ptx
var ptxFS embed.FS

// ptxModules returns the embedded PTX modules by file name, in name order.
func ptxModules() ([]string, map[string][]byte, error) {
	names, err := fs.Glob(ptxFS, "ptx/*.ptx")
	if err != nil {
		return nil, nil, err
	}
	sort.Strings(names)
	mods := make(map[string][]byte, len(names))
	for _, n := range names {
		b, err := ptxFS.ReadFile(n)
		if err != nil {
			return nil, nil, err
		}
		mods[n] = b
	}
	return names, mods, nil
}
