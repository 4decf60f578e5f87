// Package harden shuts the process's memory to other processes and to crash dumps,
// as far as the operating system lets a process do that to itself. valv, valv-cli and
// valv-browser-host call Process first thing in main: everything they later hold (the
// master password while it is typed, the vault key, decrypted items, relayed browser
// messages) is then out of reach of a same-user debugger or memory reader and of core
// files.
//
// It is no defence against an administrator (root, a kernel debugger, SeDebugPrivilege),
// which can read any process; it closes what an ordinary program running as the same
// user, or an automatic crash report, could otherwise take.
package harden

import "sync"

var (
	once   sync.Once
	result error
)

// Process applies the platform's protections once and returns what could not be
// applied (nil when all were). Callers report a failure and go on: an unhardened
// password manager is still better than none.
func Process() error {
	once.Do(func() { result = apply() })
	return result
}
