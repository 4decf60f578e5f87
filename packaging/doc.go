// Package packaging holds no code. It is the home of the files the packages are made
// from (linux/, windows/, macos/, flatpak/; scripts/dist puts them together), and its
// tests check those files quickly in make test: the desktop file and AppStream metadata
// validate, every screenshot the metadata shows exists, and the release number agrees
// everywhere it is written by hand.
package packaging
