// End-to-end: Debian's Chromium, driven by playwright-core, against a real
// one-validator chain with its evaluator sidecar (scripts/web-chain.sh starts
// it and passes its addresses in the environment; `make test-web` runs both).
// Screenshots go to web/artifacts/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { injectWallet } from "./wallet-provider.mjs";

const env = (k) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is not set: run this through scripts/web-e2e.sh (make test-web)`);
  return v;
};
const APP = env("APP_URL");
const ART = new URL("../artifacts/", import.meta.url).pathname;
mkdirSync(ART, { recursive: true });

let browser, page, wallet;
const pageErrors = [];
const shot = (name) => page.screenshot({ path: `${ART}${name}.png`, fullPage: true });
const pct = async (sel) => parseFloat(await page.locator(sel).textContent());

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(20000);
  page.on("pageerror", (e) => pageErrors.push(e.message));
  // Bob's wallet is a browser extension (window.keplr); Dave pastes a key,
  // which only a local chain's page accepts.
  wallet = await injectWallet(page, { kind: "keplr", hexKey: env("BOB_KEY_HEX"), name: "bob" });
});

after(async () => {
  await browser?.close();
  assert.deepEqual(pageErrors, [], "the app threw no uncaught errors");
});

test("the markets list shows the seeded markets and paints fast", async () => {
  await page.goto(APP);
  const row = page.locator("[data-testid=markets] tr", { hasText: "iris: logreg or mlp?" });
  await row.waitFor();
  assert.match(await row.textContent(), /open/);
  const paint = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? -1);
  const ready = await page.evaluate(() => performance.now());
  writeFileSync(`${ART}timings.json`, JSON.stringify({ first_contentful_paint_ms: paint, markets_table_ms: ready }, null, 2));
  console.log(`first contentful paint ${paint.toFixed(0)} ms; markets table by ${ready.toFixed(0)} ms`);
  assert.ok(paint > 0, "the browser reports a first contentful paint");
  await shot("01-markets");
});

test("a market page shows prices, a live chart, when trading closes, and rounds", async () => {
  await page.click("text=iris: logreg or mlp?");
  await page.locator("[data-testid=prices]").waitFor();
  assert.equal(await page.locator(".chart canvas").count() > 0, true, "the chart is drawn");
  await page.locator("#live", { hasText: "live · block" }).waitFor();
  const p0 = await pct("[data-testid=price-0]");
  const p1 = await pct("[data-testid=price-1]");
  assert.ok(Math.abs(p0 + p1 - 100) < 0.2, `prices sum to 100% (${p0} + ${p1})`);
  assert.ok(p0 > p1, "carol's seeded buy of model 0 moved its price up");
  assert.match(await page.locator("[data-testid=trading-note]").textContent(), /Trading closes at block \d+/);
  await shot("02-market");
  // The sprint market's rounds run while this one waits for its first.
  await page.goto(`${APP}#/markets/${env("SPRINT_MARKET_ID")}`);
  await page.locator("[data-testid=rounds]").waitFor({ timeout: 60000 });
  await page.goto(`${APP}#/markets/${env("MARKET_ID")}`);
  await page.locator("[data-testid=prices]").waitFor();
});

test("quote as you type: a spend the balance cannot pay is stopped before signing", async () => {
  assert.equal(await page.locator("[data-testid=market-status]").textContent(), "open", "market 1 still trades");
  await page.click("text=Import key");
  await page.fill("#secret", env("DAVE_KEY_HEX"));
  await page.click("form.import button[type=submit]");
  await page.locator("[data-testid=balance]", { hasText: "1 USDC" }).waitFor();
  assert.equal(await page.locator("[data-testid=wallet-kind]").textContent(), "(key in this tab)");
  await page.selectOption("#trade-outcome", "1");
  await page.fill("#trade-amount", "5");
  await page.locator("[data-testid=quote-blocked]", { hasText: "Your balance is 1 USDC: not enough" }).waitFor();
  assert.equal(await page.locator("form.trade button[type=submit]").isDisabled(), true, "Buy stays disabled");
  await shot("03-insufficient-funds");
  await page.fill("#trade-amount", "1.0000001");
  await page.locator("[data-testid=quote] .error", { hasText: "At most 6 decimals" }).waitFor();
  await page.fill("#trade-amount", "");
  await page.click("text=Forget key");
});

test("a buy through the Keplr wallet moves the price, opens a position and enters the history", async () => {
  await page.click("[data-testid=connect-keplr]");
  await page.locator("[data-testid=address]").waitFor();
  assert.equal(await page.locator("[data-testid=address]").getAttribute("title"), env("BOB"));
  assert.equal(await page.locator("[data-testid=wallet-kind]").textContent(), "(Keplr)");
  // The wallet was told about the chain before it was asked to enable it.
  const chain = wallet.suggested.at(-1);
  assert.equal(chain.chainId, env("CHAIN_ID"));
  assert.equal(chain.bech32Config.bech32PrefixAccAddr, "delphi");
  assert.equal(chain.rest, new URL(APP).origin);
  assert.deepEqual(chain.currencies.map((c) => c.coinMinimalDenom), ["udelphi", "uusdc"]);
  assert.deepEqual(wallet.enabled, [env("CHAIN_ID")]);

  const before = await pct("[data-testid=price-1]");
  await page.selectOption("#trade-outcome", "1");
  await page.fill("#trade-amount", "2");
  await page.locator("[data-testid=quote]", { hasText: "You get" }).waitFor();
  assert.equal(await page.locator("[data-testid=quote-warning]").count(), 0, "an ordinary buy carries no warning");
  assert.equal(await page.locator("#trade-anyway").isVisible(), false, "nor asks to trade anyway");
  await page.click("form.trade button[type=submit]");
  await page.locator("[data-testid=trade-result] .ok", { hasText: "Bought iris-mlp" }).waitFor({ timeout: 40000 });
  assert.ok(wallet.signed >= 1, "the wallet signed it");
  assert.deepEqual(wallet.signerOptions.at(-1), { preferNoSetFee: true }, "the app's fee is kept");
  // What the wallet signed, decoded with the generated client: the buy the page showed.
  const msg = wallet.messages.at(-1);
  assert.equal(msg["@type"], "/delphi.market.v1.MsgBuyForAmount");
  assert.equal(msg.trader, env("BOB"));
  assert.equal(msg.marketId, env("MARKET_ID"));
  assert.equal(msg.outcome, 1);
  assert.equal(msg.amount, "2000000");
  assert.ok(BigInt(msg.minShares) > 0n, "a slippage floor was set");
  await page.waitForFunction((b) => parseFloat(document.querySelector("[data-testid=price-1]").textContent) > b + 1, before);
  const pos = page.locator("[data-testid=position] tr", { hasText: "iris-mlp" });
  await pos.waitFor();
  assert.doesNotMatch(await pos.textContent(), /iris-mlp\s*0$/);
  const mine = page.locator("[data-testid=market-history] tr", { hasText: "you" }).first();
  await mine.waitFor({ timeout: 20000 });
  assert.match(await mine.textContent(), /buy.*iris-mlp/);
  await shot("04-bought");
});

test("a buy that pushes a price to ~100% is warned about before it can be sent", async () => {
  await page.selectOption("#trade-outcome", "1");
  await page.fill("#trade-amount", "60");
  const warning = page.locator("[data-testid=quote-warning]", { hasText: "pushes iris-mlp to" });
  await warning.waitFor();
  const buy = page.locator("form.trade button[type=submit]");
  assert.equal(await buy.isDisabled(), true, "Buy waits for the tick");
  await page.check("#trade-anyway");
  assert.equal(await buy.isDisabled(), false);
  await shot("04b-price-warning");
  await page.fill("#trade-amount", "");
});

test("slippage beyond the tolerance is refused with a clear error", async () => {
  await page.fill("#trade-slippage", "0");
  await page.fill("#trade-amount", "1");
  await page.locator("[data-testid=quote]", { hasText: "You get" }).waitFor();
  const before = await pct("[data-testid=price-1]");
  // Someone else buys the same model between the quote and the click.
  const delphid = process.env.DELPHID ?? "build/delphid";
  execFileSync(delphid, ["tx", "market", "buy-for", env("MARKET_ID"), "1", "3000000", "0", "--from", "alice", "--chain-id", env("CHAIN_ID"),
    "--node", env("RPC").replace("http", "tcp"), "--home", env("HOME0"), "--keyring-backend", "test", "--yes", "--gas", "1000000"],
    { cwd: new URL("../..", import.meta.url).pathname, stdio: "pipe" });
  await page.waitForFunction((b) => parseFloat(document.querySelector("[data-testid=price-1]").textContent) > b, before, { timeout: 30000 });
  await page.click("form.trade button[type=submit]");
  await page.locator("[data-testid=trade-result] .error", { hasText: "slippage tolerance" }).waitFor();
  await shot("05-slippage");
});

test("the portfolio values the position and lists its history with realized P&L", async () => {
  await page.click("nav >> text=Portfolio");
  const row = page.locator("[data-testid=positions] tr", { hasText: "iris: logreg or mlp?" });
  await row.waitFor();
  assert.match(await row.textContent(), /iris-mlp: \d/);
  const value = parseFloat((await page.locator("[data-testid=positions-value]").textContent()).replace(/,/g, ""));
  assert.ok(value > 0, `the position is worth something (${value})`);
  const bought = page.locator("[data-testid=history] tr", { hasText: "iris: logreg or mlp?" }).first();
  await bought.waitFor();
  assert.match(await bought.textContent(), /buy.*iris-mlp/);
  // Market 1 is still held: its P&L is open, not realized.
  assert.match(await page.locator("[data-testid=pnl] tr", { hasText: "iris: logreg or mlp?" }).textContent(), /open$/);
  await shot("06-portfolio");
});

test("model and vault pages: registry data, funding, share price history, deposit and withdraw", async () => {
  await page.goto(`${APP}#/models/2`);
  await page.locator("[data-testid=model]").waitFor();
  assert.match(await page.locator("[data-testid=model]").textContent(), /onnx/);
  await page.click("nav >> text=Vaults");
  const vault = page.locator("[data-testid=vault-1]");
  await vault.waitFor();
  assert.match(await vault.textContent(), /iris makers/);
  assert.match(await vault.textContent(), /market 1/);
  // The history reads the vault at past heights.
  await page.locator("[data-testid=vault-1-history-summary]").waitFor({ timeout: 30000 });
  assert.match(await page.locator("[data-testid=vault-1-history-summary]").textContent(), /from block \d+ to \d+/);
  assert.equal(await page.locator("[data-testid=vault-1-history] svg polyline").count(), 1);

  const stake = async () => parseFloat((await page.locator("[data-testid=vault-1-stake]").textContent()).replace(/,/g, ""));
  const before = await stake();
  await page.fill("#vault-1-deposit", "5");
  await page.click("[data-testid=vault-1-actions] form:has(#vault-1-deposit) button[type=submit]");
  await page.locator("[data-testid=vault-1-result] .ok", { hasText: "Deposited 5 USDC" }).waitFor({ timeout: 40000 });
  await page.waitForFunction((b) => parseFloat(document.querySelector("[data-testid=vault-1-stake]").textContent.replace(/,/g, "")) > b + 4.9, before);
  await page.fill("#vault-1-withdraw", "3");
  await page.click("[data-testid=vault-1-actions] form:has(#vault-1-withdraw) button[type=submit]");
  // 3 USDC of a vault with ~35 USDC idle: paid at once, no queue.
  assert.equal(await page.locator("[data-testid=vault-1-queue-warning]").isVisible(), false);
  await page.locator("[data-testid=vault-1-result] .ok", { hasText: /Withdrew (3|2\.99\d*) USDC in block/ }).waitFor({ timeout: 40000 });
  await shot("07-vaults");
});

test("a settled market shows its winner, pays out on redeem, and keeps the redemption in the history", async () => {
  await page.goto(`${APP}#/markets/${env("SPRINT_MARKET_ID")}`);
  await page.locator("[data-testid=market-status]", { hasText: "resolved" }).waitFor({ timeout: 120000 });
  const banner = page.locator("[data-testid=settled-banner]");
  await banner.waitFor();
  assert.match(await banner.textContent(), /(won|tied).*Each share of .* pays/s);
  assert.equal(await page.locator("[data-testid=prices] th", { hasText: "Payout per share" }).count(), 1, "prices are labelled as payouts");
  await page.locator("text=Trading closed").waitFor();
  await page.locator("[data-testid=standings]").waitFor();
  const cash = async () => {
    const t = await page.locator("[data-testid=balance]").textContent();
    return parseFloat(t.replace(/,/g, ""));
  };
  const before = await cash();
  await page.click("button:has-text('Redeem')");
  await page.locator("text=Redeemed in block").waitFor({ timeout: 40000 });
  await page.waitForFunction((b) => parseFloat(document.querySelector("[data-testid=balance]").textContent.replace(/,/g, "")) > b, before);
  await shot("08-redeemed");
  // The position is gone from the chain; the portfolio's history keeps it, realized.
  await page.goto(`${APP}#/portfolio`);
  const pnl = page.locator("[data-testid=pnl] tr", { hasText: "iris sprint" });
  await pnl.waitFor();
  assert.match(await pnl.textContent(), /resolved, redeemed/);
  assert.doesNotMatch(await pnl.textContent(), /open$/);
  assert.equal(await page.locator("[data-testid=history] tr", { hasText: "redeem" }).count() >= 1, true);
  await shot("08b-history");
});

test("error pages name the problem and lead back", async () => {
  for (const [route, heading] of [
    ["#/markets/99999", "Market not found"],
    ["#/portfolio/not-an-address", "Not an address"],
    ["#/portfolio/cosmos1hzjdgsn0smvmhvvt9w6lc2mcvhajc6z2kq4l0z", "Not an address on this chain"],
    ["#/nowhere", "Page not found"],
  ]) {
    await page.goto(`${APP}${route}`);
    const err = page.locator("[data-testid=error-page]");
    await err.waitFor();
    assert.equal(await err.locator("h1").textContent(), heading, route);
    assert.ok((await err.locator("p").first().textContent()).length > 10, `${route} says what is wrong`);
    assert.equal(await err.locator("a[href='#/']").count(), 1, `${route} leads back`);
  }
  await shot("11-not-found");
});

test("the dispute timeline shows the byzantine sidecar losing", { skip: !process.env.WEB_CHAIN_FAULTY && "no faulty validator" }, async () => {
  await page.goto(`${APP}#/markets/${env("SPRINT_MARKET_ID")}`);
  const item = page.locator("[data-testid=disputes] li", { hasText: "decided at block" }).first();
  await item.waitFor({ timeout: 120000 });
  const text = await item.textContent();
  // In words: whose claim, which model and round, the verdict, who paid — by moniker, no enums.
  assert.match(text, /reported that iris-mlp got \d+ right in round \d/);
  assert.match(text, /slashed and jailed/);
  assert.match(text, /node\d/);
  assert.doesNotMatch(text, /DISPUTE_STATUS|PHASE_/);
  await shot("09-disputes");
});

test("pages fit a phone screen: no sideways scroll, tables as cards, no word broken, every control named", async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  // Each route with a marker that only its fully drawn page has.
  for (const [route, marker] of [
    ["#/", "[data-testid=markets]"],
    [`#/markets/${env("MARKET_ID")}`, "[data-testid=prices]"],
    [`#/markets/${env("SPRINT_MARKET_ID")}`, "[data-testid=rounds]"],
    ["#/vaults", "[data-testid=vault-1]"],
    ["#/portfolio", "[data-testid=positions]"],
  ]) {
    await page.goto(`${APP}${route}`);
    await page.locator(marker).waitFor();
    // Market 1 trades throughout (its first round is drawn 600 blocks out).
    if (route === `#/markets/${env("MARKET_ID")}`) await page.locator("#trade-amount").waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${route} scrolls sideways by ${overflow}px on a phone`);
    const unnamed = await page.evaluate(() =>
      [...document.querySelectorAll("input, select, button, a[href]")]
        .filter((el) => {
          const label = el.id && document.querySelector(`label[for="${el.id}"]`);
          return !label && !el.getAttribute("aria-label") && !(el.textContent ?? "").trim() && !el.getAttribute("title");
        })
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    assert.deepEqual(unnamed, [], `${route}: controls without an accessible name`);
    // Tables become cards: a cell is a block with its column's label.
    const rows = await page.evaluate(() =>
      [...document.querySelectorAll("main table.cards td")].slice(0, 20).map((td) => [getComputedStyle(td).display, td.getAttribute("data-label")]),
    );
    assert.ok(rows.length > 0, `${route} has a table to check`);
    for (const [display, label] of rows) {
      assert.notEqual(display, "table-cell", `${route}: a table stays a table on a phone`);
      assert.ok(label !== null, `${route}: a card cell without its column label`);
    }
    // No word is broken across lines: every word of the page's text lies
    // on one line (hashes and addresses, in .mono, may wrap anywhere).
    const broken = await page.evaluate(() => {
      const out = [];
      const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.parentElement.closest(".mono, svg, script, style, [hidden]")) continue;
        const text = n.textContent;
        const re = /\S+/g;
        for (let m = re.exec(text); m; m = re.exec(text)) {
          if (m[0].length < 2) continue;
          const r = document.createRange();
          r.setStart(n, m.index);
          r.setEnd(n, m.index + m[0].length);
          const tops = new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top)));
          if (tops.size > 1) out.push(m[0]);
        }
      }
      return out;
    });
    assert.deepEqual(broken, [], `${route}: words broken across lines on a phone`);
    await shot(`10-phone${route.replace(/[#/]+/g, "-")}`);
  }
  // Between phone and desktop a wide table scrolls inside its box, and says so.
  await page.setViewportSize({ width: 700, height: 900 });
  await page.goto(`${APP}#/markets/${env("SPRINT_MARKET_ID")}`);
  await page.locator("[data-testid=market-history]").waitFor();
  await page.waitForTimeout(300); // the tables' resize observers report after layout
  const cues = await page.evaluate(() =>
    [...document.querySelectorAll(".table-wrap")].map((w) => {
      const t = w.querySelector("table");
      const cue = w.querySelector(".scroll-cue");
      return { scrolls: t.scrollWidth > w.clientWidth + 1, cue: getComputedStyle(cue).display !== "none" };
    }),
  );
  for (const c of cues) assert.equal(c.cue, c.scrolls, "a cue exactly where a table scrolls");
  await shot("10-tablet-market");
  await page.setViewportSize({ width: 1280, height: 900 });
});
