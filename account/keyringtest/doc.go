// Package keyringtest holds the account package's tests against a real Secret Service
// (gnome-keyring in a private D-Bus session: scripts/with-keyring, which make test uses).
// They live apart from the account package's own tests because those replace the
// keyring with go-keyring's mock, which cannot be undone within one test binary.
package keyringtest
