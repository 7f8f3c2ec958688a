package inbox

import "context"

// Backend is everything the MCP layer asks of an Inbox API. Implementations translate to one
// API version and return the version-neutral types of this package, errors included: a
// failure is one of the kinds of errors.go (ErrNotFound, ErrRateLimited, …), matched with
// errors.Is, and what the API said comes along as an *Error, found with errors.As. Callers
// never need to know the transport.
type Backend interface {
	// APIVersion names the API version behind this backend ("v1", "v2").
	APIVersion() string
	// Features says which optional features this version offers.
	Features() Features

	Team(ctx context.Context) (Team, error)
	Accounts(ctx context.Context) ([]Account, error)
	Members(ctx context.Context) ([]Member, error)

	Tags(ctx context.Context) ([]Label, error)
	CreateTag(ctx context.Context, name, color string) (Label, error)
	UpdateTag(ctx context.Context, id string, u LabelUpdate) (Label, error)
	DeleteTag(ctx context.Context, id string) error
	Statuses(ctx context.Context) ([]Label, error)
	CreateStatus(ctx context.Context, name, color string) (Label, error)
	UpdateStatus(ctx context.Context, id string, u LabelUpdate) (Label, error)
	DeleteStatus(ctx context.Context, id string) error

	// ListThreads returns one page of threads, newest activity first unless q.Ascending.
	// cursor is opaque ("" = first page); limit is 1–100.
	ListThreads(ctx context.Context, q ThreadQuery, cursor string, limit int) (Page[Thread], error)
	GetThread(ctx context.Context, id string) (Thread, error)
	UpdateThread(ctx context.Context, id string, u ThreadUpdate) (Thread, error)
	// ThreadsWithUsername returns every thread, across the team's accounts, with the person
	// whose username matches (case-insensitive, without @). Empty on a miss.
	ThreadsWithUsername(ctx context.Context, username string) ([]Thread, error)
	// FindThread returns the thread between an account and a person, or nil on a miss.
	FindThread(ctx context.Context, accountID string, who PersonRef) (*Thread, error)

	// ListMessages returns one page of a thread's messages, newest first.
	ListMessages(ctx context.Context, threadID, cursor string, limit int) (Page[Message], error)
	// Send sends one message and reports honestly whether it landed. It never sends twice.
	Send(ctx context.Context, r SendRequest) SendResult
	EditMessage(ctx context.Context, threadID, messageID, content string) error
	DeleteMessage(ctx context.Context, threadID, messageID string) error
	// React adds (add=true) or removes an emoji reaction.
	React(ctx context.Context, threadID, messageID, emoji string, add bool) error

	// Prospect returns the person with the team's record; id is Prospect.ID.
	Prospect(ctx context.Context, id string) (Prospect, error)
	// LookupProspect finds a person by platform user ID; nil on a miss.
	LookupProspect(ctx context.Context, platformID string) (*Prospect, error)
	// UpdateProspect changes the team's record of person p (addressed by p.ID) and returns
	// it as it now is. p is the record as the caller last read it: where the API's answers
	// to the writes do not carry the whole record (v2's tag calls answer 204), the result is
	// built from p and what was applied instead of being read back. An empty update reads
	// the record.
	UpdateProspect(ctx context.Context, p Prospect, u ContextUpdate) (Prospect, error)
}

// Features lists the optional features of an API version.
type Features struct {
	ThreadSearch bool // ThreadQuery.Text is honoured
	Unread       bool // Thread.Unread and ThreadQuery.Unread are honoured
	Capabilities bool // Account.Capabilities and Thread.Restrictions come from the API
	// RecordAssignee says a prospect's assignee is kept on the team's record (v2: the
	// contact's default assignee, which a thread's own assignee overrides), so
	// Prospect.Context.AssigneeID is authoritative; otherwise (v1) assignees live on the
	// person's threads and the record may not say.
	RecordAssignee bool
	// IdempotentSends says SendRequest.IdempotencyKey is honoured: every attempt of a send
	// carries it, and the API answers a repeated key with the first send's result instead of
	// sending again (v2), so a send interrupted by a crash can be resumed without a second
	// copy.
	IdempotentSends bool
	Platforms       []string
}

// ThreadQuery selects threads. Zero values mean "no filter"; ID lists match any of their IDs.
type ThreadQuery struct {
	View        View
	AccountIDs  []string
	TagIDs      []string
	NoTags      bool
	StatusIDs   []string
	NoStatus    bool
	AssigneeIDs []string
	NoAssignee  bool
	CampaignIDs []string
	NoCampaign  bool
	Ascending   bool   // oldest activity first
	Text        string // free-text search; only when Features().ThreadSearch
	Unread      *bool  // only when Features().Unread
}

// Page is one page of a cursor-paginated listing. Next is "" on the last page.
type Page[T any] struct {
	Items []T
	Next  string
}

// ThreadUpdate changes a thread; zero fields are left unchanged.
type ThreadUpdate struct {
	Done     Change[bool]
	Assignee Change[string] // member ID; Clear() unassigns
}

// LabelUpdate renames or recolors a tag or status; zero fields are left unchanged.
type LabelUpdate struct {
	Name  Change[string]
	Color Change[string] // Clear() removes the color
}

// ContextUpdate changes the team's record of a person; zero fields are left unchanged.
type ContextUpdate struct {
	AddTags    []string
	RemoveTags []string
	Status     Change[string] // status ID; Clear() removes the status
	Notes      Change[string]
	Valuation  Change[float64]
	Assignee   Change[string] // member ID; Clear() unassigns
}

// IsEmpty reports whether the update changes nothing.
func (u ContextUpdate) IsEmpty() bool {
	return len(u.AddTags) == 0 && len(u.RemoveTags) == 0 && !u.Status.Changed() &&
		!u.Notes.Changed() && !u.Valuation.Changed() && !u.Assignee.Changed()
}

// PersonRef names a person by one of: the team's record ID, the platform user ID, or the
// username. The first non-empty field wins in that order.
type PersonRef struct {
	ID         string
	PlatformID string
	Username   string
}

// SendRequest is one message to send: to an existing thread (ThreadID), or to a person from
// one of the team's accounts (AccountID + To), finding or creating the thread.
type SendRequest struct {
	ThreadID  string
	AccountID string
	To        PersonRef
	Content   string
	ReplyToID string
	// IdempotencyKey, when set and Features().IdempotentSends, is carried by every attempt
	// of the send; sending again with the same key resumes this send rather than sending
	// another copy. Empty means a fresh key for this call alone (or none, where the API has
	// no keys).
	IdempotencyKey string
}

// Outcome is what is known about a send.
type Outcome string

// The three honest answers about a send.
const (
	Sent    Outcome = "sent"     // the message landed
	NotSent Outcome = "not_sent" // the message did not land; Reason says why
	Unknown Outcome = "unknown"  // it could not be established; Checked says what was tried
)

// SendResult reports a send. Message is set when Outcome is Sent.
type SendResult struct {
	Outcome  Outcome
	Message  *Message
	ThreadID string
	Reason   string // why it was not sent, or why it is unknown
	Checked  string // what was read back to establish the outcome, if anything
	Err      error  // the underlying error, if any
	// Replayed says the message had already been sent by an earlier attempt under the same
	// IdempotencyKey: the API returned that message and sent nothing now.
	Replayed bool
}

// Change is an optional change to a field: the zero value leaves the field alone, Set gives it
// a value and Clear removes the value (an explicit null on the wire).
type Change[T any] struct {
	state uint8 // 0 keep, 1 set, 2 clear
	value T
}

// Set returns a change that gives a field the value v.
func Set[T any](v T) Change[T] { return Change[T]{state: 1, value: v} }

// Clear returns a change that removes a field's value.
func Clear[T any]() Change[T] { return Change[T]{state: 2} }

// Changed reports whether the field is to change at all.
func (c Change[T]) Changed() bool { return c.state != 0 }

// Cleared reports whether the field is to be cleared.
func (c Change[T]) Cleared() bool { return c.state == 2 }

// Value returns the new value and whether one is set (false when keep or clear).
func (c Change[T]) Value() (T, bool) { return c.value, c.state == 1 }
