//go:build windows

package winclip

import (
	"errors"
	"runtime"
	"sync"
	"time"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	user32   = windows.NewLazySystemDLL("user32.dll")
	kernel32 = windows.NewLazySystemDLL("kernel32.dll")

	openClipboard              = user32.NewProc("OpenClipboard")
	closeClipboard             = user32.NewProc("CloseClipboard")
	emptyClipboard             = user32.NewProc("EmptyClipboard")
	setClipboardData           = user32.NewProc("SetClipboardData")
	getClipboardSequenceNumber = user32.NewProc("GetClipboardSequenceNumber")
	registerClipboardFormat    = user32.NewProc("RegisterClipboardFormatW")

	globalAlloc  = kernel32.NewProc("GlobalAlloc")
	globalFree   = kernel32.NewProc("GlobalFree")
	globalLock   = kernel32.NewProc("GlobalLock")
	globalUnlock = kernel32.NewProc("GlobalUnlock")
)

const (
	cfUnicodeText = 13
	gmemMoveable  = 0x0002
)

// The registered formats that mark a secret, and the DWORD each carries.
var markers = []struct {
	Name  string
	Value uint32
}{
	{"ExcludeClipboardContentFromMonitorProcessing", 1}, // any data will do
	{"CanIncludeInClipboardHistory", 0},
	{"CanUploadToCloudClipboard", 0},
}

// Markers names the registered formats a copy carries (tests read them back).
func Markers() []string {
	n := make([]string, len(markers))
	for i, m := range markers {
		n[i] = m.Name
	}
	return n
}

// Clipboard writes to the clipboard and remembers the sequence number of its last copy.
type Clipboard struct {
	mu   sync.Mutex
	seq  uint32
	have bool
}

// New returns a Clipboard; it holds no system resources.
func New() *Clipboard { return &Clipboard{} }

// Offer replaces the clipboard's content with s, marked as a secret.
func (c *Clipboard) Offer(s string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	// The clipboard is opened by a thread, not a process: the goroutine stays on its
	// thread from OpenClipboard to CloseClipboard, or EmptyClipboard may run on another
	// and fail with "Clipboard not open".
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	c.have = false
	if err := open(); err != nil {
		return err
	}
	if err := write(s); err != nil {
		closeClipboard.Call()
		return err
	}
	closeClipboard.Call()
	// Wine counts the change when the clipboard is closed, Windows with each write:
	// after closing, the number is the copy's on both. (A program writing in the
	// microseconds between would have its copy taken for Valv's.)
	c.seq, c.have = Sequence(), true
	return nil
}

// write empties the open clipboard and puts s and the markers on it.
func write(s string) error {
	if r, _, err := emptyClipboard.Call(); r == 0 {
		return errors.Join(errors.New("winclip: EmptyClipboard"), err)
	}
	if err := setText(s); err != nil {
		return err
	}
	for _, m := range markers {
		f, err := Format(m.Name)
		if err != nil {
			return err
		}
		v := m.Value
		if err := setData(f, unsafe.Slice((*byte)(unsafe.Pointer(&v)), 4)); err != nil {
			return err
		}
	}
	return nil
}

// Holds reports whether the clipboard has not changed since the last Offer.
func (c *Clipboard) Holds() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.have && Sequence() == c.seq
}

// Clear empties the clipboard if it still holds the last Offer's copy; the check and
// the emptying happen with the clipboard open, so another program's copy made in
// between is left alone.
func (c *Clipboard) Clear() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.have {
		return nil
	}
	if Sequence() != c.seq {
		c.have = false
		return nil
	}
	runtime.LockOSThread() // as in Offer: open, empty and close on one thread
	defer runtime.UnlockOSThread()
	if err := open(); err != nil {
		return err
	}
	defer closeClipboard.Call()
	c.have = false
	if Sequence() != c.seq {
		return nil
	}
	if r, _, err := emptyClipboard.Call(); r == 0 {
		return errors.Join(errors.New("winclip: EmptyClipboard"), err)
	}
	return nil
}

// Sequence is the clipboard's sequence number, which changes with every write.
func Sequence() uint32 {
	r, _, _ := getClipboardSequenceNumber.Call()
	return uint32(r)
}

// Format registers (or looks up) the clipboard format called name.
func Format(name string) (uintptr, error) {
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return 0, err
	}
	r, _, err := registerClipboardFormat.Call(uintptr(unsafe.Pointer(p)))
	if r == 0 {
		return 0, errors.Join(errors.New("winclip: RegisterClipboardFormat "+name), err)
	}
	return r, nil
}

// open opens the clipboard for this task (no window: nothing then has to answer the
// messages a clipboard owner gets), retrying briefly while another program has it.
func open() error {
	var err error
	for i := 0; i < 20; i++ {
		var r uintptr
		if r, _, err = openClipboard.Call(0); r != 0 {
			return nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	return errors.Join(errors.New("winclip: OpenClipboard"), err)
}

// setText writes s as CF_UNICODETEXT, encoding straight into the clipboard's memory so
// no UTF-16 copy of the secret is left on the Go heap.
func setText(s string) error {
	n := 1 // the terminating NUL
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return withGlobal(cfUnicodeText, 2*n, func(b []byte) {
		u := unsafe.Slice((*uint16)(unsafe.Pointer(&b[0])), n)
		i := 0
		for len(s) > 0 {
			r, size := utf8.DecodeRuneInString(s)
			s = s[size:]
			if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
				u[i], u[i+1] = uint16(r1), uint16(r2)
				i += 2
			} else {
				u[i] = uint16(r)
				i++
			}
		}
		u[i] = 0
	})
}

func setData(format uintptr, data []byte) error {
	return withGlobal(format, len(data), func(b []byte) { copy(b, data) })
}

// withGlobal allocates size bytes of movable global memory, lets fill write them and
// hands the memory to the clipboard, which then owns it.
func withGlobal(format uintptr, size int, fill func([]byte)) error {
	h, _, err := globalAlloc.Call(gmemMoveable, uintptr(size))
	if h == 0 {
		return errors.Join(errors.New("winclip: GlobalAlloc"), err)
	}
	p, _, err := globalLock.Call(h)
	if p == 0 {
		globalFree.Call(h)
		return errors.Join(errors.New("winclip: GlobalLock"), err)
	}
	fill(unsafe.Slice((*byte)(ptr(p)), size))
	globalUnlock.Call(h)
	if r, _, err := setClipboardData.Call(format, h); r == 0 {
		globalFree.Call(h)
		return errors.Join(errors.New("winclip: SetClipboardData"), err)
	}
	return nil
}

// ptr turns an address Windows returned (memory outside Go's heap) into a pointer.
func ptr(p uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&p)) }
