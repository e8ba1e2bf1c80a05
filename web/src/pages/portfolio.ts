// A portfolio: an address's collateral balance and its positions, each
// valued at current prices (or at its payout once settled), with what it can
// redeem.
import { coalesce } from "../coalesce";
import { loadModels, modelName, type Page } from "../context";
import { errorBox, h, table } from "../dom";
import { enumLabel, formatAmount, formatShares } from "../format";
import { valuePosition, type Valued } from "../valuation";
import { PageError } from "./error";
import { accountHistory, pnlByMarket, type History } from "../history";

export function portfolioPage(address?: string): Page {
  return async (ctx, view) => {
    if (address && !address.startsWith(`${ctx.chain.bech32_prefix}1`)) {
      throw new PageError("Not an address on this chain", `${address} is not a Delphi address: addresses on this chain start with ${ctx.chain.bech32_prefix}1.`);
    }
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
        body.replaceChildren(h("p", { class: "muted" }, "Connect a wallet or enter an address."));
        return;
      }
      try {
        await drawFor(owner);
      } catch (e) {
        body.replaceChildren(errorBox((e as Error).message));
      }
    };
    const drawFor = async (owner: string) => {
      const [positions, balances, events] = await Promise.all([
        ctx.api.positions(owner),
        ctx.api.balances(owner),
        accountHistory(ctx.api, owner).catch(() => null as History | null),
      ]);
      // Markets in the history whose positions are gone (redeemed) still get titles and names.
      const historyMarkets = new Map<string, Awaited<ReturnType<typeof ctx.api.market>>["market"]>();
      await Promise.all(
        [...new Set((events?.events ?? []).map((e) => e.marketId))].map(async (id) => {
          try {
            historyMarkets.set(id, (await ctx.api.market(id)).market);
          } catch {
            // A market the node no longer has is shown by its id.
          }
        }),
      );
      await loadModels(ctx, [...new Set([...historyMarkets.values()].flatMap((m) => m.model_ids))]);
      const valued: Valued[] = await Promise.all(
        positions.map(async (p) => {
          const r = await ctx.api.market(p.market_id);
          return valuePosition(p, r.market, r.prices);
        }),
      );
      await loadModels(ctx, [...new Set(valued.flatMap((v) => v.market.model_ids))]);
      const coll = ctx.chain.collateral_denom;
      const cash = balances.find((b) => b.denom === coll)?.amount ?? "0";
      // Markets may use different collateral denoms: totals are per denom.
      const sum = (pick: (v: Valued) => bigint) => {
        const by = new Map<string, bigint>();
        for (const v of valued) by.set(v.market.collateral_denom, (by.get(v.market.collateral_denom) ?? 0n) + pick(v));
        if (by.size === 0) by.set(coll, 0n);
        return [...by.entries()]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([d, x]) => formatAmount(x, d))
          .join(" + ");
      };
      body.replaceChildren(
        h(
          "dl",
          { class: "facts" },
          h("dt", {}, "Balance"),
          h("dd", { "data-testid": "cash" }, formatAmount(cash, coll)),
          h("dt", {}, "Positions value"),
          h("dd", { "data-testid": "positions-value" }, sum((v) => v.value)),
          h("dt", {}, "Redeemable now"),
          h("dd", { "data-testid": "redeemable" }, sum((v) => v.redeemable)),
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
        ...historyView(events, historyMarkets),
      );
    };
    const historyView = (history: History | null, markets: Map<string, { title: string; model_ids: string[]; collateral_denom: string; status: string }>) => {
      if (history === null) return [h("h2", {}, "History"), h("p", { class: "muted" }, "The node cannot list this account's transactions.")];
      const events = history.events;
      if (events.length === 0) return [h("h2", {}, "History"), h("p", { class: "muted" }, "No trades yet.")];
      const title = (id: string) => markets.get(id)?.title || `market ${id}`;
      const denom = (id: string) => markets.get(id)?.collateral_denom ?? ctx.chain.collateral_denom;
      const pnl = pnlByMarket(events);
      return [
        h("h2", {}, "Realized profit and loss"),
        table(
          history.complete
            ? "Per market: paid for buys, received from sells and redemptions; realized once nothing is held"
            : "Per market, from the last 2,000 transactions only (older ones are not read): realized where they account for every share",
          ["Market", "Status", "Paid", "Received", "Realized P&L"],
          pnl.map((p) => [
            h("a", { href: `#/markets/${p.marketId}` }, title(p.marketId)),
            `${enumLabel(markets.get(p.marketId)?.status ?? "")}${p.redeemed ? ", redeemed" : ""}`,
            formatAmount(p.spent, denom(p.marketId)),
            formatAmount(p.received, denom(p.marketId)),
            p.realized === null ? "open" : formatAmount(p.realized, denom(p.marketId)),
          ]),
          "pnl",
        ),
        h("h2", {}, "History"),
        table(
          "Trades and redemptions, newest first (amounts include the fee)",
          ["Block", "Market", "Side", "Model", "Shares", "Amount"],
          events
            .slice()
            .reverse()
            .map((e) => {
              const m = markets.get(e.marketId);
              return [
                String(e.height),
                h("a", { href: `#/markets/${e.marketId}` }, title(e.marketId)),
                e.kind === "redeem" ? "redeem" : e.side,
                e.kind === "redeem" ? "–" : m ? modelName(ctx, m.model_ids[e.outcome]) : `outcome ${e.outcome}`,
                e.kind === "redeem" ? "–" : formatShares(e.shares),
                formatAmount(e.cash, denom(e.marketId)),
              ];
            }),
          "history",
        ),
      ];
    };
    await draw();
    const redraw = coalesce(draw);
    const unsubscribe = ctx.feed?.subscribe((u) => void (u.marketIds.length > 0 && redraw())) ?? (() => {});
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
