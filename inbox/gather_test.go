package inbox

import (
	"context"
	"errors"
	"strconv"
	"testing"
)

// pager serves the integers 0..n-1 in pages, with cursors that are the next index.
type pager struct {
	n     int
	calls int
	asked []int
}

func (p *pager) fetch(_ context.Context, cursor string, limit int) (Page[int], error) {
	p.calls++
	p.asked = append(p.asked, limit)
	if limit < 1 || limit > MaxPage {
		return Page[int]{}, errors.New("bad limit " + strconv.Itoa(limit))
	}
	start := 0
	if cursor != "" {
		start, _ = strconv.Atoi(cursor)
	}
	end := min(start+limit, p.n)
	var pg Page[int]
	for i := start; i < end; i++ {
		pg.Items = append(pg.Items, i)
	}
	if end < p.n {
		pg.Next = strconv.Itoa(end)
	}
	return pg, nil
}

func TestGather(t *testing.T) {
	tests := []struct {
		name      string
		n, max    int
		cursor    string
		stopAt    int // stop at this value; -1 = never
		wantLen   int
		wantNext  string
		wantCalls int
	}{
		{"fewer than a page", 30, 50, "", -1, 30, "", 1},
		{"exactly max mid listing", 250, 150, "", -1, 150, "150", 2},
		{"beyond one page, all", 250, 1000, "", -1, 250, "", 3},
		{"resume from cursor", 250, 100, "200", -1, 50, "", 1},
		{"stop predicate ends the walk", 250, 1000, "", 120, 120, "", 2},
		{"max equals listing", 100, 100, "", -1, 100, "", 1},
		{"zero max fetches nothing", 10, 0, "", -1, 0, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &pager{n: tt.n}
			var stop func(int) bool
			if tt.stopAt >= 0 {
				stop = func(v int) bool { return v >= tt.stopAt }
			}
			items, next, err := Gather(context.Background(), tt.cursor, tt.max, p.fetch, stop)
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != tt.wantLen || next != tt.wantNext || p.calls != tt.wantCalls {
				t.Fatalf("got %d items next=%q calls=%d (asked %v); want %d next=%q calls=%d",
					len(items), next, p.calls, p.asked, tt.wantLen, tt.wantNext, tt.wantCalls)
			}
			for i, v := range items {
				if want := i; tt.cursor == "" && v != want {
					t.Fatalf("item %d = %d, out of order", i, v)
				}
			}
		})
	}
}

func TestGatherStopsOnError(t *testing.T) {
	boom := errors.New("boom")
	calls := 0
	items, next, err := Gather(context.Background(), "", 500, func(_ context.Context, c string, l int) (Page[int], error) {
		calls++
		if calls == 2 {
			return Page[int]{}, boom
		}
		return Page[int]{Items: make([]int, l), Next: "x"}, nil
	}, nil)
	if !errors.Is(err, boom) || len(items) != 100 || next != "x" {
		t.Fatalf("got %d items next=%q err=%v", len(items), next, err)
	}
}

func TestChange(t *testing.T) {
	var keep Change[string]
	if keep.Changed() || keep.Cleared() {
		t.Fatal("zero Change must keep")
	}
	if v, ok := Set("x").Value(); !ok || v != "x" {
		t.Fatal("Set lost its value")
	}
	if c := Clear[float64](); !c.Changed() || !c.Cleared() {
		t.Fatal("Clear must change and clear")
	}
	if !(ContextUpdate{}).IsEmpty() || (ContextUpdate{AddTags: []string{"a"}}).IsEmpty() {
		t.Fatal("IsEmpty wrong")
	}
}
