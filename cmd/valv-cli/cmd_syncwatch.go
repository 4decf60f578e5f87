package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/valvpm/valv/account"
	cloudsync "github.com/valvpm/valv/sync"
)

// syncLine is one sync of `valv-cli sync --json`: one object per line.
type syncLine struct {
	Time      time.Time `json:"time"`
	Received  int       `json:"received"`
	Sent      int       `json:"sent"`
	Conflicts int       `json:"conflicts"`
}

// printSync reports one sync: a sentence, or with --json one line of JSON.
func (e *env) printSync(rep cloudsync.Report) error {
	a := rep.Applied
	line := syncLine{Time: time.Now().UTC().Truncate(time.Second), Received: a.Added + a.Updated + a.Deleted + a.Conflicts, Sent: rep.Pushed, Conflicts: a.Conflicts}
	if e.jsonOut {
		return json.NewEncoder(e.stdout).Encode(line)
	}
	fmt.Fprintf(e.stdout, "Synced: %d received, %d sent", line.Received, line.Sent)
	if line.Conflicts > 0 {
		fmt.Fprintf(e.stdout, ", %d changed on two devices (both versions kept)", line.Conflicts)
	}
	fmt.Fprintln(e.stdout, ".")
	if rep.PasswordChanged {
		fmt.Fprintln(e.stderr, "valv-cli: the master password was changed on another device; it will be needed next time the app asks for it")
	}
	return nil
}

// watchSync is `sync --watch`: after the first sync it stays, syncing whenever the
// server tells of a change (and every cloudsync.Interval besides), until interrupted.
// Network trouble is reported and waited out; a problem a person must solve ends it.
func (e *env) watchSync(c *account.Client, eng *cloudsync.Engine) error {
	ctx, stop := signal.NotifyContext(e.context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	wake := make(chan struct{}, 1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		cloudsync.Watch(ctx, c, eng.Cursor, func() {
			select {
			case wake <- struct{}{}:
			default:
			}
		})
	}()
	defer wg.Wait()
	defer stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-wake:
		case <-time.After(cloudsync.Interval):
		}
		sctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		rep, err := eng.SyncOnce(sctx)
		cancel()
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil && transient(err):
			fmt.Fprintf(e.stderr, "valv-cli: sync: %v (trying again on the next change)\n", err)
		case err != nil:
			return syncErr(err)
		default:
			if err := e.printSync(rep); err != nil {
				return err
			}
		}
	}
}

// transient tells failures a watching sync waits out (the network, a server or one of
// its replicas down) from those a person must act on.
func transient(err error) bool {
	var r interface{ Retryable() bool }
	return errors.As(err, &r) && r.Retryable() || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, account.ErrOffline) || errors.Is(err, account.ErrServerUnreachable) || errors.Is(err, account.ErrServer)
}
