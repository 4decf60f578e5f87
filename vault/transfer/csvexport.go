package transfer

import (
	"bytes"
	"encoding/csv"

	"github.com/valvpm/valv/vault"
)

// csvExportHeader is the browser import format (Chrome, Edge, Brave; Firefox and
// Safari read it too): one row per website login.
var csvExportHeader = []string{"name", "url", "username", "password", "note"}

// ExportCSV writes the website logins among items in the browser CSV format
// name,url,username,password,note and returns how many items it left out because
// the format has no place for them (every type but website logins). A login with
// several URLs is written with its first; the others go into the note, so a browser
// still sees them. Folders, TOTP and extra fields are not in this format: Valv's JSON
// export keeps everything.
func ExportCSV(items []*vault.Item) (out []byte, skipped int, err error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(csvExportHeader); err != nil {
		return nil, 0, err
	}
	for _, it := range items {
		if it.Type != vault.TypeLogin {
			skipped++
			continue
		}
		u, note := "", it.Notes
		if len(it.URLs) > 0 {
			u = it.URLs[0]
			for _, more := range it.URLs[1:] {
				note = joinNotes(note, "Also: "+more)
			}
		}
		if err := w.Write([]string{it.Title, u, it.Username, it.Password, note}); err != nil {
			return nil, 0, err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, 0, err
	}
	return buf.Bytes(), skipped, nil
}
