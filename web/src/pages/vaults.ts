// Vaults: assets (idle + locked), share price, the markets each one funded
// and its profit and loss on them; the imported key's own stake if any.
import { coalesce } from "../coalesce";
import type { Context } from "../context";
import { h, table } from "../dom";
import { enumLabel, formatAmount, shortAddress } from "../format";

export async function vaultsPage(ctx: Context, view: HTMLElement): Promise<() => void> {
  view.append(h("h1", {}, "Vaults"));
  const body = h("div");
  view.append(body);
  const draw = async () => {
    const vaults = await ctx.api.vaults();
    if (vaults.length === 0) {
      body.replaceChildren(h("p", { class: "muted" }, "No vaults yet."));
      return;
    }
    const cards = await Promise.all(
      vaults.map(async (v) => {
        const [detail, funded, mine] = await Promise.all([
          ctx.api.vault(v.id),
          ctx.api.vaultMarkets(v.id),
          ctx.wallet ? ctx.api.depositor(v.id, ctx.wallet.address).catch(() => null) : Promise.resolve(null),
        ]);
        const d = v.collateral_denom;
        const assets = BigInt(v.idle) + BigInt(v.locked);
        // Realised P&L: what settled markets returned against the subsidy they took.
        let pnl = 0n;
        for (const m of funded) if (m.settled) pnl += BigInt(m.returned) - BigInt(m.subsidy);
        return h(
          "section",
          { class: "card", "data-testid": `vault-${v.id}` },
          h("h2", {}, v.name),
          h(
            "dl",
            { class: "facts" },
            h("dt", {}, "Manager"),
            h("dd", { title: v.manager }, shortAddress(v.manager)),
            h("dt", {}, "Assets"),
            h("dd", {}, `${formatAmount(assets, d, 2)} (${formatAmount(v.idle, d, 2)} idle, ${formatAmount(v.locked, d, 2)} locked)`),
            // A deposit of one micro unit mints 10⁶ shares (the vault's virtual
            // offset), so a price per 10⁶ shares reads 1.000000 at par.
            h("dt", {}, "Share price"),
            h(
              "dd",
              { title: `${detail.share_price} per share to withdraw, ${detail.deposit_price ?? "?"} to deposit` },
              `${(Number(detail.share_price) * 1e6).toFixed(6)} per 10⁶ shares to withdraw, ` +
                `${(Number(detail.deposit_price ?? detail.share_price) * 1e6).toFixed(6)} to deposit (1.000000 at par; open markets at their marked value)`,
            ),
            ...(detail.deposits_paused
              ? [h("dt", {}, "Deposits"), h("dd", { "data-testid": `vault-${v.id}-paused` }, `paused: ${detail.deposits_paused}`)]
              : []),
            h("dt", {}, "Funding rule"),
            h("dd", {}, enumLabel(v.rule)),
            h("dt", {}, "Realised P&L"),
            h("dd", {}, formatAmount(pnl, d, 2)),
            ...(mine && mine.shares !== "0" ? [h("dt", {}, "Your stake"), h("dd", {}, formatAmount(mine.value, d, 2))] : []),
          ),
          funded.length
            ? table(
                "Markets funded",
                ["Market", "Subsidy", "Returned", "Settled"],
                funded.map((m) => [
                  h("a", { href: `#/markets/${m.market_id}` }, `market ${m.market_id}`),
                  formatAmount(m.subsidy, d, 2),
                  m.settled ? formatAmount(m.returned, d, 2) : "–",
                  m.settled ? "yes" : "no",
                ]),
              )
            : h("p", { class: "muted" }, "Has not funded a market yet."),
        );
      }),
    );
    body.replaceChildren(...cards);
  };
  await draw();
  const coalesced = coalesce(draw);
  const redraw = () => void coalesced();
  ctx.onWallet.add(redraw);
  const unsubscribe = ctx.feed?.subscribe((u) => u.eventTypes.some((t) => t.startsWith("delphi.vault.")) && redraw()) ?? (() => {});
  return () => {
    ctx.onWallet.delete(redraw);
    unsubscribe();
  };
}
