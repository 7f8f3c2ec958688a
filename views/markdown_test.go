package views

import (
	"strings"
	"testing"
)

// TestQuoteNeutralizesMarkup: prospect text in a text rendering or transcript cannot render
// as a link hiding its target, an image a client would fetch, or HTML.
func TestQuoteNeutralizesMarkup(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // must appear
		not      []string // must not
	}{
		{"link", "see [our pricing](https://evil.example/x?a=1) now",
			[]string{"our pricing", "https://evil.example/x?a=1"}, []string{"]("}},
		{"link with a title", `[docs](https://evil.example/d "Official docs")`,
			[]string{"docs", "https://evil.example/d"}, []string{"]("}},
		{"image", "![logo](https://evil.example/track.png?u=1)",
			[]string{"logo", "https://evil.example/track.png?u=1"}, []string{"![", "]("}},
		{"nested brackets", "[a [b] c](https://evil.example/n)",
			[]string{"https://evil.example/n"}, []string{"]("}},
		{"reference definition", "[1]: https://evil.example/ref\nclick [here][1]",
			[]string{"https://evil.example/ref"}, []string{"[1]:"}},
		{"html image", `<img src="https://evil.example/p.png" onerror="x()">`,
			[]string{"https://evil.example/p.png"}, []string{"<img"}},
		{"html link", `<a href="https://evil.example/a">hi</a>`,
			[]string{"https://evil.example/a", "hi"}, []string{"<a ", "</a"}},
		{"autolink", "<https://evil.example/auto>", []string{"https://evil.example/auto"}, []string{"<https"}},
		{"plain text is kept", "Price is <3k, a [note] and 2 < 3", []string{"Price is <3k, a [note] and 2 < 3"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Quote(Sanitize(tt.in))
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Quote(%q) = %q, lacks %q", tt.in, got, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("Quote(%q) = %q, still has %q", tt.in, got, n)
				}
			}
		})
	}
}
