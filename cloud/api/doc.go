// Package api is the wire contract between the Valv clients (the desktop app, valv-cli)
// and valv-cloud: request and response types, stable error codes and URL paths.
//
// It holds no logic and imports only the standard library, so that the client packages
// and the server share exactly this and nothing else (DESIGN.md "Shape"). Everything is
// JSON over HTTPS under versioned paths (/v1/...); errors always have the shape
//
//	{"error":{"code":"...","message":"..."}}
//
// where code is one of the Code constants in this package and message is a sentence a
// person may be shown. Byte slices travel as standard base64 (encoding/json's default).
// docs/protocol.md describes every endpoint with an example.
package api
