package network

import (
	"fmt"
	"net"

	dbm "github.com/cosmos/cosmos-db"

	"cosmossdk.io/log/v2"

	"github.com/delphi-network/delphi/app"
)

// portsPerNode is how many ports a validator reserves from BasePort.
const portsPerNode = 8

// allocatePorts gives validator i its ports: consecutive from base, or free
// ones chosen by the kernel when base is zero.
func allocatePorts(base, i int) (Ports, error) {
	if base > 0 {
		p := base + i*portsPerNode
		if p+portsPerNode > 65535 {
			return Ports{}, fmt.Errorf("base port %d leaves no room for validator %d", base, i)
		}
		return Ports{P2P: p, RPC: p + 1, ABCI: p + 2, GRPC: p + 3, API: p + 4, Evaluator: p + 5, EvaluatorHealth: p + 6}, nil
	}
	free, err := freePorts(7)
	if err != nil {
		return Ports{}, err
	}
	return Ports{P2P: free[0], RPC: free[1], ABCI: free[2], GRPC: free[3], API: free[4], Evaluator: free[5],
		EvaluatorHealth: free[6]}, nil
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

// appOptions is a minimal servertypes.AppOptions.
type appOptions map[string]any

func (o appOptions) Get(key string) any { return o[key] }

// newTempApp is an app on an in-memory database, for its codecs and defaults.
func newTempApp() *app.App {
	return app.New(log.NewNopLogger(), dbm.NewMemDB(), appOptions{})
}
