package inboxsim

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

// jsonWriter appends JSON to a buffer.
type jsonWriter struct {
	b     []byte
	first bool
}

func (w *jsonWriter) open() { w.b = append(w.b, '{'); w.first = true }

func (w *jsonWriter) close() { w.b = append(w.b, '}'); w.first = false }

func (w *jsonWriter) key(k string) {
	if !w.first {
		w.b = append(w.b, ',')
	}
	w.first = false
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, '"', ':')
}

func (w *jsonWriter) str(k, v string) {
	w.key(k)
	w.b = appendJSONString(w.b, v)
}

func (w *jsonWriter) strp(k string, v *string) {
	if v == nil {
		w.null(k)
		return
	}
	w.str(k, *v)
}

func (w *jsonWriter) null(k string) {
	w.key(k)
	w.b = append(w.b, "null"...)
}

func (w *jsonWriter) boolean(k string, v bool) {
	w.key(k)
	w.b = strconv.AppendBool(w.b, v)
}

func (w *jsonWriter) boolp(k string, v *bool) {
	if v == nil {
		w.null(k)
		return
	}
	w.boolean(k, *v)
}

func (w *jsonWriter) integer(k string, v int64) {
	w.key(k)
	w.b = strconv.AppendInt(w.b, v, 10)
}

func (w *jsonWriter) intp(k string, v *int64) {
	if v == nil {
		w.null(k)
		return
	}
	w.integer(k, *v)
}

func (w *jsonWriter) float(k string, v float64) {
	w.key(k)
	w.b = appendJSONFloat(w.b, v)
}

func (w *jsonWriter) floatp(k string, v *float64) {
	if v == nil {
		w.null(k)
		return
	}
	w.float(k, *v)
}

func (w *jsonWriter) time(k string, t time.Time) {
	w.key(k)
	w.b = appendTimestamp(w.b, t)
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

func (w *jsonWriter) timep(k string, t *time.Time) {
	if t == nil {
		w.null(k)
		return
	}
	w.time(k, *t)
}

func (w *jsonWriter) strings(k string, vs []string) {
	w.key(k)
	w.b = append(w.b, '[')
	for i, v := range vs {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.b = appendJSONString(w.b, v)
	}
	w.b = append(w.b, ']')
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

func (w *jsonWriter) prospect(p store.Prospect, now time.Time, withThreads bool) {
	age := now.Sub(p.LastUpdatedAt)
	w.open()
	w.str("platform", store.PlatformTwitter)
	w.str("platformId", p.PlatformID)
	w.str("externalId", p.ExternalID)
	w.intp("documentId", p.DocumentID)
	w.str("displayName", p.DisplayName)
	w.str("username", p.Username)
	w.key("handle")
	w.b = append(appendJSONChars(append(w.b, '"', '@'), p.Username), '"')
	w.strp("image", p.Image)
	w.strp("imageNormalized", p.ImageNormalized)
	w.strp("bio", p.Bio)
	w.strp("location", p.Location)
	w.key("profileUrl")
	w.b = append(appendJSONChars(append(w.b, `"https://x.com/`...), p.Username), '"')
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
	w.b = append(w.b, '[')
	for i, e := range p.URLEntities {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.open()
		w.str("url", e.URL)
		w.str("expandedUrl", e.ExpandedURL)
		w.str("displayUrl", e.DisplayURL)
		w.key("indices")
		w.b = append(w.b, '[')
		w.b = strconv.AppendInt(w.b, int64(e.Start), 10)
		w.b = append(w.b, ',')
		w.b = strconv.AppendInt(w.b, int64(e.End), 10)
		w.b = append(w.b, ']')
		w.close()
	}
	w.b = append(w.b, ']')
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
		w.b = append(w.b, '[')
		for i, t := range p.Context.Threads {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.open()
			w.str("id", t.ID)
			w.str("accountLinkId", t.AccountLinkID)
			w.timep("lastMessageTimestamp", t.LastMessageAt)
			w.time("createdAt", t.CreatedAt)
			w.close()
		}
		w.b = append(w.b, ']')
	}
	w.close()
	w.close()
}

func (w *jsonWriter) thread(t store.Thread, now time.Time) {
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
	w.prospect(t.Prospect, now, false)
	w.close()
}

func (w *jsonWriter) message(m store.Message) {
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
	w.b = append(w.b, '[')
	for i, r := range m.Reactions {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.open()
		w.str("emoji", r.Emoji)
		w.str("senderPlatformId", r.SenderPlatformID)
		w.time("createdAt", r.CreatedAt)
		w.close()
	}
	w.b = append(w.b, ']')
	w.first = false
	w.boolp("isEncrypted", m.IsEncrypted)
	w.boolean("isEdited", m.IsEdited)
	w.timep("deletedAt", m.DeletedAt)
	w.timep("platformDeletedAt", m.PlatformDeletedAt)
	w.close()
}

// cursor writes nextCursor.
func (w *jsonWriter) cursor(c *store.Cursor) {
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

func (w *jsonWriter) threads(ts []store.Thread, now time.Time) {
	w.b = append(w.b, '[')
	for i, t := range ts {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.thread(t, now)
	}
	w.b = append(w.b, ']')
	w.first = false
}

// threadsJSON is a JSON array of threads.
func threadsJSON(ts []store.Thread, now time.Time) httpx.PooledJSON {
	w := jsonWriter{b: httpx.PooledBuffer(2600*len(ts) + 2)}
	w.threads(ts, now)
	return w.b
}

// threadPageJSON is the GET /threads response.
func threadPageJSON(p store.ThreadPage, now time.Time) httpx.PooledJSON {
	w := jsonWriter{b: httpx.PooledBuffer(2600*len(p.Threads) + 128)}
	w.open()
	w.key("threads")
	w.threads(p.Threads, now)
	w.cursor(p.Next)
	w.close()
	return w.b
}

// messagePageJSON is the GET /threads/{threadId}/messages response.
func messagePageJSON(teamID string, p store.MessagePage) httpx.PooledJSON {
	w := jsonWriter{b: httpx.PooledBuffer(700*len(p.Messages) + 256)}
	w.open()
	w.str("teamId", teamID)
	w.str("threadId", p.Thread.ID)
	w.key("messages")
	w.b = append(w.b, '[')
	for i, m := range p.Messages {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.message(m)
	}
	w.b = append(w.b, ']')
	w.first = false
	w.cursor(p.Next)
	w.boolean("isSyncing", p.Thread.IsSyncing)
	w.close()
	return w.b
}
