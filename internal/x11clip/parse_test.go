package x11clip

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// authRecord encodes one Xauthority record.
func authRecord(family uint16, fields ...string) []byte {
	b := binary.BigEndian.AppendUint16(nil, family)
	for _, f := range fields {
		b = binary.BigEndian.AppendUint16(b, uint16(len(f)))
		b = append(b, f...)
	}
	return b
}

// The cookie for this host's display is found among records for other hosts,
// displays and schemes; a record cut short ends the file without a panic.
func TestCookieFromXauthority(t *testing.T) {
	host, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	var f []byte
	f = append(f, authRecord(familyLocal, "elsewhere", "7", "MIT-MAGIC-COOKIE-1", "wrong host")...)
	f = append(f, authRecord(familyLocal, host, "8", "MIT-MAGIC-COOKIE-1", "wrong display")...)
	f = append(f, authRecord(familyLocal, host, "7", "XDM-AUTHORIZATION-1", "wrong scheme")...)
	f = append(f, authRecord(familyLocal, host, "7", "MIT-MAGIC-COOKIE-1", "the cookie")...)
	f = append(f, authRecord(familyLocal, host, "7", "MIT")[:9]...)
	path := filepath.Join(t.TempDir(), "Xauthority")
	if err := os.WriteFile(path, f, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XAUTHORITY", path)
	if name, data := cookie("7"); name != "MIT-MAGIC-COOKIE-1" || string(data) != "the cookie" {
		t.Errorf("cookie(7) = %q %q", name, data)
	}
	if name, _ := cookie("9"); name != "" {
		t.Errorf("cookie(9) found %q", name)
	}
}

func FuzzReadAuthority(f *testing.F) {
	f.Add(authRecord(familyLocal, "host", "0", "MIT-MAGIC-COOKIE-1", "0123456789abcdef"))
	f.Add(authRecord(familyWild, "", "", "MIT-MAGIC-COOKIE-1", "x")[:5])
	f.Fuzz(func(t *testing.T, b []byte) {
		var again []byte
		for _, e := range readAuthority(bytes.NewReader(b)) {
			again = append(again, authRecord(e.family, e.address, e.num, e.name, string(e.data))...)
		}
		if !bytes.HasPrefix(b, again) {
			t.Fatalf("the records read do not re-encode to the start of the input")
		}
	})
}

// setupBody builds the part of a connection reply after its head.
func setupBody(vendor string, formats, screens int) []byte {
	b := make([]byte, 32)
	binary.LittleEndian.PutUint32(b[4:], 0x200000)
	binary.LittleEndian.PutUint32(b[8:], 0x1fffff)
	binary.LittleEndian.PutUint16(b[16:], uint16(len(vendor)))
	binary.LittleEndian.PutUint16(b[18:], 65535)
	b[20], b[21] = byte(screens), byte(formats)
	b = append(b, vendor...)
	b = append(b, make([]byte, pad(len(vendor))+8*formats)...)
	for range screens {
		s := make([]byte, 40)
		binary.LittleEndian.PutUint32(s, 0x3a5)
		b = append(b, s...)
	}
	return b
}

func TestParseSetup(t *testing.T) {
	s, err := parseSetup(setupBody("The X.Org Foundation", 7, 1))
	if err != nil || s.root != 0x3a5 || s.idBase != 0x200000 || s.maxRequest != 65535*4 {
		t.Fatalf("parseSetup: %+v, %v", s, err)
	}
	for _, b := range [][]byte{nil, setupBody("v", 2, 0), setupBody("vendor", 3, 1)[:70]} {
		if _, err := parseSetup(b); err == nil {
			t.Errorf("parseSetup accepted a %d-byte reply without a whole screen", len(b))
		}
	}
}

func FuzzParseSetup(f *testing.F) {
	f.Add(setupBody("The X.Org Foundation", 7, 1))
	f.Add(setupBody("", 0, 2)[:40])
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := parseSetup(b)
		if err == nil && (s.idMask == 0 || s.maxRequest < 64) {
			t.Fatalf("parseSetup accepted unusable values %+v", s)
		}
	})
}
