//go:build unix

package evaluator

import (
	"fmt"
	"os"
	"syscall"
)

// openRegular opens path for reading without following a symlink or
// blocking on a FIFO, and checks on the opened file — not a stat of the
// path beforehand, which a swap could outrun — that it is a regular file.
func openRegular(path string) (*os.File, int64, error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, 0, err
	}
	f := os.NewFile(uintptr(fd), path)
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, 0, fmt.Errorf("%s is not a regular file", path)
	}
	return f, fi.Size(), nil
}

// mapFile maps a regular file read-only: a model of gigabytes is read from
// the page cache, which the kernel can reclaim, instead of being copied
// onto the heap (the runtime then holds only what it derives, such as the
// dequantized weights). The mapping lives as long as the artifact is
// loaded. The dir's files are written read-only and replaced by rename,
// never rewritten in place; a file rewritten in place anyway would change
// the mapped bytes (the weight tree then refuses the parts it rebuilds
// from them) or, truncated, fault the sidecar — so only artifacts too
// large to copy onto the heap (mapMinBytes) are mapped.
func mapFile(f *os.File, size int64) ([]byte, error) {
	if size == 0 {
		return []byte{}, nil
	}
	return syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
}

func unmapFile(b []byte) {
	if len(b) > 0 {
		_ = syscall.Munmap(b)
	}
}
