package x11clip

import (
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valvpm/valv/internal/secret"
)

// Hint is the target clipboard managers look for, and HintValue its value: the
// convention of KDE's Klipper, which KeePassXC sets and GPaste, CopyQ and others read.
const (
	Hint      = "x-kde-passwordManagerHint"
	HintValue = "secret"
)

// ErrTooLong means the text does not fit in one X request; the caller copies it
// some other way.
var ErrTooLong = errors.New("the text is too long for the X clipboard owner")

// errClosed means the connection to the X server has ended.
var errClosed = errors.New("the connection to the X server has ended")

// replyTimeout bounds a round trip: a server that stops answering must not hang the
// app's copy or clear.
const replyTimeout = 5 * time.Second

// Owner holds the CLIPBOARD selection for Valv's copies. Its methods may be called
// from any goroutine.
type Owner struct {
	c     net.Conn
	setup setup
	win   uint32
	atoms atoms

	wmu sync.Mutex // one request at a time on the wire, and seq
	seq uint16     // sequence number of the last request sent

	rtMu    sync.Mutex    // one round trip at a time
	pending atomic.Int32  // sequence number awaited, -1 for none
	replies chan []byte   // the awaited reply or error
	done    chan struct{} // closed when the event loop ends

	mu   sync.Mutex
	text *secret.Locked // what is offered; nil when Valv owns nothing
}

// atoms are the names this client uses, interned at connect.
type atoms struct {
	clipboard, targets, utf8, textPlainUTF8, textPlain, text, hint uint32
}

// Dial connects to the X server of display (the $DISPLAY form) and prepares a window
// to own the selection from.
func Dial(display string) (*Owner, error) {
	c, num, err := dial(display)
	if err != nil {
		return nil, err
	}
	name, data := cookie(num)
	if _, err := c.Write(setupRequest(name, data)); err != nil {
		return nil, errors.Join(fmt.Errorf("%w: %v", errSetup, err), c.Close())
	}
	s, err := readSetup(c)
	if err != nil {
		return nil, errors.Join(err, c.Close())
	}
	o := &Owner{c: c, setup: s, replies: make(chan []byte, 1), done: make(chan struct{})}
	o.pending.Store(-1)
	o.win = s.idBase | (1 & s.idMask)
	go o.loop()
	if err := o.init(); err != nil {
		return nil, errors.Join(err, o.Close())
	}
	return o, nil
}

// init creates the window and interns the atoms.
func (o *Owner) init() error {
	if err := o.send(createWindow(o.win, o.setup.root)); err != nil {
		return err
	}
	names := []string{"CLIPBOARD", "TARGETS", "UTF8_STRING", "text/plain;charset=utf-8", "text/plain", "TEXT", Hint}
	ids := make([]uint32, len(names))
	for i, n := range names {
		r, err := o.roundTrip(internAtom(n))
		if err != nil {
			return fmt.Errorf("interning %s: %w", n, err)
		}
		ids[i] = le.Uint32(r[8:])
	}
	o.atoms = atoms{ids[0], ids[1], ids[2], ids[3], ids[4], ids[5], ids[6]}
	return nil
}

// Close releases the selection, wipes the text and ends the connection.
func (o *Owner) Close() error {
	o.forget()
	err := o.c.Close()
	<-o.done
	return err
}

// Offer puts text on the clipboard with the secret hint. It returns ErrTooLong when
// text does not fit in one request, and an error when the selection could not be
// taken; the clipboard then holds whatever it held.
func (o *Owner) Offer(text string) error {
	if 24+len(text) > o.setup.maxRequest {
		return ErrTooLong
	}
	o.forget()
	if err := o.send(setSelectionOwner(o.win, o.atoms.clipboard)); err != nil {
		return err
	}
	// The round trip's reply comes after every event the server sent before it, so a
	// SelectionClear for an earlier loss has been handled by now and cannot wipe the
	// new text. A request arriving in between is refused, which only delays a paste.
	if ours, err := o.owns(); err != nil || !ours {
		return errors.Join(errors.New("another program holds the clipboard"), err)
	}
	l := secret.NewLocked(len(text))
	copy(l.Bytes(), text)
	o.mu.Lock()
	o.text = l
	o.mu.Unlock()
	return nil
}

// Holds reports whether the clipboard still holds what Offer put there: no program
// has taken the selection since. It asks the server, so the answer is current.
func (o *Owner) Holds() bool {
	o.mu.Lock()
	has := o.text != nil
	o.mu.Unlock()
	if !has {
		return false
	}
	ours, err := o.owns()
	return err == nil && ours
}

// Clear empties the clipboard if Valv still owns it, and wipes the text.
func (o *Owner) Clear() error {
	defer o.forget()
	ours, err := o.owns()
	if err != nil || !ours {
		return err
	}
	if err := o.send(setSelectionOwner(atomNone, o.atoms.clipboard)); err != nil {
		return err
	}
	_, err = o.owns() // a round trip: the release is done when Clear returns
	return err
}

// forget wipes the offered text.
func (o *Owner) forget() {
	o.mu.Lock()
	o.text.Destroy()
	o.text = nil
	o.mu.Unlock()
}

// owns asks the server whether Valv's window owns the clipboard.
func (o *Owner) owns() (bool, error) {
	r, err := o.roundTrip(getSelectionOwner(o.atoms.clipboard))
	if err != nil {
		return false, err
	}
	return le.Uint32(r[8:]) == o.win, nil
}

// send writes one request that has no reply.
func (o *Owner) send(req []byte) error {
	o.wmu.Lock()
	defer o.wmu.Unlock()
	o.seq++
	_, err := o.c.Write(req)
	return err
}

// roundTrip sends a request and waits for its reply; an X error for it is an error.
func (o *Owner) roundTrip(req []byte) ([]byte, error) {
	o.rtMu.Lock()
	defer o.rtMu.Unlock()
	o.wmu.Lock()
	o.seq++
	o.pending.Store(int32(o.seq))
	_, err := o.c.Write(req)
	o.wmu.Unlock()
	if err != nil {
		return nil, err
	}
	t := time.NewTimer(replyTimeout)
	defer t.Stop()
	select {
	case r := <-o.replies:
		if r[0] == 0 {
			return nil, fmt.Errorf("the X server answered with error %d", r[1])
		}
		return r, nil
	case <-o.done:
		return nil, errClosed
	case <-t.C:
		// A late reply must not be taken for the next round trip's.
		o.pending.Store(-1)
		select {
		case <-o.replies:
		default:
		}
		return nil, errors.New("the X server did not answer")
	}
}

// loop reads what the server sends: replies and errors go to the waiting round trip,
// selection events are handled here.
func (o *Owner) loop() {
	defer close(o.done)
	for {
		var ev [32]byte
		if _, err := io.ReadFull(o.c, ev[:]); err != nil {
			return
		}
		switch ev[0] & 0x7f {
		case 0, 1:
			msg := ev[:]
			if ev[0] == 1 {
				extra := make([]byte, int(le.Uint32(ev[4:]))*4)
				if _, err := io.ReadFull(o.c, extra); err != nil {
					return
				}
				msg = append(msg, extra...)
			}
			if o.pending.CompareAndSwap(int32(le.Uint16(ev[2:])), -1) {
				select {
				case o.replies <- msg:
				default: // never blocks the loop: at most one reply is awaited
				}
			}
		case evSelectionRequest:
			o.answer(parseSelectionRequest(ev[:]))
		case evSelectionClear:
			o.forget() // another program copied something: nothing of ours is offered
		}
	}
}
