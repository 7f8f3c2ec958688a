// Package inboxsim simulates the Inbox API v1 (the vendor's "Inbox Enterprise API") closely
// enough that clients, servers, tests and benchmarks can run against it instead of the real
// service. The contract is api/inbox-v1.openapi.json (all 38 operations) plus the reference
// notes in the project's API docs; where those leave behaviour open, the choices below apply.
//
// # Use
//
// New returns a Sim, an http.Handler serving /api/v1/... over an SQLite store (in memory, or
// a file that persists across restarts). Start runs one on a loopback listener and returns its
// base URL and token; cmd/inbox-sim runs one as a standalone server.
//
//	srv, err := inboxsim.Start(ctx, "", inboxsim.Options{})
//	// srv.URL = "http://127.0.0.1:PORT/api/v1", srv.Token = inboxsim.DemoToken
//
// The Store (Sim.Store) holds the domain operations independently of HTTP and of API
// versions; the v1_*.go files are the thin mapping between v1 JSON and the store.
//
// # Seeded data
//
// A new store is filled deterministically from Options.Seed and Options.Scale (same seed and
// scale, same data and IDs; timestamps are relative to the clock at seed time). Scale 1 is:
//
//   - one team (Northwind Labs, USD), 6 members (owner, 2 admins, 3 users; one without name or
//     avatar), 3 account links (company, founder, sales; the newest has syncedAt null);
//   - 10 tags (Hot Lead, Pricing, Demo Requested, Enterprise, Follow Up, Partner, Agency,
//     Churn Risk, Investor, Not Interested), 6 statuses in pipeline order (New Lead, Contacted,
//     Qualified, Demo Scheduled, Closed Won, Closed Lost; the last without a color), 3
//     campaigns (v1 has no campaign endpoints; their IDs appear on campaign messages);
//   - 200 threads holding about 3,100 messages: 60 in no-reply (the prospect wrote last), 75
//     more in default (the team wrote last), 15 message requests, 40 archived, 10 idle
//     quick-peek threads without messages; one thread of 200+ messages in no-reply and three of
//     40 to 100; about 200 prospects, some with threads on two account links, plus a few known
//     prospects without any thread;
//   - conversations chained from a corpus of exchanges (pricing, demos and scheduling,
//     objections, integrations, security reviews, onboarding and support, partnerships,
//     follow-ups, closing won or lost) with emoji, a few whole conversations in Spanish,
//     Portuguese, German, French and Japanese, campaign outreach with follow-ups, and messages
//     sent from Inbox, from the X app and through the API; reactions, replies, edited and
//     deleted messages; prompt-injection attempts from prospects (including one hidden with
//     bidi overrides, zero-width and Unicode tag characters, and one in a profile bio);
//   - about half of the no-reply threads active this week end with a pricing question, so
//     "tag everyone who asked about pricing this week" has about 40 matches;
//   - CRM context that follows the conversations: tags and a status on about half of the
//     prospects, a valuation on ~20%, notes on ~10%; an assignee on about a third of threads;
//   - realistic profiles: unique usernames, bios, locations, websites, follower counts,
//     verified / business / government badges, and one deliberately bare profile with every
//     optional field null.
//
// Everything scales linearly with Scale (threads = 200 × Scale, one 200-message thread per
// unit of scale). Scale 34 gives 6,800 threads and just over 100,000 messages, the size the
// benchmarks use; MaxScale is 1,000. Seeding itself records no events.
//
// # Choices where the documentation is silent
//
// Errors use the documented body {"error": {"code", "message", "status"}} with these codes:
// 400 VALIDATION_ERROR (the message names the parameter or field and what is allowed), 401
// UNAUTHORIZED (with WWW-Authenticate), 403 FORBIDDEN, 404 THREAD_NOT_FOUND,
// MESSAGE_NOT_FOUND, PROSPECT_NOT_FOUND, TAG_NOT_FOUND, STATUS_NOT_FOUND, MEMBER_NOT_FOUND,
// ACCOUNT_LINK_NOT_FOUND or NOT_FOUND (unknown path), 405 METHOD_NOT_ALLOWED (with Allow),
// 409 CONFLICT, 413 PAYLOAD_TOO_LARGE (bodies over 1 MiB), 415 UNSUPPORTED_MEDIA_TYPE (a
// non-JSON Content-Type), 429 RATE_LIMITED, 500 INTERNAL_SERVER_ERROR, 502 BAD_GATEWAY and
// 503 SERVICE_UNAVAILABLE (the last three only as injected faults).
//
// Requests:
//   - Path IDs must match ^[0-9a-z]+$ (else 400). Unknown query parameters and body fields are
//     ignored, as the real API ignores them (so the superseded tagIds does nothing). Empty
//     query values count as absent. Booleans are true or false; anything else is a 400.
//   - IDs in a body that name nothing (assigneeId, statusId, addTags and removeTags,
//     replyToMessageId, accountLinkId, externalId) give the 404 of their kind; all references
//     are checked before anything changes.
//   - Message content is 1 to 10,000 characters (X's limit). Tag and status names are 1 to 255
//     characters and unique per team ignoring case (409 names the existing one). Colors are a
//     predefined name (GET /colors, the Tailwind 500 palette) or #rrggbb, stored as lowercase
//     hex; a tag created without a color is gray (#6b7280), a status keeps null.
//   - externalPlatformId must be a numeric X user ID. One that Inbox does not know is looked up
//     "on X": the simulator invents a deterministic profile for it and emits prospect.created,
//     so creating a thread or quick-sending to a new contact works (the team has the Outbound
//     Messages add-on). Sending from an account link that is not active is a 409.
//
// Responses:
//   - Every documented key is present, null where there is no value; timestamps are
//     2006-01-02T15:04:05.000Z; IDs are 24 lowercase letters and digits.
//   - DELETE endpoints answer {}. POST /threads for a pair that already has a live thread
//     returns that thread unchanged (an idle one becomes active). Lookups answer null or [] on
//     a miss. Usernames match ignoring case and a leading @.
//   - Messages are listed newest first. Deleted messages stay listed with deletedAt set
//     (platformDeletedAt too when deleted for everyone); the thread's last-message preview and
//     sort time do not move back. Sent messages have origin "api", authorId = the account link
//     and userId = the owner's user ID (a token belongs to a user). replyData is
//     {messageId, platformId, content, authorId} for a reply, else null; forwardData, entities
//     and attachment are null; reactions are {emoji, senderPlatformId, createdAt}.
//   - prospects/{id} takes the prospect's Inbox ID (externalId). context.threads is present on
//     the prospect endpoints only. context has no assigneeId in REST responses.
//   - isFresh / isStale are computed: lastUpdatedAt within 7 days / 30 days or more ago.
//
// Views and state:
//   - default: active, not done, not a request. no-reply: those whose last message is the
//     prospect's. requests: active requests not done. archived: active and done. Idle and
//     deleted threads are in no view (idle ones can still be fetched by ID).
//   - Sending a message accepts a request (isRequest becomes false) and makes an idle thread
//     active. A message from the prospect reopens an archived thread (thread.unarchived).
//   - A thread turns from unencrypted to xChat when the message that completes "both sides
//     have written" arrives; older two-sided threads seeded as legacy DMs stay unencrypted.
//   - Edit and delete work only in xChat threads (else 409), edit and delete-for-everyone only
//     on the team's own messages (else 403); a deleted message cannot be edited or reacted to
//     (409). Typing is skipped, not refused: unsupported (not xChat), outboundDisabled (link not
//     active), typingDisabled (thread setting false), rateLimited (within 3 s of the last one).
//   - An account link has one reaction per message, as on X: a new emoji replaces the previous
//     one; removing an absent emoji is a harmless no-op.
//   - PATCH /prospects/{id}/context: omitted fields are unchanged, null clears; addTags appends
//     in request order and ignores tags already there; a tag in both addTags and removeTags is
//     a 400; assigneeId and done apply to all the prospect's live threads.
//   - filters[...]: selectedIds match any of the IDs; with no…=true as well, a thread matches
//     either (e.g. "Hot Lead or no tags"); no…=false is ignored; categories combine with AND.
//     A thread's campaign is the campaign whose message opened it.
//   - Deleting a tag or status removes it from every prospect. Deleting a thread is a soft
//     delete; a later POST /threads for the same pair starts a new thread.
//
// Pagination is keyset pagination. Threads are ordered by (computedSortTimestamp, id), newest
// first unless filters[sortOrder]=asc; messages by (createdAt, id), newest first. nextCursor
// is the last item's pair, null on the last page; the next page starts strictly after it. Both
// cursorId + cursorTimestamp and the deprecated cursor[id] + cursor[timestamp] work; half a
// pair, or both forms together, is a 400. computedSortTimestamp is the last message's time
// (else the creation time) and only ever moves forward: a new message always gets a time later
// than its thread's current one, even when the clock has not advanced. Hence, while messages
// arrive during a walk:
//   - every thread whose sort time does not change is returned exactly once, in order, and
//     keys are strictly monotone over the whole walk;
//   - newest first, a thread that moves ahead of the cursor is not returned again if it was
//     already returned, and is skipped if it was not (it is now at the front: a new walk, or a
//     fresh first page, shows it);
//   - oldest first, a thread that gets a message moves to the end: if already returned, it is
//     returned again there with its new timestamp;
//   - a message walk never sees messages sent after it started and never repeats or skips one.
//
// Auth and limits: Authorization: Bearer <token>; the scheme is case-insensitive. Tokens map to
// the seeded team. Rate limits are per team, all three sliding windows at once (Options
// RateLimit; defaults 300/min, 10,000/h, 100,000/day), counted after authentication: 401s
// (and injected 5xx, which stand for failures in front of the API) carry no X-RateLimit-*
// headers, every other response does. The headers describe the
// window closest to its limit (the per-minute one when all have room, as in the docs'
// example); X-RateLimit-Reset is when that window next gains room (its oldest counted request
// leaves it), in Unix seconds. A 429 carries Retry-After (seconds until a request would pass
// every window) and the documented RATE_LIMITED body. Refused requests are not counted.
//
// Events: every committed change appends its event in the same transaction: seq increases by
// one per team without gaps; events are kept 7 days. Payloads are snapshots taken at the
// time: thread.* have data.thread; message.created data.message and data.thread;
// message.edited data.message; message.deleted data.message and data.deletion;
// message.reaction* data.messageId, data.threadId and data.reaction; prospect.* (created,
// statusChanged, tagsChanged, notesChanged, valuationChanged) data.prospect with the context
// after the change; tag.* data.tag; status.* data.status. Assignment changes emit
// thread.assigned / thread.unassigned. Changes that change nothing emit nothing, and thread
// settings have no event type in v1. Deleting a tag emits tag.deleted only (no tagsChanged
// per prospect).
//
// # Faults
//
// Options.Faults (or SetFaults at run time) injects, per request and optionally only for some
// methods or paths: latency plus jitter; 5xx answers before any processing (rotating 500, 502,
// 503); 429 bursts with Retry-After: 1 that do not use the real quota; a dropped connection
// after the request was fully processed (its changes are committed, the client gets no
// response); and truncated bodies (the connection closes partway, Content-Length stays full).
// Write transactions ignore the client's cancellation, so a client that gives up mid-request
// can also leave a committed change behind, as with a real server.
//
// # Storage
//
// SQLite through modernc.org/sqlite (pure Go). An in-memory store uses one connection (every
// ":memory:" connection would be a separate database); a file store uses WAL with a few
// connections. Writes are serialized in Go. Threads are clustered by (team, sort time, id) so
// a page is a range read; the last message's preview is kept in the thread row and a
// prospect's ordered tags in the prospect row; profiles, which v1 never changes, are cached
// in memory; statements are prepared once. A file made by an incompatible schema is refused
// with a message. Seed and Scale apply only when a store is created; an existing file is used
// as it is.
package inboxsim
