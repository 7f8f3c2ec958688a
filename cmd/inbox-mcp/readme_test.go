package main

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	inboxserver "github.com/inbox-mcp/inbox-mcp/internal/server"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
)

// The README is what a new user reads first; these tests keep it true to the code: every
// tool, resource, prompt and flag the server has is documented, and the commands it gives
// are the ones CI runs. cmd/inbox-sim checks the simulator's flags the same way.

func TestReadmeDocumentsTheServer(t *testing.T) {
	readme := testenv.RepoFile(t, "README.md")
	// Built as the binary builds it; listing needs no API, which the address cannot reach.
	srv, err := inboxserver.New(context.Background(), inboxserver.Config{API: inboxserver.API{URL: "http://127.0.0.1:9/api/v1"}, Key: "unused"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	cl, err := client.NewInProcessClient(srv.MCP)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := cl.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if _, err := cl.Initialize(ctx, mcp.InitializeRequest{}); err != nil {
		t.Fatal(err)
	}
	var names []string
	tools, err := cl.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range tools.Tools {
		names = append(names, tool.Name)
		// The "Changes data" column says what the tool's read-only hint says.
		readOnly := tool.Annotations.ReadOnlyHint != nil && *tool.Annotations.ReadOnlyHint
		row := "| `" + tool.Name + "` | "
		if strings.Contains(readme, row) && strings.Contains(readme, row+"no |") != readOnly {
			t.Errorf("README's row for %s says it changes data: %v; its read-only hint: %v", tool.Name, !strings.Contains(readme, row+"no |"), readOnly)
		}
	}
	templates, err := cl.ListResourceTemplates(ctx, mcp.ListResourceTemplatesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, rt := range templates.ResourceTemplates {
		names = append(names, rt.URITemplate.Raw())
	}
	resources, err := cl.ListResources(ctx, mcp.ListResourcesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range resources.Resources {
		names = append(names, r.URI)
	}
	prompts, err := cl.ListPrompts(ctx, mcp.ListPromptsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range prompts.Prompts {
		names = append(names, p.Name)
		for _, a := range p.Arguments {
			if !strings.Contains(readme, "`"+a.Name+"`") {
				t.Errorf("README does not document argument %s of prompt %s", a.Name, p.Name)
			}
		}
	}
	if len(tools.Tools) < 5 || len(templates.ResourceTemplates) < 2 || len(prompts.Prompts) < 3 {
		t.Fatalf("the server lists %d tools, %d templates, %d prompts: fewer than it should", len(tools.Tools), len(templates.ResourceTemplates), len(prompts.Prompts))
	}
	for _, n := range names {
		if !strings.Contains(readme, "| `"+n+"` |") {
			t.Errorf("README has no table row for `%s`", n)
		}
	}
}

func TestReadmeDocumentsTheFlags(t *testing.T) {
	readme := testenv.Section(t, testenv.RepoFile(t, "README.md"), "## Configuration")
	var usage bytes.Buffer
	parseConfig([]string{"--help"}, func(string) string { return "" }, &usage)
	flags := testenv.FlagsIn(usage.String())
	if len(flags) < 10 {
		t.Fatalf("found only %v in the usage text", flags)
	}
	for _, f := range flags {
		if !strings.Contains(readme, "| `--"+f) {
			t.Errorf("README's configuration table lacks --%s", f)
		}
		if f != "version" && !strings.Contains(readme, "`"+flagEnv(f)+"`") {
			t.Errorf("README's configuration table lacks %s", flagEnv(f))
		}
	}
	if !strings.Contains(readme, "`INBOX_API_KEY`") {
		t.Error("README does not name INBOX_API_KEY")
	}
}

func TestReadmeCommandsAreCIs(t *testing.T) {
	readme := testenv.RepoFile(t, "README.md")
	ci := testenv.RepoFile(t, ".ci/run")
	// GOTOOLCHAIN=auto: go.mod names a patched Go that an older go command fetches; .ci/run
	// exports the same setting.
	for _, cmd := range []string{"GOTOOLCHAIN=auto go run ./cmd/inbox-mcp --demo", "GOTOOLCHAIN=auto go test -race -timeout 30m ./..."} {
		if !strings.Contains(readme, "```sh\n"+cmd+"\n```") {
			t.Errorf("README lacks the set-up command %q in a block of its own", cmd)
		}
	}
	if !regexp.MustCompile(`(?m)^go test -race -timeout 30m \./\.\.\.$`).MatchString(ci) || !strings.Contains(ci, "export GOTOOLCHAIN=auto") {
		t.Error(".ci/run does not run the README's test command `go test -race -timeout 30m ./...` as it stands")
	}
	if !strings.HasPrefix(ci, "#!/usr/bin/env bash") || !strings.Contains(ci, "set -euo pipefail") {
		t.Error(".ci/run is not a strict bash script")
	}
}

func TestClaudeDesktopExample(t *testing.T) {
	var cfg struct {
		MCPServers map[string]struct {
			Command string            `json:"command"`
			Args    []string          `json:"args"`
			Env     map[string]string `json:"env"`
		} `json:"mcpServers"`
	}
	if err := json.Unmarshal([]byte(testenv.RepoFile(t, "claude_desktop_config.example.json")), &cfg); err != nil {
		t.Fatal(err)
	}
	var demo, real bool
	for name, s := range cfg.MCPServers {
		if !strings.HasSuffix(s.Command, "inbox-mcp") {
			t.Errorf("%s runs %q", name, s.Command)
		}
		// Every entry must start: its arguments pass the server's own validation.
		getenv := func(k string) string { return s.Env[k] }
		if _, err := parseConfig(s.Args, getenv, &bytes.Buffer{}); err != nil {
			t.Errorf("%s would not start: %v", name, err)
		}
		switch {
		case len(s.Args) == 1 && s.Args[0] == "--demo" && len(s.Env) == 0:
			demo = true
		case s.Env["INBOX_API_KEY"] != "" && len(s.Args) == 0:
			real = true
		}
	}
	if !demo || !real {
		t.Errorf("want a demo entry and a real-key entry: demo %v, real %v", demo, real)
	}
}
