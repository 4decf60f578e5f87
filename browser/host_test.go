package browser_test

import (
	"encoding/binary"
	"errors"
	"io"
	"net"
	"testing"

	"github.com/valvpm/valv/browser"
	"github.com/valvpm/valv/browser/browsertest"
)

// hostPipes runs RunHost as the browser would start it, with the test as the browser.
type hostPipes struct {
	toHost   *io.PipeWriter
	fromHost *io.PipeReader
	done     chan error
}

func startHost(t *testing.T, dial func() (net.Conn, error)) *hostPipes {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	h := &hostPipes{toHost: inW, fromHost: outR, done: make(chan error, 1)}
	go func() {
		err := browser.RunHost(inR, outW, dial)
		_ = outW.Close()
		h.done <- err
	}()
	t.Cleanup(func() { _ = inW.Close(); _ = outR.Close() })
	return h
}

func (h *hostPipes) roundTrip(t *testing.T, msg string) *browser.Envelope {
	t.Helper()
	if err := browser.WriteMessage(h.toHost, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	b, err := browser.ReadMessage(h.fromHost)
	if err != nil {
		t.Fatal(err)
	}
	e, err := browser.DecodeEnvelope(b)
	if err != nil {
		t.Fatalf("host sent %s: %v", b, err)
	}
	return e
}

func TestHostNotRunningThenStarted(t *testing.T) {
	sock := socketPath(t)
	h := startHost(t, func() (net.Conn, error) { return browser.Dial(sock) })
	kp, _ := browser.NewKeyPair()
	hello := `{"type":"hello","key":"` + b64(kp.Public[:]) + `"}`
	if e := h.roundTrip(t, hello); e.Type != browser.TypeError || e.Code != browser.CodeNotRunning {
		t.Fatalf("no app: %+v", e)
	}
	// Valv starts: the next message reaches it without restarting the host.
	app := browsertest.Start(t, sock)
	if e := h.roundTrip(t, hello); e.Type != browser.TypeHello || e.Paired {
		t.Fatalf("app started: %+v", e)
	}
	// Garbage from the browser is answered by the host and never reaches the app.
	if e := h.roundTrip(t, `{"type":"hello","extra":1}`); e.Code != browser.CodeBadRequest {
		t.Fatalf("bad envelope: %+v", e)
	}
	// Valv quits: the browser is told.
	if err := app.Server.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
		t.Fatal(err)
	}
	b, err := browser.ReadMessage(h.fromHost)
	if err != nil {
		t.Fatal(err)
	}
	if e, err := browser.DecodeEnvelope(b); err != nil || e.Code != browser.CodeNotRunning {
		t.Fatalf("app gone: %s %v", b, err)
	}
	if err := h.toHost.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-h.done; err != nil {
		t.Fatalf("host after the browser closed stdin: %v", err)
	}
}

func TestHostRefusesOversizedFrame(t *testing.T) {
	h := startHost(t, func() (net.Conn, error) { return nil, browser.ErrNotRunning })
	var n [4]byte
	binary.NativeEndian.PutUint32(n[:], browser.MaxMessage+1)
	go func() { _, _ = h.toHost.Write(n[:]) }()
	b, err := browser.ReadMessage(h.fromHost)
	if err != nil {
		t.Fatal(err)
	}
	if e, err := browser.DecodeEnvelope(b); err != nil || e.Code != browser.CodeBadRequest {
		t.Fatalf("oversized: %s %v", b, err)
	}
	if err := <-h.done; !errors.Is(err, browser.ErrTooLarge) {
		t.Fatalf("host ended with %v", err)
	}
}
