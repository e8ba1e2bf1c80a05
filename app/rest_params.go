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
	// sdkABCI is how client.Context reports an error of the ABCI query
	// itself, before any module ran: the SDK's code, then its text.
	sdkABCI = regexp.MustCompile(`^codespace sdk code (\d+): `)
)

// sdkUserCodes are the SDK errors a query's ABCI path returns for a
// request the client got wrong: a malformed request or height header
// (ErrInvalidRequest, 18), a height the node does not have (ErrInvalidHeight,
// 26). They answer 400, not 500.
var sdkUserCodes = map[string]codes.Code{"18": codes.InvalidArgument, "26": codes.InvalidArgument}

// restError answers an error as grpc-gateway does (the status code decides
// the HTTP status), with its message as the module wrote it: without the
// gRPC and SDK wrapping a query picks up on its way through ABCI.
func restError(ctx context.Context, mux *gwruntime.ServeMux, m gwruntime.Marshaler, w http.ResponseWriter, r *http.Request, err error) {
	st := status.Convert(err)
	code, msg := st.Code(), UnwrapStatusText(st.Message())
	if sub := sdkABCI.FindStringSubmatch(msg); sub != nil && code == codes.Unknown {
		if c, ok := sdkUserCodes[sub[1]]; ok {
			code, msg = c, strings.TrimPrefix(msg[len(sub[0]):], "invalid request: Baseapp.RegisterGRPCServer: ")
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
