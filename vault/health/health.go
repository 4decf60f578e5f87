// Package health reports the passwords of a vault that want changing: weak, reused,
// old, or exposed in breaches. It takes the unlocked items and gives back a report
// naming items and problems, never passwords; it is Fyne-free so the app runs it off
// the UI thread and valv-cli prints it.
//
// Nothing of it is stored or sent anywhere, with one exception a person must turn
// on: the online breach check, which sends the first five hex digits of each
// password's SHA-1 (package breach). Reuse is found by comparing HMAC-SHA256 values
// under a random key made for one run, so the table in memory is no dictionary of
// password hashes and is gone when the run ends.
package health

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/valvpm/valv/vault"
	"github.com/valvpm/valv/vault/breach"
)

// Problem is one reason a password wants changing. The values are stable: valv-cli
// prints them in JSON and the app translates them (message keys health.problem.*).
type Problem string

// The problems, in the order a report lists them.
const (
	Weak    Problem = "weak"    // below "strong" by vault.EstimateStrength, as the meters say
	Reused  Problem = "reused"  // the same password as at least one other item
	Exposed Problem = "exposed" // known from breaches
	Old     Problem = "old"     // not changed for more than a year
)

// Problems lists every problem in report order.
var Problems = []Problem{Weak, Reused, Exposed, Old}

// Options says how to check.
type Options struct {
	// Now is the time "old" is measured from; zero means time.Now().
	Now time.Time
	// Filter is the breach filter; nil means the one built into Valv.
	Filter *breach.Filter
	// Online, when set, also asks a range endpoint about each password (the
	// person's choice; off by default).
	Online *breach.Range
}

// Flagged is an item with at least one problem.
type Flagged struct {
	ID       vault.ID
	Type     vault.Type
	Title    string
	Problems []Problem // in the order of Problems
}

// Report is the result of a check.
type Report struct {
	Checked int             // items with a password that were checked
	Counts  map[Problem]int // items with each problem
	Items   []Flagged       // in the order the items were given
}

// Check examines the password of every login and application item. It does not
// change the items. With Options.Online set it may take a while and honours ctx; if
// the online check fails, the report still has every offline finding and the error
// wraps breach.ErrOnline.
func Check(ctx context.Context, items []*vault.Item, o Options) (*Report, error) {
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	filter := o.Filter
	if filter == nil {
		var err error
		if filter, err = breach.Builtin(); err != nil {
			return nil, err
		}
	}
	var macKey [32]byte
	rand.Read(macKey[:])
	defer clear(macKey[:])

	type entry struct {
		it       *vault.Item
		problems map[Problem]bool // few entries; the report needs them in order
		mac      [sha256.Size]byte
	}
	var (
		entries []*entry
		sums    [][sha1.Size]byte // for the online check
		uses    = map[[sha256.Size]byte]int{}
	)
	defer func() {
		clear(uses)
		clear(sums)
	}()
	for _, it := range items {
		if it.Password == "" || it.Type != vault.TypeLogin && it.Type != vault.TypeApp {
			continue
		}
		e := &entry{it: it, problems: map[Problem]bool{}}
		if vault.EstimateStrength(it.Password).Weak() {
			e.problems[Weak] = true
		}
		m := hmac.New(sha256.New, macKey[:])
		m.Write([]byte(it.Password))
		copy(e.mac[:], m.Sum(nil))
		uses[e.mac]++
		sum := breach.Hash(it.Password)
		exposed, err := filter.Contains(sum)
		if err != nil {
			return nil, err
		}
		e.problems[Exposed] = exposed
		if o.Online != nil {
			sums = append(sums, sum)
		}
		if changed := lastChanged(it); !changed.IsZero() && now.After(changed.AddDate(1, 0, 0)) {
			e.problems[Old] = true
		}
		entries = append(entries, e)
	}
	var onlineErr error
	if o.Online != nil && len(sums) > 0 {
		counts, err := o.Online.Counts(ctx, sums)
		if err != nil {
			onlineErr = err
		} else {
			for i, e := range entries {
				e.problems[Exposed] = e.problems[Exposed] || counts[i] > 0
			}
		}
	}
	r := &Report{Checked: len(entries), Counts: map[Problem]int{}}
	for _, e := range entries {
		e.problems[Reused] = uses[e.mac] > 1
		f := Flagged{ID: e.it.ID, Type: e.it.Type, Title: e.it.Title}
		for _, p := range Problems {
			if e.problems[p] {
				f.Problems = append(f.Problems, p)
				r.Counts[p]++
			}
		}
		if len(f.Problems) > 0 {
			r.Items = append(r.Items, f)
		}
	}
	if onlineErr != nil {
		return r, fmt.Errorf("the passwords were checked against the list in Valv only: %w", onlineErr)
	}
	return r, nil
}

// lastChanged is when the item got its current password: when the previous one was
// replaced, or, with no history, when the item was created.
func lastChanged(it *vault.Item) time.Time {
	if len(it.History) > 0 {
		return it.History[0].Replaced
	}
	return it.Created
}
