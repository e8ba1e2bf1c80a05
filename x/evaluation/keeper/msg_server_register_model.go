package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// SupportedFormats are the artifact formats the evaluator can run.
var SupportedFormats = types.Formats

// RegisterModel implements types.MsgServer. Anyone may register a model.
func (k msgServer) RegisterModel(ctx context.Context, msg *types.MsgRegisterModel) (*types.MsgRegisterModelResponse, error) {
	if _, err := modkit.Signer("owner", msg.Owner, types.ErrInvalidAddress); err != nil {
		return nil, err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	class := types.ErrInvalidModel
	if err := types.ValidateName(class, "name", msg.Name); err != nil {
		return nil, err
	}
	if !supported(msg.Format) {
		return nil, errorsmod.Wrapf(class, "format %q: supported formats are %v", msg.Format, SupportedFormats)
	}
	if err := types.ValidateSHA256(class, "weights_sha256", msg.WeightsSha256, true); err != nil {
		return nil, err
	}
	if err := types.ValidateSHA256(class, "weights_root", msg.WeightsRoot, true); err != nil {
		return nil, err
	}
	if err := types.ValidateSHA256(class, "training_record_hash", msg.TrainingRecordHash, false); err != nil {
		return nil, err
	}
	if err := types.ValidateRefereeStep(class, msg.Format, msg.RefereeStepBytes, msg.RefereeStepFlops); err != nil {
		return nil, err
	}
	if len(msg.SystemPrompt) > types.MaxSystemPromptLen {
		return nil, errorsmod.Wrapf(class, "system_prompt is %d bytes, max %d", len(msg.SystemPrompt), types.MaxSystemPromptLen)
	}
	if err := types.ValidateURIs("artifact_uris", msg.ArtifactUris, params.MaxUris); err != nil {
		return nil, err
	}

	id, err := modkit.NextID(ctx, k.ModelSeq)
	if err != nil {
		return nil, err
	}
	m := types.Model{
		Id: id, Name: msg.Name, Format: msg.Format, WeightsSha256: msg.WeightsSha256, WeightsRoot: msg.WeightsRoot,
		ArtifactUris: msg.ArtifactUris, SystemPrompt: msg.SystemPrompt, Owner: msg.Owner,
		TrainingRecordHash: msg.TrainingRecordHash, RefereeStepBytes: msg.RefereeStepBytes, RefereeStepFlops: msg.RefereeStepFlops,
	}
	if err := k.Models.Set(ctx, id, m); err != nil {
		return nil, err
	}
	if err := modkit.Emit(ctx, &types.EventModelRegistered{Id: id, Name: m.Name, Owner: m.Owner, WeightsSha256: m.WeightsSha256}); err != nil {
		return nil, err
	}
	return &types.MsgRegisterModelResponse{Id: id}, nil
}

// UpdateModelURIs implements types.MsgServer: only the owner may move where
// the artifact is served; its hash, and so what is evaluated, never changes.
func (k msgServer) UpdateModelURIs(ctx context.Context, msg *types.MsgUpdateModelURIs) (*types.MsgUpdateModelURIsResponse, error) {
	if _, err := modkit.Signer("owner", msg.Owner, types.ErrInvalidAddress); err != nil {
		return nil, err
	}
	m, err := k.Models.Get(ctx, msg.ModelId)
	if err != nil {
		return nil, errorsmod.Wrapf(types.ErrModelNotFound, "model %d", msg.ModelId)
	}
	if m.Owner != msg.Owner {
		return nil, errorsmod.Wrapf(types.ErrNotModelOwner, "model %d is owned by %s", m.Id, m.Owner)
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	if err := types.ValidateURIs("artifact_uris", msg.ArtifactUris, params.MaxUris); err != nil {
		return nil, err
	}
	m.ArtifactUris = msg.ArtifactUris
	if err := k.Models.Set(ctx, m.Id, m); err != nil {
		return nil, err
	}
	if err := modkit.Emit(ctx, &types.EventModelURIsUpdated{Id: m.Id, ArtifactUris: m.ArtifactUris}); err != nil {
		return nil, err
	}
	return &types.MsgUpdateModelURIsResponse{}, nil
}

func supported(format string) bool {
	for _, f := range SupportedFormats {
		if f == format {
			return true
		}
	}
	return false
}
