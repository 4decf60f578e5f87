package transfer

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"html"
	"strings"
	"testing"

	"golang.org/x/crypto/chacha20"
)

// writeKDBX4 writes a KDBX 4 database (Argon2id at 1 MiB and one pass, ChaCha20, no
// compression) around the groups and entries that body writes. body gets a protect
// function: it turns a value into a protected one, in document order, as KeePass
// does. The file is the reader's mirror image; the fixtures written by KeePassXC and
// pykeepass check the reader against other implementations, this writer makes
// databases of any size for benchmarks.
func writeKDBX4(tb testing.TB, password string, body func(protect func(string) string) string) []byte {
	return writeKDBX4With(tb, password, false, body)
}

// writeKDBX4With is writeKDBX4, with KDBX 4's AES-KDF (1 000 rounds) instead of
// Argon2id when aesKDF is set.
func writeKDBX4With(tb testing.TB, password string, aesKDF bool, body func(protect func(string) string) string) []byte {
	return writeKDBX4Files(tb, password, aesKDF, nil, body)
}

// writeKDBX4Files is writeKDBX4With, with files in the inner header (an entry's
// <Binary> refers to one by its index).
func writeKDBX4Files(tb testing.TB, password string, aesKDF bool, files [][]byte, body func(protect func(string) string) string) []byte {
	tb.Helper()
	rnd := func(n int) []byte {
		b := make([]byte, n)
		rand.Read(b)
		return b
	}
	h := &kdbxHeader{major: 4, cipher: kdbxCipherChaCha, masterSeed: rnd(32), iv: rnd(12),
		kdf: kdbxKDF{id: kdbxKDFArgon2id, seed: rnd(32), memory: 1 << 20, passes: 1, lanes: 1, version: 0x13}}
	var hdr bytes.Buffer
	le := func(v any) { _ = binary.Write(&hdr, binary.LittleEndian, v) } // a bytes.Buffer does not fail
	le(uint32(kdbxSig1))
	le(uint32(kdbxSig2))
	le(uint16(0))
	le(uint16(4))
	field := func(id byte, v []byte) {
		hdr.WriteByte(id)
		le(uint32(len(v)))
		hdr.Write(v)
	}
	field(2, []byte(h.cipher))
	field(3, []byte{0, 0, 0, 0})
	field(4, h.masterSeed)
	field(7, h.iv)
	var vd bytes.Buffer
	vd.Write([]byte{0, 1})
	entry := func(typ byte, name string, v []byte) {
		vd.WriteByte(typ)
		_ = binary.Write(&vd, binary.LittleEndian, uint32(len(name)))
		vd.WriteString(name)
		_ = binary.Write(&vd, binary.LittleEndian, uint32(len(v)))
		vd.Write(v)
	}
	u64 := func(v uint64) []byte { return binary.LittleEndian.AppendUint64(nil, v) }
	u32 := func(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
	if aesKDF {
		h.kdf = kdbxKDF{id: kdbxKDFAES4, seed: h.kdf.seed, rounds: 1000}
		entry(0x42, "$UUID", []byte(h.kdf.id))
		entry(0x42, "S", h.kdf.seed)
		entry(0x05, "R", u64(h.kdf.rounds))
	} else {
		entry(0x42, "$UUID", []byte(h.kdf.id))
		entry(0x42, "S", h.kdf.seed)
		entry(0x05, "M", u64(h.kdf.memory))
		entry(0x05, "I", u64(h.kdf.passes))
		entry(0x04, "P", u32(h.kdf.lanes))
		entry(0x04, "V", u32(h.kdf.version))
	}
	vd.WriteByte(0)
	field(11, vd.Bytes())
	field(0, []byte("\r\n\r\n"))
	head := hdr.Bytes()

	ck, hk, err := kdbxKeys(h, []byte(password))
	if err != nil {
		tb.Fatal(err)
	}
	innerKey := rnd(64)
	ih := sha512.Sum512(innerKey)
	stream, err := chacha20.NewUnauthenticatedCipher(ih[:32], ih[32:44])
	if err != nil {
		tb.Fatal(err)
	}
	protect := func(s string) string {
		b := []byte(s)
		stream.XORKeyStream(b, b)
		return base64.StdEncoding.EncodeToString(b)
	}
	var inner bytes.Buffer
	inner.WriteByte(1)
	inner.Write(u32(4))
	inner.Write(u32(3))
	inner.WriteByte(2)
	inner.Write(u32(uint32(len(innerKey))))
	inner.Write(innerKey)
	for _, f := range files {
		inner.WriteByte(3)
		inner.Write(u32(uint32(1 + len(f))))
		inner.WriteByte(1) // protected in memory, as KeePass marks them
		inner.Write(f)
	}
	inner.Write([]byte{0, 0, 0, 0, 0})
	inner.WriteString(`<?xml version="1.0" encoding="utf-8" standalone="yes"?><KeePassFile><Meta><Generator>test</Generator></Meta><Root>`)
	inner.WriteString(body(protect))
	inner.WriteString(`</Root></KeePassFile>`)
	c, err := chacha20.NewUnauthenticatedCipher(ck, h.iv)
	if err != nil {
		tb.Fatal(err)
	}
	sealed := inner.Bytes()
	c.XORKeyStream(sealed, sealed)

	out := bytes.NewBuffer(append([]byte(nil), head...))
	sum := sha256Sum(head)
	out.Write(sum)
	out.Write(blockHMAC(hk, ^uint64(0), head))
	const blockSize = 1 << 20
	for i := uint64(0); ; i++ {
		n := min(blockSize, len(sealed))
		var pre [12]byte
		binary.LittleEndian.PutUint64(pre[:], i)
		binary.LittleEndian.PutUint32(pre[8:], uint32(n))
		out.Write(blockHMAC(hk, i, pre[:], sealed[:n]))
		out.Write(pre[8:])
		out.Write(sealed[:n])
		sealed = sealed[n:]
		if n == 0 {
			return out.Bytes()
		}
	}
}

func sha256Sum(b []byte) []byte {
	h := sha256.Sum256(b)
	return h[:]
}

// kdbxEntry writes one entry: a login whose password is protected.
func kdbxEntry(protect func(string) string, title, user, password, url, notes string) string {
	e := html.EscapeString
	return fmt.Sprintf(`<Entry><String><Key>Title</Key><Value>%s</Value></String><String><Key>UserName</Key><Value>%s</Value></String>`+
		`<String><Key>Password</Key><Value Protected="True">%s</Value></String><String><Key>URL</Key><Value>%s</Value></String>`+
		`<String><Key>Notes</Key><Value>%s</Value></String></Entry>`, e(title), e(user), protect(password), e(url), e(notes))
}

// TestKDBXWriter: what the test writer writes, the reader reads, over several blocks.
func TestKDBXWriter(t *testing.T) {
	note := strings.Repeat("panjang ", 2000)
	const n = 200 // 200 notes of 16 KB: more than one 1 MiB block
	data := writeKDBX4(t, "sandi", func(protect func(string) string) string {
		var b strings.Builder
		b.WriteString("<Group><Name>Root</Name>" + kdbxEntry(protect, "A & B", "ayu", "p<1>", "https://a.example", "") + "<Group><Name>Sub</Name>")
		for i := range n {
			b.WriteString(kdbxEntry(protect, fmt.Sprint("C", i), "u", fmt.Sprint("rahasia ✓ ", i), "", note))
		}
		b.WriteString("</Group></Group>")
		return b.String()
	})
	p, err := Parse(data, ImportOptions{Password: kdbxPassword("sandi")})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != n+1 || len(p.Problems) != 0 {
		t.Fatalf("%d items, problems %v", len(p.Items), p.Problems)
	}
	first, last := p.Items[0], p.Items[n]
	if first.Password != "p<1>" || first.Title != "A & B" || last.Password != fmt.Sprint("rahasia ✓ ", n-1) || last.Folder != "Sub" || last.Notes != note {
		t.Errorf("first %+v, last %+v", first, last)
	}
}

// TestKDBX4AESKDF: KDBX 4 with AES-KDF (its own UUID and parameters) opens; a wrong
// password is refused by the header's MAC.
func TestKDBX4AESKDF(t *testing.T) {
	data := writeKDBX4With(t, "sandi", true, func(protect func(string) string) string {
		return "<Group><Name>Root</Name>" + kdbxEntry(protect, "Förråd", "åsa", "hemligt", "", "") + "</Group>"
	})
	p, err := Parse(data, ImportOptions{Password: kdbxPassword("sandi")})
	if err != nil || len(p.Items) != 1 || p.Items[0].Password != "hemligt" {
		t.Fatalf("plan %+v, %v", p, err)
	}
	if _, err := Parse(data, ImportOptions{Password: kdbxPassword("sandi!")}); !errors.Is(err, ErrWrongDatabasePassword) {
		t.Errorf("wrong password: %v", err)
	}
}

// TestKDBX4Attachments: files in a KDBX 4 database's inner header come in as the
// entries' attachments, by index; a reference to no file leaves the entry with the
// file's name only; the database's other entries are not touched.
func TestKDBX4Attachments(t *testing.T) {
	photo := make([]byte, 3000)
	rand.Read(photo)
	data := writeKDBX4Files(t, "sandi", true, [][]byte{[]byte("recovery codes: 1234 5678"), photo}, func(protect func(string) string) string {
		bin := func(name string, ref int) string {
			return fmt.Sprintf(`<Binary><Key>%s</Key><Value Ref="%d"/></Binary>`, name, ref)
		}
		withFiles := strings.Replace(kdbxEntry(protect, "Passport", "", "", "", ""), "</Entry>",
			bin("codes.txt", 0)+bin("photo.jpg", 1)+bin("gone.pdf", 7)+"</Entry>", 1)
		return "<Group><Name>Root</Name>" + withFiles + kdbxEntry(protect, "Mail", "ayu", "pw", "", "") + "</Group>"
	})
	p, err := Parse(data, ImportOptions{Password: kdbxPassword("sandi")})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 2 {
		t.Fatalf("%d items", len(p.Items))
	}
	it := p.Items[0]
	if len(it.Attachments) != 2 || it.Attachments[0].Name != "codes.txt" || string(it.Attachments[0].Content()) != "recovery codes: 1234 5678" ||
		it.Attachments[1].Name != "photo.jpg" || !bytes.Equal(it.Attachments[1].Content(), photo) {
		t.Errorf("attachments = %v", it.Attachments)
	}
	var named []string
	for _, f := range it.Fields {
		if f.Name == "Attachment (not imported)" {
			named = append(named, f.Value)
		}
	}
	if strings.Join(named, ",") != "gone.pdf" {
		t.Errorf("files named but not imported: %v", named)
	}
	if m := p.Items[1]; len(m.Attachments) != 0 || m.Password != "pw" {
		t.Errorf("the other entry: %+v", m)
	}
}
