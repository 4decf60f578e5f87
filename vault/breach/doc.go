// Package breach tells whether a password is known from data breaches. By default it
// asks nothing of anyone: a compact filter of breached passwords ships inside Valv and
// answers offline. A person may add a full filter they build from the Have I Been
// Pwned list, and may turn on an online check that sends only five hex digits.
//
// # The filter
//
// A binary fuse filter (github.com/FastFilter/xorfilter builds it) over the first 64
// bits of each breached password's SHA-1, with 16-bit fingerprints: about 18 bits per
// password, and a false-positive rate of 2⁻¹⁶ ≈ 0.0015% — one password in 65,536 that
// was never breached is reported as exposed. Nothing else is in the filter: it cannot
// list the passwords it was built from. The format (filter.go) is split into shards by
// the hash's leading bits so that a filter of the whole Have I Been Pwned list (close
// to a billion passwords, about 2 GB) is built shard by shard in bounded memory and
// read with three small reads per lookup, never loaded whole.
//
// # The built-in list
//
// builtin.bin is built by `go generate ./vault/breach` (internal/genbuiltin; the
// Makefile's build runs it) from data/10-million-password-list-top-100000.txt: the
// 100,000 most common passwords of Mark Burnett's ten million breached passwords, as
// published in SecLists (github.com/danielmiessler/SecLists,
// Passwords/Common-Credentials) under the MIT licence, © Daniel Miessler; the licence
// is in data/LICENSE. The build is deterministic, so the same list gives the same
// bytes, and a test checks that the committed filter is the list's.
//
// # The full list
//
// BuildHIBP turns the Have I Been Pwned "Pwned Passwords" SHA-1 download (lines of
// SHA1HEX:COUNT, sorted by hash as the downloader writes them) into a filter file;
// `valv-cli breach-filter build` runs it and Settings → Security points at the file.
//
// # Online
//
// Range asks a k-anonymity range endpoint (the Pwned Passwords API): only the first
// five hex digits of a password's SHA-1 are sent, with Add-Padding so the answer's
// size does not tell either; the match is made here. It is used only when a person
// turns it on.
package breach
