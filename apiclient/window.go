package apiclient

import "time"

// slidingCount counts this client's own requests over a sliding window in fixed buckets, so
// that its memory stays bounded however many requests it counts (a day of 100,000 requests
// takes as little room as an idle day). The count errs on the safe side: a request is counted
// until its whole bucket has left the window, at most one bucket width too long.
type slidingCount struct {
	width time.Duration
	slots []countSlot
}

// countSlot is one bucket of the ring: the bucket's number (time / width) and its count.
type countSlot struct {
	k int64
	n int
}

// newSlidingCount covers span in buckets of width (span a multiple of width).
func newSlidingCount(span, width time.Duration) *slidingCount {
	c := &slidingCount{width: width, slots: make([]countSlot, int(span/width))}
	for i := range c.slots {
		c.slots[i].k = -1
	}
	return c
}

func (c *slidingCount) bucket(t time.Time) int64 { return t.UnixNano() / int64(c.width) }

func (c *slidingCount) slot(k int64) *countSlot {
	return &c.slots[int(k%int64(len(c.slots)))]
}

// live reports whether bucket k is still inside the window ending in bucket cur.
func (c *slidingCount) live(k, cur int64) bool { return k >= 0 && k > cur-int64(len(c.slots)) }

// add counts one request at t.
func (c *slidingCount) add(t time.Time) {
	k := c.bucket(t)
	s := c.slot(k)
	if s.k != k {
		*s = countSlot{k: k}
	}
	s.n++
}

// count is the number of requests counted in the window ending at t.
func (c *slidingCount) count(t time.Time) int {
	cur := c.bucket(t)
	n := 0
	for _, s := range c.slots {
		if c.live(s.k, cur) {
			n += s.n
		}
	}
	return n
}

// roomAt returns when the window ending then will hold fewer than limit requests, assuming
// no more are added: t itself when it already does.
func (c *slidingCount) roomAt(t time.Time, limit int) time.Time {
	cur := c.bucket(t)
	n := c.count(t)
	if n < limit {
		return t
	}
	// Buckets leave the window oldest first; walk them in that order.
	size := int64(len(c.slots))
	for k := cur - size + 1; k <= cur; k++ {
		s := c.slot(k)
		if s.k != k {
			continue
		}
		n -= s.n
		if n < limit {
			// Bucket k is in the window while the current bucket is below k+size.
			return time.Unix(0, (k+size)*int64(c.width))
		}
	}
	return time.Unix(0, (cur+size)*int64(c.width))
}
