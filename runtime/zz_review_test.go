package runtime

import (
	"fmt"
	"sort"
	"testing"
)

func zzTry(op string, n *Node, in []TensorInfo) (err error, p any) {
	defer func() {
		if r := recover(); r != nil {
			p = r
		}
	}()
	_, err = builders[op](n, in)
	return
}

func TestZZBuilderProbe(t *testing.T) {
	var ops []string
	for op := range builders {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	f := TensorInfo{DType: Float32, Shape: []int{2, 3}}
	fs := TensorInfo{DType: Float32, Shape: []int{}}
	i64c := TensorInfo{DType: Int64, Shape: []int{1}, Const: &Tensor{DType: Int64, Shape: []int{1}, I: []int64{1}}}
	i64e := TensorInfo{DType: Int64, Shape: []int{0}, Const: &Tensor{DType: Int64, Shape: []int{0}, I: []int64{}}}
	ab := TensorInfo{}
	cases := map[string][]TensorInfo{
		"none": {}, "abs": {ab}, "abs,f": {ab, f}, "f,abs,f": {f, ab, f}, "f,abs,i": {f, ab, i64c},
		"fs": {fs}, "f,ie": {f, i64e}, "fs,fs,fs": {fs, fs, fs}, "f,abs,abs,i": {f, ab, ab, i64c},
		"f,f,f,abs,abs,abs,abs": {f, f, f, ab, ab, ab, ab}, "f": {f}, "f,f": {f, f}, "f,f,f": {f, f, f},
		"f,abs,abs,abs,abs,abs,abs": {f, ab, ab, ab, ab, ab, ab},
	}
	var keys []string
	for k := range cases {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, op := range ops {
		for _, opset := range []int64{1, 7, 9, 10, 11, 13, 18, 19, 21} {
			for _, k := range keys {
				in := cases[k]
				names := make([]string, len(in))
				for i := range in {
					names[i] = fmt.Sprint("v", i)
					if in[i].absent() {
						names[i] = ""
					}
				}
				n := &Node{OpType: op, Inputs: names, Outputs: []string{"y", "y1", "y2"}, Opset: opset, Attrs: map[string]Attr{}}
				if _, p := zzTry(op, n, in); p != nil {
					t.Logf("PANIC %s opset %d inputs %s: %v", op, opset, k, p)
				}
			}
		}
	}
}
