package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// TestLineFilter passes lines within the limit through unchanged and answers longer ones
// with an error carrying their id, wherever the id stands, read in pieces of any size.
func TestLineFilter(t *testing.T) {
	big := strings.Repeat("x", 300)
	tests := []struct {
		name   string
		in     string
		pass   string // what the server reads
		answer string // the id in the error answer; "" means no answer
	}{
		{name: "short lines pass", in: "{\"id\":1}\n{\"id\":2}\n", pass: "{\"id\":1}\n{\"id\":2}\n"},
		{name: "id first", in: `{"id":5,"params":{"t":"` + big + "\"}}\n{\"id\":6}\n", pass: "{\"id\":6}\n", answer: "5"},
		{name: "id last", in: `{"params":{"t":"` + big + `","id":9},"id":"a\"b"}` + "\n", answer: `"a\"b"`},
		{name: "nested id is not the id", in: `{"params":{"id":3,"t":"` + big + "\"}}\n", answer: "null"},
		{name: "no newline at the end", in: `{"id":4,"t":"` + big + `"}`, answer: "4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			f := newLineFilter(nil, &out, 100, nil)
			f.src = bufioSmall(iotest.OneByteReader(strings.NewReader(tt.in)))
			got, err := io.ReadAll(f)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.pass {
				t.Errorf("passed %q, want %q", got, tt.pass)
			}
			if tt.answer == "" {
				if out.Len() != 0 {
					t.Errorf("answered %q", out.String())
				}
				return
			}
			var m struct {
				ID    json.RawMessage
				Error struct{ Message string }
			}
			if err := json.Unmarshal(out.Bytes(), &m); err != nil {
				t.Fatalf("answer %q: %v", out.String(), err)
			}
			if string(m.ID) != tt.answer || !strings.Contains(m.Error.Message, "at most") {
				t.Errorf("answer %q, want id %s and the limit", out.String(), tt.answer)
			}
		})
	}
}

// bufioSmall reads in 16-byte pieces, so that a line spans many of them.
func bufioSmall(r io.Reader) *bufio.Reader { return bufio.NewReaderSize(r, 16) }
