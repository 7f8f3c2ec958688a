package v2

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestSpecTransportCatches proves the contract checks can fail: requests v2 refuses
// (brackets, a repeated scalar key, a malformed ID, an emoji that is not one) and answers
// that break the document are reported, while correct ones pass.
func TestSpecTransportCatches(t *testing.T) {
	s, srv := newScripted(t)
	s.script("GET /tags", reply{status: http.StatusOK, body: page(nil, map[string]any{"id": "x", "name": "No color"})})
	base := srv.URL + "/api/v2"
	for _, tc := range []struct {
		method, path, body string
		bad                bool
		why                string
	}{
		{"GET", "/threads?tag=Hot+Lead&tag=" + pricingID + "&folder=noReply&expand=contact", "", false, "repeated array keys"},
		{"GET", "/threads?tag[]=a", "", true, "bracketed key"},
		{"GET", "/threads?order=asc&order=desc", "", true, "repeated scalar key"},
		{"GET", "/threads?accountLinkId=ABC", "", true, "ID not matching the Cuid2 pattern"},
		{"GET", "/threads?expand=profile&expand=contact&expand=accountLink&expand=assignee&expand=profile", "", true, "more than 4 expansions"},
		{"GET", "/threads?folder=done", "", true, "unknown folder"},
		{"GET", "/contacts?platformId=1", "", true, "missing platform"},
		{"POST", "/messages/" + msgInID + "/reactions", `{"emoji":"👍"}`, false, "one emoji"},
		{"POST", "/messages/" + msgInID + "/reactions", `{"emoji":"👍🏽"}`, false, "emoji with a skin tone"},
		{"POST", "/messages/" + msgInID + "/reactions", `{"emoji":"ok"}`, true, "not an emoji"},
		{"POST", "/messages/" + msgInID + "/reactions", `{"emoji":"👍👍"}`, true, "two emoji"},
		{"POST", "/messages", `{"target":{"type":"thread","threadId":"` + thSarahID + `"},"content":""}`, true, "empty content"},
		{"PATCH", "/contacts/" + sarahID, `{"statusId":"x"}`, true, "v1 field name"},
		{"GET", "/tags", "", true, "answer without a required field"},
		{"GET", "/team", "", false, "fixture answer"},
	} {
		hc := http.DefaultTransport.(*http.Transport).Clone()
		t.Cleanup(hc.CloseIdleConnections)
		st := newSpecTransport(t, hc)
		var body io.Reader
		if tc.body != "" {
			body = strings.NewReader(tc.body)
		}
		req, _ := http.NewRequest(tc.method, base+tc.path, body)
		req.Header.Set("Authorization", "Bearer test-token")
		if tc.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := st.RoundTrip(req)
		if err != nil {
			t.Fatalf("%s: %v", tc.why, err)
		}
		resp.Body.Close()
		if got := len(st.failures) > 0; got != tc.bad {
			t.Errorf("%s (%s %s): reported %v, want %v: %v", tc.why, tc.method, tc.path, got, tc.bad, st.failures)
		}
	}
}
