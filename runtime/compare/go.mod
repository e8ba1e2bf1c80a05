module github.com/delphi-network/delphi/runtime/compare

go 1.26.5

require (
	github.com/delphi-network/delphi v0.0.0
	github.com/owulveryck/onnx-go v0.5.0
	gorgonia.org/tensor v0.9.20
)

require (
	github.com/awalterschulze/gographviz v0.0.0-20190522210029-fa59802746ab // indirect
	github.com/chewxy/hm v1.0.0 // indirect
	github.com/chewxy/math32 v1.0.8 // indirect
	github.com/gogo/protobuf v1.3.2 // indirect
	github.com/golang/protobuf v1.5.4 // indirect
	github.com/google/flatbuffers v25.2.10+incompatible // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/leesper/go_rng v0.0.0-20190531154944-a612b043e353 // indirect
	github.com/pkg/errors v0.9.1 // indirect
	github.com/xtgo/set v1.0.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	gonum.org/v1/gonum v0.8.2 // indirect
	google.golang.org/protobuf v1.36.12 // indirect
	gorgonia.org/cu v0.9.6 // indirect
	gorgonia.org/dawson v1.1.0 // indirect
	gorgonia.org/gorgonia v0.9.17 // indirect
	gorgonia.org/vecf32 v0.9.0 // indirect
	gorgonia.org/vecf64 v0.9.0 // indirect
)

replace github.com/delphi-network/delphi => ../..

// The root module requires gorgonia.org/cu (the CUDA backend, built only
// with -tags cuda), whose requirements lift gorgonia, tensor and gonum to
// versions onnx-go v0.5.0's gorgonnx backend crashes on under Go 1.26
// (gonum v0.8's map iterator). The comparison keeps the versions onnx-go
// was written against.
replace (
	gonum.org/v1/gonum => gonum.org/v1/gonum v0.0.0-20190902003836-43865b531bee
	gorgonia.org/gorgonia => gorgonia.org/gorgonia v0.9.4
	gorgonia.org/tensor => gorgonia.org/tensor v0.9.3
)
