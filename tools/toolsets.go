package tools

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/mark3labs/mcp-go/server"
)

// Toolset is a named group of tools an operator offers or leaves out together.
type Toolset struct {
	Name        string
	Description string
	Tools       []string
}

// Toolsets are the groups --toolsets chooses from, each with its tools in the order of
// [All]. Each tool names its toolset in its definition, so every tool is in exactly one,
// and a toolset name always means the same tools.
var Toolsets = withTools([]Toolset{
	{Name: "threads", Description: "find, read and organize threads"},
	{Name: "messages", Description: "read, search and send messages"},
	{Name: "prospects", Description: "change prospects' tags, status, notes and assignee"},
	{Name: "labels", Description: "create, rename, recolor and delete tags and statuses"},
	{Name: "directory", Description: "the team's tags, statuses, members and accounts"},
	{Name: "workflows", Description: "several steps in one call"},
})

// withTools fills in each toolset's tools from the definitions. A tool whose toolset is not
// in sets is a programming error the tests catch at once.
func withTools(sets []Toolset) []Toolset {
	for _, d := range definitions {
		i := slices.IndexFunc(sets, func(s Toolset) bool { return s.Name == d.Toolset })
		if i < 0 {
			panic("tools: " + d.Name + " names toolset " + strconv.Quote(d.Toolset) + ", which is not declared")
		}
		sets[i].Tools = append(sets[i].Tools, d.Name)
	}
	return sets
}

// AllToolsets is the toolset name that stands for every tool.
const AllToolsets = "all"

// Selection is the operator's choice of tools: named toolsets and tools, minus exclusions,
// minus every tool that changes something when ReadOnly is set. With neither Toolsets nor
// Tools given, every tool is selected.
type Selection struct {
	Toolsets []string
	Tools    []string
	Exclude  []string
	ReadOnly bool
}

// ToolNames lists the name of every tool, in toolset order.
func ToolNames() []string {
	var out []string
	for _, ts := range Toolsets {
		out = append(out, ts.Tools...)
	}
	return out
}

// ToolsetNames lists the toolset names --toolsets accepts.
func ToolsetNames() []string {
	out := []string{AllToolsets}
	for _, ts := range Toolsets {
		out = append(out, ts.Name)
	}
	return out
}

// Check reports the first unknown toolset or tool name in s, with the valid names, so that
// a misspelt flag stops the server at start instead of silently offering other tools.
func (s Selection) Check() error {
	sets := ToolsetNames()
	for _, n := range s.Toolsets {
		if !slices.Contains(sets, n) {
			return fmt.Errorf("toolset %q is not known: use %s", n, strings.Join(sets, ", "))
		}
	}
	names := ToolNames()
	for _, list := range [][]string{s.Tools, s.Exclude} {
		for _, n := range list {
			if !slices.Contains(names, n) {
				return fmt.Errorf("tool %q is not known: use %s", n, strings.Join(names, ", "))
			}
		}
	}
	return nil
}

// Select keeps the tools of ts that s selects, in ts's order. Read-only mode goes by each
// tool's annotations, so a tool that changes data can never slip into a read-only server by
// being named. It fails on unknown names and on a selection that leaves no tool.
func Select(ts []server.ServerTool, s Selection) ([]server.ServerTool, error) {
	if err := s.Check(); err != nil {
		return nil, err
	}
	want := map[string]bool{}
	if len(s.Toolsets) == 0 && len(s.Tools) == 0 {
		for _, t := range ts {
			want[t.Tool.Name] = true
		}
	}
	for _, n := range s.Toolsets {
		for _, set := range Toolsets {
			if n == AllToolsets || n == set.Name {
				for _, name := range set.Tools {
					want[name] = true
				}
			}
		}
	}
	for _, n := range s.Tools {
		want[n] = true
	}
	for _, n := range s.Exclude {
		delete(want, n)
	}
	var out []server.ServerTool
	for _, t := range ts {
		if want[t.Tool.Name] {
			out = append(out, t)
		}
	}
	if s.ReadOnly {
		out = ReadOnly(out)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the tool selection leaves no tool to offer: name a toolset (%s) or tools with --toolsets / --tools, and exclude fewer", strings.Join(ToolsetNames(), ", "))
	}
	return out, nil
}
