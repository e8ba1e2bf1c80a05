package main

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/delphi-network/delphi/runtime"
)

// q8Kernels digests runtime.MatVecQ8, the generation session's product
// over Q8_0 blocks, on column counts around every tile width (AVX-512
// 128 and 16, AVX2 32 and 8, the portable remainder), quants over the
// whole int8 range, scales from binary16 subnormals to 65504, and x with
// and without special values, on one and two workers. crossarch runs it
// at every kernel level.
func q8Kernels() error {
	h := sha256.New()
	g := &lcg{8}
	specials := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.NaN()), 1e-45, 3e38}
	for _, s := range [][2]int{{32, 1}, {64, 7}, {96, 17}, {128, 129}, {32, 300}, {352, 47}, {352, 300}} {
		K, N := s[0], s[1]
		q := make([]int8, K*N)
		for i := range q {
			q[i] = int8(g.next() >> 56)
		}
		d := make([]float32, K/32*N)
		for i := range d {
			// a binary16 value's float32: sign, 5-bit exponent (not all
			// ones), 10-bit fraction, subnormals included
			b := uint32(g.next() >> 48)
			e, f := b>>10&0x1f%31, b&0x3ff
			v := float32(math.Ldexp(float64(f), -24)) // f/1024 · 2^-14
			if e > 0 {
				v = float32(math.Ldexp(float64(1024+f), int(e)-25)) // (1 + f/1024) · 2^(e-15)
			}
			if b&0x8000 != 0 {
				v = -v
			}
			d[i] = v
		}
		m, err := runtime.NewQ8Matrix(K, N, q, d)
		if err != nil {
			return err
		}
		// one x without special values, one with them in its last block
		// only: NaN or infinity in a term makes every output non-finite,
		// which would hide the blocks before it
		clean := g.floats(1<<20, K).F
		spiked := g.floats(1<<20, K).F
		for i := K - 32; i < K; i += 7 {
			spiked[i] = specials[i%len(specials)]
		}
		for _, x := range [][]float32{clean, spiked} {
			for _, workers := range []int{1, 2} {
				y := g.floats(1<<20, N).F
				runtime.MatVecQ8(workers, y, x, m)
				for _, v := range y {
					bits := math.Float32bits(v)
					if v != v {
						bits = runtime.CanonicalNaN
					}
					h.Write(binary.LittleEndian.AppendUint32(nil, bits))
				}
			}
		}
	}
	fmt.Printf("q8 kernels sha256=%x\n", h.Sum(nil))
	return nil
}
