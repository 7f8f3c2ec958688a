package v1

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestFixturePageMatchesSpec checks the benchmark fixture against the document's response
// schema, so the decoding benchmark measures a realistic page.
func TestFixturePageMatchesSpec(t *testing.T) {
	_, v := loadSpec(t)
	req := httptest.NewRequest("GET", "https://inboxapp.com/api/v1/threads?limit=100", nil)
	resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(samplePageJSON(100))), Request: req}
	if ok, errs := v.ValidateHttpResponse(req, resp); !ok {
		for _, e := range errs {
			t.Errorf("%s: %s", e.Message, e.Reason)
			for _, se := range e.SchemaValidationErrors {
				t.Errorf("  %s at %s", se.Reason, se.FieldPath)
			}
		}
	}
}

func TestDecodeIsTolerant(t *testing.T) {
	page := samplePageJSON(2)
	// Unknown enum values, extra fields at every level, a count written as a float, odd
	// reactions and a missing optional key must all decode.
	replacements := []struct{ old, new string }{
		{`"status":"active"`, `"status":"snoozed","futureField":{"a":[1,2]}`},
		{`"variant":"unencrypted"`, `"variant":"xChatV2"`},
		{`"verified":"verified"`, `"verified":"platinum"`},
		{`"followerCount":3068`, `"followerCount":3068.0`},
		{`"postCount":836`, `"postCount":8.36e2`},
		{`"notes":"Asked`, `"mood":"curious","notes":"Asked`},
	}
	s := string(page)
	for _, r := range replacements {
		if !strings.Contains(s, r.old) {
			t.Fatalf("fixture lacks %s", r.old)
		}
		s = strings.Replace(s, r.old, r.new, 1)
	}
	var got ThreadPage
	if err := json.Unmarshal([]byte(s), &got); err != nil {
		t.Fatalf("decode: %v", err)
	}
	th := got.Threads[0]
	if th.Status != "snoozed" || th.Variant != "xChatV2" || th.Prospect.Verified != "platinum" ||
		th.Prospect.FollowerCount != 3068 || th.Prospect.PostCount != 836 {
		t.Fatalf("decoded %q %q %q %d %d", th.Status, th.Variant, th.Prospect.Verified, th.Prospect.FollowerCount, th.Prospect.PostCount)
	}
	if got.NextCursor == nil || got.NextCursor.ID != sampleID("th", 2) {
		t.Fatalf("next cursor %+v", got.NextCursor)
	}

	msg := `{"platform":"twitter","teamId":"t","threadId":"th","id":"m","userId":null,"createdAt":"2025-11-10T18:03:16.000Z",
	"updatedAt":null,"platformId":null,"content":"hi","campaignId":null,"authorId":"1876543210987654321","origin":"carrier-pigeon",
	"replyData":{"messageId":"x"},"forwardData":null,"entities":null,"attachment":{"type":"image"},
	"reactions":[{"emoji":"👍","senderPlatformId":"1","createdAt":"2025-11-10T18:03:16.000Z"},"❤️",42,{"emoji":7}],
	"isEncrypted":null,"isEdited":false,"deletedAt":null,"platformDeletedAt":null}`
	var m Message
	if err := json.Unmarshal([]byte(msg), &m); err != nil {
		t.Fatalf("decode message: %v", err)
	}
	if *m.Origin != "carrier-pigeon" || m.AuthorID != "1876543210987654321" || len(m.Reactions) != 4 ||
		m.Reactions[0].Emoji != "👍" || m.Reactions[1].Emoji != "❤️" || string(m.Reactions[2].Raw) != "42" ||
		string(m.Reactions[3].Raw) != `{"emoji":7}` || string(m.Attachment) != `{"type":"image"}` || m.Failed != nil {
		t.Fatalf("decoded message %+v", m)
	}
}

func TestCountDecoding(t *testing.T) {
	tests := map[string]Count{"0": 0, "42": 42, "-3": -3, "3068.0": 3068, "1e3": 1000, "null": 0, "123456789012345678": 123456789012345678}
	for in, want := range tests {
		var c Count
		if err := json.Unmarshal([]byte(in), &c); err != nil || c != want {
			t.Errorf("Count(%s) = %d, %v; want %d", in, c, err, want)
		}
	}
	var c Count
	if err := json.Unmarshal([]byte(`"12"`), &c); err == nil {
		t.Error("a string decoded as a count")
	}
}

func TestCursorRoundTrip(t *testing.T) {
	c := Cursor{Timestamp: "2025-11-10T18:03:16.000Z", ID: "l44e15irdq4db30i77cgphhx"}
	got, err := ParseCursor(c.String())
	if err != nil || *got != c {
		t.Fatalf("ParseCursor(String()) = %+v, %v", got, err)
	}
	if got, err := ParseCursor(""); got != nil || err != nil {
		t.Fatalf(`ParseCursor("") = %+v, %v`, got, err)
	}
	for _, bad := range []string{"nope", "bm90IGEgY3Vyc29y", Cursor{Timestamp: "yesterday", ID: "abc"}.String(), Cursor{Timestamp: c.Timestamp, ID: "ABC"}.String()} {
		if _, err := ParseCursor(bad); err == nil || !strings.Contains(err.Error(), "pass next_cursor exactly") {
			t.Errorf("ParseCursor(%q) error = %v", bad, err)
		}
	}
}

// BenchmarkDecodeThreadPage measures decoding one page of 100 threads (the iterators' page
// size) into ThreadPage: allocations per page and bytes per page.
func BenchmarkDecodeThreadPage(b *testing.B) {
	page := samplePageJSON(100)
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		var p ThreadPage
		if err := json.Unmarshal(page, &p); err != nil {
			b.Fatal(err)
		}
		if len(p.Threads) != 100 {
			b.Fatal("short page")
		}
	}
}
