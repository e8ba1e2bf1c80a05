// What every page shares: the REST client, the chain's identity, the live
// feed, the imported key and a cache of model names.
import { Api } from "./api";
import type { LiveFeed } from "./events";
import type { Endpoints } from "./extension";
import type { ChainInfo, Model } from "./types";
import type { Wallet } from "./wallet";

export interface Context {
  api: Api;
  chain: ChainInfo;
  /** The node's RPC and REST addresses, as a browser wallet reaches them. */
  endpoints: Endpoints;
  feed: LiveFeed | null;
  wallet: Wallet | null;
  /** Listeners told when a key is imported or forgotten. */
  onWallet: Set<() => void>;
  models: Map<string, Model>;
}

/** Loads the named models into the cache (one REST call per missing model). */
export async function loadModels(ctx: Context, ids: string[]): Promise<void> {
  const missing = ids.filter((id) => !ctx.models.has(id));
  await Promise.all(
    missing.map(async (id) => {
      try {
        ctx.models.set(id, await ctx.api.model(id));
      } catch {
        // An unknown model is shown by its id.
      }
    }),
  );
}

export function modelName(ctx: Context, id: string): string {
  return ctx.models.get(id)?.name ?? `model ${id}`;
}

/** A page: renders into `main` and returns what to undo when it is left. */
export type Page = (ctx: Context, main: HTMLElement) => Promise<() => void>;
