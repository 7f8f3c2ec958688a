package tools

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// Filters are list_threads' thread filters. list_threads takes them as arguments of its
// own; bulk_update_prospects, search_messages and triage_digest take the same filters as one
// object, where.
type Filters struct {
	Inbox      string   `json:"inbox,omitempty" jsonschema:"enum=default,enum=no-reply,enum=requests,enum=archived,enum=all" jsonschema_description:"View; no-reply: the prospect wrote last; all: every view."`
	Account    string   `json:"account,omitempty" jsonschema_description:"Our account: @username or ID."`
	Tags       []string `json:"tags,omitempty" jsonschema_description:"Any of these tags."`
	Untagged   bool     `json:"untagged,omitempty" jsonschema_description:"No tags."`
	Statuses   []string `json:"statuses,omitempty" jsonschema_description:"Any of these statuses."`
	Assignees  []string `json:"assignees,omitempty" jsonschema_description:"Any of these members."`
	Unassigned bool     `json:"unassigned,omitempty" jsonschema_description:"No assignee."`
	Since      string   `json:"since,omitempty" jsonschema_description:"Last message since: RFC 3339, date or 30m/24h/7d."`
}

// Where is the where argument: [Filters] as one object. It decodes strictly, so that a
// misspelt filter fails with advice instead of widening a selection. Its schema is that of
// Filters without the descriptions, which list_threads already gives (each where's own
// description says so), and without additionalProperties: the decoding refuses unknown
// filters itself, naming the valid ones.
type Where Filters

// UnmarshalJSON decodes where strictly; null is no filter.
func (w *Where) UnmarshalJSON(b []byte) error {
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return badInput("where must be an object of list_threads' filters, e.g. {\"inbox\": \"no-reply\", \"since\": \"7d\"}")
	}
	f, err := decodeFilters(m)
	*w = Where(f)
	return err
}

// JSONSchema is the schema of where's value.
func (Where) JSONSchema() *jsonschema.Schema {
	r := jsonschema.Reflector{DoNotReference: true, ExpandedStruct: true, AllowAdditionalProperties: true}
	s := r.Reflect(new(Filters))
	s.Version, s.ID = "", ""
	for p := s.Properties.Oldest(); p != nil; p = p.Next() {
		p.Value.Description = ""
	}
	return s
}

// decodeFilters decodes where strictly: a misspelt filter must fail, not widen the
// selection.
func decodeFilters(where map[string]any) (Filters, error) {
	var f Filters
	if len(where) == 0 {
		return f, nil
	}
	// encoding/json matches names without regard to case; a filter's name must be exact,
	// so that {"Inbox": …} and {"inbox": …, "INBOX": …} are refused rather than read.
	for k := range where {
		if _, ok := filterNames[k]; !ok {
			return f, badInput("%s. Use list_threads' filters: %s", unknownFilter(k), filterList)
		}
	}
	raw, err := json.Marshal(where)
	if err != nil {
		return f, badInput("where is not a JSON object of filters")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return f, badInput("%s. Use list_threads' filters: %s", filterError(err), filterList)
	}
	switch inbox.View(f.Inbox) {
	case "", inbox.ViewDefault, inbox.ViewNoReply, inbox.ViewRequests, inbox.ViewArchived, inbox.ViewAll:
	default:
		return f, badInput("where.inbox %q is not a view: use default, no-reply, requests, archived or all", f.Inbox)
	}
	return f, nil
}

// filterNames are the JSON names of [Filters]' fields, exactly as they must be written.
var filterNames = func() map[string]struct{} {
	names := map[string]struct{}{}
	t := reflect.TypeFor[Filters]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		names[name] = struct{}{}
	}
	return names
}()

// filterList names the filters in a refusal.
const filterList = "inbox (default, no-reply, requests, archived, all), account, tags, untagged, statuses, assignees, unassigned, since"

// unknownFilter words the refusal of a name that is not a filter, pointing to the filter
// it spells in another case, if any.
func unknownFilter(name string) string {
	for known := range filterNames {
		if strings.EqualFold(known, name) {
			return "where has no filter " + quoteShort(name) + " (filter names are lower-case: did you mean " + strconv.Quote(known) + "?)"
		}
	}
	return "where has no filter " + quoteShort(name)
}

// filterError words a decoding error of where in the tool's terms (the JSON decoder names
// Go types and struct fields).
func filterError(err error) string {
	if e, ok := errorsAs[*json.UnmarshalTypeError](err); ok && e.Field != "" {
		want := map[reflect.Kind]string{reflect.Slice: "a list of names", reflect.Bool: "true or false", reflect.String: "a string"}[e.Type.Kind()]
		if want == "" {
			want = "of another type"
		}
		return "where." + e.Field + " must be " + want + ", not " + map[string]string{"string": "a string", "number": "a number", "bool": "true or false", "array": "a list", "object": "an object"}[e.Value]
	}
	if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return "where has no filter " + quoteShort(strings.Trim(field, `"`))
	}
	return "where is not an object of filters"
}

// listArgs are the filters as list_threads takes them.
func (f Filters) listArgs() ListThreadsArgs {
	return ListThreadsArgs{Filters: f}
}

// narrows reports whether any filter other than the view and since is set.
func (f Filters) narrows() bool {
	return f.Account != "" || len(f.Tags) > 0 || f.Untagged || len(f.Statuses) > 0 || len(f.Assignees) > 0 || f.Unassigned
}

// hasAny reports whether any filter is set.
func (f Filters) hasAny() bool {
	return f.Inbox != "" || f.Since != "" || f.narrows()
}
