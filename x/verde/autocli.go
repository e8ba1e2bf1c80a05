package verde

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	verdev1 "github.com/delphi-network/delphi/api/delphi/verde/v1"
)

// AutoCLIOptions gives `delphid q verde ...` and `delphid tx verde ...`.
// Bisect and SubmitOperatorInputs carry proofs and tensors the evaluator
// sidecar builds from its stored traces; the CLI exposes them for
// completeness (JSON flags), and `challenge` for people.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: verdev1.Query_ServiceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "Show the module params"},
				{RpcMethod: "Disputes", Use: "disputes", Short: "List disputes (--open-only)"},
				{RpcMethod: "Dispute", Use: "dispute [id]", Short: "Show a dispute: interval, whose move, deadline, history",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}}},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service: verdev1.Msg_ServiceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Challenge", Use: "challenge [evaluation-id] [round] [model-id] [correct] [trace-root] [leaves]",
					Short: "Dispute a final result with your own claim (bonded validator operator, or post the bond)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "evaluation_id"}, {ProtoField: "round"},
						{ProtoField: "model_id"}, {ProtoField: "correct"}, {ProtoField: "trace_root"}, {ProtoField: "leaves"}}},
				{RpcMethod: "Bisect", Use: "bisect [dispute-id] [side] [index] --leaf '{...}' --proof ...",
					Short: "Reveal a side's leaf with its Merkle proof"},
				{RpcMethod: "SubmitOperatorInputs", Use: "submit-operator-inputs [dispute-id] --model FILE-BYTES --inputs '[...]'",
					Short: "Supply the diverging operator's inputs for the referee step"},
				{RpcMethod: "UpdateParams", Skip: true},
			},
		},
	}
}
