package v1

import (
	"errors"

	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// isServer reports whether err is a 5xx answer, in the model's terms.
func isServer(err error) bool {
	var e *inbox.Error
	return errors.As(err, &e) && e.Status >= 500 && e.Kind == inbox.ErrUnavailable
}
