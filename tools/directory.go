package tools

import (
	"strings"

	"github.com/inbox-mcp/inbox-mcp/directory"
	"github.com/inbox-mcp/inbox-mcp/views"
)

// DirectoryArgs are the arguments of get_directory.
type DirectoryArgs struct {
	Refresh bool `json:"refresh,omitempty" jsonschema_description:"Skip the cache."`
}

// Directory is the result of get_directory: the names other tools accept.
type Directory struct {
	Team     string         `json:"team"`
	Currency string         `json:"currency,omitempty"`
	Tags     []string       `json:"tags"`
	Statuses []string       `json:"statuses"`
	Members  []MemberEntry  `json:"members"`
	Accounts []AccountEntry `json:"accounts"`
}

// MemberEntry is a teammate.
type MemberEntry struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email"`
	Role  string `json:"role,omitempty"`
}

// AccountEntry is one of the team's connected accounts.
type AccountEntry struct {
	Username string `json:"username"`
	Name     string `json:"name,omitempty"`
	Status   string `json:"status,omitempty"`
}

// NameGetDirectory is the name of the get_directory tool.
const NameGetDirectory = "get_directory"

// getDirectoryTool is get_directory: every tag, status, member and account by name.
var getDirectoryTool = declare(Spec[DirectoryArgs, Directory]{
	Name:         NameGetDirectory,
	Toolset:      "directory",
	Description:  "The team's tags, statuses, members and accounts: the names other tools accept.",
	Instructions: "- get_directory lists the tags, statuses, members and accounts other tools accept by name. An unknown name returns close matches.",
	Hints:        hints{readOnly: true, idempotent: true},
	Handle:       getDirectory,
})

func getDirectory(c *Call, a DirectoryArgs) (*Answer[Directory], error) {
	get := c.Dir.Snapshot
	if a.Refresh {
		get = c.Dir.Refresh
	}
	s, err := get(c.Ctx)
	if err != nil {
		return nil, err
	}
	d := DirectoryView(s)
	return result(d, DirectoryText(d)), nil
}

// DirectoryView renders a snapshot of the team's names.
func DirectoryView(s *directory.Snapshot) Directory {
	d := Directory{Team: views.SanitizeLine(s.Team.Name), Currency: s.Team.Currency,
		Tags: make([]string, len(s.Tags)), Statuses: make([]string, len(s.Statuses)),
		Members: make([]MemberEntry, len(s.Members)), Accounts: make([]AccountEntry, len(s.Accounts))}
	for i, l := range s.Tags {
		d.Tags[i] = views.SanitizeLine(l.Name)
	}
	for i, l := range s.Statuses {
		d.Statuses[i] = views.SanitizeLine(l.Name)
	}
	for i, m := range s.Members {
		d.Members[i] = MemberEntry{Name: views.SanitizeLine(m.Name), Email: views.SanitizeLine(m.Email), Role: m.Role}
	}
	for i, a := range s.Accounts {
		d.Accounts[i] = AccountEntry{Username: "@" + views.SanitizeLine(a.Username), Name: views.SanitizeLine(a.Name), Status: a.Status}
	}
	return d
}

// DirectoryText renders the directory in a few lines.
func DirectoryText(d Directory) string {
	var b strings.Builder
	b.WriteString("Team " + d.Team)
	if d.Currency != "" {
		b.WriteString(" (valuations in " + d.Currency + ")")
	}
	b.WriteString("\ntags: " + orNone(strings.Join(d.Tags, ", ")))
	b.WriteString("\nstatuses: " + orNone(strings.Join(d.Statuses, ", ")))
	b.WriteString("\nmembers:")
	for _, m := range d.Members {
		b.WriteString("\n- ")
		if m.Name != "" {
			b.WriteString(m.Name + " ")
		}
		b.WriteString("<" + m.Email + ">")
		if m.Role != "" {
			b.WriteString(" " + m.Role)
		}
	}
	b.WriteString("\naccounts:")
	for _, a := range d.Accounts {
		b.WriteString("\n- " + a.Username)
		if a.Name != "" {
			b.WriteString(" (" + a.Name + ")")
		}
		if a.Status != "" && a.Status != "active" {
			b.WriteString(" " + a.Status + ": cannot send until reconnected")
		}
	}
	return b.String()
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
