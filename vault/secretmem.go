package vault

import (
	"unsafe"

	"github.com/valvpm/valv/internal/secret"
)

// secretArena holds the text of the unlocked items' secrets (the schema's secret fields,
// notes, extra field values, past passwords) and their search text in byte chunks the
// vault owns, so Lock can overwrite them. Go strings cannot be wiped, but a string is
// only a view of bytes: the strings the index hands out look into these chunks, and
// once Lock wipes them every such string, wherever it was copied to, reads as zero bytes.
// That is the contract of a locked vault: an item taken from it before Lock is not to
// be read after Lock (the views drop theirs on lock).
//
// Chunks are never moved or freed while the vault is unlocked, so a string stays valid
// until Lock. Text replaced by an edit stays in its chunk until then too.
type secretArena struct {
	chunks [][]byte
	cur    []byte // the last chunk, with room after len
}

// arenaChunk is the size of a chunk; a longer text gets a chunk of its own.
const arenaChunk = 64 << 10

// bytes returns n bytes of the arena to fill.
func (a *secretArena) bytes(n int) []byte {
	if n > arenaChunk/4 {
		c := make([]byte, n)
		a.chunks = append(a.chunks, c)
		return c
	}
	if cap(a.cur)-len(a.cur) < n {
		a.cur = make([]byte, 0, arenaChunk)
		a.chunks = append(a.chunks, a.cur[:arenaChunk])
	}
	l := len(a.cur)
	a.cur = a.cur[:l+n]
	return a.cur[l : l+n : l+n]
}

// str returns a string over an arena copy of p.
func (a *secretArena) str(p []byte) string {
	if len(p) == 0 {
		return ""
	}
	b := a.bytes(len(p))
	copy(b, p)
	return unsafe.String(&b[0], len(b))
}

// owns reports whether s already lies in the arena.
func (a *secretArena) owns(s string) bool {
	if s == "" {
		return true
	}
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	for _, c := range a.chunks {
		start := uintptr(unsafe.Pointer(&c[0]))
		if p >= start && p < start+uintptr(len(c)) {
			return true
		}
	}
	return false
}

// intern points *s at an arena copy of its text, unless it is there already.
func (a *secretArena) intern(s *string) {
	if !a.owns(*s) {
		*s = a.str(unsafe.Slice(unsafe.StringData(*s), len(*s)))
	}
}

// wipe zeroes every chunk and lets them go. Nil-safe.
func (a *secretArena) wipe() {
	if a == nil {
		return
	}
	for _, c := range a.chunks {
		secret.Wipe(c)
	}
	a.chunks, a.cur = nil, nil
}

// isSecretText reports whether a schema field's text is kept in the arena: the secret
// fields and the notes (a secure note's text is its secret).
func (f *FieldSpec) isSecretText() bool { return f.Secret || f.tag == tagNotes }

// keep moves every secret text of it into the arena. it is the vault's own copy.
func (a *secretArena) keep(it *Item) {
	for i := range fieldTable {
		f := &fieldTable[i]
		if !f.isSecretText() {
			continue
		}
		if f.list != nil {
			l := *f.list(it)
			for j := range l {
				a.intern(&l[j])
			}
		} else {
			a.intern(f.str(it))
		}
	}
	for i := range it.Fields {
		a.intern(&it.Fields[i].Value)
	}
	for i := range it.History {
		a.intern(&it.History[i].Password)
	}
}
