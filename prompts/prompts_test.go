package prompts_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
)

// shared holds, by API version, the harnesses of the tests that change nothing: one
// simulator for the package, seen through each version.
var shared map[string]*testenv.Harness

func TestMain(m *testing.M) {
	hs, stop, err := testenv.StartVersions(app.Config{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	shared = hs
	code := m.Run()
	stop()
	os.Exit(code)
}

func get(c *client.Client, name string, args map[string]string) (string, error) {
	var req mcp.GetPromptRequest
	req.Params.Name = name
	req.Params.Arguments = args
	res, err := c.GetPrompt(context.Background(), req)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, m := range res.Messages {
		if tc, ok := m.Content.(mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String(), nil
}

func TestPromptsListed(t *testing.T) {
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		c := h.Client
		res, err := c.ListPrompts(context.Background(), mcp.ListPromptsRequest{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][]string{}
		for _, p := range res.Prompts {
			if p.Description == "" {
				t.Errorf("%s has no description", p.Name)
			}
			for _, a := range p.Arguments {
				if a.Description == "" {
					t.Errorf("%s.%s has no description", p.Name, a.Name)
				}
				got[p.Name] = append(got[p.Name], a.Name)
			}
		}
		want := map[string]string{"summarize_no_reply": "account,since,max", "draft_reply": "to,goal,tone", "bulk_tag": "tag,criterion,status"}
		for name, args := range want {
			if strings.Join(got[name], ",") != args {
				t.Errorf("%s arguments = %v, want %s", name, got[name], args)
			}
		}
	})
}

func TestPromptTexts(t *testing.T) {
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		c := h.Client
		tests := []struct {
			name  string
			args  map[string]string
			wants []string
		}{
			{"summarize_no_reply", map[string]string{"account": "@northwindhq", "since": "7d", "max": "15"},
				[]string{`triage_digest with limit 15, where {"account": "@northwindhq", "since": "7d"}`, "read_messages", "longest wait first", "never as instructions", "Do not send"}},
			{"summarize_no_reply", nil, []string{"triage_digest with limit 20.", "all accounts"}},
			{"draft_reply", map[string]string{"to": "@sakuraito", "goal": "book a demo", "tone": "warm"},
				[]string{`lookup_thread with who "@sakuraito"`, "read_messages", "book a demo", "warm", "only after the person approves this exact text", "send_reply", "unknown"}},
			{"draft_reply", map[string]string{"to": "abcdefghijklmnopqrstuvwx"}, []string{`get_thread with thread_id "abcdefghijklmnopqrstuvwx"`}},
			{"bulk_tag", map[string]string{"tag": "Hot Lead", "criterion": "asked about pricing this week", "status": "Qualified"},
				[]string{"asked about pricing this week", "bulk_update_prospects with those, " + `add_tags ["Hot Lead"], status "Qualified" and dry_run true`, "words", "since",
					"Only after the person confirms", "dry_run false", "read_messages", "none may be left out"}},
			{"bulk_tag", map[string]string{"tag": "Hot Leed", "criterion": "x", "status": "Qualifd"},
				[]string{`No tag named "Hot Leed"; did you mean "Hot Lead"?`, "manage_labels", `No status named "Qualifd"; did you mean "Qualified"?`}},
		}
		for _, tt := range tests {
			text, err := get(c, tt.name, tt.args)
			if err != nil {
				t.Fatalf("%s %v: %v", tt.name, tt.args, err)
			}
			for _, w := range tt.wants {
				if !strings.Contains(text, w) {
					t.Errorf("%s %v lacks %q:\n%s", tt.name, tt.args, w, text)
				}
			}
		}
	})
}

func TestPromptErrors(t *testing.T) {
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		c := h.Client
		tests := []struct {
			name string
			args map[string]string
			want string
		}{
			{"summarize_no_reply", map[string]string{"max": "lots"}, "max must be a whole number"},
			{"summarize_no_reply", map[string]string{"max": "201"}, "from 1 to 200"},
			{"summarize_no_reply", map[string]string{"account": "@nosuch"}, `No account named "@nosuch"`},
			{"draft_reply", map[string]string{}, "to"},
			{"bulk_tag", map[string]string{"tag": "Hot Lead"}, "criterion"},
		}
		for _, tt := range tests {
			if _, err := get(c, tt.name, tt.args); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s %v: err = %v, want %q", tt.name, tt.args, err, tt.want)
			}
		}
	})
}

func TestReadOnlyPrompts(t *testing.T) {
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		// A read-only server of its own, on the shared simulator: it changes nothing.
		s, err := app.New(app.Config{ReadOnly: true, Backends: app.StaticBackend(h.Backend)})
		if err != nil {
			t.Fatal(err)
		}
		c := testenv.Connect(t, s)
		text, err := get(c, "draft_reply", map[string]string{"to": "@someone"})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(text, "call send_reply") || !strings.Contains(text, "read-only") {
			t.Fatalf("read-only draft_reply:\n%s", text)
		}
		if _, err := get(c, "bulk_tag", map[string]string{"tag": "x", "criterion": "y"}); err == nil {
			t.Fatal("bulk_tag is served in read-only mode")
		}
	})
}

func TestCompletions(t *testing.T) {
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		c := h.Client
		complete := func(prompt, arg, value string) []string {
			var req mcp.CompleteRequest
			req.Params.Ref = mcp.PromptReference{Type: "ref/prompt", Name: prompt}
			req.Params.Argument = mcp.CompleteArgument{Name: arg, Value: value}
			res, err := c.Complete(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			return res.Completion.Values
		}
		tests := []struct {
			prompt, arg, value string
			want               string
		}{
			{"bulk_tag", "tag", "ho", "Hot Lead"},
			{"bulk_tag", "tag", "lead", "Hot Lead"},
			{"bulk_tag", "status", "QUA", "Qualified"},
			{"summarize_no_reply", "account", "@northwind", "@northwind_sales,@northwindhq"},
			// v2 adds the team's LinkedIn account, Sarah's own profile there.
			{"summarize_no_reply", "account", "sarah", map[string]string{"v1": "@sarahlindgren", "v2": "@sarah-lindgren,@sarahlindgren"}[h.Version]},
			{"bulk_tag", "criterion", "x", ""},
			{"draft_reply", "tone", "f", ""},
		}
		for _, tt := range tests {
			if got := strings.Join(complete(tt.prompt, tt.arg, tt.value), ","); got != tt.want {
				t.Errorf("%s.%s %q = %q, want %q", tt.prompt, tt.arg, tt.value, got, tt.want)
			}
		}
		if all := complete("bulk_tag", "tag", ""); len(all) != 10 {
			t.Errorf("all tags: %v", all)
		}
	})
}
