package transfer

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/valvpm/valv/vault"
)

// KeePass 2 XML export (KeePass: File → Export → KeePass XML (2.x); KeePassXC writes
// the same schema): groups nest, each entry has String key/value pairs, Times and a
// History of earlier versions. The top group is the database itself, so folder paths
// start below it ("Internet/Mail").

type kpFile struct {
	Root struct {
		Groups []kpGroup `xml:"Group"`
	} `xml:"Root"`
}

type kpGroup struct {
	Name    string    `xml:"Name"`
	Entries []kpEntry `xml:"Entry"`
	Groups  []kpGroup `xml:"Group"`
}

type kpEntry struct {
	Strings  []kpString `xml:"String"`
	Binaries []kpString `xml:"Binary"`
	Tags     string     `xml:"Tags"`
	Times    struct {
		Created  string `xml:"CreationTime"`
		Modified string `xml:"LastModificationTime"`
	} `xml:"Times"`
	History struct {
		Entries []kpEntry `xml:"Entry"`
	} `xml:"History"`
}

type kpString struct {
	Key   string `xml:"Key"`
	Value struct {
		Text      string `xml:",chardata"`
		Protected string `xml:"Protected,attr"`
	} `xml:"Value"`
}

// maxGroupDepth bounds folder nesting; real databases go a few levels deep, and the
// bound keeps a crafted file from recursing without end.
const maxGroupDepth = 64

func readKeePassXML(data []byte, r *reader) error {
	var f kpFile
	d := xml.NewDecoder(bytes.NewReader(data))
	if err := d.Decode(&f); err != nil {
		line, _ := d.InputPos()
		return fmt.Errorf("line %d: the KeePass XML cannot be read, so nothing was imported: %s", line, xmlReason(err))
	}
	n := 0
	var walk func(g *kpGroup, path []string, depth int) error
	walk = func(g *kpGroup, path []string, depth int) error {
		if depth > maxGroupDepth {
			return fmt.Errorf("the groups nest more than %d levels deep", maxGroupDepth)
		}
		folder := strings.Join(path, "/")
		for i := range g.Entries {
			n++
			if it, err := keepassItem(&g.Entries[i], folder); err != nil {
				r.problem(0, n, kpValue(g.Entries[i].Strings, "Title"), err.Error())
			} else {
				r.add(0, n, it)
			}
		}
		for i := range g.Groups {
			if err := walk(&g.Groups[i], append(slices.Clip(path), g.Groups[i].Name), depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	for i := range f.Root.Groups {
		if err := walk(&f.Root.Groups[i], nil, 0); err != nil {
			return err
		}
	}
	if n == 0 && len(f.Root.Groups) == 0 {
		return errors.New("the KeePass XML has no Root group: it is not a KeePass export")
	}
	return nil
}

func xmlReason(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		if strings.Contains(se.Msg, "unexpected EOF") {
			return "the file ends too early; it may have been cut short"
		}
		return se.Msg
	}
	return err.Error()
}

func kpValue(ss []kpString, key string) string {
	for _, s := range ss {
		if s.Key == key {
			return s.Value.Text
		}
	}
	return ""
}

// kpTOTP are the string keys KeePass plugins and KeePassXC use for TOTP secrets.
var kpTOTP = map[string]bool{"otp": true, "TOTP Seed": true, "TimeOtp-Secret-Base32": true, "TimeOtp-Secret": true}

func keepassItem(e *kpEntry, folder string) (*vault.Item, error) {
	it := &vault.Item{Type: vault.TypeLogin, Folder: folder}
	for _, s := range e.Strings {
		v := s.Value.Text
		if strings.EqualFold(s.Value.Protected, "true") {
			// Protected="True" values are scrambled with the database's inner stream
			// key, which only the .kdbx file holds: the XML is not an export.
			return nil, errors.New("its protected values are scrambled (this is KeePass's internal XML, not File → Export → KeePass XML)")
		}
		switch {
		case s.Key == "Title":
			it.Title = v
		case s.Key == "UserName":
			it.Username = v
		case s.Key == "Password":
			it.Password = v
		case s.Key == "URL":
			if strings.TrimSpace(v) != "" {
				it.URLs = []string{strings.TrimSpace(v)}
			}
		case s.Key == "Notes":
			it.Notes = v
		case kpTOTP[s.Key] && it.TOTP == "":
			it.TOTP = strings.TrimSpace(v)
		default:
			it.Fields = append(it.Fields, vault.Field{Name: s.Key, Value: v})
		}
	}
	if e.Tags != "" {
		it.Fields = append(it.Fields, vault.Field{Name: "Tags", Value: e.Tags})
	}
	for _, b := range e.Binaries {
		// Attachments live in the database's binary pool; Valv has no attachments yet.
		it.Fields = append(it.Fields, vault.Field{Name: "Attachment (not imported)", Value: b.Key})
	}
	if t, ok := parseTime(e.Times.Created); ok {
		it.Created = t
	}
	if t, ok := parseTime(e.Times.Modified); ok {
		it.Modified = t
	}
	// Each history entry is an earlier version; its password, when different from
	// the one after it, is a password the entry used to have.
	seen := map[string]bool{it.Password: true}
	for _, h := range e.History.Entries {
		pw := kpValue(h.Strings, "Password")
		if pw == "" || seen[pw] {
			continue
		}
		seen[pw] = true
		t, _ := parseTime(h.Times.Modified)
		it.History = append(it.History, vault.PastPassword{Password: pw, Replaced: t})
	}
	slices.SortStableFunc(it.History, func(a, b vault.PastPassword) int { return b.Replaced.Compare(a.Replaced) })
	if it.Username == "" && it.Password == "" && len(it.URLs) == 0 && it.TOTP == "" {
		it.Type = vault.TypeNote // KeePass keeps notes as entries with only a title and notes
	}
	return it, nil
}
