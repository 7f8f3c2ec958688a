package directory

import "testing"

// TestConfusable tells names a person cannot tell apart from names that merely resemble.
func TestConfusable(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"Hot Lead", "\u0397ot Lead", true},  // Greek capital Eta
		{"Hot Lead", "Hot L\u0435ad", true},  // Cyrillic e
		{"Hot Lead", "ＨＯＴ ＬＥＡＤ", true},       // fullwidth
		{"Hot Lead", "Hot\u200bLead", false}, // a zero-width space joins the words: reads "HotLead"
		{"Hot Lead", "Hot \u200bLead", true}, // …but beside a space it is invisible
		{"Tier 1", "Tier l", true},           // digit one and lower-case L
		{"Hot Lead", "Hot Leads", false},     // a different word
		{"Hot Lead", "Hot Lead", false},      // the same name is not a look-alike
		{"Pricing", "Prіcing", true},         // Cyrillic i
		{"Enterprise", "Enterprise Plus", false},
	}
	for _, tt := range tests {
		if got := Confusable(tt.a, tt.b); got != tt.want {
			t.Errorf("Confusable(%q, %q) = %v, want %v (skeletons %q, %q)", tt.a, tt.b, got, tt.want, Skeleton(tt.a), Skeleton(tt.b))
		}
	}
	if got := Suggest("\u0397ot Lead", []string{"Hot Leads", "Hot Lead", "Cold"}, 3); len(got) == 0 || got[0] != "Hot Lead" {
		t.Errorf("Suggest for a look-alike = %v, want Hot Lead first", got)
	}
}
