//go:build unix

package evaluator

import (
	"os"
	"syscall"
)

// mapFile maps a regular file read-only: a model of gigabytes is read from
// the page cache, which the kernel can reclaim, instead of being copied
// onto the heap (the runtime then holds only what it derives, such as the
// dequantized weights). The mapping lives as long as the artifact is
// loaded; a file of size 0 is read, not mapped. The dir's files are
// replaced by rename, never rewritten in place, so a mapping never sees a
// truncation.
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
