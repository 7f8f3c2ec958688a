package bench

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
)

// ColdStart is how long a freshly spawned server binary takes to answer tools/list: the
// wait a person has when their client starts the server.
type ColdStart struct {
	// Name identifies the measure ("stdio", "demo"); Args are the binary's arguments.
	Name string
	Args []string
	// Runs are the spawn-to-answer times, in the order taken.
	Runs []time.Duration
}

// P50 is the median run.
func (c ColdStart) P50() time.Duration { return c.quantile(0.5) }

// P90 is the run 90% of runs were at most.
func (c ColdStart) P90() time.Duration { return c.quantile(0.9) }

// Min is the fastest run.
func (c ColdStart) Min() time.Duration { return c.quantile(0) }

func (c ColdStart) quantile(q float64) time.Duration {
	if len(c.Runs) == 0 {
		return 0
	}
	s := slices.Clone(c.Runs)
	slices.Sort(s)
	return s[int(q*float64(len(s)-1)+0.5)]
}

// MeasureColdStart spawns bin n times with args and env (added to this process's
// environment) and times each from the spawn to the answer to tools/list, after
// initialize, as an MCP client starting it would see. One unmeasured spawn first warms the
// page cache with the binary.
func MeasureColdStart(ctx context.Context, name, bin string, args, env []string, n int) (ColdStart, error) {
	cs := ColdStart{Name: name, Args: args}
	if n < 1 {
		return cs, fmt.Errorf("cold start %s: %d runs asked; give at least 1", name, n)
	}
	for i := -1; i < n; i++ {
		start := time.Now()
		sess, err := NewStdioSession(ctx, bin, args, env)
		if err != nil {
			return cs, fmt.Errorf("cold start %s: %w", name, err)
		}
		_, err = sess.c.ListTools(ctx, mcp.ListToolsRequest{})
		d := time.Since(start)
		sess.Close()
		if err != nil {
			return cs, fmt.Errorf("cold start %s: tools/list: %w", name, err)
		}
		if i >= 0 {
			cs.Runs = append(cs.Runs, d)
		}
	}
	return cs, nil
}
