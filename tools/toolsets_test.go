package tools_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/server"

	"github.com/inbox-mcp/inbox-mcp/tools"
)

// TestToolsetsCoverEveryTool: each tool is in exactly one toolset, so a toolset name always
// means the same tools and no tool is unreachable by toolsets.
func TestToolsetsCoverEveryTool(t *testing.T) {
	t.Parallel()
	in := map[string]string{}
	for _, ts := range tools.Toolsets {
		if ts.Name == tools.AllToolsets || ts.Description == "" || len(ts.Tools) == 0 {
			t.Errorf("toolset %+v: needs a name other than %q, a description and tools", ts, tools.AllToolsets)
		}
		for _, n := range ts.Tools {
			if other, dup := in[n]; dup {
				t.Errorf("%s is in toolsets %s and %s", n, other, ts.Name)
			}
			in[n] = ts.Name
		}
	}
	all := tools.All(&tools.Env{})
	for _, st := range all {
		if in[st.Tool.Name] == "" {
			t.Errorf("%s is in no toolset", st.Tool.Name)
		}
	}
	if len(in) != len(all) {
		t.Errorf("the toolsets name %d tools; the server has %d", len(in), len(all))
	}
}

func toolNames(ts []server.ServerTool) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Tool.Name)
	}
	return out
}

func TestSelect(t *testing.T) {
	t.Parallel()
	all := tools.All(&tools.Env{})
	tests := []struct {
		name string
		sel  tools.Selection
		want []string // exactly these, in the full list's order
		err  string
	}{
		{"everything", tools.Selection{}, tools.ToolNames(), ""},
		{"one set", tools.Selection{Toolsets: []string{"messages"}}, []string{"read_messages", "search_messages", "send_reply"}, ""},
		{"sets plus a tool", tools.Selection{Toolsets: []string{"directory"}, Tools: []string{"list_threads"}}, []string{"list_threads", "get_directory"}, ""},
		{"all minus", tools.Selection{Toolsets: []string{"all"}, Exclude: []string{"send_reply", "manage_labels"}},
			[]string{"list_threads", "read_messages", "get_thread", "lookup_thread", "get_directory", "triage_digest", "search_messages", "update_prospect_context", "bulk_update_prospects", "manage_thread"}, ""},
		{"exclude only", tools.Selection{Exclude: []string{"send_reply"}}, nil, ""},
		{"read-only wins over a named writer", tools.Selection{Toolsets: []string{"messages"}, Tools: []string{"manage_labels"}, ReadOnly: true},
			[]string{"read_messages", "search_messages"}, ""},
		{"unknown toolset", tools.Selection{Toolsets: []string{"mesages"}}, nil, `toolset "mesages" is not known: use all, threads, messages`},
		{"unknown tool", tools.Selection{Tools: []string{"send"}}, nil, `tool "send" is not known: use list_threads`},
		{"unknown exclusion", tools.Selection{Exclude: []string{"send"}}, nil, `tool "send" is not known`},
		{"nothing left", tools.Selection{Toolsets: []string{"labels"}, ReadOnly: true}, nil, "leaves no tool"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tools.Select(all, tt.sel)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			gotNames := toolNames(got)
			if tt.want == nil {
				tt.want = slices.DeleteFunc(tools.ToolNames(), func(n string) bool { return slices.Contains(tt.sel.Exclude, n) })
			}
			slices.Sort(gotNames)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(gotNames, want) {
				t.Fatalf("selected %v, want %v", gotNames, want)
			}
		})
	}
}
