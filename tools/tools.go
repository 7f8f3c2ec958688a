package tools

import (
	"net/url"

	"github.com/mark3labs/mcp-go/server"
)

// All lists every tool, in the order tools/list shows them. Whether a tool only reads is in
// its annotations, so read-only mode and later tool sets filter this list as data.
func All(env *Env) []server.ServerTool {
	return []server.ServerTool{
		ListThreads(env),
		ReadMessages(env),
		GetThread(env),
		LookupThread(env),
		GetDirectory(env),
		TriageDigest(env),
		SearchMessages(env),
		SendReply(env),
		UpdateProspectContext(env),
		BulkUpdateProspects(env),
		ManageThread(env),
		ManageLabels(env),
	}
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
