package transfer

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/valvpm/valv/vault"
)

// KeePass 2 XML (KeePass: File → Export → KeePass XML (2.x); KeePassXC writes the same
// schema, and it is what a .kdbx database holds inside): groups nest, each entry has
// String key/value pairs, Times and a History of earlier versions. The top group is
// the database itself, so folder paths start below it ("Internet/Mail"). The group
// Meta names as RecycleBinUUID is the Recycle Bin: its entries were deleted, and are
// skipped (the plan says how many).

// maxGroupDepth bounds folder nesting; real databases go a few levels deep.
const maxGroupDepth = 64

// errScrambled is an export whose protected values are still scrambled.
var errScrambled = errors.New("its protected values are scrambled (this is KeePass's internal XML, not File → Export → KeePass XML)")

func readKeePassXML(data []byte, r *reader) error {
	root, err := parseXMLTree(data, nil)
	if err != nil {
		return fmt.Errorf("the KeePass XML cannot be read, so nothing was imported: %w", err)
	}
	return readKeePassTree(root, r, false, nil)
}

// readKeePassTree reads a parsed KeePassFile. unprotected says protected values were
// already decrypted (a .kdbx database); in an export they must not be scrambled.
func readKeePassTree(doc *xnode, r *reader, unprotected bool, files [][]byte) error {
	if doc.name != "KeePassFile" {
		return fmt.Errorf("the XML is not a KeePass file (its root element is <%s>)", doc.name)
	}
	rootEl := doc.child("Root")
	if rootEl == nil {
		return errors.New("the KeePass XML has no Root group: it is not a KeePass export")
	}
	bin := strings.TrimSpace(doc.child("Meta").value("RecycleBinUUID"))
	if strings.Trim(bin, "A=") == "" {
		bin = "" // the all-zero UUID: no Recycle Bin
	}
	w := &kpWalker{r: r, recycleBin: bin, unprotected: unprotected, binaries: kpBinaries(doc.child("Meta"))}
	for i, f := range files { // KDBX 4 keeps them in its inner header, by index
		if len(f) <= vault.MaxAttachmentSize {
			w.binaries[strconv.Itoa(i)] = f
		}
	}
	for _, g := range rootEl.all("Group") {
		if err := w.group(g, nil, 0, false); err != nil {
			return err
		}
	}
	return nil
}

type kpWalker struct {
	r           *reader
	recycleBin  string
	unprotected bool
	binaries    map[string][]byte // the file's binary pool (Meta/Binaries) by ID
	n           int               // entries seen, for Problem.Entry
}

func (w *kpWalker) group(g *xnode, path []string, depth int, trashed bool) error {
	if depth > maxGroupDepth {
		return fmt.Errorf("the groups nest more than %d levels deep", maxGroupDepth)
	}
	trashed = trashed || (w.recycleBin != "" && strings.TrimSpace(g.value("UUID")) == w.recycleBin)
	folder := strings.Join(path, "/")
	for _, e := range g.all("Entry") {
		w.n++
		if trashed {
			w.r.skip(SkipTrash)
			continue
		}
		if it, err := w.entry(e, folder); err != nil {
			w.r.problem(0, w.n, kpString(e, "Title"), err.Error())
		} else {
			w.r.add(0, w.n, it)
		}
	}
	for _, sub := range g.all("Group") {
		if err := w.group(sub, append(slices.Clip(path), sub.value("Name")), depth+1, trashed); err != nil {
			return err
		}
	}
	return nil
}

// kpString is the value of the entry's String with this key.
func kpString(e *xnode, key string) string {
	for _, s := range e.all("String") {
		if s.value("Key") == key {
			return s.value("Value")
		}
	}
	return ""
}

// kpTOTP are the string keys KeePass plugins and KeePassXC use for TOTP secrets.
var kpTOTP = map[string]bool{"otp": true, "TOTP Seed": true, "TimeOtp-Secret-Base32": true, "TimeOtp-Secret": true}

func (w *kpWalker) entry(e *xnode, folder string) (*vault.Item, error) {
	it := &vault.Item{Type: vault.TypeLogin, Folder: folder}
	for _, s := range e.all("String") {
		key, val := s.value("Key"), s.child("Value")
		v := val.valueText()
		if !w.unprotected && strings.EqualFold(val.attr("Protected"), "true") {
			return nil, errScrambled
		}
		switch {
		case key == "Title":
			it.Title = v
		case key == "UserName":
			it.Username = v
		case key == "Password":
			it.Password = v
		case key == "URL":
			addURL(it, v)
		case key == "Notes":
			it.Notes = v
		case kpTOTP[key] && it.TOTP == "":
			it.TOTP = strings.TrimSpace(v)
		default:
			it.Fields = append(it.Fields, vault.Field{Name: key, Value: v})
		}
	}
	if tags := e.value("Tags"); tags != "" {
		it.Fields = append(it.Fields, vault.Field{Name: "Tags", Value: tags})
	}
	w.attachments(it, e)
	times := e.child("Times")
	if t, ok := parseTime(times.value("CreationTime")); ok {
		it.Created = t
	}
	if t, ok := parseTime(times.value("LastModificationTime")); ok {
		it.Modified = t
	}
	// Each history entry is an earlier version; its password, when different from
	// the one after it, is a password the entry used to have.
	seen := map[string]bool{it.Password: true}
	for _, h := range e.child("History").all("Entry") {
		pw := kpString(h, "Password")
		if pw == "" || seen[pw] {
			continue
		}
		seen[pw] = true
		t, _ := parseTime(h.child("Times").value("LastModificationTime"))
		it.History = append(it.History, vault.PastPassword{Password: pw, Replaced: t})
	}
	slices.SortStableFunc(it.History, func(a, b vault.PastPassword) int { return b.Replaced.Compare(a.Replaced) })
	if it.Username == "" && it.Password == "" && len(it.URLs) == 0 && it.TOTP == "" {
		it.Type = vault.TypeNote // KeePass keeps notes as entries with only a title and notes
	}
	return it, nil
}

// valueText is the node's text, "" for a missing node.
func (n *xnode) valueText() string {
	if n == nil {
		return ""
	}
	return n.text
}
