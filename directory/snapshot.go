package directory

import (
	"strings"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// Snapshot is an immutable copy of a team's names at one moment: never modified after it is
// built, so any number of requests read it without locks. It implements views.Names.
type Snapshot struct {
	Team     inbox.Team
	Tags     []inbox.Label
	Statuses []inbox.Label
	Members  []inbox.Member
	Accounts []inbox.Account
	// Fetched is when the snapshot was read from the API: the oldest of its parts.
	Fetched time.Time

	parts   Part                // the parts read from the API; the others are empty
	fetched [numParts]time.Time // when each part was read

	tagByID, statusByID       map[string]*inbox.Label
	tagByName, statusByName   map[string]*inbox.Label
	memberByID, memberByUser  map[string]*inbox.Member
	memberByEmail             map[string]*inbox.Member
	membersByName             map[string][]*inbox.Member
	accountByID, accountByKey map[string]*inbox.Account
}

// Has reports whether the snapshot holds all of parts, read from the API.
func (s *Snapshot) Has(parts Part) bool { return s.parts&parts == parts }

// with returns a new snapshot holding s's parts and part p, read at fetched, whose value is
// v (the part's list, or the inbox.Team).
func (s *Snapshot) with(p Part, v any, fetched time.Time) *Snapshot {
	team, tags, statuses, members, accounts := s.Team, s.Tags, s.Statuses, s.Members, s.Accounts
	switch p {
	case PartTeam:
		team = v.(inbox.Team)
	case PartTags:
		tags = v.([]inbox.Label)
	case PartStatuses:
		statuses = v.([]inbox.Label)
	case PartMembers:
		members = v.([]inbox.Member)
	case PartAccounts:
		accounts = v.([]inbox.Account)
	}
	ns := index(team, tags, statuses, members, accounts)
	ns.parts, ns.fetched = s.parts|p, s.fetched
	ns.fetched[p.index()] = fetched
	first := true
	for i, at := range ns.fetched {
		if ns.parts&(1<<i) != 0 && (first || at.Before(ns.Fetched)) {
			ns.Fetched, first = at, false
		}
	}
	return ns
}

// index builds a snapshot's lookup maps over the lists.
func index(team inbox.Team, tags, statuses []inbox.Label, members []inbox.Member, accounts []inbox.Account) *Snapshot {
	s := &Snapshot{
		Team: team, Tags: tags, Statuses: statuses, Members: members, Accounts: accounts,
		tagByID: map[string]*inbox.Label{}, statusByID: map[string]*inbox.Label{},
		tagByName: map[string]*inbox.Label{}, statusByName: map[string]*inbox.Label{},
		memberByID: map[string]*inbox.Member{}, memberByUser: map[string]*inbox.Member{},
		memberByEmail: map[string]*inbox.Member{}, membersByName: map[string][]*inbox.Member{},
		accountByID: map[string]*inbox.Account{}, accountByKey: map[string]*inbox.Account{},
	}
	for i := range s.Tags {
		l := &s.Tags[i]
		s.tagByID[l.ID] = l
		s.tagByName[norm(l.Name)] = l
	}
	for i := range s.Statuses {
		l := &s.Statuses[i]
		s.statusByID[l.ID] = l
		s.statusByName[norm(l.Name)] = l
	}
	for i := range s.Members {
		m := &s.Members[i]
		s.memberByID[m.ID] = m
		if m.UserID != "" {
			s.memberByUser[m.UserID] = m
		}
		if m.Email != "" {
			s.memberByEmail[norm(m.Email)] = m
		}
		if m.Name != "" {
			k := norm(m.Name)
			s.membersByName[k] = append(s.membersByName[k], m)
		}
	}
	for i := range s.Accounts {
		a := &s.Accounts[i]
		s.accountByID[a.ID] = a
		if a.Username != "" {
			s.accountByKey[norm(a.Username)] = a
		}
	}
	return s
}

// Part is one list of a team's directory, read from the API by one request; a set of
// parts is their bitwise or.
type Part uint8

// The parts of a team's directory.
const (
	PartTeam Part = 1 << iota
	PartTags
	PartStatuses
	PartMembers
	PartAccounts
	// AllParts is the whole directory.
	AllParts = PartTeam | PartTags | PartStatuses | PartMembers | PartAccounts
)

const numParts = 5

// index is the part's position in [numParts] arrays; p is a single part.
func (p Part) index() int {
	for i := range numParts {
		if p == 1<<i {
			return i
		}
	}
	panic("directory: not a single part")
}

// norm is the form names are compared in: case-folded, inner whitespace collapsed, without a
// leading @.
func norm(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	return strings.TrimPrefix(s, "@")
}

// TagName names a tag ID, "" when unknown.
func (s *Snapshot) TagName(id string) string {
	if l := s.tagByID[id]; l != nil {
		return l.Name
	}
	return ""
}

// StatusName names a status ID, "" when unknown.
func (s *Snapshot) StatusName(id string) string {
	if l := s.statusByID[id]; l != nil {
		return l.Name
	}
	return ""
}

// MemberName names a member ID (falling back to the email when the member has no name), ""
// when unknown.
func (s *Snapshot) MemberName(id string) string {
	return memberLabel(s.memberByID[id])
}

// UserName names a teammate by user ID, "" when unknown.
func (s *Snapshot) UserName(userID string) string {
	return memberLabel(s.memberByUser[userID])
}

func memberLabel(m *inbox.Member) string {
	switch {
	case m == nil:
		return ""
	case m.Name != "":
		return m.Name
	default:
		return m.Email
	}
}

// AccountName names an account ID as "@username", "" when unknown.
func (s *Snapshot) AccountName(id string) string {
	if a := s.accountByID[id]; a != nil {
		return "@" + a.Username
	}
	return ""
}

// HasTag, HasStatus, HasMember, HasUser and HasAccount report whether an ID is known; the
// directory refreshes a snapshot that lacks an ID it is asked to render.
func (s *Snapshot) HasTag(id string) bool { return s.tagByID[id] != nil }

// HasStatus reports whether a status ID is known.
func (s *Snapshot) HasStatus(id string) bool { return s.statusByID[id] != nil }

// HasMember reports whether a member ID is known.
func (s *Snapshot) HasMember(id string) bool { return s.memberByID[id] != nil }

// HasUser reports whether a teammate's user ID is known.
func (s *Snapshot) HasUser(id string) bool { return s.memberByUser[id] != nil }

// HasAccount reports whether an account ID is known.
func (s *Snapshot) HasAccount(id string) bool { return s.accountByID[id] != nil }

// FindTag resolves a tag by ID or by name (case-insensitive).
func (s *Snapshot) FindTag(ref string) (inbox.Label, error) {
	return findLabel("tag", ref, s.Tags, s.tagByID, s.tagByName)
}

// FindStatus resolves a status by ID or by name (case-insensitive).
func (s *Snapshot) FindStatus(ref string) (inbox.Label, error) {
	return findLabel("status", ref, s.Statuses, s.statusByID, s.statusByName)
}

func findLabel(kind, ref string, all []inbox.Label, byID, byName map[string]*inbox.Label) (inbox.Label, error) {
	ref = strings.TrimSpace(ref)
	if l := byID[ref]; l != nil {
		return *l, nil
	}
	if l := byName[norm(ref)]; l != nil {
		return *l, nil
	}
	names := make([]string, len(all))
	for i, l := range all {
		names[i] = l.Name
	}
	return inbox.Label{}, notFound(kind, ref, names)
}

// FindMember resolves a member by ID, email or name (case-insensitive). A name shared by
// several members is an *AmbiguousError listing their emails.
func (s *Snapshot) FindMember(ref string) (inbox.Member, error) {
	ref = strings.TrimSpace(ref)
	if m := s.memberByID[ref]; m != nil {
		return *m, nil
	}
	k := norm(ref)
	if m := s.memberByEmail[k]; m != nil {
		return *m, nil
	}
	switch ms := s.membersByName[k]; len(ms) {
	case 0:
	case 1:
		return *ms[0], nil
	default:
		var emails []string
		for _, m := range ms {
			emails = append(emails, m.Email)
		}
		return inbox.Member{}, &AmbiguousError{Kind: "member", Ref: ref, Choices: emails}
	}
	var names []string
	for _, m := range s.Members {
		if m.Name != "" {
			names = append(names, m.Name)
		}
		names = append(names, m.Email)
	}
	return inbox.Member{}, notFound("member", ref, names)
}

// FindAccount resolves one of the team's accounts by ID, @username (with or without the @,
// case-insensitive) or X user ID.
func (s *Snapshot) FindAccount(ref string) (inbox.Account, error) {
	ref = strings.TrimSpace(ref)
	if a := s.accountByID[ref]; a != nil {
		return *a, nil
	}
	if a := s.accountByKey[norm(ref)]; a != nil {
		return *a, nil
	}
	for _, a := range s.Accounts {
		if a.PlatformID != "" && a.PlatformID == ref {
			return a, nil
		}
	}
	names := make([]string, len(s.Accounts))
	for i, a := range s.Accounts {
		names[i] = "@" + a.Username
	}
	return inbox.Account{}, notFound("account", ref, names)
}
