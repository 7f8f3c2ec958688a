package v2

import (
	"maps"
	"slices"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
)

// TestUpdateProspectNoReadBack: a successful update makes exactly its write requests (a
// PATCH answers with the contact, a tag call with 204) and reads nothing back; the record
// it returns is the one a later read sees. Only a tag given by name is read back, since
// only the API knows its ID.
func TestUpdateProspectNoReadBack(t *testing.T) {
	srv := startSim(t, inboxsim.Options{})
	c, st := newClient(t, target{name: "simulator", baseURL: srv.V2URL(), token: srv.Token}, Options{}, apiclient.Config{})
	b := NewBackend(c)
	ctx := testCtx(t)
	page, err := b.ListThreads(ctx, inbox.ThreadQuery{View: inbox.ViewDefault}, "", 1)
	if err != nil || len(page.Items) == 0 || page.Items[0].Prospect.ID == "" {
		t.Fatalf("threads: %v", err)
	}
	tags, err := b.Tags(ctx)
	if err != nil || len(tags) < 3 {
		t.Fatalf("tags: %d, %v", len(tags), err)
	}
	statuses, err := b.Statuses(ctx)
	if err != nil || len(statuses) == 0 {
		t.Fatalf("statuses: %v", err)
	}
	const (
		put   = "PUT /contacts/{contactId}/tags/{tagRef}"
		del   = "DELETE /contacts/{contactId}/tags/{tagRef}"
		patch = "PATCH /contacts/{contactId}"
		get   = "GET /contacts/{contactId}"
	)
	p := page.Items[0].Prospect
	for _, tt := range []struct {
		name string
		u    inbox.ContextUpdate
		want map[string]int
	}{
		{"tags alone", inbox.ContextUpdate{AddTags: []string{tags[0].ID, tags[1].ID}, RemoveTags: []string{tags[2].ID}},
			map[string]int{put: 2, del: 1}},
		{"a tag removed", inbox.ContextUpdate{RemoveTags: []string{tags[0].ID}}, map[string]int{del: 1}},
		{"fields and a tag", inbox.ContextUpdate{AddTags: []string{tags[2].ID}, Status: inbox.Set(statuses[0].ID), Notes: inbox.Set("Call on Monday.")},
			map[string]int{patch: 1, put: 1}},
		{"fields alone", inbox.ContextUpdate{Notes: inbox.Clear[string](), Status: inbox.Clear[string]()}, map[string]int{patch: 1}},
		{"a tag by name", inbox.ContextUpdate{AddTags: []string{tags[0].Name}}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := st.exercised()
			np, err := b.UpdateProspect(ctx, p, tt.u)
			if err != nil {
				t.Fatal(err)
			}
			after := st.exercised()
			made := map[string]int{}
			for op, n := range after {
				if d := n - before[op]; d > 0 {
					made[op] = d
				}
			}
			switch {
			case tt.want == nil && made[get] != 1:
				t.Errorf("requests %v; want the record read back once", made)
			case tt.want != nil && !maps.Equal(made, tt.want):
				t.Errorf("requests %v; want %v and no read-back", made, tt.want)
			}
			read, err := b.Prospect(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			got, want := np.Context, read.Context
			slices.Sort(got.TagIDs)
			slices.Sort(want.TagIDs)
			if !slices.Equal(got.TagIDs, want.TagIDs) || got.StatusID != want.StatusID || got.Notes != want.Notes ||
				got.AssigneeID != want.AssigneeID || np.ID != read.ID || np.Username != read.Username || np.DisplayName != read.DisplayName {
				t.Errorf("returned %+v (%s @%s); the record reads %+v (%s @%s)", np.Context, np.DisplayName, np.Username,
					read.Context, read.DisplayName, read.Username)
			}
			p = np
		})
	}
}
