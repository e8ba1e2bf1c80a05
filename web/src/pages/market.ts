// One market, live: prices per model (chart from REST history, then trades
// from the websocket), the trade panel, the evaluation's rounds as they
// finalize with each model's score, the models' intelligence index, and the
// dispute timeline of the evaluation.
import { PALETTE, PriceChart } from "../chart";
import { loadModels, modelName, type Context, type Page } from "../context";
import { errorBox, h, table } from "../dom";
import { closesNote, enumLabel, formatAmount, formatPrice, formatRatio, formatShares, shortAddress } from "../format";
import { encodeRedeem } from "../msgs";
import { addPoint, extendTo, seriesFromHistory } from "../series";
import { signAndBroadcast, TxError } from "../tx";
import type { Dispute, Evaluation, Result, Round } from "../types";
import { isSettled, markToMarket, payoutPerShare, redeemable } from "../valuation";
import { disputeStory, nextDraw, runningStandings, settlementBanner, type Validators } from "../story";
import { validatorInfo } from "../validators";
import { marketHistory } from "../history";
import { coalesce } from "../coalesce";
import { tradePanel, type TradePanel } from "./trade";

export function marketPage(id: string): Page {
  return async (ctx, view) => {
    const first = await ctx.api.market(id);
    let market = first.market;
    let prices = first.prices;
    let trading = first.trading ?? {};
    await loadModels(ctx, market.model_ids);
    const names = market.model_ids.map((m) => modelName(ctx, m));

    const banner = h("div", { "aria-live": "polite" });
    const summary = h("section", { class: "summary" });
    const pricesBox = h("div");
    const chartBox = h("div", { class: "chart", role: "img", "aria-label": "Price of each model by block height" });
    const tradeBox = h("div");
    const positionBox = h("section", { "aria-label": "Your position" });
    // Outside positionBox: a redemption empties the position, and its
    // confirmation must outlive the redraw.
    const redeemNotice = h("div", { "data-testid": "redeem-result", "aria-live": "assertive" });
    const roundsBox = h("section", { "aria-label": "Evaluation rounds" });
    const indexBox = h("section", { "aria-label": "Intelligence index" });
    const disputesBox = h("section", { "aria-label": "Disputes" });
    const historyBox = h("section", { "aria-label": "Trade history" });
    view.append(
      h("h1", {}, market.title || `Market ${market.id}`),
      banner,
      summary,
      h("div", { class: "grid" }, h("div", {}, pricesBox, chartBox), tradeBox),
      positionBox,
      redeemNotice,
      roundsBox,
      historyBox,
      indexBox,
      disputesBox,
    );

    const series = seriesFromHistory(await ctx.api.history(id), market.model_ids.length);
    if (series.heights.length === 0) addPoint(series, Number(market.created_height), prices);
    const chart = new PriceChart(chartBox, series, names);
    // A settled market's prices jump to its payout at the resolution block:
    // the series is rebuilt from the history so that point lands in order.
    let settledDrawn = false;
    const markSettlement = async () => {
      if (settledDrawn || !isSettled(market) || Number(market.resolved_height) <= 0) return;
      settledDrawn = true;
      const tip = series.heights[series.heights.length - 1] ?? 0;
      const fresh = seriesFromHistory(await ctx.api.history(id), market.model_ids.length);
      addPoint(fresh, Number(market.resolved_height), prices);
      extendTo(fresh, tip);
      series.heights = fresh.heights;
      series.prices = fresh.prices;
      chart.update();
    };
    await markSettlement();

    const drawSummary = () => {
      const b = settlementBanner(market, names);
      banner.replaceChildren(
        ...(b ? [h("section", { class: `banner ${b.kind}`, "data-testid": "settled-banner" }, h("h2", {}, b.title), h("p", {}, b.text))] : []),
      );
      const settled = isSettled(market);
      summary.replaceChildren(
        h(
          "dl",
          { class: "facts" },
          h("dt", {}, "Status"),
          h("dd", { "data-testid": "market-status" }, enumLabel(market.status)),
          h("dt", {}, "Volume"),
          h("dd", {}, formatAmount(market.volume, market.collateral_denom, 2)),
          h("dt", {}, "Trades"),
          h("dd", {}, market.trade_count),
          h("dt", {}, "Liquidity b"),
          h("dd", {}, formatAmount(market.liquidity, market.collateral_denom, 2)),
          h("dt", {}, "Fee"),
          h("dd", {}, `${(market.fee_bps / 100).toFixed(2)}%`),
          h("dt", {}, "Funded by"),
          h("dd", {}, market.funder_vault_id !== "0" ? h("a", { href: "#/vaults" }, `vault ${market.funder_vault_id}`) : shortAddress(market.funder)),
          h("dt", {}, "Evaluation"),
          h("dd", {}, `#${market.evaluation_id}`),
          h("dt", {}, "Verify it"),
          h("dd", {}, h("code", { "data-testid": "verify-command" }, `delphid verify market ${market.id} --node <a node's RPC>`)),
        ),
      );
      pricesBox.replaceChildren(
        table(
          settled ? "What each share pays now that the market has settled" : "Price of each model (the market's probability that it wins)",
          ["Model", settled ? "Payout per share" : "Price", "Shares out"],
          market.model_ids.map((mid, i) => [
            h("a", { href: `#/models/${mid}` }, h("span", { class: "swatch", style: `background:${PALETTE[i % PALETTE.length]}` }), names[i]),
            h("span", { "data-testid": `price-${i}` }, settled ? formatAmount(payoutPerShare(market, i), market.collateral_denom) : formatPrice(prices[i] ?? "0")),
            formatShares(market.shares[i] ?? "0"),
          ]),
          "prices",
        ),
      );
    };

    let panel: TradePanel | null = null;
    const note = h("p", { class: "muted", "data-testid": "trading-note" });
    const drawTrade = () => {
      if (market.status === "MARKET_STATUS_OPEN" && trading.open) {
        if (!panel) {
          panel = tradePanel(ctx, market, () => void refresh());
          tradeBox.replaceChildren(note, panel.el);
        }
        // Nobody trades once a round's items can be known: say when.
        note.textContent = closesNote(trading);
        return;
      }
      panel?.destroy();
      panel = null;
      const why = isSettled(market)
        ? `This market is ${enumLabel(market.status)} (block ${market.resolved_height}).`
        : trading.reason
          ? `Trading is paused: ${trading.reason}.`
          : "This market no longer trades.";
      tradeBox.replaceChildren(
        h(
          "section",
          { class: "card", "data-testid": "trading-closed" },
          h("h2", {}, market.status === "MARKET_STATUS_OPEN" ? "Trading paused" : "Trading closed"),
          h("p", {}, why),
          ...(trading.reopens_at && trading.reopens_at !== "0" ? [h("p", {}, `Trading reopens at block ${trading.reopens_at}.`)] : []),
        ),
      );
    };

    let redeeming = false;
    const drawPosition = async () => {
      if (!ctx.wallet) {
        positionBox.replaceChildren();
        return;
      }
      const owner = ctx.wallet.address;
      const pos = (await ctx.api.positions(owner)).find((p) => p.market_id === market.id);
      if (ctx.wallet?.address !== owner) return; // the key changed meanwhile; its own draw follows
      if (!pos) {
        positionBox.replaceChildren(h("h2", {}, "Your position"), h("p", { class: "muted", "data-testid": "position" }, "No shares in this market."));
        return;
      }
      const settled = isSettled(market);
      const r = redeemable(pos.shares, market);
      const children: (HTMLElement | string)[] = [
        h("h2", {}, "Your position"),
        table(
          "Your shares",
          ["Model", "Shares"],
          market.model_ids.map((_, i) => [names[i], formatShares(pos.shares[i] ?? "0")]),
          "position",
        ),
        h(
          "p",
          {},
          settled
            ? `Redeemable: ${formatAmount(r, market.collateral_denom)}`
            : `Value at current prices: ${formatAmount(markToMarket(pos.shares, prices), market.collateral_denom)}; spent ${formatAmount(pos.net_spent, market.collateral_denom)}.`,
        ),
      ];
      if (settled && pos.shares.some((s) => s !== "0")) {
        const msg = redeemNotice;
        const btn = h("button", { type: "button", disabled: redeeming }, "Redeem");
        btn.addEventListener("click", async () => {
          if (!ctx.wallet || redeeming) return;
          redeeming = true;
          btn.disabled = true;
          msg.replaceChildren(h("p", { class: "muted" }, "Redeeming…"));
          try {
            const res = await signAndBroadcast(ctx.api, ctx.wallet, ctx.chain.chain_id, [
              encodeRedeem({ owner: ctx.wallet.address, marketId: BigInt(market.id) }),
            ]);
            msg.replaceChildren(h("p", { class: "ok", role: "status" }, `Redeemed in block ${res.height}.`));
          } catch (e) {
            msg.replaceChildren(errorBox(e instanceof TxError ? e.message : (e as Error).message));
          } finally {
            redeeming = false;
            await refresh();
          }
        });
        children.push(btn);
      }
      positionBox.replaceChildren(...children);
    };

    const drawEvaluation = async () => {
      try {
        await drawEvaluationBoxes();
      } catch (e) {
        roundsBox.replaceChildren(errorBox(`Cannot read the evaluation: ${(e as Error).message}`));
      }
    };
    let validators: Validators | null = null;
    const drawEvaluationBoxes = async () => {
      const [ev, rounds, results, disputes, index] = await Promise.all([
        ctx.api.evaluation(market.evaluation_id),
        ctx.api.rounds(market.evaluation_id),
        ctx.api.results(market.evaluation_id),
        ctx.api.disputes(),
        ctx.api.index(),
      ]);
      roundsBox.replaceChildren(...roundsView(ctx, ev, rounds, results, market));
      const rows = market.model_ids.map((mid, i) => {
        const mi = index.find((x) => x.model_id === mid);
        const s = mi?.benchmarks.find((b) => b.entry.benchmark_id === ev.benchmark_id);
        return [
          names[i],
          s ? formatPrice(s.accuracy) : "–",
          s ? formatPrice(s.wilson_lower) : "–",
          s ? `${s.entry.correct}/${s.entry.items}` : "–",
          mi ? formatPrice(mi.aggregate) : "–",
        ];
      });
      indexBox.replaceChildren(
        h("h2", {}, "Intelligence index"),
        table("Scores across every finalized evaluation on this benchmark", ["Model", "Accuracy", "Wilson lower bound", "Correct", "Aggregate"], rows, "index"),
      );
      const mine = disputes.filter((d) => d.evaluation_id === market.evaluation_id);
      // Validators are read once per visit of the page, when a dispute needs them.
      if (mine.length && !validators) validators = await validatorInfo(ctx.api);
      disputesBox.replaceChildren(...disputesView(ctx, mine, validators ?? (() => ({ name: "" })), results));
    };

    // The market's trades and redemptions from the node's transaction index.
    const drawHistory = async () => {
      let events, complete;
      try {
        ({ events, complete } = await marketHistory(ctx.api, market.id));
      } catch (e) {
        historyBox.replaceChildren(h("h2", {}, "Trades"), h("p", { class: "muted" }, `The node cannot list this market's transactions: ${(e as Error).message}`));
        return;
      }
      const d = market.collateral_denom;
      const rows = events
        .slice()
        .reverse()
        .slice(0, 25)
        .map((e) => [
          String(e.height),
          h("a", { href: `#/portfolio/${e.account}`, title: e.account }, ctx.wallet?.address === e.account ? "you" : shortAddress(e.account)),
          e.kind === "redeem" ? "redeem" : e.side,
          e.kind === "redeem" ? "–" : names[e.outcome] ?? `outcome ${e.outcome}`,
          e.kind === "redeem" ? "–" : formatShares(e.shares),
          formatAmount(e.cash, d),
          e.kind === "redeem" || e.outcome < 0 ? "–" : formatPrice(e.prices[e.outcome] ?? "0"),
        ]);
      historyBox.replaceChildren(
        h("h2", {}, "Trades"),
        rows.length
          ? table(
              `The last ${rows.length} of ${complete ? "" : "more than "}${events.length} trades and redemptions, newest first (amounts include the fee)`,
              ["Block", "Account", "Side", "Model", "Shares", "Amount", "Price after"],
              rows,
              "market-history",
            )
          : h("p", { class: "muted" }, "No trades yet."),
      );
    };

    const drawPositionSafe = () => drawPosition().catch((e) => positionBox.replaceChildren(errorBox((e as Error).message)));
    // One refresh at a time, none dropped: the feed, a trade, a redemption
    // and a key change all go through here.
    // The trade history (two transaction searches) is read again only when
    // a block touched this market.
    let historyStale = true;
    const refresh = coalesce(async () => {
      const r = await ctx.api.market(id);
      market = r.market;
      prices = r.prices;
      trading = r.trading ?? {};
      await markSettlement();
      drawSummary();
      drawTrade();
      const history = historyStale ? drawHistory() : Promise.resolve();
      historyStale = false;
      await Promise.all([drawPositionSafe(), drawEvaluation(), history]);
    });

    drawSummary();
    drawTrade();
    historyStale = false;
    await Promise.all([drawPositionSafe(), drawEvaluation(), drawHistory()]);

    // Live: a trade moves the chart and the prices at once; blocks with
    // evaluation, dispute or settlement events refresh the rest.
    const unsubscribe =
      ctx.feed?.subscribe((u) => {
        let moved = false;
        for (const t of u.trades) {
          if (t.marketId !== market.id) continue;
          addPoint(series, u.height, t.prices);
          prices = t.prices;
          moved = true;
        }
        extendTo(series, u.height);
        chart.update();
        if (moved) drawSummary();
        const touches =
          u.marketIds.includes(market.id) || u.eventTypes.some((t) => t.startsWith("delphi.evaluation.") || t.startsWith("delphi.verde."));
        if (u.marketIds.includes(market.id)) historyStale = true;
        if (touches) void refresh();
      }) ?? (() => {});
    const walletChanged = () => {
      historyStale = true; // "you" marks the new wallet's rows
      void refresh();
    };
    ctx.onWallet.add(walletChanged);

    return () => {
      unsubscribe();
      ctx.onWallet.delete(walletChanged);
      panel?.destroy();
      chart.destroy();
    };
  };
}

function roundsView(ctx: Context, ev: Evaluation, rounds: Round[], results: Result[], market: { status: string }): HTMLElement[] {
  const head = ["Round", "Status", "Start block", ...ev.model_ids.map((m) => modelName(ctx, m))];
  const rows = rounds
    .slice()
    .sort((a, b) => a.round - b.round)
    .map((r) => [
      String(r.round),
      enumLabel(r.status),
      r.start_height,
      ...ev.model_ids.map((mid) => {
        // One result per round and model; a dispute may have corrected it.
        const res = results.find((x) => x.round === r.round && x.model_id === mid);
        return res
          ? `${res.correct}/${ev.items_per_round} (${formatRatio(res.correct, ev.items_per_round)})${res.replaced ? ", corrected by a dispute" : ""}`
          : "…";
      }),
    ]);
  const final = ev.standings.length > 0;
  const standings = final
    ? h(
        "p",
        { "data-testid": "standings" },
        "Final standings: ",
        ev.standings
          .slice()
          .sort((a, b) => a.rank - b.rank)
          .map((s) => `${s.rank}. ${modelName(ctx, s.model_id)} ${s.correct}/${s.items}`)
          .join(" · "),
      )
    : results.length
      ? h(
          "p",
          { "data-testid": "running-standings" },
          "Standings so far: ",
          runningStandings(ev, results)
            .map((s, i) => `${i + 1}. ${modelName(ctx, s.modelId)} ${s.correct}/${s.items}`)
            .join(" · "),
        )
      : null;
  const next = nextDraw(ev, rounds);
  const upcoming =
    next !== null && rounds.length > 0 && market.status === "MARKET_STATUS_OPEN"
      ? h("p", { "data-testid": "next-round" }, `The next round, round ${rounds.length} of rounds 0 to ${ev.rounds - 1}, is drawn at block ${next}.`)
      : null;
  return [
    h("h2", {}, `Evaluation rounds (${enumLabel(ev.status)})`),
    ...(standings ? [standings] : []),
    ...(upcoming ? [upcoming] : []),
    rounds.length
      ? table(`${ev.rounds} rounds of ${ev.items_per_round} items, numbered from 0 as on the chain; correct answers per model`, head, rows, "rounds")
      : h("p", { class: "muted" }, `The first round starts at block ${ev.start_height}.`),
  ];
}

function disputesView(ctx: Context, disputes: Dispute[], validators: Validators, results: Result[]): HTMLElement[] {
  if (disputes.length === 0) return [h("h2", {}, "Disputes"), h("p", { class: "muted" }, "No disputes: every validator's sidecar agreed.")];
  return [
    h("h2", {}, "Disputes"),
    h(
      "ol",
      { class: "timeline", "data-testid": "disputes" },
      ...disputes
        .slice()
        .sort((a, b) => Number(a.opened_height) - Number(b.opened_height))
        .map((d) =>
          h(
            "li",
            {},
            h(
              "strong",
              {},
              d.status === "DISPUTE_STATUS_OPEN"
                ? `Dispute ${d.id}, opened at block ${d.opened_height}: `
                : `Dispute ${d.id}, opened at block ${d.opened_height}, decided at block ${d.resolved_height}: `,
            ),
            disputeStory(
              d,
              modelName(ctx, d.model_id),
              validators,
              results.find((r) => r.round === d.round && r.model_id === d.model_id),
            ),
          ),
        ),
    ),
  ];
}
