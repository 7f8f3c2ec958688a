package inbox

import "context"

// MaxPage is the largest page the Inbox API serves.
const MaxPage = 100

// Gather flattens cursor pagination: it fetches pages starting at cursor until max items are
// collected or the listing ends, asking each page for no more than it still needs, so that the
// returned cursor resumes exactly after the last item returned. next is "" when nothing more
// exists. stop, when non-nil, ends the walk at the first item for which it returns true (that
// item is not returned): listings are ordered, so a bound such as "active since" is a prefix.
func Gather[T any](ctx context.Context, cursor string, max int,
	fetch func(ctx context.Context, cursor string, limit int) (Page[T], error),
	stop func(T) bool,
) (items []T, next string, err error) {
	if max <= 0 {
		return nil, cursor, nil
	}
	next = cursor
	for {
		if err := ctx.Err(); err != nil {
			return items, next, err
		}
		page, err := fetch(ctx, next, min(max-len(items), MaxPage))
		if err != nil {
			return items, next, err
		}
		for _, it := range page.Items {
			if stop != nil && stop(it) {
				return items, "", nil
			}
			items = append(items, it)
		}
		next = page.Next
		if next == "" || len(page.Items) == 0 {
			return items, "", nil
		}
		if len(items) >= max {
			return items, next, nil
		}
	}
}
