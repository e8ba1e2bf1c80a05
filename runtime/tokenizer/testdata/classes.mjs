// Prints the class JavaScript's regular expressions (the engine the npm
// tokenizers run on) give every code point: "L" for \p{L}, "N" for \p{N},
// "S" for \s, "O" for anything else, one letter per code point from U+0000
// to U+10FFFF (surrogates, which are not characters, as "O"), and the
// Unicode version of the engine's tables on the first line.
const letter = /^\p{L}$/u;
const number = /^\p{N}$/u;
const space = /^\s$/u;
const out = new Array(0x110000);
for (let cp = 0; cp < 0x110000; cp++) {
  if (cp >= 0xd800 && cp <= 0xdfff) {
    out[cp] = "O";
    continue;
  }
  const c = String.fromCodePoint(cp);
  out[cp] = letter.test(c) ? "L" : number.test(c) ? "N" : space.test(c) ? "S" : "O";
}
process.stdout.write(process.versions.unicode + "\n" + out.join(""));
