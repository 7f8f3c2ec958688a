package tools

// SetOutputCheck has fn see every structured result a tool answers with, before it is sent;
// nil stops it. Tests set it before any tool runs.
func SetOutputCheck(fn func(tool string, out any)) { checkOutput = fn }
