package main

import (
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.3/glfw"
	"golang.org/x/sys/unix"
)

// Fyne's desktop loop wakes 60 times a second to poll for input even when nothing
// changes on screen; that alone costs a bare window about 2% of a core, all of it
// thread switching. No released Fyne waits instead. The idler makes the loop wait:
// when the window has nothing to animate, it runs one call on the UI thread that
// blocks in glfw.WaitEventsTimeout, so the loop's ticker has no reader and the runtime
// does not wake for it (timer channels fire only while someone receives). Input, a
// resize or an expose returns the call at once, with its events already handed to
// Fyne; work the app brings to the UI thread (Scheduler.OnUI) posts an empty event
// that returns it too. Anything else waits at most idleWait.
const (
	// idleWait caps the delay of UI work that does not come through the Scheduler
	// (Fyne's own settings watcher, say): one wake-up a second costs next to nothing.
	idleWait = time.Second
	// activeFor is how long the loop runs normally after a wake-up, so the frames
	// that follow an input (a tap's feedback, a list scrolling) are drawn on time.
	activeFor = 750 * time.Millisecond
)

// idleLoop is the app's handle on the idler: zero until the loop runs.
type idleLoop struct{ p atomic.Pointer[idler] }

// start makes the loop wait while quiet holds. Call it on the UI thread once the loop
// runs (Lifecycle.SetOnStarted).
func (l *idleLoop) start(quiet func() bool) {
	i := newIdler(quiet)
	l.p.Store(i)
	go i.run()
}

// onUI is the Scheduler's way onto the UI thread: queue f, then return a parked loop
// at once, so f runs without delay. An empty event posted while the loop is not parked
// is read by its next poll.
func (l *idleLoop) onUI(f func()) {
	fyne.Do(f)
	if l.p.Load() == nil {
		return
	}
	// go-gl panics with GLFW's "not initialized" once the window has closed and
	// GLFW has terminated; there is no loop left to wake then.
	defer func() { _ = recover() }()
	glfw.PostEmptyEvent()
}

// idler parks the UI loop while quiet reports that nothing animates. Only on Linux:
// the figures and the tests that back it run there, and GLFW's wait differs elsewhere.
type idler struct {
	// quiet reports, on the UI thread, that nothing on screen moves by itself.
	quiet func() bool
	// onUI runs f on the UI thread and returns when it has run (fyne.DoAndWait).
	onUI func(f func())
	// wait blocks on the UI thread until an event or timeout (glfw.WaitEventsTimeout).
	wait func(timeout time.Duration)
	// pause lets the loop run normally for d (time.Sleep).
	pause func(d time.Duration)
	// onMain reports that the caller runs on the UI thread: once the loop has shut
	// down, fyne.DoAndWait runs its function on the calling goroutine instead.
	onMain func() bool
	// now is the clock the length of a wait is measured on.
	now func() time.Time
}

// newIdler returns the idler of the real window; call it on the UI thread.
func newIdler(quiet func() bool) *idler {
	tid := unix.Gettid() // the UI thread: Fyne locks main to it
	return &idler{
		quiet:  quiet,
		onUI:   fyne.DoAndWait,
		wait:   func(d time.Duration) { glfw.WaitEventsTimeout(d.Seconds()) },
		pause:  time.Sleep,
		onMain: func() bool { return unix.Gettid() == tid },
		now:    time.Now,
	}
}

// run parks the loop whenever it is quiet, for as long as the process lives.
func (i *idler) run() {
	for {
		if !i.park() {
			i.pause(activeFor)
		}
	}
}

// park waits on the UI thread while it is quiet. It reports false when something
// happened (the window was busy, or the wait ended early), so run gives the loop time.
func (i *idler) park() bool {
	parked := false
	i.onUI(func() {
		if !i.onMain() || !i.quiet() {
			return
		}
		t := i.now()
		i.wait(idleWait)
		// A wait that lasted its whole timeout saw no event: stay parked.
		parked = i.now().Sub(t) >= idleWait
	})
	return parked
}
