package testenv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/inbox-mcp/inbox-mcp/inboxsim"
)

// Seeding a simulator is the slow part of starting one: about two seconds under the race
// detector. A store on the real clock is therefore seeded once per process for each seed
// and scale, kept as the bytes of its SQLite file, and every simulator opens a copy of its
// own (some 40 ms). The copy is an ordinary file store, as --demo --db uses.
var templates struct {
	mu  sync.Mutex
	dbs map[string][]byte
}

// startSim starts a simulator with o on a loopback port; stop closes it and removes its
// files.
func startSim(o inboxsim.Options) (srv *inboxsim.Server, stop func(), err error) {
	if o.DBPath != "" || o.Now != nil {
		// A store of its own file, or on another clock: seeded as asked.
		if srv, err = inboxsim.Start(context.Background(), "", o); err != nil {
			return nil, nil, err
		}
		return srv, func() { srv.Close() }, nil
	}
	db, err := template(o.Seed, o.Scale)
	if err != nil {
		return nil, nil, err
	}
	dir, err := os.MkdirTemp("", "inbox-mcp-testenv-")
	if err != nil {
		return nil, nil, err
	}
	o.DBPath = filepath.Join(dir, "inbox.db")
	if err := os.WriteFile(o.DBPath, db, 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	if srv, err = inboxsim.Start(context.Background(), "", o); err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	return srv, func() { srv.Close(); os.RemoveAll(dir) }, nil
}

// template returns the SQLite file of a store seeded with seed and scale, seeding it on
// first use.
func template(seed int64, scale float64) ([]byte, error) {
	if seed == 0 {
		seed = 1
	}
	if scale == 0 {
		scale = 1
	}
	key := fmt.Sprint(seed, "/", scale)
	templates.mu.Lock()
	defer templates.mu.Unlock()
	if db, ok := templates.dbs[key]; ok {
		return db, nil
	}
	dir, err := os.MkdirTemp("", "inbox-mcp-template-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "inbox.db")
	s, err := inboxsim.New(inboxsim.Options{Seed: seed, Scale: scale, DBPath: path})
	if err != nil {
		return nil, fmt.Errorf("seed the simulator template: %w", err)
	}
	if err := s.Close(); err != nil {
		return nil, err
	}
	// Closing the last connection folds the write-ahead log into the file; a log left over
	// would mean the file alone is not the whole store.
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		return nil, errors.New("testenv: the seeded template kept a write-ahead log; cannot copy it as one file")
	}
	db, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if templates.dbs == nil {
		templates.dbs = map[string][]byte{}
	}
	templates.dbs[key] = db
	return db, nil
}
