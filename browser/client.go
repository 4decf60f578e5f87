package browser

import (
	"errors"
	"fmt"
	"io"
	"sync"
)

// Client is the extension's side of the protocol in Go: what the WebExtension does in
// JavaScript, for tests, benchmarks and tools that talk to the app as a browser would.
// It reads and writes frames on rw (a socket to the app, or a native host's stdio).
type Client struct {
	rw   io.ReadWriter
	Key  KeyPair
	Name string

	mu      sync.Mutex
	app     [keySize]byte
	session []byte
	nextID  uint64
	// Hello is the app's hello, after Hello.
	HelloReply *Envelope
	// Pushed holds status envelopes that arrived while waiting for an answer.
	Pushed []*Envelope
}

// ErrAppError is wrapped by Client errors that are an error envelope from the host or
// the app; the envelope's code follows in the text.
var ErrAppError = errors.New("the app answered with an error")

// AppError is an error envelope received by the client.
type AppError struct{ Code, Message string }

func (e *AppError) Error() string { return e.Code + ": " + e.Message }

// Unwrap makes errors.Is(err, ErrAppError) true.
func (e *AppError) Unwrap() error { return ErrAppError }

// NewClient returns a client with key kp on rw.
func NewClient(rw io.ReadWriter, kp KeyPair, name string) *Client {
	return &Client{rw: rw, Key: kp, Name: name}
}

func (c *Client) write(e *Envelope) error {
	b, err := e.Encode()
	if err != nil {
		return err
	}
	return WriteMessage(c.rw, b)
}

// read returns the next envelope that is not a status push (those go to Pushed).
func (c *Client) read() (*Envelope, error) {
	for {
		b, err := ReadMessage(c.rw)
		if err != nil {
			return nil, err
		}
		e, err := DecodeEnvelope(b)
		if err != nil {
			return nil, err
		}
		if e.Type == TypeStatus {
			c.Pushed = append(c.Pushed, e)
			continue
		}
		if e.Type == TypeError {
			return e, &AppError{Code: e.Code, Message: e.Message}
		}
		return e, nil
	}
}

// ReadPush waits for the next status push.
func (c *Client) ReadPush() (*Envelope, error) {
	if len(c.Pushed) > 0 {
		e := c.Pushed[0]
		c.Pushed = c.Pushed[1:]
		return e, nil
	}
	b, err := ReadMessage(c.rw)
	if err != nil {
		return nil, err
	}
	return DecodeEnvelope(b)
}

// Hello sends the client's key and keeps the app's key and session.
func (c *Client) Hello() (*Envelope, error) {
	if err := c.write(&Envelope{Type: TypeHello, Key: c.Key.Public[:]}); err != nil {
		return nil, err
	}
	e, err := c.read()
	if err != nil {
		return nil, err
	}
	if e.Type != TypeHello || len(e.Key) != keySize || len(e.Session) != sessionSize {
		return nil, fmt.Errorf("%w: expected the app's hello", ErrBadMessage)
	}
	copy(c.app[:], e.Key)
	c.session = e.Session
	c.HelloReply = e
	return e, nil
}

// Code is the pairing code this client shows, after Hello.
func (c *Client) Code() string { return PairingCode(c.app[:], c.Key.Public[:], c.session) }

// Pair asks the app to pair and waits for the person's answer.
func (c *Client) Pair() (bool, error) {
	nonce, box, err := seal(&c.Key, &c.app, PairRequest{Session: c.session, Name: c.Name})
	if err != nil {
		return false, err
	}
	if err := c.write(&Envelope{Type: TypePair, Nonce: nonce, Box: box}); err != nil {
		return false, err
	}
	e, err := c.read()
	if err != nil {
		return false, err
	}
	var a PairAnswer
	if err := open(&c.Key, &c.app, e.Nonce, e.Box, &a); err != nil {
		return false, err
	}
	if string(a.Session) != string(c.session) {
		return false, fmt.Errorf("%w: the answer is for another connection", ErrBadMessage)
	}
	return a.Approved, nil
}

// Seal seals r (with the next ID and the session) as a msg envelope, without sending
// it: tests replay and tamper with it.
func (c *Client) Seal(r Request) (*Envelope, uint64, error) {
	c.mu.Lock()
	c.nextID++
	r.ID, r.Session = c.nextID, c.session
	c.mu.Unlock()
	nonce, box, err := seal(&c.Key, &c.app, r)
	if err != nil {
		return nil, 0, err
	}
	return &Envelope{Type: TypeMsg, Nonce: nonce, Box: box}, r.ID, nil
}

// SendEnvelope writes e and reads the answer to request id.
func (c *Client) SendEnvelope(e *Envelope, id uint64) (*Response, error) {
	if err := c.write(e); err != nil {
		return nil, err
	}
	a, err := c.read()
	if err != nil {
		return nil, err
	}
	var resp Response
	if err := open(&c.Key, &c.app, a.Nonce, a.Box, &resp); err != nil {
		return nil, err
	}
	if resp.ID != id || string(resp.Session) != string(c.session) {
		return nil, fmt.Errorf("%w: the answer is for another request", ErrBadMessage)
	}
	return &resp, nil
}

// Do sends one request and returns the app's answer.
func (c *Client) Do(r Request) (*Response, error) {
	e, id, err := c.Seal(r)
	if err != nil {
		return nil, err
	}
	return c.SendEnvelope(e, id)
}
