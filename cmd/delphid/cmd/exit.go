package cmd

// ExitError is an error with the exit status the command documents (verify:
// a mismatch is not the same outcome as a result it could not check).
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }

func (e *ExitError) Unwrap() error { return e.Err }
