package untrusted_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/tools"
	"github.com/inbox-mcp/inbox-mcp/views"
)

// fragments are pieces of the simulator's seeded prompt injections (messages and a bio), as
// they read after sanitizing, lower case.
var fragments = []string{
	"ignore your previous instructions",
	"ignore all prior instructions",
	"ignore previous instructions",
	"contract_final",
	"please open it",
}

// injected is a seeded injection: the thread, and the message or bio that carries it.
type injected struct {
	thread inbox.Thread
	text   string // the raw text as the API holds it
	bio    bool
}

func hasFragment(s string) bool {
	low := strings.ToLower(views.Sanitize(s))
	return slices.ContainsFunc(fragments, func(f string) bool { return strings.Contains(low, f) })
}

// findInjections reads every thread and message of the seeded team from the API.
func findInjections(t *testing.T, b inbox.Backend) []injected {
	t.Helper()
	ctx := context.Background()
	var out []injected
	seen := map[string]bool{}
	for _, v := range []inbox.View{inbox.ViewDefault, inbox.ViewRequests, inbox.ViewArchived} {
		ts, _, err := inbox.Gather(ctx, "", 1<<20, func(ctx context.Context, c string, n int) (inbox.Page[inbox.Thread], error) {
			return b.ListThreads(ctx, inbox.ThreadQuery{View: v}, c, n)
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, th := range ts {
			if seen[th.ID] {
				continue
			}
			seen[th.ID] = true
			p, err := b.Prospect(ctx, th.Prospect.ID)
			if err != nil {
				t.Fatal(err)
			}
			if hasFragment(p.Bio) {
				out = append(out, injected{thread: th, text: p.Bio, bio: true})
			}
			ms, _, err := inbox.Gather(ctx, "", 1<<20, func(ctx context.Context, c string, n int) (inbox.Page[inbox.Message], error) {
				return b.ListMessages(ctx, th.ID, c, n)
			}, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				if m.Direction == inbox.Inbound && hasFragment(m.Content) {
					out = append(out, injected{thread: th, text: m.Content})
				}
			}
		}
	}
	return out
}

// output is one answer of the server: its text and, when there is one, its structure.
type output struct {
	what       string
	text       string
	structured any
}

// hidden lists the characters of s that can hide or reorder text (control characters,
// bidi controls, invisible and tag characters), which must never reach a model. The list is
// the test's own, not views', so a gap in the sanitizer shows here.
func hidden(s string) []string {
	var out []string
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
		case r < 0x20, r >= 0x7f && r <= 0x9f, r == 0xad, r == 0x61c, r == 0x180e,
			r >= 0x200b && r <= 0x200f, r >= 0x2028 && r <= 0x202e, r >= 0x2060 && r <= 0x2069,
			r == 0xfeff, r >= 0xfff9 && r <= 0xfffb, r >= 0xe0000 && r <= 0xe007f:
			out = append(out, fmt.Sprintf("U+%04X", r))
		}
	}
	return out
}

// checkText: prospect text only inside «…», under the note that says it is data, and no
// hidden characters anywhere.
func checkText(t *testing.T, o output) (found int) {
	t.Helper()
	if h := hidden(o.text); len(h) > 0 {
		t.Errorf("%s: hidden characters %v in the text", o.what, h)
	}
	low := strings.ToLower(o.text)
	for _, f := range fragments {
		for i := 0; ; {
			j := strings.Index(low[i:], f)
			if j < 0 {
				break
			}
			at := i + j
			open, close := strings.LastIndex(o.text[:at], views.Open), strings.LastIndex(o.text[:at], views.Close)
			next := strings.Index(o.text[at:], views.Close)
			if open < 0 || open < close || next < 0 || strings.Contains(o.text[at:at+next], views.Open) {
				t.Errorf("%s: %q is not inside «…» in the text:\n%s", o.what, f, excerpt(o.text, at))
			}
			found++
			i = at + len(f)
		}
	}
	if found > 0 && !strings.Contains(o.text, views.UntrustedNote) {
		t.Errorf("%s: prospect text without the note that it is data:\n%s", o.what, o.text)
	}
	return found
}

// checkStructured: every string holding prospect text sits in an object marked
// untrusted: true (itself or around it), and no string holds hidden characters.
func checkStructured(t *testing.T, o output) (found int) {
	t.Helper()
	var walk func(v any, path string, marked bool)
	walk = func(v any, path string, marked bool) {
		switch x := v.(type) {
		case map[string]any:
			m := marked || x["untrusted"] == true
			for k, c := range x {
				walk(c, path+"."+k, m)
			}
		case []any:
			for i, c := range x {
				walk(c, fmt.Sprintf("%s[%d]", path, i), marked)
			}
		case string:
			if h := hidden(x); len(h) > 0 {
				t.Errorf("%s: hidden characters %v at %s", o.what, h, path)
			}
			if hasFragment(x) {
				found++
				if !marked {
					t.Errorf("%s: prospect text at %s is not marked untrusted: %q", o.what, path, x)
				}
			}
		}
	}
	walk(o.structured, "$", false)
	return found
}

func excerpt(s string, at int) string {
	return s[max(0, at-120):min(len(s), at+120)]
}

// TestInjectionsStayData runs the simulator's prompt injections through every read tool,
// every resource and the prompts, over each Inbox API version: wherever they appear they are
// sanitized and marked as data; and reading them changes nothing.
func TestInjectionsStayData(t *testing.T) {
	hs, stop, err := testenv.StartVersions(app.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	for _, v := range testenv.Versions {
		t.Run(v, func(t *testing.T) { injectionsStayData(t, hs[v]) })
	}
}

func injectionsStayData(t *testing.T, h *testenv.Harness) {
	inj := findInjections(t, h.Backend)
	var msgs, bios, bidi int
	for _, i := range inj {
		switch {
		case i.bio:
			bios++
		default:
			msgs++
		}
		if strings.ContainsRune(i.text, '\u202e') {
			bidi++
		}
	}
	if msgs < 4 || bios < 1 || bidi < 1 {
		t.Fatalf("found %d injected messages, %d bios, %d with bidi overrides in the seed: not enough to test with", msgs, bios, bidi)
	}
	before := state(t, h.Backend)

	var outs []output
	call := func(tool string, args map[string]any) {
		t.Helper()
		res := h.Call(t, tool, args)
		if res.IsError {
			t.Fatalf("%s %v: %s", tool, args, testenv.Text(res))
		}
		outs = append(outs, output{what: fmt.Sprintf("%s %v", tool, args), text: testenv.Text(res), structured: structured(t, res.StructuredContent)})
	}
	read := func(uri string) {
		t.Helper()
		res, err := h.Client.ReadResource(context.Background(), mcp.ReadResourceRequest{Params: mcp.ReadResourceParams{URI: uri}})
		if err != nil {
			t.Fatalf("%s: %v", uri, err)
		}
		for _, c := range res.Contents {
			tc := c.(mcp.TextResourceContents)
			o := output{what: uri, text: tc.Text}
			if tc.MIMEType == "application/json" {
				o.structured, o.text = structured(t, json.RawMessage(tc.Text)), ""
			}
			outs = append(outs, o)
		}
	}
	for _, v := range []string{"default", "no-reply", "requests", "archived"} {
		call(tools.NameListThreads, map[string]any{"inbox": v, "limit": 500})
	}
	call(tools.NameTriageDigest, map[string]any{"limit": 200})
	call(tools.NameSearchMessages, map[string]any{"words": []any{"instructions", "contract"}, "where": map[string]any{"since": "3650d"}, "max_threads": 1000})
	call(tools.NameBulkUpdate, map[string]any{"where": map[string]any{"since": "3650d"}, "words": []any{"instructions", "contract"}, "add_tags": []any{"Hot Lead"}, "dry_run": true})
	call(tools.NameGetDirectory, map[string]any{})
	for _, i := range inj {
		th := i.thread
		call(tools.NameGetThread, map[string]any{"thread_id": th.ID})
		call(tools.NameReadMessages, map[string]any{"thread_id": th.ID})
		call(tools.NameLookupThread, map[string]any{"who": "@" + th.Prospect.Username})
		read(tools.TranscriptURI(th.ID))
		read(tools.ProspectURI(th.Prospect.ID))
		for _, p := range []struct {
			name string
			args map[string]string
		}{{"draft_reply", map[string]string{"to": th.ID}}, {"draft_reply", map[string]string{"to": "@" + th.Prospect.Username}}, {"summarize_no_reply", nil}} {
			res, err := h.Client.GetPrompt(context.Background(), mcp.GetPromptRequest{Params: mcp.GetPromptParams{Name: p.name, Arguments: p.args}})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range res.Messages {
				outs = append(outs, output{what: "prompt " + p.name, text: m.Content.(mcp.TextContent).Text})
			}
		}
	}
	for _, kind := range []string{"tags", "statuses", "members", "accounts"} {
		read(tools.DirectoryURI(kind))
	}

	inText, inStructure := 0, 0
	for _, o := range outs {
		inText += checkText(t, o)
		if o.structured != nil {
			inStructure += checkStructured(t, o)
		}
	}
	// Every injection was seen somewhere, or the checks above proved nothing about it.
	for _, i := range inj {
		clean := strings.ToLower(views.Sanitize(i.text))
		seen := slices.ContainsFunc(outs, func(o output) bool {
			return strings.Contains(strings.ToLower(o.text), clean) || (o.structured != nil && strings.Contains(strings.ToLower(jsonString(o.structured)), jsonEscaped(clean)))
		})
		if !seen {
			t.Errorf("the injection %q of thread %s reached no output in full", i.text, i.thread.ID)
		}
	}
	if inText < len(inj) || inStructure < len(inj) {
		t.Fatalf("injections seen %d times in text and %d in structured content, for %d injections", inText, inStructure, len(inj))
	}
	if after := state(t, h.Backend); after != before {
		t.Fatal("reading the injections changed the Inbox")
	}
}

// structured decodes structured content into plain JSON values.
func structured(t *testing.T, v any) any {
	t.Helper()
	if v == nil {
		return nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// jsonEscaped is s as it appears inside a JSON string.
func jsonEscaped(s string) string {
	b, _ := json.Marshal(s)
	return strings.ToLower(string(b[1 : len(b)-1]))
}

// state fingerprints what a tool could change: every thread's messages, tags, status,
// assignee and archived flag.
func state(t *testing.T, b inbox.Backend) string {
	t.Helper()
	var sb strings.Builder
	for _, v := range []inbox.View{inbox.ViewDefault, inbox.ViewRequests, inbox.ViewArchived} {
		ts, _, err := inbox.Gather(context.Background(), "", 1<<20, func(ctx context.Context, c string, n int) (inbox.Page[inbox.Thread], error) {
			return b.ListThreads(ctx, inbox.ThreadQuery{View: v}, c, n)
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, th := range ts {
			last := ""
			if th.LastMessage != nil {
				last = th.LastMessage.ID
			}
			c := th.Prospect.Context
			fmt.Fprintf(&sb, "%s %s %v %s %s %s %v\n", th.ID, last, c.TagIDs, c.StatusID, c.AssigneeID, th.AssigneeID, th.Done)
		}
	}
	return sb.String()
}
