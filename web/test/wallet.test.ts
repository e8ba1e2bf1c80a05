import { describe, expect, it } from "vitest";
import keys from "../testdata/keys.json";
import { classifySecret, importKey } from "../src/wallet";
import { InputError } from "../src/format";

describe("key import", () => {
  it("tells hex keys from mnemonics and refuses anything else", () => {
    expect(classifySecret("0x" + "ab".repeat(32))).toBe("hex");
    expect(classifySecret(" " + "AB".repeat(32) + "\n")).toBe("hex");
    expect(classifySecret(Array(12).fill("abandon").join(" "))).toBe("mnemonic");
    for (const bad of ["", "ab".repeat(31), "zz".repeat(32), "one two three", Array(12).fill("Abandon").join(" ")]) {
      expect(() => classifySecret(bad), bad).toThrow(InputError);
    }
  });
  // testdata/keys.json is written by the Go side (web/msgs_golden_test.go)
  // with the SDK's own secp256k1 keys.
  for (const k of keys) {
    it(`derives the chain's address for ${k.priv_hex.slice(0, 8)}…`, async () => {
      const w = await importKey(k.priv_hex, "delphi");
      expect(w.address).toBe(k.address);
    });
  }
  it("derives an address from a mnemonic on the Cosmos HD path", async () => {
    const w = await importKey(
      "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
      "delphi",
    );
    expect(w.address).toMatch(/^delphi1[02-9ac-hj-np-z]{38}$/);
  });
  it("refuses a mnemonic with a bad checksum", async () => {
    await expect(importKey(Array(12).fill("abandon").join(" "), "delphi")).rejects.toThrow(InputError);
  });
});
