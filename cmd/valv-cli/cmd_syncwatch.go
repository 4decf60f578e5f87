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
	// The attached files' round after the items, in chunks (of up to 1 MiB each).
	FileChunksReceived   int    `json:"file_chunks_received"`
	FileChunksSent       int    `json:"file_chunks_sent"`
	FileChunksToDownload int    `json:"file_chunks_to_download"`
	FileChunksToUpload   int    `json:"file_chunks_to_upload"`
	FilesError           string `json:"files_error,omitempty"`
}

// syncFiles is the attached files' round after the items synced: removals, uploads,
// then downloads of what this device lacks. A connection that carries no files is no
// error.
func syncFiles(ctx context.Context, eng *cloudsync.Engine) (cloudsync.FileReport, error) {
	frep, err := eng.SyncFiles(ctx, true)
	if errors.Is(err, cloudsync.ErrNoFileSync) {
		err = nil
	}
	return frep, err
}

// printSync reports one sync, items then files: a sentence, or with --json one line of
// JSON. ferr is the files' round's failure, reported in the line.
func (e *env) printSync(rep cloudsync.Report, frep cloudsync.FileReport, ferr error) error {
	a := rep.Applied
	line := syncLine{Time: time.Now().UTC().Truncate(time.Second), Received: a.Added + a.Updated + a.Deleted + a.Conflicts, Sent: rep.Pushed, Conflicts: a.Conflicts,
		FileChunksReceived: frep.Downloaded, FileChunksSent: frep.Uploaded, FileChunksToDownload: frep.ToDownload, FileChunksToUpload: frep.ToUpload}
	if ferr != nil {
		line.FilesError = ferr.Error()
	}
	if e.jsonOut {
		return json.NewEncoder(e.stdout).Encode(line)
	}
	fmt.Fprintf(e.stdout, "Synced: %d received, %d sent", line.Received, line.Sent)
	if line.Conflicts > 0 {
		fmt.Fprintf(e.stdout, ", %d changed on two devices (both versions kept)", line.Conflicts)
	}
	if n := line.FileChunksReceived + line.FileChunksSent + line.FileChunksToDownload + line.FileChunksToUpload; n > 0 || ferr != nil {
		fmt.Fprintf(e.stdout, "; file chunks: %d received, %d sent", line.FileChunksReceived, line.FileChunksSent)
		if left := line.FileChunksToDownload + line.FileChunksToUpload; left > 0 {
			fmt.Fprintf(e.stdout, ", %d left", left)
		}
		if ferr != nil {
			fmt.Fprint(e.stdout, " (stopped: see the error)")
		}
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
			fctx, cancel := context.WithTimeout(ctx, 30*time.Minute)
			frep, ferr := syncFiles(fctx, eng)
			cancel()
			if ctx.Err() != nil {
				return nil
			}
			if err := e.printSync(rep, frep, ferr); err != nil {
				return err
			}
			if ferr != nil {
				fmt.Fprintf(e.stderr, "valv-cli: files: %v (trying again on the next change)\n", ferr)
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
