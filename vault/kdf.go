package vault

import (
	"crypto/rand"
	"fmt"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/valvpm/valv/internal/argon2"
	"github.com/valvpm/valv/internal/secret"
)

// KDFParams are the Argon2id parameters stored in a vault header. Memory is in KiB.
type KDFParams struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8  // lanes
	Salt    []byte
}

// Bounds on KDF parameters read from a file or the network. The floor stops a
// downgrade (a tampered header that makes brute force cheap); the caps stop a header
// from demanding gigabytes or minutes of work (a denial of service), the same idea as
// age's SetMaxWorkFactor.
const (
	MinMemory  = 64 * 1024       // 64 MiB
	MinTime    = 3               // passes
	MinThreads = 4               // lanes
	MaxMemory  = 4 * 1024 * 1024 // 4 GiB
	MaxTime    = 50
	MaxThreads = 64
	SaltSize   = 16 // 128-bit salt: unique per vault and per password change
	KeySize    = 32
)

// DefaultKDFTarget is how long a new vault's key derivation should take on the
// creating device: long enough to slow guessing, short enough to unlock without a wait.
const DefaultKDFTarget = 500 * time.Millisecond

// FloorKDF returns the minimum allowed parameters with a fresh random salt.
func FloorKDF() KDFParams {
	return KDFParams{Memory: MinMemory, Time: MinTime, Threads: MinThreads, Salt: newSalt()}
}

func newSalt() []byte {
	s := make([]byte, SaltSize)
	rand.Read(s) // crypto/rand.Read never fails (it crashes the program instead).
	return s
}

// Check reports ErrKDFParams if p is below the floor or above the caps.
func (p KDFParams) Check() error {
	switch {
	case p.Memory < MinMemory || p.Time < MinTime || p.Threads < MinThreads:
		return fmt.Errorf("%w: below the minimum of %d MiB, %d passes, %d lanes", ErrKDFParams, MinMemory/1024, MinTime, MinThreads)
	case p.Memory > MaxMemory || p.Time > MaxTime || p.Threads > MaxThreads:
		return fmt.Errorf("%w: above the maximum of %d MiB, %d passes, %d lanes", ErrKDFParams, MaxMemory/1024, MaxTime, MaxThreads)
	case len(p.Salt) != SaltSize:
		return fmt.Errorf("%w: the salt must be %d bytes", ErrKDFParams, SaltSize)
	}
	return nil
}

// String describes the parameters without the salt, for `valv-cli info`.
func (p KDFParams) String() string {
	return fmt.Sprintf("Argon2id, %d MiB, %d passes, %d lanes", p.Memory/1024, p.Time, p.Threads)
}

// deriveMasterKey runs Argon2id over the NFC form of password. NFC first, so the same
// password typed on systems that compose characters differently opens the same vault.
// The normalised copy is wiped before returning.
func deriveMasterKey(password []byte, p KDFParams) ([]byte, error) {
	if err := p.Check(); err != nil {
		return nil, err
	}
	pw := norm.NFC.Bytes(password)
	key := argon2.IDKey(pw, p.Salt, p.Time, p.Memory, p.Threads, KeySize)
	if len(pw) > 0 && &pw[0] != &password[0] {
		secret.Wipe(pw)
	}
	return key, nil
}

// Calibrate returns parameters that take about target on this device, never below the
// floor. Memory stays at the floor (64 MiB) so the desktop app's footprint stays small;
// extra work goes into passes, which Argon2id's time cost scales linearly.
func Calibrate(target time.Duration) KDFParams {
	p := FloorKDF()
	if target <= 0 {
		return p
	}
	start := time.Now()
	argon2.IDKey([]byte("calibration"), p.Salt, p.Time, p.Memory, p.Threads, KeySize)
	perPass := time.Since(start) / time.Duration(p.Time)
	if perPass <= 0 {
		return p
	}
	t := uint32(target / perPass)
	if t > p.Time {
		p.Time = min(t, MaxTime)
	}
	return p
}

// DeriveKey turns a password into a 32-byte key for one purpose: Argon2id with p (which
// must pass Check) over the NFC form of password, then HKDF-SHA256 with label, so keys
// for different purposes never coincide. The encrypted export uses it with its own
// label; the vault's own hierarchy is in header.go.
func DeriveKey(password []byte, p KDFParams, label string) ([]byte, error) {
	mk, err := deriveMasterKey(password, p)
	if err != nil {
		return nil, err
	}
	defer secret.Wipe(mk)
	return subkey(mk, label)
}
