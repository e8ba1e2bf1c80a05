// Trade history from the node's transaction index: every EventTrade and
// EventRedeemed a market or an account took part in (REST
// /cosmos/tx/v1beta1/txs?query=...), and the realized profit and loss per
// market that follows from them. Events survive what the state forgets: a
// redeemed position is deleted on chain, its history is not.
import type { Api } from "./api";
import { eventText } from "./events";

export interface TradeEvent {
  kind: "trade" | "redeem";
  height: number;
  txhash: string;
  marketId: string;
  account: string;
  side: "buy" | "sell" | "";
  outcome: number;
  shares: bigint;
  /** Collateral that moved, fee included: paid for a buy, received for a sell or a redemption. */
  cash: bigint;
  fee: bigint;
  /** Prices after a trade (18-decimal strings). */
  prices: string[];
}

interface RawTx {
  height: string;
  txhash: string;
  code?: number;
  events?: { type: string; attributes: { key: string; value: string }[] }[];
}


/** The market events of indexed transactions, oldest first, each once. */
export function parseEvents(txs: RawTx[]): TradeEvent[] {
  const out: (TradeEvent & { key: string })[] = [];
  for (const tx of txs) {
    if (tx.code) continue;
    (tx.events ?? []).forEach((e, position) => {
      if (e.type !== "delphi.market.v1.EventTrade" && e.type !== "delphi.market.v1.EventRedeemed") return;
      const a = Object.fromEntries(e.attributes.map((x) => [x.key, x.value]));
      // An event is its transaction and its place in it: a transaction
      // that two searches both return (a redemption and a trade in one)
      // is counted once.
      const base = { key: `${tx.txhash}#${position}`, height: Number(tx.height), txhash: tx.txhash, marketId: eventText(a.market_id ?? '""') };
      if (e.type === "delphi.market.v1.EventRedeemed") {
        out.push({ ...base, kind: "redeem", account: eventText(a.owner), side: "", outcome: -1, shares: 0n, cash: BigInt(eventText(a.payout)), fee: 0n, prices: [] });
        return;
      }
      const side = eventText(a.side) === "SIDE_SELL" ? "sell" : "buy";
      const amount = BigInt(eventText(a.amount));
      const fee = BigInt(eventText(a.fee));
      out.push({
        ...base,
        kind: "trade",
        account: eventText(a.trader),
        side,
        outcome: Number(a.outcome ?? "0"),
        shares: BigInt(eventText(a.shares)),
        cash: side === "buy" ? amount + fee : amount - fee,
        fee,
        prices: a.prices ? (JSON.parse(a.prices) as string[]) : [],
      });
    });
  }
  const seen = new Set<string>();
  return out
    .filter((e) => !seen.has(e.key) && (seen.add(e.key), true))
    .sort((a, b) => a.height - b.height)
    .map(({ key: _, ...e }) => e);
}

/** Pages of 100 transactions read at most: 2,000 transactions per search. */
export const MAX_PAGES = 20;

export interface History {
  events: TradeEvent[];
  /** False when a search had more transactions than MAX_PAGES pages: the oldest are missing. */
  complete: boolean;
}

async function search(api: Api, query: string): Promise<{ txs: RawTx[]; complete: boolean }> {
  const q = encodeURIComponent(query);
  const txs: RawTx[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const r = await api.get<{ tx_responses?: RawTx[]; total?: string }>(`/cosmos/tx/v1beta1/txs?query=${q}&limit=100&page=${page}&order_by=ORDER_BY_DESC`);
    const got = r.tx_responses ?? [];
    txs.push(...got);
    if (got.length < 100 || txs.length >= Number(r.total ?? "0")) return { txs, complete: true };
  }
  return { txs, complete: false };
}

async function searches(api: Api, queries: string[]): Promise<History> {
  const found = await Promise.all(queries.map((q) => search(api, q)));
  return { events: parseEvents(found.flatMap((f) => f.txs)), complete: found.every((f) => f.complete) };
}

/** A market's trades and redemptions. */
export async function marketHistory(api: Api, marketId: string): Promise<History> {
  const h = await searches(api, [
    `delphi.market.v1.EventTrade.market_id='"${marketId}"'`,
    `delphi.market.v1.EventRedeemed.market_id='"${marketId}"'`,
  ]);
  return { ...h, events: h.events.filter((e) => e.marketId === marketId) };
}

/** An account's trades and redemptions in every market. */
export async function accountHistory(api: Api, owner: string): Promise<History> {
  const h = await searches(api, [`delphi.market.v1.EventTrade.trader='"${owner}"'`, `delphi.market.v1.EventRedeemed.owner='"${owner}"'`]);
  return { ...h, events: h.events.filter((e) => e.account === owner) };
}

export interface MarketPnl {
  marketId: string;
  /** Paid for buys, fees included. */
  spent: bigint;
  /** Received from sells and redemptions. */
  received: bigint;
  /** Shares still held per outcome, by the events. */
  held: Map<number, bigint>;
  redeemed: boolean;
  /**
   * received − spent once nothing is held (sold out or redeemed); null
   * while shares are held, or when the events cannot account for a sale
   * (more sold than bought: older trades are missing).
   */
  realized: bigint | null;
}

/** Realized profit and loss per market from one account's events. */
export function pnlByMarket(events: TradeEvent[]): MarketPnl[] {
  const by = new Map<string, MarketPnl>();
  for (const e of events) {
    let p = by.get(e.marketId);
    if (!p) by.set(e.marketId, (p = { marketId: e.marketId, spent: 0n, received: 0n, held: new Map(), redeemed: false, realized: null }));
    if (e.kind === "redeem") {
      p.received += e.cash;
      p.redeemed = true;
      p.held.clear();
      continue;
    }
    const h = p.held.get(e.outcome) ?? 0n;
    if (e.side === "buy") {
      p.spent += e.cash;
      p.held.set(e.outcome, h + e.shares);
    } else {
      p.received += e.cash;
      p.held.set(e.outcome, h - e.shares);
    }
  }
  for (const p of by.values()) {
    const holds = [...p.held.values()].some((s) => s !== 0n);
    p.realized = holds ? null : p.received - p.spent;
  }
  return [...by.values()].sort((a, b) => Number(a.marketId) - Number(b.marketId));
}
