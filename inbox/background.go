package inbox

import "context"

type backgroundKey struct{}

// Background returns ctx marked as background work: long work nobody waits on request by
// request (a large bulk change, a sync). A Backend lets requests a person waits for go first
// whenever both wait for the team's API budget, and holds background work to its share of
// it.
func Background(ctx context.Context) context.Context {
	return context.WithValue(ctx, backgroundKey{}, true)
}

// IsBackground reports whether ctx was marked with [Background].
func IsBackground(ctx context.Context) bool {
	b, _ := ctx.Value(backgroundKey{}).(bool)
	return b
}
