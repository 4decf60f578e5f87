package browser

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/valvpm/valv/internal/secret"
)

// MaxMessage is the largest message either side accepts. Chrome caps what a native
// host may send at 1 MB; holding the other direction to the same size keeps a
// misbehaving peer from making anyone buffer more, and Valv's messages are a few KiB.
const MaxMessage = 1 << 20

// ErrTooLarge means a message's length prefix announced more than MaxMessage bytes.
var ErrTooLarge = errors.New("the browser message is too large")

// ErrBadMessage means a message is not one JSON object of the protocol.
var ErrBadMessage = errors.New("the browser message is not valid")

// ReadMessage reads one native messaging frame: a 4-byte length in the machine's own
// byte order (as the browsers write it), then that many bytes. The length is checked
// before anything is allocated. io.EOF means the peer closed cleanly between frames.
func ReadMessage(r io.Reader) ([]byte, error) {
	var n [4]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("%w: cut short in its length", ErrBadMessage)
		}
		return nil, err
	}
	size := binary.NativeEndian.Uint32(n[:])
	if size > MaxMessage {
		return nil, fmt.Errorf("%w (%d bytes)", ErrTooLarge, size)
	}
	if size == 0 {
		return nil, fmt.Errorf("%w: empty", ErrBadMessage)
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, fmt.Errorf("%w: cut short after %d of %d bytes", ErrBadMessage, len(b), size)
	}
	return b, nil
}

// WriteMessage writes msg as one frame in a single Write, so frames from concurrent
// writers that hold a lock around it never interleave. The frame is built in a buffer
// of its own that is wiped once written: frames carry sealed logins and pairing
// messages, and a freed heap buffer is readable until something reuses it.
func WriteMessage(w io.Writer, msg []byte) error {
	if len(msg) > MaxMessage {
		return fmt.Errorf("%w (%d bytes)", ErrTooLarge, len(msg))
	}
	if len(msg) == 0 {
		return fmt.Errorf("%w: empty", ErrBadMessage)
	}
	b := make([]byte, 4+len(msg))
	binary.NativeEndian.PutUint32(b, uint32(len(msg)))
	copy(b[4:], msg)
	_, err := w.Write(b)
	secret.Wipe(b)
	return err
}
