//go:build !unix

package evaluator

import (
	"fmt"
	"io"
	"os"
)

// openRegular opens path for reading and checks that it is a regular file.
func openRegular(path string) (*os.File, int64, error) {
	if fi, err := os.Lstat(path); err != nil || !fi.Mode().IsRegular() {
		return nil, 0, fmt.Errorf("%s is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, 0, fmt.Errorf("%s is not a regular file", path)
	}
	return f, fi.Size(), nil
}

// mapFile reads the file where memory mapping is not available.
func mapFile(f *os.File, size int64) ([]byte, error) {
	return io.ReadAll(io.LimitReader(f, size))
}

func unmapFile([]byte) {}
