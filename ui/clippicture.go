package ui

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/valvpm/valv/ui/appcore"
)

// clipboardTimeout bounds the wait for the system's clipboard tool, which blocks
// while the program that owns the clipboard is slow to answer.
const clipboardTimeout = 3 * time.Second

// readClipboardPicture returns the picture on the system clipboard as PNG bytes, or
// an error wrapping appcore.ErrNoClipboardPicture. Fyne's clipboard carries text
// only, so Valv asks the system: wl-paste (Wayland) or xclip (X11) on Linux and the
// BSDs, AppleScript on macOS, .NET through PowerShell on Windows. Tests replace it.
var readClipboardPicture = systemClipboardPicture

func systemClipboardPicture() ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), clipboardTimeout)
	defer cancel()
	var out []byte
	var err error
	switch runtime.GOOS {
	case "darwin":
		out, err = run(ctx, "osascript", "-e", "get the clipboard as «class PNGf»")
		if err == nil {
			out, err = appleScriptData(out)
		}
	case "windows":
		out, err = run(ctx, "powershell", "-NoProfile", "-STA", "-Command",
			"Add-Type -AssemblyName System.Windows.Forms; $i = [System.Windows.Forms.Clipboard]::GetImage(); "+
				"if ($i) { $m = New-Object System.IO.MemoryStream; $i.Save($m, [System.Drawing.Imaging.ImageFormat]::Png); [Convert]::ToBase64String($m.ToArray()) }")
		if err == nil {
			out, err = base64.StdEncoding.DecodeString(strings.TrimSpace(string(out)))
		}
	default:
		if os.Getenv("WAYLAND_DISPLAY") != "" {
			if out, err = run(ctx, "wl-paste", "--no-newline", "--type", "image/png"); err == nil {
				break
			}
		}
		out, err = run(ctx, "xclip", "-selection", "clipboard", "-target", "image/png", "-out")
	}
	if err != nil || len(out) == 0 {
		return nil, fmt.Errorf("%w (%v)", appcore.ErrNoClipboardPicture, err)
	}
	return out, nil
}

func run(ctx context.Context, name string, args ...string) ([]byte, error) {
	var stdout bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout = &stdout
	if err := cmd.Run(); err != nil {
		return nil, err
	}
	return stdout.Bytes(), nil
}

// appleScriptData reads AppleScript's «data PNGf89504E47…» literal.
func appleScriptData(b []byte) ([]byte, error) {
	s := strings.TrimSpace(string(b))
	s, ok := strings.CutPrefix(s, "«data PNGf")
	if !ok {
		return nil, errors.New("no picture")
	}
	return hex.DecodeString(strings.TrimSuffix(s, "»"))
}
