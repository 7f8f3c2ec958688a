package apiclient

import (
	"context"
	"errors"
	"iter"
)

// ErrCursorLoop is yielded when the server hands back a cursor it already gave (the page it
// just served, or an earlier one), which would otherwise repeat pages forever.
var ErrCursorLoop = errors.New("inbox api: pagination returned the same cursor again; stopping")

// Paginate flattens cursor pagination into a sequence of items. first is the opaque cursor
// to start from ("" = the first page). fetch returns one page and the cursor of the next
// ("" when there is none). max caps the number of items yielded (<= 0 means no cap);
// no page is fetched once the cap is met, so a cap of 20 over pages of 100 costs one
// request. A fetch error, or ctx ending between pages, is yielded once with a zero item and
// ends the sequence. Breaking out of the range loop stops fetching.
func Paginate[T any](ctx context.Context, first string, fetch func(ctx context.Context, cursor string) (items []T, next string, err error), max int) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		cursor, n := first, 0
		seen := map[string]bool{first: true}
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			items, next, err := fetch(ctx, cursor)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
				n++
				if max > 0 && n >= max {
					return
				}
			}
			if next == "" {
				return
			}
			if seen[next] {
				yield(zero, ErrCursorLoop)
				return
			}
			seen[next] = true
			cursor = next
		}
	}
}

// Collect drains a sequence from [Paginate] into a slice, stopping at the first error. The
// items gathered before the error are returned with it.
func Collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for it, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, it)
	}
	return out, nil
}
