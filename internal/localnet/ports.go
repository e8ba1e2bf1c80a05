package localnet

import (
	"fmt"
	"net"

	dbm "github.com/cosmos/cosmos-db"

	"cosmossdk.io/log/v2"

	"github.com/delphi-network/delphi/app"
)

// portsPerNode is how many ports a validator reserves from BasePort.
const portsPerNode = 8

// allocatePorts gives n validators their ports: consecutive from base, or
// free ones chosen by the kernel when base is zero. Free ports for all
// validators are chosen in one go, so no two validators get the same one.
func allocatePorts(base, n int) ([]Ports, error) {
	out := make([]Ports, n)
	if base > 0 {
		if base+n*portsPerNode > 65535 {
			return nil, fmt.Errorf("base port %d leaves no room for %d validators", base, n)
		}
		for i := range out {
			p := base + i*portsPerNode
			out[i] = Ports{P2P: p, RPC: p + 1, ABCI: p + 2, GRPC: p + 3, API: p + 4, Evaluator: p + 5, EvaluatorHealth: p + 6}
		}
		return out, nil
	}
	free, err := freePorts(7 * n)
	if err != nil {
		return nil, err
	}
	for i := range out {
		f := free[7*i:]
		out[i] = Ports{P2P: f[0], RPC: f[1], ABCI: f[2], GRPC: f[3], API: f[4], Evaluator: f[5], EvaluatorHealth: f[6]}
	}
	return out, nil
}

// freePorts asks the kernel for n distinct free loopback ports. All listeners
// stay open until every port is chosen, so none is handed out twice.
func freePorts(n int) ([]int, error) {
	ports := make([]int, 0, n)
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			_ = l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("find a free port: %w", err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// AppOptions is a minimal servertypes.AppOptions.
type AppOptions map[string]any

func (o AppOptions) Get(key string) any { return o[key] }

// newTempApp is an app on an in-memory database, for its codecs and defaults.
func newTempApp() *app.App {
	return app.New(log.NewNopLogger(), dbm.NewMemDB(), AppOptions{})
}
