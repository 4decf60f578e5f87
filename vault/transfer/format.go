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
)

// Formats lists every importable format, in the order a dialog should offer them.
var Formats = []Format{
	FormatText, FormatChrome, FormatFirefox, FormatSafari, FormatBitwardenCSV,
	FormatBitwardenJSON, FormatKeePassXCCSV, FormatKeePassXML, Format1PasswordCSV,
	FormatLastPassCSV, FormatValvJSON, FormatValvEncrypted,
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
}

// Describe is a short English name of the format for people ("Firefox CSV").
func (f Format) Describe() string {
	if d, ok := descriptions[f]; ok {
		return d
	}
	return string(f)
}

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
