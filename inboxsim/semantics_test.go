package inboxsim

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/v1api"
)

// inView reports whether a thread is in a view, through the API.
func inView(t *testing.T, api *testAPI, view, id string) bool {
	t.Helper()
	for _, th := range walk(t, api, "&inbox="+view, 100, false, nil) {
		if th.ID == id {
			return true
		}
	}
	return false
}

func TestViewsFollowConversations(t *testing.T) {
	api := newTestAPI(t, Options{})
	api.validate = true
	s := api.sim
	noReply := dbStrings(t, s, `SELECT id FROM threads WHERE status='active' AND done=0 AND is_request=0 AND last_inbound=1 LIMIT 1`)[0]
	if !inView(t, api, store.ViewNoReply, noReply) || !inView(t, api, store.ViewDefault, noReply) {
		t.Fatal("a thread awaiting a reply is not in no-reply and default")
	}
	api.ok("POST", "/threads/"+noReply+"/messages", map[string]any{"content": "On it!"}, nil)
	if inView(t, api, store.ViewNoReply, noReply) || !inView(t, api, store.ViewDefault, noReply) {
		t.Fatal("after our reply the thread must leave no-reply and stay in default")
	}
	if _, err := s.store.ReceiveMessage(t.Context(), s.teamID, noReply, "thanks!"); err != nil {
		t.Fatal(err)
	}
	if !inView(t, api, store.ViewNoReply, noReply) {
		t.Fatal("after the prospect's message the thread must be back in no-reply")
	}

	request := dbStrings(t, s, `SELECT id FROM threads WHERE is_request=1 LIMIT 1`)[0]
	if !inView(t, api, store.ViewRequests, request) || inView(t, api, store.ViewDefault, request) {
		t.Fatal("a message request must be in requests only")
	}
	var th v1api.Thread
	api.ok("POST", "/threads/"+request+"/messages", map[string]any{"content": "Hi! Happy to help."}, nil)
	api.ok("GET", "/threads/"+request, nil, &th)
	if th.IsRequest || inView(t, api, store.ViewRequests, request) || !inView(t, api, store.ViewDefault, request) {
		t.Fatal("replying must accept the request")
	}

	api.ok("PATCH", "/threads/"+noReply, map[string]any{"done": true}, &th)
	if !th.Done || !inView(t, api, store.ViewArchived, noReply) || inView(t, api, store.ViewDefault, noReply) || inView(t, api, store.ViewNoReply, noReply) {
		t.Fatal("done=true must move the thread to archived only")
	}
	if _, err := s.store.ReceiveMessage(t.Context(), s.teamID, noReply, "one more question"); err != nil {
		t.Fatal(err)
	}
	api.ok("GET", "/threads/"+noReply, nil, &th)
	if th.Done || !inView(t, api, store.ViewNoReply, noReply) {
		t.Fatal("a new message from the prospect must reopen an archived thread")
	}

	idle := dbStrings(t, s, `SELECT id FROM threads WHERE status='idle' LIMIT 1`)[0]
	for _, v := range v1api.Views {
		if inView(t, api, v, idle) {
			t.Fatalf("idle thread in view %s", v)
		}
	}
	api.ok("GET", "/threads/"+idle, nil, &th)
	if th.Status != store.ThreadIdle || th.LastMessage != nil || th.LastMessageTimestamp != nil || *th.ComputedSortTimestamp != th.CreatedAt {
		t.Fatalf("idle thread: %+v", th)
	}
	var again v1api.Thread
	api.ok("POST", "/threads", map[string]any{"accountLinkId": th.AccountLinkID, "externalId": *th.Prospect.ExternalID}, &again)
	if again.ID != idle || again.Status != store.ThreadActive || !inView(t, api, store.ViewDefault, idle) {
		t.Fatal("opening an idle thread with POST /threads must make it active")
	}
}

func TestVariantTypingAndEdits(t *testing.T) {
	clock := newFakeClock()
	api := newTestAPI(t, Options{Now: clock.Now})
	api.validate = true
	s := api.sim
	link := dbStrings(t, s, `SELECT id FROM account_links ORDER BY rank LIMIT 1`)[0]
	var th v1api.Thread
	api.ok("POST", "/threads", map[string]any{"accountLinkId": link, "externalPlatformId": "1876543210987654321"}, &th)
	if th.Variant != store.VariantPlain || th.PlatformID != store.ConversationID(dbStrings(t, s, `SELECT platform_id FROM account_links WHERE id = ?`, link)[0], "1876543210987654321") {
		t.Fatalf("new thread: variant %s platformId %s", th.Variant, th.PlatformID)
	}
	var typing v1api.TypingResult
	api.ok("POST", "/threads/"+th.ID+"/typing", nil, &typing)
	if typing != (v1api.TypingResult{Status: store.TypingSkipped, Reason: store.SkipUnsupported}) {
		t.Fatalf("typing on an unencrypted thread: %+v", typing)
	}
	var first v1api.Message
	api.ok("POST", "/threads/"+th.ID+"/messages", map[string]any{"content": "Hi Jordan!"}, &first)
	if first.Origin == nil || *first.Origin != store.OriginAPI || first.UserID == nil || first.AuthorID != link || *first.IsEncrypted {
		t.Fatalf("sent message: %+v", first)
	}
	api.fails("PATCH", "/threads/"+th.ID+"/messages/"+first.ID, map[string]any{"content": "Hi Jordan! 👋"}, 409, httpx.CodeConflict)
	if _, err := s.store.ReceiveMessage(t.Context(), s.teamID, th.ID, "hey!"); err != nil {
		t.Fatal(err)
	}
	api.ok("GET", "/threads/"+th.ID, nil, &th)
	if th.Variant != store.VariantXChat {
		t.Fatal("the variant must flip to xChat once both sides have written")
	}
	api.ok("POST", "/threads/"+th.ID+"/typing", nil, &typing)
	if typing.Status != store.TypingSent {
		t.Fatalf("typing on X Chat: %+v", typing)
	}
	api.ok("POST", "/threads/"+th.ID+"/typing", nil, &typing)
	if typing != (v1api.TypingResult{Status: store.TypingSkipped, Reason: store.SkipRateLimited}) {
		t.Fatalf("typing twice in a row: %+v", typing)
	}
	clock.Advance(store.TypingInterval)
	api.ok("PATCH", "/threads/"+th.ID+"/settings", map[string]any{"typingIndicatorsEnabled": false}, nil)
	api.ok("POST", "/threads/"+th.ID+"/typing", nil, &typing)
	if typing != (v1api.TypingResult{Status: store.TypingSkipped, Reason: store.SkipDisabled}) {
		t.Fatalf("typing when disabled: %+v", typing)
	}

	clock.Advance(time.Minute)
	var edit v1api.EditResult
	api.ok("PATCH", "/threads/"+th.ID+"/messages/"+first.ID, map[string]any{"content": "Hi Jordan! 👋"}, &edit)
	if !edit.Success || edit.Content != "Hi Jordan! 👋" || edit.EditedAt != httpx.FormatTime(clock.Now()) {
		t.Fatalf("edit: %+v", edit)
	}
	api.ok("PATCH", "/threads/"+th.ID+"/messages/"+first.ID, map[string]any{"content": "Hi Jordan! 👋🏽"}, nil)
	var h v1api.History
	api.ok("GET", "/threads/"+th.ID+"/messages/"+first.ID+"/history", nil, &h)
	var contents []string
	for _, v := range h.Versions {
		contents = append(contents, v.Content)
	}
	if !slices.Equal(contents, []string{"Hi Jordan!", "Hi Jordan! 👋", "Hi Jordan! 👋🏽"}) || h.Versions[0].EditOrigin != nil || *h.Versions[1].EditOrigin != store.OriginAPI || h.Deletion != nil {
		t.Fatalf("history: %+v", h)
	}
	// Editing the newest message changes the thread's preview too.
	var last v1api.Message
	api.ok("POST", "/threads/"+th.ID+"/messages", map[string]any{"content": "See you Thursday"}, &last)
	api.ok("PATCH", "/threads/"+th.ID+"/messages/"+last.ID, map[string]any{"content": "See you Thursday at 2pm"}, nil)
	api.ok("GET", "/threads/"+th.ID, nil, &th)
	if th.LastMessage == nil || th.LastMessage.ID != last.ID || th.LastMessage.Content != "See you Thursday at 2pm" {
		t.Fatalf("preview after editing the last message: %+v", th.LastMessage)
	}
	checkDenormalized(t, s)
	var del v1api.DeleteResult
	api.ok("DELETE", "/threads/"+th.ID+"/messages/"+first.ID, nil, &del)
	api.ok("GET", "/threads/"+th.ID+"/messages/"+first.ID+"/history", nil, &h)
	if h.Deletion == nil || h.Deletion.DeletionType != store.DeletionForAll || h.Deletion.DeletedAt != del.DeletedAt {
		t.Fatalf("deletion: %+v", h.Deletion)
	}
	var page v1api.MessagePage
	api.ok("GET", "/threads/"+th.ID+"/messages", nil, &page)
	oldest := page.Messages[len(page.Messages)-1]
	if oldest.ID != first.ID || oldest.DeletedAt == nil || oldest.PlatformDeletedAt == nil || !oldest.IsEdited {
		t.Fatalf("deleted message in the list: %+v", oldest)
	}
}

func TestReactions(t *testing.T) {
	api := newTestAPI(t, Options{})
	s := api.sim
	thread := dbStrings(t, s, `SELECT id FROM threads WHERE variant='xChat' LIMIT 1`)[0]
	msg := dbStrings(t, s, `SELECT id FROM messages WHERE thread_id=? AND inbound=1 AND reactions='[]' LIMIT 1`, thread)[0]
	path := "/threads/" + thread + "/messages/" + msg + "/reactions/reactions"
	reactions := func() []string {
		var page v1api.MessagePage
		api.ok("GET", "/threads/"+thread+"/messages?limit=100", nil, &page)
		for _, m := range page.Messages {
			if m.ID == msg {
				var out []string
				for _, r := range m.Reactions {
					out = append(out, r.Emoji)
				}
				return out
			}
		}
		t.Fatal("message not listed")
		return nil
	}
	seq := func() int { return dbInt(t, s, `SELECT event_seq FROM teams`) }
	api.ok("POST", path, map[string]any{"emoji": "👍"}, nil)
	api.ok("POST", path, map[string]any{"emoji": "❤️"}, nil)
	if got := reactions(); !slices.Equal(got, []string{"❤️"}) {
		t.Fatalf("reactions %v: a new emoji replaces the account's previous one", got)
	}
	before := seq()
	api.ok("POST", path, map[string]any{"emoji": "❤️"}, nil)
	api.ok("DELETE", path, map[string]any{"emoji": "👍"}, nil)
	if seq() != before {
		t.Fatal("a reaction call that changed nothing emitted an event")
	}
	api.ok("DELETE", path, map[string]any{"emoji": "❤️"}, nil)
	if got := reactions(); len(got) != 0 {
		t.Fatalf("reactions %v after removal", got)
	}
}

func TestLabelsAndContext(t *testing.T) {
	api := newTestAPI(t, Options{})
	api.validate = true
	s := api.sim
	hot := dbStrings(t, s, `SELECT id FROM tags WHERE name='Hot Lead'`)[0]
	tagged := dbInt(t, s, `SELECT count(*) FROM prospect_tags WHERE tag_id=?`, hot)
	if tagged == 0 {
		t.Fatal("nobody is tagged Hot Lead in the seed")
	}
	api.ok("DELETE", "/tags/"+hot, nil, nil)
	if n := dbInt(t, s, `SELECT count(*) FROM prospect_tags WHERE tag_id=?`, hot); n != 0 {
		t.Fatalf("%d prospects still have the deleted tag", n)
	}
	if res := api.ok("GET", "/threads?filters[tags][selectedIds][]="+hot, nil, nil); !strings.Contains(string(res.body), `"threads":[]`) {
		t.Fatal("threads still match the deleted tag")
	}
	qualified := dbStrings(t, s, `SELECT id FROM statuses WHERE name='Qualified'`)[0]
	api.ok("DELETE", "/statuses/"+qualified, nil, nil)
	if n := dbInt(t, s, `SELECT count(*) FROM prospects WHERE status_id=?`, qualified); n != 0 {
		t.Fatalf("%d prospects still have the deleted status", n)
	}

	// A prospect with threads on two account links: done and assignee apply to both.
	pid := dbStrings(t, s, `SELECT prospect_id FROM threads WHERE status='active' GROUP BY prospect_id HAVING count(*) > 1 LIMIT 1`)[0]
	member := dbStrings(t, s, `SELECT id FROM members ORDER BY rank LIMIT 1 OFFSET 3`)[0]
	var a, b v1api.Tag
	api.ok("POST", "/tags", map[string]any{"name": "A"}, &a)
	api.ok("POST", "/tags", map[string]any{"name": "B", "color": "Blue"}, &b)
	if a.Color != store.DefaultTagColor || b.Color != "#3b82f6" {
		t.Fatalf("colors %s %s", a.Color, b.Color)
	}
	var p v1api.ProspectWithContext
	api.ok("PATCH", "/prospects/"+pid+"/context", map[string]any{"addTags": []string{b.ID, a.ID, b.ID}, "done": true, "assigneeId": member, "valuation": 4200}, &p)
	tags := p.Context.Tags
	if len(tags) < 2 || tags[len(tags)-2] != b.ID || tags[len(tags)-1] != a.ID || *p.Context.Valuation != 4200 {
		t.Fatalf("context %+v: tags are added once, at the end, in request order", p.Context)
	}
	if n := dbInt(t, s, `SELECT count(*) FROM threads WHERE prospect_id=? AND deleted_at IS NULL AND (done=0 OR assignee_id IS NOT ?)`, pid, member); n != 0 {
		t.Fatalf("%d of the prospect's threads did not get done/assignee", n)
	}
	if len(*p.Context.Threads) < 2 {
		t.Fatalf("context.threads %v, want the threads on every account link", *p.Context.Threads)
	}
	before := dbInt(t, s, `SELECT event_seq FROM teams`)
	api.ok("PATCH", "/prospects/"+pid+"/context", map[string]any{"addTags": []string{a.ID}, "done": true, "valuation": 4200}, nil)
	if dbInt(t, s, `SELECT event_seq FROM teams`) != before {
		t.Fatal("a context update that changed nothing emitted events")
	}
	api.ok("PATCH", "/prospects/"+pid+"/context", map[string]any{"removeTags": []string{b.ID}, "valuation": nil, "assigneeId": nil}, &p)
	if slices.Contains(p.Context.Tags, b.ID) || p.Context.Valuation != nil {
		t.Fatalf("context after removal: %+v", p.Context)
	}
	api.ok("PATCH", "/tags/"+a.ID, map[string]any{"name": "a"}, nil) // renaming a tag to its own name in another case is fine
	checkDenormalized(t, s)
}

func TestThreadLifecycle(t *testing.T) {
	api := newTestAPI(t, Options{})
	api.validate = true
	s := api.sim
	link := dbStrings(t, s, `SELECT id FROM account_links ORDER BY rank LIMIT 1 OFFSET 1`)[0]
	seq := func() int { return dbInt(t, s, `SELECT event_seq FROM teams`) }
	var created v1api.Thread
	api.ok("POST", "/threads", map[string]any{"accountLinkId": link, "externalPlatformId": "44196397"}, &created)
	var again v1api.Thread
	before := seq()
	api.ok("POST", "/threads", map[string]any{"accountLinkId": link, "externalPlatformId": "44196397"}, &again)
	if again.ID != created.ID || seq() != before {
		t.Fatal("POST /threads for an existing pair must return that thread without changes")
	}
	var found v1api.Thread
	api.ok("GET", "/threads/lookup?accountLinkId="+link+"&externalPlatformId=44196397", nil, &found)
	var byName []v1api.Thread
	api.ok("GET", "/threads/lookup-by-username?username=@"+strings.ToUpper(created.Prospect.Username), nil, &byName)
	if found.ID != created.ID || len(byName) != 1 || byName[0].ID != created.ID {
		t.Fatal("lookups do not find the new thread (username lookups ignore case and a leading @)")
	}
	var qs v1api.QuickSendResult
	api.ok("POST", "/threads/messages", map[string]any{"accountLinkId": link, "externalPlatformId": "44196397", "content": "Quick hello"}, &qs)
	if qs.Thread.ID != created.ID || *qs.Thread.PlatformID != created.PlatformID || qs.Message.ThreadID != created.ID {
		t.Fatalf("quick send to an existing pair: %+v", qs.Thread)
	}
	api.ok("DELETE", "/threads/"+created.ID, nil, nil)
	api.fails("GET", "/threads/"+created.ID, nil, 404, httpx.CodeThreadNotFound)
	if res := api.ok("GET", "/threads/lookup?accountLinkId="+link+"&externalPlatformId=44196397", nil, nil); string(res.body) != "null" {
		t.Fatal("lookup finds a deleted thread")
	}
	api.ok("POST", "/threads/messages", map[string]any{"accountLinkId": link, "externalPlatformId": "44196397", "content": "Starting over"}, &qs)
	if qs.Thread.ID == created.ID {
		t.Fatal("a deleted thread came back")
	}
	var p v1api.ProspectWithContext
	api.ok("GET", "/prospects/"+*created.Prospect.ExternalID, nil, &p)
	if len(*p.Context.Threads) != 1 || (*p.Context.Threads)[0].ID != qs.Thread.ID {
		t.Fatalf("context.threads %+v: the deleted thread must be gone", *p.Context.Threads)
	}
}

func TestEventLog(t *testing.T) {
	clock := newFakeClock()
	api := newTestAPI(t, Options{Now: clock.Now})
	api.validate = true
	var page v1api.EventPage
	api.ok("GET", "/events", nil, &page)
	if len(page.Events) != 0 || page.HasMore || page.LastSeq != nil {
		t.Fatalf("a fresh store has events: %+v", page)
	}
	for i := 0; i < 5; i++ {
		api.ok("POST", "/tags", map[string]any{"name": "T" + string(rune('a'+i))}, nil)
		clock.Advance(time.Second)
	}
	api.ok("GET", "/events?limit=3", nil, &page)
	if len(page.Events) != 3 || !page.HasMore || *page.LastSeq != 3 {
		t.Fatalf("first page: %d events, hasMore %v, lastSeq %v", len(page.Events), page.HasMore, page.LastSeq)
	}
	for i, e := range page.Events {
		if e.Seq != int64(i+1) || e.Type != "tag.created" || e.Version != "1.0" || e.TeamID != api.sim.teamID {
			t.Fatalf("event %d: %+v", i, e)
		}
	}
	api.ok("GET", "/events?afterSeq=3&limit=3", nil, &page)
	if len(page.Events) != 2 || page.HasMore || page.Events[0].Seq != 4 {
		t.Fatalf("second page: %+v", page)
	}
	// Retention: seven days.
	clock.Advance(7*24*time.Hour - 2*time.Second)
	api.ok("GET", "/events", nil, &page)
	if len(page.Events) != 2 || page.Events[0].Seq != 4 {
		t.Fatalf("after 7 days: %d events, want the 2 younger than 7 days", len(page.Events))
	}
}

func TestReplies(t *testing.T) {
	api := newTestAPI(t, Options{Replies: true, ReplyDelay: 10 * time.Millisecond})
	s := api.sim
	thread := dbStrings(t, s, `SELECT id FROM threads WHERE status='active' AND done=0 LIMIT 1`)[0]
	api.ok("POST", "/threads/"+thread+"/messages", map[string]any{"content": "Growth is $199/mo. Want a trial?"}, nil)
	// No polling against a deadline: the send scheduled its reply before answering, and
	// the replier's wait group ends once that reply is stored, however slow the machine.
	s.replies.wg.Wait()
	var page v1api.MessagePage
	api.ok("GET", "/threads/"+thread+"/messages?limit=1", nil, &page)
	m := page.Messages[0]
	if m.Origin == nil || *m.Origin != store.OriginExternal || m.UserID != nil {
		t.Fatalf("newest message %+v, want the simulated reply", m)
	}
	if !slices.Contains(repliesPricing, m.Content) {
		t.Fatalf("reply %q does not answer a pricing message", m.Content)
	}
}

func TestRepliesStopOnClose(t *testing.T) {
	sim, err := New(Options{Replies: true, ReplyDelay: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	thread := dbStrings(t, sim, `SELECT id FROM threads WHERE status='active' LIMIT 1`)[0]
	m, err := sim.store.SendMessage(t.Context(), sim.teamID, thread, "hello?", "")
	if err != nil {
		t.Fatal(err)
	}
	sim.scheduleReply(sim.teamID, m)
	if err := sim.Close(); err != nil {
		t.Fatal(err)
	}
	if len(sim.replies.timers) != 0 {
		t.Fatal("pending replies survived Close")
	}
}
