package v2

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
)

// TestContract walks every operation of the v2 document through the client, on every
// target. Each request and each answer is validated against the document (newClient), and
// on the scripted target the test also checks that the whole document was exercised.
func TestContract(t *testing.T) {
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
			c, st := newClient(t, tg, Options{}, apiclient.Config{})
			ctx := testCtx(t)
			must := func(what string, err error) {
				t.Helper()
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
			}

			ps, err := c.Platforms(ctx)
			must("platforms", err)
			if len(ps) == 0 || ps[0].Platform == "" {
				t.Fatalf("platforms = %+v, want at least one", ps)
			}
			_, err = c.Team(ctx)
			must("team", err)
			members, err := apiclient.Collect(c.AllMembers(ctx))
			must("members", err)
			if len(members) == 0 {
				t.Fatal("no members")
			}
			_, err = c.GetMember(ctx, members[0].ID)
			must("member", err)
			links, err := apiclient.Collect(c.AllAccountLinks(ctx, AccountLinkQuery{Platforms: []string{ps[0].Platform}, Statuses: []string{"active", "paused", "offline"}}))
			must("account links", err)
			if len(links) == 0 {
				t.Fatal("no account links")
			}
			_, err = c.GetAccountLink(ctx, links[0].ID)
			must("account link", err)

			threads, err := c.ListThreads(ctx, ThreadFilter{Folder: FolderAll, Expand: []string{ExpandThreadProfile, ExpandThreadContact, ExpandThreadAccountLink}, Limit: 10})
			must("threads", err)
			var th *Thread
			for i := range threads.Data {
				if threads.Data[i].LastMessage != nil && threads.Data[i].Profile != nil {
					th = &threads.Data[i]
					break
				}
			}
			if th == nil {
				t.Fatal("no thread with messages and an expanded profile")
			}
			_, err = c.ListThreads(ctx, ThreadFilter{AccountLinkIDs: []string{th.AccountLinkID}, Q: th.Profile.Username, Order: "asc", Limit: 5})
			must("thread search", err)
			_, err = c.GetThread(ctx, th.ID, ExpandThreadContact)
			must("thread", err)
			msgs, err := c.ListMessages(ctx, th.ID, MessageQuery{Expand: []string{ExpandMessageReactionAuthors, ExpandMessageSentBy}, Limit: 20})
			must("messages", err)
			if len(msgs.Data) == 0 {
				t.Fatal("thread has no messages")
			}
			m := msgs.Data[0]
			_, err = c.GetMessage(ctx, m.ID, ExpandMessageThread)
			must("message", err)
			_, err = c.GetMessageHistory(ctx, m.ID)
			must("history", err)

			found, err := c.FindContacts(ctx, ContactQuery{Platform: th.Profile.Platform, PlatformIDs: []string{th.Profile.PlatformID}, Expand: []string{ExpandContactTags}})
			must("find contacts", err)
			if len(found.Data) != 1 || found.Data[0].ID != th.ContactID {
				t.Fatalf("contacts by platform ID = %+v, want the thread's contact %s", found.Data, th.ContactID)
			}
			_, err = c.FindContacts(ctx, ContactQuery{Platform: th.Profile.Platform, Usernames: []string{th.Profile.Username}})
			must("find contacts by username", err)
			_, err = c.GetContact(ctx, th.ContactID, ExpandContactStatus, ExpandContactTags)
			must("contact", err)

			tags, err := c.ListTags(ctx)
			must("tags", err)
			if len(tags) > 0 {
				_, err = c.GetTag(ctx, tags[0].Name) // by name
				must("tag by name", err)
			}
			statuses, err := c.ListStatuses(ctx)
			must("statuses", err)
			if len(statuses) > 0 {
				_, err = c.GetStatus(ctx, statuses[0].ID)
				must("status", err)
			}
			_, err = c.ListColors(ctx)
			must("colors", err)
			after := int64(0)
			_, err = c.ListEvents(ctx, EventQuery{AfterSeq: &after, Types: []string{"message.sent", "thread.created"}, Limit: 10})
			must("events", err)

			if tg.scripted == nil {
				return // what follows writes, which only the scripted server may take
			}
			checkWrites(t, c, th, m)
			ops := st.exercised()
			var missing []string
			for _, op := range allOperations(st.doc) {
				if ops[op] == 0 {
					missing = append(missing, op)
				}
			}
			if len(missing) > 0 {
				t.Errorf("operations of the document never exercised: %v", missing)
			}
		})
	}
}

// checkWrites exercises the writing operations (on the scripted server).
func checkWrites(t *testing.T, c *Client, th *Thread, m Message) {
	ctx := testCtx(t)
	steps := []struct {
		name string
		call func() error
	}{
		{"update contact", func() error {
			_, err := c.UpdateContact(ctx, th.ContactID, ContactPatch{Status: apiclient.Value("Qualified"), Notes: apiclient.Null[string](), Valuation: apiclient.Value(1500.5), AssigneeID: apiclient.Value(memberID)})
			return err
		}},
		{"add tag by name", func() error { return c.AddContactTag(ctx, th.ContactID, "Hot Lead") }},
		{"remove tag", func() error { return c.RemoveContactTag(ctx, th.ContactID, hotLeadID) }},
		{"update thread", func() error {
			yes := true
			_, err := c.UpdateThread(ctx, th.ID, ThreadPatch{Archived: &yes, Unread: &yes, AssigneeID: apiclient.Null[string](), TypingIndicators: "disabled"})
			return err
		}},
		{"typing", func() error { _, err := c.SendTyping(ctx, th.ID); return err }},
		{"edit", func() error { _, err := c.EditMessage(ctx, m.ID, "Happy to show you the reporting API!"); return err }},
		{"react", func() error { _, err := c.React(ctx, m.ID, "👍"); return err }},
		{"unreact", func() error { _, err := c.Unreact(ctx, m.ID, "👍"); return err }},
		{"attachment", func() error { _, err := c.GetAttachment(ctx, msgOutID, 0); return err }},
		{"unsend", func() error { _, err := c.UnsendMessage(ctx, m.ID, ScopeAll); return err }},
		{"delete thread", func() error { _, err := c.DeleteThread(ctx, th.ID); return err }},
		{"send", func() error {
			if o := c.Send(ctx, SendRequest{Target: ToThread(th.ID), Content: "Thanks, talk soon!", ReplyToMessageID: m.ID}); o.Outcome != apiclient.Sent {
				return errors.New(o.Reason)
			}
			return nil
		}},
		{"create tag", func() error { _, err := c.CreateTag(ctx, TagCreate{Name: "Pricing", Color: "blue"}); return err }},
		{"update tag by name", func() error { _, err := c.UpdateTag(ctx, "Hot Lead", TagPatch{Color: "#ef4444"}); return err }},
		{"delete tag", func() error { return c.DeleteTag(ctx, pricingID) }},
		{"create status", func() error {
			_, err := c.CreateStatus(ctx, StatusCreate{Name: "New", Color: apiclient.Null[string]()})
			return err
		}},
		{"update status", func() error {
			_, err := c.UpdateStatus(ctx, "New", StatusPatch{Name: "Fresh", Color: apiclient.Value("red")})
			return err
		}},
		{"delete status", func() error { return c.DeleteStatus(ctx, newStatusID) }},
	}
	for _, s := range steps {
		if err := s.call(); err != nil {
			t.Errorf("%s: %v", s.name, err)
		}
	}
}

// TestDecoding checks that the scripted answers decode into the typed model, including
// nulls, "NaN" counts, expansions, unions told apart by a tag, and unknown platform data.
func TestDecoding(t *testing.T) {
	c, _, _ := scriptedClient(t, Options{}, apiclient.Config{})
	ctx := testCtx(t)

	th, err := c.GetThread(ctx, thSarahID, ExpandThreadProfile, ExpandThreadContact)
	if err != nil {
		t.Fatal(err)
	}
	if th.Profile == nil || th.Contact == nil {
		t.Fatalf("expansions missing: %+v", th)
	}
	p := th.Profile
	if p.Username != "sarahchen" || *p.FollowerCount != 1200 || !math.IsNaN(float64(*p.EngagementCount)) || p.ListedCount != nil {
		t.Errorf("profile = %+v", p)
	}
	if p.PlatformData.Tag != "twitter" || deref(p.PlatformData.Badge) != "gold" || p.PlatformData.ProfileType != "business" {
		t.Errorf("platform data = %+v", p.PlatformData)
	}
	if th.Contact.Valuation == nil || *th.Contact.Valuation != 12000 || deref(th.Contact.StatusID) != qualifiedID {
		t.Errorf("contact = %+v", th.Contact)
	}
	if th.PlatformID == nil || th.LastMessage == nil || th.Activity == nil || !slices.Equal(th.Restrictions, []string{CapMessageEdit}) {
		t.Errorf("thread = %+v", th)
	}

	omar, err := c.GetThread(ctx, thOmarID, ExpandThreadProfile)
	if err != nil {
		t.Fatal(err)
	}
	if omar.PlatformID != nil || omar.LastMessage != nil || omar.Activity != nil || omar.Profile.PlatformData.Tag != "linkedin" || omar.Profile.FollowerCount != nil {
		t.Errorf("linkedin thread = %+v, profile %+v", omar, omar.Profile)
	}

	page, err := c.ListMessages(ctx, thSarahID, MessageQuery{Expand: []string{ExpandMessageReactionAuthors}})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Data) != 3 || page.NextCursor != "" {
		t.Fatalf("messages page = %d items, cursor %q", len(page.Data), page.NextCursor)
	}
	out := page.Data[1]
	if out.SentBy == nil || out.SentBy.Type != "member" || out.SentBy.MemberID != memberID || out.EditedAt == nil {
		t.Errorf("outbound message = %+v", out)
	}
	if len(out.Attachments) != 2 || out.Attachments[0].Kind != "image" || out.Attachments[1].Kind != "card" || deref(out.Attachments[1].Title) != "Reporting API" {
		t.Errorf("attachments = %+v", out.Attachments)
	}
	if a := out.Reactions[0].Author; a.Type != "profile" || a.Profile == nil || a.Profile.PlatformID != sarahXID {
		t.Errorf("expanded reaction author = %+v", a)
	}
	if a := out.Reactions[1].Author; a.Type != "unknown" || a.PlatformID != "99887766" {
		t.Errorf("unknown reaction author = %+v", a)
	}
	if out.ReplyTo == nil || deref(out.ReplyTo.MessageID) != msgInID {
		t.Errorf("reply to = %+v", out.ReplyTo)
	}
	if camp := page.Data[2]; camp.SentBy.Type != "campaign" || camp.DeletedAt == nil || camp.PlatformID != nil {
		t.Errorf("campaign message = %+v", camp)
	}

	ps, err := c.Platforms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || ps[0].Limits.Characters == nil || *ps[0].Limits.Characters != 10000 || ps[0].MutationWindows[CapMessageEdit] != 900 ||
		ps[0].ThreadState.Archive != nil || !ps[0].ThreadState.Read.Observe || ps[1].Limits.MediaTypes != nil {
		t.Errorf("platforms = %+v", ps)
	}
	ev, err := c.ListEvents(ctx, EventQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ev.Data) != 2 || ev.LastSeq == nil || *ev.LastSeq != 42 || ev.Data[0].Type != "message.sent" || !strings.Contains(string(ev.Data[0].Data), thSarahID) {
		t.Errorf("events = %+v", ev)
	}
}

func TestNumber(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
		err  bool
	}{
		{`12`, 12, false}, {`1.5e3`, 1500, false}, {`"Infinity"`, math.Inf(1), false},
		{`"-Infinity"`, math.Inf(-1), false}, {`"7"`, 7, false}, {`"many"`, 0, true}, {`true`, 0, true},
	} {
		var n Number
		err := n.UnmarshalJSON([]byte(tc.in))
		if (err != nil) != tc.err || (!tc.err && float64(n) != tc.want) {
			t.Errorf("Number(%s) = %v, %v; want %v, error %v", tc.in, n, err, tc.want, tc.err)
		}
	}
	var n Number
	if err := n.UnmarshalJSON([]byte(`"NaN"`)); err != nil || n.Int64() != 0 {
		t.Errorf("NaN = %v, %v", n, err)
	}
	if Number(math.Inf(1)).Int64() != math.MaxInt64 || Number(-3.9).Int64() != -3 {
		t.Error("Int64 clamping")
	}
}
