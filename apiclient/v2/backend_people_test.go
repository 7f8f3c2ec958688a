package v2

import (
	"slices"
	"strings"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// People: contacts read and patched, and found by username or by ID, over the scripted server.

func TestBackendPeople(t *testing.T) {
	b, s := scriptedBackend(t)
	ctx := testCtx(t)
	p, err := b.Prospect(ctx, sarahID)
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != sarahID || p.Username != "sarahchen" || len(p.Threads) != 2 || p.Threads[0] != (inbox.ThreadRef{ID: thSarahID, AccountID: xAccountID, LastMessageAt: mustTime(at)}) {
		t.Errorf("Prospect = %+v", p)
	}
	if q := encoded(s.requests("GET /threads")[0]); q != "contactId="+sarahID+"&folder=all&limit=100" {
		t.Errorf("threads of a contact: %q", q)
	}

	found, err := b.LookupProspect(ctx, omarLiID)
	if err != nil || found == nil || found.ID != omarID || found.Platform != "linkedin" || found.PlatformID != omarLiID {
		t.Errorf("LookupProspect(linkedin) = %+v, %v", found, err)
	}
	if q := encoded(s.requests("GET /contacts")[1]); q != "limit=1&platform=linkedin&platformId="+omarLiID {
		t.Errorf("lookup query %q", q)
	}
	if none, err := b.LookupProspect(ctx, "404404404"); none != nil || err != nil {
		t.Errorf("LookupProspect(unknown) = %+v, %v; want nil, nil", none, err)
	}

	before := len(s.requests(""))
	if _, err := b.UpdateProspect(ctx, inbox.Prospect{}, inbox.ContextUpdate{Notes: inbox.Set("x")}); err == nil || !strings.Contains(err.Error(), "send them a message first") {
		t.Errorf("update without a contact: %v", err)
	}
	if len(s.requests("")) != before {
		t.Error("an update without a contact made requests")
	}
	if _, err := b.UpdateProspect(ctx, inbox.Prospect{ID: sarahID}, inbox.ContextUpdate{AddTags: []string{pricingID}, RemoveTags: []string{hotLeadID},
		Status: inbox.Set(qualifiedID), Notes: inbox.Clear[string](), Valuation: inbox.Set(500.5), Assignee: inbox.Clear[string]()}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.UpdateProspect(ctx, inbox.Prospect{ID: sarahID}, inbox.ContextUpdate{AddTags: []string{"Hot Lead"}}); err != nil {
		t.Fatal(err)
	}
	patches := s.requests("PATCH /contacts/{contactId}")
	if len(patches) != 1 || patches[0].body != `{"status":"`+qualifiedID+`","notes":null,"valuation":500.5,"assigneeId":null}` {
		t.Errorf("patches %+v", patches)
	}
	var tagCalls []string
	for _, c := range calls(s) {
		if strings.Contains(c, "/tags/") {
			tagCalls = append(tagCalls, c)
		}
	}
	want := []string{"PUT /contacts/" + sarahID + "/tags/" + pricingID, "DELETE /contacts/" + sarahID + "/tags/" + hotLeadID, "PUT /contacts/" + sarahID + "/tags/Hot%20Lead"}
	if !slices.Equal(tagCalls, want) {
		t.Errorf("tag calls %v, want %v", tagCalls, want)
	}
}

func TestBackendFindPeople(t *testing.T) {
	b, s := scriptedBackend(t)
	ctx := testCtx(t)
	ts, err := b.ThreadsWithUsername(ctx, "@SarahChen")
	if err != nil || len(ts) != 1 || ts[0].ID != thSarahID {
		t.Fatalf("ThreadsWithUsername = %+v, %v", ts, err)
	}
	if q := encoded(s.requests("GET /contacts")[0]); q != "limit=100&platform=twitter&username=SarahChen&username=sarahchen" {
		t.Errorf("contacts query %q", q)
	}
	if q := encoded(s.requests("GET /threads")[0]); q != "contactId="+sarahID+"&expand=profile&expand=contact&folder=all&limit=100" {
		t.Errorf("threads query %q", q)
	}
	ts, err = b.ThreadsWithUsername(ctx, "nobody")
	if err != nil || len(ts) != 0 {
		t.Errorf("ThreadsWithUsername(nobody) = %+v, %v", ts, err)
	}
	if q := encoded(s.requests("GET /threads")[1]); q != "expand=profile&expand=contact&folder=all&limit=100&q=nobody" {
		t.Errorf("search fallback query %q", q)
	}
	if _, err := b.ThreadsWithUsername(ctx, "@"); err == nil {
		t.Error("empty username accepted")
	}

	for _, tc := range []struct {
		name string
		who  inbox.PersonRef
		want string
	}{
		{"by contact", inbox.PersonRef{ID: sarahID}, thSarahID},
		{"by platform ID", inbox.PersonRef{PlatformID: sarahXID}, thSarahID},
		{"by username", inbox.PersonRef{Username: "sarahchen"}, thSarahID},
		{"unknown", inbox.PersonRef{PlatformID: "404404404"}, ""},
	} {
		th, err := b.FindThread(ctx, xAccountID, tc.who)
		switch {
		case err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want == "" && th != nil, tc.want != "" && (th == nil || th.ID != tc.want):
			t.Errorf("%s: %+v, want %q", tc.name, th, tc.want)
		}
	}
	if _, err := b.FindThread(ctx, xAccountID, inbox.PersonRef{}); err == nil {
		t.Error("FindThread without a person accepted")
	}
	if n := len(s.requests("GET /account-links/{accountLinkId}")); n != 1 {
		t.Errorf("account platform asked %d times, want once (cached)", n)
	}
}
