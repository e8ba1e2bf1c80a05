// Times onnxruntime-node (CPU) on the zoo MNIST CNN, one image per run
// call as Delphi evaluates them, and prints one JSON line:
// {"imagesPerSec": ..., "correct": ...}. Only the run calls are timed
// (after one warm-up pass), not node's start or the model's load.
//
// node ort_bench.mjs ORT_DIR MODEL IMAGES LABELS COUNT THREADS
//   IMAGES  COUNT×784 little-endian float32; LABELS  COUNT bytes
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const [ortDir, model, imagesFile, labelsFile, countText, threadsText] = process.argv.slice(2);
const require = createRequire(join(ortDir, "package.json"));
const ort = require("onnxruntime-node");
const count = Number(countText);
const buf = readFileSync(imagesFile);
const pixels = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
const labels = readFileSync(labelsFile);
const threads = Number(threadsText);
const session = await ort.InferenceSession.create(model, {
  executionProviders: ["cpu"], intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: "all",
});
const feeds = [];
for (let i = 0; i < count; i++) {
  feeds.push({ [session.inputNames[0]]: new ort.Tensor("float32", pixels.subarray(i * 784, (i + 1) * 784), [1, 1, 28, 28]) });
}
async function pass() {
  let correct = 0;
  for (let i = 0; i < count; i++) {
    const out = (await session.run(feeds[i]))[session.outputNames[0]].data;
    let best = 0;
    for (let j = 1; j < out.length; j++) if (out[j] > out[best]) best = j;
    if (best === labels[i]) correct++;
  }
  return correct;
}
await pass();
const start = process.hrtime.bigint();
const correct = await pass();
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ imagesPerSec: count / seconds, correct }));
