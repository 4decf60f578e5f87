package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/valvpm/valv/vault/breach"
)

// buildBreachFilter turns the Pwned Passwords SHA-1 list at src into a filter at dst.
// It writes a temporary file beside dst and renames it only when the whole list was
// read, so a failed or interrupted build leaves no half-written filter behind.
func (e *env) buildBreachFilter(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("opening the list: %w", err)
	}
	defer func() {
		if cerr := in.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	st, err := in.Stat()
	if err != nil {
		return fmt.Errorf("opening the list: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".*")
	if err != nil {
		return fmt.Errorf("creating the filter: %w", err)
	}
	defer func() {
		if err != nil {
			// The half-written file is thrown away: its close error would add nothing
			// to the error already being returned.
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	r := &progressReader{r: in, size: st.Size(), w: e.stderr}
	n, err := breach.BuildHIBP(tmp, r, breach.ShardBitsFor(st.Size()))
	if err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("writing the filter: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing the filter: %w", err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fmt.Errorf("writing the filter: %w", err)
	}
	size := int64(0)
	if fi, err := os.Stat(dst); err == nil {
		size = fi.Size()
	}
	fmt.Fprintf(e.stdout, "Wrote %s: %s, %.1f MB. Use it with valv-cli health --breach-filter %s or in Settings → Security.\n",
		dst, plural(int(n), "breached password", "breached passwords"), float64(size)/1e6, dst)
	return nil
}

// progressReader tells the person how far a long build has got, every 10%: the full
// list is tens of gigabytes.
type progressReader struct {
	r          io.Reader
	size, read int64
	shown      int64
	w          io.Writer
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.read += int64(n)
	if p.size > 0 {
		if pct := p.read * 10 / p.size * 10; pct > p.shown && pct < 100 {
			p.shown = pct
			fmt.Fprintf(p.w, "… %d%%\n", pct)
		}
	}
	return n, err
}
