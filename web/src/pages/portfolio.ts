// A portfolio: an address's collateral balance and its positions, each
// valued at current prices (or at its payout once settled), with what it can
// redeem.
import { loadModels, modelName, type Page } from "../context";
import { errorBox, h, table } from "../dom";
import { enumLabel, formatAmount, formatShares } from "../format";
import { valuePosition, type Valued } from "../valuation";

export function portfolioPage(address?: string): Page {
  return async (ctx, view) => {
    const owner = address ?? ctx.wallet?.address;
    view.append(h("h1", {}, "Portfolio"));
    const lookup = h("form", { class: "row", role: "search" });
    const input = h("input", { id: "portfolio-address", value: owner ?? "", size: 48, placeholder: `${ctx.chain.bech32_prefix}1…`, "aria-label": "Address" });
    lookup.append(input, h("button", { type: "submit" }, "Show"));
    lookup.addEventListener("submit", (ev) => {
      ev.preventDefault();
      location.hash = `#/portfolio/${input.value.trim()}`;
    });
    view.append(lookup);
    const body = h("div");
    view.append(body);

    const draw = async () => {
      if (!owner) {
        body.replaceChildren(h("p", { class: "muted" }, "Import a key or enter an address."));
        return;
      }
      let positions;
      let balances;
      try {
        [positions, balances] = await Promise.all([ctx.api.positions(owner), ctx.api.balances(owner)]);
      } catch (e) {
        body.replaceChildren(errorBox((e as Error).message));
        return;
      }
      const valued: Valued[] = await Promise.all(
        positions.map(async (p) => {
          const r = await ctx.api.market(p.market_id);
          return valuePosition(p, r.market, r.prices);
        }),
      );
      await loadModels(ctx, [...new Set(valued.flatMap((v) => v.market.model_ids))]);
      const coll = ctx.chain.collateral_denom;
      const cash = balances.find((b) => b.denom === coll)?.amount ?? "0";
      const total = valued.reduce((s, v) => s + v.value, 0n);
      const redeemableTotal = valued.reduce((s, v) => s + v.redeemable, 0n);
      body.replaceChildren(
        h(
          "dl",
          { class: "facts" },
          h("dt", {}, "Balance"),
          h("dd", { "data-testid": "cash" }, formatAmount(cash, coll)),
          h("dt", {}, "Positions value"),
          h("dd", { "data-testid": "positions-value" }, formatAmount(total, coll)),
          h("dt", {}, "Redeemable now"),
          h("dd", { "data-testid": "redeemable" }, formatAmount(redeemableTotal, coll)),
        ),
        valued.length
          ? table(
              "Positions",
              ["Market", "Status", "Shares", "Value", "Spent", "P&L", "Redeemable"],
              valued.map((v) => [
                h("a", { href: `#/markets/${v.market.id}` }, v.market.title || `market ${v.market.id}`),
                enumLabel(v.market.status),
                v.market.model_ids
                  .map((m, i) => ({ m, s: v.position.shares[i] ?? "0" }))
                  .filter((x) => x.s !== "0")
                  .map((x) => `${modelName(ctx, x.m)}: ${formatShares(x.s)}`)
                  .join(", ") || "–",
                formatAmount(v.value, v.market.collateral_denom),
                formatAmount(v.position.net_spent, v.market.collateral_denom),
                formatAmount(v.pnl, v.market.collateral_denom),
                v.redeemable > 0n ? formatAmount(v.redeemable, v.market.collateral_denom) : "–",
              ]),
              "positions",
            )
          : h("p", { class: "muted" }, "No positions."),
      );
    };
    await draw();
    let busy = false;
    const unsubscribe =
      ctx.feed?.subscribe((u) => {
        if (busy || (u.marketIds.length === 0 && u.trades.length === 0)) return;
        busy = true;
        void draw().finally(() => (busy = false));
      }) ?? (() => {});
    // Without an address in the URL the page follows the imported key.
    const walletChanged = () => {
      if (!address) location.hash = ctx.wallet ? `#/portfolio/${ctx.wallet.address}` : "#/portfolio";
    };
    ctx.onWallet.add(walletChanged);
    return () => {
      unsubscribe();
      ctx.onWallet.delete(walletChanged);
    };
  };
}
