package appcore

import (
	"errors"
	"testing"
	"time"

	"github.com/valvpm/valv/vault/totp"
)

// rfcURI is RFC 6238 appendix B's SHA1 key ("12345678901234567890") with 8 digits.
const rfcURI = "otpauth://totp/Example:ann?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8&issuer=Example"

// TestCodeTurnsAtThePeriodBoundary shows the code of RFC 6238's vector at 1111111109,
// counts down each second on the clock's timers, and shows the next vector's code
// exactly when the period turns at 1111111110 — not a millisecond before.
func TestCodeTurnsAtThePeriodBoundary(t *testing.T) {
	tc := newTestCore(t, DefaultSettings())
	tc.create(t)
	tc.clock.Advance(time.Unix(1111111108, 5e8).Sub(tc.clock.Now()))

	var shown []AuthCode
	ticker, err := tc.WatchCode(rfcURI, func(c AuthCode) { shown = append(shown, c) })
	if err != nil {
		t.Fatal(err)
	}
	defer ticker.Stop()
	last := func() AuthCode { t.Helper(); return shown[len(shown)-1] }
	if len(shown) != 1 || last().Value != "07081804" || last().Grouped != "0708 1804" || last().Seconds != 2 || last().Period != 30*time.Second {
		t.Fatalf("at start the view shows %+v", shown)
	}
	tc.clock.Advance(500 * time.Millisecond) // 1111111109.000
	if len(shown) != 2 || last().Value != "07081804" || last().Seconds != 1 {
		t.Fatalf("one second before the turn the view shows %+v", shown)
	}
	tc.clock.Advance(999 * time.Millisecond)
	if len(shown) != 2 {
		t.Fatalf("the view changed before the second was over: %+v", shown)
	}
	tc.clock.Advance(time.Millisecond) // 1111111110.000: a new period
	if len(shown) != 3 || last().Value != "14050471" || last().Seconds != 30 || last().Left != 1 {
		t.Fatalf("when the period turned the view shows %+v", last())
	}
	tc.clock.Advance(15 * time.Second)
	if len(shown) != 18 || last().Value != "14050471" || last().Seconds != 15 || last().Left != 0.5 {
		t.Fatalf("half way through the period the view shows %+v after %d updates", last(), len(shown))
	}
}

// TestCopyCodeFollowsTheClipboardRules copies the code of the moment and clears it
// after the clipboard delay, like a copied password.
func TestCopyCodeFollowsTheClipboardRules(t *testing.T) {
	s := DefaultSettings()
	s.ClipboardSeconds = 20
	tc := newTestCore(t, s)
	tc.create(t)
	tc.clock.Advance(time.Unix(1111111109, 0).Sub(tc.clock.Now()))
	ticker, err := tc.WatchCode(rfcURI, func(AuthCode) {})
	if err != nil {
		t.Fatal(err)
	}
	defer ticker.Stop()
	tc.clock.Advance(2 * time.Second) // the next period's code is the one copied
	ticker.Copy()
	if got := tc.cb.Content(); got != "14050471" {
		t.Fatalf("the clipboard holds %q", got)
	}
	tc.clock.Advance(20 * time.Second)
	if got := tc.cb.Content(); got != "" {
		t.Fatalf("the code stayed on the clipboard: %q", got)
	}
}

// TestCodeStopsWhenTheVaultLocks drops the key at the first tick after a lock, and a
// stopped ticker neither shows nor copies anything.
func TestCodeStopsWhenTheVaultLocks(t *testing.T) {
	tc := newTestCore(t, DefaultSettings())
	tc.create(t)
	shown := 0
	ticker, err := tc.WatchCode("JBSWY3DPEHPK3PXP", func(AuthCode) { shown++ })
	if err != nil {
		t.Fatal(err)
	}
	tc.Lock()
	tc.clock.Advance(2 * time.Second)
	if ticker.Running() || shown != 1 {
		t.Fatalf("after the lock: running %v, shown %d times", ticker.Running(), shown)
	}
	if _, ok := ticker.Code(); ok {
		t.Fatal("a stopped ticker still makes codes")
	}
	ticker.Copy()
	if got := tc.cb.Content(); got != "" {
		t.Fatalf("a stopped ticker copied %q", got)
	}
	ticker.Stop() // twice is fine
}

func TestWatchCodeRefusesAMalformedKey(t *testing.T) {
	tc := newTestCore(t, DefaultSettings())
	tc.create(t)
	for _, bad := range []string{"", "not base32 at all!", "otpauth://hotp/x?secret=JBSWY3DP", "otpauth://totp/x?secret=JBSWY3DP&digits=12"} {
		if _, err := tc.WatchCode(bad, func(AuthCode) { t.Errorf("%q showed a code", bad) }); !errors.Is(err, totp.ErrInvalid) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestGroupCode(t *testing.T) {
	for in, want := range map[string]string{"123456": "123 456", "1234567": "123 4567", "12345678": "1234 5678", "12": "12"} {
		if got := GroupCode(in); got != want {
			t.Errorf("GroupCode(%q) = %q, want %q", in, got, want)
		}
	}
}
