package bench

import (
	"context"
	"fmt"

	"github.com/inbox-mcp/inbox-mcp/tools"
)

// WordsTag is the tag the bulk-tag-by-words task adds, and WordsQuery the word it looks for.
const (
	WordsTag   = "Asked about pricing"
	WordsQuery = "pricing"
)

// bulkTagByWords tags everyone whose messages mention WordsQuery, in every folder: a dry run,
// then the run, as the tool asks a model to. Its minimum is the listing pages of both passes,
// one message read per thread and one write per changed prospect (Fixtures.WordsMinimum).
func bulkTagByWords(ctx context.Context, e *Env) (string, error) {
	args := map[string]any{"where": map[string]any{"inbox": "all"}, "words": []string{WordsQuery},
		"add_tags": []string{WordsTag}, "dry_run": true}
	var dry tools.BulkResult
	if err := e.Session.CallInto(ctx, tools.NameBulkUpdate, args, &dry); err != nil {
		return "", err
	}
	if dry.Matched == 0 || dry.Changed != dry.Matched {
		return "", fmt.Errorf("the dry run matched %d prospects, %d to change: %s", dry.Matched, dry.Changed, dry.Selected)
	}
	delete(args, "dry_run")
	var r tools.BulkResult
	if err := e.Session.CallInto(ctx, tools.NameBulkUpdate, args, &r); err != nil {
		return "", err
	}
	if r.Status != "" || r.Changed != dry.Changed || r.Failed > 0 {
		return "", fmt.Errorf("bulk_update_prospects: status %q, changed %d of %d (failed %d)", r.Status, r.Changed, dry.Changed, r.Failed)
	}
	e.minimum = e.Fixtures.WordsMinimum(r.Changed)
	return fmt.Sprintf("%d prospects tagged out of %d threads in all folders", r.Changed, e.Fixtures.AllThreads), nil
}
