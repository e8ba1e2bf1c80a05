// Package gguf reads and writes GGUF files (version 3), the format
// llama.cpp and most published open-weight models use: a header, typed
// metadata key/values, tensor descriptors and aligned tensor data.
//
// Read widens f32 and f16 tensors into Tensor.Data. The quantised types
// q4_0, q4_1, q5_0, q5_1, q8_0, q4_K, q5_K, q6_K and bf16 are kept as their
// encoded blocks in Tensor.Raw (a slice of the file's bytes), never widened
// at read time; Dequantize (or Tensor.Floats) turns them into float32
// exactly as ggml's reference dequantize_row_* does (bit-equal to
// llama.cpp's to_float), and Quantize makes them as ggml's reference
// quantizers do (bit-equal to llama.cpp's quantizer). Any other type is
// refused with its number and name, as is a tensor named twice. Every
// length and count is checked against the bytes that remain, tensor
// elements against the caller's bound and metadata array elements against
// MaxArrayElements, so a hostile file cannot make the reader allocate more
// than a small multiple of its size.
package gguf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sort"
)

// Magic is "GGUF" read as a little-endian uint32.
const Magic = 0x46554747

// Version is the GGUF version written (and the one read).
const Version = 3

// Value types of metadata.
const (
	TypeUint8   = 0
	TypeInt8    = 1
	TypeUint16  = 2
	TypeInt16   = 3
	TypeUint32  = 4
	TypeInt32   = 5
	TypeFloat32 = 6
	TypeBool    = 7
	TypeString  = 8
	TypeArray   = 9
	TypeUint64  = 10
	TypeInt64   = 11
	TypeFloat64 = 12
)

// DefaultAlignment is GGUF's data alignment unless general.alignment says otherwise.
const DefaultAlignment = 32

// Value is one metadata value: a scalar, a string, or an array of them.
type Value struct {
	Type  uint32
	U     uint64 // unsigned and bool
	I     int64  // signed
	F     float64
	S     string
	Elem  uint32  // array element type
	Array []Value // array elements
}

// Tensor is one tensor: its dims in GGUF (ggml) order — Dims[0] varies
// fastest, one row — its element type, and its elements: exactly one of
// Data and Raw is set.
type Tensor struct {
	Name string
	Dims []uint64
	Type uint32
	// Data holds an f32 or f16 tensor's elements widened to float32.
	Data []float32
	// Raw holds any other type's encoded blocks, Dims[0] a whole number of
	// blocks per row. Read sets it to a sub-slice of the buffer it was
	// given (no copy, capacity capped at the tensor's end): the buffer must
	// stay unchanged while the tensor is used.
	Raw []byte
}

// File is a GGUF file's contents.
type File struct {
	Metadata map[string]Value // looked up by key; enumerated sorted when written
	Tensors  []Tensor         // in file order
}

// MaxArrayElements bounds the metadata array elements of one file, all
// arrays together: each becomes a Value (about 90 bytes) however small its
// encoding, so the file's size alone would let a 64 MiB file ask for 6 GB.
// Published vocabularies hold well under a million (Gemma 3's tokens,
// types and scores: 786,432).
const MaxArrayElements = 1 << 21

type reader struct {
	arrayElems uint64 // metadata array elements read so far
	b          []byte
	off        int
}

var errShort = errors.New("file ends early")

func (r *reader) need(n uint64) error {
	if n > uint64(len(r.b)-r.off) {
		return errShort
	}
	return nil
}

func (r *reader) u32() (uint32, error) {
	if err := r.need(4); err != nil {
		return 0, err
	}
	v := binary.LittleEndian.Uint32(r.b[r.off:])
	r.off += 4
	return v, nil
}

func (r *reader) u64() (uint64, error) {
	if err := r.need(8); err != nil {
		return 0, err
	}
	v := binary.LittleEndian.Uint64(r.b[r.off:])
	r.off += 8
	return v, nil
}

func (r *reader) str() (string, error) {
	n, err := r.u64()
	if err != nil {
		return "", err
	}
	if err := r.need(n); err != nil {
		return "", fmt.Errorf("string of %d bytes: %w", n, err)
	}
	s := string(r.b[r.off : r.off+int(n)])
	r.off += int(n)
	return s, nil
}

func scalarSize(t uint32) int {
	switch t {
	case TypeUint8, TypeInt8, TypeBool:
		return 1
	case TypeUint16, TypeInt16:
		return 2
	case TypeUint32, TypeInt32, TypeFloat32:
		return 4
	case TypeUint64, TypeInt64, TypeFloat64:
		return 8
	}
	return 0
}

func (r *reader) value(t uint32, depth int) (Value, error) {
	v := Value{Type: t}
	switch t {
	case TypeString:
		s, err := r.str()
		v.S = s
		return v, err
	case TypeArray:
		if depth > 0 {
			return v, fmt.Errorf("nested arrays are not supported")
		}
		elem, err := r.u32()
		if err != nil {
			return v, err
		}
		n, err := r.u64()
		if err != nil {
			return v, err
		}
		least := uint64(8) // a string's length prefix
		if elem != TypeString {
			if least = uint64(scalarSize(elem)); least == 0 {
				return v, fmt.Errorf("array of unknown element type %d", elem)
			}
		}
		// Check the smallest possible size before allocating anything.
		if n > uint64(len(r.b)-r.off)/least {
			return v, fmt.Errorf("array of %d elements: %w", n, errShort)
		}
		if r.arrayElems += n; r.arrayElems > MaxArrayElements {
			return v, fmt.Errorf("metadata arrays of more than %d elements in all", MaxArrayElements)
		}
		v.Elem = elem
		v.Array = make([]Value, 0, min64(n, 1<<16))
		for i := uint64(0); i < n; i++ {
			e, err := r.value(elem, depth+1)
			if err != nil {
				return v, fmt.Errorf("array element %d: %w", i, err)
			}
			v.Array = append(v.Array, e)
		}
		return v, nil
	}
	size := scalarSize(t)
	if size == 0 {
		return v, fmt.Errorf("unknown value type %d", t)
	}
	if err := r.need(uint64(size)); err != nil {
		return v, err
	}
	raw := r.b[r.off : r.off+size]
	r.off += size
	switch t {
	case TypeUint8, TypeBool:
		v.U = uint64(raw[0])
	case TypeInt8:
		v.I = int64(int8(raw[0]))
	case TypeUint16:
		v.U = uint64(binary.LittleEndian.Uint16(raw))
	case TypeInt16:
		v.I = int64(int16(binary.LittleEndian.Uint16(raw)))
	case TypeUint32:
		v.U = uint64(binary.LittleEndian.Uint32(raw))
	case TypeInt32:
		v.I = int64(int32(binary.LittleEndian.Uint32(raw)))
	case TypeFloat32:
		v.F = float64(math.Float32frombits(binary.LittleEndian.Uint32(raw)))
	case TypeUint64:
		v.U = binary.LittleEndian.Uint64(raw)
	case TypeInt64:
		v.I = int64(binary.LittleEndian.Uint64(raw))
	case TypeFloat64:
		v.F = math.Float64frombits(binary.LittleEndian.Uint64(raw))
	}
	return v, nil
}

// Read parses a GGUF file. maxElements bounds the total tensor elements.
// f32 and f16 tensors come back widened in Data; the other supported
// types come back encoded in Raw, a sub-slice of b (see Tensor).
func Read(b []byte, maxElements uint64) (*File, error) {
	r := &reader{b: b}
	magic, err := r.u32()
	if err != nil || magic != Magic {
		return nil, fmt.Errorf("not a GGUF file")
	}
	version, err := r.u32()
	if err != nil || version != Version {
		return nil, fmt.Errorf("GGUF version %d: only version %d is supported", version, Version)
	}
	nTensors, err := r.u64()
	if err != nil {
		return nil, err
	}
	nKV, err := r.u64()
	if err != nil {
		return nil, err
	}
	// A tensor descriptor takes at least 28 bytes, a key/value at least 12.
	if nTensors > uint64(len(b))/28 || nKV > uint64(len(b))/12 {
		return nil, fmt.Errorf("%d tensors and %d metadata keys cannot fit in %d bytes", nTensors, nKV, len(b))
	}
	f := &File{Metadata: map[string]Value{}}
	for i := uint64(0); i < nKV; i++ {
		key, err := r.str()
		if err != nil {
			return nil, fmt.Errorf("metadata key %d: %w", i, err)
		}
		t, err := r.u32()
		if err != nil {
			return nil, err
		}
		v, err := r.value(t, 0)
		if err != nil {
			return nil, fmt.Errorf("metadata %s: %w", key, err)
		}
		if _, dup := f.Metadata[key]; dup {
			return nil, fmt.Errorf("metadata %s appears twice", key)
		}
		f.Metadata[key] = v
	}
	align := uint64(DefaultAlignment)
	if v, ok := f.Metadata["general.alignment"]; ok {
		if v.Type != TypeUint32 || v.U == 0 || v.U%8 != 0 || v.U > 1<<16 {
			return nil, fmt.Errorf("general.alignment must be a uint32 multiple of 8")
		}
		align = v.U
	}
	type info struct {
		name   string
		dims   []uint64
		typ    uint32
		offset uint64
		n      uint64 // elements
		blocks uint64 // n / elements per block (Dims[0] is a whole number of blocks)
		bsize  uint64 // bytes per block
	}
	infos := make([]info, 0, min64(nTensors, 1<<12))
	var total uint64
	names := map[string]bool{}
	for i := uint64(0); i < nTensors; i++ {
		var in info
		if in.name, err = r.str(); err != nil {
			return nil, fmt.Errorf("tensor %d: %w", i, err)
		}
		if names[in.name] {
			return nil, fmt.Errorf("tensor %s appears twice", in.name) // as ggml refuses it
		}
		names[in.name] = true
		nd, err := r.u32()
		if err != nil {
			return nil, err
		}
		if nd == 0 || nd > 4 {
			return nil, fmt.Errorf("tensor %s has %d dimensions", in.name, nd)
		}
		in.n = 1
		for d := uint32(0); d < nd; d++ {
			v, err := r.u64()
			if err != nil {
				return nil, err
			}
			if v == 0 || v > 1<<32 || in.n > maxElements/v {
				return nil, fmt.Errorf("tensor %s: dimension %d too large (limit %d elements)", in.name, v, maxElements)
			}
			in.n *= v
			in.dims = append(in.dims, v)
		}
		if in.typ, err = r.u32(); err != nil {
			return nil, err
		}
		blockElems, blockBytes, ok := Geometry(in.typ)
		if !ok {
			return nil, fmt.Errorf("tensor %s: %w", in.name, unsupported(in.typ))
		}
		if in.dims[0]%blockElems != 0 {
			return nil, fmt.Errorf("tensor %s: row of %d elements is not a whole number of %s blocks of %d",
				in.name, in.dims[0], TypeName(in.typ), blockElems)
		}
		in.blocks, in.bsize = in.n/blockElems, blockBytes
		if in.offset, err = r.u64(); err != nil {
			return nil, err
		}
		if in.offset%align != 0 {
			return nil, fmt.Errorf("tensor %s is not aligned", in.name)
		}
		total += in.n
		if total > maxElements {
			return nil, fmt.Errorf("tensors hold more than %d elements", maxElements)
		}
		infos = append(infos, in)
	}
	data := (uint64(r.off) + align - 1) / align * align
	if data > uint64(len(b)) {
		return nil, errShort
	}
	// Tensors must lie inside the data section and not overlap, so the
	// floats decoded (f32, f16) can never outnumber the bytes of the file.
	spans := make([][2]uint64, 0, len(infos))
	for _, in := range infos {
		room := uint64(len(b)) - data
		if in.offset > room || in.blocks > (room-in.offset)/in.bsize {
			return nil, fmt.Errorf("tensor %s lies outside the file", in.name)
		}
		spans = append(spans, [2]uint64{in.offset, in.offset + in.blocks*in.bsize})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i][0] < spans[j][0] })
	for i := 1; i < len(spans); i++ {
		if spans[i][0] < spans[i-1][1] {
			return nil, fmt.Errorf("tensors overlap in the file")
		}
	}
	for _, in := range infos {
		start := data + in.offset
		end := start + in.blocks*in.bsize
		raw := b[start:end:end]
		t := Tensor{Name: in.name, Dims: in.dims, Type: in.typ}
		if in.typ != GGMLF32 && in.typ != GGMLF16 {
			t.Raw = raw // kept encoded: a quantised tensor is never widened here
			f.Tensors = append(f.Tensors, t)
			continue
		}
		t.Data = make([]float32, in.n)
		for i := range t.Data {
			if in.typ == GGMLF32 {
				t.Data[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
			} else {
				t.Data[i] = HalfToFloat(binary.LittleEndian.Uint16(raw[2*i:]))
			}
		}
		f.Tensors = append(f.Tensors, t)
	}
	return f, nil
}

func min64(a, b uint64) uint64 {
	if a < b {
		return a
	}
	return b
}
