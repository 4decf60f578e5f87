package account

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/zalando/go-keyring"
)

// Keyring names. go-keyring cannot list entries, so they are fixed and documented
// (package doc): any Valv app can find them.
const (
	KeyringService       = "Valv"
	FamilyKeyringService = "Valv Sign-In"
	FamilyKeyringUser    = "family"
)

// StoredSession is what survives a restart: the refresh token and who it belongs to.
type StoredSession struct {
	Server       string `json:"server"`
	Email        string `json:"email"`
	RefreshToken string `json:"token"`
}

// SessionStore keeps one session per server host.
type SessionStore interface {
	Load(host string) (*StoredSession, error) // nil, nil when there is none
	Save(host string, s *StoredSession) error
	Delete(host string) error
}

// MemoryStore keeps sessions for this run only.
type MemoryStore struct {
	mu sync.Mutex
	m  map[string]StoredSession
}

// Load returns the session for host, or nil.
func (m *MemoryStore) Load(host string) (*StoredSession, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s, ok := m.m[host]; ok {
		return &s, nil
	}
	return nil, nil
}

// Save remembers s for host.
func (m *MemoryStore) Save(host string, s *StoredSession) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[string]StoredSession{}
	}
	m.m[host] = *s
	return nil
}

// Delete forgets host's session.
func (m *MemoryStore) Delete(host string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.m, host)
	return nil
}

// ErrKeyringUnavailable explains why a session lasts only until the app closes.
var ErrKeyringUnavailable = errors.New("the system keyring is not available, so you will need to sign in again the next time Valv starts")

// KeyringStore keeps sessions in the OS keyring. When the keyring fails (no Secret
// Service running, a locked keychain), it falls back to memory for the rest of the run
// and Warning says why, so the app still works.
type KeyringStore struct {
	// App keeps each Valv app's session apart: refresh tokens rotate, so two apps must
	// never share one. Empty for the desktop app; "valv-cli" for the terminal client.
	App string

	mem MemoryStore

	mu      sync.Mutex
	warning error
}

// Warning is ErrKeyringUnavailable (wrapped with the cause) once the keyring has failed.
func (k *KeyringStore) Warning() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.warning
}

func (k *KeyringStore) failed(err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.warning == nil {
		k.warning = fmt.Errorf("%w (%v)", ErrKeyringUnavailable, err)
	}
}

func (k *KeyringStore) user(host string) string {
	if k.App != "" {
		return k.App + " session " + host
	}
	return "session " + host
}

// Load reads host's session from the keyring.
func (k *KeyringStore) Load(host string) (*StoredSession, error) {
	if s, _ := k.mem.Load(host); s != nil {
		return s, nil
	}
	raw, err := keyring.Get(KeyringService, k.user(host))
	if errors.Is(err, keyring.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		k.failed(err)
		return nil, nil
	}
	var s StoredSession
	if json.Unmarshal([]byte(raw), &s) != nil || s.RefreshToken == "" {
		return nil, nil // an entry we cannot read is as good as none: sign in again
	}
	return &s, nil
}

// Save writes host's session to the keyring, or to memory if the keyring fails.
func (k *KeyringStore) Save(host string, s *StoredSession) error {
	raw, err := json.Marshal(s)
	if err != nil {
		return err
	}
	if err := keyring.Set(KeyringService, k.user(host), string(raw)); err != nil {
		k.failed(err)
		return k.mem.Save(host, s)
	}
	return k.mem.Delete(host)
}

// Delete removes host's session from the keyring and memory.
func (k *KeyringStore) Delete(host string) error {
	k.mem.Delete(host)
	err := keyring.Delete(KeyringService, k.user(host))
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		k.failed(err)
	}
	return nil
}

// FamilyEntry is the family-wide sign-in entry (package doc).
type FamilyEntry = StoredSession

// WriteFamilyEntry records a sign-in for the other Valv apps on this computer.
func WriteFamilyEntry(e *FamilyEntry) error {
	raw, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return keyring.Set(FamilyKeyringService, FamilyKeyringUser, string(raw))
}

// ReadFamilyEntry returns the family-wide sign-in entry, or nil if there is none (or
// no keyring to hold one).
func ReadFamilyEntry() *FamilyEntry {
	raw, err := keyring.Get(FamilyKeyringService, FamilyKeyringUser)
	if err != nil {
		return nil
	}
	var e FamilyEntry
	if json.Unmarshal([]byte(raw), &e) != nil || e.Email == "" || e.RefreshToken == "" {
		return nil
	}
	return &e
}

// DeleteFamilyEntry removes the family-wide entry (on sign-out of the app that wrote it).
func DeleteFamilyEntry() error {
	err := keyring.Delete(FamilyKeyringService, FamilyKeyringUser)
	if errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	return err
}
