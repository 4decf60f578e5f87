package totp

import (
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// The RFC 6238 appendix B seeds: the ASCII digits repeated to the hash's size.
var rfcSeeds = map[Algorithm]string{
	SHA1:   "12345678901234567890",
	SHA256: "12345678901234567890123456789012",
	SHA512: "1234567890123456789012345678901234567890123456789012345678901234",
}

func rfcURI(a Algorithm) string {
	return "otpauth://totp/RFC:6238?secret=" + base32.StdEncoding.EncodeToString([]byte(rfcSeeds[a])) +
		"&algorithm=" + a.String() + "&digits=8&period=30"
}

// TestRFC6238Vectors checks every code of RFC 6238 appendix B, at its fixed times, for
// all three hashes, through the URI parser.
func TestRFC6238Vectors(t *testing.T) {
	vectors := []struct {
		unix                 int64
		sha1, sha256, sha512 string
	}{
		{59, "94287082", "46119246", "90693936"},
		{1111111109, "07081804", "68084774", "25091201"},
		{1111111111, "14050471", "67062674", "99943326"},
		{1234567890, "89005924", "91819424", "93441116"},
		{2000000000, "69279037", "90698825", "38618901"},
		{20000000000, "65353130", "77737706", "47863826"},
	}
	for _, a := range []Algorithm{SHA1, SHA256, SHA512} {
		k, err := Parse(rfcURI(a))
		if err != nil {
			t.Fatalf("%s: %v", a, err)
		}
		if k.Algorithm != a || k.Digits != 8 || k.Period != 30*time.Second {
			t.Fatalf("%s: parsed %v/%d/%v", a, k.Algorithm, k.Digits, k.Period)
		}
		for _, v := range vectors {
			want := map[Algorithm]string{SHA1: v.sha1, SHA256: v.sha256, SHA512: v.sha512}[a]
			if got := k.At(time.Unix(v.unix, 0)).Value; got != want {
				t.Errorf("%s at %d: %s, want %s", a, v.unix, got, want)
			}
		}
	}
}

// TestCountdownAndRollover drives a key through two periods on an injected clock: the
// code holds for the whole period while the countdown falls second by second, and the
// next code appears exactly when the period turns.
func TestCountdownAndRollover(t *testing.T) {
	for _, period := range []int{30, 60, 7} {
		t.Run(fmt.Sprint(period), func(t *testing.T) {
			k, err := Parse(fmt.Sprintf("otpauth://totp/x?secret=JBSWY3DPEHPK3PXPJBSWY3DP&period=%d", period))
			if err != nil {
				t.Fatal(err)
			}
			clock := time.Unix(1_700_000_000/int64(period)*int64(period), 0) // a period's first second
			first := k.At(clock)
			if first.RemainingSeconds() != period || first.Remaining != time.Duration(period)*time.Second {
				t.Fatalf("at the start: %v remaining, want %ds", first.Remaining, period)
			}
			for s := 1; s < period; s++ {
				clock = clock.Add(time.Second)
				c := k.At(clock)
				if c.Value != first.Value {
					t.Fatalf("code changed %ds into the period", s)
				}
				if c.RemainingSeconds() != period-s {
					t.Fatalf("%ds in: %d s remaining, want %d", s, c.RemainingSeconds(), period-s)
				}
			}
			// The last instant of the period still shows the old code, with a sliver left.
			last := k.At(clock.Add(999 * time.Millisecond))
			if last.Value != first.Value || last.Remaining != time.Millisecond || last.RemainingSeconds() != 1 {
				t.Fatalf("last millisecond: %q %v", last.Value, last.Remaining)
			}
			clock = clock.Add(time.Second)
			next := k.At(clock)
			if next.Value == first.Value {
				t.Fatalf("the code did not change when the period turned")
			}
			if next.RemainingSeconds() != period {
				t.Fatalf("new period: %d s remaining, want %d", next.RemainingSeconds(), period)
			}
			if want := k.code(uint64(clock.Unix() / int64(period))); next.Value != want {
				t.Fatalf("new code %s, want the next step's %s", next.Value, want)
			}
		})
	}
}

func TestParseAccepts(t *testing.T) {
	for _, c := range []struct {
		in              string
		alg             Algorithm
		digits          int
		period          time.Duration
		issuer, account string
	}{
		{"JBSWY3DPEHPK3PXP", SHA1, 6, 30 * time.Second, "", ""},
		{"  jbsw y3dp ehpk 3pxp  ", SHA1, 6, 30 * time.Second, "", ""},
		{"JBSW-Y3DP-EHPK-3PXP", SHA1, 6, 30 * time.Second, "", ""},
		{"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP====", SHA1, 6, 30 * time.Second, "", ""},
		{"otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example", SHA1, 6, 30 * time.Second, "Example", "alice@example.com"},
		{"OTPAUTH://TOTP/ACME%20Co:john?secret=jbswy3dpehpk3pxp&algorithm=sha256&digits=8&period=60", SHA256, 8, 60 * time.Second, "ACME Co", "john"},
		{"otpauth://totp/Bank?secret=JBSWY3DPEHPK3PXP&algorithm=SHA512&digits=7&period=15&issuer=Sunda", SHA512, 7, 15 * time.Second, "Sunda", "Bank"},
		{"otpauth://totp/?secret=JBSWY3DPEHPK3PXP&period=86400", SHA1, 6, 24 * time.Hour, "", ""},
		{"otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=1", SHA1, 6, time.Second, "", "x"},
	} {
		k, err := Parse(c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if k.Algorithm != c.alg || k.Digits != c.digits || k.Period != c.period || k.Issuer != c.issuer || k.Account != c.account {
			t.Errorf("%q: got %v/%d/%v %q %q", c.in, k.Algorithm, k.Digits, k.Period, k.Issuer, k.Account)
		}
		if code := k.At(time.Unix(1e9, 0)).Value; len(code) != c.digits || strings.Trim(code, "0123456789") != "" {
			t.Errorf("%q: code %q", c.in, code)
		}
	}
	// The same secret however it is written gives the same codes.
	a, _ := Parse("JBSWY3DPEHPK3PXP")
	b, _ := Parse("jbsw y3dp-ehpk 3pxp")
	if a.At(time.Unix(1e9, 0)) != b.At(time.Unix(1e9, 0)) {
		t.Error("spacing or case changed the code")
	}
}

// TestParseRefuses: every malformed input is refused with ErrInvalid and a sentence
// that says why, and never with the secret in the message.
func TestParseRefuses(t *testing.T) {
	const secret = "JBSWY3DPEHPK3PXP"
	for _, c := range []struct{ in, says string }{
		{"", "empty"},
		{"   ", "empty"},
		{"-", "empty"},
		{"JBSWY3DPEHPK3PX1", "A–Z and the digits 2–7"},
		{"JBSWY3DPEHPK3PXPä", "A–Z"},
		{"JBSWY3DPEHPK3PXPA", "length"},
		{"otpauth://hotp/x?secret=" + secret + "&counter=1", "HOTP"},
		{"otpauth://totp/x?issuer=Bank", "no secret"},
		{"otpauth://totp/x?secret=" + secret + "8", "A–Z"},
		{"otpauth://totp/x?secret=" + secret + "&algorithm=MD5", "SHA1, SHA256 or SHA512"},
		{"otpauth://totp/x?secret=" + secret + "&digits=5", "6 to 8"},
		{"otpauth://totp/x?secret=" + secret + "&digits=9", "6 to 8"},
		{"otpauth://totp/x?secret=" + secret + "&digits=six", "6 to 8"},
		{"otpauth://totp/x?secret=" + secret + "&period=0", "period"},
		{"otpauth://totp/x?secret=" + secret + "&period=86401", "period"},
		{"otpauth://totp/x?secret=" + secret + "&period=-30", "period"},
		{"otpauth://totp/x?secret=" + secret + "&period=1e3", "period"},
		{"otpauth://totp/x?secret=%ZZ", "parameters"},
		{"otpauth://steam/x?secret=" + secret, "otpauth://totp/"},
		{"otpauth-migration://offline?data=CjEKCkhlbGxvId", "Google Authenticator export"},
		{"https://example.com/?secret=" + secret, "not an otpauth://totp/"},
		{strings.Repeat("A", 2000), "far longer"},
	} {
		_, err := Parse(c.in)
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%q: %v, want ErrInvalid", c.in, err)
			continue
		}
		if !strings.Contains(err.Error(), c.says) {
			t.Errorf("%q: %q does not say %q", c.in, err, c.says)
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("%q: the error repeats the secret: %q", c.in, err)
		}
	}
}

func TestURIRoundTrip(t *testing.T) {
	k, err := Parse("otpauth://totp/a:b:c?secret=jbswy3dpehpk3pxp&issuer=Is:su%20er&algorithm=sha512&digits=7&period=45")
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(k.URI())
	if err != nil {
		t.Fatal(err)
	}
	if !sameKey(k, back) {
		t.Fatalf("%+v became %+v through %s", k, back, k.URI())
	}
	if k.Issuer != "Is:su er" || k.Account != "b:c" {
		t.Fatalf("issuer %q account %q", k.Issuer, k.Account)
	}
}

func sameKey(a, b *Key) bool {
	return string(a.Secret) == string(b.Secret) && a.Algorithm == b.Algorithm && a.Digits == b.Digits &&
		a.Period == b.Period && a.Issuer == b.Issuer && a.Account == b.Account
}
