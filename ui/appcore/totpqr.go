package appcore

import (
	"errors"
	"fmt"
	"io"

	"github.com/valvpm/valv/vault/totp"
	"github.com/valvpm/valv/vault/totp/qr"
)

// ErrQRNotTOTP means a picture's QR code was read but holds something other than an
// authenticator key (a web address, a Wi-Fi login). It keeps apart a QR code's content
// from the key a person typed, which the editor refuses with the field's own sentence.
var ErrQRNotTOTP = errors.New("the QR code does not hold an authenticator key")

// ReadTOTPPicture reads the otpauth:// link from a picture of a QR code (a file or
// the clipboard's picture). Its errors are qr's sentinels or ErrQRNotTOTP; none
// repeats what the code holds.
func ReadTOTPPicture(r io.Reader) (string, error) {
	uri, err := qr.ReadURI(r)
	if errors.Is(err, totp.ErrInvalid) {
		return "", fmt.Errorf("%w: %w", ErrQRNotTOTP, err)
	}
	return uri, err
}

// ErrNoClipboardPicture means the clipboard holds neither a picture Valv could get
// nor an authenticator link.
var ErrNoClipboardPicture = errors.New("the clipboard holds no picture of a QR code")
