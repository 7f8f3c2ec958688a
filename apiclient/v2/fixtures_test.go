package v2

import (
	"encoding/json"
	"maps"
)

// The scripted server answers with the objects below. They are built from the v2 document's
// own examples (the contact in info.description, field examples such as "@jane",
// "#3b82f6", "2026-09-14T10:32:00.000Z", "order-4821-followup") and every answer made from
// them is validated against the document by specTransport.

const (
	teamID      = "hzcai5t59nn9vsck3rbuepyg"
	memberID    = "m5d9iu2sgdf6jbw4h36n7kxq"
	member2ID   = "u2sgdf6jbw4h36n7kxqm5d9i"
	xAccountID  = "df6jbw4h36qm5d9iu2sgn7kx"
	liAccountID = "k3rbuepyghzcai5t59nn9vsc"
	sarahID     = "nq2r8v5ycx1t7m4hj6kd3wzb" // contact
	sarahProfID = "n7kxqm5d9iu2sgdf6jbw4h36"
	sarahXID    = "1876543210987654321"
	omarID      = "w4hj6kd3nq2r8v5ycx1t7mzb"
	omarProfID  = "q7ybftcaelp8rvk2m5j0xn4w"
	omarLiID    = "ACoAAOmarHaddad"
	thSarahID   = "l44e15irdq4db30i77cgphhx"
	thOmarID    = "c8d2k4m6n8p0q2r4s6t8v0wx"
	msgInID     = "p8rvk2m5j0xn4wq7ybftcael"
	msgOutID    = "x0n4wq7ybftcaelp8rvk2m5j"
	msgNewID    = "v5ycx1t7m4hj6kd3wzbnq2r8"
	hotLeadID   = "t9wq5p2bvnhfdteolyr3km7x"
	pricingID   = "a1b2c3d4e5f6g7h8i9j0k1l2"
	qualifiedID = "r3km7xj9wq5p2bvnhfdteoly"
	newStatusID = "s4ln8yk0xr6q3cwoigeufpmz"
	at          = "2026-09-14T10:32:00.000Z"
)

// obj parses one JSON object literal; fixtures are literals, so a typo is a test bug.
func obj(s string) map[string]any {
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		panic("fixture: " + err.Error() + ": " + s)
	}
	return m
}

func with(m map[string]any, kv ...any) map[string]any {
	out := maps.Clone(m)
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

var (
	fxTeam = obj(`{"id":"` + teamID + `","name":"Acme Growth","slug":"acme-growth","imageUrl":null,"currency":"USD","allowSupportAccess":false,"createdAt":"` + at + `"}`)

	fxMember  = obj(`{"id":"` + memberID + `","name":"Jane Doe","email":"jane@example.com","imageUrl":null,"role":"owner","createdAt":"` + at + `"}`)
	fxMember2 = obj(`{"id":"` + member2ID + `","name":null,"email":"sam@example.com","imageUrl":null,"role":"user","createdAt":"` + at + `"}`)

	fxPlatformX = obj(`{"platform":"twitter","name":"X","usernamePrefix":"@",
		"capabilities":["message:send","message:edit","message:unsend","message:react","message:reply","thread:typing:send","thread:read:observe"],
		"limits":{"characters":10000,"mediaCount":1,"mediaBytes":null,"mediaTypes":{"image":["image/*"],"file":[".pdf"]}},
		"mutationWindows":{"message:edit":900},
		"threadState":{"archive":null,"read":{"observe":true,"mutate":false}}}`)
	fxPlatformLi = obj(`{"platform":"linkedin","name":"LinkedIn","usernamePrefix":"",
		"capabilities":["message:send","message:react"],
		"limits":{"characters":8000,"mediaCount":null,"mediaBytes":null,"mediaTypes":null},
		"mutationWindows":{},"threadState":{"archive":{"observe":true,"mutate":true},"read":null}}`)

	fxAccountX = obj(`{"id":"` + xAccountID + `","platform":"twitter","platformId":"1566123362161725440","username":"jane",
		"displayName":"Jane at Acme","avatarUrl":null,"status":"active","pauseReasons":[],
		"capabilities":["message:send","message:edit","message:react","message:reply"],"syncedAt":"` + at + `","createdAt":"` + at + `"}`)
	fxAccountLi = obj(`{"id":"` + liAccountID + `","platform":"linkedin","platformId":"ACoAAJaneDoe","username":null,
		"displayName":"Jane Doe","avatarUrl":null,"status":"paused","pauseReasons":["billing"],
		"capabilities":[],"syncedAt":null,"createdAt":"` + at + `"}`)

	fxProfileSarah = obj(`{"id":"` + sarahProfID + `","platform":"twitter","platformId":"` + sarahXID + `","username":"sarahchen",
		"handle":"@sarahchen","displayName":"Sarah Chen","avatarUrl":null,"bio":"Building reporting tools.","location":"Berlin",
		"websiteUrl":"https://sarah.example.com","websiteDomain":"sarah.example.com","verified":true,"isOrganization":false,
		"isProtected":false,"followerCount":1200,"followingCount":310,"postCount":4200,"engagementCount":"NaN","listedCount":null,
		"accountStatus":"active","platformCreatedAt":"2019-03-01T08:00:00.000Z","profileUrl":"https://x.com/sarahchen","updatedAt":"` + at + `",
		"platformData":{"_tag":"twitter","badge":"gold","profileType":"business","professionalCategory":null,"urlEntities":[],"bannerUrl":null,"rawData":null}}`)
	fxProfileOmar = obj(`{"id":"` + omarProfID + `","platform":"linkedin","platformId":"` + omarLiID + `","username":"omar-haddad",
		"handle":"omar-haddad","displayName":"Omar Haddad","avatarUrl":null,"bio":null,"location":null,"websiteUrl":null,
		"websiteDomain":null,"verified":false,"isOrganization":false,"isProtected":false,"followerCount":null,"followingCount":null,
		"postCount":null,"engagementCount":null,"listedCount":null,"accountStatus":"active","platformCreatedAt":null,
		"profileUrl":"https://www.linkedin.com/in/omar-haddad","updatedAt":"` + at + `","platformData":{"_tag":"linkedin","industry":"Software"}}`)

	fxContactSarah = obj(`{"id":"` + sarahID + `","statusId":"` + qualifiedID + `","tagIds":["` + hotLeadID + `"],
		"notes":"Asked for a demo of the reporting API.","valuation":12000,"assigneeId":null,"createdAt":"` + at + `","updatedAt":"` + at + `"}`)
	fxContactOmar = obj(`{"id":"` + omarID + `","statusId":null,"tagIds":[],"notes":null,"valuation":null,
		"assigneeId":"` + memberID + `","createdAt":"` + at + `","updatedAt":"` + at + `"}`)

	fxThreadSarah = obj(`{"id":"` + thSarahID + `","platform":"twitter","platformId":"1566123362161725440:` + sarahXID + `",
		"accountLinkId":"` + xAccountID + `","profileId":"` + sarahProfID + `","contactId":"` + sarahID + `","assigneeId":null,
		"isRequest":false,"acceptanceState":"notRequired","archived":false,"unread":false,"restrictions":["message:edit"],
		"syncing":false,"typingIndicators":"teamDefault",
		"lastMessage":{"id":"` + msgInID + `","direction":"inbound","createdAt":"` + at + `"},
		"activity":{"preview":"Sounds great, let's schedule a call!","direction":"inbound","at":"` + at + `"},
		"createdAt":"2026-09-10T10:00:00.000Z"}`)
	fxThreadOmar = obj(`{"id":"` + thOmarID + `","platform":"linkedin","platformId":null,"accountLinkId":"` + liAccountID + `",
		"profileId":"` + omarProfID + `","contactId":"` + omarID + `","assigneeId":"` + memberID + `","isRequest":true,
		"acceptanceState":"required","archived":false,"unread":true,"restrictions":[],"syncing":true,"typingIndicators":"disabled",
		"lastMessage":null,"activity":null,"createdAt":"2026-09-12T09:00:00.000Z"}`)

	fxEntities = obj(`{"urls":[],"postShares":[],"mentions":[],"hashtags":[],"cashtags":[],"format":[]}`)

	fxMessageIn = obj(`{"id":"` + msgInID + `","threadId":"` + thSarahID + `","accountLinkId":"` + xAccountID + `","platform":"twitter",
		"platformId":"1876543210987654322","direction":"inbound","sentBy":null,"content":"Sounds great, let's schedule a call!",
		"attachments":[],"forwarded":null,
		"reactions":[{"emoji":"👍","author":{"type":"accountLink","accountLinkId":"` + xAccountID + `"},"createdAt":null}],
		"editedAt":null,"deletedAt":null,"createdAt":"` + at + `","platformData":{"_tag":"twitter","encrypted":true},"replyTo":null}`)
	fxMessageOut = obj(`{"id":"` + msgOutID + `","threadId":"` + thSarahID + `","accountLinkId":"` + xAccountID + `","platform":"twitter",
		"platformId":"1876543210987654300","direction":"outbound","sentBy":{"type":"member","memberId":"` + memberID + `"},
		"content":"Happy to show you the reporting API.",
		"attachments":[{"index":0,"kind":"image","filename":"chart.png","contentType":"image/jpeg","sizeBytes":48213,"width":1200,
			"height":800,"aspectRatio":1.5,"durationSeconds":null,"status":"ready","url":"https://media.example.com/chart.png",
			"expiresAt":"2026-09-14T11:32:00.000Z","poster":null},
			{"index":1,"kind":"card","url":"https://docs.example.com","title":"Reporting API","description":null,"domain":"docs.example.com","thumbnail":null}],
		"forwarded":null,
		"reactions":[{"emoji":"🔥","author":{"type":"profile","profileId":"` + sarahProfID + `","contactId":"` + sarahID + `"},"createdAt":"` + at + `"},
			{"emoji":"🎉","author":{"type":"unknown","platformId":"99887766"},"createdAt":null}],
		"editedAt":"2026-09-13T09:00:00.000Z","deletedAt":null,"createdAt":"2026-09-13T08:00:00.000Z",
		"platformData":{"_tag":"twitter","encrypted":false},
		"replyTo":{"messageId":"` + msgInID + `","platformId":null,"content":"Can I see it?","authorName":"Sarah Chen"}}`)
	fxMessageCampaign = obj(`{"id":"` + msgNewID + `","threadId":"` + thSarahID + `","accountLinkId":"` + xAccountID + `","platform":"twitter",
		"platformId":null,"direction":"outbound","sentBy":{"type":"campaign","campaignId":"cmp4821followupx0n4wq7yb","stepId":null},
		"content":"Following up on the demo.","attachments":[],"forwarded":null,"reactions":[],"editedAt":null,
		"deletedAt":"2026-09-14T12:00:00.000Z","createdAt":"2026-09-12T08:00:00.000Z","platformData":{"_tag":"twitter","encrypted":false},"replyTo":null}`)

	fxTags = []any{
		obj(`{"id":"` + hotLeadID + `","name":"Hot Lead","color":"#ef4444"}`),
		obj(`{"id":"` + pricingID + `","name":"Pricing","color":"#3b82f6"}`),
	}
	fxStatuses = []any{
		obj(`{"id":"` + qualifiedID + `","name":"Qualified","color":"#22c55e","createdAt":"` + at + `"}`),
		obj(`{"id":"` + newStatusID + `","name":"New","color":null,"createdAt":"` + at + `"}`),
	}
	fxColors = []any{obj(`{"name":"blue","hex":"#3b82f6"}`), obj(`{"name":"red","hex":"#ef4444"}`)}

	fxEvents = obj(`{"data":[
		{"id":"evt1x0n4wq7ybftcaelp8rvk","seq":41,"type":"message.sent","apiVersion":"2","createdAt":"` + at + `",
		 "object":{"type":"message","id":"` + msgOutID + `","url":"/api/v2/messages/` + msgOutID + `"},"data":{"threadId":"` + thSarahID + `"}},
		{"id":"evt2x0n4wq7ybftcaelp8rvk","seq":42,"type":"thread.created","apiVersion":"2","createdAt":"` + at + `",
		 "object":{"type":"thread","id":"` + thOmarID + `","url":"/api/v2/threads/` + thOmarID + `"},"data":{}}],
		"lastSeq":42,"hasMore":false}`)
	fxHistory = obj(`{"versions":[{"content":"Happy to show you the API.","createdAt":"2026-09-13T08:00:00.000Z","origin":"inbox"},
		{"content":"Happy to show you the reporting API.","createdAt":"2026-09-13T09:00:00.000Z","origin":"api"}],"deletion":null,"times":"platform"}`)
	fxAttachment = obj(`{"index":0,"kind":"image","filename":"chart.png","contentType":"image/jpeg","sizeBytes":48213,"width":1200,
		"height":800,"aspectRatio":1.5,"durationSeconds":null,"status":"ready","url":"https://media.example.com/chart.png",
		"expiresAt":"2026-09-14T11:32:00.000Z","poster":null}`)
)

// page wraps items as a v2 collection page.
func page(next any, items ...any) map[string]any {
	if items == nil {
		items = []any{}
	}
	return map[string]any{"data": items, "nextCursor": next}
}

// apiErr is a v2 error body.
func apiErr(code, message string, details any) map[string]any {
	return map[string]any{"code": code, "message": message, "details": details, "requestId": "req_7f3a9c2e"}
}
