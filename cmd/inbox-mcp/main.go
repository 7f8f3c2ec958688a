// Command inbox-mcp is an MCP server that lets an AI assistant (Claude Desktop, Claude Code,
// Cursor, VS Code) work a sales team's Inbox: X DM threads, prospects, tags and statuses.
// It speaks MCP over stdio (the default) or streamable HTTP, and with --demo it runs on a
// built-in simulator of the Inbox API with sample data. Run it with --help for the flags.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
)

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1 // the server stopped on an error
	exitConfig = 2 // the configuration is wrong; nothing was started
)

func main() {
	// On stdio, stdout carries the protocol alone: hand the real stdout to the transport
	// and point os.Stdout at stderr, so that a stray print anywhere cannot corrupt it.
	protocolOut := os.Stdout
	os.Stdout = os.Stderr
	os.Exit(realMain(os.Args[1:], os.Getenv, os.Stdin, protocolOut, os.Stderr))
}

// realMain is main with its inputs and outputs passed in.
func realMain(args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	var usage bytes.Buffer
	cfg, err := parseConfig(args, getenv, &usage)
	switch {
	case errors.Is(err, flag.ErrHelp):
		stdout.Write(usage.Bytes())
		return exitOK
	case err != nil:
		fmt.Fprintf(stderr, "inbox-mcp: %v\n(run inbox-mcp --help for every flag)\n", err)
		return exitConfig
	}
	ver := resolveVersion()
	if cfg.showVersion {
		fmt.Fprintf(stdout, "inbox-mcp %s\n", ver)
		return exitOK
	}
	apiclient.Version = ver

	logger := newLogger(stderr, cfg.logFormat, cfg.logLevel)
	keySource := "none"
	switch {
	case cfg.demo:
		keySource = "simulator"
	case cfg.apiKeyFile != "":
		keySource = "file"
	case cfg.apiKeyFromEnv:
		keySource = "INBOX_API_KEY"
	}
	logger.Info("starting inbox-mcp", "version", ver, "transport", cfg.transport, "read_only", cfg.readOnly, "key", keySource)
	for _, w := range cfg.warnings {
		logger.Warn(w)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		// After the first signal, a second one ends the process at once.
		<-ctx.Done()
		stop()
	}()
	if err := run(ctx, cfg, ver, logger, stdin, stdout); err != nil {
		logger.Error("inbox-mcp stopped on an error", "err", err)
		return exitFailed
	}
	return exitOK
}
