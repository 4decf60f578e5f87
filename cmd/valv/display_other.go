//go:build !(linux || freebsd || openbsd || netbsd)

package main

// checkDisplay has nothing to check where the desktop is always there (Windows, macOS).
func checkDisplay() error { return nil }
