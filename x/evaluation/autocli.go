package evaluation

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	evaluationv1 "github.com/delphi-network/delphi/api/delphi/evaluation/v1"
)

// AutoCLIOptions gives `delphid q evaluation ...` and `delphid tx evaluation ...`.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: evaluationv1.Query_ServiceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "Show the module params"},
				{RpcMethod: "Benchmarks", Use: "benchmarks", Short: "List registered benchmarks"},
				{RpcMethod: "Benchmark", Use: "benchmark [id]", Short: "Show a benchmark",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}}},
				{RpcMethod: "Models", Use: "models", Short: "List registered models"},
				{RpcMethod: "Model", Use: "model [id]", Short: "Show a model (with a training_record_hash, check its provenance: delphid verify model ID --record FILE)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}}},
				{RpcMethod: "Evaluations", Use: "evaluations", Short: "List evaluations"},
				{RpcMethod: "Evaluation", Use: "evaluation [id]", Short: "Show an evaluation",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}}},
				{RpcMethod: "Index", Use: "index", Short: "Every model's intelligence index"},
				{RpcMethod: "ModelIndex", Use: "model-index [model-id]", Short: "A model's intelligence index per benchmark and aggregate",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "model_id"}}},
				{RpcMethod: "Results", Use: "results [evaluation-id]", Short: "An evaluation's final results by round and model",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}}},
				{RpcMethod: "Rounds", Use: "rounds [evaluation-id]", Short: "List an evaluation's started rounds and their seeds",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}}},
				{RpcMethod: "Commitments", Use: "commitments [evaluation-id] [round]",
					Short:          "Every validator's commitment to a round's results and, once revealed, its result",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}, {ProtoField: "round"}}},
				{RpcMethod: "Seed", Use: "seed [height]", Short: "The seed of a height and every validator's contribution to it",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "height"}}},
				{RpcMethod: "Participations", Use: "participation",
					Short: "Every validator's record as a reporter: rounds reported and missed, faults, penalties"},
				{RpcMethod: "RewardPool", Use: "reward-pool [evaluation-id]", Short: "What an evaluation's reporters will share",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}}},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service: evaluationv1.Msg_ServiceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod: "RegisterBenchmark",
					Use:       "register-benchmark [name] [task] [metric] [dataset-sha256] [item-root] [item-count] [dataset-uri,...]",
					Short:     "Register a benchmark (authority, or anyone for the deposit when permissionless)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "name"}, {ProtoField: "task"}, {ProtoField: "metric"},
						{ProtoField: "dataset_sha256"}, {ProtoField: "item_root"}, {ProtoField: "item_count"}, {ProtoField: "dataset_uris", Varargs: true},
					},
				},
				{
					RpcMethod: "RegisterModel",
					Use:       "register-model [name] [weights-sha256] [weights-root] [artifact-uri,...] --format onnx --referee-step-bytes N --referee-step-flops N",
					Short:     "Register a model artifact by its hashes and its largest referee step (`delphid model inspect` prints all four)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "name"}, {ProtoField: "weights_sha256"}, {ProtoField: "weights_root"},
						{ProtoField: "artifact_uris", Varargs: true},
					},
				},
				{
					RpcMethod: "UpdateModelURIs",
					Use:       "update-model-uris [model-id] [artifact-uri,...]",
					Short:     "Replace a model's artifact URIs (owner only)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "model_id"}, {ProtoField: "artifact_uris", Varargs: true},
					},
				},
				{
					RpcMethod: "CreateEvaluation",
					Use:       "create-evaluation [benchmark-id] [model-ids] --rounds N --items-per-round N --blocks-between-rounds N --start-delay N --deadline-blocks N",
					Short:     "Schedule an evaluation of two or more models on a benchmark",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "benchmark_id"}, {ProtoField: "model_ids"},
					},
				},
				{RpcMethod: "UpdateParams", Skip: true},
			},
		},
	}
}
