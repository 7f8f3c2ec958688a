// Package v2api serves the Inbox API v2 over the store, next to v1's /api/v1 under /api/v2:
// a message sent or a tag changed through one version is seen by the other. It holds the 37
// operations of api/inbox-v2.openapi.json, their JSON shapes, the v2 error body (into which
// it maps the store's domain errors and the malformed requests httpx finds), opaque cursors,
// and the Idempotency-Keys of sends in flight. Where the document leaves behaviour open, the
// choices below apply.
//
// # Model
//
// A v1 prospect is a v2 profile (same ID). A contact is identified by its primary profile and
// its ID derives from that profile's ID (see the store's ContactIDOf); an X prospect's contact keeps its
// CRM state (status, tags, notes, valuation) where v1 keeps it, so v1's prospect context and
// v2's contact are one record. A contact's default assignee is v2's own (v1 does not have it);
// a thread's assigneeId is its own assignee, else its contact's. Contacts' updatedAt moves
// with changes made through v2.
//
// LinkedIn is the second platform: one account link, about 20 threads per unit of scale,
// LinkedIn-only contacts with their own CRM state, and a few contacts that group an X and a
// LinkedIn profile of one person (see the seed package). It lives in tables v1 never reads, so v1 shows
// no LinkedIn account link, thread, profile or event, and the v1 data set of a seed is the
// same as before v2 existed.
//
// # Platforms, capabilities, restrictions
//
// GET /platforms lists X and LinkedIn (the store's PlatformSpecs). The sales X account lacks message:edit
// (not on X Premium); the others have their platform's capabilities. A legacy (non X Chat) X
// conversation restricts message:edit, message:delete:self, message:unsend and
// thread:typing:send. X edits close 15 minutes after a message was sent
// (mutationWindowClosed). LinkedIn cannot edit, unsend or react (capabilityNotSupported).
// Typing where the platform shows no indicator, or from an account link that is not active, is
// 202 skipped with reason "disabled" (the operation documents no other refusal); one
// indicator per thread every 2.5 s, then "rateLimited".
//
// # Threads
//
// Folders as documented: inbox, requests and archived partition the threads and "all" spans
// them; v1's idle quick-peek threads are in none (readable by ID only). unread is a mark set
// and cleared by PATCH (a thread nobody marked is not unread); the seed marks some threads
// awaiting a reply. q matches display names, usernames and the latest message's text,
// ignoring case. A tag or status filter naming nothing is a 400. activity is the latest
// message, or a reaction on it made later. acceptanceState is "required" for a LinkedIn message
// request and "notRequired" otherwise; replying accepts a request, as in v1. Deleting an X
// thread is local (X cannot delete conversations through the API); a LinkedIn one is also
// deleted on the platform.
//
// # Requests and answers
//
// Several values only by repeating a key; brackets, comma-separated values, unknown keys,
// unknown body fields and a repeated single-valued key are 400 invalidRequest, whose
// details.issues name the input. Cursors are opaque (base64 of the position and a fingerprint
// of the filters): another collection's cursor, or one used with other filters, is 400
// invalidCursor; changing limit or expand between pages is allowed. Members, account links
// and contacts found by identity page by offset (they are short); threads and messages are
// keyset walks like v1's, stable while messages arrive. Tags are listed by name, statuses in
// board order, each in one page. Names match ignoring case and accents; a tag created without
// a color gets a random palette color; a team has at most 100 tags (tagLimitReached).
//
// Every answer carries X-Request-Id; errors are {code, message, details, requestId} with the
// document's codes. Paths outside the document answer 404 notFound or 405 methodNotAllowed in
// the same shape. The rate limits are v1's, per team and shared by both versions; 429
// rateLimited names the window. An injected failure (Faults.ErrorRate) is 500 internal, or
// 502 platformError / 503 platformUnavailable on the operations that reach the platform.
//
// # Sending
//
// POST /messages resolves a thread, contact or profile target (creating the thread, and for
// an unknown platform ID the profile and contact, as v1 does for X). Checks, in order:
// account link active (409 accountLinkDisconnected), message:send and message:reply,
// replyToMessageId in that thread (400), the platform's character limit (422
// contentRejected). Idempotency-Key semantics are in idempotency.go;
// Faults.SendUnconfirmedRate and Faults.SendDelay inject 502 sendUnconfirmed and a slow
// platform. A send's sentBy is the API token that made it.
//
// # Events
//
// GET /events replays the v2 log: v1's events as they happen (in v2's shape: message.created
// becomes message.sent or message.received, prospect.* becomes contact.*, prospect.created is
// not published) and the changes only v2 sees (LinkedIn, a contact's default assignee). The
// v2 sequence is its own; the events before a store first served v2 keep their numbers.
//
// Not simulated: campaign and target events, forwarded messages, rich-text format entities,
// posts shared in messages, profile:follow, WorkspaceLocked, PlanRequired (the team has
// the Advanced API add-on) and platformRateLimited; simulated replies (Options.Replies)
// answer X sends only.
package v2api
