package store

import (
	"regexp"
	"slices"
)

// PlatformLinkedIn is the platform of the LinkedIn account link, profiles and threads, which
// only the v2 API serves.
const PlatformLinkedIn = "linkedin"

// MaxContentRunes is X's DM length limit, which the API cannot exceed either.
const MaxContentRunes = 10_000

// Capabilities, as the v2 document names them.
const (
	CapSend          = "message:send"
	CapEdit          = "message:edit"
	CapDeleteSelf    = "message:delete:self"
	CapUnsend        = "message:unsend"
	CapReact         = "message:react"
	capReply         = "message:reply"
	CapTypingSend    = "thread:typing:send"
	capDeleteRemote  = "thread:delete:remote"
	capArchiveMutate = "thread:archive:mutate"
	capReadMutate    = "thread:read:mutate"
)

// allCapabilities lists every capability of the document in its order, which is the order
// capability lists are answered in.
var allCapabilities = []string{
	"message:send", "message:edit", "message:delete:self", "message:unsend", "message:react",
	"message:reply", "message:forward", "media:image", "media:video", "media:gif", "media:file",
	"media:audio", "thread:typing:send", "thread:typing:receive", "thread:message-requests",
	"thread:delete:remote", "directory:typeahead", "thread:archive:observe", "thread:archive:mutate",
	"thread:read:observe", "thread:read:mutate", "profile:follow", "profile:unfollow",
}

// StateFlags says whether Inboxapp observes and mutates a thread state on the platform.
type StateFlags struct {
	Observe bool `json:"observe"`
	Mutate  bool `json:"mutate"`
}

// platformSpec is what a platform supports: GET /platforms answers it, account links narrow
// its capabilities, and threads restrict them further.
type platformSpec struct {
	Platform, Name, UsernamePrefix string
	Capabilities                   []string
	Characters, MediaCount         *int
	MediaBytes                     *int
	MediaTypes                     map[string][]string
	MutationWindows                map[string]int // seconds after createdAt
	Archive, Read                  *StateFlags
	ProfileURL                     string // prefix of a profile's URL, followed by the username
}

// The simulated team has X (which every team has) and LinkedIn enabled. The document leaves
// the per-platform table to the vendor's website; these follow what the platforms allow:
//
//   - X: edits within 15 minutes (X Chat only, and only for Premium accounts, which is why an
//     account link can lack message:edit), unsend and delete for self in X Chat, reactions,
//     typing indicators in X Chat, message requests, read receipts observed; X has no archive
//     and no remote conversation deletion.
//   - LinkedIn: sends and replies with images and documents, typing indicators, message
//     requests (InMail), archive and read state both ways, remote conversation deletion; no
//     edits, no unsend, no reactions through the API.
var PlatformSpecs = []platformSpec{
	{
		Platform: PlatformTwitter, Name: "X", UsernamePrefix: "@",
		Capabilities: []string{CapSend, CapEdit, CapDeleteSelf, CapUnsend, CapReact, capReply,
			"media:image", "media:video", "media:gif", CapTypingSend, "thread:typing:receive",
			"thread:message-requests", "thread:read:observe", "directory:typeahead"},
		Characters: new(MaxContentRunes), MediaCount: new(1), MediaBytes: new(15 << 20),
		MediaTypes: map[string][]string{
			"image": {"image/jpeg", "image/png", "image/webp"}, "gif": {"image/gif"}, "video": {"video/mp4"},
		},
		MutationWindows: map[string]int{CapEdit: 15 * 60},
		Read:            &StateFlags{Observe: true},
		ProfileURL:      "https://x.com/",
	},
	{
		Platform: PlatformLinkedIn, Name: "LinkedIn", UsernamePrefix: "",
		Capabilities: []string{CapSend, capReply, "media:image", "media:file", CapTypingSend,
			"thread:typing:receive", "thread:message-requests", capDeleteRemote,
			"thread:archive:observe", capArchiveMutate, "thread:read:observe", capReadMutate},
		Characters: new(8000), MediaCount: new(10), MediaBytes: new(20 << 20),
		MediaTypes: map[string][]string{
			"image": {"image/*"}, "file": {".pdf", ".docx", ".pptx", ".xlsx"},
		},
		MutationWindows: map[string]int{},
		Archive:         &StateFlags{Observe: true, Mutate: true},
		Read:            &StateFlags{Observe: true, Mutate: true},
		ProfileURL:      "https://www.linkedin.com/in/",
	},
}

// PlatformSpecOf returns what a platform supports, nil for a platform the team cannot use.
func PlatformSpecOf(platform string) *platformSpec {
	for i := range PlatformSpecs {
		if PlatformSpecs[i].Platform == platform {
			return &PlatformSpecs[i]
		}
	}
	return nil
}

// PlatformNames lists the platforms the team can use.
func PlatformNames() []string {
	out := make([]string, len(PlatformSpecs))
	for i, p := range PlatformSpecs {
		out[i] = p.Platform
	}
	return out
}

// LinkCapabilities narrows the platform's capabilities by the ones an account link lacks.
func LinkCapabilities(platform string, removed []string) []string {
	spec := PlatformSpecOf(platform)
	out := []string{}
	if spec == nil {
		return out
	}
	for _, c := range allCapabilities {
		if slices.Contains(spec.Capabilities, c) && !slices.Contains(removed, c) {
			out = append(out, c)
		}
	}
	return out
}

// ThreadRestrictions are the capabilities a platform disables in one conversation. On X, a
// conversation that is not X Chat (the legacy, unencrypted DMs) cannot edit, unsend, delete
// for self or show typing indicators, which is what the v1 API enforces as "only in xChat
// threads".
func ThreadRestrictions(platform, variant string) []string {
	if platform == PlatformTwitter && variant != VariantXChat {
		return []string{CapEdit, CapDeleteSelf, CapUnsend, CapTypingSend}
	}
	return []string{}
}

// LinkPattern finds the links in a message's text: the platforms show a card for one, and
// v2 answers them as the message's url entities.
var LinkPattern = regexp.MustCompile(`https?://[^\s<>"]+[^\s<>".,;:!?)\]]`)
