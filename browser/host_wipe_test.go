package browser_test

import (
	"bytes"
	"io"
	"net"
	"sync"
	"testing"

	"github.com/valvpm/valv/browser"
)

// recorder keeps every slice written to it, not a copy, so a test can see what the
// writer left in its buffers after the write.
type recorder struct {
	mu     sync.Mutex
	frames [][]byte
	sent   [][]byte // copies of what was written, taken during Write
}

func (r *recorder) record(b []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.frames = append(r.frames, b)
	r.sent = append(r.sent, bytes.Clone(b))
}

// wiped reports whether the first n recorded frames are zero now, and how many
// frames there are.
func (r *recorder) wiped(n int) (bool, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, f := range r.frames[:min(n, len(r.frames))] {
		if !bytes.Equal(f, make([]byte, len(f))) {
			return false, len(r.frames)
		}
	}
	return true, len(r.frames)
}

type recordingConn struct {
	net.Conn
	rec *recorder
}

func (c recordingConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	c.rec.record(b)
	return n, err
}

type recordingWriter struct {
	rec  *recorder
	seen chan struct{}
}

func (w recordingWriter) Write(b []byte) (int, error) {
	w.rec.record(b)
	w.seen <- struct{}{}
	return len(b), nil
}

// The host keeps no frame it relayed: the buffers it wrote to the app and to the
// browser are zero once written, in both directions.
func TestHostWipesRelayedFrames(t *testing.T) {
	hostEnd, appEnd := net.Pipe()
	toApp := &recorder{}
	toBrowser := recordingWriter{rec: &recorder{}, seen: make(chan struct{}, 4)}
	inR, inW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- browser.RunHost(inR, toBrowser, func() (net.Conn, error) { return recordingConn{hostEnd, toApp}, nil })
	}()
	kp, _ := browser.NewKeyPair()
	hello := []byte(`{"type":"hello","key":"` + b64(kp.Public[:]) + `"}`)
	if err := browser.WriteMessage(inW, hello); err != nil {
		t.Fatal(err)
	}
	got, err := browser.ReadMessage(appEnd)
	if err != nil || !bytes.Equal(got, hello) {
		t.Fatalf("the app received %q, %v", got, err)
	}
	answer := []byte(`{"type":"hello","key":"` + b64(kp.Public[:]) + `","locked":true}`)
	if err := browser.WriteMessage(appEnd, answer); err != nil {
		t.Fatal(err)
	}
	<-toBrowser.seen // the answer reached the browser
	// Closing the app makes the host say "not running": the answer's write and wipe
	// are over by then, as the same goroutine does both.
	if err := appEnd.Close(); err != nil {
		t.Fatal(err)
	}
	<-toBrowser.seen
	if err := inW.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if ok, n := toApp.wiped(1); !ok || n != 1 {
		t.Errorf("frames to the app: %d, all wiped: %v", n, ok)
	}
	// The last frame, "not running", may still be being written when RunHost returns.
	if ok, n := toBrowser.rec.wiped(1); !ok || n != 2 {
		t.Errorf("frames to the browser: %d, the app's answer wiped: %v", n, ok)
	}
	if !bytes.Contains(toBrowser.rec.sent[0], answer) {
		t.Errorf("the browser received %q, want the app's answer", toBrowser.rec.sent[0])
	}
}
