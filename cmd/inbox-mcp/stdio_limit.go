package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
)

// maxStdioMessage is the largest JSON-RPC message read from stdin, the same limit as an HTTP
// request body: the largest tool call (1,000 IDs, or a 10,000-character DM) is far below it.
// The MCP library reads a whole line into memory before parsing it, so without this limit a
// client could make the process hold any amount of memory with one line.
const maxStdioMessage = 1 << 20

// lockedWriter serializes writes to stdout, so that an answer written here never interleaves
// with the MCP library's (each of which is one Write).
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// lineFilter hands the MCP library the lines of stdin that fit maxStdioMessage, and answers
// the others itself: an oversized line is read through in small pieces (never held whole),
// and answered with an error carrying its id, so that the client's request ends instead of
// waiting forever. check, when set, may answer a line in place of the server (see
// app.Precheck); it returns the answer or nil.
type lineFilter struct {
	src     *bufio.Reader
	out     io.Writer
	max     int
	check   func(line []byte) any
	pending []byte // the current line, being handed out
	off     int
}

func newLineFilter(src io.Reader, out io.Writer, max int, check func([]byte) any) *lineFilter {
	return &lineFilter{src: bufio.NewReaderSize(src, 64<<10), out: out, max: max, check: check}
}

// Read implements io.Reader.
func (f *lineFilter) Read(p []byte) (int, error) {
	for f.off == len(f.pending) {
		line, err := f.next()
		if len(line) > 0 {
			f.pending, f.off = line, 0
			break
		}
		if err != nil {
			return 0, err
		}
	}
	n := copy(p, f.pending[f.off:])
	f.off += n
	return n, nil
}

// next returns the next line to pass on (with its newline), or nil when the line was
// answered here.
func (f *lineFilter) next() ([]byte, error) {
	var line []byte
	for {
		chunk, err := f.src.ReadSlice('\n')
		if len(line)+len(chunk) > f.max {
			return nil, f.refuse(line, chunk, err)
		}
		line = append(line, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil || f.check == nil {
			return line, err
		}
		if answer := f.check(line); answer != nil {
			return nil, f.answer(answer)
		}
		return line, nil
	}
}

// refuse reads the rest of an oversized line, looking only for its top-level id, and answers
// it with an error.
func (f *lineFilter) refuse(head, chunk []byte, err error) error {
	var sc idScanner
	sc.feed(head)
	sc.feed(chunk)
	n := len(head) + len(chunk)
	for err == bufio.ErrBufferFull {
		chunk, err = f.src.ReadSlice('\n')
		sc.feed(chunk)
		n += len(chunk)
	}
	msg := fmt.Sprintf("message refused: it is %d bytes and inbox-mcp reads at most %d MiB per message; send less in one call (for example fewer IDs, or a shorter text)", n, f.max>>20)
	if werr := f.answer(mcp.JSONRPCError{JSONRPC: mcp.JSONRPC_VERSION, ID: mcp.NewRequestId(sc.id()),
		Error: mcp.NewJSONRPCErrorDetails(mcp.INVALID_REQUEST, msg, nil)}); werr != nil {
		return werr
	}
	if err == bufio.ErrBufferFull {
		err = nil
	}
	return err
}

func (f *lineFilter) answer(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = f.out.Write(append(b, '\n'))
	return err
}

// idScanner finds the value of the top-level "id" member of a JSON object fed to it in
// pieces, keeping nothing else: a request's id may come last (the TypeScript SDK writes it
// after the params).
type idScanner struct {
	depth         int
	inString, esc bool
	keyNext       bool   // at depth 1, the next string is a member name
	inKey         bool   // reading a member name
	key           []byte // the member name being read (only up to 3 bytes matter)
	capturing     bool   // reading the id's value
	value         []byte
	done, tooLong bool
}

const maxIDBytes = 128

func (s *idScanner) feed(p []byte) {
	for _, c := range p {
		if s.done {
			return
		}
		if s.inString {
			s.keep(c)
			switch {
			case s.esc:
				s.esc = false
			case c == '\\':
				s.esc = true
			case c == '"':
				s.inString = false
				if s.inKey {
					s.inKey = false
				} else if s.capturing {
					s.done = true
				}
			}
			continue
		}
		switch c {
		case '{', '[':
			s.depth++
			if s.capturing { // an object or array is not an id
				s.capturing, s.done, s.value = false, true, nil
			}
			s.keyNext = s.depth == 1 && c == '{'
		case '}', ']', ',':
			if s.capturing {
				s.done = true
				continue
			}
			if c != ',' {
				s.depth--
			}
			s.keyNext = s.depth == 1 && c == ','
		case ':':
			if s.depth == 1 && string(s.key) == `"id"` {
				s.capturing = true
			}
			s.key = s.key[:0]
		case '"':
			s.inString = true
			if s.depth == 1 && s.keyNext {
				s.inKey, s.keyNext = true, false
				s.key = append(s.key[:0], c)
			} else {
				s.keep(c)
			}
		case ' ', '\t', '\r', '\n':
		default:
			s.keep(c)
		}
	}
}

// keep records a byte of the member name or of the id's value.
func (s *idScanner) keep(c byte) {
	switch {
	case s.inKey:
		if len(s.key) < 8 {
			s.key = append(s.key, c)
		}
	case s.capturing:
		if len(s.value) >= maxIDBytes {
			s.tooLong = true
			return
		}
		s.value = append(s.value, c)
	}
}

// id is the request's id (a number or a string), or nil when there was none or it could
// not be read.
func (s *idScanner) id() any {
	if s.tooLong || len(s.value) == 0 {
		return nil
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(s.value))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return nil
	}
	switch v.(type) {
	case string, json.Number:
		return v
	}
	return nil
}
