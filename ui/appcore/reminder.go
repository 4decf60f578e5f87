package appcore

import "time"

// reminderEvery is how often an offline user is reminded that an account would sync
// their vault: "now and then, not nagging" (PRODUCT.md §1.5).
const reminderEvery = 7 * 24 * time.Hour

// ReminderDue reports whether the weekly connect reminder should show now.
func (c *Controller) ReminderDue() bool {
	s := c.Settings()
	return s.Offline && !s.Reminded.IsZero() && c.clock.Now().Sub(s.Reminded) >= reminderEvery
}

// DismissReminder starts the next week without reminders.
func (c *Controller) DismissReminder() error {
	s := c.Settings()
	s.Reminded = c.clock.Now()
	return c.UpdateSettings(s)
}

// RunOffline remembers that the person chose Run without connecting: the welcome window
// is not shown again, and the first reminder comes a week from now.
func (c *Controller) RunOffline() error {
	s := c.Settings()
	s.Offline = true
	s.Reminded = c.clock.Now()
	return c.UpdateSettings(s)
}
