package appcore

// Touch records activity: it restarts the auto-lock countdown. Views call it on every
// key, tap and edit.
func (c *Controller) Touch() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopLockTimer()
	d := c.settings.AutoLock()
	if c.v == nil || c.v.Locked() || d <= 0 {
		return
	}
	var t Timer
	t = c.clock.AfterFunc(d, func() {
		c.run.OnUI(func() {
			c.mu.Lock()
			// A Touch after the timer fired but before this ran has set a new one:
			// the person was active, so this one does nothing.
			current := c.lockTimer == t
			c.mu.Unlock()
			if current && !c.Locked() {
				c.Lock()
			}
		})
	})
	c.lockTimer = t
}

// stopLockTimer cancels the auto-lock countdown; c.mu must be held.
func (c *Controller) stopLockTimer() {
	if c.lockTimer != nil {
		c.lockTimer.Stop()
		c.lockTimer = nil
	}
}
