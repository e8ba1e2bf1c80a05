// End-to-end: Debian's Chromium, driven by playwright-core, against a real
// one-validator chain with its evaluator sidecar (scripts/web-chain.sh starts
// it and passes its addresses in the environment; `make test-web` runs both).
// Screenshots go to web/artifacts/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { chromium } from "playwright-core";

const env = (k) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is not set: run this through scripts/web-e2e.sh (make test-web)`);
  return v;
};
const APP = env("APP_URL");
const ART = new URL("../artifacts/", import.meta.url).pathname;
mkdirSync(ART, { recursive: true });

let browser, page;
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

test("quote as you type, and a clear error when funds are short", async () => {
  assert.equal(await page.locator("[data-testid=market-status]").textContent(), "open", "market 1 still trades");
  await page.click("text=Import key");
  await page.fill("#secret", env("DAVE_KEY_HEX"));
  await page.click("form.import button[type=submit]");
  await page.locator("[data-testid=balance]", { hasText: "1 USDC" }).waitFor();
  await page.selectOption("#trade-outcome", "1");
  await page.fill("#trade-amount", "5");
  await page.locator("[data-testid=quote]", { hasText: "You get" }).waitFor();
  await page.click("form.trade button[type=submit]");
  await page.locator("[data-testid=trade-result] .error", { hasText: "Insufficient funds" }).waitFor();
  await shot("03-insufficient-funds");
  await page.fill("#trade-amount", "1.0000001");
  await page.locator("[data-testid=quote] .error", { hasText: "At most 6 decimals" }).waitFor();
  await page.click("text=Forget key");
});

test("a buy from the browser moves the price and opens a position", async () => {
  await page.click("text=Import key");
  await page.fill("#secret", env("BOB_KEY_HEX"));
  await page.click("form.import button[type=submit]");
  await page.locator("[data-testid=address]").waitFor();
  assert.equal(await page.locator("[data-testid=address]").getAttribute("title"), env("BOB"));
  const before = await pct("[data-testid=price-1]");
  await page.selectOption("#trade-outcome", "1");
  await page.fill("#trade-amount", "2");
  await page.locator("[data-testid=quote]", { hasText: "You get" }).waitFor();
  await page.click("form.trade button[type=submit]");
  await page.locator("[data-testid=trade-result] .ok", { hasText: "Bought iris-mlp" }).waitFor({ timeout: 40000 });
  await page.waitForFunction((b) => parseFloat(document.querySelector("[data-testid=price-1]").textContent) > b + 1, before);
  const pos = page.locator("[data-testid=position] tr", { hasText: "iris-mlp" });
  await pos.waitFor();
  assert.doesNotMatch(await pos.textContent(), /iris-mlp\s*0$/);
  await shot("04-bought");
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

test("the portfolio values the position at current prices", async () => {
  await page.click("nav >> text=Portfolio");
  const row = page.locator("[data-testid=positions] tr", { hasText: "iris: logreg or mlp?" });
  await row.waitFor();
  assert.match(await row.textContent(), /iris-mlp: \d/);
  const value = parseFloat((await page.locator("[data-testid=positions-value]").textContent()).replace(/,/g, ""));
  assert.ok(value > 0, `the position is worth something (${value})`);
  await shot("06-portfolio");
});

test("model and vault pages show registry data and funding", async () => {
  await page.goto(`${APP}#/models/2`);
  await page.locator("[data-testid=model]").waitFor();
  assert.match(await page.locator("[data-testid=model]").textContent(), /onnx/);
  await page.click("nav >> text=Vaults");
  const vault = page.locator("[data-testid=vault-1]");
  await vault.waitFor();
  assert.match(await vault.textContent(), /iris makers/);
  assert.match(await vault.textContent(), /market 1/);
  await shot("07-vaults");
});

test("a settled market closes trading and pays out on redeem", async () => {
  await page.goto(`${APP}#/markets/${env("SPRINT_MARKET_ID")}`);
  await page.locator("[data-testid=market-status]", { hasText: "resolved" }).waitFor({ timeout: 120000 });
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
});

test("the dispute timeline shows the byzantine sidecar losing", { skip: !process.env.WEB_CHAIN_FAULTY && "no faulty validator" }, async () => {
  await page.goto(`${APP}#/markets/${env("SPRINT_MARKET_ID")}`);
  const item = page.locator("[data-testid=disputes] li", { hasText: "won at block" }).first();
  await item.waitFor({ timeout: 120000 });
  assert.match(await item.textContent(), /over iris-mlp, round \d/);
  await shot("09-disputes");
});

test("pages fit a phone screen and every control has a name", async () => {
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
  }
  await shot("10-phone-market");
});
