package v2api

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"sync"
)

// Idempotency-Key semantics of POST /messages, as the v2 document states them:
//
//   - the first send with a key is processed and answered 201;
//   - a replay (same key, same body) returns the original result without sending again:
//     200 with the original message, or the original 502 sendUnconfirmed;
//   - the same key with another body is 422 idempotencyKeyReused;
//   - a request with a key whose first send is still in flight is 409 sendInProgress, with
//     the ID of the message that send created.
//
// Keys are scoped to the team. A result is stored in the transaction that stores the
// message, so a key is remembered exactly when its message exists, across restarts of a
// file store; keys expire after idempotencyRetention. Sends that fail without sending
// (validation, a missing thread, a capability the account lacks) store nothing: the key can
// be used again once the cause is fixed, since nothing was sent.
//
// A send is in flight from the moment its message is stored until its answer is ready,
// which Faults.SendDelay stretches to simulate a slow platform. Keyed sends are serialized
// by a mutex from the lookup to the stored result, so two requests with one key can never
// both send.
type idempotency struct {
	mu       sync.Mutex
	inflight map[idemKey]idemFlight

	rngMu sync.Mutex
	rng   *rand.Rand
}

type idemKey struct{ team, key string }

type idemFlight struct{ hash, messageID string }

func newIdempotency(seed int64) *idempotency {
	return &idempotency{inflight: map[idemKey]idemFlight{}, rng: rand.New(rand.NewPCG(uint64(seed), 0x1de3))}
}

// unconfirmed draws whether this send's platform confirmation is lost (Faults.SendUnconfirmedRate).
func (im *idempotency) unconfirmed(rate float64) bool {
	if rate <= 0 {
		return false
	}
	im.rngMu.Lock()
	defer im.rngMu.Unlock()
	return im.rng.Float64() < rate
}

// intN draws from the v2 random source (random tag colors).
func (im *idempotency) intN(n int) int {
	im.rngMu.Lock()
	defer im.rngMu.Unlock()
	return im.rng.IntN(n)
}

// bodyHash identifies a request body by its JSON value, so whitespace and key order do not
// make a replay look like another request.
func bodyHash(raw []byte) string {
	var v any
	canon := raw
	if json.Unmarshal(raw, &v) == nil {
		if b, err := json.Marshal(v); err == nil {
			canon = b
		}
	}
	sum := sha256.Sum256(canon)
	return hex.EncodeToString(sum[:])
}

// validIdempotencyKey reports whether a key has the documented form: 1 to 255 printable
// ASCII characters.
func validIdempotencyKey(k string) bool {
	if len(k) == 0 || len(k) > 255 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x20 || k[i] > 0x7e {
			return false
		}
	}
	return true
}
