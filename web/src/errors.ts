// Turns the chain's refusals into sentences a trader can act on. The chain
// reports (codespace, code) on a broadcast and only a message on a
// simulation, so both are recognised.

export interface ChainError {
  codespace?: string;
  code?: number;
  log: string;
}

interface Known {
  codespace: string;
  code: number;
  // The registered error text, as it appears inside a raw log or message.
  text: string;
  say: string;
}

// x/market's registered errors (x/market/types/errors.go) and the SDK ones a
// trade can meet.
const KNOWN: Known[] = [
  { codespace: "market", code: 12, text: "slippage limit exceeded", say: "The price moved past your slippage tolerance before the trade was included. Get a new quote, or allow more slippage." },
  { codespace: "market", code: 14, text: "trading closed", say: "Trading is closed on this market: its evaluation has ended or it was settled." },
  { codespace: "market", code: 17, text: "insufficient funds", say: "Insufficient funds: your balance does not cover this trade and its fee." },
  { codespace: "sdk", code: 5, text: "insufficient funds", say: "Insufficient funds: your balance does not cover this trade and its fee." },
  { codespace: "market", code: 13, text: "selling more shares than held", say: "You are selling more shares than you hold." },
  { codespace: "market", code: 11, text: "zero, negative or dust trade", say: "The trade is too small: below the market's minimum trade size." },
  { codespace: "market", code: 16, text: "trade would move a price out of range", say: "The trade is too large: it would push a price outside the market's range." },
  { codespace: "market", code: 15, text: "amount out of range", say: "The amount is out of range." },
  { codespace: "market", code: 10, text: "unknown outcome", say: "That outcome is not in this market." },
  { codespace: "market", code: 3, text: "market not found", say: "There is no such market." },
  { codespace: "market", code: 20, text: "market not settled", say: "The market is not settled yet: redeem after it resolves." },
  { codespace: "market", code: 21, text: "nothing to redeem", say: "You hold nothing to redeem in this market." },
  { codespace: "sdk", code: 32, text: "account sequence mismatch", say: "Another transaction from this key got in first. Try again." },
  { codespace: "sdk", code: 11, text: "out of gas", say: "The transaction ran out of gas. Try again." },
  { codespace: "sdk", code: 13, text: "insufficient fee", say: "The fee is below the node's minimum gas price." },
];

/** A sentence for a failed transaction or simulation. */
export function explain(e: ChainError): string {
  const byCode = KNOWN.find((k) => k.codespace === e.codespace && k.code === e.code);
  if (byCode) return byCode.say;
  const log = e.log.toLowerCase();
  // The most specific text first: "insufficient funds" appears in both sets.
  const byText = KNOWN.find((k) => log.includes(k.text));
  if (byText) return byText.say;
  if (/account .* not found/.test(log)) return "This account does not exist on chain yet: it needs a deposit first.";
  return `The chain refused the transaction: ${e.log}`;
}
