package v1_test

import (
	"context"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// TestUpdateProspectOneRequest: v1 changes tags and fields in one PATCH whose answer is the
// record, so an update is exactly one request, with nothing read back.
func TestUpdateProspectOneRequest(t *testing.T) {
	b, srv := simBackend(t)
	ctx := context.Background()
	th, _ := threadOnOneAccount(t, b)
	tags, err := b.Tags(ctx)
	if err != nil || len(tags) < 2 {
		t.Fatalf("tags: %d, %v", len(tags), err)
	}
	for _, u := range []inbox.ContextUpdate{
		{AddTags: []string{tags[0].ID}},
		{AddTags: []string{tags[1].ID}, RemoveTags: []string{tags[0].ID}, Notes: inbox.Set("Call on Monday.")},
	} {
		before := srv.Sim.Stats().Requests
		if _, err := b.UpdateProspect(ctx, th.Prospect, u); err != nil {
			t.Fatal(err)
		}
		if n := srv.Sim.Stats().Requests - before; n != 1 {
			t.Errorf("update %+v made %d requests; want 1", u, n)
		}
	}
}
