package app

import (
	"context"
	"errors"
	"strings"

	gogogrpc "github.com/cosmos/gogoproto/grpc"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	markettypes "github.com/delphi-network/delphi/x/market/types"
	vaulttypes "github.com/delphi-network/delphi/x/vault/types"
	verdetypes "github.com/delphi-network/delphi/x/verde/types"
)

// queryErrors registers query services with every method's error turned
// into a gRPC status that says whose fault it is: an error a Delphi module
// registered (an unknown market, a bad outcome, negative shares) is the
// caller's — NotFound when it says "not found", InvalidArgument otherwise
// — and a missing store entry is NotFound. REST (grpc-gateway) answers
// those with 404 and 400 and the error's message; anything else stays an
// internal error (500). Without this every registered error crossed gRPC
// as codes.Unknown, a 500.
type queryErrors struct{ gogogrpc.Server }

// RegisterService registers sd with each method's handler wrapped.
func (q queryErrors) RegisterService(sd *grpc.ServiceDesc, impl any) {
	wrapped := *sd
	wrapped.Methods = make([]grpc.MethodDesc, len(sd.Methods))
	for i, m := range sd.Methods {
		handler := m.Handler
		m.Handler = func(srv any, ctx context.Context, dec func(any) error, in grpc.UnaryServerInterceptor) (any, error) {
			res, err := handler(srv, ctx, dec, in)
			return res, QueryStatus(err)
		}
		wrapped.Methods[i] = m
	}
	q.Server.RegisterService(&wrapped, impl)
}

// delphiCodespaces are the modules whose registered errors are the
// caller's to fix.
var delphiCodespaces = map[string]bool{evaluationtypes.ModuleName: true, markettypes.ModuleName: true,
	vaulttypes.ModuleName: true, verdetypes.ModuleName: true}

// QueryStatus is err as the gRPC status a query answers with (see
// queryErrors).
func QueryStatus(err error) error {
	if err == nil {
		return nil
	}
	// A status the handler chose stands. (Registered errors are statuses
	// too, always codes.Unknown: those are classified below.)
	if st, ok := status.FromError(err); ok && st.Code() != codes.Unknown {
		return err
	}
	if errors.Is(err, collections.ErrNotFound) {
		return status.Error(codes.NotFound, err.Error())
	}
	codespace, _, _ := errorsmod.ABCIInfo(err, false)
	if !delphiCodespaces[codespace] {
		return err
	}
	var registered *errorsmod.Error
	if errors.As(err, &registered) && strings.HasSuffix(registered.Error(), "not found") {
		return status.Error(codes.NotFound, err.Error())
	}
	return status.Error(codes.InvalidArgument, err.Error())
}
