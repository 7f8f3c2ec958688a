package bench

import (
	"os"
	"runtime"
	"testing"
	"time"
)

func TestTokenizer(t *testing.T) {
	tok, err := NewTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		in   string
		want int
	}{
		{"", 0},
		{"hello world", 2},
		{`{"name":"list_threads"}`, 6},
		// Special tokens are counted as the text they are.
		{"<|endoftext|>", 7},
	} {
		if got := tok.Count(c.in); got != c.want {
			t.Errorf("Count(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}

var sink []byte

func TestHeapSampler(t *testing.T) {
	const size = 32 << 20
	s := StartHeapSampler(time.Millisecond)
	sink = make([]byte, size)
	for i := range sink {
		sink[i] = byte(i)
	}
	// Wait for a reading of the ticker itself (the scheduler decides when it comes), not a
	// fixed 20ms that a loaded machine can spend before the sampler ever runs.
	for {
		s.mu.Lock()
		n := s.samples
		s.mu.Unlock()
		if n > 0 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	u := s.Stop()
	runtime.KeepAlive(sink)
	sink = nil
	if u.Growth() < size || u.Allocated < size || u.Samples < 2 || u.Base == 0 {
		t.Fatalf("held %d MB: growth %d, allocated %d, %d samples, base %d", size>>20, u.Growth(), u.Allocated, u.Samples, u.Base)
	}
	// A quiet stretch grows the heap by far less.
	s = StartHeapSampler(0)
	time.Sleep(5 * time.Millisecond)
	if u := s.Stop(); u.Growth() > 1<<20 {
		t.Fatalf("idle growth %d bytes", u.Growth())
	}
}

func TestPeakRSS(t *testing.T) {
	rss, err := PeakRSS(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if rss < 1<<20 || rss > 1<<40 {
		t.Fatalf("peak RSS %d bytes", rss)
	}
	if _, err := PeakRSS(-1); err == nil {
		t.Fatal("no error for a process that does not exist")
	}
}
