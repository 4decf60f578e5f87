package browser

import "sync"

// onChange calls the function set with OnChange after each saved change of a file
// the app shows (the paired browsers, the per-site settings), so Settings → Browsers
// can follow it while open.
type onChange struct {
	mu sync.Mutex
	fn func()
}

// OnChange makes fn be called after each change is saved, outside the list's lock.
// nil stops it.
func (o *onChange) OnChange(fn func()) {
	o.mu.Lock()
	o.fn = fn
	o.mu.Unlock()
}

// notify calls the OnChange function when a change was saved (err is nil).
func (o *onChange) notify(err error) error {
	o.mu.Lock()
	fn := o.fn
	o.mu.Unlock()
	if err == nil && fn != nil {
		fn()
	}
	return err
}
