package runtime

// SetPoisonRecycled lets tests outside the package (the language model's
// graphs) fill recycled buffers with NaNs.
func SetPoisonRecycled(on bool) { poisonRecycled = on }

// SetNoReuse makes every output buffer newly allocated while on.
func SetNoReuse(on bool) { noReuse = on }
