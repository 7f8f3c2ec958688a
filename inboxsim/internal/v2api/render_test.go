package v2api

import (
	"reflect"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// TestExtractEntities checks the marked-up parts of messages, with offsets in code points.
func TestExtractEntities(t *testing.T) {
	e := ExtractEntities("👋 Hi @jane_doe, see https://northwind.app/pricing. #SaaS $NWD", store.SrcX)
	want := EntitiesJSON{
		URLs:       []URLJSON{{URL: "https://northwind.app/pricing", DisplayURL: "northwind.app/pricing", Indices: &Indices{20, 49}}},
		PostShares: []struct{}{},
		Mentions:   []MentionJSON{{Username: "jane_doe", Indices: &Indices{5, 14}}},
		Hashtags:   []HashtagJSON{{Tag: "SaaS", Indices: &Indices{51, 56}}},
		Cashtags:   []CashtagJSON{{Symbol: "NWD", Indices: &Indices{57, 61}}},
		Format:     []struct{}{},
	}
	if !reflect.DeepEqual(e, want) {
		t.Errorf("entities = %s\nwant %s", httpx.JSONBody(e), httpx.JSONBody(want))
	}
	li := ExtractEntities("Ping @jane #SaaS https://x.co", store.SrcLI)
	if len(li.Mentions) != 0 || len(li.Hashtags) != 0 || len(li.URLs) != 1 {
		t.Errorf("LinkedIn marks only links: %+v", li)
	}
	if none := ExtractEntities("email me at jane@northwind.app, price is 5$ and #1", store.SrcX); len(none.Mentions)+len(none.Cashtags)+len(none.Hashtags) != 0 {
		t.Errorf("no entity expected in an e-mail address, a price or a number: %+v", none)
	}
}
