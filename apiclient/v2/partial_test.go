package v2

import (
	"errors"
	"reflect"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
)

// TestUpdateProspectPartlyApplied: an update is a PATCH and one request per tag; when one
// fails after others went through, the error says exactly what was applied and what was
// not. Nothing applied is a plain error; a failed read-back (of a tag given by name) after
// everything was applied leaves nothing to do.
func TestUpdateProspectPartlyApplied(t *testing.T) {
	srv := startSim(t, inboxsim.Options{})
	c, _ := newClient(t, target{name: "simulator", baseURL: srv.V2URL(), token: srv.Token}, Options{}, apiclient.Config{Retry: apiclient.RetryPolicy{Attempts: 1}})
	b := NewBackend(c)
	ctx := testCtx(t)
	page, err := b.ListThreads(ctx, inbox.ThreadQuery{View: inbox.ViewDefault}, "", 1)
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("threads: %v", err)
	}
	id := page.Items[0].Prospect.ID
	tags, err := b.Tags(ctx)
	if err != nil || len(tags) < 3 {
		t.Fatalf("tags: %d, %v", len(tags), err)
	}
	statuses, err := b.Statuses(ctx)
	if err != nil || len(statuses) == 0 {
		t.Fatalf("statuses: %v", err)
	}
	t1, t2, t3 := tags[0].ID, tags[1].ID, tags[2].ID
	status := inbox.Set(statuses[0].ID)

	for _, tt := range []struct {
		name          string
		faults        inboxsim.Faults
		u             inbox.ContextUpdate
		applied, rest inbox.ContextUpdate
		plain         bool // nothing was applied: a plain error
	}{
		{"a removal fails", inboxsim.Faults{ErrorRate: 1, Methods: []string{"DELETE"}, PathContains: "/contacts/" + id + "/tags/" + t3},
			inbox.ContextUpdate{Status: status, AddTags: []string{t1}, RemoveTags: []string{t2, t3}},
			inbox.ContextUpdate{Status: status, AddTags: []string{t1}, RemoveTags: []string{t2}},
			inbox.ContextUpdate{RemoveTags: []string{t3}}, false},
		{"an addition fails", inboxsim.Faults{ErrorRate: 1, Methods: []string{"PUT"}, PathContains: "/contacts/" + id + "/tags/" + t2},
			inbox.ContextUpdate{Status: status, AddTags: []string{t1, t2}, RemoveTags: []string{t3}},
			inbox.ContextUpdate{Status: status, AddTags: []string{t1}},
			inbox.ContextUpdate{AddTags: []string{t2}, RemoveTags: []string{t3}}, false},
		{"the first tag fails, no fields", inboxsim.Faults{ErrorRate: 1, Methods: []string{"PUT"}, PathContains: "/contacts/" + id + "/tags/"},
			inbox.ContextUpdate{AddTags: []string{t1}}, inbox.ContextUpdate{}, inbox.ContextUpdate{}, true},
		// Only a tag given by name has the record read back (its ID is the API's to say).
		{"the read-back fails", inboxsim.Faults{ErrorRate: 1, Methods: []string{"GET"}, PathContains: "/contacts/" + id},
			inbox.ContextUpdate{Status: status, AddTags: []string{tags[0].Name}},
			inbox.ContextUpdate{Status: status, AddTags: []string{tags[0].Name}}, inbox.ContextUpdate{}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv.Sim.SetFaults(tt.faults)
			defer srv.Sim.SetFaults(inboxsim.Faults{})
			_, err := b.UpdateProspect(ctx, inbox.Prospect{ID: id}, tt.u)
			var pe *inbox.PartialUpdateError
			switch {
			case err == nil:
				t.Fatal("no error")
			case tt.plain:
				if errors.As(err, &pe) {
					t.Fatalf("nothing was applied, yet %v", pe)
				}
			case !errors.As(err, &pe):
				t.Fatalf("%v; want a PartialUpdateError", err)
			case !reflect.DeepEqual(pe.Applied, tt.applied) || !reflect.DeepEqual(pe.Rest, tt.rest) || !isServer(pe.Err):
				t.Fatalf("applied %+v, rest %+v, err %v; want applied %+v, rest %+v", pe.Applied, pe.Rest, pe.Err, tt.applied, tt.rest)
			}
		})
	}
}
