package transfer

import (
	"fmt"
	"strings"
)

// Format names a file format that Valv can import. The names are what
// `valv-cli import --format` accepts and what a dialog may show next to Describe.
type Format string

// The formats Valv imports. FormatText is the plain-text export of the commercial
// password manager whose flows Valv follows (sections Websites, Applications and Notes).
const (
	FormatText          Format = "text"
	FormatChrome        Format = "chrome" // Chrome, Edge, Brave and other Chromium browsers
	FormatFirefox       Format = "firefox"
	FormatSafari        Format = "safari"
	FormatBitwardenCSV  Format = "bitwarden-csv"
	FormatBitwardenJSON Format = "bitwarden-json"
	FormatKeePassXCCSV  Format = "keepassxc-csv"
	FormatKeePassXML    Format = "keepass-xml"
	Format1PasswordCSV  Format = "1password-csv"
	FormatLastPassCSV   Format = "lastpass-csv"
	FormatValvJSON      Format = "valv-json"
	FormatValvEncrypted Format = "valv-encrypted"

	FormatKDBX           Format = "keepass-kdbx" // KeePass 2 and KeePassXC databases, KDBX 3.1 and 4
	FormatKeePassCSV     Format = "keepass-csv"  // KeePass 1.x CSV
	FormatKeePassXXML    Format = "keepassx-xml" // KeePassX 0.4
	Format1PUX           Format = "1password-1pux"
	Format1PIF           Format = "1password-1pif"
	FormatDashlaneCSV    Format = "dashlane-csv" // credentials, payments, secure notes, personal info, and the old export
	FormatDashlaneZip    Format = "dashlane-zip" // the zip of Dashlane's CSV files
	FormatDashlaneJSON   Format = "dashlane-json"
	FormatNordPassCSV    Format = "nordpass-csv"
	FormatProtonPassJSON Format = "protonpass-json"
	FormatEnpassJSON     Format = "enpass-json"
	FormatEnpassCSV      Format = "enpass-csv"
	FormatRoboFormCSV    Format = "roboform-csv"
	FormatKeeperCSV      Format = "keeper-csv"
	FormatKeeperJSON     Format = "keeper-json"
	FormatSafeInCloudXML Format = "safeincloud-xml"
	FormatSafeInCloudCSV Format = "safeincloud-csv"
	FormatZohoCSV        Format = "zoho-csv"
)

// Formats lists every importable format, in the order a dialog should offer them.
var Formats = []Format{
	FormatText, FormatChrome, FormatFirefox, FormatSafari, FormatBitwardenCSV,
	FormatBitwardenJSON, FormatKeePassXCCSV, FormatKeePassXML, Format1PasswordCSV,
	FormatLastPassCSV, FormatValvJSON, FormatValvEncrypted,
	FormatKDBX, FormatKeePassCSV, FormatKeePassXXML, Format1PUX, Format1PIF,
	FormatDashlaneCSV, FormatDashlaneZip, FormatDashlaneJSON, FormatNordPassCSV,
	FormatProtonPassJSON, FormatEnpassJSON, FormatEnpassCSV, FormatRoboFormCSV,
	FormatKeeperCSV, FormatKeeperJSON, FormatSafeInCloudXML, FormatSafeInCloudCSV,
	FormatZohoCSV,
}

var descriptions = map[Format]string{
	FormatText:          "password manager text export (Websites, Applications, Notes)",
	FormatChrome:        "Chrome, Edge or Brave CSV",
	FormatFirefox:       "Firefox CSV",
	FormatSafari:        "Safari CSV",
	FormatBitwardenCSV:  "Bitwarden CSV",
	FormatBitwardenJSON: "Bitwarden JSON (unencrypted)",
	FormatKeePassXCCSV:  "KeePassXC CSV",
	FormatKeePassXML:    "KeePass 2 XML",
	Format1PasswordCSV:  "1Password CSV",
	FormatLastPassCSV:   "LastPass CSV",
	FormatValvJSON:      "Valv JSON export",
	FormatValvEncrypted: "Valv encrypted export",

	FormatKDBX:           "KeePass 2 / KeePassXC database (.kdbx)",
	FormatKeePassCSV:     "KeePass 1.x CSV",
	FormatKeePassXXML:    "KeePassX 0.4 XML",
	Format1PUX:           "1Password 8 export (.1pux)",
	Format1PIF:           "1Password 4 export (.1pif)",
	FormatDashlaneCSV:    "Dashlane CSV",
	FormatDashlaneZip:    "Dashlane CSV export (zip)",
	FormatDashlaneJSON:   "Dashlane JSON",
	FormatNordPassCSV:    "NordPass CSV",
	FormatProtonPassJSON: "Proton Pass JSON",
	FormatEnpassJSON:     "Enpass JSON",
	FormatEnpassCSV:      "Enpass CSV",
	FormatRoboFormCSV:    "RoboForm CSV",
	FormatKeeperCSV:      "Keeper CSV",
	FormatKeeperJSON:     "Keeper JSON",
	FormatSafeInCloudXML: "SafeInCloud XML",
	FormatSafeInCloudCSV: "SafeInCloud CSV",
	FormatZohoCSV:        "Zoho Vault CSV",
}

// Describe is a short English name of the format for people ("Firefox CSV").
func (f Format) Describe() string {
	if d, ok := descriptions[f]; ok {
		return d
	}
	return string(f)
}

// LabelKey is the key of the format's name in the translation files
// (assets/translations), so a front end can list Formats in the person's language.
func (f Format) LabelKey() string { return "transfer.format." + string(f) }

// NeedsPassword says whether files of this format are opened with a password of their
// own (ImportOptions.Password is asked for it), so a front end can say which.
func (f Format) NeedsPassword() bool { return f == FormatValvEncrypted || f == FormatKDBX }

// ParseFormat accepts a format name as listed in Formats, in any case. The empty
// string means "detect from the content" and is returned as is.
func ParseFormat(s string) (Format, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", nil
	}
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return "", fmt.Errorf("%q is not a format Valv imports (one of: %s)", s, strings.Join(names, ", "))
}
