//go:build !unix && !windows

package harden

// apply has nothing to apply on systems without processes of their own (js/wasm).
func apply() error { return nil }
