// The header's key panel: import a key for the local test chain, show the
// address and its collateral balance, forget the key.
import { coalesce } from "../coalesce";
import type { Context } from "../context";
import { errorBox, h } from "../dom";
import { formatAmount, InputError, shortAddress } from "../format";
import { forgetKey, importKey, rememberedKey, rememberKey } from "../wallet";

export function mountWallet(ctx: Context, root: HTMLElement) {
  const draw = async () => {
    if (ctx.wallet) {
      const addr = ctx.wallet.address;
      const balance = h("span", { class: "balance", "data-testid": "balance" }, "…");
      const forget = h("button", { type: "button", class: "link" }, "Forget key");
      forget.addEventListener("click", () => {
        forgetKey();
        ctx.wallet = null;
        ctx.onWallet.forEach((f) => f());
        void draw();
      });
      root.replaceChildren(h("a", { href: `#/portfolio/${addr}`, title: addr, "data-testid": "address" }, shortAddress(addr)), " ", balance, " ", forget);
      try {
        const coins = await ctx.api.balances(addr);
        const c = coins.find((x) => x.denom === ctx.chain.collateral_denom);
        balance.textContent = formatAmount(c?.amount ?? "0", ctx.chain.collateral_denom, 2);
      } catch {
        balance.textContent = "";
      }
      return;
    }
    const open = h("button", { type: "button" }, "Import key");
    root.replaceChildren(open);
    open.addEventListener("click", () => root.replaceChildren(form()));
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
        ctx.wallet = await importKey(input.value, ctx.chain.bech32_prefix);
        rememberKey(input.value);
        ctx.onWallet.forEach((f) => f());
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

  const saved = rememberedKey();
  if (saved) {
    importKey(saved, ctx.chain.bech32_prefix)
      .then((w) => {
        ctx.wallet = w;
        ctx.onWallet.forEach((f) => f());
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
