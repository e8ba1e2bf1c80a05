// Vaults: assets (idle + locked), share price and its history, the markets
// each one funded and its profit and loss on them; the connected wallet's
// stake, with deposit and withdraw.
import { coalesce } from "../coalesce";
import type { Context } from "../context";
import { h, table } from "../dom";
import { enumLabel, formatAmount, shortAddress } from "../format";
import { pricePerMillion } from "../vaultmath";
import { vaultActions, type VaultActions } from "./vault_actions";
import { shareHistory } from "./vault_history";

const EAGER_HISTORIES = 3;

export async function vaultsPage(ctx: Context, view: HTMLElement): Promise<() => void> {
  view.append(h("h1", {}, "Vaults"));
  const body = h("div");
  view.append(body);
  // The history is read once per visit (up to ~40 reads per vault), not per block.
  const histories = new Map<string, HTMLElement>();
  // The first vaults' histories are read at once, the others on request
  // (each is ~40 reads of past state).
  const historyOf = (id: string, now: number): HTMLElement => {
    const have = histories.get(id);
    if (have) return have;
    if (histories.size < EAGER_HISTORIES) {
      histories.set(id, shareHistory(ctx, id, now));
      return histories.get(id)!;
    }
    const box = h("div", {});
    const show = h("button", { type: "button", class: "link" }, "Show the share price history");
    show.addEventListener("click", () => box.replaceChildren(shareHistory(ctx, id, now)));
    box.append(show);
    histories.set(id, box);
    return box;
  };
  // The forms outlive redraws (a block, a deposit) so input and results stay; one set per wallet.
  const actions = new Map<string, VaultActions>();
  let actionsFor = "";
  const draw = async () => {
    const [vaults, info] = await Promise.all([ctx.api.vaults(), ctx.api.chainInfo()]);
    const now = Number(info.height);
    if (actionsFor !== (ctx.wallet?.address ?? "")) {
      actions.clear();
      actionsFor = ctx.wallet?.address ?? "";
    }
    const actionsOf = (v: (typeof vaults)[number], prices: Parameters<VaultActions["update"]>[0], held: bigint) => {
      let a = actions.get(v.id);
      if (a) a.update(prices, held, BigInt(v.idle));
      else actions.set(v.id, (a = vaultActions(ctx, v, prices, held, () => void coalesced())));
      return a.el;
    };
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
              { title: `${detail.share_price} per share to withdraw, ${detail.deposit_price ?? "?"} to deposit`, "data-testid": `vault-${v.id}-price` },
              `${pricePerMillion(detail.share_price)} per 10⁶ shares to withdraw, ` +
                `${pricePerMillion(detail.deposit_price ?? detail.share_price)} to deposit (1.000000 at par; open markets at their marked value)`,
            ),
            ...(detail.deposits_paused
              ? [h("dt", {}, "Deposits"), h("dd", { "data-testid": `vault-${v.id}-paused` }, `paused: ${detail.deposits_paused}`)]
              : []),
            h("dt", {}, "Funding rule"),
            h("dd", {}, enumLabel(v.rule)),
            h("dt", {}, "Realised P&L"),
            h("dd", {}, formatAmount(pnl, d, 2)),
            ...(mine && mine.shares !== "0"
              ? [h("dt", {}, "Your stake"), h("dd", { "data-testid": `vault-${v.id}-stake` }, formatAmount(mine.value, d, 2))]
              : []),
          ),
          h("h3", {}, "Share price history"),
          historyOf(v.id, now),
          ctx.wallet
            ? actionsOf(v, detail, BigInt(mine?.shares ?? "0"))
            : h("p", { class: "muted" }, "Connect a wallet (top right) to deposit or withdraw."),
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
  const coalesced = coalesce(draw);
  await draw();
  const redraw = () => void coalesced();
  ctx.onWallet.add(redraw);
  const unsubscribe = ctx.feed?.subscribe((u) => u.eventTypes.some((t) => t.startsWith("delphi.vault.")) && redraw()) ?? (() => {});
  return () => {
    ctx.onWallet.delete(redraw);
    unsubscribe();
  };
}
