package store

import "fmt"

// ErrorKind says what kind of domain failure an Error is. Each API version maps the kinds to
// its own HTTP statuses, codes and details; the store knows nothing of them.
type ErrorKind int

// The kinds of domain failure.
const (
	// KindInvalid: the input is wrong (Field names it when known).
	KindInvalid ErrorKind = iota + 1
	// KindNotFound: no Entity has the ID or name Ref.
	KindNotFound
	// KindConflict: the state of the data forbids the change (a name taken, a deleted
	// message, a disconnected account link).
	KindConflict
	// KindForbidden: the caller may not change this (a message the prospect wrote).
	KindForbidden
	// KindLinkDisconnected: the account link (AccountLinkID, in LinkStatus) cannot send.
	KindLinkDisconnected
	// KindCapabilityNotSupported: the account link cannot use Capability.
	KindCapabilityNotSupported
	// KindThreadRestricted: the platform disabled Capability in this conversation.
	KindThreadRestricted
	// KindContentRejected: the platform would refuse the content.
	KindContentRejected
	// KindRecipientUnavailable: the contact cannot be reached on the account link's platform.
	KindRecipientUnavailable
	// KindProfileAmbiguous: the contact (ContactID) has several profiles on Platform.
	KindProfileAmbiguous
	// KindPlatformNotAvailable: the team cannot use Platform.
	KindPlatformNotAvailable
	// KindPlatformNotSupported: the account link is on another platform than Platform
	// (Supported lists the one it is on).
	KindPlatformNotSupported
)

// Error is a domain failure: its kind, the facts an API needs to answer it, and a
// message that says what was wrong and what to do.
type Error struct {
	Kind ErrorKind
	// Entity and Ref name what was not found: Entity is thread, message, prospect, contact,
	// tag, status, member, accountLink or team, Ref the ID or name asked for.
	Entity, Ref string
	// Field is the input an invalid request is about (a query key, a body field path), nil
	// when the message alone says it.
	Field []any
	// Capability is what the account link or the thread does not allow.
	Capability string
	// AccountLinkID and LinkStatus describe the account link that cannot send.
	AccountLinkID, LinkStatus string
	// ContactID and Platform name the contact and platform of an ambiguous or refused send;
	// Supported lists the platforms that would do.
	ContactID, Platform string
	Supported           []string
	// Message says what was wrong and what to do.
	Message string
}

// Error returns the message.
func (e *Error) Error() string { return e.Message }

func failf(kind ErrorKind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

func invalid(format string, args ...any) *Error { return failf(KindInvalid, format, args...) }

// invalidField is invalid about one input; path names it.
func invalidField(path []any, format string, args ...any) *Error {
	e := failf(KindInvalid, format, args...)
	e.Field = path
	return e
}

func conflict(format string, args ...any) *Error {
	return failf(KindConflict, format, args...)
}

// notFound is the failure for an unknown ID of the given kind, worded for a list call that
// finds the right one.
func notFound(kind, id string) *Error {
	e := &Error{Kind: KindNotFound, Entity: kind, Ref: id}
	switch kind {
	case "thread":
		e.Message = fmt.Sprintf("thread %q not found; list threads with GET /threads", id)
	case "message":
		e.Message = fmt.Sprintf("message %q not found in this thread; list messages with GET /threads/{threadId}/messages", id)
	case "prospect":
		e.Message = fmt.Sprintf("prospect %q not found; prospect IDs are the externalId of a thread's prospect", id)
	case "tag":
		e.Message = fmt.Sprintf("tag %q not found; list tags with GET /tags", id)
	case "status":
		e.Message = fmt.Sprintf("status %q not found; list statuses with GET /statuses", id)
	case "member":
		e.Message = fmt.Sprintf("member %q not found; list members with GET /members", id)
	case "accountLink":
		e.Message = fmt.Sprintf("account link %q not found; list account links with GET /account-links", id)
	default:
		e.Message = fmt.Sprintf("%s %q not found", kind, id)
	}
	return e
}

// notFoundSaying is notFound with a message of its own.
func notFoundSaying(kind, ref, format string, args ...any) *Error {
	e := failf(KindNotFound, format, args...)
	e.Entity, e.Ref = kind, ref
	return e
}

// notFoundV2 is notFound worded as the v2 data model names things (contacts, a message
// of any thread, tags and statuses by ID or name).
func notFoundV2(kind, ref string) *Error {
	e := &Error{Kind: KindNotFound, Entity: kind, Ref: ref}
	switch kind {
	case "thread":
		e.Message = fmt.Sprintf("thread %q not found; list threads with GET /threads", ref)
	case "message":
		e.Message = fmt.Sprintf("message %q not found; list a thread's messages with GET /threads/{threadId}/messages", ref)
	case "contact":
		e.Message = fmt.Sprintf("contact %q not found; find contacts with GET /contacts?platform=…&platformId=…, or use a thread's contactId", ref)
	case "tag":
		e.Message = fmt.Sprintf("no tag has the ID or name %q; list tags with GET /tags", ref)
	case "status":
		e.Message = fmt.Sprintf("no status has the ID or name %q; list statuses with GET /statuses", ref)
	case "member":
		e.Message = fmt.Sprintf("member %q not found; list members with GET /members", ref)
	case "accountLink":
		e.Message = fmt.Sprintf("account link %q not found; list account links with GET /account-links", ref)
	default:
		e.Message = fmt.Sprintf("%s %q not found", kind, ref)
	}
	return e
}

func capabilityNotSupported(capability string) *Error {
	e := failf(KindCapabilityNotSupported, "this account link can't use %s; check the account link's capabilities (GET /account-links/{id}) before calling", capability)
	e.Capability = capability
	return e
}

func threadRestricted(capability string) *Error {
	e := failf(KindThreadRestricted, "the platform disabled %s in this conversation; check the thread's restrictions before calling", capability)
	e.Capability = capability
	return e
}
