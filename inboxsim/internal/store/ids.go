package store

import (
	crand "crypto/rand"
	"encoding/binary"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"
)

const (
	idLength    = 24
	idAlphabet  = "0123456789abcdefghijklmnopqrstuvwxyz"
	idLetters   = "abcdefghijklmnopqrstuvwxyz"
	twitterEpoc = 1288834974657 // ms; X snowflake IDs count from here
)

// idSource makes 24-character lowercase IDs in the style of CUID2 (a letter, then letters and
// digits), and X-style numeric snowflake IDs. It is safe for concurrent use.
type idSource struct {
	mu  sync.Mutex
	rng *rand.Rand
}

// newIDSource returns a source seeded from the operating system, for IDs made at run time.
func newIDSource() *idSource {
	var seed [32]byte
	if _, err := crand.Read(seed[:]); err != nil {
		// crypto/rand does not fail on supported platforms; fall back to the clock regardless.
		binary.LittleEndian.PutUint64(seed[:], uint64(time.Now().UnixNano()))
	}
	return &idSource{rng: rand.New(rand.NewChaCha8(seed))}
}

func (s *idSource) id() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return MakeID(s.rng)
}

// MakeID returns a random Inbox ID from rng.
func MakeID(rng *rand.Rand) string {
	var b [idLength]byte
	b[0] = idLetters[rng.IntN(len(idLetters))]
	for i := 1; i < idLength; i++ {
		b[i] = idAlphabet[rng.IntN(len(idAlphabet))]
	}
	return string(b[:])
}

// snowflake returns an X-style numeric ID for a moment: milliseconds since the X epoch in the
// high bits, random low bits.
func (s *idSource) snowflake(at time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return MakeSnowflake(s.rng, at)
}

// MakeSnowflake returns an X-style numeric ID for the time at, random below it.
func MakeSnowflake(rng *rand.Rand, at time.Time) string {
	ms := at.UnixMilli() - twitterEpoc
	if ms < 0 {
		ms = 0
	}
	return strconv.FormatUint(uint64(ms)<<22|uint64(rng.IntN(1<<22)), 10)
}

// IsInboxID reports whether s has the form of an Inbox ID (^[0-9a-z]+$).
func IsInboxID(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'z') {
			return false
		}
	}
	return true
}

// IsNumericID reports whether s is a decimal X user ID.
func IsNumericID(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ConversationID builds the X conversation ID of a 1:1 DM: both user IDs, numerically smaller
// first, joined by a colon.
func ConversationID(a, b string) string {
	if numLess(b, a) {
		a, b = b, a
	}
	return a + ":" + b
}

// numLess compares two decimal strings without leading zeros numerically.
func numLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// Millis converts a time to the store's representation: Unix milliseconds.
func Millis(t time.Time) int64 { return t.UnixMilli() }

// FromMillis converts the store's representation back to a UTC time.
func FromMillis(v int64) time.Time { return time.UnixMilli(v).UTC() }

// TruncMillis truncates a time to the API's precision.
func TruncMillis(t time.Time) time.Time { return FromMillis(Millis(t)) }
