// Package ui is Valv's desktop interface, built with Fyne.
//
// It follows the habits of fyne-io/calculator and lucor/paw: the state of the app lives
// in a Controller (controller.go) that knows nothing about widgets and is tested on its
// own, and each screen is built by a small view type that reads from and calls into the
// controller. Work that takes time (key derivation when creating, unlocking or changing
// the master password) runs off the UI goroutine and comes back through fyne.Do, so the
// window never freezes.
//
// Every string a person sees goes through T (i18n.go); translations live in
// assets/translations and a test fails if any language lacks a key or if a rendered
// screen shows text that did not come from T.
//
// Locking drops every decrypted item from the controller and rebuilds the window with
// the unlock screen, so no screen keeps a reference to plaintext after a lock.
package ui
