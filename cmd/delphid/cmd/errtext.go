package cmd

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/delphi-network/delphi/app"
)

var (
	// sourcePath is a source location the SDK appends to an error.
	sourcePath = regexp.MustCompile(`\s*\[[^\[\]\s]+\.go:\d+\]`)
	// gasUsed is the simulation's gas figure and the SDK's catch-all code
	// name after it.
	gasUsed = regexp.MustCompile(`\s*with gas used: '\d+'(: unknown request)?`)
	// msgIndex is the SDK's prefix for a message's own error.
	msgIndex = regexp.MustCompile(`failed to execute message; message index: \d+: `)
	// negative is cobra reading a negative number as a shorthand flag.
	negative = regexp.MustCompile(`^unknown shorthand flag: '(\d)' in -(\S+)`)
	// notInteger is autocli failing to read an integer argument.
	notInteger = regexp.MustCompile(`cannot unmarshal "([^"]*)" into a \*big\.Int`)
)

// ErrorText is an error as the CLI prints it: one line, the chain's own
// message without the SDK's source paths, gRPC status wrappers or gas
// figures, and a plain word for a negative number cobra took for a flag.
func ErrorText(err error) string {
	msg := strings.Join(strings.Fields(err.Error()), " ")
	if m := negative.FindStringSubmatch(msg); m != nil {
		return "-" + m[2] + ": negative numbers are not accepted (ids, outcomes, shares and amounts are all zero or more)"
	}
	if m := notInteger.FindStringSubmatch(msg); m != nil {
		return strconv.Quote(m[1]) + " is not a whole number: shares and amounts are integers in base units " +
			"(5000000 for 5 USDC or 5 shares), without a denomination"
	}
	msg = sourcePath.ReplaceAllString(msg, "")
	msg = gasUsed.ReplaceAllString(msg, "")
	msg = msgIndex.ReplaceAllString(msg, "")
	msg = app.UnwrapStatusText(msg)
	return strings.TrimSpace(msg)
}
