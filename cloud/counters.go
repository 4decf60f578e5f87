package cloud

import "time"

// Sliding-window counters in the store: failed sign-ins per e-mail and per address,
// SMS and e-mails sent per account, wrong codes per account and action. Every check
// that may lead to counting is one store transaction — count, compare, record — so
// requests racing each other cannot all pass the check before any of them is counted.

// failures is a sliding window of event times.
type failures struct {
	Times []time.Time `json:"t"`
}

// count drops events older than window and returns how many remain.
func (f *failures) count(now time.Time, window time.Duration) int {
	keep := f.Times[:0]
	for _, t := range f.Times {
		if now.Sub(t) < window {
			keep = append(keep, t)
		}
	}
	f.Times = keep
	return len(keep)
}

// window is one counter: a kind of record, its window and its limit.
type window struct {
	kind  string
	span  time.Duration
	limit int
}

// reservation is an event recorded ahead of the outcome it counts (a sign-in counted
// as failed before its password is checked); release takes it back if the outcome was
// a success after all.
type reservation struct {
	w   window
	key string
	at  time.Time
}

// windowState is what reserve found and did.
type windowState struct {
	res    *reservation // the event recorded, or nil
	count  int          // events in the window, the new one included
	full   bool         // the window was full before
	freeAt time.Time    // when full: when its oldest event leaves it
}

// reserve records one event for key unless the window is full; with force it records
// it anyway.
func (s *Server) reserve(w window, key string, force bool) (windowState, error) {
	var st windowState
	now := s.now()
	err := tempUpdate(s, w.kind, key, func(f *failures, _ bool) (bool, time.Duration, error) {
		st.count = f.count(now, w.span)
		if st.full = st.count >= w.limit; st.full {
			st.freeAt = f.Times[0].Add(w.span)
		}
		if !st.full || force {
			f.Times = append(f.Times, now)
			st.count++
			st.res = &reservation{w: w, key: key, at: now}
		}
		return len(f.Times) > 0, w.span, nil
	})
	return st, err
}

// release takes a reservation back (nil is a no-op).
func (s *Server) release(r *reservation) error {
	if r == nil {
		return nil
	}
	return tempUpdate(s, r.w.kind, r.key, func(f *failures, _ bool) (bool, time.Duration, error) {
		for i := len(f.Times) - 1; i >= 0; i-- {
			if f.Times[i].Equal(r.at) {
				f.Times = append(f.Times[:i], f.Times[i+1:]...)
				break
			}
		}
		return len(f.Times) > 0, r.w.span, nil
	})
}

// clearCounter forgets every event of key.
func (s *Server) clearCounter(w window, key string) error {
	return tempUpdate(s, w.kind, key, func(*failures, bool) (bool, time.Duration, error) { return false, 0, nil })
}

// retryIn is the whole seconds until t, at least 1.
func (s *Server) retryIn(t time.Time) int {
	return max(1, int(t.Sub(s.now()).Seconds()+0.999))
}
