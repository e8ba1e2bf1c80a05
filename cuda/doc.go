// Package cuda is the CUDA backend of the deterministic runtime. Its kernels
// (kernels/*.cu) compute every operator output element in the reduction order
// runtime/README.md fixes, with explicit round-to-nearest intrinsics and no
// FMA contraction, so a GPU run hashes to the same trace_root as the CPU
// reference.
//
// The PTX compiled from the kernels (ptx/*.ptx, `make cuda-ptx`) is embedded,
// and the parameter blocks the kernels read are packed here, untagged, so
// both can be checked on machines without a GPU. The part that touches the
// device (gorgonia.org/cu, whose init exits the process when no GPU is
// present) is only compiled with -tags cuda; importing this package in such a
// build registers the "cuda" backend with runtime.RegisterBackend.
package cuda
