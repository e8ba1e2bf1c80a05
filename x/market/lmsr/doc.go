// Package lmsr is the pure arithmetic of Delphi's logarithmic market scoring
// rule market maker: cost C(q) = b·ln Σ exp(q_i/b) and prices
// p_i = exp(q_i/b) / Σ exp(q_j/b), over integer share quantities and an integer
// liquidity b in base units of the collateral.
//
// It has no SDK context and no state. Every value is an integer; exp and ln
// are computed here on big integers in binary fixed point with 2^-192 scaling
// (no floating point), so every validator gets the same bits. Each function
// rounds in the market maker's favour: what a trader pays is rounded up, what
// a trader receives is rounded down. See README.md for the error bounds.
package lmsr
