package vault

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strings"
)

// HomeEnv names the environment variable that replaces the per-user root folder
// (<os.UserConfigDir()>/Valv) — for tests and portable installs.
const HomeEnv = "VALV_HOME"

// Root returns the folder that holds the per-OS-user vault folders:
// $VALV_HOME if set, else <os.UserConfigDir()>/Valv.
func Root() (string, error) {
	if h := os.Getenv(HomeEnv); h != "" {
		return h, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("cannot find the configuration folder: %w", err)
	}
	return filepath.Join(dir, "Valv"), nil
}

// UserDir returns the folder of the current OS user's vault and settings:
// <Root()>/<OS user name>. Each OS user has their own vault (PRODUCT.md §1.7).
func UserDir() (string, error) {
	root, err := Root()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, osUserName()), nil
}

// DefaultPath returns <UserDir()>/vault.db.
func DefaultPath() (string, error) {
	d, err := UserDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "vault.db"), nil
}

// osUserName returns a file-name-safe name of the OS user running Valv.
func osUserName() string {
	name := ""
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	if name == "" {
		name = os.Getenv("USER")
	}
	if name == "" {
		name = os.Getenv("USERNAME")
	}
	// Windows names look like DOMAIN\user; keep the last part, and nothing that could
	// climb out of the root folder.
	if i := strings.LastIndexAny(name, `\/`); i >= 0 {
		name = name[i+1:]
	}
	if name == "" || name == "." || name == ".." {
		name = "default"
	}
	return name
}
