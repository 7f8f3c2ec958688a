package inboxsim

import (
	"context"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// What tests and benchmarks may read and do beside the HTTP API, which remains the contract:
// choose their fixtures from the seeded data, prepare a tag, and make a prospect write.

// The views of the thread listing, by their v1 names.
const (
	ViewDefault  = store.ViewDefault
	ViewNoReply  = store.ViewNoReply
	ViewRequests = store.ViewRequests
	ViewArchived = store.ViewArchived
)

// ThreadSummary is what a fixture needs of a thread.
type ThreadSummary struct {
	ID string
	// ProspectUsername and ProspectExternalID name the prospect ("" when the thread has none).
	ProspectUsername, ProspectExternalID string
	// LastMessageAt is the time of the thread's last message, nil when it has none.
	LastMessageAt *time.Time
}

// Threads lists the seeded team's threads in a view, in the order of the v1 listing (latest
// activity first), reading pageSize threads at a time as a client would; pages is the
// number of pages that took.
func (s *Sim) Threads(ctx context.Context, view string, pageSize int) (threads []ThreadSummary, pages int, err error) {
	var cur *store.Cursor
	for {
		p, err := s.store.ListThreads(ctx, s.teamID, store.ThreadQuery{View: view, Limit: pageSize, After: cur})
		if err != nil {
			return nil, pages, err
		}
		pages++
		for _, t := range p.Threads {
			threads = append(threads, ThreadSummary{ID: t.ID, ProspectUsername: t.Prospect.Username,
				ProspectExternalID: t.Prospect.ExternalID, LastMessageAt: t.LastMessageAt})
		}
		if p.Next == nil {
			return threads, pages, nil
		}
		cur = p.Next
	}
}

// MessageCount returns the number of messages in a thread of the seeded team.
func (s *Sim) MessageCount(ctx context.Context, threadID string) (int, error) {
	n := 0
	var cur *store.Cursor
	for {
		p, err := s.store.ListMessages(ctx, s.teamID, threadID, 100, cur)
		if err != nil {
			return 0, err
		}
		n += len(p.Messages)
		if p.Next == nil {
			return n, nil
		}
		cur = p.Next
	}
}

// CreateTag creates a tag in the seeded team, with the default color.
func (s *Sim) CreateTag(ctx context.Context, name string) error {
	_, err := s.store.CreateTag(ctx, s.teamID, store.LabelInput{Name: &name})
	return err
}

// ReceiveMessage stores a message the prospect of a thread wrote, as if it came in over the
// platform.
func (s *Sim) ReceiveMessage(ctx context.Context, threadID, content string) error {
	_, err := s.store.ReceiveMessage(ctx, s.teamID, threadID, content)
	return err
}
