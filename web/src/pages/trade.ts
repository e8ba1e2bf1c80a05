// The trade panel of an open market: pick a model and a side, type an
// amount, see the quote as you type, then sign and broadcast. A buy spends
// an amount of collateral (MsgBuyForAmount, at least the quoted shares less
// the slippage tolerance); a sell sells shares (MsgSellShares, for at least
// the quoted proceeds less the tolerance).
import { ApiError } from "../api";
import { modelName, type Context } from "../context";
import { errorBox, h } from "../dom";
import { explain } from "../errors";
import { denomLabel, formatAmount, formatPrice, formatShares, InputError, minAfterSlippage, parseAmount, parseTolerance } from "../format";
import { encodeBuyForAmount, encodeSellShares } from "../msgs";
import { checkQuote } from "../quotecheck";
import { signAndBroadcast, TxError } from "../tx";
import type { Market, Quote } from "../types";

export interface TradePanel {
  el: HTMLElement;
  destroy(): void;
}

export function tradePanel(ctx: Context, market: Market, onTraded: () => void): TradePanel {
  const denom = market.collateral_denom;
  const outcome = h(
    "select",
    { id: "trade-outcome", name: "outcome" },
    ...market.model_ids.map((id, i) => h("option", { value: String(i) }, modelName(ctx, id))),
  );
  const buy = h("input", { type: "radio", name: "side", id: "side-buy", value: "buy", checked: true });
  const sell = h("input", { type: "radio", name: "side", id: "side-sell", value: "sell" });
  const amountLabel = h("label", { for: "trade-amount" }, `Spend (${denomLabel(denom)})`);
  const amount = h("input", { id: "trade-amount", name: "amount", inputmode: "decimal", autocomplete: "off", placeholder: "0.00" });
  const tolerance = h("input", { id: "trade-slippage", name: "slippage", inputmode: "decimal", value: "1", size: 4 });
  const quoteBox = h("div", { class: "quote", "data-testid": "quote", "aria-live": "polite" });
  const submit = h("button", { type: "submit", disabled: true }, "Buy");
  // A quote that warns (price pushed to ~100%, a spend the market caps)
  // needs this ticked before the trade can be sent.
  const anyway = h("input", { type: "checkbox", id: "trade-anyway" });
  const anywayRow = h("div", { class: "row", hidden: true }, anyway, h("label", { for: "trade-anyway" }, "I understand: trade anyway"));
  let blocked = false;
  let needsAck = false;
  const canSend = () => !!ctx.wallet && !!quote && !inFlight && !blocked && (!needsAck || anyway.checked);
  anyway.addEventListener("change", () => {
    submit.disabled = !canSend();
  });
  const result = h("div", { "data-testid": "trade-result", "aria-live": "assertive" });

  let quote: { q: Quote; side: "buy" | "sell"; outcome: number; input: bigint } | null = null;
  let seq = 0;
  let inFlight = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const side = (): "buy" | "sell" => (sell.checked ? "sell" : "buy");

  const requote = () => {
    // Every edit owns the quote box from here on: a reply to an older edit
    // must not bring back a quote for an amount the field no longer shows.
    const my = ++seq;
    clearTimeout(timer);
    quote = null;
    blocked = false;
    needsAck = false;
    anyway.checked = false;
    anywayRow.hidden = true;
    submit.disabled = true;
    const s = side();
    amountLabel.textContent = s === "buy" ? `Spend (${denomLabel(denom)})` : "Shares to sell";
    submit.textContent = s === "buy" ? "Buy" : "Sell";
    if (amount.value.trim() === "") {
      quoteBox.replaceChildren();
      return;
    }
    let v: bigint;
    try {
      v = parseAmount(amount.value);
    } catch (e) {
      quoteBox.replaceChildren(errorBox((e as Error).message));
      return;
    }
    const o = Number(outcome.value);
    quoteBox.replaceChildren(h("span", { class: "muted" }, "Quoting…"));
    timer = setTimeout(async () => {
      try {
        const owner = ctx.wallet?.address;
        const [q, balance, held] = await Promise.all([
          ctx.api.quote(market.id, s, o, s === "buy" ? { amount: v } : { shares: v }),
          // A buy needs the balance, a sell the holding: one read each.
          owner && s === "buy"
            ? ctx.api.balances(owner).then((cs) => BigInt(cs.find((c) => c.denom === denom)?.amount ?? "0"))
            : Promise.resolve(undefined),
          owner && s === "sell"
            ? ctx.api.positions(owner).then((ps) => BigInt(ps.find((p) => p.market_id === market.id)?.shares[o] ?? "0"))
            : Promise.resolve(undefined),
        ]);
        if (my !== seq) return; // a newer keystroke owns the box
        quote = { q, side: s, outcome: o, input: v };
        const name = modelName(ctx, market.model_ids[o]);
        const check = checkQuote({ side: s, input: v, quote: q, outcome: o, name, denom, balance, held });
        blocked = check.blocking.length > 0;
        needsAck = check.warnings.length > 0;
        anywayRow.hidden = blocked || !needsAck;
        quoteBox.replaceChildren(
          s === "buy"
            ? h("p", {}, `You get ${formatShares(q.shares)} shares of ${name} for ${formatAmount(q.total, denom)} (fee ${formatAmount(q.fee, denom)}).`)
            : h("p", {}, `You receive ${formatAmount(q.total, denom)} for ${formatShares(v)} shares of ${name} (fee ${formatAmount(q.fee, denom)}).`),
          h("p", { class: "muted" }, `Price after: ${q.prices_after.map((p, i) => `${modelName(ctx, market.model_ids[i])} ${formatPrice(p)}`).join(", ")}`),
          ...check.blocking.map((m) => h("p", { class: "error", "data-testid": "quote-blocked" }, m)),
          ...check.warnings.map((m) => h("p", { class: "warning", "data-testid": "quote-warning" }, m)),
        );
        submit.disabled = !canSend();
      } catch (e) {
        if (my !== seq) return;
        const msg = e instanceof ApiError ? explain({ log: e.message }) : (e as Error).message;
        quoteBox.replaceChildren(errorBox(msg));
      }
    }, 200);
  };

  const form = h(
    "form",
    { class: "trade", "aria-label": "Trade" },
    h("h2", {}, "Trade"),
    h("div", { class: "row" }, h("label", { for: "trade-outcome" }, "Model"), outcome),
    h(
      "fieldset",
      { class: "row" },
      h("legend", {}, "Side"),
      buy,
      h("label", { for: "side-buy" }, "Buy"),
      sell,
      h("label", { for: "side-sell" }, "Sell"),
    ),
    h("div", { class: "row" }, amountLabel, amount),
    h("div", { class: "row" }, h("label", { for: "trade-slippage" }, "Slippage tolerance (%)"), tolerance),
    quoteBox,
    anywayRow,
    submit,
    result,
  );
  const keyHint = h("p", { class: "muted" }, "Connect a wallet (top right) to trade.");

  const walletChanged = () => {
    keyHint.hidden = !!ctx.wallet;
    // Balance and holdings are the new wallet's: quote again.
    if (amount.value.trim() !== "") requote();
    else submit.disabled = !canSend();
  };
  ctx.onWallet.add(walletChanged);
  walletChanged();

  for (const el of [outcome, buy, sell]) el.addEventListener("change", requote);
  amount.addEventListener("input", requote);

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!canSend() || !ctx.wallet || !quote) return;
    let bps: number;
    try {
      bps = parseTolerance(tolerance.value);
    } catch (e) {
      result.replaceChildren(errorBox((e as InputError).message));
      return;
    }
    const { q, side: s, outcome: o, input } = quote;
    const trader = ctx.wallet.address;
    const msg =
      s === "buy"
        ? encodeBuyForAmount({ trader, marketId: BigInt(market.id), outcome: o, amount: input, minShares: minAfterSlippage(BigInt(q.shares), bps) })
        : encodeSellShares({ trader, marketId: BigInt(market.id), outcome: o, shares: input, minProceeds: minAfterSlippage(BigInt(q.total), bps) });
    submit.disabled = true;
    inFlight = true;
    result.replaceChildren(h("p", { class: "muted" }, "Signing and broadcasting…"));
    try {
      const res = await signAndBroadcast(ctx.api, ctx.wallet, ctx.chain.chain_id, [msg]);
      const name = modelName(ctx, market.model_ids[o]);
      result.replaceChildren(
        h("p", { class: "ok", role: "status" }, `${s === "buy" ? "Bought" : "Sold"} ${name} in block ${res.height} (tx ${res.txhash.slice(0, 10)}…).`),
      );
      amount.value = "";
      quote = null;
      quoteBox.replaceChildren();
      onTraded();
    } catch (e) {
      result.replaceChildren(errorBox(e instanceof TxError ? e.message : `The trade failed: ${(e as Error).message}`));
    } finally {
      inFlight = false;
      submit.disabled = !canSend();
    }
  });

  return {
    el: h("section", { class: "card", "aria-label": "Trade panel" }, form, keyHint),
    destroy: () => {
      clearTimeout(timer);
      ctx.onWallet.delete(walletChanged);
    },
  };
}
