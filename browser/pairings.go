package browser

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/valvpm/valv/vault/transfer"
)

// PairingsFile is the file name of the paired-browser list, kept in the OS user's
// Valv folder beside the vault and settings.json (vault.UserDir()).
const PairingsFile = "browsers.json"

// touchEvery limits how often a browser's last use is written: once a minute is
// precise enough for Settings → Browsers and spares the disk a write per fill.
const touchEvery = time.Minute

// ErrUnknownBrowser means no paired browser has the given ID.
var ErrUnknownBrowser = errors.New("no paired browser has that ID")

// ErrPairingsDamaged means the paired-browser file is not one OpenPairings wrote.
var ErrPairingsDamaged = errors.New("the paired browsers file is damaged")

// Browser is one paired browser profile as Settings → Browsers lists it.
type Browser struct {
	ID       string    `json:"id"`   // a short hash of its key, stable, for Revoke
	Name     string    `json:"name"` // as the extension described itself, e.g. "Chromium on Linux"
	Key      []byte    `json:"key"`  // the extension's public key
	Paired   time.Time `json:"paired"`
	LastUsed time.Time `json:"lastUsed,omitzero"`
}

// pairingsDoc is the file's content.
type pairingsDoc struct {
	// AppKey is the app's own key pair. It lives here, readable by this OS user only,
	// because the app must answer (locked, not paired) before any vault is unlocked;
	// it only proves to paired extensions that they talk to this Valv, and whoever can
	// read this user's 0600 files can read the extension's key in the browser profile
	// too.
	AppPublic  []byte    `json:"appPublic"`
	AppPrivate []byte    `json:"appPrivate"`
	Browsers   []Browser `json:"browsers"`
}

// Pairings is the list of paired browsers and the app's key pair, saved in one JSON
// file (0600) on every change. Safe for concurrent use.
type Pairings struct {
	path     string
	mu       sync.Mutex
	key      KeyPair
	doc      pairingsDoc
	onChange // a pairing, a revoke, a last use
}

// OpenPairings reads the paired-browser file at path, or starts one with a fresh app
// key pair (written at once, so the key stays the same across restarts). A damaged
// file is reported, not replaced: replacing it would silently unpair every browser.
func OpenPairings(path string) (*Pairings, error) {
	p := &Pairings{path: path}
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		kp, err := NewKeyPair()
		if err != nil {
			return nil, err
		}
		p.key = kp
		p.doc = pairingsDoc{AppPublic: kp.Public[:], AppPrivate: kp.Private[:], Browsers: []Browser{}}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("cannot create %s: %w", filepath.Dir(path), err)
		}
		return p, p.save()
	case err != nil:
		return nil, fmt.Errorf("cannot read the paired browsers: %w", err)
	}
	if err := json.Unmarshal(b, &p.doc); err != nil || len(p.doc.AppPublic) != keySize || len(p.doc.AppPrivate) != keySize {
		return nil, fmt.Errorf("%w: %s; delete it to pair the browsers again", ErrPairingsDamaged, path)
	}
	copy(p.key.Public[:], p.doc.AppPublic)
	copy(p.key.Private[:], p.doc.AppPrivate)
	return p, nil
}

// AppKey is the app's key pair.
func (p *Pairings) AppKey() KeyPair { return p.key }

// BrowserID is the stable short ID of an extension key.
func BrowserID(key []byte) string {
	h := sha256.Sum256(key)
	return hex.EncodeToString(h[:6])
}

// List returns the paired browsers, most recently used first.
func (p *Pairings) List() []Browser {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := slices.Clone(p.doc.Browsers)
	slices.SortStableFunc(out, func(a, b Browser) int { return latest(b).Compare(latest(a)) })
	return out
}

func latest(b Browser) time.Time {
	if b.LastUsed.After(b.Paired) {
		return b.LastUsed
	}
	return b.Paired
}

// Paired reports whether key belongs to a paired browser.
func (p *Pairings) Paired(key []byte) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.find(key) >= 0
}

func (p *Pairings) find(key []byte) int {
	return slices.IndexFunc(p.doc.Browsers, func(b Browser) bool { return string(b.Key) == string(key) })
}

// Approve adds (or renames) the browser with key, after the person approved it.
func (p *Pairings) Approve(key []byte, name string, now time.Time) error {
	return p.notify(p.approve(key, name, now))
}

func (p *Pairings) approve(key []byte, name string, now time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if i := p.find(key); i >= 0 {
		p.doc.Browsers[i].Name, p.doc.Browsers[i].Paired = name, now
	} else {
		p.doc.Browsers = append(p.doc.Browsers, Browser{ID: BrowserID(key), Name: name, Key: slices.Clone(key), Paired: now})
	}
	return p.save()
}

// Touch records that the browser with key was used at now (written at most once a
// minute per browser).
func (p *Pairings) Touch(key []byte, now time.Time) error {
	if wrote, err := p.touch(key, now); wrote {
		return p.notify(err)
	}
	return nil
}

func (p *Pairings) touch(key []byte, now time.Time) (wrote bool, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	i := p.find(key)
	if i < 0 || now.Sub(p.doc.Browsers[i].LastUsed) < touchEvery {
		return false, nil
	}
	p.doc.Browsers[i].LastUsed = now
	return true, p.save()
}

// Revoke unpairs the browser with the given ID; its next request is refused and it
// must pair again.
func (p *Pairings) Revoke(id string) error {
	return p.notify(p.revoke(id))
}

func (p *Pairings) revoke(id string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	i := slices.IndexFunc(p.doc.Browsers, func(b Browser) bool { return b.ID == id })
	if i < 0 {
		return ErrUnknownBrowser
	}
	p.doc.Browsers = slices.Delete(p.doc.Browsers, i, i+1)
	return p.save()
}

// save writes the file atomically (temporary file, sync, rename), readable by this OS
// user only. The caller holds mu.
func (p *Pairings) save() error {
	b, err := json.MarshalIndent(p.doc, "", "  ")
	if err != nil {
		return err
	}
	if err := transfer.WriteFile(p.path, b); err != nil {
		return fmt.Errorf("cannot save the paired browsers: %w", err)
	}
	return nil
}
