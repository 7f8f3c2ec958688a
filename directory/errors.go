package directory

import (
	"errors"
	"sort"
	"strconv"
	"strings"
)

// listAllBelow is how many names an error lists in full when nothing is close: a short list
// helps more than "not found", a long one costs tokens for nothing.
const listAllBelow = 12

// NotFoundError says a name matched nothing, with the names that come close.
type NotFoundError struct {
	Kind string // "tag", "status", "member", "account"
	Ref  string
	// Suggestions are the closest names, best first; empty when none is close.
	Suggestions []string
	// Known lists every name when there are few and none was close.
	Known []string
	// Count is how many there are of Kind.
	Count int
}

// Error says what was not found and what would have matched.
func (e *NotFoundError) Error() string {
	var b strings.Builder
	b.WriteString("no " + e.Kind + " named " + strconv.Quote(e.Ref))
	switch {
	case len(e.Suggestions) > 0:
		b.WriteString("; did you mean " + quoteAll(e.Suggestions, " or ") + "?")
	case e.Count == 0:
		b.WriteString("; the team has no " + plural(e.Kind))
	case len(e.Known) > 0:
		b.WriteString("; the " + plural(e.Kind) + " are " + quoteAll(e.Known, ", "))
	default:
		b.WriteString("; the team has " + strconv.Itoa(e.Count) + " " + plural(e.Kind) + " and none is close")
	}
	return b.String()
}

// AmbiguousError says a name matched several, and how to tell them apart.
type AmbiguousError struct {
	Kind    string
	Ref     string
	Choices []string
}

// Error lists the choices.
func (e *AmbiguousError) Error() string {
	return strconv.Itoa(len(e.Choices)) + " " + plural(e.Kind) + " are named " + strconv.Quote(e.Ref) +
		"; use one of " + quoteAll(e.Choices, ", ")
}

// IsNotFound reports whether err says a name matched nothing.
func IsNotFound(err error) bool {
	var nf *NotFoundError
	return errors.As(err, &nf)
}

func plural(kind string) string {
	if strings.HasSuffix(kind, "s") {
		return kind + "es"
	}
	return kind + "s"
}

func quoteAll(ss []string, sep string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, sep)
}

func notFound(kind, ref string, names []string) *NotFoundError {
	e := &NotFoundError{Kind: kind, Ref: ref, Count: len(names), Suggestions: Suggest(ref, names, 3)}
	if len(e.Suggestions) == 0 && len(names) <= listAllBelow {
		e.Known = append([]string(nil), names...)
	}
	return e
}

// maxSuggestRef bounds the references Suggest compares: no name is that long, and comparing
// a megabyte with every name would only cost time.
const maxSuggestRef = 256

// Suggest returns up to n candidates close to ref, best first: those that start with it or
// contain it (ignoring case), then those within a small edit distance (about one typo per
// three letters).
func Suggest(ref string, candidates []string, n int) []string {
	r := norm(ref)
	if r == "" || n <= 0 || len(r) > maxSuggestRef {
		return nil
	}
	skel := Skeleton(ref)
	type scored struct {
		name  string
		score int
	}
	var hits []scored
	seen := map[string]bool{}
	for _, c := range candidates {
		cn := norm(c)
		if cn == "" || seen[c] {
			continue
		}
		score := -1
		switch {
		case skel == Skeleton(c):
			score = -1 // reads the same: the best suggestion
			seen[c] = true
			hits = append(hits, scored{c, score})
			continue
		case strings.HasPrefix(cn, r) || strings.HasPrefix(r, cn) && len(cn) >= 3:
			score = 0
		case strings.Contains(cn, r) && len(r) >= 3:
			score = 1
		default:
			limit := max(1, len([]rune(r))/3)
			if d := distance(r, cn, limit); d <= limit {
				score = 1 + d
			}
		}
		if score >= 0 {
			seen[c] = true
			hits = append(hits, scored{c, score})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].score < hits[j].score })
	if len(hits) > n {
		hits = hits[:n]
	}
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.name
	}
	return out
}

// distance is the edit distance between a and b in runes, counting a swap of two adjacent
// letters as one edit (optimal string alignment), giving up (returning limit+1) as soon as it
// must exceed limit.
func distance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
