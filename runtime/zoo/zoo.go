// Package zoo provides the ONNX model-zoo MNIST CNN that ships inside the Go
// module github.com/owulveryck/onnx-go v0.5.0, as a Go string literal in an
// internal package. The bytes are extracted from the module cache at run
// time (parsing the literal with go/parser), checked against a pinned
// SHA-256, and never committed to this repository.
package zoo

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"

	"github.com/delphi-network/delphi/runtime/fetch"
)

const (
	// Module and Version hold the zoo model.
	Module  = "github.com/owulveryck/onnx-go"
	Version = "v0.5.0"
	dir     = "internal/examples/mnist"
	// MNISTSHA256 pins the extracted model file (opset 7, 26454 bytes).
	MNISTSHA256 = "0d715376572e89832685c56a65ef1391f5f0b7dd31d61050c91ff3ecab16c032"
)

// MNIST returns the zoo MNIST CNN's .onnx bytes.
func MNIST() ([]byte, error) {
	src, err := fetch.ModuleFile(Module, Version, dir+"/mnist_binary.go")
	if err != nil {
		return nil, err
	}
	b, err := stringLiteral(src, "GetMnist")
	if err != nil {
		return nil, fmt.Errorf("zoo MNIST: %w", err)
	}
	if err := fetch.Check("zoo MNIST model", b, MNISTSHA256); err != nil {
		return nil, err
	}
	return b, nil
}

// stringLiteral returns the first string literal in function fn's body.
func stringLiteral(src []byte, fn string) ([]byte, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "src.go", src, 0)
	if err != nil {
		return nil, err
	}
	var out []byte
	var found bool
	var uerr error
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Name.Name != fn || fd.Body == nil {
			continue
		}
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if found || !ok || lit.Kind != token.STRING {
				return !found
			}
			s, err := strconv.Unquote(lit.Value)
			out, found, uerr = []byte(s), true, err
			return false
		})
	}
	if !found {
		return nil, fmt.Errorf("no string literal in func %s", fn)
	}
	return out, uerr
}

// Golden returns test data set k (0, 1 or 2) shipped with the model: the
// serialized input and expected output TensorProtos.
func Golden(k int) (input, output []byte, err error) {
	d := filepath.ToSlash(fmt.Sprintf("%s/test_data_set_%d", dir, k))
	if input, err = fetch.ModuleFile(Module, Version, d+"/input_0.pb"); err != nil {
		return nil, nil, err
	}
	output, err = fetch.ModuleFile(Module, Version, d+"/output_0.pb")
	return input, output, err
}
