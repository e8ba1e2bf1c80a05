package gguf

// Write and its encoders: a GGUF file from a File.

import (
	"encoding/binary"
	"fmt"
	"math"
	"sort"
)

// Write encodes f: metadata sorted by key, tensors in order, each tensor
// aligned to general.alignment (default 32). An f32 or f16 tensor is given
// as Data (encoded here) or as Raw; any other supported type as Raw (see
// Quantize), whose length must be the dims' blocks exactly.
func Write(f *File) ([]byte, error) {
	align := uint64(DefaultAlignment)
	if v, ok := f.Metadata["general.alignment"]; ok {
		align = v.U
	}
	var b []byte
	u32 := func(v uint32) { b = binary.LittleEndian.AppendUint32(b, v) }
	u64 := func(v uint64) { b = binary.LittleEndian.AppendUint64(b, v) }
	str := func(s string) { u64(uint64(len(s))); b = append(b, s...) }
	var value func(v Value) error
	value = func(v Value) error {
		switch v.Type {
		case TypeString:
			str(v.S)
		case TypeArray:
			u32(v.Elem)
			u64(uint64(len(v.Array)))
			for _, e := range v.Array {
				if e.Type != v.Elem {
					return fmt.Errorf("array element of type %d in an array of %d", e.Type, v.Elem)
				}
				if err := value(e); err != nil {
					return err
				}
			}
		case TypeUint8, TypeBool:
			b = append(b, byte(v.U))
		case TypeInt8:
			b = append(b, byte(v.I))
		case TypeUint16:
			b = binary.LittleEndian.AppendUint16(b, uint16(v.U))
		case TypeInt16:
			b = binary.LittleEndian.AppendUint16(b, uint16(v.I))
		case TypeUint32:
			u32(uint32(v.U))
		case TypeInt32:
			u32(uint32(v.I))
		case TypeFloat32:
			u32(math.Float32bits(float32(v.F)))
		case TypeUint64:
			u64(v.U)
		case TypeInt64:
			u64(uint64(v.I))
		case TypeFloat64:
			u64(math.Float64bits(v.F))
		default:
			return fmt.Errorf("unknown value type %d", v.Type)
		}
		return nil
	}
	u32(Magic)
	u32(Version)
	u64(uint64(len(f.Tensors)))
	u64(uint64(len(f.Metadata)))
	keys := make([]string, 0, len(f.Metadata))
	for k := range f.Metadata {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := f.Metadata[k]
		str(k)
		u32(v.Type)
		if err := value(v); err != nil {
			return nil, fmt.Errorf("metadata %s: %w", k, err)
		}
	}
	var offset uint64
	offsets := make([]uint64, len(f.Tensors))
	for i, t := range f.Tensors {
		str(t.Name)
		u32(uint32(len(t.Dims)))
		n := uint64(1)
		for _, d := range t.Dims {
			u64(d)
			n *= d
		}
		size, err := tensorBytes(t, n)
		if err != nil {
			return nil, fmt.Errorf("tensor %s: %w", t.Name, err)
		}
		u32(t.Type)
		offsets[i] = offset
		u64(offset)
		offset = (offset + size + align - 1) / align * align
	}
	pad := func() {
		for uint64(len(b))%align != 0 {
			b = append(b, 0)
		}
	}
	pad()
	for i, t := range f.Tensors {
		if i > 0 {
			pad() // each tensor starts aligned; the file ends with the last one
		}
		if t.Data == nil {
			b = append(b, t.Raw...)
			continue
		}
		for _, v := range t.Data {
			if t.Type == GGMLF16 {
				b = binary.LittleEndian.AppendUint16(b, FloatToHalf(v))
			} else {
				u32(math.Float32bits(v))
			}
		}
	}
	return b, nil
}

// tensorBytes checks that t holds the n elements its dims give, as Data
// (f32, f16) or as Raw, and returns the bytes they take in the file.
func tensorBytes(t Tensor, n uint64) (uint64, error) {
	if len(t.Dims) == 0 {
		return 0, fmt.Errorf("no dims")
	}
	blockElems, _, ok := Geometry(t.Type)
	if !ok {
		return 0, unsupported(t.Type)
	}
	if t.Dims[0]%blockElems != 0 {
		return 0, fmt.Errorf("row of %d elements is not a whole number of %s blocks of %d", t.Dims[0], TypeName(t.Type), blockElems)
	}
	size, err := RowBytes(t.Type, n)
	if err != nil {
		return 0, err
	}
	switch {
	case t.Data != nil && t.Raw != nil:
		return 0, fmt.Errorf("both Data and Raw are set")
	case t.Data != nil && t.Type != GGMLF32 && t.Type != GGMLF16:
		return 0, fmt.Errorf("%s is written from Raw (see Quantize), not Data", TypeName(t.Type))
	case t.Data != nil && n != uint64(len(t.Data)):
		return 0, fmt.Errorf("dims %v but %d elements", t.Dims, len(t.Data))
	case t.Data == nil && size != uint64(len(t.Raw)):
		return 0, fmt.Errorf("dims %v of %s take %d bytes, Raw has %d", t.Dims, TypeName(t.Type), size, len(t.Raw))
	}
	return size, nil
}
