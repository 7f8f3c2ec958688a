package tools

import (
	"net/url"
	"slices"

	"github.com/mark3labs/mcp-go/server"
)

// definitions are the tools, in the order of the full tool list and of the instructions'
// "How the tools fit". Each is declared beside its handler; everything that lists tools is
// derived from this list.
var definitions = []*Def{
	listThreadsTool,
	readMessagesTool,
	getThreadTool,
	lookupThreadTool,
	getDirectoryTool,
	triageDigestTool,
	searchMessagesTool,
	sendReplyTool,
	updateProspectTool,
	bulkUpdateTool,
	manageThreadTool,
	manageLabelsTool,
}

// Definitions lists every tool's definition, in the order of [All].
func Definitions() []*Def { return slices.Clone(definitions) }

// All lists every tool bound to env, in the order tools/list shows them. Whether a tool only
// reads is in its annotations, so read-only mode and toolsets filter this list as data.
func All(env *Env) []server.ServerTool {
	out := make([]server.ServerTool, len(definitions))
	for i, d := range definitions {
		out[i] = d.ServerTool(env)
	}
	return out
}

// ReadOnly keeps the tools annotated read-only.
func ReadOnly(ts []server.ServerTool) []server.ServerTool {
	var out []server.ServerTool
	for _, t := range ts {
		if h := t.Tool.Annotations.ReadOnlyHint; h != nil && *h {
			out = append(out, t)
		}
	}
	return out
}

// Resource URIs the tools report changes to, and the resources package serves.
const (
	TranscriptTemplate = "inbox://threads/{threadId}/transcript"
	ProspectTemplate   = "inbox://prospects/{prospectId}"
	DirectoryPrefix    = "inbox://directory/"
)

// TranscriptURI is the transcript resource of a thread.
func TranscriptURI(threadID string) string {
	return "inbox://threads/" + url.PathEscape(threadID) + "/transcript"
}

// ProspectURI is the profile resource of a prospect.
func ProspectURI(prospectID string) string {
	return "inbox://prospects/" + url.PathEscape(prospectID)
}

// DirectoryURI is one of the directory resources: tags, statuses, members or accounts.
func DirectoryURI(kind string) string { return DirectoryPrefix + kind }
