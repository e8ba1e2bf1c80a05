package evaluator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"syscall"
	"time"
)

// Fetcher downloads model artifacts. Anyone can register a model, so every
// artifact is hostile until its SHA-256 matches: only allowed schemes, a
// size cap enforced while streaming, a timeout, and no connections to
// loopback or private addresses unless configured for a local network.
type Fetcher struct {
	Schemes      []string
	AllowPrivate bool
	Timeout      time.Duration
}

// ErrHashMismatch is returned when an artifact's bytes are not the ones the
// chain registered.
var ErrHashMismatch = errors.New("artifact SHA-256 does not match the registered hash")

// Fetch tries each URI in order and returns the first artifact of at most
// maxBytes whose SHA-256 is wantHex.
func (f Fetcher) Fetch(ctx context.Context, uris []string, wantHex string, maxBytes int64) ([]byte, error) {
	var errs []error
	for _, raw := range uris {
		b, err := f.fetchOne(ctx, raw, maxBytes)
		if err == nil {
			sum := sha256.Sum256(b)
			if hex.EncodeToString(sum[:]) == wantHex {
				return b, nil
			}
			err = fmt.Errorf("%w: got %x", ErrHashMismatch, sum)
		}
		errs = append(errs, fmt.Errorf("%s: %w", raw, err))
	}
	if len(errs) == 0 {
		return nil, errors.New("no artifact URIs")
	}
	return nil, errors.Join(errs...)
}

func (f Fetcher) fetchOne(ctx context.Context, raw string, maxBytes int64) ([]byte, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(f.Schemes, u.Scheme) {
		return nil, fmt.Errorf("scheme %q is not allowed (allowed: %v)", u.Scheme, f.Schemes)
	}
	switch u.Scheme {
	case "file":
		// Only a regular file: a FIFO or a device (/dev/stdin, /dev/zero)
		// named by a registrant would block or stream forever.
		if st, err := os.Stat(u.Path); err != nil {
			return nil, err
		} else if !st.Mode().IsRegular() {
			return nil, fmt.Errorf("%s is not a regular file", u.Path)
		}
		file, err := os.Open(u.Path)
		if err != nil {
			return nil, err
		}
		defer file.Close()
		return readCapped(file, maxBytes)
	case "http", "https":
		return f.fetchHTTP(ctx, u, maxBytes)
	}
	return nil, fmt.Errorf("scheme %q is not supported", u.Scheme)
}

func (f Fetcher) fetchHTTP(ctx context.Context, u *url.URL, maxBytes int64) ([]byte, error) {
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	if !f.AllowPrivate {
		// Checked on the resolved address at connect time, so neither DNS
		// nor a redirect can steer the sidecar to a local service.
		dialer.Control = func(_, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			ip := net.ParseIP(host)
			if ip == nil || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified() {
				return fmt.Errorf("refusing to fetch from %s: loopback or private address", host)
			}
			return nil
		}
	}
	client := &http.Client{
		Timeout:   f.Timeout,
		Transport: &http.Transport{DialContext: dialer.DialContext, Proxy: nil},
		CheckRedirect: func(_ *http.Request, via []*http.Request) error {
			if len(via) >= 3 {
				return errors.New("too many redirects")
			}
			return nil
		},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	res, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %s", res.Status)
	}
	if res.ContentLength > maxBytes {
		return nil, fmt.Errorf("artifact of %d bytes exceeds the cap of %d", res.ContentLength, maxBytes)
	}
	return readCapped(res.Body, maxBytes)
}

// readCapped reads at most maxBytes and fails if there is more.
func readCapped(r io.Reader, maxBytes int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > maxBytes {
		return nil, fmt.Errorf("artifact exceeds the cap of %d bytes", maxBytes)
	}
	return b, nil
}
