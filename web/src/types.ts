// The REST shapes the app reads (grpc-gateway v2, proto field names, 64-bit
// integers as strings). Only the fields the app uses are declared.

export interface Market {
  id: string;
  evaluation_id: string;
  title: string;
  creator: string;
  funder: string;
  collateral_denom: string;
  liquidity: string;
  fee_bps: number;
  status: string;
  model_ids: string[];
  shares: string[];
  escrow: string;
  subsidy: string;
  volume: string;
  trade_count: string;
  holders: string;
  created_height: string;
  resolved_height: string;
  payout_numerators: string[];
  payout_denominator: string;
  funder_vault_id: string;
  reopen_blocks?: string;
  settle_deadline_height?: string;
}

// TradingState: whether a market trades at the queried height, when that
// changes next, and why not (heights as strings, "0" when unknown).
export interface TradingState {
  open?: boolean;
  reason?: string;
  closes_at?: string;
  reopens_at?: string;
}

export interface MarketResponse {
  market: Market;
  prices: string[];
  trading?: TradingState;
}

export interface PricePoint {
  height: string;
  prices: string[];
}

export interface Quote {
  shares: string;
  amount: string;
  fee: string;
  total: string;
  prices_after: string[];
}

export interface Position {
  market_id: string;
  owner: string;
  shares: string[];
  net_spent: string;
}

export interface Model {
  id: string;
  name: string;
  format: string;
  weights_sha256: string;
  weights_root: string;
  artifact_uris: string[];
  system_prompt: string;
  owner: string;
  training_record_hash: string;
}

export interface Benchmark {
  id: string;
  name: string;
  task: string;
  metric: string;
  item_count: string;
}

export interface Standing {
  model_id: string;
  correct: string;
  items: string;
  rank: number;
}

export interface Evaluation {
  id: string;
  benchmark_id: string;
  model_ids: string[];
  rounds: number;
  items_per_round: number;
  blocks_between_rounds: string;
  start_height: string;
  deadline_height: string;
  status: string;
  standings: Standing[];
  /** The reserved draw height of every round, in order. */
  draw_heights?: string[];
}

export interface Round {
  evaluation_id: string;
  round: number;
  start_height: string;
  status: string;
  attempt: number;
}

export interface Result {
  evaluation_id: string;
  round: number;
  model_id: string;
  correct: string;
  leaves: string;
  height: string;
  validators: string[];
  replaced: boolean;
}

export interface IndexScore {
  entry: { model_id: string; benchmark_id: string; evaluations: string; rounds: string; items: string; correct: string };
  accuracy: string;
  wilson_lower: string;
}

export interface ModelIndex {
  model_id: string;
  benchmarks: IndexScore[];
  aggregate: string;
}

export interface Party {
  correct: string;
  account: string;
  validators: string[];
}

export interface Dispute {
  id: string;
  evaluation_id: string;
  round: number;
  model_id: string;
  claimant: Party;
  challenger: Party;
  lo: string;
  hi: string;
  phase: string;
  status: string;
  opened_height: string;
  resolved_height: string;
  reason: string;
  history: unknown[];
}

export interface Vault {
  id: string;
  name: string;
  manager: string;
  collateral_denom: string;
  category: string[];
  subsidy_cap: string;
  min_fee_bps: number;
  rule: string;
  total_shares: string;
  idle: string;
  locked: string;
  returned: string;
  funded: string;
  markets: string;
}

export interface VaultMarket {
  vault_id: string;
  market_id: string;
  subsidy: string;
  returned: string;
  settled: boolean;
}

export interface Coin {
  denom: string;
  amount: string;
}

export interface ChainInfo {
  chain_id: string;
  bech32_prefix: string;
  bond_denom: string;
  collateral_denom: string;
  height: string;
}

export interface TxResponse {
  height: string;
  txhash: string;
  codespace: string;
  code: number;
  raw_log: string;
  /** The block's events of the transaction (typed events: JSON-quoted values). */
  events?: { type: string; attributes: { key: string; value: string }[] }[];
}
