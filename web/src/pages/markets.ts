// The markets list: status, volume and the current leader of every market,
// refreshed when a block touches a market.
import { coalesce } from "../coalesce";
import { loadModels, modelName, type Context } from "../context";
import { h, table } from "../dom";
import { enumLabel, formatAmount, formatPrice } from "../format";
import type { Market } from "../types";
import { leader } from "../valuation";

export async function marketsPage(ctx: Context, view: HTMLElement): Promise<() => void> {
  const body = h("div");
  view.append(h("h1", {}, "Markets"), body);

  const draw = async () => {
    const markets = await ctx.api.markets();
    const prices = await Promise.all(markets.map((m) => ctx.api.market(m.id).then((r) => r.prices).catch(() => [] as string[])));
    await loadModels(ctx, [...new Set(markets.flatMap((m) => m.model_ids))]);
    if (markets.length === 0) {
      body.replaceChildren(h("p", { class: "muted" }, "No markets yet. Create one with `delphid tx market create-market`."));
      return;
    }
    const rows = markets
      .slice()
      .sort((a, b) => Number(b.id) - Number(a.id))
      .map((m) => row(ctx, m, prices[markets.indexOf(m)] ?? []));
    body.replaceChildren(
      table("Every market on this chain, newest first", ["Market", "Status", "Models", "Leader", "Volume", "Trades"], rows, "markets"),
    );
  };
  await draw();

  const redraw = coalesce(draw);
  return ctx.feed?.subscribe((u) => void (u.marketIds.length > 0 && redraw())) ?? (() => {});
}

function row(ctx: Context, m: Market, prices: string[]) {
  const lead = leader(prices);
  return [
    h("a", { href: `#/markets/${m.id}` }, m.title || `Market ${m.id}`),
    h("span", { class: `status ${enumLabel(m.status)}` }, enumLabel(m.status)),
    String(m.model_ids.length),
    lead >= 0 ? `${modelName(ctx, m.model_ids[lead])} (${formatPrice(prices[lead])})` : "–",
    formatAmount(m.volume, m.collateral_denom, 2),
    m.trade_count,
  ];
}
