package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// goTool finds the go command: on PATH, else in $GOROOT/bin when GOROOT is set.
func goTool() (string, error) {
	if p, err := exec.LookPath("go"); err == nil {
		return p, nil
	}
	root := os.Getenv("GOROOT")
	if root == "" {
		return "", errors.New("the go command is not on PATH (and GOROOT is not set): install Go 1.26 to build the server and run the micro-benchmarks")
	}
	p := filepath.Join(root, "bin", "go")
	if _, err := exec.LookPath(p); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("the go command is not on PATH (nor in %s): install Go 1.26 to build the server and run the micro-benchmarks", root)
}

// ModuleRoot returns the root of the Go module containing dir (go env GOMOD).
func ModuleRoot(ctx context.Context, dir string) (string, error) {
	goBin, err := goTool()
	if err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, goBin, "env", "GOMOD")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == "/dev/null" {
		return "", fmt.Errorf("%s is not inside the inbox-mcp module: run inbox-bench from the repository", dir)
	}
	return filepath.Dir(mod), nil
}

// BuildServer builds cmd/inbox-mcp from the module at root into dir and returns the
// binary's path. flags go to go build before the package (a test under the race detector
// passes -race, so that the build reuses the packages its own build compiled).
func BuildServer(ctx context.Context, root, dir string, flags ...string) (string, error) {
	goBin, err := goTool()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "inbox-mcp")
	args := append(append([]string{"build"}, flags...), "-o", bin, "./cmd/inbox-mcp")
	cmd := exec.CommandContext(ctx, goBin, args...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/inbox-mcp: %w\n%s", err, out)
	}
	return bin, nil
}
