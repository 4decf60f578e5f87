package browser

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// The envelope types. Only hello, pair requests and status travel in clear; every
// request and answer about logins is a sealed "msg".
const (
	TypeHello  = "hello"  // extension → app: its public key; app → extension: the app's key, the session, paired, locked
	TypePair   = "pair"   // extension → app: a sealed pairing request; app → extension: the sealed answer
	TypeMsg    = "msg"    // a sealed Request or Response
	TypeStatus = "status" // app → extension, pushed when the vault locks or unlocks
	TypeError  = "error"  // in clear: the host's "not running", or a refusal before any key is trusted
)

// Actions a paired extension may ask for.
const (
	ActionFind     = "find"      // the logins that match the page, without secrets
	ActionFill     = "fill"      // one login's user name and password (and TOTP code), for the page
	ActionTOTP     = "totp"      // the current one-time code of one login, for the page
	ActionCheck    = "check"     // after a submit: is this user name and password new, changed or known
	ActionSave     = "save"      // save a new login for the page
	ActionUpdate   = "update"    // replace one login's password
	ActionGenerate = "generate"  // a password from the app's generator
	ActionStatus   = "status"    // locked or not
	ActionUnlock   = "unlock"    // bring Valv's unlock window to the front
	ActionSite     = "site"      // the top site's settings: fill on page load, allowed frame origins
	ActionSetSite  = "set-site"  // from the top frame or the popup only: change the top site's settings
	ActionLoadFill = "load-fill" // on page load: the only matching login, if the site fills on load
)

// Codes in Envelope.Code and Response.Error. The extension translates them; Message
// carries the English sentence for logs and for a host older than the extension.
const (
	CodeNotRunning = "not-running" // the host found no app to relay to
	CodeLocked     = "locked"      // the vault is locked; unlock in Valv
	CodeNotPaired  = "not-paired"  // this browser is not (or no longer) paired
	CodeRefused    = "refused"     // the person refused the pairing
	CodeBusy       = "busy"        // another pairing request is waiting for an answer
	CodeNoMatch    = "no-match"    // the login does not belong to this page, or the frame may not be filled
	CodeNotFound   = "not-found"   // no such login
	CodeBadRequest = "bad-request" // a message the app cannot use
	CodeFailed     = "failed"      // the app could not do it (Message says why)
	CodeNoTOTP     = "no-totp"     // the login has no authenticator secret, or codes are not available
)

// Envelope is one frame on the wire, as JSON. []byte fields travel as base64.
type Envelope struct {
	Type    string `json:"type"`
	Key     []byte `json:"key,omitempty"`     // the sender's public key (hello, pair)
	Session []byte `json:"session,omitempty"` // app → extension in hello: this connection's challenge
	Paired  bool   `json:"paired,omitempty"`  // hello: the app knows the extension's key
	Locked  bool   `json:"locked,omitempty"`  // hello, status
	Nonce   []byte `json:"nonce,omitempty"`   // pair, msg
	Box     []byte `json:"box,omitempty"`     // pair, msg: nacl/box of a PairRequest/PairAnswer/Request/Response
	Code    string `json:"code,omitempty"`    // error
	Message string `json:"message,omitempty"` // error: an English sentence
}

// DecodeEnvelope parses one frame's JSON strictly: one object, known fields only, a
// known type, keys and nonces of the right size. What the host and the app read from
// the other side goes through here.
func DecodeEnvelope(b []byte) (*Envelope, error) {
	var e Envelope
	if err := strictJSON(b, &e); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadMessage, err)
	}
	switch e.Type {
	case TypeHello, TypePair, TypeMsg, TypeStatus, TypeError:
	default:
		return nil, fmt.Errorf("%w: unknown type %q", ErrBadMessage, e.Type)
	}
	if len(e.Key) != 0 && len(e.Key) != keySize {
		return nil, fmt.Errorf("%w: a key must be %d bytes", ErrBadMessage, keySize)
	}
	if len(e.Nonce) != 0 && len(e.Nonce) != nonceSize {
		return nil, fmt.Errorf("%w: a nonce must be %d bytes", ErrBadMessage, nonceSize)
	}
	return &e, nil
}

// strictJSON decodes exactly one JSON value into v, refusing unknown fields.
func strictJSON(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("more than one JSON value")
	}
	return nil
}

// Encode is the envelope's JSON.
func (e *Envelope) Encode() ([]byte, error) { return json.Marshal(e) }

// Request is what a paired extension asks, sealed inside a "msg" envelope.
type Request struct {
	// ID grows with every request on a connection and Session is the challenge the app
	// sent in its hello: a sealed request recorded earlier, on this connection or
	// another, is refused rather than done twice.
	ID       uint64 `json:"id"`
	Session  []byte `json:"session"`
	Action   string `json:"action"`
	URL      string `json:"url,omitempty"`    // the address of the frame with the form
	TopURL   string `json:"topUrl,omitempty"` // the address of the tab's top frame
	Ref      string `json:"ref,omitempty"`    // a login, as Login.Ref
	Username string `json:"username,omitempty"`
	Password string `json:"password,omitempty"`
	Title    string `json:"title,omitempty"`
	// FillOnLoad (set-site) turns filling on page load on or off; nil leaves it.
	FillOnLoad *bool `json:"fillOnLoad,omitempty"`
	// AllowFrame (set-site) is a frame origin the person allows on the site.
	AllowFrame string `json:"allowFrame,omitempty"`
}

// Response answers one Request; ID and Session repeat the request's so the extension
// can tell a fresh answer from a replayed one.
type Response struct {
	ID       uint64  `json:"id"`
	Session  []byte  `json:"session"`
	Error    string  `json:"error,omitempty"` // one of the Code constants
	Message  string  `json:"message,omitempty"`
	Logins   []Login `json:"logins,omitempty"`
	Ref      string  `json:"ref,omitempty"`
	Username string  `json:"username,omitempty"`
	Password string  `json:"password,omitempty"`
	TOTP     string  `json:"totp,omitempty"`
	State    string  `json:"state,omitempty"` // check: StateNew, StateChanged or StateKnown
	Locked   bool    `json:"locked,omitempty"`
	// FillOnLoad and Frames (site, set-site) are the top site's settings.
	FillOnLoad bool     `json:"fillOnLoad,omitempty"`
	Frames     []string `json:"frames,omitempty"`
}

// What ActionCheck finds about a submitted user name and password.
const (
	StateNew     = "new"     // no login for this site has that user name: offer Save to Valv
	StateChanged = "changed" // a login has the user name with another password: offer Update password
	StateKnown   = "known"   // Valv has exactly this: offer nothing
)

// Login is one match for a page, as the extension lists it: no secrets.
type Login struct {
	Ref      string `json:"ref"`
	Title    string `json:"title"`
	Username string `json:"username"`
	Exact    bool   `json:"exact"` // saved for exactly this host (listed first)
}

// PairRequest is the sealed body of an extension's pairing request.
type PairRequest struct {
	Session []byte `json:"session"`
	Name    string `json:"name"` // the browser as the extension describes itself ("Chromium on Linux")
}

// PairAnswer is the app's sealed answer to a pairing request.
type PairAnswer struct {
	Session  []byte `json:"session"`
	Approved bool   `json:"approved"`
}

// String describes the response without its secrets, so an answer printed in a log or
// a failed test never shows a password or a code.
func (r *Response) String() string {
	c := *r
	if c.Password != "" {
		c.Password = "(hidden)"
	}
	if c.TOTP != "" {
		c.TOTP = "(hidden)"
	}
	type plain Response // without the String method
	return fmt.Sprintf("%+v", plain(c))
}

// String describes the request without its secrets.
func (r *Request) String() string {
	c := *r
	if c.Password != "" {
		c.Password = "(hidden)"
	}
	type plain Request
	return fmt.Sprintf("%+v", plain(c))
}
