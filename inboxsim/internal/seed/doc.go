// Package seed fills a new store with the simulator's deterministic data set, and invents
// the profiles of people a send reaches for the first time (Strangers).
//
// IfEmpty fills an empty store from a seed and a scale (same seed and scale, same data and
// IDs; timestamps are relative to the clock at seed time); V2 then adds what only the v2 API
// shows, from its own random stream, so the v1 data set of a seed is what it was before v2
// existed. Scale 1 is:
//
//   - one team (Northwind Labs, USD), 6 members (owner, 2 admins, 3 users; one without name or
//     avatar), 3 account links (company, founder, sales; the newest has syncedAt null);
//   - 10 tags (Hot Lead, Pricing, Demo Requested, Enterprise, Follow Up, Partner, Agency,
//     Churn Risk, Investor, Not Interested), 6 statuses in pipeline order (New Lead, Contacted,
//     Qualified, Demo Scheduled, Closed Won, Closed Lost; the last without a color), 3
//     campaigns (v1 has no campaign endpoints; their IDs appear on campaign messages);
//   - 200 threads holding about 3,100 messages: 60 in no-reply (the prospect wrote last), 75
//     more in default (the team wrote last), 15 message requests, 40 archived, 10 idle
//     quick-peek threads without messages; one thread of 200+ messages in no-reply and three of
//     40 to 100; about 200 prospects, some with threads on two account links, plus a few known
//     prospects without any thread;
//   - conversations chained from a corpus of exchanges (pricing, demos and scheduling,
//     objections, integrations, security reviews, onboarding and support, partnerships,
//     follow-ups, closing won or lost) with emoji, a few whole conversations in Spanish,
//     Portuguese, German, French and Japanese, campaign outreach with follow-ups, and messages
//     sent from Inbox, from the X app and through the API; reactions, replies, edited and
//     deleted messages; prompt-injection attempts from prospects (including one hidden with
//     bidi overrides, zero-width and Unicode tag characters, and one in a profile bio);
//   - about half of the no-reply threads active this week end with a pricing question, so
//     "tag everyone who asked about pricing this week" has about 40 matches;
//   - CRM context that follows the conversations: tags and a status on about half of the
//     prospects, a valuation on ~20%, notes on ~10%; an assignee on about a third of threads;
//   - realistic profiles: unique usernames, bios, locations, websites, follower counts,
//     verified / business / government badges, and one deliberately bare profile with every
//     optional field null.
//
// Everything scales linearly with Scale (threads = 200 × Scale, one 200-message thread per
// unit of scale). Scale 34 gives 6,800 threads and just over 100,000 messages, the size the
// benchmarks use; MaxScale is 1,000. Seeding itself records no events.
//
// The v2 seed adds one LinkedIn account link (the owner's own profile) with about 20 threads
// per unit of scale, across the folders, with a few attachments; LinkedIn profiles, some of
// them linked to the contact of an X prospect with the same name (one person, two platforms,
// one CRM record), the rest LinkedIn-only contacts with their own CRM state; and what only v2
// shows on X data: an account link without message:edit, unread marks, contacts' default
// assignees, and attachments on a share of messages.
package seed
