package runtime

import "testing"

// TestVersions: this build implements its default version and refuses
// others by name.
func TestVersions(t *testing.T) {
	if !SupportsVersion(Version) || CheckVersion(Version) != nil {
		t.Fatalf("the default version %d is not supported", Version)
	}
	for _, v := range []uint32{0, Version + 1, 1 << 31} {
		if SupportsVersion(v) {
			t.Fatalf("version %d reported supported", v)
		}
		if err := CheckVersion(v); err == nil {
			t.Fatalf("version %d: no error", v)
		}
	}
	vs := SupportedVersions()
	vs[0] = 99 // a copy: callers cannot change what is supported
	if !SupportsVersion(Version) || SupportsVersion(99) {
		t.Fatal("SupportedVersions exposed its slice")
	}
}
