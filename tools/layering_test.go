package tools

import (
	"go/build"
	"path/filepath"
	"strings"
	"testing"
)

// The MCP layer knows the model (package inbox), never the transport: errors reach it in
// the model's kinds, and nothing it builds on may import apiclient either. The check reads
// only import clauses (go/build), so it is fast and needs no toolchain run.
func TestMCPLayerDoesNotImportTransport(t *testing.T) {
	const module = "github.com/inbox-mcp/inbox-mcp"
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{} // import path -> the package that first imported it
	var visit func(path, from string)
	visit = func(path, from string) {
		if _, ok := seen[path]; ok {
			return
		}
		seen[path] = from
		if path == module+"/apiclient" || strings.HasPrefix(path, module+"/apiclient/") {
			chain := path
			for p := from; p != ""; p = seen[p] {
				chain = p + " -> " + chain
			}
			t.Errorf("the MCP layer imports the transport: %s; classify errors with the kinds of package inbox instead", chain)
			return
		}
		pkg, err := build.Default.ImportDir(filepath.Join(root, strings.TrimPrefix(path, module)), 0)
		if err != nil {
			t.Fatalf("reading the imports of %s: %v", path, err)
		}
		for _, imp := range pkg.Imports {
			if imp == module || strings.HasPrefix(imp, module+"/") {
				visit(imp, path)
			}
		}
	}
	for _, pkg := range []string{"tools", "resources", "prompts"} {
		visit(module+"/"+pkg, "")
	}
	if len(seen) < 5 {
		t.Fatalf("only %d packages visited (%v): the walk is broken", len(seen), seen)
	}
}
