package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"google.golang.org/protobuf/proto"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/onnxpb"
)

// Support says what of an ONNX file the runtime can run: every operator
// and element type the file uses, each marked supported or not, and the
// runtime's own reason when it refuses the model (an operator form, an
// attribute, a shape, a limit), so a model's author sees the whole list at
// once rather than the first refusal.
type Support struct {
	Opset     int64      `json:"opset"`
	Operators []OpUse    `json:"operators"`
	DTypes    []DTypeUse `json:"element_types"`
	Refusal   string     `json:"refusal,omitempty"`
}

// OpUse is one operator type the graph uses.
type OpUse struct {
	Op        string `json:"op"`
	Domain    string `json:"domain,omitempty"`
	Count     int    `json:"count"`
	Supported bool   `json:"supported"`
}

// DTypeUse is one element type, with the first value that has it.
type DTypeUse struct {
	DType     string `json:"dtype"`
	Example   string `json:"example"`
	Count     int    `json:"count"`
	Supported bool   `json:"supported"`
}

// CheckSupport reads an ONNX file's operators and element types and runs
// it through the runtime's parser and compiler. Only a file that is not an
// ONNX model at all is an error.
func CheckSupport(raw []byte) (Support, error) {
	var m onnxpb.ModelProto
	if err := proto.Unmarshal(raw, &m); err != nil || m.Graph == nil {
		return Support{}, fmt.Errorf("not an ONNX model: %v", err)
	}
	s := Support{Opset: -1}
	for _, o := range m.GetOpsetImport() {
		if o.GetDomain() == "" || o.GetDomain() == "ai.onnx" {
			s.Opset = o.GetVersion()
		}
	}
	ops := map[[2]string]*OpUse{}
	for _, n := range m.Graph.Node {
		k := [2]string{n.Domain, n.OpType}
		if ops[k] == nil {
			ops[k] = &OpUse{Op: n.OpType, Domain: n.Domain, Supported: (n.Domain == "" || n.Domain == "ai.onnx") && runtime.SupportedOp(n.OpType)}
		}
		ops[k].Count++
	}
	for _, o := range ops {
		s.Operators = append(s.Operators, *o)
	}
	sort.Slice(s.Operators, func(i, j int) bool {
		a, b := s.Operators[i], s.Operators[j]
		return a.Domain < b.Domain || (a.Domain == b.Domain && a.Op < b.Op)
	})
	types := map[int32]*DTypeUse{}
	note := func(t int32, where string) {
		if types[t] == nil {
			types[t] = &DTypeUse{DType: dtypeName(t), Example: where, Supported: runtime.SupportedDType(t)}
		}
		types[t].Count++
	}
	for _, in := range m.Graph.Input {
		if tt := in.GetType().GetTensorType(); tt != nil {
			note(tt.GetElemType(), fmt.Sprintf("input %q", in.GetName()))
		}
	}
	for _, w := range m.Graph.Initializer {
		note(w.DataType, fmt.Sprintf("initializer %q", w.Name))
	}
	for _, out := range m.Graph.Output {
		if tt := out.GetType().GetTensorType(); tt != nil {
			note(tt.GetElemType(), fmt.Sprintf("output %q", out.GetName()))
		}
	}
	for _, t := range types {
		s.DTypes = append(s.DTypes, *t)
	}
	sort.Slice(s.DTypes, func(i, j int) bool { return s.DTypes[i].DType < s.DTypes[j].DType })
	lim := runtime.DefaultLimits()
	if g, err := runtime.ParseONNX(raw, lim); err != nil {
		s.Refusal = err.Error()
	} else if _, err := runtime.Compile(g, lim); err != nil {
		s.Refusal = err.Error()
	}
	return s, nil
}

// dtypeName is ONNX's element type name in lower case ("float16").
func dtypeName(t int32) string {
	if name, ok := onnxpb.TensorProto_DataType_name[t]; ok {
		switch name {
		case "FLOAT":
			return "float32"
		case "DOUBLE":
			return "float64"
		}
		return strings.ToLower(name)
	}
	return fmt.Sprintf("type %d", t)
}

// printSupport writes the report as `model inspect` shows it.
func printSupport(w io.Writer, s Support) {
	fmt.Fprintf(w, "opset %d\noperators:\n", s.Opset)
	mark := func(ok bool) string {
		if ok {
			return "supported"
		}
		return "NOT SUPPORTED"
	}
	for _, o := range s.Operators {
		name := o.Op
		if o.Domain != "" {
			name = o.Domain + "." + o.Op
		}
		fmt.Fprintf(w, "  %-28s x%-4d %s\n", name, o.Count, mark(o.Supported))
	}
	fmt.Fprintln(w, "element types:")
	for _, d := range s.DTypes {
		fmt.Fprintf(w, "  %-10s x%-4d %-14s e.g. %s\n", d.DType, d.Count, mark(d.Supported), d.Example)
	}
	if s.Refusal != "" {
		fmt.Fprintf(w, "refused: %s\n", s.Refusal)
	} else {
		fmt.Fprintln(w, "the runtime runs this model")
	}
}
