// A typed client for the node's REST routes. The app is served by the node,
// so every call is same-origin; `base` exists for tests and the dev server.
import type {
  Benchmark, ChainInfo, Coin, Dispute, Evaluation, Market, MarketResponse, Model, ModelIndex,
  Position, PricePoint, Quote, Result, Round, TxResponse, Vault, VaultMarket,
} from "./types";

/** A REST call that failed; `message` is the node's own explanation. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: number,
  ) {
    super(message);
  }
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export class Api {
  constructor(
    private readonly base = "",
    private readonly fetcher: Fetch = (i, init) => fetch(i, init),
  ) {}

  async get<T>(path: string): Promise<T> {
    return this.call<T>(path);
  }

  /** A read as of block `height` (x-cosmos-block-height; 404 once the node has pruned it, 400 before it has it). */
  async getAt<T>(path: string, height: number | string): Promise<T> {
    return this.call<T>(path, { headers: { "x-cosmos-block-height": String(height) } });
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  }

  private async call<T>(path: string, init?: RequestInit): Promise<T> {
    let res: Response;
    try {
      res = await this.fetcher(this.base + path, init);
    } catch {
      throw new ApiError(0, "The node cannot be reached. Is it running?");
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      throw new ApiError(res.status, `The node answered ${res.status} with something that is not JSON.`);
    }
    if (!res.ok) {
      const b = body as { message?: string; code?: number };
      throw new ApiError(res.status, b.message || `HTTP ${res.status}`, b.code);
    }
    return body as T;
  }

  chainInfo = () => this.get<ChainInfo>("/delphi/chain/v1/info");
  markets = () => this.get<{ markets: Market[] }>("/delphi/market/v1/markets?pagination.limit=200").then((r) => r.markets);
  market = (id: string) => this.get<MarketResponse>(`/delphi/market/v1/markets/${id}`);
  /** The newest `limit` price points, oldest first (the chain keeps up to its max_history_points). */
  history = (id: string, limit = 2000) =>
    this.get<{ points: PricePoint[] }>(`/delphi/market/v1/markets/${id}/history?pagination.limit=${limit}&pagination.reverse=true`).then((r) =>
      r.points.slice().reverse(),
    );
  quote(id: string, side: "buy" | "sell", outcome: number, q: { amount?: bigint; shares?: bigint }) {
    const p = new URLSearchParams({ side, outcome: String(outcome) });
    if (q.amount !== undefined) p.set("amount", q.amount.toString());
    if (q.shares !== undefined) p.set("shares", q.shares.toString());
    return this.get<Quote>(`/delphi/market/v1/markets/${id}/quote?${p}`);
  }
  positions = (owner: string) =>
    this.get<{ positions: Position[] }>(`/delphi/market/v1/positions/${owner}?pagination.limit=200`).then((r) => r.positions);
  evaluation = (id: string) => this.get<{ evaluation: Evaluation }>(`/delphi/evaluation/v1/evaluations/${id}`).then((r) => r.evaluation);
  rounds = (id: string) => this.get<{ rounds: Round[] }>(`/delphi/evaluation/v1/evaluations/${id}/rounds`).then((r) => r.rounds);
  results = (id: string) => this.get<{ results: Result[] }>(`/delphi/evaluation/v1/evaluations/${id}/results`).then((r) => r.results);
  model = (id: string) => this.get<{ model: Model }>(`/delphi/evaluation/v1/models/${id}`).then((r) => r.model);
  models = () => this.get<{ models: Model[] }>(`/delphi/evaluation/v1/models?pagination.limit=500`).then((r) => r.models);
  benchmark = (id: string) => this.get<{ benchmark: Benchmark }>(`/delphi/evaluation/v1/benchmarks/${id}`).then((r) => r.benchmark);
  index = () => this.get<{ models: ModelIndex[] }>("/delphi/evaluation/v1/index").then((r) => r.models);
  modelIndex = (id: string) => this.get<{ index: ModelIndex }>(`/delphi/evaluation/v1/index/${id}`).then((r) => r.index);
  disputes = () => this.get<{ disputes: Dispute[] }>("/delphi/verde/v1/disputes?pagination.limit=500").then((r) => r.disputes);
  vaults = () => this.get<{ vaults: Vault[] }>("/delphi/vault/v1/vaults?pagination.limit=200").then((r) => r.vaults);
  vault = (id: string) =>
    this.get<{ vault: Vault; share_price: string; deposit_price?: string; deposits_paused?: string }>(`/delphi/vault/v1/vaults/${id}`);
  vaultAt = (id: string, height: number) => this.getAt<{ share_price: string }>(`/delphi/vault/v1/vaults/${id}`, height);
  vaultMarkets = (id: string) => this.get<{ markets: VaultMarket[] }>(`/delphi/vault/v1/vaults/${id}/markets`).then((r) => r.markets);
  depositor = (id: string, addr: string) => this.get<{ shares: string; value: string }>(`/delphi/vault/v1/vaults/${id}/depositors/${addr}`);
  balances = (addr: string) =>
    this.get<{ balances: Coin[] }>(`/cosmos/bank/v1beta1/balances/${addr}`).then((r) => r.balances);
  account = (addr: string) =>
    this.get<{ account: { account_number?: string; sequence?: string } }>(`/cosmos/auth/v1beta1/accounts/${addr}`).then((r) => r.account);
  minGasPrice = () => this.get<{ minimum_gas_price: string }>("/cosmos/base/node/v1beta1/config").then((r) => r.minimum_gas_price);
  simulate = (txBytes: string) =>
    this.post<{ gas_info: { gas_used: string } }>("/cosmos/tx/v1beta1/simulate", { tx_bytes: txBytes }).then((r) => r.gas_info);
  broadcast = (txBytes: string) =>
    this.post<{ tx_response: TxResponse }>("/cosmos/tx/v1beta1/txs", { tx_bytes: txBytes, mode: "BROADCAST_MODE_SYNC" }).then(
      (r) => r.tx_response,
    );
  tx = (hash: string) => this.get<{ tx_response: TxResponse }>(`/cosmos/tx/v1beta1/txs/${hash}`).then((r) => r.tx_response);
}
