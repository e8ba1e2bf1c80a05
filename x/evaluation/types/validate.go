package types

import (
	"encoding/hex"
	"net/url"
	"regexp"

	errorsmod "cosmossdk.io/errors"
)

// Field limits: registrations are stored forever and read by every sidecar.
const (
	MaxNameLen         = 64
	MaxTextLen         = 128
	MaxURILen          = 512
	MaxSystemPromptLen = 16 << 10
)

var namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// ValidateName accepts lowercase names of 1-64 letters, digits, '.', '_', '-'.
func ValidateName(class *errorsmod.Error, field, name string) error {
	if !namePattern.MatchString(name) {
		return errorsmod.Wrapf(class, "%s %q: want 1-%d of a-z 0-9 . _ -, starting alphanumeric", field, name, MaxNameLen)
	}
	return nil
}

// ValidateText bounds a short free-text field.
func ValidateText(class *errorsmod.Error, field, s string, required bool) error {
	if required && s == "" {
		return errorsmod.Wrapf(class, "%s is required", field)
	}
	if len(s) > MaxTextLen {
		return errorsmod.Wrapf(class, "%s is %d bytes, max %d", field, len(s), MaxTextLen)
	}
	return nil
}

// ValidateSHA256 accepts a lowercase hex SHA-256 digest.
func ValidateSHA256(class *errorsmod.Error, field, h string, required bool) error {
	if h == "" && !required {
		return nil
	}
	b, err := hex.DecodeString(h)
	if err != nil || len(b) != 32 || hex.EncodeToString(b) != h {
		return errorsmod.Wrapf(class, "%s %q is not a lowercase hex SHA-256 digest", field, h)
	}
	return nil
}

// ValidateURIs accepts 1..max URIs with the schemes a sidecar may fetch:
// file, http and https. Where a URI points is the sidecar's policy, not the
// chain's: the chain only refuses what no sidecar could ever use.
func ValidateURIs(field string, uris []string, max uint32) error {
	if len(uris) == 0 {
		return errorsmod.Wrapf(ErrInvalidURI, "%s: at least one URI is required", field)
	}
	if uint32(len(uris)) > max {
		return errorsmod.Wrapf(ErrInvalidURI, "%s: %d URIs, max %d", field, len(uris), max)
	}
	for _, raw := range uris {
		if len(raw) > MaxURILen {
			return errorsmod.Wrapf(ErrInvalidURI, "%s: URI of %d bytes, max %d", field, len(raw), MaxURILen)
		}
		u, err := url.Parse(raw)
		if err != nil {
			return errorsmod.Wrapf(ErrInvalidURI, "%s: %q: %v", field, raw, err)
		}
		switch u.Scheme {
		case "file":
			if u.Path == "" {
				return errorsmod.Wrapf(ErrInvalidURI, "%s: %q has no path", field, raw)
			}
		case "http", "https":
			if u.Host == "" {
				return errorsmod.Wrapf(ErrInvalidURI, "%s: %q has no host", field, raw)
			}
		default:
			return errorsmod.Wrapf(ErrInvalidURI, "%s: %q: scheme must be file, http or https", field, raw)
		}
	}
	return nil
}
