// Package compare measures this runtime against gorgonia (through onnx-go's
// gorgonnx backend) on the same model and inputs, in one run. It is its own
// Go module so that gorgonia and its dependencies never enter the main
// module's go.mod:
//
//	cd runtime/compare && go test -run=^$ -bench=. -benchtime=3x
package compare
