package seed

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Thread states the seed produces.
const (
	stNoReply  = iota // the prospect wrote last: the no-reply view
	stWaiting         // the team wrote last: default view only
	stArchived        // done
	stRequest         // a message request nobody answered
	stIdle            // a quick-peek thread: hidden, no messages
)

// line is one parsed corpus line: who writes ('P', 'U' or 'C') and its alternative wordings.
type line struct {
	who  byte
	alts []string
}

type segment struct {
	topic string
	lines []line
}

// turn is one message of a generated conversation.
type turn struct {
	who      byte // 'P' prospect, 'U' team, 'C' campaign
	text     string
	topic    string
	segStart bool // first message of a segment: a longer pause precedes it
}

func parseSegments(topic string, src []string) []segment {
	out := make([]segment, 0, len(src))
	for _, s := range src {
		seg := segment{topic: topic}
		for _, raw := range strings.Split(strings.TrimSpace(s), "\n") {
			raw = strings.TrimSpace(raw)
			if len(raw) < 3 || raw[1] != ':' {
				continue
			}
			seg.lines = append(seg.lines, line{who: raw[0], alts: strings.Split(strings.TrimSpace(raw[2:]), " || ")})
		}
		out = append(out, seg)
	}
	return out
}

// corpus holds the parsed segments by role.
type corpus struct {
	inbound, outbound, campaign, fillers, won, lost []segment
	middles                                         []weighted
	foreign                                         map[string][]segment
}

type weighted struct {
	weight int
	segs   []segment
}

func newCorpus() *corpus {
	c := &corpus{
		inbound:  parseSegments("intro", openersInbound),
		outbound: parseSegments("intro", openersOutbound),
		campaign: parseSegments("campaign", openersCampaign),
		fillers:  append(parseSegments("filler", segFiller), parseSegments("onboarding", segOnboarding)...),
		won:      parseSegments("won", closersWon),
		lost:     parseSegments("lost", closersLost),
		foreign:  map[string][]segment{},
		middles: []weighted{
			{20, parseSegments("pricing", segPricing)},
			{15, parseSegments("demo", segDemo)},
			{10, parseSegments("objection", segObjection)},
			{14, parseSegments("feature", segFeature)},
			{7, parseSegments("scheduling", segScheduling)},
			{5, parseSegments("followup", segFollowUpUs)},
			{4, parseSegments("followup", segFollowUpThem)},
			{6, parseSegments("onboarding", segOnboarding)},
			{5, parseSegments("security", segSecurity)},
			{6, parseSegments("chitchat", segChitchat)},
			{5, parseSegments("partner", segPartner)},
			{3, parseSegments("referral", segReferral)},
		},
	}
	for lang, src := range foreignConvos {
		c.foreign[lang] = parseSegments("foreign", src)
	}
	return c
}

func (c *corpus) middle(rng *rand.Rand) segment {
	total := 0
	for _, w := range c.middles {
		total += w.weight
	}
	n := rng.IntN(total)
	for _, w := range c.middles {
		if n < w.weight {
			return Pick(rng, w.segs)
		}
		n -= w.weight
	}
	return Pick(rng, c.middles[0].segs)
}

// convoSpec says what conversation a thread should have.
type convoSpec struct {
	state      int
	n          int    // target number of messages
	lang       string // "" = English
	campaign   int    // index of the campaign that opened it, -1 for none
	pricingEnd bool   // the prospect's last message asks about pricing
	injection  string // a prompt-injection message the prospect sends last
	won        bool   // archived as a win (else a loss)
	long       bool
}

// slots are the placeholder values of one conversation.
type slots map[string]string

func newSlots(rng *rand.Rand, p person, me string, now time.Time) slots {
	seats := Pick(rng, []int{3, 5, 8, 12, 15, 20, 25, 40})
	day := rng.IntN(len(weekdays))
	return slots{
		"first": p.First, "me": me, "company": p.Company, "product": productName,
		"seats": strconv.Itoa(seats), "quote": strconv.Itoa(199 + max(0, seats-10)*15),
		"day": weekdays[day], "day2": weekdays[(day+1+rng.IntN(3))%len(weekdays)],
		"time": Pick(rng, meetTimes), "link": Pick(rng, links), "competitor": Pick(rng, competitors),
		"month": months[(int(now.Month())+rng.IntN(3))%12], "q": strconv.Itoa((int(now.Month())-1)/3%4 + 1),
		"city": Pick(rng, cities),
	}
}

func (s slots) fill(text string) string {
	if !strings.Contains(text, "{") {
		return text
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(text, '{')
		if i < 0 {
			b.WriteString(text)
			return b.String()
		}
		j := strings.IndexByte(text[i:], '}')
		if j < 0 {
			b.WriteString(text)
			return b.String()
		}
		b.WriteString(text[:i])
		if v, ok := s[text[i+1:i+j]]; ok {
			b.WriteString(v)
		} else {
			b.WriteString(text[i : i+j+1])
		}
		text = text[i+j+1:]
	}
}

func appendSegment(rng *rand.Rand, out []turn, seg segment, sl slots) []turn {
	for i, l := range seg.lines {
		out = append(out, turn{who: l.who, text: sl.fill(Pick(rng, l.alts)), topic: seg.topic, segStart: i == 0})
	}
	return out
}

// build makes the turns of one conversation.
func (c *corpus) build(rng *rand.Rand, spec convoSpec, sl slots) []turn {
	var out []turn
	switch {
	case spec.state == stIdle:
		return nil
	case spec.state == stRequest:
		for i := 0; i < max(1, spec.n); i++ {
			out = append(out, turn{who: 'P', text: sl.fill(Pick(rng, requestTexts)), topic: "request", segStart: i == 0})
		}
		return out
	case spec.lang != "":
		out = appendSegment(rng, nil, Pick(rng, c.foreign[spec.lang]), sl)
		return c.finish(rng, out, spec, sl, false)
	case spec.campaign >= 0:
		seg := c.campaign[spec.campaign%len(c.campaign)]
		out = appendSegment(rng, nil, seg, sl)
		if spec.state == stWaiting && spec.n <= len(out) {
			// Outreach nobody answered (yet): the team wrote last.
			return out[:max(1, spec.n)]
		}
	case chance(rng, 0.55):
		out = appendSegment(rng, nil, Pick(rng, c.inbound), sl)
	default:
		out = appendSegment(rng, nil, Pick(rng, c.outbound), sl)
	}
	for len(out) < spec.n {
		if spec.long && chance(rng, 0.6) {
			out = appendSegment(rng, out, Pick(rng, c.fillers), sl)
		} else {
			out = appendSegment(rng, out, c.middle(rng), sl)
		}
	}
	return c.finish(rng, out[:max(1, min(len(out), spec.n))], spec, sl, true)
}

// finish makes the conversation end the way its state requires.
func (c *corpus) finish(rng *rand.Rand, out []turn, spec convoSpec, sl slots, english bool) []turn {
	switch spec.state {
	case stArchived:
		if english {
			closers := c.lost
			if spec.won {
				closers = c.won
			}
			out = appendSegment(rng, out, Pick(rng, closers), sl)
		}
	case stWaiting:
		for len(out) > 1 && out[len(out)-1].who == 'P' {
			out = out[:len(out)-1]
		}
		if out[len(out)-1].who == 'P' {
			out = appendSegment(rng, out, Pick(rng, parseSegments("followup", segFollowUpUs)), sl)
		}
	case stNoReply:
		switch {
		case spec.injection != "":
			out = append(out, turn{who: 'P', text: spec.injection, topic: "injection", segStart: true})
		case spec.pricingEnd:
			out = append(out, turn{who: 'P', text: sl.fill(Pick(rng, pendingPricing)), topic: "pricing", segStart: true})
		case out[len(out)-1].who != 'P':
			out = append(out, turn{who: 'P', text: sl.fill(Pick(rng, pendingQuestions)), topic: "question", segStart: true})
		}
	}
	return out
}

// topics lists the distinct topics of a conversation.
func topics(turns []turn) map[string]bool {
	m := map[string]bool{}
	for _, t := range turns {
		m[t.topic] = true
	}
	return m
}

// editedDraft is what an edited message said first: sent too early, then completed.
func editedDraft(content string) string {
	words := strings.Fields(content)
	if len(words) < 4 {
		return content + "…"
	}
	return strings.Join(words[:len(words)*3/5], " ")
}
