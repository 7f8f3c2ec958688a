package bench

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"time"

	tiktoken "github.com/pkoukk/tiktoken-go"
	tiktoken_loader "github.com/pkoukk/tiktoken-go-loader"
)

// Encoding is the tokenizer every token count uses: the one of the GPT-4 family, a fair
// stand-in for what any current model's context pays.
const Encoding = "cl100k_base"

// Tokenizer counts tokens with the Encoding, from tables embedded in the binary (no
// download).
type Tokenizer struct {
	enc *tiktoken.Tiktoken
}

var loaderOnce sync.Once

// NewTokenizer loads the Encoding.
func NewTokenizer() (*Tokenizer, error) {
	loaderOnce.Do(func() { tiktoken.SetBpeLoader(tiktoken_loader.NewOfflineLoader()) })
	enc, err := tiktoken.GetEncoding(Encoding)
	if err != nil {
		return nil, fmt.Errorf("load the %s tokenizer: %w", Encoding, err)
	}
	return &Tokenizer{enc: enc}, nil
}

// Count returns the number of tokens in s (special tokens are counted as text).
func (t *Tokenizer) Count(s string) int {
	if s == "" {
		return 0
	}
	return len(t.enc.EncodeOrdinary(s))
}

// Heap metrics sampled by HeapSampler (runtime/metrics).
const (
	metricHeapObjects = "/memory/classes/heap/objects:bytes" // live and not yet swept objects
	metricAllocs      = "/gc/heap/allocs:bytes"              // cumulative bytes allocated
)

// HeapSampler tracks the Go heap while a task runs: it forces a collection, notes the
// heap left (the baseline), then samples the bytes held by heap objects every Every until
// Stop. The peak includes garbage not yet collected, as the process really holds it.
type HeapSampler struct {
	base, allocs0 uint64
	stop, done    chan struct{}
	mu            sync.Mutex
	peak          uint64
	samples       int
}

// DefaultSampleEvery is how often a HeapSampler reads the heap.
const DefaultSampleEvery = time.Millisecond

// StartHeapSampler starts sampling every every (DefaultSampleEvery when 0).
func StartHeapSampler(every time.Duration) *HeapSampler {
	if every <= 0 {
		every = DefaultSampleEvery
	}
	runtime.GC()
	s := &HeapSampler{stop: make(chan struct{}), done: make(chan struct{})}
	heap, allocs := readHeap()
	s.base, s.allocs0, s.peak = heap, allocs, heap
	go func() {
		defer close(s.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-t.C:
				s.sample()
			}
		}
	}()
	return s
}

func (s *HeapSampler) sample() {
	heap, _ := readHeap()
	s.mu.Lock()
	s.peak = max(s.peak, heap)
	s.samples++
	s.mu.Unlock()
}

// HeapUse is what a HeapSampler saw.
type HeapUse struct {
	// Base is the heap after the forced collection at the start.
	Base uint64
	// Peak is the most the heap objects held, Base included.
	Peak uint64
	// Allocated is the total allocated meanwhile.
	Allocated uint64
	// Samples is how many readings were taken.
	Samples int
}

// Growth is how far the heap rose above the baseline: what the task needed.
func (h HeapUse) Growth() uint64 { return h.Peak - h.Base }

// Stop ends the sampling (with a last reading) and returns what was seen.
func (s *HeapSampler) Stop() HeapUse {
	close(s.stop)
	<-s.done
	s.sample()
	_, allocs := readHeap()
	s.mu.Lock()
	defer s.mu.Unlock()
	return HeapUse{Base: s.base, Peak: s.peak, Allocated: allocs - s.allocs0, Samples: s.samples}
}

func readHeap() (heap, allocs uint64) {
	ms := []metrics.Sample{{Name: metricHeapObjects}, {Name: metricAllocs}}
	metrics.Read(ms)
	return ms[0].Value.Uint64(), ms[1].Value.Uint64()
}

// PeakRSS returns the peak resident set size of a process (VmHWM in /proc/PID/status):
// the most memory it held at any moment since it started. Linux only.
func PeakRSS(pid int) (uint64, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, fmt.Errorf("peak RSS of process %d: %w", pid, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("peak RSS of process %d: %q: %w", pid, rest, err)
			}
			return kb << 10, nil
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("peak RSS of process %d: no VmHWM in /proc/%d/status", pid, pid)
}
