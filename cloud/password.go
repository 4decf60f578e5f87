package cloud

import (
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/mail"
	"strings"

	"golang.org/x/crypto/argon2"

	"github.com/valvpm/valv/cloud/api"
)

// Argon2Params are the server-side Argon2id parameters for account passwords. They are
// stored in every hash, so changing them affects new hashes only.
type Argon2Params struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// DefaultArgon2 follows the OWASP recommendation for servers (19 MiB, t=2, p=1): a
// sign-in costs tens of milliseconds, and many can run at once without exhausting RAM.
var DefaultArgon2 = Argon2Params{MemoryKiB: 19 * 1024, Time: 2, Threads: 1}

// maxArgon2 caps what a stored hash may demand, so a corrupted record cannot make a
// sign-in allocate gigabytes.
var maxArgon2 = Argon2Params{MemoryKiB: 1 << 20, Time: 16, Threads: 16}

var errBadHash = errors.New("cloud: malformed password hash")

// hashPassword returns a PHC string: $argon2id$v=19$m=..,t=..,p=..$salt$hash.
func hashPassword(pw string, p Argon2Params, rnd io.Reader) (string, error) {
	salt := make([]byte, 16)
	if _, err := io.ReadFull(rnd, salt); err != nil {
		return "", fmt.Errorf("cloud: salt: %w", err)
	}
	sum := argon2.IDKey([]byte(pw), salt, p.Time, p.MemoryKiB, p.Threads, 32)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Time, p.Threads,
		enc.EncodeToString(salt), enc.EncodeToString(sum)), nil
}

// verifyPassword reports whether pw matches the PHC hash, in constant time.
func verifyPassword(pw, phc string) (bool, error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return false, errBadHash
	}
	var p Argon2Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil {
		return false, errBadHash
	}
	if p.MemoryKiB == 0 || p.Time == 0 || p.Threads == 0 || p.MemoryKiB > maxArgon2.MemoryKiB || p.Time > maxArgon2.Time || p.Threads > maxArgon2.Threads {
		return false, errBadHash
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

var ruleText = map[api.Code]string{
	api.CodePasswordTooShort: "at least 8 characters",
	api.CodePasswordNoDigit:  "at least one digit",
	api.CodePasswordNoLower:  "at least one lowercase letter",
	api.CodePasswordNoUpper:  "at least one uppercase letter",
	api.CodePasswordHasSpace: "no spaces",
	api.CodePasswordTooLong:  "at most 256 bytes",
}

// checkPassword turns broken rules into the API error: the first rule is the code, all
// of them are listed.
func checkPassword(pw string) error {
	broken := api.BrokenPasswordRules(pw)
	if len(broken) == 0 {
		return nil
	}
	var want []string
	for _, c := range broken {
		want = append(want, ruleText[c])
	}
	e := errf(http.StatusBadRequest, broken[0], "The password needs %s.", strings.Join(want, ", "))
	e.body.BrokenRules = broken
	return e
}

// normalizeEmail lower-cases and trims an address and checks it is a bare address.
func normalizeEmail(s string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(s))
	bad := errf(http.StatusBadRequest, api.CodeInvalidEmail, "Enter a valid e-mail address, like name@example.com.")
	if e == "" || len(e) > 254 {
		return "", bad
	}
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || a.Name != "" {
		return "", bad
	}
	at := strings.LastIndexByte(e, '@')
	if at < 1 || !strings.Contains(e[at+1:], ".") {
		return "", bad
	}
	return e, nil
}

// maskEmail shows enough of an address to recognise it: "an•••@example.com".
func maskEmail(e string) string {
	at := strings.LastIndexByte(e, '@')
	if at < 0 {
		return "•••"
	}
	local := e[:at]
	if len(local) > 2 {
		local = local[:2]
	}
	return local + "•••" + e[at:]
}
