package v2api

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// v2Error is a failure of an Inbox API v2 request. It is answered with the v2 error body,
// {code, message, details, requestId}, where code is one of the document's camelCase codes
// and details is null or the object that code documents.
type v2Error struct {
	Status  int
	Code    string
	Message string
	Details any
}

// Error formats the status, code and message.
func (e *v2Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

// ErrorBody is the wire shape of every v2 error.
type ErrorBody struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	Details   any    `json:"details"`
	RequestID string `json:"requestId"`
}

// v2Issue is one entry of invalidRequest's details.issues: where the input is wrong (a query
// key, a body field path) and what to do about it.
type v2Issue struct {
	Path    []any  `json:"path"`
	Message string `json:"message"`
}

type v2IssueList struct {
	Issues []v2Issue `json:"issues"`
}

func v2Errorf(status int, code string, details any, format string, args ...any) *v2Error {
	return &v2Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...), Details: details}
}

// v2Invalid is a 400 invalidRequest about one input; path names it ("folder", or "target",
// "threadId" for a body field).
func v2Invalid(path []any, format string, args ...any) *v2Error {
	msg := fmt.Sprintf(format, args...)
	if path == nil {
		path = []any{}
	}
	return &v2Error{Status: http.StatusBadRequest, Code: "invalidRequest", Message: msg,
		Details: v2IssueList{Issues: []v2Issue{{Path: path, Message: msg}}}}
}

func v2InvalidCursor(format string, args ...any) *v2Error {
	return v2Errorf(http.StatusBadRequest, "invalidCursor", nil, format, args...)
}

// v2NotFound is the 404 of an unknown resource of the given kind.
func v2NotFound(kind, ref string) *v2Error {
	switch kind {
	case "thread":
		return v2Errorf(http.StatusNotFound, "threadNotFound", nil, "thread %q not found; list threads with GET /threads", ref)
	case "message":
		return v2Errorf(http.StatusNotFound, "messageNotFound", nil, "message %q not found; list a thread's messages with GET /threads/{threadId}/messages", ref)
	case "contact":
		return v2Errorf(http.StatusNotFound, "contactNotFound", nil, "contact %q not found; find contacts with GET /contacts?platform=…&platformId=…, or use a thread's contactId", ref)
	case "tag":
		return v2Errorf(http.StatusNotFound, "tagNotFound", nil, "no tag has the ID or name %q; list tags with GET /tags", ref)
	case "status":
		return v2Errorf(http.StatusNotFound, "statusNotFound", nil, "no status has the ID or name %q; list statuses with GET /statuses", ref)
	case "member":
		return v2Errorf(http.StatusNotFound, "memberNotFound", nil, "member %q not found; list members with GET /members", ref)
	case "accountLink":
		return v2Errorf(http.StatusNotFound, "accountLinkNotFound", nil, "account link %q not found; list account links with GET /account-links", ref)
	}
	return v2Errorf(http.StatusNotFound, "notFound", nil, "%s %q not found", kind, ref)
}

// capabilityDetails is the details object of capabilityNotSupported and threadRestricted.
type capabilityDetails struct {
	Capability string `json:"capability"`
}

func v2CapabilityNotSupported(capability string) *v2Error {
	return v2Errorf(http.StatusUnprocessableEntity, "capabilityNotSupported", capabilityDetails{capability},
		"this account link can't use %s; check the account link's capabilities (GET /account-links/{id}) before calling", capability)
}

func v2ThreadRestricted(capability string) *v2Error {
	return v2Errorf(http.StatusUnprocessableEntity, "threadRestricted", capabilityDetails{capability},
		"the platform disabled %s in this conversation; check the thread's restrictions before calling", capability)
}

type reasonDetails struct {
	Reason string `json:"reason"`
}

func v2NotModifiable(format string, args ...any) *v2Error {
	msg := fmt.Sprintf(format, args...)
	return &v2Error{Status: http.StatusUnprocessableEntity, Code: "messageNotModifiable", Message: msg, Details: reasonDetails{msg}}
}

type linkStateDetails struct {
	AccountLinkID string `json:"accountLinkId"`
	Status        string `json:"status"`
}

// asV2Error converts any error into a v2 error: the store's domain failures (storeErrorV2)
// and httpx's malformed requests map onto v2's codes. Anything unknown becomes a bare 500, so
// internals never reach the caller.
func asV2Error(err error) *v2Error {
	var e2 *v2Error
	if errors.As(err, &e2) {
		return e2
	}
	var se *store.Error
	if errors.As(err, &se) {
		return storeErrorV2(se)
	}
	var e1 *httpx.Error
	if errors.As(err, &e1) {
		switch e1.Code {
		case httpx.CodeValidation, httpx.CodePayloadTooLarge, httpx.CodeUnsupportedMedia:
			return v2Invalid(nil, "%s", e1.Message)
		case httpx.CodeThreadNotFound:
			return v2Errorf(http.StatusNotFound, "threadNotFound", nil, "%s", e1.Message)
		case httpx.CodeMessageNotFound:
			return v2Errorf(http.StatusNotFound, "messageNotFound", nil, "%s", e1.Message)
		case httpx.CodeProspectNotFound:
			return v2Errorf(http.StatusNotFound, "contactNotFound", nil, "%s", e1.Message)
		case httpx.CodeTagNotFound:
			return v2Errorf(http.StatusNotFound, "tagNotFound", nil, "%s", e1.Message)
		case httpx.CodeStatusNotFound:
			return v2Errorf(http.StatusNotFound, "statusNotFound", nil, "%s", e1.Message)
		case httpx.CodeMemberNotFound:
			return v2Errorf(http.StatusNotFound, "memberNotFound", nil, "%s", e1.Message)
		case httpx.CodeLinkNotFound:
			return v2Errorf(http.StatusNotFound, "accountLinkNotFound", nil, "%s", e1.Message)
		case httpx.CodeUnauthorized:
			return v2Errorf(http.StatusUnauthorized, "unauthorized", nil, "%s", e1.Message)
		}
	}
	return v2Errorf(http.StatusInternalServerError, "internal", nil, "internal error; try again later")
}

// v2NotFoundCodes are the codes of the store's not-found failures, by entity.
var v2NotFoundCodes = map[string]string{
	"thread":      "threadNotFound",
	"message":     "messageNotFound",
	"prospect":    "contactNotFound",
	"contact":     "contactNotFound",
	"tag":         "tagNotFound",
	"status":      "statusNotFound",
	"member":      "memberNotFound",
	"accountLink": "accountLinkNotFound",
}

// storeErrorV2 answers a domain failure with its v2 code and details. A conflict or a
// refusal v2 has no code for is a handler's to word (see conflictAsNameTaken); reaching
// here, it is a bare 500.
func storeErrorV2(e *store.Error) *v2Error {
	switch e.Kind {
	case store.KindInvalid:
		return v2Invalid(e.Field, "%s", e.Message)
	case store.KindNotFound:
		if code, ok := v2NotFoundCodes[e.Entity]; ok {
			return v2Errorf(http.StatusNotFound, code, nil, "%s", e.Message)
		}
	case store.KindLinkDisconnected:
		return v2Errorf(http.StatusConflict, "accountLinkDisconnected", linkStateDetails{AccountLinkID: e.AccountLinkID, Status: e.LinkStatus}, "%s", e.Message)
	case store.KindCapabilityNotSupported:
		return v2Errorf(http.StatusUnprocessableEntity, "capabilityNotSupported", capabilityDetails{e.Capability}, "%s", e.Message)
	case store.KindThreadRestricted:
		return v2Errorf(http.StatusUnprocessableEntity, "threadRestricted", capabilityDetails{e.Capability}, "%s", e.Message)
	case store.KindContentRejected:
		return v2Errorf(http.StatusUnprocessableEntity, "contentRejected", map[string]string{"detail": e.Message}, "%s", e.Message)
	case store.KindRecipientUnavailable:
		return v2Errorf(http.StatusUnprocessableEntity, "recipientUnavailable", reasonDetails{e.Message}, "%s", e.Message)
	case store.KindProfileAmbiguous:
		return v2Errorf(http.StatusUnprocessableEntity, "profileAmbiguous", map[string]string{"contactId": e.ContactID, "platform": e.Platform}, "%s", e.Message)
	case store.KindPlatformNotAvailable:
		return v2Errorf(http.StatusForbidden, "platformNotAvailable", map[string]string{"platform": e.Platform}, "%s", e.Message)
	case store.KindPlatformNotSupported:
		return v2Errorf(http.StatusUnprocessableEntity, "platformNotSupported", map[string]any{"platform": e.Platform, "supported": e.Supported}, "%s", e.Message)
	}
	return v2Errorf(http.StatusInternalServerError, "internal", nil, "internal error; try again later")
}

// newRequestID returns the ID of one request, as the requestId of an error body and the
// X-Request-Id header of every v2 response.
func newRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read does not fail on supported platforms
	return "req_" + hex.EncodeToString(b[:])
}
