package browser

import (
	"context"
	"crypto/rand"
	"errors"
	"net"
	"sync"
	"time"
)

// conn is one browser connection (one native host process). It holds the session
// challenge the app sent in its hello and the extension key that said hello.
type conn struct {
	s       *Server
	nc      net.Conn
	session []byte
	ctx     context.Context // ends with the connection: an open pairing dialog closes
	cancel  func()

	mu     sync.Mutex // guards peer and lastID
	peer   *[keySize]byte
	lastID uint64

	wmu sync.Mutex // one frame at a time on the wire
}

func newConn(s *Server, nc net.Conn) (*conn, error) {
	c := &conn{s: s, nc: nc, session: make([]byte, sessionSize)}
	if _, err := rand.Read(c.session); err != nil {
		return nil, err
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	return c, nil
}

func (c *conn) close() {
	c.s.endPairing(c)
	c.cancel()
	// The peer is gone or being dropped; there is no one left to tell of a close error.
	_ = c.nc.Close()
}

// serve reads frames until the peer closes or breaks the framing.
func (c *conn) serve() {
	defer c.s.remove(c)
	defer c.close()
	for {
		b, err := ReadMessage(c.nc)
		if err != nil {
			if errors.Is(err, ErrTooLarge) || errors.Is(err, ErrBadMessage) {
				c.fail(CodeBadRequest, err.Error())
			}
			return
		}
		e, err := DecodeEnvelope(b)
		if err != nil {
			c.fail(CodeBadRequest, err.Error())
			continue
		}
		switch e.Type {
		case TypeHello:
			c.hello(e)
		case TypePair:
			c.pair(e)
		case TypeMsg:
			c.msg(e)
		default:
			c.fail(CodeBadRequest, "the app does not take that message")
		}
	}
}

// send writes one envelope, dropping the connection if the peer does not take it in
// time.
func (c *conn) send(e *Envelope) {
	b, err := e.Encode()
	if err != nil {
		return
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.nc.SetWriteDeadline(time.Now().Add(writeTimeout)); err != nil {
		c.close()
		return
	}
	if err := WriteMessage(c.nc, b); err != nil {
		c.close()
	}
}

func (c *conn) fail(code, msg string) {
	c.send(&Envelope{Type: TypeError, Code: code, Message: msg})
}

func (c *conn) peerKey() *[keySize]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.peer
}

func (c *conn) peerID() string {
	if k := c.peerKey(); k != nil {
		return BrowserID(k[:])
	}
	return ""
}

// hello records the extension's key (once per connection) and answers with the app's
// key, this connection's session challenge and whether the key is paired.
func (c *conn) hello(e *Envelope) {
	if len(e.Key) != keySize {
		c.fail(CodeBadRequest, "a hello needs the browser's key")
		return
	}
	c.mu.Lock()
	if c.peer != nil && string(c.peer[:]) != string(e.Key) {
		c.mu.Unlock()
		c.fail(CodeBadRequest, "a connection keeps the key it said hello with")
		return
	}
	var k [keySize]byte
	copy(k[:], e.Key)
	c.peer = &k
	c.mu.Unlock()
	app := c.s.o.Pairings.AppKey()
	c.send(&Envelope{Type: TypeHello, Key: app.Public[:], Session: c.session,
		Paired: c.s.o.Pairings.Paired(e.Key), Locked: c.s.o.Core.Locked()})
}

// pair asks the person, on its own goroutine so the connection goes on reading (and
// notices when the browser goes away, which closes the dialog).
func (c *conn) pair(e *Envelope) {
	peer := c.peerKey()
	if peer == nil {
		c.fail(CodeBadRequest, "say hello before pairing")
		return
	}
	app := c.s.o.Pairings.AppKey()
	var req PairRequest
	if err := open(&app, peer, e.Nonce, e.Box, &req); err != nil || string(req.Session) != string(c.session) {
		c.fail(CodeBadRequest, "the pairing request does not belong to this connection")
		return
	}
	if c.s.o.Pairings.Paired(peer[:]) {
		c.answerPair(&app, peer, true)
		return
	}
	if !c.s.beginPairing(c) {
		c.fail(CodeBusy, "another browser is waiting to be connected; answer it in Valv first")
		return
	}
	name := cleanName(req.Name)
	code := PairingCode(app.Public[:], peer[:], c.session)
	go func() {
		defer c.s.endPairing(c)
		ok := c.s.o.Approve != nil && c.s.o.Approve(c.ctx, PairingPrompt{Name: name, Code: code})
		if c.ctx.Err() != nil {
			return // the browser went away while the dialog was open
		}
		if ok {
			if err := c.s.o.Pairings.Approve(peer[:], name, c.s.o.Now()); err != nil {
				c.fail(CodeFailed, err.Error())
				return
			}
		}
		c.answerPair(&app, peer, ok)
	}()
}

func (c *conn) answerPair(app *KeyPair, peer *[keySize]byte, approved bool) {
	nonce, box, err := seal(app, peer, PairAnswer{Session: c.session, Approved: approved})
	if err != nil {
		c.fail(CodeFailed, "the answer could not be sealed")
		return
	}
	c.send(&Envelope{Type: TypePair, Nonce: nonce, Box: box})
}

// msg opens a sealed request from a paired browser, checks it belongs to this
// connection and comes after the last one, and answers it sealed.
func (c *conn) msg(e *Envelope) {
	peer := c.peerKey()
	if peer == nil || !c.s.o.Pairings.Paired(peer[:]) {
		c.fail(CodeNotPaired, "this browser is not connected to Valv; connect it again")
		return
	}
	app := c.s.o.Pairings.AppKey()
	var req Request
	if err := open(&app, peer, e.Nonce, e.Box, &req); err != nil {
		c.fail(CodeBadRequest, "the request does not open with this browser's key")
		return
	}
	c.mu.Lock()
	fresh := string(req.Session) == string(c.session) && req.ID > c.lastID
	if fresh {
		c.lastID = req.ID
	}
	c.mu.Unlock()
	if !fresh {
		c.fail(CodeBadRequest, "the request was already answered or belongs to another connection")
		return
	}
	// Last use is for the person's overview; failing to save it must not stop a fill.
	_ = c.s.o.Pairings.Touch(peer[:], c.s.o.Now())
	resp := c.s.handle(&req)
	resp.ID, resp.Session = req.ID, c.session
	nonce, box, err := seal(&app, peer, resp)
	if err != nil {
		c.fail(CodeFailed, "the answer could not be sealed")
		return
	}
	c.send(&Envelope{Type: TypeMsg, Nonce: nonce, Box: box})
}

// cleanName keeps a browser's self-description short and printable for the dialog.
func cleanName(s string) string {
	out := make([]rune, 0, 64)
	for _, r := range s {
		if len(out) == 64 {
			break
		}
		if r >= ' ' && r != 0x7f && !(r >= 0x80 && r < 0xa0) && !(r >= 0x202a && r <= 0x202e) && !(r >= 0x2066 && r <= 0x2069) {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return "Browser"
	}
	return string(out)
}
