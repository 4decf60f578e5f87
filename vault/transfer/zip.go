package transfer

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// Exports that are zip files: 1Password 8's .1pux (export.data inside), Dashlane's CSV
// export (credentials.csv, payments.csv, securenotes.csv, personalInfo.csv, …) and
// Proton Pass's (Proton Pass/data.json). Only the members an export needs are read,
// each inflated up to MaxFileSize, so a crafted zip cannot expand without end.

const maxZipMembers = 10_000

// maxUnpacked caps what one member of a zip, or a database's compressed contents,
// may inflate to: the cap on files Valv reads at all. A variable so a test can check
// the cap without inflating 256 MiB.
var maxUnpacked = MaxFileSize

// readCapped reads r to its end, or fails with ErrTooLarge past maxUnpacked bytes.
func readCapped(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, int64(maxUnpacked)+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxUnpacked {
		clear(b)
		return nil, ErrTooLarge
	}
	return b, nil
}

func isZip(data []byte) bool { return bytes.HasPrefix(data, []byte("PK\x03\x04")) }

func openZip(data []byte) (*zip.Reader, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("the zip file cannot be read, so nothing was imported: %v", err)
	}
	if len(zr.File) > maxZipMembers {
		return nil, fmt.Errorf("the zip file holds more than %d files, more than any export", maxZipMembers)
	}
	return zr, nil
}

// zipMember returns the member's bytes, or nil when the zip has no such member.
func zipMember(zr *zip.Reader, name string) ([]byte, error) {
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s in the zip file cannot be read: %v", name, err)
		}
		b, err := readCapped(rc)
		if cerr := rc.Close(); err == nil {
			err = cerr
		}
		if errors.Is(err, ErrTooLarge) {
			return nil, fmt.Errorf("%s in the zip file: %w", name, err)
		}
		if err != nil {
			return nil, fmt.Errorf("%s in the zip file cannot be read: %v", name, err)
		}
		return b, nil
	}
	return nil, nil
}

// protonPassMember is where Proton Pass puts its JSON in its zip.
const protonPassMember = "Proton Pass/data.json"

// detectZip names a zip export by the members it holds.
func detectZip(data []byte) (Format, error) {
	zr, err := openZip(data)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrUnknownFormat, err)
	}
	csvs := 0
	for _, f := range zr.File {
		switch {
		case f.Name == "export.data":
			return Format1PUX, nil
		case f.Name == protonPassMember:
			return FormatProtonPassJSON, nil
		case dashlaneMembers[path.Base(f.Name)]:
			csvs++
		}
	}
	if csvs > 0 {
		return FormatDashlaneZip, nil
	}
	return "", fmt.Errorf("%w: it is a zip file, but not a 1Password (.1pux), Dashlane or Proton Pass export", ErrUnknownFormat)
}

func read1PUX(data []byte, r *reader) error {
	zr, err := openZip(data)
	if err != nil {
		return err
	}
	b, err := zipMember(zr, "export.data")
	if err != nil {
		return err
	}
	if b == nil {
		return errors.New("the file is not a 1Password export: it has no export.data")
	}
	defer clear(b)
	return read1PUXData(b, r)
}

// dashlaneMembers are the CSV files of Dashlane's export that hold items.
var dashlaneMembers = map[string]bool{"credentials.csv": true, "payments.csv": true, "securenotes.csv": true, "personalInfo.csv": true, "ids.csv": true}

// readDashlaneZip reads each CSV of Dashlane's zip in turn; a problem's line is in its
// own file, so the problem names the file.
func readDashlaneZip(data []byte, r *reader) error {
	zr, err := openZip(data)
	if err != nil {
		return err
	}
	for _, f := range zr.File {
		if !dashlaneMembers[path.Base(f.Name)] {
			continue
		}
		b, err := zipMember(zr, f.Name)
		if err != nil {
			return err
		}
		if len(strings.TrimSpace(string(stripBOM(b)))) == 0 {
			continue // Dashlane writes a file for every kind, empty ones too
		}
		sub := &reader{}
		if err := readCSV(stripBOM(b), FormatDashlaneCSV, sub); err != nil {
			clear(b)
			return fmt.Errorf("%s: %w", path.Base(f.Name), err)
		}
		clear(b)
		for _, p := range sub.problems {
			p.Reason = path.Base(f.Name) + ": " + p.Reason
			r.problems = append(r.problems, p)
		}
		for _, rw := range sub.rows {
			r.add(0, len(r.rows)+1, rw.item) // lines of several files would mislead: number entries
		}
		for _, s := range sub.skipped {
			for range s.Count {
				r.skip(s.Kind)
			}
		}
	}
	return nil
}

func readProtonPassZip(data []byte, r *reader) error {
	zr, err := openZip(data)
	if err != nil {
		return err
	}
	b, err := zipMember(zr, protonPassMember)
	if err != nil {
		return err
	}
	if b == nil {
		return errors.New("the zip file is not a Proton Pass export: it has no " + protonPassMember)
	}
	defer clear(b)
	return readProtonPass(b, r)
}
