package browser

import (
	"errors"
	"io"
	"net"
	"sync"

	"github.com/valvpm/valv/internal/secret"
)

// notRunningMessage is what the host says when no Valv answers; the extension shows its
// own translation of CodeNotRunning, which also says how to start Valv.
const notRunningMessage = "Valv is not running. Start Valv and unlock it, then try again."

// RunHost is the native messaging host: it relays frames between the browser (in,
// out: the host's stdin and stdout) and the app (a connection from dial), and holds
// nothing but the frames in flight — no key, no secret. Each frame from the browser
// is checked (size, one protocol envelope) before it goes on. When no app answers, or
// the app goes away, the browser gets a "not running" error for each message, and the
// next message tries to reach the app again, so starting Valv later needs no browser
// restart. Every frame is wiped as soon as it has been passed on, so the host's heap
// keeps no message it relayed. RunHost returns nil when the browser closes stdin.
func RunHost(in io.Reader, out io.Writer, dial func() (net.Conn, error)) error {
	h := &host{out: out, dial: dial}
	defer h.drop()
	for {
		b, err := ReadMessage(in)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			h.say(&Envelope{Type: TypeError, Code: CodeBadRequest, Message: err.Error()})
			return err // the framing is lost: nothing after this can be read reliably
		}
		if _, err := DecodeEnvelope(b); err != nil {
			secret.Wipe(b)
			h.say(&Envelope{Type: TypeError, Code: CodeBadRequest, Message: err.Error()})
			continue
		}
		h.forward(b)
		secret.Wipe(b)
	}
}

type host struct {
	out  io.Writer
	dial func() (net.Conn, error)

	mu  sync.Mutex // guards app
	app net.Conn
	wmu sync.Mutex // one frame at a time to the browser
}

// say writes one envelope to the browser.
func (h *host) say(e *Envelope) {
	if b, err := e.Encode(); err == nil {
		h.write(b)
		secret.Wipe(b)
	}
}

func (h *host) write(b []byte) {
	h.wmu.Lock()
	defer h.wmu.Unlock()
	// A browser that stopped reading is closing the host anyway.
	_ = WriteMessage(h.out, b)
}

// forward sends b to the app, connecting first when needed.
func (h *host) forward(b []byte) {
	h.mu.Lock()
	if h.app == nil {
		c, err := h.dial()
		if err != nil {
			h.mu.Unlock()
			h.say(&Envelope{Type: TypeError, Code: CodeNotRunning, Message: notRunningMessage})
			return
		}
		h.app = c
		go h.fromApp(c)
	}
	c := h.app
	h.mu.Unlock()
	if err := WriteMessage(c, b); err != nil {
		h.lost(c)
		h.say(&Envelope{Type: TypeError, Code: CodeNotRunning, Message: notRunningMessage})
	}
}

// fromApp copies the app's frames to the browser until the app goes away. The app's
// frames are passed on as they are: the host cannot read the sealed ones anyway.
func (h *host) fromApp(c net.Conn) {
	for {
		b, err := ReadMessage(c)
		if err != nil {
			if h.lost(c) {
				// The extension learns the app is gone and starts over with a hello.
				h.say(&Envelope{Type: TypeError, Code: CodeNotRunning, Message: notRunningMessage})
			}
			return
		}
		h.write(b)
		secret.Wipe(b)
	}
}

// lost forgets c if it is still the app connection; it reports whether it was.
func (h *host) lost(c net.Conn) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.app != c {
		return false
	}
	h.app = nil
	_ = c.Close() // already broken
	return true
}

func (h *host) drop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.app != nil {
		_ = h.app.Close() // the browser has gone; the app notices the close
		h.app = nil
	}
}
