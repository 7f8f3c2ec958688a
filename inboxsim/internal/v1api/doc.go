// Package v1api serves the Inbox API v1 (the vendor's "Inbox Enterprise API") over the store:
// the 38 operations of api/inbox-v1.openapi.json, their JSON shapes (with a hand-made encoder
// for the large lists), and the v1 error body, into which it maps the store's domain errors.
// The contract is the OpenAPI document plus the reference notes in the project's API docs;
// where those leave behaviour open, the choices below apply (the store's documentation has
// the ones about views, state, pagination and events, which v2 shares).
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
// Auth and limits: Authorization: Bearer <token>; the scheme is case-insensitive. Tokens map to
// the seeded team. Rate limits are per team, all three sliding windows at once (Options
// RateLimit; defaults 300/min, 10,000/h, 100,000/day), counted after authentication: 401s
// (and injected 5xx, which stand for failures in front of the API) carry no X-RateLimit-*
// headers, every other response does. The headers describe the
// window closest to its limit (the per-minute one when all have room, as in the docs'
// example); X-RateLimit-Reset is when that window next gains room (its oldest counted request
// leaves it), in Unix seconds. A 429 carries Retry-After (seconds until a request would pass
// every window) and the documented RATE_LIMITED body. Refused requests are not counted.
package v1api
