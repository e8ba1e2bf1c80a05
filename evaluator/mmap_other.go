//go:build !unix

package evaluator

import (
	"io"
	"os"
)

// mapFile reads the file where memory mapping is not available.
func mapFile(f *os.File, size int64) ([]byte, error) {
	return io.ReadAll(io.LimitReader(f, size))
}

func unmapFile([]byte) {}
