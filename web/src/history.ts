// Trade history from the node's transaction index: every EventTrade and
// EventRedeemed a market or an account took part in (REST
// /cosmos/tx/v1beta1/txs?query=...), and the realized profit and loss per
// market that follows from them. Events survive what the state forgets: a
// redeemed position is deleted on chain, its history is not.
import type { Api } from "./api";

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

const unquote = (v: string) => (v.startsWith('"') ? (JSON.parse(v) as string) : v);

/** The market events of indexed transactions, oldest first. */
export function parseEvents(txs: RawTx[]): TradeEvent[] {
  const out: TradeEvent[] = [];
  for (const tx of txs) {
    if (tx.code) continue;
    for (const e of tx.events ?? []) {
      if (e.type !== "delphi.market.v1.EventTrade" && e.type !== "delphi.market.v1.EventRedeemed") continue;
      const a = Object.fromEntries(e.attributes.map((x) => [x.key, x.value]));
      const base = { height: Number(tx.height), txhash: tx.txhash, marketId: unquote(a.market_id ?? '""') };
      if (e.type === "delphi.market.v1.EventRedeemed") {
        out.push({ ...base, kind: "redeem", account: unquote(a.owner), side: "", outcome: -1, shares: 0n, cash: BigInt(unquote(a.payout)), fee: 0n, prices: [] });
        continue;
      }
      const side = unquote(a.side) === "SIDE_SELL" ? "sell" : "buy";
      const amount = BigInt(unquote(a.amount));
      const fee = BigInt(unquote(a.fee));
      out.push({
        ...base,
        kind: "trade",
        account: unquote(a.trader),
        side,
        outcome: Number(a.outcome ?? "0"),
        shares: BigInt(unquote(a.shares)),
        cash: side === "buy" ? amount + fee : amount - fee,
        fee,
        prices: a.prices ? (JSON.parse(a.prices) as string[]) : [],
      });
    }
  }
  // One event per (tx, type, market, account): a transaction found by two queries counts once.
  const seen = new Set<string>();
  return out
    .filter((e) => {
      const k = `${e.txhash}/${e.kind}/${e.marketId}/${e.account}/${e.outcome}/${e.shares}/${e.cash}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => a.height - b.height);
}

async function search(api: Api, query: string): Promise<TradeEvent[]> {
  const q = encodeURIComponent(query);
  const r = await api.get<{ tx_responses?: RawTx[] }>(`/cosmos/tx/v1beta1/txs?query=${q}&limit=100&page=1&order_by=ORDER_BY_DESC`);
  return parseEvents(r.tx_responses ?? []);
}

/** A market's trades and redemptions (its last 100 transactions). */
export async function marketHistory(api: Api, marketId: string): Promise<TradeEvent[]> {
  const [trades, redeems] = await Promise.all([
    search(api, `delphi.market.v1.EventTrade.market_id='"${marketId}"'`),
    search(api, `delphi.market.v1.EventRedeemed.market_id='"${marketId}"'`),
  ]);
  return parseMerge(trades, redeems).filter((e) => e.marketId === marketId);
}

/** An account's trades and redemptions in every market (its last 100 of each). */
export async function accountHistory(api: Api, owner: string): Promise<TradeEvent[]> {
  const [trades, redeems] = await Promise.all([
    search(api, `delphi.market.v1.EventTrade.trader='"${owner}"'`),
    search(api, `delphi.market.v1.EventRedeemed.owner='"${owner}"'`),
  ]);
  return parseMerge(trades, redeems).filter((e) => e.account === owner);
}

function parseMerge(a: TradeEvent[], b: TradeEvent[]): TradeEvent[] {
  return [...a, ...b].sort((x, y) => x.height - y.height);
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
  /** received − spent once nothing is held (sold out or redeemed); null while shares are held. */
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
    const holds = [...p.held.values()].some((s) => s > 0n);
    p.realized = holds ? null : p.received - p.spent;
  }
  return [...by.values()].sort((a, b) => Number(a.marketId) - Number(b.marketId));
}
