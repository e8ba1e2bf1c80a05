package app

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	gwruntime "github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"github.com/grpc-ecosystem/grpc-gateway/v2/utilities"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// enumNames parses REST query parameters as grpc-gateway does, except that
// an enum parameter also takes the short name users type: `status=open`
// (any case) for MARKET_STATUS_OPEN, as the CLI accepts it. The full name
// and the number still work; anything else is refused by the default
// parser (400).
type enumNames struct{}

// Parse implements gwruntime.QueryParameterParser.
func (enumNames) Parse(msg proto.Message, values url.Values, filter *utilities.DoubleArray) error {
	fields := msg.ProtoReflect().Descriptor().Fields()
	for key, vs := range values {
		fd := fields.ByName(protoreflect.Name(key))
		if fd == nil {
			fd = fields.ByJSONName(key)
		}
		if fd == nil || fd.Kind() != protoreflect.EnumKind {
			continue
		}
		for i, v := range vs {
			vs[i] = enumValueName(fd.Enum(), v)
		}
	}
	return (&gwruntime.DefaultQueryParser{}).Parse(msg, values, filter)
}

// enumValueName is v as a value name of ed: itself when it is one (or a
// number), else the enum's prefix (MARKET_STATUS_ of
// MARKET_STATUS_UNSPECIFIED) and v in capitals, when that is a value.
func enumValueName(ed protoreflect.EnumDescriptor, v string) string {
	values := ed.Values()
	if values.ByName(protoreflect.Name(v)) != nil {
		return v
	}
	upper := strings.ToUpper(v)
	if values.ByName(protoreflect.Name(upper)) != nil {
		return upper
	}
	if prefix := valuePrefix(values); prefix != "" && values.ByName(protoreflect.Name(prefix+upper)) != nil {
		return prefix + upper
	}
	return v
}

// valuePrefix is what every value name of an enum starts with, up to an
// underscore: MARKET_STATUS_ for MARKET_STATUS_UNSPECIFIED, _OPEN, ...
func valuePrefix(values protoreflect.EnumValueDescriptors) string {
	if values.Len() < 2 {
		return ""
	}
	prefix := string(values.Get(0).Name())
	for i := 1; i < values.Len(); i++ {
		name := string(values.Get(i).Name())
		for !strings.HasPrefix(name, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	return prefix[:strings.LastIndex(prefix, "_")+1]
}

var (
	// rpcWrap is gRPC's status text, nested when a query crossed ABCI.
	rpcWrap = regexp.MustCompile(`rpc error: code = \w+ desc = `)
	// sdkCode is the SDK error the ABCI query path appends to a status it
	// carried (ErrKeyNotFound, ErrInvalidRequest, ErrUnknownRequest).
	sdkCode = regexp.MustCompile(`: (key not found|invalid request|unknown request)$`)
)

// heightErrors classify the errors the SDK's query path gives before any
// module runs, by their text (a node's REST server reaches it through ABCI,
// which prefixes "codespace sdk code N: "; an in-process one through gRPC,
// which suffixes the error's name): a height not yet reached or a malformed
// height header is the client's mistake (400), a pruned height is state the
// node no longer has (404), a node with no block yet is not ready (503).
// Anything else stays the node's (500).
var heightErrors = []struct {
	text string
	as   codes.Code
}{
	{"cannot query with height in the future", codes.InvalidArgument},
	{`invalid height header "x-cosmos-block-height"`, codes.InvalidArgument},
	{"failed to load state at height", codes.NotFound},
	{"is not ready; please wait for first block", codes.Unavailable},
	{"context did not contain latest block height", codes.Unavailable},
}

// heightNoise is the wrapping around those errors' own text.
var heightNoise = regexp.MustCompile(`^codespace sdk code \d+: |invalid request: Baseapp.RegisterGRPCServer: |: (invalid height|not found|invalid request)$`)

// restError answers an error as grpc-gateway does (the status code decides
// the HTTP status), with its message as the module wrote it: without the
// gRPC and SDK wrapping a query picks up on its way through ABCI.
func restError(ctx context.Context, mux *gwruntime.ServeMux, m gwruntime.Marshaler, w http.ResponseWriter, r *http.Request, err error) {
	st := status.Convert(err)
	code, msg := st.Code(), UnwrapStatusText(st.Message())
	if code == codes.Unknown {
		for _, e := range heightErrors {
			if strings.Contains(msg, e.text) {
				code, msg = e.as, heightNoise.ReplaceAllString(msg, "")
				break
			}
		}
	}
	gwruntime.DefaultHTTPErrorHandler(ctx, mux, m, w, r, status.Error(code, msg))
}

// UnwrapStatusText is an error message without the gRPC status text and
// SDK error a query's error picks up crossing gRPC and ABCI: the message
// as the module wrote it. (REST answers with it; the CLI prints it.)
func UnwrapStatusText(msg string) string {
	return sdkCode.ReplaceAllString(rpcWrap.ReplaceAllString(msg, ""), "")
}
