package apiclient

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"testing"
)

// pager serves the integers 0..total-1 in pages of size, with cursors "p<start>".
type pager struct {
	total, size int
	calls       int
	failAt      int // fail the call with this index (1-based); 0 = never
}

func (p *pager) fetch(ctx context.Context, cursor string) ([]int, string, error) {
	p.calls++
	if p.failAt == p.calls {
		return nil, "", errors.New("page failed")
	}
	start := 0
	if cursor != "" {
		start, _ = strconv.Atoi(cursor[1:])
	}
	end := min(start+p.size, p.total)
	var items []int
	for i := start; i < end; i++ {
		items = append(items, i)
	}
	next := ""
	if end < p.total {
		next = "p" + strconv.Itoa(end)
	}
	return items, next, nil
}

func TestPaginate(t *testing.T) {
	tests := []struct {
		name      string
		total     int
		first     string
		max       int
		failAt    int
		wantN     int
		wantFirst int
		wantCalls int
		wantErr   bool
	}{
		{name: "all pages", total: 250, wantN: 250, wantCalls: 3},
		{name: "cap inside the first page fetches one page", total: 250, max: 20, wantN: 20, wantCalls: 1},
		{name: "cap on a page boundary fetches no more", total: 250, max: 100, wantN: 100, wantCalls: 1},
		{name: "cap inside the second page", total: 250, max: 150, wantN: 150, wantCalls: 2},
		{name: "resume from a cursor", total: 250, first: "p200", wantN: 50, wantFirst: 200, wantCalls: 1},
		{name: "empty listing", total: 0, wantN: 0, wantCalls: 1},
		{name: "error on the second page", total: 250, failAt: 2, wantN: 100, wantCalls: 2, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &pager{total: tt.total, size: 100, failAt: tt.failAt}
			got, err := Collect(Paginate(context.Background(), tt.first, p.fetch, tt.max))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if len(got) != tt.wantN || p.calls != tt.wantCalls {
				t.Fatalf("got %d items in %d calls, want %d in %d", len(got), p.calls, tt.wantN, tt.wantCalls)
			}
			for i, v := range got {
				if v != tt.wantFirst+i {
					t.Fatalf("item %d = %d, want %d", i, v, tt.wantFirst+i)
				}
			}
		})
	}
}

func TestPaginateBreakStopsFetching(t *testing.T) {
	p := &pager{total: 1000, size: 100}
	n := 0
	for range Paginate(context.Background(), "", p.fetch, 0) {
		n++
		if n == 150 {
			break
		}
	}
	if p.calls != 2 {
		t.Fatalf("calls = %d after breaking at item 150, want 2", p.calls)
	}
}

func TestPaginateStopsOnCancelledContext(t *testing.T) {
	p := &pager{total: 1000, size: 100}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var err error
	n := 0
	for _, e := range Paginate(ctx, "", p.fetch, 0) {
		if e != nil {
			err = e
			break
		}
		n++
		if n == 100 {
			cancel()
		}
	}
	if !errors.Is(err, context.Canceled) || p.calls != 1 || n != 100 {
		t.Fatalf("err %v after %d items and %d calls", err, n, p.calls)
	}
}

func TestPaginateDetectsCursorLoop(t *testing.T) {
	fetch := func(ctx context.Context, cursor string) ([]int, string, error) { return nil, "same", nil }
	_, err := Collect(Paginate(context.Background(), "same", fetch, 0))
	if !errors.Is(err, ErrCursorLoop) {
		t.Fatalf("err = %v, want ErrCursorLoop", err)
	}
	// Full pages that lead back to themselves or to an earlier page: each page once, then
	// the loop is reported.
	for name, links := range map[string]map[string]string{"to itself": {"": "a", "a": "a"}, "to an earlier page": {"": "a", "a": "b", "b": "a"}} {
		calls := 0
		fetch := func(ctx context.Context, cursor string) ([]int, string, error) {
			calls++
			return []int{calls}, links[cursor], nil
		}
		got, err := Collect(Paginate(context.Background(), "", fetch, 0))
		if !errors.Is(err, ErrCursorLoop) || len(got) != len(links) {
			t.Fatalf("%s: %v after %v; want every page once, then ErrCursorLoop", name, err, got)
		}
	}
}

func TestNullable(t *testing.T) {
	type patch struct {
		Notes     Nullable[string]  `json:"notes,omitzero"`
		Valuation Nullable[float64] `json:"valuation,omitzero"`
		Assignee  Nullable[string]  `json:"assigneeId,omitzero"`
	}
	tests := []struct {
		in   patch
		want string
	}{
		{patch{}, `{}`},
		{patch{Notes: Null[string]()}, `{"notes":null}`},
		{patch{Notes: Value("call back"), Valuation: Value(599.5)}, `{"notes":"call back","valuation":599.5}`},
		{patch{Notes: Value(""), Assignee: Null[string]()}, `{"notes":"","assigneeId":null}`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.in)
		if err != nil || string(b) != tt.want {
			t.Errorf("Marshal(%v) = %s, %v; want %s", tt.in, b, err, tt.want)
			continue
		}
		var back patch
		if err := json.Unmarshal(b, &back); err != nil || back != tt.in {
			t.Errorf("round trip of %s = %+v, %v", b, back, err)
		}
	}
	v := Value(3)
	if got, ok := v.Get(); !ok || got != 3 || v.IsNull() || v.IsZero() || v.String() != "3" {
		t.Errorf("Value(3) misbehaves")
	}
	if _, ok := Null[int]().Get(); ok || !Null[int]().IsNull() || Null[int]().String() != "null" {
		t.Errorf("Null misbehaves")
	}
	var omitted Nullable[int]
	if !omitted.IsZero() || omitted.IsNull() || omitted.String() != "(omitted)" {
		t.Errorf("zero Nullable misbehaves")
	}
}
