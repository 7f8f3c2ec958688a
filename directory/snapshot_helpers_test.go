package directory

import (
	"time"

	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// newSnapshot builds a snapshot holding every part, read at fetched, from the given lists
// (kept, not copied).
func newSnapshot(team inbox.Team, tags, statuses []inbox.Label, members []inbox.Member, accounts []inbox.Account, fetched time.Time) *Snapshot {
	s := index(team, tags, statuses, members, accounts)
	s.parts, s.Fetched = AllParts, fetched
	for i := range s.fetched {
		s.fetched[i] = fetched
	}
	return s
}
