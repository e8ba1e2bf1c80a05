// Package runtime is Delphi's deterministic evaluation runtime: float32
// tensors, an executor for a subset of ONNX, and the trace that commits to
// a run's operator outputs (every one at runtime version 1, the outputs of
// fused groups at version 2: leaves.go). Every validator must compute the same
// bits on any CPU, so each operator has one documented reduction order,
// products are never fused into FMA, the elementary functions are the
// package's own, and parallelism never splits a reduction. README.md is the
// specification (reduction orders, trace and Merkle formats, ONNX subset,
// limits); a CUDA backend must reproduce it bit for bit.
package runtime
