package browser

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"testing"
)

func frame(s string) []byte {
	b := make([]byte, 4+len(s))
	binary.NativeEndian.PutUint32(b, uint32(len(s)))
	copy(b[4:], s)
	return b
}

// FuzzReadMessage feeds the host's frame decoder arbitrary bytes: it must never panic
// or allocate past MaxMessage, and a frame it accepts must encode back to the same
// bytes.
func FuzzReadMessage(f *testing.F) {
	f.Add(frame(`{"type":"hello","key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}`))
	f.Add(frame(`{}`))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{0, 0, 0, 0})
	f.Add([]byte{3, 0})
	f.Fuzz(func(t *testing.T, in []byte) {
		r := bytes.NewReader(in)
		msg, err := ReadMessage(r)
		if err != nil {
			if !errors.Is(err, ErrBadMessage) && !errors.Is(err, ErrTooLarge) && !errors.Is(err, io.EOF) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if len(msg) > MaxMessage {
			t.Fatalf("accepted %d bytes", len(msg))
		}
		var out bytes.Buffer
		if err := WriteMessage(&out, msg); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), in[:len(in)-r.Len()]) {
			t.Fatal("decode → encode changed the frame")
		}
	})
}

// FuzzDecodeEnvelope: every envelope the host or the app accepts is a known type with
// well-sized keys and nonces, and re-encodes to an envelope that decodes the same.
func FuzzDecodeEnvelope(f *testing.F) {
	f.Add([]byte(`{"type":"hello","key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}`))
	f.Add([]byte(`{"type":"msg","nonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","box":"AAAA"}`))
	f.Add([]byte(`{"type":"error","code":"not-running","message":"Valv is not running"}`))
	f.Add([]byte(`{"type":"status","locked":true}`))
	f.Add([]byte(`{"type":"hello"} {"type":"hello"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, in []byte) {
		e, err := DecodeEnvelope(in)
		if err != nil {
			if !errors.Is(err, ErrBadMessage) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		b, err := e.Encode()
		if err != nil {
			t.Fatal(err)
		}
		e2, err := DecodeEnvelope(b)
		if err != nil {
			t.Fatalf("re-encoded envelope does not decode: %v", err)
		}
		b2, err := e2.Encode()
		if err != nil || !bytes.Equal(b, b2) {
			t.Fatal("encode → decode → encode is not stable")
		}
	})
}

// FuzzDecodeSites: a settings file is accepted only as origins with frame origins, and
// what is accepted writes back to a file that decodes the same.
func FuzzDecodeSites(f *testing.F) {
	f.Add([]byte(`{"https://bank.example":{"fillOnLoad":true,"frames":["https://login.example:8443"]}}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"https://bank.example/login":{}}`))
	f.Add([]byte(`{"https://a.example":{"frames":["javascript:x"]}}`))
	f.Add([]byte(`{"https://a.example":{}} {}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		m, err := DecodeSites(in)
		if err != nil {
			if !errors.Is(err, ErrSitesDamaged) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		m2, err := DecodeSites(b)
		if err != nil || len(m2) != len(m) {
			t.Fatalf("accepted settings do not decode again: %v", err)
		}
	})
}
