package browser

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/valvpm/valv/vault/transfer"
)

// SitesFile is the file name of the per-site browser settings, kept beside
// PairingsFile. They are the person's choices about sites, not vault data, and they
// must be readable before the vault is unlocked, like the pairings.
const SitesFile = "browser-sites.json"

// ErrSitesDamaged means the per-site settings file is not one Sites wrote.
var ErrSitesDamaged = errors.New("the browser site settings file is damaged")

// maxFrames bounds the frame origins one site may allow, and maxSites the sites in
// the file, so a misbehaving extension cannot grow the file without end.
const (
	maxFrames = 32
	maxSites  = 10_000
)

// Site is what the person turned on for one site (an origin: scheme, host, port).
type Site struct {
	// FillOnLoad fills the page's only matching login when it loads, without a click.
	FillOnLoad bool `json:"fillOnLoad,omitempty"`
	// Frames are the origins of frames that may be filled although they are not of
	// the site's own origin.
	Frames []string `json:"frames,omitempty"`
}

// Sites holds the per-site settings, saved in one JSON file (0600) on every change.
// Safe for concurrent use. Nothing is on for a site that is not listed.
type Sites struct {
	path  string
	mu    sync.Mutex
	sites map[string]Site
	onChange
}

// SiteEntry is one site's settings with the site they are for, as Settings →
// Browsers lists them.
type SiteEntry struct {
	Origin string // the site: scheme, host and port, as Origin writes it
	Site
}

// OpenSites reads the settings at path; a missing file is an empty list, written at
// the first change. A damaged file is reported, not replaced.
func OpenSites(path string) (*Sites, error) {
	s := &Sites{path: path, sites: map[string]Site{}}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the browser site settings: %w", err)
	}
	if s.sites, err = DecodeSites(b); err != nil {
		return nil, fmt.Errorf("%w: %s", err, path)
	}
	return s, nil
}

// DecodeSites parses a settings file strictly: an object of origins, each an origin
// as Origin writes it, with frames that are origins too.
func DecodeSites(b []byte) (map[string]Site, error) {
	var m map[string]Site
	if err := strictJSON(b, &m); err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrSitesDamaged, err)
	}
	if len(m) > maxSites {
		return nil, fmt.Errorf("%w (more than %d sites)", ErrSitesDamaged, maxSites)
	}
	if m == nil {
		m = map[string]Site{}
	}
	for o, st := range m {
		if !isOrigin(o) || len(st.Frames) > maxFrames {
			return nil, fmt.Errorf("%w (the entry %q)", ErrSitesDamaged, o)
		}
		for _, f := range st.Frames {
			if !isOrigin(f) {
				return nil, fmt.Errorf("%w (the frame %q of %q)", ErrSitesDamaged, f, o)
			}
		}
	}
	return m, nil
}

// isOrigin reports whether o is exactly an origin as Origin writes it.
func isOrigin(o string) bool { return o != "" && Origin(o) == o }

// Get returns the settings of the site that shows pageURL.
func (s *Sites) Get(pageURL string) Site {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.sites[Origin(pageURL)]
	st.Frames = slices.Clone(st.Frames)
	return st
}

// FrameAllowed reports whether the person allowed frames of frameURL's origin on the
// site whose page topURL is.
func (s *Sites) FrameAllowed(frameURL, topURL string) bool {
	f := Origin(frameURL)
	return f != "" && slices.Contains(s.Get(topURL).Frames, f)
}

// List returns every site that has a setting on, in the order of their origins.
func (s *Sites) List() []SiteEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]SiteEntry, 0, len(s.sites))
	for o, st := range s.sites {
		st.Frames = slices.Clone(st.Frames)
		out = append(out, SiteEntry{Origin: o, Site: st})
	}
	slices.SortFunc(out, func(a, b SiteEntry) int { return strings.Compare(a.Origin, b.Origin) })
	return out
}

// Remove turns everything off for the site of pageURL (Settings → Browsers →
// Remove): it is then as if the person had never changed a setting there. A site
// without settings is already so.
func (s *Sites) Remove(pageURL string) error {
	return s.change(pageURL, func(st *Site) error {
		*st = Site{}
		return nil
	})
}

// SetFillOnLoad turns filling on page load on or off for the site of pageURL.
func (s *Sites) SetFillOnLoad(pageURL string, on bool) error {
	return s.change(pageURL, func(st *Site) error {
		st.FillOnLoad = on
		return nil
	})
}

// AllowFrame lets frames of frameOrigin be filled on the site of pageURL.
func (s *Sites) AllowFrame(pageURL, frameOrigin string) error {
	return s.change(pageURL, func(st *Site) error {
		if !isOrigin(frameOrigin) {
			return fmt.Errorf("%w: %q is not a web origin", ErrBadMessage, frameOrigin)
		}
		if slices.Contains(st.Frames, frameOrigin) {
			return nil
		}
		if len(st.Frames) >= maxFrames {
			return fmt.Errorf("a site may allow at most %d frame origins", maxFrames)
		}
		st.Frames = append(st.Frames, frameOrigin)
		return nil
	})
}

// change edits one site's settings and saves the file; on failure nothing changes.
func (s *Sites) change(pageURL string, edit func(*Site) error) error {
	saved, err := s.edit(pageURL, edit)
	if !saved {
		return err
	}
	return s.notify(err)
}

// edit is change under the lock; saved says whether the file was written.
func (s *Sites) edit(pageURL string, edit func(*Site) error) (saved bool, err error) {
	o := Origin(pageURL)
	if o == "" {
		return false, fmt.Errorf("%w: site settings are for http and https pages only", ErrBadMessage)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.sites[o]
	st.Frames = slices.Clone(st.Frames)
	if err := edit(&st); err != nil {
		return false, err
	}
	_, had := s.sites[o]
	keep := st.FillOnLoad || len(st.Frames) > 0
	if !had && !keep {
		return false, nil // nothing on before or after: nothing to save
	}
	if !had && len(s.sites) >= maxSites {
		return false, fmt.Errorf("at most %d sites can have settings", maxSites)
	}
	next := maps.Clone(s.sites)
	if keep {
		next[o] = st
	} else {
		delete(next, o)
	}
	b, err := json.MarshalIndent(next, "", "  ")
	if err != nil {
		return false, err
	}
	if err := transfer.WriteFile(s.path, b); err != nil {
		return false, fmt.Errorf("cannot save the browser site settings: %w", err)
	}
	s.sites = next
	return true, nil
}
