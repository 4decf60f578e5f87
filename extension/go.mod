// The extension is JavaScript. This file makes extension/ a module of its own so that
// the Go tools (go vet ./..., go test ./..., staticcheck) skip node_modules, where some
// npm packages ship Go code.
module github.com/valvpm/valv/extension

go 1.26.0
