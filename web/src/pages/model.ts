// A model: its registry entry (weights hashes, artifacts, provenance, system
// prompt), its scores on every benchmark, and the markets that list it.
import type { Page } from "../context";
import { h, table } from "../dom";
import { enumLabel, formatPrice } from "../format";

export function modelPage(id: string): Page {
  return async (ctx, view) => {
    const [model, index, markets] = await Promise.all([
      ctx.api.model(id),
      ctx.api.modelIndex(id).catch(() => null),
      ctx.api.markets(),
    ]);
    ctx.models.set(id, model);
    const benchNames = new Map<string, string>();
    await Promise.all(
      (index?.benchmarks ?? []).map(async (b) => {
        const bench = await ctx.api.benchmark(b.entry.benchmark_id).catch(() => null);
        if (bench) benchNames.set(b.entry.benchmark_id, bench.name);
      }),
    );
    const listed = markets.filter((m) => m.model_ids.includes(id));
    view.append(
      h("h1", {}, model.name),
      h(
        "dl",
        { class: "facts", "data-testid": "model" },
        h("dt", {}, "Id"),
        h("dd", {}, model.id),
        h("dt", {}, "Format"),
        h("dd", {}, model.format),
        h("dt", {}, "Owner"),
        h("dd", { class: "mono" }, model.owner),
        h("dt", {}, "Weights SHA-256"),
        h("dd", { class: "mono" }, model.weights_sha256),
        h("dt", {}, "Weights Merkle root"),
        h("dd", { class: "mono" }, model.weights_root),
        h("dt", {}, "Training record"),
        h(
          "dd",
          { "data-testid": "record" },
          ...(model.training_record_hash
            ? [
                h("span", { class: "mono" }, model.training_record_hash),
                h("br"),
                "Retrain it from the record and compare: ",
                h("code", {}, `delphid verify model ${model.id} --record FILE --node <a node's RPC>`),
              ]
            : ["none registered: its provenance cannot be checked"]),
        ),
        h("dt", {}, "Artifacts"),
        h("dd", {}, ...model.artifact_uris.map((u) => h("div", { class: "mono" }, u))),
        h("dt", {}, "System prompt"),
        h("dd", {}, model.system_prompt ? h("pre", {}, model.system_prompt) : "none"),
      ),
      h("h2", {}, "Scores"),
      index && index.benchmarks.length
        ? table(
            `Aggregate ${formatPrice(index.aggregate)} over every finalized evaluation`,
            ["Benchmark", "Accuracy", "Wilson lower bound", "Correct / items", "Evaluations", "Rounds"],
            index.benchmarks.map((b) => [
              benchNames.get(b.entry.benchmark_id) ?? `benchmark ${b.entry.benchmark_id}`,
              formatPrice(b.accuracy),
              formatPrice(b.wilson_lower),
              `${b.entry.correct}/${b.entry.items}`,
              b.entry.evaluations,
              b.entry.rounds,
            ]),
            "scores",
          )
        : h("p", { class: "muted" }, "No finalized evaluation yet."),
      h("h2", {}, "Markets"),
      listed.length
        ? h(
            "ul",
            {},
            ...listed.map((m) => h("li", {}, h("a", { href: `#/markets/${m.id}` }, m.title || `Market ${m.id}`), ` (${enumLabel(m.status)})`)),
          )
        : h("p", { class: "muted" }, "Not listed in any market."),
    );
    return () => {};
  };
}
