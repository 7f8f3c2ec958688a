package tools

import (
	"context"
	"sync"
)

// prospectLocks serializes the writes of one process to each prospect's record. The Inbox
// API has no compare-and-swap: a write of the notes replaces them, so two appends that read
// the same notes would each write them without the other's line. The zero value is ready.
type prospectLocks struct {
	mu sync.Mutex
	m  map[string]*prospectLock
}

// prospectLock is one prospect's lock: a token in a channel, so that a wait can end with
// the request; users counts the holders and waiters, to forget an idle lock.
type prospectLock struct {
	token chan struct{}
	users int
}

// lock takes key's lock, waiting for the write that holds it unless ctx ends first; it
// calls waiting before it waits. The returned function releases the lock.
func (l *prospectLocks) lock(ctx context.Context, key string, waiting func()) (unlock func(), err error) {
	l.mu.Lock()
	if l.m == nil {
		l.m = map[string]*prospectLock{}
	}
	e := l.m[key]
	if e == nil {
		e = &prospectLock{token: make(chan struct{}, 1)}
		e.token <- struct{}{}
		l.m[key] = e
	}
	e.users++
	l.mu.Unlock()
	done := func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		if e.users--; e.users == 0 {
			delete(l.m, key)
		}
	}
	select {
	case <-e.token:
	default:
		waiting()
		select {
		case <-e.token:
		case <-ctx.Done():
			done()
			return nil, ctx.Err()
		}
	}
	return func() {
		e.token <- struct{}{}
		done()
	}, nil
}
