// The header's wallet panel: connect Keplr or Leap (or, on a local test
// chain only, import a key into this tab), show the address and its
// collateral balance, disconnect.
import { coalesce } from "../coalesce";
import type { Context } from "../context";
import { errorBox, h } from "../dom";
import { connectExtension, EXTENSIONS, installed, type ExtensionKind, WalletError } from "../extension";
import { formatAmount, InputError, shortAddress } from "../format";
import { parseGasPrice } from "../tx";
import { forgetKey, importKey, isLocalChain, rememberedExtension, rememberedKey, rememberExtension, rememberKey } from "../wallet";

export function mountWallet(ctx: Context, root: HTMLElement) {
  const local = isLocalChain(ctx.chain.chain_id);
  const setWallet = (w: typeof ctx.wallet) => {
    ctx.wallet = w;
    ctx.onWallet.forEach((f) => f());
  };

  const connect = async (kind: ExtensionKind, msg: HTMLElement) => {
    msg.replaceChildren(h("span", { class: "muted" }, "Waiting for the wallet…"));
    try {
      const gas = parseGasPrice(await ctx.api.minGasPrice().catch(() => ""));
      setWallet(await connectExtension(kind, ctx.chain, ctx.endpoints, gas));
      rememberExtension(kind);
      await draw();
    } catch (e) {
      // A reconnect that fails (the wallet switched to an account it
      // cannot give) must not leave the old address in use.
      if (ctx.wallet?.kind === kind) {
        setWallet(null);
        rememberExtension(null);
        await draw();
      }
      msg.replaceChildren(errorBox(e instanceof WalletError ? e.message : `The wallet failed: ${(e as Error).message}`));
    }
  };

  const draw = async () => {
    if (ctx.wallet) {
      const addr = ctx.wallet.address;
      const w = ctx.wallet;
      const balance = h("span", { class: "balance", "data-testid": "balance" }, "…");
      const leave = h("button", { type: "button", class: "link" }, w.kind === "key" ? "Forget key" : "Disconnect");
      leave.addEventListener("click", () => {
        forgetKey();
        rememberExtension(null);
        setWallet(null);
        void draw();
      });
      const via = w.kind === "key" ? "key in this tab" : (EXTENSIONS.find((e) => e.kind === w.kind)?.name ?? w.kind);
      root.replaceChildren(
        h("a", { href: `#/portfolio/${addr}`, title: addr, "data-testid": "address" }, shortAddress(addr)),
        " ",
        h("small", { class: "muted", "data-testid": "wallet-kind" }, `(${via})`),
        " ",
        balance,
        " ",
        leave,
      );
      try {
        const coins = await ctx.api.balances(addr);
        const c = coins.find((x) => x.denom === ctx.chain.collateral_denom);
        balance.textContent = formatAmount(c?.amount ?? "0", ctx.chain.collateral_denom, 2);
      } catch {
        balance.textContent = "";
      }
      return;
    }
    const msg = h("div", { class: "wallet-msg", "aria-live": "polite" });
    const buttons: HTMLElement[] = installed().map((e) => {
      const b = h("button", { type: "button", "data-testid": `connect-${e.kind}` }, `Connect ${e.name}`);
      b.addEventListener("click", () => void connect(e.kind, msg));
      return b;
    });
    if (buttons.length === 0) {
      const b = h("button", { type: "button", "data-testid": "connect" }, "Connect wallet");
      b.addEventListener("click", () =>
        msg.replaceChildren(
          h("p", { class: "note" }, "Trading needs a browser wallet: install the Keplr or Leap extension, then reload this page."),
        ),
      );
      buttons.push(b);
    }
    if (local) {
      const open = h("button", { type: "button", class: "link" }, "Import key");
      open.addEventListener("click", () => root.replaceChildren(form()));
      buttons.push(open);
    }
    root.replaceChildren(...buttons, msg);
  };

  const form = () => {
    const input = h("input", {
      type: "password",
      id: "secret",
      autocomplete: "off",
      spellcheck: "false",
      placeholder: "hex private key or mnemonic",
      "aria-describedby": "secret-help",
    });
    const msg = h("div", { "aria-live": "polite" });
    const f = h(
      "form",
      { class: "import", "aria-label": "Import a key" },
      h("label", { for: "secret" }, "Key"),
      input,
      h("button", { type: "submit" }, "Import"),
      h("button", { type: "button", class: "link", onclick: () => void draw() }, "Cancel"),
      h("small", { id: "secret-help" }, "For local test chains only: the key stays in this tab."),
      msg,
    );
    f.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      msg.replaceChildren("Importing…");
      try {
        setWallet(await importKey(input.value, ctx.chain.bech32_prefix));
        rememberKey(input.value);
        await draw();
      } catch (e) {
        msg.replaceChildren(errorBox(e instanceof InputError ? e.message : `Import failed: ${(e as Error).message}`));
      }
    });
    setTimeout(() => input.focus());
    return f;
  };

  // Balance follows the chain, one query at a time.
  const refreshBalance = coalesce(async () => {
    if (!ctx.wallet) return;
    try {
      const el = root.querySelector<HTMLElement>("[data-testid=balance]");
      const coins = await ctx.api.balances(ctx.wallet.address);
      const c = coins.find((x) => x.denom === ctx.chain.collateral_denom);
      if (el) el.textContent = formatAmount(c?.amount ?? "0", ctx.chain.collateral_denom, 2);
    } catch {
      // The next block tries again.
    }
  });
  ctx.feed?.subscribe(() => {
    if (ctx.wallet) void refreshBalance();
  });

  // A wallet switching accounts tells the page; follow it.
  for (const e of EXTENSIONS) {
    window.addEventListener(`${e.kind}_keystorechange`, () => {
      if (ctx.wallet?.kind === e.kind) void connect(e.kind, h("div"));
    });
  }

  const savedExtension = rememberedExtension() as ExtensionKind | null;
  const saved = local ? rememberedKey() : null;
  if (savedExtension && installed().some((e) => e.kind === savedExtension)) {
    void connect(savedExtension, h("div")).then(() => (ctx.wallet ? undefined : draw()));
  } else if (saved) {
    importKey(saved, ctx.chain.bech32_prefix)
      .then((w) => {
        setWallet(w);
        return draw();
      })
      .catch(() => {
        forgetKey();
        return draw();
      });
  } else {
    void draw();
  }
}
