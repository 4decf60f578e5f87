package appcore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud/api"
	cloudsync "github.com/valvpm/valv/sync"
	"github.com/valvpm/valv/vault"
	"github.com/valvpm/valv/vault/totp/qr"
	"github.com/valvpm/valv/vault/transfer"
)

// errorValues are the exported errors of the packages whose errors reach the person,
// by their qualified name. TestEveryErrorHasASentence finds the names in the source, so
// an error added later fails the test until it is listed here and has a sentence.
var errorValues = map[string]error{
	"vault.ErrWrongPassword": vault.ErrWrongPassword,
	"vault.ErrLocked":        vault.ErrLocked,
	"vault.ErrCorrupt":       vault.ErrCorrupt,
	"vault.ErrExists":        vault.ErrExists,
	"vault.ErrNoVault":       vault.ErrNoVault,
	"vault.ErrNotFound":      vault.ErrNotFound,
	"vault.ErrAmbiguous":     vault.ErrAmbiguous,
	"vault.ErrKDFParams":     vault.ErrKDFParams,
	"vault.ErrInUse":         vault.ErrInUse,
	"vault.ErrNewerFormat":   vault.ErrNewerFormat,
	"vault.ErrInvalidItem":   vault.ErrInvalidItem,
	"vault.ErrDiskFull":      vault.ErrDiskFull,
	"vault.ErrRemoteCorrupt": vault.ErrRemoteCorrupt,
	"vault.ErrOtherVault":    vault.ErrOtherVault,
	"vault.ErrStaleHeader":   vault.ErrStaleHeader,

	"vault.ErrAttachmentTooLarge": vault.ErrAttachmentTooLarge,
	"vault.ErrAttachmentNotHere":  vault.ErrAttachmentNotHere,
	"vault.ErrAttachmentCorrupt":  vault.ErrAttachmentCorrupt,
	"vault.ErrAttachmentLimit":    vault.ErrAttachmentLimit,
	"vault.ErrNoAttachment":       vault.ErrNoAttachment,
	"vault.ErrAttachmentName":     vault.ErrAttachmentName,
	"vault.ErrAttachmentExists":   vault.ErrAttachmentExists,

	"transfer.ErrNewerExport":           transfer.ErrNewerExport,
	"transfer.ErrNeedDatabasePassword":  transfer.ErrNeedDatabasePassword,
	"transfer.ErrWrongDatabasePassword": transfer.ErrWrongDatabasePassword,
	"transfer.ErrUnknownFormat":         transfer.ErrUnknownFormat,
	"transfer.ErrTooLarge":              transfer.ErrTooLarge,
	"transfer.ErrWrongPassword":         transfer.ErrWrongPassword,
	"transfer.ErrNeedPassword":          transfer.ErrNeedPassword,

	"cloudsync.ErrNotLinked":      cloudsync.ErrNotLinked,
	"cloudsync.ErrOtherVault":     cloudsync.ErrOtherVault,
	"cloudsync.ErrReplaced":       cloudsync.ErrReplaced,
	"cloudsync.ErrCloudWiped":     cloudsync.ErrCloudWiped,
	"cloudsync.ErrRolledBack":     cloudsync.ErrRolledBack,
	"cloudsync.ErrBadHeader":      cloudsync.ErrBadHeader,
	"cloudsync.ErrEntryLimit":     cloudsync.ErrEntryLimit,
	"cloudsync.ErrFileLimit":      cloudsync.ErrFileLimit,
	"cloudsync.ErrFileNotInCloud": cloudsync.ErrFileNotInCloud,
	"cloudsync.ErrNoFileSync":     cloudsync.ErrNoFileSync,

	"account.ErrOffline":            account.ErrOffline,
	"account.ErrServerUnreachable":  account.ErrServerUnreachable,
	"account.ErrServer":             account.ErrServer,
	"account.ErrInsecureURL":        account.ErrInsecureURL,
	"account.ErrInvalidCredentials": account.ErrInvalidCredentials,
	"account.ErrCaptchaRequired":    account.ErrCaptchaRequired,
	"account.ErrCaptchaWrong":       account.ErrCaptchaWrong,
	"account.ErrCodeWrong":          account.ErrCodeWrong,
	"account.ErrCodeExpired":        account.ErrCodeExpired,
	"account.ErrTooManyTries":       account.ErrTooManyTries,
	"account.ErrResendTooEarly":     account.ErrResendTooEarly,
	"account.ErrSMSLimit":           account.ErrSMSLimit,
	"account.ErrPasswordNotSet":     account.ErrPasswordNotSet,
	"account.ErrWrongPassword":      account.ErrWrongPassword,
	"account.ErrEmailTaken":         account.ErrEmailTaken,
	"account.ErrInvalidEmail":       account.ErrInvalidEmail,
	"account.ErrPasswordRules":      account.ErrPasswordRules,
	"account.ErrPasswordsDiffer":    account.ErrPasswordsDiffer,
	"account.ErrDataProvision":      account.ErrDataProvision,
	"account.ErrAccountBlocked":     account.ErrAccountBlocked,
	"account.ErrRateLimited":        account.ErrRateLimited,
	"account.ErrNotSignedIn":        account.ErrNotSignedIn,
	"account.ErrSessionExpired":     account.ErrSessionExpired,
	"account.ErrProviderFailed":     account.ErrProviderFailed,
	"account.ErrTimeout":            account.ErrTimeout,
	"account.ErrCancelled":          account.ErrCancelled,
	"account.ErrActionToken":        account.ErrActionToken,
	"account.ErrUnknownProvider":    account.ErrUnknownProvider,
	"account.ErrKeyringUnavailable": account.ErrKeyringUnavailable,
	"account.ErrAttachmentLimit":    account.ErrAttachmentLimit,
	"account.ErrChunkNotFound":      account.ErrChunkNotFound,
	"account.ErrInvalidChunk":       account.ErrInvalidChunk,
	"account.ErrEmailLimit":         account.ErrEmailLimit,
	"account.ErrPasswordTooNew":     account.ErrPasswordTooNew,
	"account.ErrEntryLimit":         account.ErrEntryLimit,

	"appcore.ErrNoServer":           ErrNoServer,
	"appcore.ErrNoBrowser":          ErrNoBrowser,
	"appcore.ErrNeedMasterPassword": ErrNeedMasterPassword,
	"appcore.ErrOtherAccount":       ErrOtherAccount,
	"appcore.ErrBusy":               ErrBusy,
	"appcore.ErrNotConfirmed":       ErrNotConfirmed,
	"appcore.ErrPairingsReset":      ErrPairingsReset,
	"appcore.ErrSitesReset":         ErrSitesReset,
	"appcore.ErrNoHost":             ErrNoHost,
	"appcore.ErrQRNotTOTP":          ErrQRNotTOTP,
	"appcore.ErrNoClipboardPicture": ErrNoClipboardPicture,
	"appcore.ErrNotAFile":           ErrNotAFile,
	"appcore.ErrEmptyName":          ErrEmptyName,
	"appcore.ErrNoViewer":           ErrNoViewer,
	"appcore.ErrNoPreview":          ErrNoPreview,

	"qr.ErrNotPicture": qr.ErrNotPicture,
	"qr.ErrTooLarge":   qr.ErrTooLarge,
	"qr.ErrNoCode":     qr.ErrNoCode,
}

// errorSources are the folders (from this one) of the packages listed above.
var errorSources = []string{"../../vault", "../../vault/transfer", "../../vault/totp/qr", "../../sync", "../../account", "."}

// exportedErrors parses the Go files of dir (tests left out) and returns the qualified
// names of its exported package-level variables named Err….
func exportedErrors(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files in %s: %v", dir, err)
	}
	var names []string
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				for _, id := range spec.(*ast.ValueSpec).Names {
					if id.IsExported() && strings.HasPrefix(id.Name, "Err") {
						names = append(names, f.Name.Name+"."+id.Name)
					}
				}
			}
		}
	}
	return names
}

// translations loads every language's texts.
func translations(t *testing.T) map[string]map[string]string {
	t.Helper()
	all := map[string]map[string]string{}
	for _, l := range Languages {
		b, err := os.ReadFile(filepath.Join("..", "..", "assets", "translations", l.Code+".json"))
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s.json: %v", l.Code, err)
		}
		all[l.Code] = m
	}
	return all
}

var placeholder = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)

// checkSentence fails when m's key (or a key among its values) has no text in one of
// the languages, or when a text asks for a value m does not give.
func checkSentence(t *testing.T, what string, m Message, langs map[string]map[string]string) {
	t.Helper()
	if m.Key == "" || m.Key == "error.unexpected" {
		t.Errorf("%s has no sentence of its own (%q)", what, m.Key)
		return
	}
	for code, texts := range langs {
		text := strings.TrimSpace(texts[m.Key])
		if text == "" {
			t.Errorf("%s: %s.json has no text for %q", what, code, m.Key)
			continue
		}
		for _, p := range placeholder.FindAllStringSubmatch(text, -1) {
			if _, ok := m.Args[p[1]]; !ok {
				t.Errorf("%s: %s.json's %q asks for {{.%s}}, which the message does not give", what, code, m.Key, p[1])
			}
		}
	}
	for name, v := range m.Args {
		if inner, ok := v.(Message); ok {
			checkSentence(t, what+" ("+name+")", inner, langs)
		}
	}
}

// TestEveryErrorHasASentence walks every exported Err… of vault, vault/transfer,
// cloudsync, account and this package, and fails on one without a sentence in all four
// languages — so a new error cannot reach the person as "something unexpected".
func TestEveryErrorHasASentence(t *testing.T) {
	langs := translations(t)
	var found []string
	for _, dir := range errorSources {
		found = append(found, exportedErrors(t, dir)...)
	}
	if len(found) < 40 {
		t.Fatalf("found only %d errors in %v; is the source walk broken?", len(found), errorSources)
	}
	for _, name := range found {
		err, ok := errorValues[name]
		if !ok {
			t.Errorf("%s is not in errorValues: add it there, and its sentence to the table in messages.go", name)
			continue
		}
		m, ok := lookup(err)
		if !ok {
			t.Errorf("%s has no sentence in the table", name)
			continue
		}
		checkSentence(t, name, m, langs)
		// Wrapped with context, as the packages return them, it is still said.
		if w, _ := lookup(fmt.Errorf("while doing something: %w", err)); w.Key != m.Key {
			t.Errorf("%s wrapped says %q, bare %q", name, w.Key, m.Key)
		}
	}
	for name := range errorValues {
		if !slices.Contains(found, name) {
			t.Errorf("errorValues lists %s, which the source no longer has", name)
		}
	}
	for _, s := range sentences {
		checkSentence(t, "the table's row for "+s.err.Error(), Message{Key: s.key}, langs)
	}
}

// TestMessageFor: the first matching row wins, details go into the sentence, and what
// the table lacks is said per context.
func TestMessageFor(t *testing.T) {
	langs := translations(t)
	pathErr := &fs.PathError{Op: "open", Path: "/nowhere/x.csv", Err: fs.ErrNotExist}
	linkErr := &os.LinkError{Op: "rename", Old: "/a/.x.tmp", New: "/a/x.json", Err: fs.ErrPermission}
	unknown := errors.New("a bug")
	cases := []struct {
		name string
		say  func(error) Message
		err  error
		key  string
	}{
		{"the refusal before the check it wraps", MessageFor, fmt.Errorf("pull: %w: %w", vault.ErrRemoteCorrupt, vault.ErrCorrupt), "sync.errCorrupt"},
		{"a stale header", MessageFor, fmt.Errorf("sync: %w", vault.ErrStaleHeader), "sync.errStaleHeader"},
		{"another vault, from the vault", MessageFor, vault.ErrOtherVault, "sync.errOtherVault"},
		{"an invalid field", MessageFor, fmt.Errorf("save: %w", &vault.FieldError{Field: "number", Code: vault.FieldCardNumber}), "error.field"},
		{"a cancelled call", MessageFor, fmt.Errorf("quick sign-in: %w", context.Canceled), "accountError.cancelled"},
		{"network trouble without a sentence", MessageFor, retryableErr{}, "sync.errOffline"},
		{"nothing", MessageFor, nil, ""},
		{"a bug", MessageFor, unknown, "error.unexpected"},
		{"an import's missing file", ImportMessage, fmt.Errorf("reading: %w", pathErr), "transfer.errFile"},
		{"an import's unknown trouble", ImportMessage, unknown, "transfer.errUnreadable"},
		{"an import's wrong password", ImportMessage, transfer.ErrWrongPassword, "transfer.wrongExportPassword"},
		{"an export's folder", ExportMessage, pathErr, "transfer.errWrite"},
		{"an export's rename", ExportMessage, linkErr, "transfer.errWrite"},
		{"an export's full disk", ExportMessage, fmt.Errorf("writing: %w", vault.ErrDiskFull), "error.diskFull"},
		{"an export not confirmed", ExportMessage, ErrNotConfirmed, "transfer.needMaster"},
		{"an export's bug", ExportMessage, unknown, "error.unexpected"},
	}
	for _, c := range cases {
		m := c.say(c.err)
		if m.Key != c.key {
			t.Errorf("%s: %q, want %q", c.name, m.Key, c.key)
		}
		if c.key != "" && c.key != "error.unexpected" {
			checkSentence(t, c.name, m, langs)
		}
	}
	fe := MessageFor(&vault.FieldError{Field: "number", Code: vault.FieldCardNumber})
	if f, r := fe.Args["Field"].(Message), fe.Args["Reason"].(Message); f.Key != "field.number" || r.Key != "reason.cardNumber" {
		t.Errorf("an invalid card number says %+v", fe)
	}
	limited := &account.APIError{Status: 429, Code: api.CodeRateLimited, Body: api.Error{Code: api.CodeRateLimited, RetryAfter: 42}}
	if m := MessageFor(fmt.Errorf("sign-in: %w", limited)); m.Key != "accountError.rateLimitedFor" || m.Args["Seconds"] != 42 {
		t.Errorf("a rate limit with a wait says %+v", m)
	} else {
		checkSentence(t, "a rate limit with a wait", m, langs)
	}
	limited.Body.RetryAfter = 0
	if m := MessageFor(limited); m.Key != "accountError.rateLimited" {
		t.Errorf("a rate limit without a wait says %+v", m)
	}
	if m := FieldMessage("no such field", "no such code"); m.Args["Field"].(Message).Key != "field.other" || m.Args["Reason"].(Message).Key != "reason.invalid" {
		t.Errorf("an unknown field and reason say %+v", m)
	}
}

// retryableErr is network trouble of a kind the account package does not name.
type retryableErr struct{}

func (retryableErr) Error() string   { return "connection reset" }
func (retryableErr) Retryable() bool { return true }

// TestEveryMessageKeyExists parses this package's source and checks that every key it
// puts in a Message (Message{Key: "…"}, and the table's key: "…") has a text in every
// language, so a typo cannot show a raw key.
func TestEveryMessageKeyExists(t *testing.T) {
	langs := translations(t)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	n := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(node ast.Node) bool {
			kv, ok := node.(*ast.KeyValueExpr)
			if !ok {
				return true
			}
			id, ok := kv.Key.(*ast.Ident)
			lit, isLit := kv.Value.(*ast.BasicLit)
			if !ok || (id.Name != "Key" && id.Name != "key") || !isLit || lit.Kind != token.STRING {
				return true
			}
			key, _ := strconv.Unquote(lit.Value)
			n++
			for code, texts := range langs {
				// A counted sentence has its forms instead (key.one, key.other).
				counted := strings.TrimSpace(texts[key+".one"]) != "" && strings.TrimSpace(texts[key+".other"]) != ""
				if strings.TrimSpace(texts[key]) == "" && !counted {
					t.Errorf("%s: %q has no text in %s.json", fset.Position(lit.Pos()), key, code)
				}
			}
			return true
		})
	}
	if n < 50 {
		t.Errorf("found only %d keys; is the source walk broken?", n)
	}
}
