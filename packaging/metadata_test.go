package packaging

import (
	"encoding/xml"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/valvpm/valv/internal/testenv"
)

const appID = "io.github.valvpm.valv"

var (
	desktopFile  = filepath.Join("linux", appID+".desktop")
	metainfoFile = filepath.Join("linux", appID+".metainfo.xml")
)

// validate runs a validator on a committed file and fails with its report.
func validate(t *testing.T, tool string, args ...string) string {
	t.Helper()
	out, err := exec.Command(testenv.LookPath(t, tool), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestDesktopFileValidates(t *testing.T) {
	validate(t, "desktop-file-validate", desktopFile)
	b, err := os.ReadFile(desktopFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"Exec=valv", "Icon=" + appID, "Terminal=false"} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(line) + `$`).Match(b) {
			t.Errorf("%s lacks the line %q", desktopFile, line)
		}
	}
}

func TestMetainfoValidates(t *testing.T) {
	// --no-net: the screenshots are checked against the repository below, not fetched.
	validate(t, "appstreamcli", "validate", "--no-net", "--pedantic", metainfoFile)
}

// metainfo is the part of the AppStream file the tests look at.
type metainfo struct {
	ID          string `xml:"id"`
	Launchable  string `xml:"launchable"`
	Screenshots []struct {
		Default string `xml:"type,attr"`
		Image   struct {
			URL    string `xml:",chardata"`
			Width  int    `xml:"width,attr"`
			Height int    `xml:"height,attr"`
		} `xml:"image"`
	} `xml:"screenshots>screenshot"`
	Releases []struct {
		Version string `xml:"version,attr"`
		Date    string `xml:"date,attr"`
	} `xml:"releases>release"`
}

func readMetainfo(t *testing.T) metainfo {
	t.Helper()
	b, err := os.ReadFile(metainfoFile)
	if err != nil {
		t.Fatal(err)
	}
	var m metainfo
	if err := xml.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", metainfoFile, err)
	}
	return m
}

// TestMetainfoScreenshotsExist: software centres show the screenshots from the
// repository's main branch, so each must be a committed file of docs/screenshots with
// the size the metadata claims.
func TestMetainfoScreenshotsExist(t *testing.T) {
	m := readMetainfo(t)
	if m.ID != appID || m.Launchable != appID+".desktop" {
		t.Errorf("id %q, launchable %q; want %s and %s.desktop", m.ID, m.Launchable, appID, appID)
	}
	const prefix = "https://raw.githubusercontent.com/valvpm/valv/main/"
	defaults := 0
	for _, s := range m.Screenshots {
		if s.Default == "default" {
			defaults++
		}
		rel, ok := strings.CutPrefix(strings.TrimSpace(s.Image.URL), prefix)
		if !ok || !strings.HasPrefix(rel, "docs/screenshots/") {
			t.Errorf("screenshot %q is not under %sdocs/screenshots/", s.Image.URL, prefix)
			continue
		}
		f, err := os.Open(filepath.Join("..", filepath.FromSlash(rel)))
		if err != nil {
			t.Errorf("screenshot %s: %v", rel, err)
			continue
		}
		cfg, err := png.DecodeConfig(f)
		if cerr := f.Close(); cerr != nil {
			t.Fatal(cerr)
		}
		if err != nil {
			t.Errorf("screenshot %s: %v", rel, err)
		} else if cfg.Width != s.Image.Width || cfg.Height != s.Image.Height {
			t.Errorf("screenshot %s is %dx%d, the metadata says %dx%d", rel, cfg.Width, cfg.Height, s.Image.Width, s.Image.Height)
		}
	}
	if len(m.Screenshots) == 0 || defaults != 1 {
		t.Errorf("%d screenshots, %d marked default; want some, exactly one default", len(m.Screenshots), defaults)
	}
}

// TestOneReleaseNumber: the release being prepared is written by hand in three places —
// FyneApp.toml, the newest AppStream <release> and the Flatpak manifest's VALV_VERSION —
// and docs/release.md bumps them together. A release that forgot one would ship a
// software-centre page or a Flatpak that names another version than the programs.
func TestOneReleaseNumber(t *testing.T) {
	read := func(path string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	find := func(path, pattern string) string {
		m := regexp.MustCompile(pattern).FindStringSubmatch(read(path))
		if m == nil {
			t.Fatalf("%s has no line matching %s", path, pattern)
		}
		return m[1]
	}
	fyneApp := find(filepath.Join("..", "FyneApp.toml"), `(?m)^\s*Version\s*=\s*"([^"]+)"`)
	flatpak := find(filepath.Join("flatpak", appID+".yml"), `(?m)^\s*VALV_VERSION:\s*'?([^'\s]+)'?\s*$`)
	m := readMetainfo(t)
	if len(m.Releases) == 0 {
		t.Fatalf("%s lists no release", metainfoFile)
	}
	newest := m.Releases[0]
	if !regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`).MatchString(newest.Date) {
		t.Errorf("newest release %s has date %q, want YYYY-MM-DD", newest.Version, newest.Date)
	}
	if !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(fyneApp) {
		t.Errorf("FyneApp.toml Version %q is not MAJOR.MINOR.PATCH", fyneApp)
	}
	if newest.Version != fyneApp || flatpak != fyneApp {
		t.Errorf("release numbers disagree: FyneApp.toml %s, metainfo newest release %s, Flatpak VALV_VERSION %s",
			fyneApp, newest.Version, flatpak)
	}
}
