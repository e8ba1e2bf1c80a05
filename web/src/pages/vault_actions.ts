// A vault's deposit and withdraw forms. A deposit spends collateral for
// shares at the deposit price (at least the estimate less 1%, so a price
// that moves against the depositor before the block refuses the deposit);
// a withdrawal burns shares for collateral at the share price (at least the
// estimate less 1%) when the vault's idle money covers it. Otherwise it
// joins the vault's queue and is paid when the markets it funded return
// their money, at the price of that day, with no floor: the form says so
// and asks for a tick first.
import type { Context } from "../context";
import { errorBox, h } from "../dom";
import { eventText } from "../events";
import { denomLabel, formatAmount, InputError, minAfterSlippage, parseAmount } from "../format";
import { encodeDeposit, encodeWithdraw } from "../msgs";
import { signAndBroadcast, TxError } from "../tx";
import type { TxResponse, Vault } from "../types";
import { sharesForDeposit, sharesForWithdrawal, valueOfShares } from "../vaultmath";

const TOLERANCE_BPS = 100;

export interface VaultPrices {
  share_price: string;
  deposit_price?: string;
  deposits_paused?: string;
}

/** The typed event the transaction emitted, with its attributes unquoted. */
function event(res: TxResponse, type: string): Record<string, string> | null {
  const e = (res.events ?? []).find((x) => x.type === type);
  if (!e) return null;
  return Object.fromEntries(e.attributes.map((a) => [a.key, eventText(a.value)]));
}

export interface VaultActions {
  el: HTMLElement;
  /** New prices, stake and idle money after a block; typed input and the last result stay. */
  update(prices: VaultPrices, held: bigint, idle: bigint): void;
}

export function vaultActions(ctx: Context, v: Vault, prices: VaultPrices, held: bigint, onDone: () => void): VaultActions {
  let idle = BigInt(v.idle);
  const d = v.collateral_denom;
  const id = v.id;
  const result = h("div", { "data-testid": `vault-${id}-result`, "aria-live": "assertive" });
  let busy = false;

  const run = async (what: string, input: HTMLInputElement, build: () => ReturnType<typeof encodeDeposit>, said: (res: TxResponse) => string) => {
    if (!ctx.wallet || busy) return;
    let msg;
    try {
      msg = build();
    } catch (e) {
      result.replaceChildren(errorBox((e as Error).message));
      return;
    }
    busy = true;
    result.replaceChildren(h("p", { class: "muted" }, `${what}: signing and broadcasting…`));
    try {
      const res = await signAndBroadcast(ctx.api, ctx.wallet, ctx.chain.chain_id, [msg]);
      result.replaceChildren(h("p", { class: "ok", role: "status" }, said(res)));
      input.value = "";
      queueOk.checked = false;
      queueRow.hidden = true;
      onDone();
    } catch (e) {
      result.replaceChildren(errorBox(e instanceof TxError ? e.message : `${what} failed: ${(e as Error).message}`));
    } finally {
      busy = false;
    }
  };

  const depositInput = h("input", { id: `vault-${id}-deposit`, inputmode: "decimal", autocomplete: "off", placeholder: "0.00", size: 10 });
  const depositForm = h(
    "form",
    { class: "row", "aria-label": `Deposit into ${v.name}` },
    h("label", { for: `vault-${id}-deposit` }, `Deposit (${denomLabel(d)})`),
    depositInput,
    h("button", { type: "submit" }, "Deposit"),
  );
  depositForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    void run(
      "The deposit",
      depositInput,
      () => {
        const amount = parseAmount(depositInput.value);
        const shares = sharesForDeposit(amount, prices.deposit_price ?? prices.share_price);
        return encodeDeposit({ depositor: ctx.wallet!.address, vaultId: BigInt(id), amount, minShares: minAfterSlippage(shares, TOLERANCE_BPS) });
      },
      (res) => {
        const e = event(res, "delphi.vault.v1.EventDeposited");
        return `Deposited ${formatAmount(e?.amount ?? "0", d)} in block ${res.height}.`;
      },
    );
  });

  const withdrawInput = h("input", { id: `vault-${id}-withdraw`, inputmode: "decimal", autocomplete: "off", placeholder: "0.00", size: 10 });
  const all = h("button", { type: "button", class: "link" }, "all");
  all.addEventListener("click", () => {
    withdrawInput.value = "all";
    withdrawInput.dispatchEvent(new Event("input"));
  });
  const queueOk = h("input", { type: "checkbox", id: `vault-${id}-queue-ok` });
  const queueRow = h(
    "div",
    { class: "row", hidden: true, "data-testid": `vault-${id}-queue-warning` },
    h("p", { class: "warning" }),
    queueOk,
    h("label", { for: `vault-${id}-queue-ok` }, "Queue what cannot be paid now"),
  );
  // A new amount needs its own confirmation.
  withdrawInput.addEventListener("input", () => {
    queueOk.checked = false;
    queueRow.hidden = true;
  });
  const withdrawForm = h(
    "form",
    { class: "row", "aria-label": `Withdraw from ${v.name}` },
    h("label", { for: `vault-${id}-withdraw` }, `Withdraw (${denomLabel(d)})`),
    withdrawInput,
    all,
    h("button", { type: "submit" }, "Withdraw"),
    queueRow,
  );
  withdrawForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    void run(
      "The withdrawal",
      withdrawInput,
      () => {
        if (held === 0n) throw new InputError("You hold no shares of this vault.");
        const shares = withdrawInput.value.trim() === "all" ? held : sharesForWithdrawal(parseAmount(withdrawInput.value), prices.share_price, held);
        const value = valueOfShares(shares, prices.share_price);
        if (value > idle && !queueOk.checked) {
          queueRow.querySelector("p")!.textContent =
            `Only ${formatAmount(idle, d)} is idle in the vault; the rest of the ${formatAmount(value, d)} is locked in open markets. ` +
            "What cannot be paid now waits in the vault's queue and is paid when those markets return their money, at the " +
            "share price of that day, with no 1% floor.";
          queueRow.hidden = false;
          throw new InputError("This withdrawal would be queued: tick the box to confirm.");
        }
        return encodeWithdraw({ depositor: ctx.wallet!.address, vaultId: BigInt(id), shares, minAmount: minAfterSlippage(value, TOLERANCE_BPS) });
      },
      (res) => {
        const paid = event(res, "delphi.vault.v1.EventWithdrawn");
        const queued = event(res, "delphi.vault.v1.EventWithdrawalQueued");
        const parts = [];
        if (paid) parts.push(`Withdrew ${formatAmount(paid.amount, d)} in block ${res.height}.`);
        if (queued)
          parts.push(
            `The rest waits in the vault's queue as withdrawal ${queued.withdrawal_id}: it is paid, at the share price of that day, ` +
              "when the markets it funded return their money.",
          );
        return parts.join(" ") || `Withdrawal sent in block ${res.height}.`;
      },
    );
  });

  const paused = h("p", { class: "muted" });
  const update = (p: VaultPrices, shares: bigint, nowIdle: bigint) => {
    prices = p;
    held = shares;
    idle = nowIdle;
    depositForm.querySelector("button")!.disabled = !!p.deposits_paused;
    paused.textContent = p.deposits_paused ? `Deposits are paused: ${p.deposits_paused}.` : "";
    withdrawForm.querySelector<HTMLButtonElement>("button[type=submit]")!.disabled = shares === 0n;
  };
  update(prices, held, idle);
  return {
    el: h(
      "div",
      { class: "vault-actions", "data-testid": `vault-${id}-actions` },
      depositForm,
      paused,
      withdrawForm,
      h(
        "p",
        { class: "muted" },
        "A deposit, and a withdrawal paid at once, is refused if the price moves more than 1% against you before it is in a block.",
      ),
      result,
    ),
    update,
  };
}
