package inboxsim

import (
	"context"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/seed"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// replier makes simulated prospects answer messages sent through the API after a short delay,
// so a demo feels alive. Answers are chosen by what the sent message talks about.
type replier struct {
	sim     *Sim
	delay   time.Duration
	mu      sync.Mutex
	rng     *rand.Rand
	timers  map[*time.Timer]bool
	stopped bool
	wg      sync.WaitGroup
}

var (
	repliesPricing = []string{
		"Thanks! That's within budget. Can we start with a trial first?",
		"Got it 👍 Is there a discount if we pay annually?",
		"Ok, makes sense. Let me run it by our CFO and get back to you this week.",
		"Hmm, a bit more than we hoped. Any flexibility for a startup?",
	}
	repliesScheduling = []string{
		"Thursday at 2pm ET works for me 👍",
		"Sure! Send over an invite.",
		"Can we do next week instead? This one is packed.",
		"Booked! See you then 🙌",
	}
	repliesQuestion = []string{
		"Good question, let me check with my team and get back to you.",
		"Yes, that works for us.",
		"Not yet, but it's on our list for next quarter.",
		"I think so, let me confirm tomorrow.",
	}
	repliesGeneric = []string{
		"Thanks for the quick reply! 🙏",
		"Makes sense, I'll share this with my cofounder.",
		"Appreciate it! Talking to the team today.",
		"Perfect, thank you 🙌",
		"Great, let's keep in touch.",
	}
)

func newReplier(s *Sim, delay time.Duration, seed int64) *replier {
	return &replier{sim: s, delay: delay, rng: rand.New(rand.NewPCG(uint64(seed), 0x2e9)), timers: map[*time.Timer]bool{}}
}

// replyText picks a plausible answer to content.
func replyText(rng *rand.Rand, content string) string {
	c := strings.ToLower(content)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(c, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has("pric", "cost", "$", "plan", "discount", "budget"):
		return seed.Pick(rng, repliesPricing)
	case has("demo", "call", "meet", "calendar", "schedule", "invite"):
		return seed.Pick(rng, repliesScheduling)
	case strings.Contains(c, "?"):
		return seed.Pick(rng, repliesQuestion)
	}
	return seed.Pick(rng, repliesGeneric)
}

func (s *Sim) scheduleReply(team string, m store.Message) {
	if s.replies != nil && !m.Inbound {
		s.replies.schedule(team, m)
	}
}

func (rp *replier) schedule(team string, m store.Message) {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	if rp.stopped {
		return
	}
	text := replyText(rp.rng, m.Content)
	delay := rp.delay + time.Duration(rp.rng.Int64N(int64(rp.delay)/2+1))
	rp.wg.Add(1)
	var t *time.Timer
	t = time.AfterFunc(delay, func() {
		defer rp.wg.Done()
		rp.mu.Lock()
		delete(rp.timers, t)
		stopped := rp.stopped
		rp.mu.Unlock()
		if stopped {
			return
		}
		if _, err := rp.sim.store.ReceiveMessage(context.Background(), team, m.ThreadID, text); err != nil {
			// The thread may have been deleted meanwhile; nothing to answer then.
			rp.sim.log.Debug("simulated reply not delivered", "thread", m.ThreadID, "err", err)
			return
		}
		rp.sim.log.Debug("simulated prospect replied", "thread", m.ThreadID)
	})
	rp.timers[t] = true
}

// stop cancels pending replies and waits for running ones.
func (rp *replier) stop() {
	rp.mu.Lock()
	rp.stopped = true
	for t := range rp.timers {
		if t.Stop() {
			rp.wg.Done()
		}
		delete(rp.timers, t)
	}
	rp.mu.Unlock()
	rp.wg.Wait()
}
