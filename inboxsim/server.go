package inboxsim

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/v1api"
)

// Server is a simulator listening on a TCP address.
type Server struct {
	// URL is the API base URL, including /api/v1 (for example http://127.0.0.1:8787/api/v1).
	URL string
	// Token is a bearer token the simulator accepts.
	Token string
	// Sim is the simulator behind the listener.
	Sim *Sim

	srv       *http.Server
	served    chan struct{}
	closeOnce sync.Once
	closeErr  error
}

// Start creates a simulator and serves it on addr ("" means 127.0.0.1 on a free port) until
// ctx ends or Close is called.
func Start(ctx context.Context, addr string, opts Options) (*Server, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	sim, err := New(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		sim.Close()
		return nil, fmt.Errorf("inboxsim: listen on %s: %w", addr, err)
	}
	token := DemoToken
	if len(opts.Tokens) > 0 {
		token = opts.Tokens[0]
	}
	s := &Server{
		URL:   "http://" + ln.Addr().String() + v1api.Prefix,
		Token: token,
		Sim:   sim,
		srv: &http.Server{
			Handler:           sim,
			ReadHeaderTimeout: 10 * time.Second,
			ErrorLog:          slog.NewLogLogger(sim.log.Handler(), slog.LevelDebug),
		},
		served: make(chan struct{}),
	}
	go func() {
		defer close(s.served)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			sim.log.Error("simulator stopped serving", "err", err)
		}
	}()
	go func() {
		select {
		case <-ctx.Done():
			s.Close()
		case <-s.served:
		}
	}()
	return s, nil
}

// Close stops the listener, waits up to five seconds for requests in flight, and closes the
// simulator.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := s.srv.Shutdown(ctx)
		if err != nil {
			s.srv.Close()
		}
		<-s.served
		s.closeErr = errors.Join(err, s.Sim.Close())
	})
	return s.closeErr
}
