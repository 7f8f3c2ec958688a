package inbox

import (
	"context"
	"testing"
)

func TestBackgroundContext(t *testing.T) {
	ctx := context.Background()
	if IsBackground(ctx) || !IsBackground(Background(ctx)) {
		t.Fatal("IsBackground does not see the Background mark")
	}
	child, cancel := context.WithCancel(Background(ctx))
	defer cancel()
	if !IsBackground(child) {
		t.Fatal("the mark is lost in a derived context")
	}
}
