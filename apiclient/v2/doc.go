// Package v2 is the typed client of the Inbox API v2 (api/inbox-v2.openapi.json) and its
// inbox.Backend. It runs on the shared transport of package apiclient (auth, rate limiter,
// retries, error decoding, pagination plumbing) and adds what v2 defines:
//
//   - collections page with {data, nextCursor} and opaque string cursors, flattened with
//     apiclient.Paginate; several filter values repeat the query key; related resources
//     are embedded with expand=;
//   - one POST /messages for thread, contact and profile targets, where every logical send
//     carries one Idempotency-Key on all its attempts, so an ambiguous failure is retried
//     without ever sending twice (see [Client.SendWithKey]);
//   - tags and statuses addressable by ID or name; platforms with capabilities, account
//     links that narrow them and threads that restrict them further.
//
// [NewBackend] presents v2 through the version-neutral model of package inbox: a v2
// contact (the team's record of a person) and profile (their platform account) together
// make an inbox.Prospect whose ID is the contact ID.
package v2
