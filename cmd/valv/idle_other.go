//go:build !linux

package main

import "fyne.io/fyne/v2"

// idleLoop leaves Fyne's loop as it is outside Linux (see idle_linux.go).
type idleLoop struct{}

func (*idleLoop) start(func() bool) {}

func (*idleLoop) onUI(f func()) { fyne.Do(f) }
