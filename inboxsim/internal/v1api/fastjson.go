package v1api

import (
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// The list endpoints are the hot path (a page of 100 threads is ~200 KB of JSON), so threads
// and messages are written by hand instead of through encoding/json's reflection. The output
// is byte-for-byte what encoding/json (with HTML escaping off) makes of the v1 wire structs;
// TestFastJSONMatchesEncodingJSON holds the two together over the whole seeded data set.

// JSONWriter appends JSON to a buffer.
type JSONWriter struct {
	B     []byte
	first bool
}

func (w *JSONWriter) open() { w.B = append(w.B, '{'); w.first = true }

func (w *JSONWriter) close() { w.B = append(w.B, '}'); w.first = false }

func (w *JSONWriter) key(k string) {
	if !w.first {
		w.B = append(w.B, ',')
	}
	w.first = false
	w.B = append(w.B, '"')
	w.B = append(w.B, k...)
	w.B = append(w.B, '"', ':')
}

func (w *JSONWriter) str(k, v string) {
	w.key(k)
	w.B = appendJSONString(w.B, v)
}

func (w *JSONWriter) strp(k string, v *string) {
	if v == nil {
		w.null(k)
		return
	}
	w.str(k, *v)
}

func (w *JSONWriter) null(k string) {
	w.key(k)
	w.B = append(w.B, "null"...)
}

func (w *JSONWriter) boolean(k string, v bool) {
	w.key(k)
	w.B = strconv.AppendBool(w.B, v)
}

func (w *JSONWriter) boolp(k string, v *bool) {
	if v == nil {
		w.null(k)
		return
	}
	w.boolean(k, *v)
}

func (w *JSONWriter) integer(k string, v int64) {
	w.key(k)
	w.B = strconv.AppendInt(w.B, v, 10)
}

func (w *JSONWriter) intp(k string, v *int64) {
	if v == nil {
		w.null(k)
		return
	}
	w.integer(k, *v)
}

func (w *JSONWriter) float(k string, v float64) {
	w.key(k)
	w.B = appendJSONFloat(w.B, v)
}

func (w *JSONWriter) floatp(k string, v *float64) {
	if v == nil {
		w.null(k)
		return
	}
	w.float(k, *v)
}

func (w *JSONWriter) time(k string, t time.Time) {
	w.key(k)
	w.B = appendTimestamp(w.B, t)
}

// appendTimestamp writes "2006-01-02T15:04:05.000Z" (quoted) without time.Format, which is
// the most expensive part of a page otherwise.
func appendTimestamp(b []byte, t time.Time) []byte {
	t = t.UTC()
	y, mo, d := t.Date()
	if y < 0 || y > 9999 {
		return append(t.AppendFormat(append(b, '"'), httpx.TimeFormat), '"')
	}
	h, mi, s := t.Clock()
	msec := t.Nanosecond() / 1e6
	two := func(b []byte, v int) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }
	b = append(b, '"', byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-')
	b = append(two(b, int(mo)), '-')
	b = append(two(b, d), 'T')
	b = append(two(b, h), ':')
	b = append(two(b, mi), ':')
	b = append(two(b, s), '.', byte('0'+msec/100), byte('0'+msec/10%10), byte('0'+msec%10), 'Z', '"')
	return b
}

func (w *JSONWriter) timep(k string, t *time.Time) {
	if t == nil {
		w.null(k)
		return
	}
	w.time(k, *t)
}

func (w *JSONWriter) strings(k string, vs []string) {
	w.key(k)
	w.B = append(w.B, '[')
	for i, v := range vs {
		if i > 0 {
			w.B = append(w.B, ',')
		}
		w.B = appendJSONString(w.B, v)
	}
	w.B = append(w.B, ']')
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s exactly as encoding/json does with HTML escaping off: \b \f \n \r
// \t by name, other control bytes as \u00XX, U+2028 and U+2029 escaped, invalid UTF-8 as
// \ufffd.
func appendJSONString(b []byte, s string) []byte {
	return append(appendJSONChars(append(b, '"'), s), '"')
}

// plainASCII marks the bytes copied as they are: printable ASCII except " and \.
var plainASCII = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// appendJSONChars is appendJSONString without the quotes.
func appendJSONChars(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if plainASCII[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(b, s[start:]...)
}

// appendJSONFloat formats like encoding/json: shortest representation, exponent form only
// for very small or large magnitudes.
func appendJSONFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// Clean up e-09 to e-9, as encoding/json does.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// Prospect writes a prospect as toV1Prospect would encode it.
func (w *JSONWriter) Prospect(p store.Prospect, now time.Time, withThreads bool) {
	age := now.Sub(p.LastUpdatedAt)
	w.open()
	w.str("platform", store.PlatformTwitter)
	w.str("platformId", p.PlatformID)
	w.str("externalId", p.ExternalID)
	w.intp("documentId", p.DocumentID)
	w.str("displayName", p.DisplayName)
	w.str("username", p.Username)
	w.key("handle")
	w.B = append(appendJSONChars(append(w.B, '"', '@'), p.Username), '"')
	w.strp("image", p.Image)
	w.strp("imageNormalized", p.ImageNormalized)
	w.strp("bio", p.Bio)
	w.strp("location", p.Location)
	w.key("profileUrl")
	w.B = append(appendJSONChars(append(w.B, `"https://x.com/`...), p.Username), '"')
	w.strp("websiteUrl", p.WebsiteURL)
	w.strp("websiteDomain", p.WebsiteDomain)
	w.str("verified", p.Verified)
	w.str("profileType", p.ProfileType)
	w.boolean("isProtected", p.IsProtected)
	w.integer("followerCount", p.FollowerCount)
	w.integer("followingCount", p.FollowingCount)
	w.integer("postCount", p.PostCount)
	w.intp("engagementCount", p.EngagementCount)
	w.intp("listedCount", p.ListedCount)
	w.timep("platformCreatedAt", p.PlatformCreatedAt)
	w.timep("firstSeenAt", p.FirstSeenAt)
	w.time("lastUpdatedAt", p.LastUpdatedAt)
	w.timep("lastEnrichedAt", p.LastEnrichedAt)
	w.timep("lastActiveAt", p.LastActiveAt)
	w.str("source", p.Source)
	w.boolean("isFresh", age < 7*24*time.Hour)
	w.boolean("isStale", age >= 30*24*time.Hour)
	w.float("confidence", p.Confidence)
	w.key("platformData")
	w.open()
	w.boolean("isVerifiedBlue", p.Verified == "verified")
	w.boolean("isVerifiedGold", p.Verified == "business")
	w.boolean("isVerifiedGray", p.Verified == "government")
	w.strp("professionalCategory", p.ProfessionalCategory)
	w.key("urlEntities")
	w.B = append(w.B, '[')
	for i, e := range p.URLEntities {
		if i > 0 {
			w.B = append(w.B, ',')
		}
		w.open()
		w.str("url", e.URL)
		w.str("expandedUrl", e.ExpandedURL)
		w.str("displayUrl", e.DisplayURL)
		w.key("indices")
		w.B = append(w.B, '[')
		w.B = strconv.AppendInt(w.B, int64(e.Start), 10)
		w.B = append(w.B, ',')
		w.B = strconv.AppendInt(w.B, int64(e.End), 10)
		w.B = append(w.B, ']')
		w.close()
	}
	w.B = append(w.B, ']')
	w.first = false
	w.strp("bannerUrl", p.BannerURL)
	w.integer("tweetsCount", p.PostCount)
	var favorites int64
	if p.EngagementCount != nil {
		favorites = *p.EngagementCount
	}
	w.integer("favoritesCount", favorites)
	w.null("rawData")
	w.close()
	w.first = false
	w.key("context")
	w.open()
	tags := p.Context.Tags
	if tags == nil {
		tags = []string{}
	}
	w.strings("tags", tags)
	w.strp("statusId", p.Context.StatusID)
	w.floatp("valuation", p.Context.Valuation)
	w.strp("notes", p.Context.Notes)
	if withThreads {
		w.key("threads")
		w.B = append(w.B, '[')
		for i, t := range p.Context.Threads {
			if i > 0 {
				w.B = append(w.B, ',')
			}
			w.open()
			w.str("id", t.ID)
			w.str("accountLinkId", t.AccountLinkID)
			w.timep("lastMessageTimestamp", t.LastMessageAt)
			w.time("createdAt", t.CreatedAt)
			w.close()
		}
		w.B = append(w.B, ']')
	}
	w.close()
	w.close()
}

func (w *JSONWriter) thread(t store.Thread, now time.Time) {
	w.open()
	w.str("id", t.ID)
	w.str("platform", store.PlatformTwitter)
	w.str("platformId", t.PlatformID)
	w.boolean("done", t.Done)
	w.strp("assigneeId", t.AssigneeID)
	w.timep("lastMessageTimestamp", t.LastMessageAt)
	w.time("computedSortTimestamp", t.SortAt)
	w.time("createdAt", t.CreatedAt)
	w.str("status", t.Status)
	w.str("variant", t.Variant)
	w.str("accountLinkId", t.AccountLinkID)
	w.boolean("isSyncing", t.IsSyncing)
	w.boolean("isRequest", t.IsRequest)
	w.boolp("typingIndicatorsEnabled", t.TypingEnabled)
	if m := t.LastMessage; m != nil {
		w.key("lastMessage")
		w.open()
		w.str("id", m.ID)
		w.str("content", m.Content)
		w.str("authorId", m.AuthorID)
		w.time("createdAt", m.CreatedAt)
		w.strp("userId", m.UserID)
		w.strp("campaignId", m.CampaignID)
		w.close()
		w.first = false
	} else {
		w.null("lastMessage")
	}
	w.key("prospect")
	w.Prospect(t.Prospect, now, false)
	w.close()
}

func (w *JSONWriter) message(m store.Message) {
	w.open()
	w.str("platform", store.PlatformTwitter)
	w.str("teamId", m.TeamID)
	w.str("threadId", m.ThreadID)
	w.str("id", m.ID)
	w.strp("userId", m.UserID)
	w.time("createdAt", m.CreatedAt)
	w.timep("updatedAt", m.UpdatedAt)
	w.strp("platformId", m.PlatformID)
	w.str("content", m.Content)
	w.strp("campaignId", m.CampaignID)
	w.str("authorId", m.AuthorID)
	w.strp("origin", m.Origin)
	if r := m.Reply; r != nil {
		w.key("replyData")
		w.open()
		w.str("messageId", r.MessageID)
		w.strp("platformId", r.PlatformID)
		w.str("content", r.Content)
		w.str("authorId", r.AuthorID)
		w.close()
		w.first = false
	} else {
		w.null("replyData")
	}
	w.null("forwardData")
	w.null("entities")
	w.null("attachment")
	w.key("reactions")
	w.B = append(w.B, '[')
	for i, r := range m.Reactions {
		if i > 0 {
			w.B = append(w.B, ',')
		}
		w.open()
		w.str("emoji", r.Emoji)
		w.str("senderPlatformId", r.SenderPlatformID)
		w.time("createdAt", r.CreatedAt)
		w.close()
	}
	w.B = append(w.B, ']')
	w.first = false
	w.boolp("isEncrypted", m.IsEncrypted)
	w.boolean("isEdited", m.IsEdited)
	w.timep("deletedAt", m.DeletedAt)
	w.timep("platformDeletedAt", m.PlatformDeletedAt)
	w.close()
}

// cursor writes nextCursor.
func (w *JSONWriter) cursor(c *store.Cursor) {
	if c == nil {
		w.null("nextCursor")
		return
	}
	w.key("nextCursor")
	w.open()
	w.time("timestamp", c.At)
	w.str("id", c.ID)
	w.close()
	w.first = false
}

func (w *JSONWriter) threads(ts []store.Thread, now time.Time) {
	w.B = append(w.B, '[')
	for i, t := range ts {
		if i > 0 {
			w.B = append(w.B, ',')
		}
		w.thread(t, now)
	}
	w.B = append(w.B, ']')
	w.first = false
}

// ThreadsJSON is a JSON array of threads.
func ThreadsJSON(ts []store.Thread, now time.Time) httpx.PooledJSON {
	w := JSONWriter{B: httpx.PooledBuffer(2600*len(ts) + 2)}
	w.threads(ts, now)
	return w.B
}

// ThreadPageJSON is the GET /threads response.
func ThreadPageJSON(p store.ThreadPage, now time.Time) httpx.PooledJSON {
	w := JSONWriter{B: httpx.PooledBuffer(2600*len(p.Threads) + 128)}
	w.open()
	w.key("threads")
	w.threads(p.Threads, now)
	w.cursor(p.Next)
	w.close()
	return w.B
}

// MessagePageJSON is the GET /threads/{threadId}/messages response.
func MessagePageJSON(teamID string, p store.MessagePage) httpx.PooledJSON {
	w := JSONWriter{B: httpx.PooledBuffer(700*len(p.Messages) + 256)}
	w.open()
	w.str("teamId", teamID)
	w.str("threadId", p.Thread.ID)
	w.key("messages")
	w.B = append(w.B, '[')
	for i, m := range p.Messages {
		if i > 0 {
			w.B = append(w.B, ',')
		}
		w.message(m)
	}
	w.B = append(w.B, ']')
	w.first = false
	w.cursor(p.Next)
	w.boolean("isSyncing", p.Thread.IsSyncing)
	w.close()
	return w.B
}
