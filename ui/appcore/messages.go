package appcore

import (
	"context"
	"errors"
	"io/fs"
	"log"
	"os"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/browser"
	cloudsync "github.com/valvpm/valv/sync"
	"github.com/valvpm/valv/vault"
	"github.com/valvpm/valv/vault/breach"
	"github.com/valvpm/valv/vault/totp/qr"
	"github.com/valvpm/valv/vault/transfer"
)

// Message is a sentence for the person: a translation key and the values of its
// placeholders. A value that is itself a Message is translated first (a field's name
// and the reason it is invalid, inside "{{.Field}}: {{.Reason}}").
type Message struct {
	Key  string
	Args map[string]any
}

// sentence is one row of the table: the error, its sentence's key, and for a few the
// details that go into the sentence.
type sentence struct {
	err    error
	key    string
	detail func(err error) (Message, bool) // a more precise sentence, when err carries one
}

// sentences maps every error a person can meet to its sentence. errors.Is tries them in
// order and the first match wins, so an error that says more comes before one it may
// wrap: what sync refused before the vault's own checks, the account's before the
// network's.
var sentences = []sentence{
	// What sync and linking refused or need the person for. The checks of what the
	// server sent say that nothing was changed: the engine refuses such a cloud before
	// it touches the vault.
	{err: cloudsync.ErrOtherVault, key: "sync.errOtherVault"},
	{err: vault.ErrOtherVault, key: "sync.errOtherVault"},
	{err: cloudsync.ErrReplaced, key: "sync.errReplaced"},
	{err: cloudsync.ErrCloudWiped, key: "sync.errWiped"},
	{err: cloudsync.ErrRolledBack, key: "sync.errRolledBack"},
	{err: vault.ErrStaleHeader, key: "sync.errStaleHeader"},
	{err: vault.ErrRemoteCorrupt, key: "sync.errCorrupt"},
	{err: cloudsync.ErrBadHeader, key: "sync.errBadHeader"},
	{err: cloudsync.ErrEntryLimit, key: "sync.errEntryLimit", detail: entryLimitDetail},
	{err: cloudsync.ErrNotLinked, key: "sync.errNotLinked"},
	{err: cloudsync.ErrFileLimit, key: "sync.errFileLimit"},
	{err: cloudsync.ErrFileNotInCloud, key: "sync.errFileNotInCloud"},
	{err: cloudsync.ErrNoFileSync, key: "sync.errNoFileSync"},
	{err: account.ErrAttachmentLimit, key: "sync.errFileLimit"},
	{err: account.ErrChunkNotFound, key: "sync.errFileNotInCloud"},
	{err: account.ErrInvalidChunk, key: "sync.errInvalidChunk"},
	{err: ErrNeedMasterPassword, key: "sync.errNeedPassword"},
	{err: ErrOtherAccount, key: "sync.errOtherAccount"},
	{err: account.ErrActionToken, key: "danger.errToken"},

	// The vault. A file's own errors come first: a damaged chunk may also be a damaged
	// record.
	{err: vault.ErrAttachmentTooLarge, key: "attach.errTooLarge"},
	{err: vault.ErrAttachmentNotHere, key: "attach.errNotHere"},
	{err: vault.ErrAttachmentCorrupt, key: "attach.errCorrupt"},
	{err: vault.ErrAttachmentLimit, key: "attach.errLimit", detail: attachLimitDetail},
	{err: vault.ErrNoAttachment, key: "attach.errGone"},
	{err: vault.ErrAttachmentName, key: "attach.errName"},
	{err: vault.ErrAttachmentExists, key: "attach.errExists"},
	{err: ErrNotAFile, key: "attach.errNotFileAny"},
	{err: ErrEmptyName, key: "attach.errNameEmpty"},
	{err: ErrNoViewer, key: "attach.errNoViewer"},
	{err: ErrNoPreview, key: "attach.errNoPreview"},
	{err: vault.ErrWrongPassword, key: "error.wrongPassword"},
	{err: vault.ErrInUse, key: "error.inUse"},
	{err: vault.ErrCorrupt, key: "error.corrupt"},
	{err: vault.ErrNewerFormat, key: "error.newerFormat"},
	{err: vault.ErrKDFParams, key: "error.kdfParams"},
	{err: vault.ErrDiskFull, key: "error.diskFull"},
	{err: vault.ErrExists, key: "error.exists"},
	{err: vault.ErrLocked, key: "error.locked"},
	{err: vault.ErrNotFound, key: "error.notFound"},
	{err: vault.ErrNoVault, key: "error.noVault"},
	{err: vault.ErrAmbiguous, key: "error.ambiguous"},
	{err: vault.ErrInvalidItem, key: "error.invalidItem", detail: fieldDetail},

	// Files to import and export.
	{err: transfer.ErrUnknownFormat, key: "transfer.errUnknownFormat"},
	{err: transfer.ErrTooLarge, key: "transfer.errTooLarge"},
	{err: transfer.ErrNewerExport, key: "transfer.errNewerExport"},
	// The database sentinels wrap the export ones, so they come first.
	{err: transfer.ErrWrongDatabasePassword, key: "transfer.wrongDatabasePassword"},
	{err: transfer.ErrNeedDatabasePassword, key: "transfer.databasePasswordIntro"},
	{err: transfer.ErrWrongPassword, key: "transfer.wrongExportPassword"},
	{err: transfer.ErrNeedPassword, key: "transfer.needExportPassword"},
	{err: ErrNotConfirmed, key: "transfer.needMaster"},

	// The Valv Account. The account package's own texts are English; the person reads
	// these, in their language.
	{err: ErrNoServer, key: "accountError.noServer"},
	{err: ErrNoBrowser, key: "error.openURL"},
	{err: account.ErrOffline, key: "accountError.offline"},
	{err: account.ErrServerUnreachable, key: "accountError.unreachable"},
	{err: account.ErrServer, key: "accountError.server"},
	{err: account.ErrInsecureURL, key: "accountError.insecureURL"},
	{err: account.ErrInvalidCredentials, key: "accountError.invalidCredentials"},
	{err: account.ErrCaptchaRequired, key: "accountError.captchaRequired"},
	{err: account.ErrCaptchaWrong, key: "accountError.captchaWrong"},
	{err: account.ErrCodeWrong, key: "accountError.codeWrong"},
	{err: account.ErrCodeExpired, key: "accountError.codeExpired"},
	{err: account.ErrTooManyTries, key: "accountError.tooManyTries"},
	{err: account.ErrResendTooEarly, key: "accountError.resendTooEarly"},
	{err: account.ErrSMSLimit, key: "accountError.smsLimit"},
	{err: account.ErrPasswordNotSet, key: "accountError.passwordNotSet"},
	{err: account.ErrWrongPassword, key: "accountError.wrongPassword"},
	{err: account.ErrEmailTaken, key: "accountError.emailTaken"},
	{err: account.ErrInvalidEmail, key: "accountError.invalidEmail"},
	{err: account.ErrPasswordRules, key: "accountError.passwordRules"},
	{err: account.ErrPasswordsDiffer, key: "accountError.passwordsDiffer"},
	{err: account.ErrDataProvision, key: "accountError.dataProvision"},
	{err: account.ErrAccountBlocked, key: "accountError.blocked"},
	{err: account.ErrRateLimited, key: "accountError.rateLimited", detail: retryDetail},
	{err: account.ErrNotSignedIn, key: "accountError.notSignedIn"},
	{err: account.ErrSessionExpired, key: "accountError.sessionExpired"},
	{err: account.ErrProviderFailed, key: "accountError.providerFailed"},
	{err: account.ErrTimeout, key: "accountError.timeout"},
	{err: account.ErrCancelled, key: "accountError.cancelled"},
	{err: account.ErrUnknownProvider, key: "accountError.unknownProvider"},
	{err: account.ErrKeyringUnavailable, key: "accountError.keyring"},
	{err: account.ErrEmailLimit, key: "accountError.emailLimit"},
	{err: account.ErrPasswordTooNew, key: "accountError.passwordTooNew"},
	{err: account.ErrEntryLimit, key: "sync.errEntryLimit", detail: entryLimitDetail},

	// The app's own.
	{err: ErrBusy, key: "error.busy"},
	// A call stopped by Cancel (or its time limit) before the account package could
	// name the reason, e.g. quick sign-in cancelled while it still asks the server.
	{err: context.Canceled, key: "accountError.cancelled"},
	{err: context.DeadlineExceeded, key: "accountError.unreachable"},

	// Browser autofill.
	{err: browser.ErrAlreadyRunning, key: "browser.error.alreadyRunning"},
	{err: ErrPairingsReset, key: "browser.error.pairingsDamaged"},
	{err: ErrSitesReset, key: "browser.error.sitesDamaged"},
	{err: browser.ErrUnknownBrowser, key: "error.notFound"},
	{err: ErrNoHost, key: "browser.error.noHost"},
	// Authenticator keys from QR pictures, and the breach lists of password health.
	{err: qr.ErrNotPicture, key: "totp.errNotPicture"},
	{err: qr.ErrTooLarge, key: "totp.errTooLarge"},
	{err: qr.ErrNoCode, key: "totp.errNoCode"},
	{err: ErrQRNotTOTP, key: "totp.errNotTOTP"},
	{err: ErrNoClipboardPicture, key: "totp.errNoClipboardPicture"},
	{err: breach.ErrFilter, key: "health.filterError"},
	{err: breach.ErrOnline, key: "health.onlineFailed"},
}

// fieldDetail names the field of an invalid item and why it is invalid.
func fieldDetail(err error) (Message, bool) {
	var fe *vault.FieldError
	if !errors.As(err, &fe) {
		return Message{}, false
	}
	return FieldMessage(fe.Field, fe.Code), true
}

// retryDetail says how long to wait when the server said so.
func retryDetail(err error) (Message, bool) {
	ae, ok := account.Details(err)
	if !ok || ae.RetryIn() <= 0 {
		return Message{}, false
	}
	return Message{Key: "accountError.rateLimitedFor", Args: map[string]any{"Seconds": int(ae.RetryIn().Seconds() + 0.5)}}, true
}

// entryLimitDetail says how many entries the plan keeps, when the server said.
func entryLimitDetail(err error) (Message, bool) {
	n := 0
	if le, ok := errors.AsType[*cloudsync.LimitError](err); ok {
		n = le.Max
	} else if ae, ok := account.Details(err); ok {
		n = ae.EntryLimit()
	}
	if n <= 0 {
		return Message{}, false
	}
	return Message{Key: "accountError.entryLimit", Args: map[string]any{"Count": n}}, true
}

// attachLimitDetail names the plan's room for files, when the vault knows it.
func attachLimitDetail(err error) (Message, bool) {
	le, ok := errors.AsType[*vault.AttachmentLimitError](err)
	if !ok || le.Limit <= 0 {
		return Message{}, false
	}
	return Message{Key: "attach.errLimitSize", Args: map[string]any{"Limit": SizeMessage(le.Limit)}}, true
}

// lookup returns the table's sentence for err.
func lookup(err error) (Message, bool) {
	for _, s := range sentences {
		if !errors.Is(err, s.err) {
			continue
		}
		if s.detail != nil {
			if m, ok := s.detail(err); ok {
				return m, true
			}
		}
		return Message{Key: s.key}, true
	}
	if IsOffline(err) {
		// Network trouble the account package has no sentence for.
		return Message{Key: "sync.errOffline"}, true
	}
	return Message{}, false
}

// MessageFor turns an error into a sentence. Raw Go error text is never shown; an
// error the table lacks is logged (errors hold no secrets: the vault never puts one in
// an error) and said as a general sentence. nil gives the zero Message.
func MessageFor(err error) Message {
	if err == nil {
		return Message{}
	}
	if m, ok := lookup(err); ok {
		return m
	}
	log.Printf("valv: unexpected error: %v", err)
	return Message{Key: "error.unexpected"}
}

// ImportMessage says why a file could not be imported. Unlike MessageFor it logs
// nothing: transfer's messages for damaged files may quote the file (a header row, a
// title).
func ImportMessage(err error) Message {
	if m, ok := lookup(err); ok {
		return m
	}
	if _, ok := errors.AsType[*fs.PathError](err); ok {
		return Message{Key: "transfer.errFile"}
	}
	return Message{Key: "transfer.errUnreadable"}
}

// ExportMessage says why an export could not be written: the table's sentence, or for
// the file system's refusal (no such folder, no permission, a failed rename) that it
// could not be written there.
func ExportMessage(err error) Message { return writeMessage(err, "transfer.errWrite") }

// SaveMessage says why a file of an item could not be saved as a copy: as
// ExportMessage, about a file.
func SaveMessage(err error) Message { return writeMessage(err, "attach.errSave") }

// writeMessage is the table's sentence for err, or the sentence of key when the file
// system refused the write.
func writeMessage(err error, key string) Message {
	if m, ok := lookup(err); ok {
		return m
	}
	_, pathErr := errors.AsType[*fs.PathError](err)
	_, linkErr := errors.AsType[*os.LinkError](err)
	if pathErr || linkErr {
		return Message{Key: key}
	}
	return MessageFor(err)
}

// FieldMessage is "field: reason" for a field of an item that failed validation (or an
// imported entry's field that was changed).
func FieldMessage(field string, code vault.FieldCode) Message {
	return Message{Key: "error.field", Args: map[string]any{
		"Field":  Message{Key: FieldKey(field)},
		"Reason": Message{Key: reasonKey(code)},
	}}
}

// FieldKey is the translation key of a field's label: the vault's field table names
// it; a reason about the item as a whole ("type", a length over any field) gets the
// general one.
func FieldKey(field string) string {
	if f, ok := vault.LookupField(field); ok {
		return f.LabelKey()
	}
	return "field.other"
}

// reasonKeys translate the vault's validation reasons by their stable codes.
var reasonKeys = map[vault.FieldCode]string{
	vault.FieldEmpty:         "reason.empty",
	vault.FieldCardNumber:    "reason.cardNumber",
	vault.FieldExpiry:        "reason.expiry",
	vault.FieldNotApplicable: "reason.notApplicable",
	vault.FieldTooLong:       "reason.tooLong",
	vault.FieldNotUTF8:       "reason.notUTF8",
	vault.FieldTOTP:          "reason.totp",
}

func reasonKey(c vault.FieldCode) string {
	if k, ok := reasonKeys[c]; ok {
		return k
	}
	return "reason.invalid"
}
