// Live updates from the node's CometBFT websocket: one subscription to
// NewBlock carries the block's height, every transaction's events (trades)
// and the block's own events (rounds, settlement, disputes).

export interface Attribute {
  key: string;
  value: string;
}

export interface AbciEvent {
  type: string;
  attributes: Attribute[];
}

export interface Trade {
  marketId: string;
  trader: string;
  side: string;
  outcome: number;
  shares: string;
  amount: string;
  prices: string[];
}

export interface BlockUpdate {
  height: number;
  trades: Trade[];
  /** Types of every event in the block (block-level and transactions'), deduplicated. */
  eventTypes: string[];
  /** Market ids named by any delphi.market.v1 event in the block. */
  marketIds: string[];
}

// Typed events carry JSON values: "\"1\"" for a uint64, "[\"0.5\"]" for a list.
function jsonValue(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** A typed event's attribute as text: a JSON string is decoded (`"\"1\""` → "1"); anything else stays as written. */
export function eventText(v: string): string {
  const j = jsonValue(v);
  return typeof j === "string" ? j : v;
}

function attrs(e: AbciEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of e.attributes ?? []) out[a.key] = jsonValue(a.value);
  return out;
}

export function parseTrade(e: AbciEvent): Trade | null {
  if (e.type !== "delphi.market.v1.EventTrade") return null;
  const a = attrs(e);
  const prices = Array.isArray(a.prices) ? a.prices.map(String) : [];
  if (a.market_id === undefined || prices.length === 0) return null;
  return {
    marketId: String(a.market_id),
    trader: String(a.trader ?? ""),
    side: String(a.side ?? ""),
    outcome: Number(a.outcome ?? 0),
    shares: String(a.shares ?? "0"),
    amount: String(a.amount ?? "0"),
    prices,
  };
}

/** Reads a websocket message; anything but a NewBlock event gives null. */
export function parseNewBlock(message: unknown): BlockUpdate | null {
  const data = (message as { result?: { data?: { type?: string; value?: any } } })?.result?.data;
  if (data?.type !== "tendermint/event/NewBlock") return null;
  const v = data.value;
  const height = Number(v?.block?.header?.height);
  if (!Number.isFinite(height)) return null;
  const fb = v.result_finalize_block ?? {};
  const events: AbciEvent[] = [...(fb.events ?? [])];
  for (const tx of fb.tx_results ?? []) {
    if ((tx.code ?? 0) === 0) events.push(...(tx.events ?? []));
  }
  const trades: Trade[] = [];
  const types = new Set<string>();
  const marketIds = new Set<string>();
  for (const e of events) {
    types.add(e.type);
    const t = parseTrade(e);
    if (t) trades.push(t);
    if (e.type.startsWith("delphi.market.v1.")) {
      const id = attrs(e).market_id;
      if (id !== undefined) marketIds.add(String(id));
    }
  }
  return { height, trades, eventTypes: [...types].sort(), marketIds: [...marketIds].sort() };
}

type Listener = (u: BlockUpdate) => void;

/**
 * A websocket subscription that reconnects with backoff. Listeners get every
 * block; `onStatus` says whether the feed is live, for the header badge.
 */
export class LiveFeed {
  private ws: WebSocket | null = null;
  private listeners = new Set<Listener>();
  private backoff = 500;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly onStatus: (live: boolean, height?: number) => void = () => {},
  ) {}

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    this.ws?.close();
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private connect() {
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.retry();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.backoff = 500;
      ws.send(JSON.stringify({ jsonrpc: "2.0", method: "subscribe", id: 1, params: { query: "tm.event='NewBlock'" } }));
      this.onStatus(true);
    };
    ws.onmessage = (m) => {
      let msg: unknown;
      try {
        msg = JSON.parse(String(m.data));
      } catch {
        return;
      }
      const u = parseNewBlock(msg);
      if (!u) return;
      this.onStatus(true, u.height);
      for (const l of this.listeners) l(u);
    };
    ws.onclose = () => {
      this.onStatus(false);
      this.retry();
    };
    ws.onerror = () => ws.close();
  }

  private retry() {
    if (this.stopped) return;
    setTimeout(() => this.connect(), this.backoff);
    this.backoff = Math.min(this.backoff * 2, 10000);
  }
}
