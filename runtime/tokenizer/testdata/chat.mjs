// Renders a system prompt with a published tokenizer's own chat template
// (its tokenizer_config.json, run by @lenml/tokenizers, a fork of
// transformers.js): one system message, the generation prompt added.
//
//   node chat.mjs DATA_DIR PACKAGE < prompts.json > ids.json
//
// prompts.json is a JSON array of strings; the output is one array of ids
// per prompt, from apply_chat_template(..., {add_generation_prompt: true,
// tokenize: true}).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [dataDir, pkg] = process.argv.slice(2);
const entry = join(dataDir, "lenml-tokenizers", "node_modules", "@lenml", pkg, "dist", "main.mjs");
const { fromPreTrained } = await import(pathToFileURL(entry).href);
const tokenizer = fromPreTrained();

// Qwen 3's template walks the messages backwards (messages[::-1]) to find
// the last user query, and its assistant branch indexes the result of a
// call (content.split('</think>')[-1]); @lenml's Jinja parses neither. A
// conversation of one system message reaches none of them (they serve
// user and assistant turns), so they are cut and the rest of the authors'
// template renders as published. Llama 3's template needs no cut.
const template = tokenizer.chat_template
  .replace(/\{%- for message in messages\[::-1\] %\}[\s\S]*?\{%- endfor %\}/, "")
  .replace(/\{%- set [a-z_]+ = message\.content\.split\([^%]*%\}/g, "");

const prompts = JSON.parse(readFileSync(0, "utf8"));
const ids = prompts.map((p) => {
  const out = tokenizer.apply_chat_template([{ role: "system", content: p }],
    { chat_template: template, add_generation_prompt: true, tokenize: true });
  return Array.from(out.input_ids ?? out, Number);
});
process.stdout.write(JSON.stringify(ids));
