package main

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// Reading the master password must leave every later line in the pipe: nothing of
// them may sit in a buffer of valv-cli's.
func TestStdinLinesReadsNoFurther(t *testing.T) {
	in := bytes.NewReader([]byte("Master-Pw-1\r\nexport pw\nlast"))
	s := &stdinLines{r: in}
	line, err := s.next()
	if err != nil || string(line) != "Master-Pw-1" {
		t.Fatalf("first line %q, %v", line, err)
	}
	if rest := in.Len(); rest != len("export pw\nlast") {
		t.Errorf("%d bytes left in the input after the first line, want %d", rest, len("export pw\nlast"))
	}
	for _, want := range []string{"export pw", "last"} {
		if line, err = s.next(); err != nil || string(line) != want {
			t.Errorf("line %q, %v; want %q", line, err, want)
		}
	}
	if _, err = s.next(); !errors.Is(err, io.EOF) {
		t.Errorf("after the last line: %v, want io.EOF", err)
	}
}

func TestStdinLinesTooLong(t *testing.T) {
	s := &stdinLines{r: strings.NewReader(strings.Repeat("x", maxStdinLine+1) + "\n")}
	if _, err := s.next(); !errors.Is(err, errLineTooLong) {
		t.Fatalf("a %d-byte line: %v", maxStdinLine+1, err)
	}
}

// FuzzStdinLines checks that any input comes back line by line as bufio would split
// it.
func FuzzStdinLines(f *testing.F) {
	f.Add("a\nb\r\n\nc")
	f.Add("\r")
	f.Fuzz(func(t *testing.T, in string) {
		s := &stdinLines{r: strings.NewReader(in)}
		want := strings.Split(in, "\n")
		if strings.HasSuffix(in, "\n") || in == "" {
			want = want[:len(want)-1]
		}
		for i, w := range want {
			if len(w) >= maxStdinLine {
				return
			}
			got, err := s.next()
			if err != nil || string(got) != strings.TrimSuffix(w, "\r") {
				t.Fatalf("line %d: %q, %v; want %q", i, got, err, w)
			}
		}
		if _, err := s.next(); !errors.Is(err, io.EOF) {
			t.Fatalf("after %d lines: %v", len(want), err)
		}
	})
}

// On a terminal in raw mode valv-cli edits the line itself: Backspace removes a whole
// character, Ctrl-U the line, Enter is '\r', and Ctrl-C stops.
func TestSecretLineTerminalEditing(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"pw\r", "pw"},
		{"pa\x7fw\r", "pw"},
		{"pé\x7f\x08w\r", "w"},
		{"typo\x15pw\r", "pw"},
		{"\x7fpw\x04\n", "pw"},
	} {
		got, err := readSecretLine(strings.NewReader(c.in), true)
		if err != nil || string(got) != c.want {
			t.Errorf("%q: %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	if _, err := readSecretLine(strings.NewReader("pw\x03rest\r"), true); !errors.Is(err, errInterrupted) {
		t.Errorf("Ctrl-C: %v, want errInterrupted", err)
	}
	if _, err := readSecretLine(strings.NewReader("\x04"), true); !errors.Is(err, io.EOF) {
		t.Errorf("Ctrl-D on an empty line: %v, want io.EOF", err)
	}
}
