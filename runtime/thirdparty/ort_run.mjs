// Runs an ONNX model with onnxruntime-node (CPU) on tensors given as raw
// little-endian files and writes its outputs the same way, so the Go test
// can hold the Delphi runtime against it.
//
// node ort_run.mjs ORT_DIR MODEL OUT_DIR NAME:DTYPE:D0xD1x...:FILE ...
//   ORT_DIR  a folder whose node_modules holds onnxruntime-node
//   DTYPE    float32 or int64
// Writes OUT_DIR/manifest.json ([{name, dtype, dims, file}]) and one raw file per output.
import { createRequire } from "node:module";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [ortDir, model, outDir, ...specs] = process.argv.slice(2);
const require = createRequire(join(ortDir, "package.json"));
const ort = require("onnxruntime-node");

const feeds = {};
for (const spec of specs) {
  const [name, dtype, dimsText, file] = spec.split(":");
  const dims = dimsText === "" ? [] : dimsText.split("x").map(Number);
  const buf = readFileSync(file);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const data = dtype === "int64" ? new BigInt64Array(ab) : new Float32Array(ab);
  feeds[name] = new ort.Tensor(dtype, data, dims);
}
const session = await ort.InferenceSession.create(model, { executionProviders: ["cpu"], intraOpNumThreads: 1 });
const results = await session.run(feeds);
const manifest = [];
for (const name of session.outputNames) {
  const t = results[name];
  const file = join(outDir, `out_${manifest.length}.bin`);
  writeFileSync(file, Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  manifest.push({ name, dtype: t.type, dims: t.dims.map(Number), file });
}
writeFileSync(join(outDir, "manifest.json"), JSON.stringify(manifest));
