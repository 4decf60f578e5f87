package main

import (
	"log"

	"github.com/go-gl/glfw/v3.3/glfw"
)

// noDepthBuffer asks GLFW for windows without a depth or stencil buffer. Fyne draws
// in 2D with the depth test off, yet GLFW's defaults give each window a 24-bit depth
// and 8-bit stencil buffer, which Fyne clears every frame: four bytes a pixel that are
// written and never read (2.3 MiB resident at the default window size, more when
// maximised). Hints hold until GLFW ends and Fyne sets neither of these. Fyne starts
// GLFW when the first window is made (NewWindow) but creates the native window only
// when it is shown, so this must run in between, on the main goroutine, which Fyne's
// driver locks to the main thread as GLFW requires.
//
// go-gl/glfw panics on an error GLFW reports, including one left over from an
// earlier call; then the window keeps GLFW's defaults, which only cost memory.
func noDepthBuffer() {
	defer func() {
		if err := recover(); err != nil {
			log.Printf("valv: GLFW window hints: %v", err)
		}
	}()
	glfw.WindowHint(glfw.DepthBits, 0)
	glfw.WindowHint(glfw.StencilBits, 0)
}
