package tools

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/inbox-mcp/inbox-mcp/views"
)

// ConfirmPolicy says how the person confirms a send, a change to a sent message (edit,
// unsend, reaction), or a bulk change above [BulkConfirmThreshold] prospects, before it
// happens.
type ConfirmPolicy string

// The confirmation policies. The zero value is ConfirmAuto.
const (
	// ConfirmAuto asks the person through the client (elicitation) where the client can ask,
	// and otherwise answers with a short-lived confirm_token the model must show the person
	// before using it.
	ConfirmAuto ConfirmPolicy = "auto"
	// ConfirmElicit only accepts a confirmation given in the client's own dialog: clients that
	// cannot ask cannot send.
	ConfirmElicit ConfirmPolicy = "elicit"
	// ConfirmToken always uses the two-step confirm_token, even where the client could ask.
	ConfirmToken ConfirmPolicy = "token"
	// ConfirmOff sends at once. Only an operator's explicit choice.
	ConfirmOff ConfirmPolicy = "off"
)

// ConfirmPolicies lists the policies in the order --help shows them.
var ConfirmPolicies = []ConfirmPolicy{ConfirmAuto, ConfirmElicit, ConfirmToken, ConfirmOff}

// ParseConfirmPolicy reads a policy name; "" is ConfirmAuto.
func ParseConfirmPolicy(s string) (ConfirmPolicy, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return ConfirmAuto, nil
	}
	for _, p := range ConfirmPolicies {
		if string(p) == s {
			return p, nil
		}
	}
	return "", fmt.Errorf("confirmation policy %q is not known: use auto (ask in the client where it can, else a confirmation token), elicit, token or off", s)
}

// Confirmation bounds.
const (
	// BulkConfirmThreshold is the most prospects a bulk change touches without the person's
	// confirmation.
	BulkConfirmThreshold = 25
	// ConfirmTTL is how long a confirmation (token or pending question) stays valid.
	ConfirmTTL = 10 * time.Minute
	// AskTimeout is how long a client of a protocol before 2026-07-28 has to answer a
	// confirmation dialog; then nothing is done, and a later answer is ignored.
	AskTimeout = 5 * time.Minute
	// maxPending bounds the bulk selections kept for confirmations in flight.
	maxPending = 256
)

// The kinds of action a sealed confirmation stands for; a token of one kind never opens
// another.
const (
	kindSend byte = 's'
	kindBulk byte = 'b'
)

// Confirmer seals the confirmations of one server process: the state that round-trips
// through the client while it asks the person, and the confirm_token of the two-step
// fallback. Both are AES-256-GCM sealed with a key drawn at start, carry their expiry, are
// bound (as additional data) to exactly the action they confirm, and open once: the nonce of
// each is recorded as used, so a confirmation cannot be forged, moved to other text or
// replayed. It is safe for concurrent use.
type Confirmer struct {
	// Policy decides between asking the person, a token, or neither.
	Policy ConfirmPolicy
	// TTL is how long a confirmation stays valid; 0 means ConfirmTTL.
	TTL time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// AskTimer starts the wait for the person's answer in a dialog the server asks for
	// itself (clients of a protocol before 2026-07-28); nil means a real timer. Tests set it.
	AskTimer func(time.Duration) <-chan time.Time

	aead cipher.AEAD

	mu      sync.Mutex
	used    map[[nonceSize]byte]time.Time // nonce -> when it can be forgotten (its expiry)
	pending map[[nonceSize]byte]pendingBulk
	// recent holds, by team key, the bulk changes that ran without approval in the last
	// BulkWindow.
	recent map[string][]*windowEntry
}

const nonceSize = 12

// NewConfirmer returns a Confirmer for policy with a fresh random key.
func NewConfirmer(policy ConfirmPolicy) (*Confirmer, error) {
	if policy == "" {
		policy = ConfirmAuto
	}
	if _, err := ParseConfirmPolicy(string(policy)); err != nil {
		return nil, err
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("confirmations: no randomness for the sealing key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Confirmer{Policy: policy, aead: aead, used: map[[nonceSize]byte]time.Time{}, pending: map[[nonceSize]byte]pendingBulk{}}, nil
}

// defaultConfirmer serves an Env without a Confirmer: confirmations are never off by
// omission.
var defaultConfirmer = sync.OnceValue(func() *Confirmer {
	cf, err := NewConfirmer(ConfirmAuto)
	if err != nil {
		panic(err)
	}
	return cf
})

// confirmer is the Env's Confirmer, or the default one.
func (e *Env) confirmer() *Confirmer {
	if e.Confirm != nil {
		return e.Confirm
	}
	return defaultConfirmer()
}

func (cf *Confirmer) now() time.Time {
	if cf.Now != nil {
		return cf.Now()
	}
	return time.Now()
}

func (cf *Confirmer) ttl() time.Duration {
	if cf.TTL > 0 {
		return cf.TTL
	}
	return ConfirmTTL
}

// active reports whether actions need confirming at all.
func (cf *Confirmer) active() bool { return cf != nil && cf.Policy != ConfirmOff }

// Errors of opening a sealed confirmation.
var (
	errSealMismatch = errors.New("not issued by this server for exactly this action")
	errSealExpired  = errors.New("expired")
	errSealUsed     = errors.New("already used")
)

// The two forms of a sealed confirmation, told apart by their prefix and by the additional
// data they are sealed with: a confirm_token, which the model hands back after the person
// said yes to it, and the state of a dialog, which the client hands back with the person's
// answer. Neither opens as the other, so a client cannot skip its own dialog by giving its
// state as a confirm_token, nor answer a dialog with a token.
const (
	tokenPrefix = "c1."
	statePrefix = "q1."
)

// seal returns a confirm_token for the action whose binding is given, expiring after the
// TTL. extra (at most 32 bytes) travels inside, readable only by this process.
func (cf *Confirmer) seal(kind byte, binding, extra []byte) (token string, nonce [nonceSize]byte, expires time.Time) {
	return cf.sealAs(tokenPrefix, kind, binding, extra)
}

// sealState is seal for the state of a dialog that asks the person.
func (cf *Confirmer) sealState(kind byte, binding, extra []byte) (state string, nonce [nonceSize]byte, expires time.Time) {
	return cf.sealAs(statePrefix, kind, binding, extra)
}

func (cf *Confirmer) sealAs(prefix string, kind byte, binding, extra []byte) (sealed string, nonce [nonceSize]byte, expires time.Time) {
	expires = cf.now().Add(cf.ttl())
	if _, err := rand.Read(nonce[:]); err != nil {
		// crypto/rand does not fail on supported platforms; a confirmation without a fresh
		// nonce must never be handed out.
		panic("confirmations: crypto/rand failed: " + err.Error())
	}
	plain := binary.BigEndian.AppendUint64(nil, uint64(expires.Unix()))
	plain = append(plain, extra...)
	out := cf.aead.Seal(nonce[:], nonce[:], plain, aad(prefix, kind, binding))
	return prefix + base64.RawURLEncoding.EncodeToString(out), nonce, expires
}

// open checks a confirm_token against the action it must confirm and uses it up. It
// returns what seal carried inside.
func (cf *Confirmer) open(token string, kind byte, binding []byte) (nonce [nonceSize]byte, extra []byte, err error) {
	return cf.openAs(tokenPrefix, token, kind, binding)
}

// openState is open for the state of a dialog, handed back with the person's answer.
func (cf *Confirmer) openState(state string, kind byte, binding []byte) (nonce [nonceSize]byte, extra []byte, err error) {
	return cf.openAs(statePrefix, state, kind, binding)
}

func (cf *Confirmer) openAs(prefix, sealed string, kind byte, binding []byte) (nonce [nonceSize]byte, extra []byte, err error) {
	sealed = strings.TrimSpace(sealed)
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(sealed, prefix))
	if err != nil || !strings.HasPrefix(sealed, prefix) || len(raw) < nonceSize+cf.aead.Overhead()+8 {
		return nonce, nil, errSealMismatch
	}
	copy(nonce[:], raw[:nonceSize])
	// A used confirmation says so even where what it confirmed has changed since (an edited
	// message's text, for one): the model must check what happened, not ask again blindly.
	cf.mu.Lock()
	_, used := cf.used[nonce]
	cf.mu.Unlock()
	if used {
		return nonce, nil, errSealUsed
	}
	plain, err := cf.aead.Open(nil, raw[:nonceSize], raw[nonceSize:], aad(prefix, kind, binding))
	if err != nil {
		return nonce, nil, errSealMismatch
	}
	expires := time.Unix(int64(binary.BigEndian.Uint64(plain[:8])), 0)
	now := cf.now()
	if !now.Before(expires) {
		return nonce, nil, errSealExpired
	}
	cf.mu.Lock()
	defer cf.mu.Unlock()
	if _, ok := cf.used[nonce]; ok {
		return nonce, nil, errSealUsed
	}
	for n, exp := range cf.used {
		// An expired confirmation fails on its expiry: its nonce need not be kept.
		if !now.Before(exp) {
			delete(cf.used, n)
		}
	}
	cf.used[nonce] = expires
	return nonce, plain[8:], nil
}

// isDialogState and isConfirmToken tell the two forms apart by their prefix, to say which
// was given where the other belongs (neither would open there anyway).
func isDialogState(s string) bool  { return strings.HasPrefix(strings.TrimSpace(s), statePrefix) }
func isConfirmToken(s string) bool { return strings.HasPrefix(strings.TrimSpace(s), tokenPrefix) }

// aad is the additional data a confirmation is bound to: its form, its kind and the
// action's binding.
func aad(form string, kind byte, binding []byte) []byte {
	return append(append([]byte("im1"+form), kind), binding...)
}

// binding hashes the parts that identify an action, each length-prefixed so that no two
// different lists hash alike.
func binding(parts ...string) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write(binary.BigEndian.AppendUint64(nil, uint64(len(p))))
		h.Write([]byte(p))
	}
	return h.Sum(nil)
}

// confirmMode is how one request is confirmed.
type confirmMode int

const (
	modeNone   confirmMode = iota // no confirmation
	modeElicit                    // ask the person through the client
	modeToken                     // two steps with a confirm_token
	modeRefuse                    // the policy wants elicitation and this client cannot ask
)

// mode decides, from the policy and what the client declared, how a request is confirmed.
func (cf *Confirmer) mode(ctx context.Context) confirmMode {
	switch {
	case !cf.active():
		return modeNone
	case cf.Policy == ConfirmToken:
		return modeToken
	case ClientCanElicit(ctx):
		return modeElicit
	case cf.Policy == ConfirmElicit:
		return modeRefuse
	}
	return modeToken
}

// ClientCanElicit reports whether the client of the request behind ctx declared that it can
// ask the person a form question (elicitation): per request in protocol 2026-07-28, at
// initialize before it. A client whose session this process does not know (for example
// after a restart, on HTTP) counts as one that cannot, which picks the token fallback.
func ClientCanElicit(ctx context.Context) bool {
	var caps *mcp.ClientCapabilities
	if info := server.RequestProtocolInfoFromContext(ctx); info != nil && info.Modern {
		caps = info.ClientCapabilities
	} else if s, ok := server.ClientSessionFromContext(ctx).(server.SessionWithClientInfo); ok {
		c := s.GetClientCapabilities()
		caps = &c
	}
	if caps == nil || caps.Elicitation == nil {
		return false
	}
	// An empty elicitation capability means form mode; a client that lists only url mode
	// cannot show a form.
	e := caps.Elicitation
	return e.Form != nil || e.URL == nil
}

// confirmInput is the ID of the question a confirmation asks, in the input requests.
const confirmInput = "confirm"

// elicitResult asks the person, through the client, the question msg; state comes back with
// the answer.
func elicitResult(state, msg string) *mcp.CallToolResult {
	return server.NewInputRequestBuilder(state).Elicit(confirmInput, mcp.ElicitationParams{
		Mode:    mcp.ElicitationModeForm,
		Message: msg,
		RequestedSchema: map[string]any{
			"type": "object",
			"properties": map[string]any{
				"confirm": map[string]any{"type": "boolean", "title": "Yes, do it", "description": "Tick to approve exactly what is shown."},
			},
			"required": []string{"confirm"},
		},
	}).ToolResult()
}

// answered reports whether req carries the client's answer to a confirmation question.
func answered(req mcp.CallToolRequest) bool {
	return req.Params.RequestState != "" || len(req.Params.InputResponses) > 0
}

// approval reads the person's answer: approved, or why not.
func approval(req mcp.CallToolRequest) (ok bool, why string) {
	ans := server.ElicitationResponse(req.Params.InputResponses, confirmInput)
	if ans == nil {
		return false, "the client returned no answer to the confirmation question"
	}
	switch ans.Action {
	case mcp.ElicitationResponseActionAccept:
		content, _ := ans.Content.(map[string]any)
		if yes, _ := content["confirm"].(bool); yes {
			return true, ""
		}
		return false, "the person did not tick the approval"
	case mcp.ElicitationResponseActionDecline:
		return false, "the person declined"
	case mcp.ElicitationResponseActionCancel:
		return false, "the person dismissed the question"
	}
	return false, "the client answered the confirmation with " + string(ans.Action)
}

// teamKey is the request's team key (a hash, never a token) that confirmations are bound
// to, so that one team's confirmation never opens for another on a shared server.
func (c *Call) teamKey() string {
	if c.Env == nil || c.Env.Source == nil {
		return ""
	}
	_, key, err := c.Env.Source.Backend(c.Ctx)
	if err != nil {
		return ""
	}
	return key
}

// hiddenChars lists, as U+XXXX, the invisible and direction-changing characters in s, which
// would make a confirmation show the person something other than what is sent.
func hiddenChars(s string) []string {
	var out []string
	seen := map[rune]bool{}
	for _, r := range s {
		if r != '\n' && r != '\t' && r != '\r' && views.Sanitize(string(r)) != string(r) && !seen[r] {
			seen[r] = true
			out = append(out, fmt.Sprintf("U+%04X", r))
		}
	}
	return out
}
