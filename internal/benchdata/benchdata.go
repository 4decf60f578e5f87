// Package benchdata makes realistic, deterministic vault contents for benchmarks and
// the valv-cli vs keepassxc-cli comparison: the same seed gives the same items, so
// both programs search the very same entries.
package benchdata

import (
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/valvpm/valv/vault"
)

// words names things; a small list is enough for titles, hosts and user names.
var words = strings.Fields(`amber birch cedar delta ember fjord garnet harbor indigo
jasper kestrel lumen maple nectar onyx pebble quartz raven saffron tundra umber velvet
willow xenon yarrow zephyr atlas beacon cobalt dune echo falcon glacier horizon island
jungle koala lotus meadow nova orbit prism quill river summit timber unity valley wave`)

// Items returns n items, mostly website logins as in a typical vault: about 70%
// logins, 10% app logins, 10% notes, 5% cards, 5% addresses.
func Items(n int, seed uint64) []*vault.Item {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	w := func() string { return words[r.IntN(len(words))] }
	title := func() string { return strings.ToUpper(w()[:1]) + w()[1:] + " " + w() }
	pw := func() string {
		const chars = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#$%&*+-=?@"
		b := make([]byte, 20)
		for i := range b {
			b[i] = chars[r.IntN(len(chars))]
		}
		return string(b)
	}
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	items := make([]*vault.Item, n)
	for i := range items {
		var it *vault.Item
		switch k := r.IntN(100); {
		case k < 70:
			host := fmt.Sprintf("%s-%s%d.example.com", w(), w(), r.IntN(1000))
			it = &vault.Item{Type: vault.TypeLogin, Title: title(), URLs: []string{"https://" + host + "/login"},
				Username: fmt.Sprintf("%s.%s@example.org", w(), w()), Password: pw()}
			if r.IntN(4) == 0 {
				it.Notes = "Security question: " + w() + " " + w()
			}
		case k < 80:
			it = &vault.Item{Type: vault.TypeApp, Title: title(), Application: w() + " desktop", Username: w() + fmt.Sprint(r.IntN(100)), Password: pw()}
		case k < 90:
			it = &vault.Item{Type: vault.TypeNote, Title: title(), Notes: strings.Repeat(w()+" ", 8+r.IntN(20))}
		case k < 95:
			it = &vault.Item{Type: vault.TypeCard, Title: title(), Cardholder: "Ayu " + w(), Number: "4111 1111 1111 1111", Expiry: "07/29", CVC: fmt.Sprintf("%03d", r.IntN(1000)), PIN: fmt.Sprintf("%04d", r.IntN(10000))}
		default:
			it = &vault.Item{Type: vault.TypeAddress, Title: title(), Name: "Åsa " + w(), Street: []string{fmt.Sprintf("%s gatan %d", w(), r.IntN(99))}, City: w(), Postcode: fmt.Sprintf("%05d", r.IntN(99999)), Country: "Sverige"}
		}
		if r.IntN(5) == 0 {
			it.Folder = strings.ToUpper(w()[:1]) + w()[1:]
		}
		it.Created = base.Add(time.Duration(i) * time.Minute)
		it.Modified = it.Created
		items[i] = it
	}
	return items
}

// WriteKeePassXML writes items as a KeePass 2 XML file (what keepassxc-cli import
// reads), with the fields each entry would have there.
func WriteKeePassXML(w io.Writer, items []*vault.Item) error {
	type kv struct {
		Key   string `xml:"Key"`
		Value string `xml:"Value"`
	}
	type entry struct {
		UUID    string `xml:"UUID"`
		Strings []kv   `xml:"String"`
	}
	type group struct {
		UUID    string  `xml:"UUID"`
		Name    string  `xml:"Name"`
		Entries []entry `xml:"Entry"`
	}
	type file struct {
		XMLName xml.Name `xml:"KeePassFile"`
		Meta    struct {
			Generator string `xml:"Generator"`
		} `xml:"Meta"`
		Root struct {
			Group group `xml:"Group"`
		} `xml:"Root"`
	}
	uuid := func(i int) string {
		b := make([]byte, 16)
		b[0], b[1], b[2], b[15] = byte(i), byte(i>>8), byte(i>>16), 1
		return base64.StdEncoding.EncodeToString(b)
	}
	var f file
	f.Meta.Generator = "valv benchdata"
	f.Root.Group = group{UUID: uuid(1 << 23), Name: "Root"}
	for i, it := range items {
		url := ""
		if len(it.URLs) > 0 {
			url = it.URLs[0]
		}
		notes := it.Notes
		if it.Type == vault.TypeCard {
			notes = it.Cardholder + "\n" + it.Number
		}
		f.Root.Group.Entries = append(f.Root.Group.Entries, entry{UUID: uuid(i), Strings: []kv{
			{"Title", it.Title}, {"UserName", it.Username}, {"Password", it.Password}, {"URL", url}, {"Notes", notes},
		}})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	return enc.Encode(f)
}
