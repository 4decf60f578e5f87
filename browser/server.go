package browser

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"
)

// maxConns bounds how many browser connections the app serves at once: one per
// browser profile is normal, and a local program opening thousands gets refused
// rather than costing the app memory.
const maxConns = 32

// writeTimeout is how long a frame may take to reach a peer before the connection is
// dropped, so a peer that stops reading cannot stall the status pushes to the others.
const writeTimeout = 5 * time.Second

// PairingPrompt is what the pairing dialog shows: "Connect this browser to Valv?",
// the browser's name and the code the extension shows too.
type PairingPrompt struct {
	Name string
	Code string
}

// Options configure a Server.
type Options struct {
	Core     Core
	Pairings *Pairings
	// Sites are the per-site settings (fill on page load, allowed frames). Nil leaves
	// everything off and refuses changes.
	Sites *Sites
	// Approve asks the person whether to pair a browser and returns their answer. It
	// may block until they answer; ctx is cancelled when the browser goes away first,
	// and the dialog should then close. Nil refuses every pairing.
	Approve func(ctx context.Context, p PairingPrompt) bool
	// ShowUnlock brings Valv's unlock window to the front. Nil does nothing.
	ShowUnlock func()
	// Now is the clock for last-use times (time.Now when nil).
	Now func() time.Time
}

// Server answers the extension's messages that the native host relays. Start it with
// Serve on a listener from Listen; it serves until Close.
type Server struct {
	o      Options
	cancel func() // the Core subscription

	mu         sync.Mutex
	listeners  map[net.Listener]bool
	conns      map[*conn]bool
	lastLocked bool
	closed     bool
	pairing    *conn // the connection whose pairing dialog is open: one at a time
}

// NewServer returns a server over o. It pushes a status message to every connected
// browser when the vault locks or unlocks, so a pending fill goes on after unlock.
func NewServer(o Options) *Server {
	if o.Now == nil {
		o.Now = time.Now
	}
	s := &Server{o: o, listeners: map[net.Listener]bool{}, conns: map[*conn]bool{}, lastLocked: o.Core.Locked()}
	s.cancel = o.Core.Subscribe(s.lockChanged)
	return s
}

// ErrServerClosed is returned by Serve after Close.
var ErrServerClosed = errors.New("the browser server is closed")

// Serve accepts connections on l until Close, serving each on its own goroutine.
func (s *Server) Serve(l net.Listener) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrServerClosed
	}
	s.listeners[l] = true
	s.mu.Unlock()
	for {
		nc, err := l.Accept()
		if err != nil {
			s.mu.Lock()
			closed := s.closed
			s.mu.Unlock()
			if closed {
				return ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return err
		}
		c, ok := s.add(nc)
		if !ok {
			_ = nc.Close() // over the limit: nothing was said on it yet
			continue
		}
		go c.serve()
	}
}

func (s *Server) add(nc net.Conn) (*conn, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || len(s.conns) >= maxConns {
		return nil, false
	}
	c, err := newConn(s, nc)
	if err != nil {
		return nil, false
	}
	s.conns[c] = true
	return c, true
}

func (s *Server) remove(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}

// Close stops accepting, drops every connection and ends the vault subscription.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	ls, cs := s.listeners, s.conns
	s.listeners, s.conns = nil, nil
	s.mu.Unlock()
	s.cancel()
	var first error
	for l := range ls {
		if err := l.Close(); err != nil && first == nil {
			first = err
		}
	}
	for c := range cs {
		c.close()
	}
	return first
}

// Revoke unpairs the browser with the given ID (Settings → Browsers) and drops its
// open connections, so it is refused from its very next message.
func (s *Server) Revoke(id string) error {
	if err := s.o.Pairings.Revoke(id); err != nil {
		return err
	}
	for _, c := range s.connections() {
		if c.peerID() == id {
			c.close()
		}
	}
	return nil
}

func (s *Server) connections() []*conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		out = append(out, c)
	}
	return out
}

// lockChanged pushes the new lock state to every browser when it changed.
func (s *Server) lockChanged() {
	locked := s.o.Core.Locked()
	s.mu.Lock()
	changed := locked != s.lastLocked
	s.lastLocked = locked
	s.mu.Unlock()
	if !changed {
		return
	}
	for _, c := range s.connections() {
		c.send(&Envelope{Type: TypeStatus, Locked: locked})
	}
}

// beginPairing claims the single pairing dialog; endPairing releases it.
func (s *Server) beginPairing(c *conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pairing != nil {
		return false
	}
	s.pairing = c
	return true
}

// endPairing frees the dialog if c holds it. A connection that closes frees it before
// its dialog is told to close, so the next browser can ask at once.
func (s *Server) endPairing(c *conn) {
	s.mu.Lock()
	if s.pairing == c {
		s.pairing = nil
	}
	s.mu.Unlock()
}
