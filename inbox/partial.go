package inbox

// PartialUpdateError is an UpdateProspect that made some of its changes before one failed
// (API v2 changes a record in several requests: the fields, then each tag). Applied holds
// what the API confirmed; Rest what it did not: not applied, or, when the failed request's
// answer was lost, perhaps applied. Every part of an update is safe to repeat, so retrying
// Rest alone finishes the update.
type PartialUpdateError struct {
	Applied ContextUpdate
	Rest    ContextUpdate
	// Err is why Rest was not applied.
	Err error
}

// Error says that the update was applied in part, and why not in full.
func (e *PartialUpdateError) Error() string {
	return "the update was applied in part: " + e.Err.Error()
}

// Unwrap gives the error that stopped the update.
func (e *PartialUpdateError) Unwrap() error { return e.Err }
