package gguf

// Digests of Dequantize and Quantize over fixed pseudo-random inputs, for
// checking that every architecture computes the same bits.

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
)

// digestTypes are the types the digests cover, in order.
var digestTypes = []uint32{GGMLF32, GGMLF16, GGMLBF16, GGMLQ4_0, GGMLQ4_1, GGMLQ5_0, GGMLQ5_1, GGMLQ8_0, GGMLQ4_K, GGMLQ5_K, GGMLQ6_K}

// lcg is Knuth's MMIX linear congruential generator; next returns the
// high 32 bits of the new state.
type lcg uint64

func (g *lcg) next() uint32 {
	*g = *g*6364136223846793005 + 1442695040888963407
	return uint32(*g >> 32)
}

// DequantDigest is the hex SHA-256 of Dequantize over 4096 elements of
// every supported type whose bytes come from a fixed LCG, with Inf, NaN,
// subnormal and zero fp16 scales forced into every fourth block. The stream hashed is,
// per type: its number and element count (uint32 little-endian), then
// each output's float32 bits (little-endian).
func DequantDigest() string {
	h := sha256.New()
	g := lcg(1)
	const n = 4096
	out := make([]float32, n)
	var word [4]byte
	put := func(v uint32) {
		binary.LittleEndian.PutUint32(word[:], v)
		h.Write(word[:])
	}
	for _, typ := range digestTypes {
		raw := digestBytes(&g, typ, n)
		put(typ)
		put(n)
		if err := Dequantize(typ, raw, out); err != nil {
			h.Write([]byte(err.Error())) // cannot happen: the sizes are the type's own
			continue
		}
		for _, v := range out {
			put(math.Float32bits(v))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// halfFields are the byte offsets of each type's fp16 fields in a block.
var halfFields = map[uint32][]int{
	GGMLF16: {0}, GGMLQ4_0: {0}, GGMLQ5_0: {0}, GGMLQ8_0: {0}, GGMLQ4_1: {0, 2}, GGMLQ5_1: {0, 2},
	GGMLQ4_K: {0, 2}, GGMLQ5_K: {0, 2}, GGMLQ6_K: {208},
}

// specialHalves are fp16 values random bits rarely give: ±Inf, NaNs
// (quiet, signalling, negative), subnormals, ±0, the largest finite.
var specialHalves = []uint16{0x7c00, 0xfc00, 0x7e00, 0x7c01, 0xfe01, 0x0001, 0x8001, 0x03ff, 0x0000, 0x8000, 0x7bff, 0xfbff}

// digestBytes makes the bytes of n elements of typ from g, each the top
// byte of one output; then every fp16 field of every fourth block is
// overwritten with the specialHalves in turn.
func digestBytes(g *lcg, typ uint32, n uint64) []byte {
	size, _ := RowBytes(typ, n)
	raw := make([]byte, size)
	for i := range raw {
		raw[i] = byte(g.next() >> 24)
	}
	geo := geometries[typ]
	k := 0
	for b := uint64(0); b < size; b += 4 * geo.bytes {
		for _, off := range halfFields[typ] {
			binary.LittleEndian.PutUint16(raw[b+uint64(off):], specialHalves[k%len(specialHalves)])
			k++
		}
	}
	return raw
}

// QuantDigest is the hex SHA-256 of Quantize over 65536 values for every
// supported type, the values made from a fixed LCG: runs of 256 whose
// largest magnitude lies between 2^-20 and 2^12, with zeros, repeated
// values, constant runs and outliers 2^10 times larger.
// The stream hashed is, per type: its number and element count (uint32
// little-endian), then Quantize's bytes (or its error's text).
func QuantDigest() string {
	h := sha256.New()
	src := digestValues(1 << 16)
	var word [4]byte
	put := func(v uint32) {
		binary.LittleEndian.PutUint32(word[:], v)
		h.Write(word[:])
	}
	for _, typ := range digestTypes {
		put(typ)
		put(uint32(len(src)))
		raw, err := Quantize(typ, src)
		if err != nil {
			h.Write([]byte(err.Error()))
			continue
		}
		h.Write(raw)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// digestValues makes n finite float32 values (n a multiple of 256). Each
// value is an int32 from the LCG times a power of two, so making them
// takes one rounding (int32 to float32) and no other arithmetic. Within
// each run of 256, elements are occasionally zero, repeat the previous
// value, or are scaled up 2^10 (an outlier), and every fourth run of 32
// is constant.
func digestValues(n int) []float32 {
	g := lcg(2)
	src := make([]float32, n)
	for b := 0; b < n; b += 256 {
		scale := float32(math.Ldexp(1, int(g.next()%33)-51)) // 2^-51 .. 2^-19 times an int32 below 2^31
		for i := b; i < b+256; i++ {
			r := g.next()
			v := float32(int32(g.next())) * scale
			switch {
			case (i/32)%4 == 3:
				v = float32(int32(r)) * scale
				if i%32 != 0 {
					v = src[i-1]
				}
			case r%16 == 0:
				v = 0
			case r%16 == 1 && i > b:
				v = src[i-1]
			case r%64 == 2:
				v *= 1024
			}
			src[i] = v
		}
	}
	return src
}
