// A browser wallet for the end-to-end tests. Keplr and Leap cannot be
// installed here, so the page gets a provider object with their interface
// (window.keplr / window.leap: experimentalSuggestChain, enable, getKey,
// getOfflineSigner with signDirect), and every call crosses to Node, where
// cosmjs's DirectSecp256k1Wallet — the published library such wallets sign
// with — holds the key and signs. Like the real extensions it refuses to
// enable a chain nobody suggested, answers with the suggested prefix's
// address, and never hands the key to the page.
import { DirectSecp256k1Wallet } from "@cosmjs/proto-signing";
import { fromBase64, fromHex, toBase64 } from "@cosmjs/encoding";
import { fromBinary, toJson } from "@bufbuild/protobuf";
import { TxBody } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import * as market from "../src/gen/delphi/market/v1/tx_pb.js";
import * as vault from "../src/gen/delphi/vault/v1/tx_pb.js";

// Every Delphi message the app signs, by type URL, decoded with the client
// protoc-gen-es generates from proto/ (the one the app encodes with).
const schemas = new Map(
  [...Object.values(market), ...Object.values(vault)]
    .filter((x) => x && x.kind === "message" && x.typeName.startsWith("delphi."))
    .map((s) => [`/${s.typeName}`, s]),
);

/** The messages of a sign doc's body, as protobuf JSON: what the wallet is asked to sign. */
function messagesOf(bodyBytes) {
  return TxBody.decode(bodyBytes).messages.map((any) => {
    const schema = schemas.get(any.typeUrl);
    if (!schema) return { "@type": any.typeUrl };
    return { "@type": any.typeUrl, ...toJson(schema, fromBinary(schema, any.value)) };
  });
}

/**
 * Installs the provider on every page load; returns what the page asked
 * of the wallet (suggested chains, enabled chain ids, signatures made and
 * the messages signed).
 */
export async function injectWallet(page, { kind = "keplr", hexKey, name = "test account" }) {
  const seen = { suggested: [], enabled: [], signed: 0, signerOptions: [], messages: [] };
  const signerFor = async (chainId) => {
    const info = seen.suggested.find((c) => c.chainId === chainId);
    if (!info) throw new Error(`There is no chain info for ${chainId}`);
    return DirectSecp256k1Wallet.fromKey(fromHex(hexKey), info.bech32Config.bech32PrefixAccAddr);
  };
  const account = async (chainId) => {
    if (!seen.enabled.includes(chainId)) throw new Error(`${chainId} is not enabled`);
    const [a] = await (await signerFor(chainId)).getAccounts();
    return { name, bech32Address: a.address, pubKey: toBase64(a.pubkey), algo: a.algo };
  };
  await page.exposeFunction(`__${kind}Call`, async (method, args) => {
    switch (method) {
      case "suggest":
        seen.suggested.push(args[0]);
        return null;
      case "enable":
        await signerFor(args[0]);
        seen.enabled.push(args[0]);
        return null;
      case "key":
        return account(args[0]);
      case "signerOptions":
        seen.signerOptions.push(args[1] ?? {});
        return null;
      case "signDirect": {
        const [chainId, signer, doc] = args;
        // Like the extensions: only an enabled chain, only the wallet's own
        // account, and the sign doc's chain id is the one asked for.
        const own = await account(chainId);
        if (signer !== own.bech32Address) throw new Error(`signer ${signer} is not this wallet's account`);
        if (doc.chainId !== chainId) throw new Error(`sign doc for ${doc.chainId}, signer for ${chainId}`);
        const res = await (await signerFor(chainId)).signDirect(signer, {
          bodyBytes: fromBase64(doc.bodyBytes),
          authInfoBytes: fromBase64(doc.authInfoBytes),
          chainId: doc.chainId,
          accountNumber: BigInt(doc.accountNumber),
        });
        seen.signed++;
        seen.messages.push(...messagesOf(fromBase64(doc.bodyBytes)));
        return {
          signed: {
            bodyBytes: toBase64(res.signed.bodyBytes),
            authInfoBytes: toBase64(res.signed.authInfoBytes),
            chainId: res.signed.chainId,
            accountNumber: res.signed.accountNumber.toString(),
          },
          signature: res.signature,
        };
      }
      default:
        throw new Error(`unknown wallet call ${method}`);
    }
  });
  await page.addInitScript((kind) => {
    const call = (method, args) => window[`__${kind}Call`](method, args);
    const b64 = (u8) => btoa(String.fromCharCode(...u8));
    const bytes = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
    const key = async (chainId) => {
      const k = await call("key", [chainId]);
      return { ...k, pubKey: bytes(k.pubKey), address: new Uint8Array(), isNanoLedger: false, isKeystone: false };
    };
    window[kind] = {
      experimentalSuggestChain: (info) => call("suggest", [info]),
      enable: (chainId) => call("enable", [chainId]),
      getKey: key,
      getOfflineSigner: (chainId, options) => (void call("signerOptions", [chainId, options ?? null]), {
        getAccounts: async () => {
          const k = await key(chainId);
          return [{ address: k.bech32Address, pubkey: k.pubKey, algo: "secp256k1" }];
        },
        signDirect: async (signer, doc) => {
          const r = await call("signDirect", [
            chainId,
            signer,
            { bodyBytes: b64(doc.bodyBytes), authInfoBytes: b64(doc.authInfoBytes), chainId: doc.chainId, accountNumber: String(doc.accountNumber) },
          ]);
          return {
            signed: { bodyBytes: bytes(r.signed.bodyBytes), authInfoBytes: bytes(r.signed.authInfoBytes), chainId: r.signed.chainId, accountNumber: BigInt(r.signed.accountNumber) },
            signature: r.signature,
          };
        },
      }),
    };
  }, kind);
  return seen;
}
