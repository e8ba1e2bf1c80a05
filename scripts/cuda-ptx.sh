#!/usr/bin/env bash
# cuda-ptx.sh [OUTDIR]: compile every cuda/kernels/*.cu to OUTDIR/<name>.ptx
# (default cuda/ptx, the embedded copies).
#
# Flags, and why:
#   -ptx -arch=compute_70  portable PTX, JIT-compiled by the driver for the GPU
#                          it finds (Volta and newer);
#   -fmad=false            never contract a*b+c into an FMA (the kernels also
#                          use explicit __fmul_rn/__fadd_rn, which PTX keeps as
#                          mul.rn/add.rn that ptxas may not fuse);
#   -ftz=false -prec-div=true -prec-sqrt=true
#                          IEEE subnormals, division and square root, as the
#                          CPU reference (nvcc's defaults, stated so a global
#                          --use_fast_math cannot slip in).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-cuda/ptx}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd cuda/kernels
for src in *.cu; do
	nvcc -ptx -arch=compute_70 -fmad=false -ftz=false -prec-div=true -prec-sqrt=true \
		-o "$out/${src%.cu}.ptx" "$src"
done
