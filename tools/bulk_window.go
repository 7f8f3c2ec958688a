package tools

import "time"

// BulkWindow is how far back the bulk threshold looks: a team's bulk changes that ran
// without the person's approval count against [BulkConfirmThreshold] for this long, so a
// large change split into small calls is asked about like one large call.
const BulkWindow = 10 * time.Minute

// windowWords is BulkWindow as the answers say it.
const windowWords = "10 minutes"

// windowEntry is one unapproved bulk run: when it was let through and how many prospects
// it changed (or, while it runs, may change).
type windowEntry struct {
	at time.Time
	n  int
}

// windowed returns how many prospects the team's unapproved bulk runs of the last
// BulkWindow changed, forgetting older runs. Called with cf.mu held.
func (cf *Confirmer) windowed(team string, now time.Time) int {
	if cf.recent == nil {
		cf.recent = map[string][]*windowEntry{}
	}
	for k, es := range cf.recent {
		live := es[:0]
		for _, e := range es {
			if now.Sub(e.at) < BulkWindow {
				live = append(live, e)
			}
		}
		if len(live) == 0 {
			delete(cf.recent, k)
		} else {
			cf.recent[k] = live
		}
	}
	total := 0
	for _, e := range cf.recent[team] {
		total += e.n
	}
	return total
}

// reserveBulk lets a run of n prospects through without approval if the team's unapproved
// changes of the window stay within the threshold with it, and counts it at once, so that
// concurrent calls cannot both pass on the same room. It returns the entry to settle once
// the run is done, or nil and how many prospects the window already holds.
func (cf *Confirmer) reserveBulk(team string, n int) (e *windowEntry, prior int) {
	cf.mu.Lock()
	defer cf.mu.Unlock()
	now := cf.now()
	prior = cf.windowed(team, now)
	if prior+n > BulkConfirmThreshold {
		return nil, prior
	}
	e = &windowEntry{at: now, n: n}
	cf.recent[team] = append(cf.recent[team], e)
	return e, prior
}

// settleBulk records how many prospects a reserved run did change (or may have changed:
// those whose outcome is unknown count).
func (cf *Confirmer) settleBulk(e *windowEntry, n int) {
	if e == nil {
		return
	}
	cf.mu.Lock()
	defer cf.mu.Unlock()
	e.n = n
}
