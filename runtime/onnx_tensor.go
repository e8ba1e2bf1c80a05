package runtime

import (
	"encoding/binary"
	"fmt"
	"math"

	"google.golang.org/protobuf/proto"

	"github.com/delphi-network/delphi/runtime/onnxpb"
)

// TensorFromProto converts a TensorProto holding float32, bool or integer
// data (typed fields or little-endian raw_data) into a Tensor.
func TensorFromProto(tp *onnxpb.TensorProto, lim Limits) (*Tensor, error) {
	if tp.DataLocation == onnxpb.TensorProto_EXTERNAL || len(tp.ExternalData) > 0 {
		return nil, fmt.Errorf("external tensor data is not supported")
	}
	shape := make([]int, len(tp.Dims))
	for i, d := range tp.Dims {
		if d < 0 || d > maxElements {
			return nil, fmt.Errorf("invalid dimension %d", d)
		}
		shape[i] = int(d)
	}
	if err := checkShape(shape); err != nil {
		return nil, err
	}
	n := numel(shape)
	if int64(n) > lim.MaxTensorElements {
		return nil, fmt.Errorf("%d elements, limit %d", n, lim.MaxTensorElements)
	}
	raw := tp.RawData
	switch onnxpb.TensorProto_DataType(tp.DataType) {
	case onnxpb.TensorProto_FLOAT:
		data := tp.FloatData
		if len(raw) > 0 {
			if len(raw) != 4*n {
				return nil, fmt.Errorf("raw_data has %d bytes, shape %v needs %d", len(raw), shape, 4*n)
			}
			data = make([]float32, n)
			for i := range data {
				data[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
			}
		}
		return FromFloats(shape, data)
	case onnxpb.TensorProto_INT64:
		data := tp.Int64Data
		if len(raw) > 0 {
			if len(raw) != 8*n {
				return nil, fmt.Errorf("raw_data has %d bytes, shape %v needs %d", len(raw), shape, 8*n)
			}
			data = make([]int64, n)
			for i := range data {
				data[i] = int64(binary.LittleEndian.Uint64(raw[8*i:]))
			}
		}
		return FromInts(shape, data)
	case onnxpb.TensorProto_UINT8, onnxpb.TensorProto_INT8, onnxpb.TensorProto_UINT16, onnxpb.TensorProto_INT16,
		onnxpb.TensorProto_INT32, onnxpb.TensorProto_UINT32, onnxpb.TensorProto_UINT64:
		dt := DType(tp.DataType)
		if len(raw) > 0 {
			return TensorFromBytes(dt, shape, raw)
		}
		// ONNX keeps the types up to 32 bits signed in int32_data and
		// uint32/uint64 in uint64_data.
		vals := make([]int64, 0, n)
		if dt == UInt32 || dt == UInt64 {
			for _, v := range tp.Uint64Data {
				vals = append(vals, int64(v))
			}
			if dt == UInt32 {
				for i, v := range tp.Uint64Data {
					if v > 1<<32-1 {
						return nil, fmt.Errorf("uint32 element %d is %d, out of range", i, v)
					}
				}
			}
		} else {
			for _, v := range tp.Int32Data {
				vals = append(vals, int64(v))
			}
		}
		if len(vals) != n {
			return nil, fmt.Errorf("%s tensor of shape %v has %d elements", dt, shape, len(vals))
		}
		return FromTyped(dt, shape, vals)
	case onnxpb.TensorProto_DOUBLE:
		if len(raw) > 0 {
			return TensorFromBytes(Float64, shape, raw)
		}
		return FromFloat64s(shape, tp.DoubleData)
	case onnxpb.TensorProto_FLOAT16, onnxpb.TensorProto_BFLOAT16:
		dt := DType(tp.DataType)
		if len(raw) > 0 {
			return TensorFromBytes(dt, shape, raw)
		}
		// ONNX keeps half types' bits in int32_data.
		if len(tp.Int32Data) != n {
			return nil, fmt.Errorf("%s tensor of shape %v has %d elements", dt, shape, len(tp.Int32Data))
		}
		b := make([]byte, 2*n)
		for i, v := range tp.Int32Data {
			if v < 0 || v > 0xffff {
				return nil, fmt.Errorf("%s element %d has bits %#x", dt, i, v)
			}
			binary.LittleEndian.PutUint16(b[2*i:], uint16(v))
		}
		return TensorFromBytes(dt, shape, b)
	case onnxpb.TensorProto_BOOL:
		// ONNX keeps bools in int32_data or one byte each in raw_data.
		if len(raw) > 0 {
			return BoolsFromBytes(shape, raw)
		}
		if len(tp.Int32Data) != n {
			return nil, fmt.Errorf("bool tensor of shape %v has %d elements", shape, len(tp.Int32Data))
		}
		vals := make([]bool, n)
		for i, v := range tp.Int32Data {
			if v != 0 && v != 1 {
				return nil, fmt.Errorf("bool element %d is %d, want 0 or 1", i, v)
			}
			vals[i] = v == 1
		}
		return FromBools(shape, vals)
	}
	return nil, fmt.Errorf("element type %d not supported (float32, float64, float16, bfloat16, bool and the integer types only)", tp.DataType)
}

// ParseTensor decodes a serialized TensorProto (the ONNX test-data .pb files).
func ParseTensor(b []byte, lim Limits) (*Tensor, error) {
	var tp onnxpb.TensorProto
	if err := proto.Unmarshal(b, &tp); err != nil {
		return nil, fmt.Errorf("not a valid TensorProto: %w", err)
	}
	return TensorFromProto(&tp, lim)
}

// MarshalTensor serializes a tensor as an ONNX TensorProto named name,
// little-endian raw_data (bool one byte per element), the form the ONNX
// test data and onnxruntime read.
func MarshalTensor(t *Tensor, name string) ([]byte, error) {
	tp := &onnxpb.TensorProto{Name: name, Dims: make([]int64, len(t.Shape))}
	for i, d := range t.Shape {
		tp.Dims[i] = int64(d)
	}
	switch t.DType {
	case Float32:
		tp.DataType = int32(onnxpb.TensorProto_FLOAT)
		tp.RawData = make([]byte, 4*len(t.F))
		for i, v := range t.F {
			binary.LittleEndian.PutUint32(tp.RawData[4*i:], math.Float32bits(v))
		}
	case Int64:
		tp.DataType = int32(onnxpb.TensorProto_INT64)
		tp.RawData = make([]byte, 8*len(t.I))
		for i, v := range t.I {
			binary.LittleEndian.PutUint64(tp.RawData[8*i:], uint64(v))
		}
	case Bool, UInt8, Int8, UInt16, Int16, Int32, UInt32, UInt64, Float16, BFloat16, Float64:
		tp.DataType = int32(t.DType)
		tp.RawData = t.Bytes()
	default:
		return nil, fmt.Errorf("cannot serialize a %s tensor", t.DType)
	}
	return proto.Marshal(tp)
}
