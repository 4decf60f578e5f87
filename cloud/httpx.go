package cloud

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/valvpm/valv/cloud/api"
)

// apiErr is an error that knows its HTTP status and wire body. Handlers return it;
// anything else becomes a 500 with a generic message (the detail goes to the log only).
type apiErr struct {
	status int
	body   api.Error
}

func (e *apiErr) Error() string { return string(e.body.Code) + ": " + e.body.Message }

func errf(status int, code api.Code, format string, args ...any) *apiErr {
	return &apiErr{status: status, body: api.Error{Code: code, Message: fmt.Sprintf(format, args...)}}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", api.ContentTypeJSON+"; charset=utf-8")
	w.WriteHeader(status)
	// The status is already sent; an encoding error here can only be a broken
	// connection, which there is no one left to tell.
	_ = json.NewEncoder(w).Encode(v)
}

func writeErr(w http.ResponseWriter, err error) {
	var ae *apiErr
	if !errors.As(err, &ae) {
		ae = errf(http.StatusInternalServerError, api.CodeInternal, "The server could not do this. Please try again later.")
	}
	if ae.body.RetryAfter > 0 {
		w.Header().Set("Retry-After", fmt.Sprint(ae.body.RetryAfter))
	}
	writeJSON(w, ae.status, api.ErrorBody{Error: ae.body})
}

// fail writes err, logging the cause of internal errors (never request bodies or
// secrets: errors built by this package do not contain them).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiErr
	if !errors.As(err, &ae) {
		s.cfg.Log.Printf("%s %s: %v", r.Method, r.URL.Path, err)
	}
	writeErr(w, err)
}

// decodeJSON reads exactly one JSON value of at most limit bytes into v. Unknown fields
// are refused so that a misspelt field is an error rather than silently ignored.
func decodeJSON(r io.Reader, limit int64, v any) error {
	raw, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return errf(http.StatusBadRequest, api.CodeBadRequest, "The request body could not be read.")
	}
	if int64(len(raw)) > limit {
		return errf(http.StatusRequestEntityTooLarge, api.CodeBodyTooLarge, "The request body is larger than %d bytes.", limit)
	}
	return decodeBytes(raw, v)
}

// decodeBytes is the pure part of decodeJSON, fuzzed directly.
func decodeBytes(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badJSON(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errf(http.StatusBadRequest, api.CodeBadRequest, "The request body must hold exactly one JSON object.")
	}
	return nil
}

func badJSON(err error) *apiErr {
	msg := "The request body is not valid JSON."
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		msg = fmt.Sprintf("Field %q has the wrong type.", te.Field)
	case errors.As(err, &se):
		msg = fmt.Sprintf("The request body is not valid JSON (at byte %d).", se.Offset)
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		msg = "The request has an " + strings.TrimPrefix(err.Error(), "json: ") + "."
	}
	return errf(http.StatusBadRequest, api.CodeBadRequest, "%s", msg)
}

// readJSON decodes a request body, refusing other content types.
func (s *Server) readJSON(r *http.Request, v any) error {
	return s.readJSONLimit(r, s.cfg.MaxBodyBytes, v)
}

func (s *Server) readJSONLimit(r *http.Request, limit int64, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if err := checkJSONType(ct); err != nil {
			return err
		}
	}
	if r.ContentLength > limit {
		return errf(http.StatusRequestEntityTooLarge, api.CodeBodyTooLarge, "The request body is larger than %d bytes.", limit)
	}
	return decodeJSON(r.Body, limit, v)
}

// checkJSONType refuses request bodies that are not JSON.
func checkJSONType(ct string) error {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt != api.ContentTypeJSON {
		return errf(http.StatusUnsupportedMediaType, api.CodeBadRequest, "Send the request body as application/json.")
	}
	return nil
}

// clientIP is the caller's address, used for rate limits and the session list.
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !s.trustedProxy(peer) {
		return host
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	// Each proxy appends the address it saw: walk back from the right past the
	// trusted ones; the first other address is the client.
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return host // a trusted proxy wrote something else: take the last sure hop
		}
		a = a.Unmap()
		host = a.String()
		if !s.trustedProxy(a) {
			return host
		}
	}
	return host
}

func (s *Server) trustedProxy(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
