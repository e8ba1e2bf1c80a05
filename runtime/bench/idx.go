package bench

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
)

// gunzip decompresses with a size cap.
func gunzip(b []byte, maxOut int64) ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	out, err := io.ReadAll(io.LimitReader(r, maxOut+1))
	if err != nil {
		return nil, err
	}
	if int64(len(out)) > maxOut {
		return nil, fmt.Errorf("decompressed data over %d bytes", maxOut)
	}
	return out, nil
}

// parseIDX reads an IDX file of unsigned bytes (magic 0x00000800 | rank)
// and returns its dimensions and data.
func parseIDX(b []byte, rank int) ([]int, []byte, error) {
	if len(b) < 4+4*rank || binary.BigEndian.Uint32(b) != uint32(0x800|rank) {
		return nil, nil, fmt.Errorf("not a rank-%d unsigned-byte IDX file", rank)
	}
	dims := make([]int, rank)
	n := 1
	for i := range dims {
		dims[i] = int(binary.BigEndian.Uint32(b[4+4*i:]))
		n *= dims[i]
	}
	data := b[4+4*rank:]
	if len(data) != n {
		return nil, nil, fmt.Errorf("IDX dims %v need %d bytes, have %d", dims, n, len(data))
	}
	return dims, data, nil
}

// idxImages builds an image benchmark: pixels as float32 0..255, NCHW
// [1,1,H,W] per item, labels from the companion file.
func idxImages(name string, imagesGz, labelsGz []byte, classes int) (*Benchmark, error) {
	ib, err := gunzip(imagesGz, 1<<28)
	if err != nil {
		return nil, fmt.Errorf("%s images: %w", name, err)
	}
	lb, err := gunzip(labelsGz, 1<<24)
	if err != nil {
		return nil, fmt.Errorf("%s labels: %w", name, err)
	}
	dims, px, err := parseIDX(ib, 3)
	if err != nil {
		return nil, fmt.Errorf("%s images: %w", name, err)
	}
	ldims, lab, err := parseIDX(lb, 1)
	if err != nil {
		return nil, fmt.Errorf("%s labels: %w", name, err)
	}
	if ldims[0] != dims[0] {
		return nil, fmt.Errorf("%s: %d images but %d labels", name, dims[0], ldims[0])
	}
	labels := make([]int, len(lab))
	for i, l := range lab {
		labels[i] = int(l)
	}
	return newPixels(name, []int{1, 1, dims[1], dims[2]}, px, labels, classes)
}
