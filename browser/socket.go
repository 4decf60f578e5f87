package browser

import "errors"

// ErrAlreadyRunning means another Valv already serves browsers for this OS user.
var ErrAlreadyRunning = errors.New("another Valv is already answering the browser for this user")

// ErrNotRunning means the host found no Valv to relay to.
var ErrNotRunning = errors.New("the Valv app is not running")
