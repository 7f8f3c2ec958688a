package v2

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
)

func TestProbe(t *testing.T) {
	b, _ := os.ReadFile("../../api/inbox-v2.openapi.json")
	doc, err := libopenapi.NewDocument(b)
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(doc, config.WithStrictMode())
	if errs != nil {
		t.Fatal(errs)
	}
	type rq struct{ m, p, body string }
	for _, r := range []rq{
		{"POST", "/api/v2/messages/abc/reactions", `{"emoji":"👍"}`},
		{"POST", "/api/v2/messages/abc/reactions", `{"emoji":"ab"}`},
		{"DELETE", "/api/v2/messages/abc/reactions?emoji=%F0%9F%91%8D", ``},
		{"PUT", "/api/v2/contacts/abc/tags/Hot%20Lead", ``},
		{"GET", "/api/v2/threads?tag=a&tag=b&folder=noReply&q=x&expand=contact&expand=profile", ``},
		{"GET", "/api/v2/threads?tag=a,b", ``},
		{"GET", "/api/v2/threads?tag[]=a", ``},
		{"GET", "/api/v2/threads?bogus=1", ``},
		{"GET", "/api/v2/threads?accountLinkId=ABC", ``},
		{"GET", "/api/v2/threads?accountLinkId=ABC&accountLinkId=abc", ``},
		{"GET", "/api/v2/threads?folder=bogus", ``},
		{"GET", "/api/v2/threads?order=desc&order=asc", ``},
		{"GET", "/api/v2/threads?limit=0", ``},
		{"GET", "/api/v2/contacts?platformId=1", ``},
		{"GET", "/api/v2/threads/ABC", ``},
		{"PATCH", "/api/v2/contacts/abc", `{"statusId":"x"}`},
		{"POST", "/api/v2/messages", `{"target":{"type":"thread","threadId":"abc"},"content":"hi"}`},
		{"POST", "/api/v2/messages", `{"target":{"type":"thread","threadId":"abc"},"content":""}`},
	} {
		var body io.Reader
		if r.body != "" {
			body = strings.NewReader(r.body)
		}
		req := httptest.NewRequest(r.m, "http://x"+r.p, body)
		req.Header.Set("Authorization", "Bearer x")
		if r.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		ok, verrs := v.ValidateHttpRequest(req)
		t.Logf("%s %s %s ok=%v", r.m, r.p, r.body, ok)
		for _, e := range verrs {
			t.Logf("  %s: %s", e.Message, e.Reason)
			for _, s := range e.SchemaValidationErrors {
				t.Logf("    %s %s", s.FieldPath, s.Reason)
			}
		}
	}
	req := httptest.NewRequest("GET", "http://x/api/v2/tags", nil)
	resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(bytes.NewBufferString(`{"data":[],"nextCursor":null}`)), Request: req}
	ok, verrs := v.ValidateHttpResponse(req, resp)
	t.Log(ok, verrs)
}
