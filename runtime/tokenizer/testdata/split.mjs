// Splits texts with the pre-tokenizers of the npm package @lenml/tokenizers
// (transformers.js'), as the published tokenizers configure them:
//
//   node split.mjs DATA_DIR RULE < texts.json > pieces.json
//
// RULE is gpt-2 (the ByteLevel pre-tokenizer with use_regex, whose regular
// expression is GPT-2's), llama-bpe (Llama 3's tokenizer.json) or qwen2
// (Qwen 3's, after its NFC normalizer). The output is one array of pieces
// per text, each piece in GPT-2's byte-to-unicode form.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [dataDir, rule] = process.argv.slice(2);
const pkg = { "gpt-2": "tokenizer-llama3", "llama-bpe": "tokenizer-llama3", qwen2: "tokenizer-qwen3" }[rule];
if (!pkg) throw new Error(`unknown rule ${rule}`);
const entry = join(dataDir, "lenml-tokenizers", "node_modules", "@lenml", pkg, "dist", "main.mjs");
const { fromPreTrained } = await import(pathToFileURL(entry).href);
const params =
  rule === "gpt-2"
    ? { tokenizerJSON: { pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true } } }
    : undefined;
const tokenizer = fromPreTrained(params);

const texts = JSON.parse(readFileSync(0, "utf8"));
const pieces = texts.map((text) => {
  const normalized = tokenizer.normalizer ? tokenizer.normalizer(text) : text;
  return tokenizer.pre_tokenizer(normalized);
});
process.stdout.write(JSON.stringify(pieces));
