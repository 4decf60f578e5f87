package totp

import (
	"encoding/base32"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// uriScheme is how every authenticator URI starts (Google's "Key Uri Format").
const uriScheme = "otpauth://"

// Parse reads what a TOTP field holds: an otpauth://totp/LABEL?secret=…&issuer=…
// &algorithm=…&digits=…&period=… URI, or a bare base32 secret (SHA1, 6 digits, 30
// seconds). Base32 is read as people copy it: any case, with spaces or dashes between
// groups, padding optional. A malformed input gives an error wrapping ErrInvalid that
// says what is wrong, never the secret itself.
func Parse(s string) (*Key, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, invalid("it is empty")
	}
	if len(s) >= len(uriScheme) && strings.EqualFold(s[:len(uriScheme)], uriScheme) {
		return parseURI(s)
	}
	if scheme, _, ok := strings.Cut(s, "://"); ok {
		if strings.EqualFold(scheme, "otpauth-migration") {
			return nil, invalid("a Google Authenticator export link holds several accounts; add each account's own QR code or secret instead")
		}
		return nil, invalid("it is a link, but not an otpauth://totp/ one")
	}
	secret, err := decodeSecret(s)
	if err != nil {
		return nil, err
	}
	return &Key{Secret: secret, Algorithm: SHA1, Digits: DefaultDigits, Period: DefaultPeriod}, nil
}

func invalid(reason string) error { return fmt.Errorf("%w: %s", ErrInvalid, reason) }

func parseURI(s string) (*Key, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, invalid("the otpauth:// link cannot be read (check that it was copied whole)")
	}
	switch strings.ToLower(u.Host) {
	case "totp":
	case "hotp":
		return nil, invalid("it is for counter-based codes (HOTP); Valv makes time-based codes (TOTP)")
	default:
		return nil, invalid("the link must start with otpauth://totp/")
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, invalid("the link's parameters cannot be read (check that it was copied whole)")
	}
	if q.Get("secret") == "" {
		return nil, invalid("the link has no secret= parameter")
	}
	secret, err := decodeSecret(q.Get("secret"))
	if err != nil {
		return nil, err
	}
	k := &Key{Secret: secret, Algorithm: SHA1, Digits: DefaultDigits, Period: DefaultPeriod}
	if a := q.Get("algorithm"); a != "" {
		switch strings.ToUpper(strings.ReplaceAll(a, "-", "")) {
		case "SHA1":
		case "SHA256":
			k.Algorithm = SHA256
		case "SHA512":
			k.Algorithm = SHA512
		default:
			return nil, invalid("the algorithm must be SHA1, SHA256 or SHA512")
		}
	}
	if d := q.Get("digits"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < MinDigits || n > MaxDigits {
			return nil, invalid(fmt.Sprintf("the number of digits must be %d to %d", MinDigits, MaxDigits))
		}
		k.Digits = n
	}
	if p := q.Get("period"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > int(MaxPeriod/time.Second) {
			return nil, invalid(fmt.Sprintf("the period must be a whole number of seconds from 1 to %d", int(MaxPeriod/time.Second)))
		}
		k.Period = time.Duration(n) * time.Second
	}
	// The label is "Issuer:account" or just "account"; the issuer parameter wins.
	label := strings.TrimPrefix(u.Path, "/")
	if i, a, ok := strings.Cut(label, ":"); ok {
		k.Issuer, k.Account = strings.TrimSpace(i), strings.TrimSpace(a)
	} else {
		k.Account = strings.TrimSpace(label)
	}
	if i := q.Get("issuer"); i != "" {
		k.Issuer = i
	}
	return k, nil
}

// decodeSecret decodes base32 as people paste it. It never repeats the input in an
// error: the input is the secret.
func decodeSecret(s string) ([]byte, error) {
	clean := strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '-' || r == '\t':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, s)
	clean = strings.TrimRight(clean, "=")
	if clean == "" {
		return nil, invalid("the secret is empty (only spaces, dashes or padding)")
	}
	for _, r := range clean {
		if !(r >= 'A' && r <= 'Z' || r >= '2' && r <= '7') {
			return nil, invalid("the secret may hold only the letters A–Z and the digits 2–7")
		}
	}
	if len(clean)*5/8 > MaxSecretBytes {
		return nil, invalid("the secret is far longer than any authenticator secret")
	}
	b, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(clean)
	// 1, 3 or 6 characters past a whole 8 encode no whole byte; the decoder lets some
	// of these through, but no encoder writes them.
	if r := len(clean) % 8; err != nil || r == 1 || r == 3 || r == 6 {
		return nil, invalid("the secret has a length no base32 text can have (a character is missing or extra)")
	}
	return b, nil
}

// URI is the key in canonical otpauth:// form: every parameter spelled out, the secret
// in upper-case unpadded base32. Parse(k.URI()) gives back the same key. The vault
// stores what the person gave, not this, so an export keeps their text exactly.
func (k *Key) URI() string {
	label := k.Account
	if k.Issuer != "" || strings.Contains(label, ":") {
		// The issuer parameter carries the exact issuer; the label's copy loses its
		// colons so that the label still splits where it should.
		label = strings.ReplaceAll(k.Issuer, ":", "") + ":" + k.Account
	}
	q := url.Values{}
	q.Set("secret", base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(k.Secret))
	if k.Issuer != "" {
		q.Set("issuer", k.Issuer)
	}
	q.Set("algorithm", k.Algorithm.String())
	q.Set("digits", strconv.Itoa(k.Digits))
	q.Set("period", strconv.Itoa(int(k.Period/time.Second)))
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + label, RawQuery: q.Encode()}
	return u.String()
}
