// Package store is the simulator's state: an SQLite database and the domain operations on it
// (threads, messages, prospects and contacts, tags, statuses, members, account links, the
// event logs, Idempotency-Keys), shared by both API versions, so a send through one shows in
// the other. It knows nothing of HTTP, of JSON wire shapes or of API versions' error codes:
// a domain failure is an *Error of a Kind with the facts an API needs to answer it, and each
// API version maps it to its own status, code and details.
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
//
// # Semantics
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
package store
