package testenv

import (
	"context"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	v2 "github.com/inbox-mcp/inbox-mcp/apiclient/v2"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
)

// LastEvent returns the sequence number of the newest event in the simulator's v2 event
// log, 0 when it is empty. The v2 log holds every change, made through either API version
// and on every platform (v1's own log misses what v1 cannot see, such as LinkedIn), so a
// test proves that a refused call changed nothing by reading it before and after.
func LastEvent(t testing.TB, srv *inboxsim.Server) int64 {
	t.Helper()
	tc, err := apiclient.New(apiclient.Config{BaseURL: APIURL(srv, "v2"), Token: srv.Token, RatePerMinute: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	c := v2.New(tc, v2.Options{})
	var seq int64
	for {
		after := seq
		p, err := c.ListEvents(context.Background(), v2.EventQuery{AfterSeq: &after, Limit: 1000})
		if err != nil {
			t.Fatalf("read the event log: %v", err)
		}
		if p.LastSeq != nil {
			seq = p.LastSeq.Int64()
		}
		if !p.HasMore {
			return seq
		}
	}
}

// LastEvent is [LastEvent] on the harness's simulator.
func (h *Harness) LastEvent(t testing.TB) int64 {
	t.Helper()
	return LastEvent(t, h.Sim)
}
