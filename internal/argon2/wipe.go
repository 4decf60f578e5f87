package argon2

// wipe and wipeWords zero memory the compiler would otherwise be free to skip: a
// clear of a local variable that is not read again is a dead store, which the
// compiler removes. A call it cannot see into must be assumed to read the memory, so
// both stay out of line.
//
//go:noinline
func wipe(b []byte) { clear(b) }

//go:noinline
func wipeWords(w []uint64) { clear(w) }
