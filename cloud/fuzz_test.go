package cloud

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"strings"
	"testing"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/store"
)

// roundTrip checks the decoder contract: it never panics, and whatever it accepts
// encodes, decodes and encodes again to the same bytes.
func roundTrip[T any](t *testing.T, raw []byte) {
	var v T
	if err := decodeBytes(raw, &v); err != nil {
		if _, ok := err.(*apiErr); !ok {
			t.Fatalf("decoder returned a non-API error %T: %v", err, err)
		}
		return
	}
	enc, err := json.Marshal(&v)
	if err != nil {
		t.Fatalf("re-encode: %v", err)
	}
	var again T
	if err := decodeBytes(enc, &again); err != nil {
		t.Fatalf("re-decode of %s: %v", enc, err)
	}
	// decode → encode → same bytes ("" and absent blobs are the same empty value).
	enc2, err := json.Marshal(&again)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(enc, enc2) {
		t.Fatalf("round trip changed the value:\n%s\n%s", enc, enc2)
	}
}

func FuzzDecodeSignIn(f *testing.F) {
	f.Add([]byte(`{"email":"a@example.com","password":"Secret-123","captcha_id":"x","captcha_answer":"12345"}`))
	f.Add([]byte(`{"email":"a@example.com","password":"\u0000"}`))
	f.Add([]byte(`{"email":1}`))
	f.Add([]byte(`{} []`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		roundTrip[api.SignInRequest](t, raw)
		roundTrip[api.CreateAccountRequest](t, raw)
		roundTrip[api.SMSCodeRequest](t, raw)
		roundTrip[api.OAuthTokenRequest](t, raw)
	})
}

func FuzzDecodePush(f *testing.F) {
	f.Add([]byte(`{"key_epoch":1,"items":[{"id":"a","base_change":3,"blob":"AAEC"},{"id":"b","deleted":true}]}`))
	f.Add([]byte(`{"key_epoch":18446744073709551615,"items":null}`))
	f.Add([]byte(`{"items":[{"blob":"!!"}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		roundTrip[api.PushRequest](t, raw)
		roundTrip[api.ActionTokenRequest](t, raw)
		roundTrip[api.SettingsRequest](t, raw)
	})
}

func FuzzDecodeReplace(f *testing.F) {
	f.Add([]byte(`{"header":{"vault_id":"v","key_epoch":2,"kdf":{"m":65536},"wrapped_key":"AAAA"},"items":[]}`))
	f.Add([]byte(`{"header":{"kdf":[1,2,3]}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var v api.ReplaceRequest
		// json.RawMessage keeps the client's bytes, which need not be canonical, so
		// only check that decoding never panics and errors are API errors.
		if err := decodeBytes(raw, &v); err != nil {
			if _, ok := err.(*apiErr); !ok {
				t.Fatalf("non-API error %T", err)
			}
		}
	})
}

// FuzzLoopbackRedirect: nothing but http on a loopback IP with a port passes.
func FuzzLoopbackRedirect(f *testing.F) {
	for _, s := range []string{"http://127.0.0.1:5000/cb", "http://[::1]:1/", "http://localhost:5/", "https://127.0.0.1:5/", "http://127.0.0.1.evil.com:5/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if checkLoopbackRedirect(s) != nil {
			return
		}
		if err := checkLoopbackRedirectStrict(s); err != nil {
			t.Fatalf("%q accepted: %v", s, err)
		}
	})
}

// checkLoopbackRedirectStrict is an independent statement of RFC 8252's rule.
func checkLoopbackRedirectStrict(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if u.Scheme != "http" {
		return fmt.Errorf("scheme %q", u.Scheme)
	}
	h := u.Hostname()
	if !(strings.HasPrefix(h, "127.") && net.ParseIP(h) != nil) && h != "::1" && net.ParseIP(h).String() != "::1" {
		return fmt.Errorf("host %q", h)
	}
	if u.Port() == "" {
		return fmt.Errorf("no port")
	}
	return nil
}

// FuzzStreamPush: the streaming decoder of push bodies never panics, answers only API
// errors, and what it accepts is exactly what the whole-body decoder makes of the same
// bytes (it may refuse more: repeated names, names in another case).
func FuzzStreamPush(f *testing.F) {
	f.Add([]byte(`{"key_epoch":1,"items":[{"id":"a","base_change":3,"blob":"AAEC"},{"id":"b","deleted":true}]}`))
	f.Add([]byte(`{"items":null,"key_epoch":2}`))
	f.Add([]byte(`{"key_epoch":1,"key_epoch":2}`))
	f.Add([]byte(`{"items":[{"id":"x","blob":"` + strings.Repeat("A", 200) + `"}]}`))
	f.Add([]byte(`{"items":[{"id":"x","extra":1}]}`))
	f.Add([]byte(`{"items":[1,2]} {}`))
	f.Add([]byte(`{"items":[`))
	lim := store.Limits{MaxItemBytes: 100, MaxPushItems: 3, MaxPushBytes: 150}
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, err := decodePush(bytes.NewReader(raw), lim)
		if err != nil {
			if _, ok := err.(*apiErr); !ok {
				t.Fatalf("non-API error %T: %v", err, err)
			}
			return
		}
		var want api.PushRequest
		if err := decodeBytes(raw, &want); err != nil {
			t.Fatalf("stream accepted what the whole-body decoder refuses (%v): %q", err, raw)
		}
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(&want)
		if !bytes.Equal(g, w) {
			t.Fatalf("stream %s, whole body %s", g, w)
		}
		var n int64
		for _, it := range got.Items {
			if !it.Deleted {
				n += int64(len(it.Blob))
				if len(it.Blob) > lim.MaxItemBytes {
					t.Fatalf("item of %d bytes accepted", len(it.Blob))
				}
			}
		}
		if len(got.Items) > lim.MaxPushItems || n > lim.MaxPushBytes {
			t.Fatalf("%d items, %d bytes accepted", len(got.Items), n)
		}
	})
}

// FuzzVaultHeader: the header check never panics, and a header it accepts has its
// KDF settings within the bounds and agrees with the fields beside it.
func FuzzVaultHeader(f *testing.F) {
	good := headerBytes(vaultID("fuzz"), 3, 1, floorKDF, api.KDFMinThreads, "fuzz")
	f.Add(good)
	f.Add(headerBytes(vaultID("fuzz"), 3, 1, kdf{8, 1}, 1, "weak"))
	f.Add(good[:100])
	f.Fuzz(func(t *testing.T, raw []byte) {
		h := wireHeader(append(raw, make([]byte, max(0, api.VaultHeaderSize-len(raw)))...))
		h.KDF, _ = json.Marshal(api.VaultKDF{Format: 1, Header: raw})
		if err := checkVaultHeader(h); err != nil {
			if _, ok := err.(*apiErr); !ok {
				t.Fatalf("non-API error %T", err)
			}
			return
		}
		k := raw[api.VaultHeaderKDFAt:]
		m, tt, p := binary.BigEndian.Uint32(k[1:]), binary.BigEndian.Uint32(k[5:]), k[9]
		if m < api.KDFMinMemoryKiB || m > api.KDFMaxMemoryKiB || tt < api.KDFMinTime || tt > api.KDFMaxTime || p < api.KDFMinThreads || p > api.KDFMaxThreads {
			t.Fatalf("accepted m=%d t=%d p=%d", m, tt, p)
		}
		if len(raw) != api.VaultHeaderSize {
			t.Fatalf("accepted %d bytes", len(raw))
		}
	})
}
