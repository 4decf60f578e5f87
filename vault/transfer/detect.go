package transfer

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Detect names the format of data from its content alone: the first bytes for the
// encrypted export, XML and JSON, the header row for CSV files, and the section and
// key lines for the text export. A byte order mark is ignored.
func Detect(data []byte) (Format, error) {
	data = stripBOM(data)
	if bytes.HasPrefix(data, []byte(encMagic)) {
		return FormatValvEncrypted, nil
	}
	if isKDBX(data) {
		return FormatKDBX, nil
	}
	if isZip(data) {
		return detectZip(data)
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	switch {
	case len(trimmed) == 0:
		return "", fmt.Errorf("%w: the file is empty", ErrUnknownFormat)
	case trimmed[0] == '<':
		return detectXML(firstBytes(trimmed, 4096))
	case trimmed[0] == '{' || trimmed[0] == '[':
		return detectJSON(trimmed)
	}
	if looksLikeText(data) {
		return FormatText, nil
	}
	return detectCSV(data)
}

// detectXML names an XML export by its first elements.
func detectXML(head []byte) (Format, error) {
	switch {
	case bytes.Contains(head, []byte("<KeePassFile")):
		return FormatKeePassXML, nil
	case bytes.Contains(head, []byte("KEEPASSX_DATABASE")) || (bytes.Contains(head, []byte("<database")) && bytes.Contains(head, []byte("<group"))):
		return FormatKeePassXXML, nil
	case bytes.Contains(head, []byte("<database")) && (bytes.Contains(head, []byte("<card")) || bytes.Contains(head, []byte("<label"))):
		return FormatSafeInCloudXML, nil
	}
	return "", fmt.Errorf("%w: it is XML, but not a KeePass, KeePassX or SafeInCloud export", ErrUnknownFormat)
}

func firstBytes(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// detectJSON names a JSON export by its top-level keys, and for lists of items by the
// keys of the first item: Bitwarden and Enpass both have "folders" and "items".
// Only the top level (and one item) is decoded: cheap, and no field is interpreted
// here. A file that is not valid JSON (cut short, say) is named by its first bytes, so
// the format's own reader can say what is wrong with it.
func detectJSON(b []byte) (Format, error) {
	if is1PIF(b) {
		return Format1PIF, nil
	}
	if !json.Valid(b) {
		head := firstBytes(b, 4096)
		switch {
		case bytes.Contains(head, []byte(`"`+valvFormatName+`"`)):
			return FormatValvJSON, nil
		case bytes.Contains(head, []byte(`"encrypted"`)) || bytes.Contains(head, []byte(`"folders"`)):
			return FormatBitwardenJSON, nil
		}
		var v any
		return "", fmt.Errorf("%w: it looks like JSON but cannot be read (%s)", ErrUnknownFormat, jsonReason(json.Unmarshal(b, &v)))
	}
	if b[0] == '[' {
		var arr []map[string]json.RawMessage
		if err := json.Unmarshal(b, &arr); err != nil {
			return "", fmt.Errorf("%w: it is a JSON list, but not of Valv items", ErrUnknownFormat)
		}
		if len(arr) == 0 || (arr[0]["type"] != nil && arr[0]["title"] != nil) {
			return FormatValvJSON, nil
		}
		return "", fmt.Errorf("%w: it is a JSON list, but not of Valv items", ErrUnknownFormat)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		return "", errJSONUnknown
	}
	var format string
	if json.Unmarshal(top["format"], &format) == nil && format == valvFormatName {
		return FormatValvJSON, nil
	}
	switch {
	case top["items"] != nil:
		return detectItemsJSON(top)
	case top["vaults"] != nil && (top["userId"] != nil || top["version"] != nil):
		return FormatProtonPassJSON, nil
	case top["records"] != nil:
		return FormatKeeperJSON, nil
	case top["AUTHENTIFIANT"] != nil || top["SECURENOTE"] != nil || top["PAYMENTMEANS_CREDITCARD"] != nil:
		return FormatDashlaneJSON, nil
	}
	return "", errJSONUnknown
}

var errJSONUnknown = fmt.Errorf("%w: it is JSON, but not an export Valv knows (Valv, Bitwarden, Enpass, Proton Pass, Keeper, Dashlane)", ErrUnknownFormat)

// detectItemsJSON tells Bitwarden's export from Enpass's: Bitwarden's items have a
// numeric type and a name, Enpass's a category and a title.
func detectItemsJSON(top map[string]json.RawMessage) (Format, error) {
	var items []map[string]json.RawMessage
	if json.Unmarshal(top["items"], &items) == nil && len(items) > 0 {
		first := items[0]
		if first["category"] != nil && first["title"] != nil {
			return FormatEnpassJSON, nil
		}
	}
	if top["encrypted"] != nil || top["folders"] != nil || top["collections"] != nil {
		return FormatBitwardenJSON, nil
	}
	return "", errJSONUnknown
}

// looksLikeText spots the text export: within its first lines, a section heading or a
// key line the format defines, and at least two of its key lines.
func looksLikeText(data []byte) bool {
	lines := 0
	keys := 0
	first := ""
	for line := range bytes.Lines(firstBytes(data, 16<<10)) {
		s := strings.TrimRight(string(line), "\r\n")
		if lines++; lines > 60 {
			break
		}
		if strings.TrimSpace(s) == "" {
			continue
		}
		if first == "" {
			first = strings.TrimSpace(s)
		}
		if k, _, ok := strings.Cut(s, ":"); ok && textKeys[k] {
			keys++
		}
	}
	if keys < 2 {
		return false
	}
	if textSections[first] {
		return true
	}
	k, _, _ := strings.Cut(first, ":")
	return textKeys[k]
}

// detectCSV says which CSV profile a header row fits; the profiles are tried from the
// most specific to the least, since Chrome's columns are a subset of others'. A file
// whose first row fits no header is tried against the exports that have no header.
func detectCSV(data []byte) (Format, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	header, err := r.Read()
	notCSV := fmt.Errorf("%w: it is neither a CSV file with a header row, nor JSON, XML or the text export", ErrUnknownFormat)
	if err != nil {
		return "", notCSV
	}
	for _, p := range csvProfiles {
		if p.names == nil && p.fits(header) {
			return p.format, nil
		}
	}
	rows := [][]string{slices.Clone(header)}
	for len(rows) < 50 {
		rec, err := r.Read()
		if err != nil {
			break
		}
		rows = append(rows, rec)
	}
	for _, p := range csvProfiles {
		if p.sniff != nil && p.sniff(rows) {
			return p.format, nil
		}
	}
	if len(header) < 2 {
		return "", notCSV
	}
	return "", fmt.Errorf("%w: the CSV columns (%s) match no known export; name the format with --format", ErrUnknownFormat, strings.Join(header[:min(len(header), 8)], ", "))
}
