// Package layout holds no code: its test checks the import rules of docs/design.md
// (which packages may import Fyne, that clients and server share only cloud/api, and
// that no package imports upward) against what `go list` reports, so a rule broken by
// a new import fails `make test` instead of waiting for a review.
package layout
