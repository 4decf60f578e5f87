package transfer

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/valvpm/valv/vault"
)

// Every parser is fuzzed: no input may panic or hang, a failure is a sentence, and
// whatever a plan holds is a valid item (Apply would store it).

func addFixtures(f *testing.F) {
	files, err := filepath.Glob("testdata/*.*")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

func checkParse(t *testing.T, data []byte, opts ImportOptions) *Plan {
	p, err := Parse(data, opts)
	if err != nil {
		if err.Error() == "" {
			t.Fatal("an empty error message")
		}
		return nil
	}
	for _, it := range p.Items {
		if err := it.Validate(); err != nil {
			t.Fatalf("planned item %q is invalid: %v", it.Title, err)
		}
	}
	for _, pr := range append(p.Problems, p.Notices...) {
		if pr.Reason == "" {
			t.Fatalf("a problem without a reason: %+v", pr)
		}
	}
	if len(p.Items)+p.Duplicates+len(p.Problems) != p.Rows {
		t.Fatalf("items %d + duplicates %d + problems %d != rows %d", len(p.Items), p.Duplicates, len(p.Problems), p.Rows)
	}
	return p
}

// FuzzParse runs detection and whichever parser it picks.
func FuzzParse(f *testing.F) {
	addFixtures(f)
	f.Add([]byte(encMagic + "\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkParse(t, data, ImportOptions{})
	})
}

// FuzzText drives the text export parser directly, so inputs detection would send
// elsewhere still reach it.
func FuzzText(f *testing.F) {
	f.Add(fixture(f, "text.txt"))
	f.Add([]byte("Websites\n\nWebsite name: a\nComment: x\n---\nNotes\nText:\n---\n---\n::\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkParse(t, data, ImportOptions{Format: FormatText})
	})
}

// FuzzCSV drives every CSV profile; the first byte picks the profile. Each CSV fixture
// seeds the profile it is detected as.
func FuzzCSV(f *testing.F) {
	files, err := filepath.Glob("testdata/*.csv")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		format, err := Detect(b)
		if err != nil {
			f.Fatalf("%s: %v", name, err)
		}
		for i, p := range csvProfiles {
			if p.format == format {
				f.Add(byte(i), b)
				break
			}
		}
	}
	f.Add(byte(0), []byte("a,b\n\"x\"\"y\",\"\n\"\n"))
	f.Fuzz(func(t *testing.T, which byte, data []byte) {
		p := csvProfiles[int(which)%len(csvProfiles)]
		checkParse(t, data, ImportOptions{Format: p.format})
	})
}

// FuzzJSON drives Valv's and Bitwarden's JSON readers. For Valv's export it also checks
// decode → encode → decode gives the same items.
func FuzzJSON(f *testing.F) {
	f.Add(false, fixture(f, "bitwarden.json"))
	js, err := ExportJSON(sampleItems())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(true, js)
	f.Add(true, []byte(`[{"type":"card","title":"x","number":"4111111111111112"}]`))
	f.Fuzz(func(t *testing.T, valv bool, data []byte) {
		format := FormatBitwardenJSON
		if valv {
			format = FormatValvJSON
		}
		p := checkParse(t, data, ImportOptions{Format: format})
		if p == nil || !valv {
			return
		}
		again, err := ExportJSON(p.Items)
		if err != nil {
			t.Fatal(err)
		}
		p2, err := Parse(again, ImportOptions{})
		if err != nil {
			t.Fatalf("re-reading our own export: %v", err)
		}
		// Re-reading drops only repeats; the rest must be identical.
		if len(p2.Items) != len(p.Items) || !reflect.DeepEqual(stripIDs(p2.Items), stripIDs(p.Items)) {
			t.Fatalf("export → import changed the items")
		}
	})
}

// xmlFormats are the XML readers FuzzXML drives.
var xmlFormats = []Format{FormatKeePassXML, FormatKeePassXXML, FormatSafeInCloudXML}

// FuzzXML drives the KeePass, KeePassX and SafeInCloud XML readers; the first byte
// picks the reader.
func FuzzXML(f *testing.F) {
	for i, name := range []string{"keepass.xml", "keepassx.xml", "safeincloud.xml"} {
		f.Add(byte(i), fixture(f, name))
	}
	f.Add(byte(0), fixture(f, "keepass_recyclebin.xml"))
	f.Add(byte(0), []byte("<KeePassFile><Root><Group><Group><Entry><String><Key>Password</Key><Value Protected=\"True\">x</Value></String></Entry></Group></Group></Root></KeePassFile>"))
	f.Add(byte(1), []byte("<database><group><title>a</title><entry><comment>x<br/>y<br></br></comment></entry></group></database>"))
	f.Fuzz(func(t *testing.T, which byte, data []byte) {
		checkParse(t, data, ImportOptions{Format: xmlFormats[int(which)%len(xmlFormats)]})
	})
}

// managerJSONFormats are the JSON readers FuzzManagerJSON drives.
var managerJSONFormats = []Format{FormatDashlaneJSON, FormatKeeperJSON, FormatEnpassJSON, FormatProtonPassJSON, Format1PIF}

// FuzzManagerJSON drives the JSON readers of Dashlane, Keeper, Enpass, Proton Pass
// and 1Password 4 (1PIF); the first byte picks the reader.
func FuzzManagerJSON(f *testing.F) {
	for i, name := range []string{"dashlane.json", "keeper.json", "enpass.json", "protonpass.json", "1password.1pif"} {
		f.Add(byte(i), fixture(f, name))
	}
	f.Add(byte(4), []byte("{\"typeName\":\"system.folder.Regular\",\"uuid\":\"a\",\"folderUuid\":\"a\"}\n"+opifSeparator+"\n{\"folderUuid\":\"a\"}"))
	f.Fuzz(func(t *testing.T, which byte, data []byte) {
		checkParse(t, data, ImportOptions{Format: managerJSONFormats[int(which)%len(managerJSONFormats)]})
	})
}

// zipFormats and the member each one's content goes into, for FuzzZip.
var zipFormats = []struct {
	format Format
	member string
}{{Format1PUX, "export.data"}, {FormatDashlaneZip, "credentials.csv"}, {FormatProtonPassJSON, protonPassMember}}

// FuzzZip drives the zip exports two ways: the input as a whole zip file, and the input
// as the member that the first byte's format reads, zipped.
func FuzzZip(f *testing.F) {
	f.Add(byte(0), fixture(f, "1pux_export.data.json"))
	f.Add(byte(1), fixture(f, "dashlane_credentials.csv"))
	f.Add(byte(2), fixture(f, "protonpass.json"))
	f.Add(byte(0), zipOf(f, map[string]string{"export.data": "1pux_export.data.json"}))
	f.Fuzz(func(t *testing.T, which byte, data []byte) {
		z := zipFormats[int(which)%len(zipFormats)]
		checkParse(t, data, ImportOptions{Format: z.format})
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, err := zw.Create(z.member)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		checkParse(t, buf.Bytes(), ImportOptions{Format: z.format})
	})
}

// fuzzKey is a fixed export key: deriving a key costs 64 MiB of Argon2id per input,
// so the fuzz target opens sealed data with a known key instead.
var fuzzKey = bytes.Repeat([]byte{7}, vault.KeySize)

// FuzzEncrypted checks the encrypted export's header handling and cipher on any input.
func FuzzEncrypted(f *testing.F) {
	f.Add([]byte(encMagic + "\x01"))
	hdr := make([]byte, encHeaderSize)
	copy(hdr, encMagic)
	hdr[7] = encVersion
	hdr[10], hdr[15], hdr[16] = 1, 3, 4 // 64 MiB, 3 passes, 4 lanes
	f.Add(append(hdr, make([]byte, 40)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := parseEncHeader(data); err != nil {
			if err.Error() == "" {
				t.Fatal("an empty error message")
			}
			return
		}
		if _, err := openSealed(data, fuzzKey); err == nil {
			t.Fatal("random data opened under a fixed key")
		}
	})
}

// FuzzKDBX drives the KeePass database reader past the key derivation: the header
// parser, then the block streams, cipher, inner header and protected values under keys
// derived once from the seed database's password, and the block decoders on their own.
func FuzzKDBX(f *testing.F) {
	for _, name := range kdbxFixtures {
		f.Add(fixture(f, name))
	}
	keys := map[string][2][]byte{}
	for _, name := range kdbxFixtures {
		data := fixture(f, name)
		h, err := parseKDBXHeader(data)
		if err != nil {
			f.Fatal(err)
		}
		ck, hk, err := kdbxKeys(h, []byte(kdbxFixturePassword))
		if err != nil {
			f.Fatal(err)
		}
		keys[string(h.kdf.seed)] = [2][]byte{ck, hk}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = hashedBlocks(data)
		_, _, _, _, _ = innerHeader(data)
		h, err := parseKDBXHeader(data)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an empty error message")
			}
			return
		}
		k, ok := keys[string(h.kdf.seed)]
		if !ok {
			k = [2][]byte{fuzzKey, fuzzKey}
		}
		r := &reader{}
		if err := readKDBXWithKeys(data, h, k[0], k[1], r); err != nil {
			return
		}
		for _, rw := range r.rows {
			if it, _, bad := finish(rw.item); bad == nil {
				if err := it.Validate(); err != nil {
					t.Fatalf("a finished item is invalid: %v", err)
				}
			}
		}
	})
}
