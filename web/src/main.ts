// Boot: learn the chain and the node's websocket, then render the page the
// URL's hash names, and re-render on navigation.
import "./style.css";
import { Api } from "./api";
import type { Context } from "./context";
import { errorBox, h } from "./dom";
import { LiveFeed } from "./events";
import { parseRoute } from "./router";
import { marketsPage } from "./pages/markets";
import { marketPage } from "./pages/market";
import { modelPage } from "./pages/model";
import { vaultsPage } from "./pages/vaults";
import { portfolioPage } from "./pages/portfolio";
import { mountWallet } from "./pages/wallet";
import { describeFailure, errorPage } from "./pages/error";

interface NodeConfig {
  rpc_port: number;
  rpc_path: string;
}

async function boot() {
  const main = document.getElementById("main")!;
  const api = new Api();
  let chain;
  let conf: NodeConfig = { rpc_port: 0, rpc_path: "/websocket" };
  try {
    [chain, conf] = await Promise.all([api.chainInfo(), fetch("config.json").then((r) => r.json() as Promise<NodeConfig>).catch(() => conf)]);
  } catch (e) {
    main.replaceChildren(errorBox(`Cannot read the chain: ${(e as Error).message}`));
    return;
  }
  // The skip link must not go through the hash router.
  document.querySelector(".skip")?.addEventListener("click", (ev) => {
    ev.preventDefault();
    main.focus();
  });
  const live = document.getElementById("live")!;
  let feed: LiveFeed | null = null;
  // Without an RPC port (a node whose RPC listens on a unix socket) there are
  // no live updates; pages show the state as of their last load.
  live.textContent = "no live feed: reload for new blocks";
  if (conf.rpc_port > 0) {
    const proto = location.protocol === "https:" ? "wss" : "ws";
    feed = new LiveFeed(`${proto}://${location.hostname}:${conf.rpc_port}${conf.rpc_path}`, (on, height) => {
      live.textContent = on ? (height ? `live · block ${height}` : "live") : "reconnecting…";
      live.className = on ? "live on" : "live";
    });
    feed.start();
  }
  const endpoints = {
    rest: location.origin,
    rpc: conf.rpc_port > 0 ? `${location.protocol}//${location.hostname}:${conf.rpc_port}` : location.origin,
  };
  const ctx: Context = { api, chain, endpoints, feed, wallet: null, onWallet: new Set(), models: new Map() };
  mountWallet(ctx, document.getElementById("wallet")!);

  let cleanup: () => void = () => {};
  let generation = 0;
  const render = async () => {
    const gen = ++generation;
    cleanup();
    cleanup = () => {};
    const route = parseRoute(location.hash);
    document.querySelectorAll("header nav a").forEach((a) => {
      const target = parseRoute((a as HTMLAnchorElement).hash).page;
      a.toggleAttribute("aria-current", target === route.page || (target === "markets" && route.page === "market"));
    });
    const view = h("div", { class: "page" });
    main.replaceChildren(view);
    try {
      let undo: () => void;
      switch (route.page) {
        case "markets":
          undo = await marketsPage(ctx, view);
          break;
        case "market":
          undo = await marketPage(route.id)(ctx, view);
          break;
        case "model":
          undo = await modelPage(route.id)(ctx, view);
          break;
        case "vaults":
          undo = await vaultsPage(ctx, view);
          break;
        case "portfolio":
          undo = await portfolioPage(route.address)(ctx, view);
          break;
        case "badaddress":
          errorPage(view, "Not an address", `"${route.input}" is not an account address: addresses look like ${chain.bech32_prefix}1… (39 or more characters).`);
          undo = () => {};
          break;
        default:
          errorPage(view, "Page not found", `There is no page at ${route.path}.`);
          undo = () => {};
      }
      if (gen !== generation) undo();
      else cleanup = undo;
    } catch (e) {
      if (gen === generation) {
        const { title, message } = describeFailure(route, e);
        errorPage(view, title, message);
      }
    }
  };
  window.addEventListener("hashchange", () => {
    void render();
    main.focus({ preventScroll: true });
  });
  await render();
}

void boot();
