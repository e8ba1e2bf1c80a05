package runtime

// Limits bound what a model may ask of a validator. Anyone can register a
// model, so a graph is checked against these before its first item runs; a
// model over a bound fails for every validator alike, with the same error.
type Limits struct {
	MaxModelBytes       int   // size of the serialized model
	MaxNodes            int   // operators in the graph
	MaxTensorElements   int64 // elements in any one tensor (initializer or activation)
	MaxWeightElements   int64 // elements over all initializers together
	MaxFLOPsPerItem     int64 // estimated arithmetic per item (see README)
	MaxActivationsBytes int64 // bytes of all operator outputs of one item together
	// MaxFoldedFLOPs bounds the arithmetic constant folding does at
	// compile time (0: unbounded). A classifier is compiled with it set
	// (LoadModel, LoadSkeleton), so a Verde referee step that compiles a
	// skeleton never does more than one step's worth of hidden work.
	MaxFoldedFLOPs int64
}

// DefaultLimits suit the benchmark models this chain runs: small vision and
// tabular networks (the zoo MNIST CNN needs ~1.6 MFLOP and 10k weights).
func DefaultLimits() Limits {
	return Limits{
		MaxModelBytes:       256 << 20,
		MaxNodes:            4096,
		MaxTensorElements:   1 << 26,
		MaxWeightElements:   1 << 26,
		MaxFLOPsPerItem:     1 << 33,
		MaxActivationsBytes: 1 << 30,
	}
}
