package v1

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Fixtures for tests that need a page of threads without a server (decoding benchmarks and
// tolerance tests). TestFixturePageMatchesSpec keeps them faithful to the document.

func ptr[T any](v T) *T { return &v }

func sampleID(kind string, i int) string {
	s := fmt.Sprintf("%s%022d", kind, i)
	return strings.ToLower(s[len(s)-24:])
}

func sampleThread(i int) Thread {
	base := time.Date(2026, 2, 10, 9, 30, 0, 0, time.UTC).Add(-time.Duration(i) * 37 * time.Minute)
	prospectID := sampleID("pr", i)
	links := []string{sampleID("al", 1), sampleID("al", 2), sampleID("al", 3)}
	th := Thread{
		ID:                    sampleID("th", i),
		Platform:              PlatformTwitter,
		PlatformID:            fmt.Sprintf("1566123362161725440:18765432109876%05d", i),
		Done:                  i%7 == 0,
		LastMessageTimestamp:  ptr(base),
		ComputedSortTimestamp: ptr(base),
		CreatedAt:             base.Add(-72 * time.Hour),
		Status:                ThreadActive,
		Variant:               VariantUnencrypted,
		AccountLinkID:         links[i%3],
		LastMessage: &ThreadLastMessage{
			ID:        sampleID("ms", i),
			Content:   "Thanks for the walkthrough yesterday! Could you send over the enterprise pricing and the security questionnaire? We'd like to loop in our CTO next week.",
			AuthorID:  prospectID,
			CreatedAt: base,
		},
		Prospect: Prospect{
			Platform:          PlatformTwitter,
			PlatformID:        fmt.Sprintf("18765432109876%05d", i),
			ExternalID:        ptr(prospectID),
			DocumentID:        ptr(float64(858224163 + i)),
			DisplayName:       "Jordan Rivera",
			Username:          fmt.Sprintf("jordanrivera%d", i),
			Handle:            fmt.Sprintf("@jordanrivera%d", i),
			Image:             ptr("https://pbs.twimg.com/profile_images/1954360649393295360/rwp-vVt6_normal.jpg"),
			ImageNormalized:   ptr("https://pbs.twimg.com/profile_images/1954360649393295360/rwp-vVt6.jpg"),
			Bio:               ptr("Head of Growth @acmeanalytics. Building data tools for sales teams. Previously @stripe. Opinions my own."),
			Location:          ptr("San Francisco, CA"),
			ProfileURL:        fmt.Sprintf("https://x.com/jordanrivera%d", i),
			WebsiteURL:        ptr("https://acmeanalytics.io"),
			WebsiteDomain:     ptr("acmeanalytics.io"),
			Verified:          VerifiedBlue,
			ProfileType:       ProfilePersonal,
			FollowerCount:     Count(3068 + i),
			FollowingCount:    288,
			PostCount:         836,
			EngagementCount:   ptr(Count(2613)),
			ListedCount:       ptr(Count(18)),
			PlatformCreatedAt: ptr(time.Date(2019, 9, 3, 17, 58, 6, 0, time.UTC)),
			FirstSeenAt:       ptr(base.Add(-200 * 24 * time.Hour)),
			LastUpdatedAt:     base.Add(-24 * time.Hour),
			LastEnrichedAt:    ptr(base.Add(-24 * time.Hour)),
			LastActiveAt:      ptr(base.Add(-2 * time.Hour)),
			Source:            SourceCached,
			IsFresh:           true,
			Confidence:        0.85,
			PlatformData: PlatformData{
				IsVerifiedBlue:       true,
				ProfessionalCategory: ptr("986"),
				URLEntities: []URLEntity{{URL: "https://t.co/abc123", ExpandedURL: "https://acmeanalytics.io",
					DisplayURL: "acmeanalytics.io", Indices: []float64{0, 23}}},
				BannerURL:      ptr("https://pbs.twimg.com/profile_banners/1566123362161725440/1753273968"),
				TweetsCount:    836,
				FavoritesCount: 2613,
				RawData:        json.RawMessage("null"),
			},
			Context: ProspectContext{
				Tags:      []string{sampleID("tg", 1), sampleID("tg", 2)},
				StatusID:  ptr(sampleID("st", 3)),
				Valuation: ptr(599.0),
				Notes:     ptr("Asked about SSO and the annual plan; decision in Q2."),
			},
		},
	}
	if i%3 == 0 {
		th.AssigneeID = ptr(sampleID("mb", 1))
		th.LastMessage.AuthorID = th.AccountLinkID
		th.LastMessage.UserID = ptr(sampleID("us", 1))
		th.Prospect.Bio, th.Prospect.Location, th.Prospect.WebsiteURL, th.Prospect.WebsiteDomain = nil, nil, nil, nil
		th.Prospect.Context = ProspectContext{Tags: []string{}}
	}
	return th
}

// samplePageJSON is a page of n threads as the API sends it.
func samplePageJSON(n int) []byte {
	page := ThreadPage{Threads: make([]Thread, n), NextCursor: &Cursor{Timestamp: "2026-02-03T10:00:00.000Z", ID: sampleID("th", n)}}
	for i := range page.Threads {
		page.Threads[i] = sampleThread(i)
	}
	b, err := json.Marshal(page)
	if err != nil {
		panic(err)
	}
	return b
}
