package app

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
)

func resultText(r *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range r.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

func callNamed(name string) mcp.CallToolRequest {
	var r mcp.CallToolRequest
	r.Params.Name = name
	return r
}

func TestRecoverToolsTurnsPanicsAndErrorsIntoToolErrors(t *testing.T) {
	mw := recoverTools(slog.New(slog.DiscardHandler))
	tests := []struct {
		name string
		h    func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error)
		want string
	}{
		{"boom", func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) { panic("kaboom") }, "Internal error in boom"},
		{"fails", func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			return nil, errors.New("disk on fire")
		}, "disk on fire"},
		{"silent", func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) { return nil, nil }, "no result"},
	}
	for _, tt := range tests {
		res, err := mw(tt.h)(context.Background(), callNamed(tt.name))
		if err != nil {
			t.Fatalf("%s: Go error %v; want an IsError result", tt.name, err)
		}
		if !res.IsError || !strings.Contains(resultText(res), tt.want) {
			t.Errorf("%s: got %v %q, want an error containing %q", tt.name, res.IsError, resultText(res), tt.want)
		}
	}
}

// TestGuardRefusesToolsOutsideTheSurface checks the call-time check on its own: the tool
// filter in front of it refuses the same calls, so end to end it is never reached.
func TestGuardRefusesToolsOutsideTheSurface(t *testing.T) {
	s := surface{"list_threads": true, "read_messages": true}
	ran := 0
	h := s.guard(func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		ran++
		return mcp.NewToolResultText("ok"), nil
	})
	res, _ := h(context.Background(), callNamed("send_reply"))
	if !res.IsError || ran != 0 || !strings.Contains(resultText(res), "list_threads, read_messages") {
		t.Fatalf("send_reply outside the surface: ran %d, %v %q", ran, res.IsError, resultText(res))
	}
	res, _ = h(context.Background(), callNamed("list_threads"))
	if res.IsError || ran != 1 {
		t.Fatalf("list_threads in the surface: ran %d, %q", ran, resultText(res))
	}
}
