package seed

import (
	"fmt"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Name pools for prospects. Diverse on purpose: real inboxes are international.
var (
	firstNames = []string{
		"Jordan", "Maya", "Liam", "Priya", "Diego", "Sofia", "Kenji", "Amara", "Lucas", "Chloe",
		"Mateo", "Aisha", "Noah", "Elena", "Ravi", "Hannah", "Omar", "Zoe", "Ethan", "Fatima",
		"Lena", "Marcus", "Yuki", "Isabela", "Tom", "Nadia", "Kwame", "Julia", "Arjun", "Camille",
		"Ben", "Leila", "Sam", "Ana", "Felix", "Mei", "Jonas", "Grace", "Tariq", "Emma",
		"Hugo", "Sara", "Daniel", "Ines", "Victor", "Chiara", "Alex", "Ngozi", "Ryan", "Freya",
		"Carlos", "Aiko", "Oliver", "Lucia", "Max", "Rosa", "Theo", "Anya", "Kai", "Beatriz",
	}
	lastNames = []string{
		"Rivera", "Okafor", "Chen", "Patel", "Morales", "Rossi", "Tanaka", "Mensah", "Silva", "Dubois",
		"Garcia", "Khan", "Smith", "Petrova", "Sharma", "Schmidt", "Haddad", "Nguyen", "Walker", "Ali",
		"Fischer", "Johnson", "Sato", "Costa", "Becker", "Novak", "Boateng", "Meyer", "Iyer", "Laurent",
		"Brooks", "Farah", "Lee", "Santos", "Wagner", "Wang", "Berg", "Kim", "Aziz", "Martin",
		"Moreau", "Cohen", "Park", "Ferreira", "Lindqvist", "Romano", "Murphy", "Eze", "Kowalski", "Hansen",
	}
	companies = []struct{ Name, Domain string }{
		{"Brightlane", "brightlane.io"}, {"Copperleaf", "copperleaf.co"}, {"Fernhill Studio", "fernhill.studio"},
		{"Growthloop", "growthloop.com"}, {"Harborline", "harborline.io"}, {"Ironbark Labs", "ironbark.dev"},
		{"Juniper Metrics", "junipermetrics.com"}, {"Kestrel AI", "kestrel.ai"}, {"Lumen Works", "lumenworks.co"},
		{"Meridian Health", "meridianhealth.com"}, {"Nimbus Cloud", "nimbuscloud.io"}, {"Orchard Media", "orchardmedia.co"},
		{"Pinecrest Capital", "pinecrest.vc"}, {"Quillstack", "quillstack.com"}, {"Redwood Agency", "redwood.agency"},
		{"Saltbox", "saltbox.app"}, {"Tidewater Logistics", "tidewater.com"}, {"Umbra Security", "umbrasec.io"},
		{"Vantage Point", "vantagepoint.io"}, {"Wavelength", "wavelength.fm"}, {"Yellowtail Foods", "yellowtail.shop"},
		{"Zenith Robotics", "zenithrobotics.com"}, {"Atlas Payroll", "atlaspayroll.com"}, {"Bluefin Data", "bluefin.so"},
		{"Cobalt Commerce", "cobaltcommerce.com"}, {"Driftwood", "driftwood.design"}, {"Emberly", "emberly.app"},
		{"Foxglove Analytics", "foxglove.io"}, {"Glasshouse", "glasshouse.hq"}, {"Helix Bio", "helixbio.com"},
		{"Indigo Travel", "indigotravel.com"}, {"Jetstream", "jetstream.dev"}, {"Kitewing", "kitewing.co"},
		{"Lattice Legal", "latticelegal.com"}, {"Mosaic Learning", "mosaiclearning.org"}, {"Northstar Realty", "northstarrealty.com"},
		{"Oakridge Partners", "oakridge.partners"}, {"Polaris Fintech", "polaris.finance"}, {"Quantum Leap Media", "qlm.media"},
		{"Riverstone", "riverstone.io"}, {"Sable & Co", "sableandco.com"}, {"Trellis", "trellis.so"},
		{"Upwind Energy", "upwind.energy"}, {"Velvet Rope Events", "velvetrope.events"}, {"Willow CRM", "willowcrm.com"},
	}
	roles = []string{
		"Founder & CEO", "Co-founder", "Head of Growth", "VP Sales", "Marketing Lead", "Agency owner",
		"CTO", "RevOps", "Head of Partnerships", "Demand Gen", "Product Marketing", "COO",
		"Growth marketer", "SDR Manager", "Creator", "Fractional CMO", "Head of Ops", "BD",
	}
	bioTails = []string{
		"Tweets about SaaS, GTM & coffee ☕", "Building in public.", "Ex-Google, ex-Stripe.",
		"Dad of two. Runner 🏃", "Opinions are my own.", "Helping B2B teams grow 📈", "DMs open.",
		"Investor in 20+ startups.", "Newsletter: 12k readers.", "Scaling outbound the right way.",
		"Podcast host 🎙️", "Previously sold 2 companies.", "🇧🇷 → 🇺🇸", "Data nerd.", "Ask me about RevOps.",
		"Writing about remote teams.", "Agency life 🚀", "Climate tech enthusiast 🌱", "YC W21.", "",
	}
	locations = []string{
		"San Francisco, CA", "New York, NY", "Austin, TX", "London", "Berlin", "Lisbon, Portugal",
		"Toronto", "Lagos, Nigeria", "Bangalore", "Singapore", "Sydney", "Paris", "Madrid", "São Paulo",
		"Mexico City", "Tokyo", "Amsterdam", "Dublin", "Remote", "Chicago, IL", "Seattle, WA",
		"Miami, FL", "Denver, CO", "Stockholm", "Cape Town", "Dubai", "Boston, MA", "Accra", "Nairobi",
		"Tel Aviv", "Zürich", "Warsaw", "Buenos Aires", "Vancouver, BC", "Everywhere 🌍",
	}
	// langLocations places non-English speakers where their language is spoken.
	langLocations = map[string][]string{
		"es": {"Madrid", "Mexico City", "Buenos Aires", "Bogotá", "Barcelona"},
		"pt": {"São Paulo", "Lisbon, Portugal", "Rio de Janeiro", "Porto"},
		"de": {"Berlin", "München", "Wien", "Zürich", "Hamburg"},
		"fr": {"Paris", "Lyon", "Montréal", "Bruxelles"},
		"ja": {"Tokyo", "Osaka", "東京"},
	}
	langNames = map[string][][2]string{
		"es": {{"Lucía", "Fernández"}, {"Javier", "Martínez"}, {"Carmen", "López"}, {"Andrés", "Gómez"}},
		"pt": {{"João", "Oliveira"}, {"Beatriz", "Souza"}, {"Rafael", "Almeida"}, {"Mariana", "Lima"}},
		"de": {{"Lukas", "Müller"}, {"Anna", "Schneider"}, {"Jonas", "Weber"}, {"Lea", "Hoffmann"}},
		"fr": {{"Camille", "Lefèvre"}, {"Julien", "Bernard"}, {"Manon", "Girard"}, {"Hugo", "Roux"}},
		"ja": {{"Haruto", "Suzuki"}, {"Yui", "Takahashi"}, {"Ren", "Watanabe"}, {"Sakura", "Ito"}},
	}
)

// personGen makes prospect profiles. It remembers usernames so every one is unique.
type personGen struct {
	rng   *rand.Rand
	now   time.Time
	taken map[string]bool
}

// person is a generated profile plus the facts conversations refer to.
type person struct {
	store.Prospect
	First, Company, Lang string
}

// Pick returns a random element of xs.
func Pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

func chance(rng *rand.Rand, p float64) bool { return rng.Float64() < p }

// logNormal draws a heavy-tailed count around median.
func logNormal(rng *rand.Rand, median, sigma float64, lo, hi int64) int64 {
	v := int64(median * math.Exp(rng.NormFloat64()*sigma))
	return min(max(v, lo), hi)
}

func (g *personGen) username(first, last string) string {
	f, l := asciiFold(first), asciiFold(last)
	candidates := []string{f + l, f + "_" + l, f[:1] + l, f + l[:1], l + f, f + "_builds", "its" + f, f + "." + l}
	for _, c := range candidates {
		c = strings.ReplaceAll(c, ".", "")
		if len(c) <= 15 && !g.taken[c] {
			g.taken[c] = true
			return c
		}
	}
	for {
		c := fmt.Sprintf("%s%s%d", f, l[:1], g.rng.IntN(9000)+100)
		if len(c) > 15 {
			c = c[len(c)-15:]
		}
		if !g.taken[c] {
			g.taken[c] = true
			return c
		}
	}
}

// asciiFold lowercases and strips accents and non-letters for usernames.
func asciiFold(s string) string {
	repl := strings.NewReplacer("á", "a", "à", "a", "ã", "a", "â", "a", "é", "e", "è", "e", "ê", "e",
		"í", "i", "ó", "o", "ô", "o", "õ", "o", "ú", "u", "ü", "u", "ç", "c", "ñ", "n", "ö", "o", "ä", "a", "ß", "ss")
	s = repl.Replace(strings.ToLower(s))
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' {
			b.WriteRune(r)
		}
	}
	if b.Len() < 2 {
		return "user"
	}
	return b.String()
}

// userPlatformID makes an X user ID consistent with the account's age: snowflakes after late
// 2010, short sequential IDs before.
func userPlatformID(rng *rand.Rand, created time.Time) string {
	if created.Before(time.Date(2011, 1, 1, 0, 0, 0, 0, time.UTC)) {
		return strconv.Itoa(10_000_000 + rng.IntN(200_000_000))
	}
	return store.MakeSnowflake(rng, created)
}

// newPerson makes one prospect profile. lang "" is English. nullHeavy leaves every optional
// field empty, the way a barely-known profile looks.
func (g *personGen) newPerson(id, lang string, nullHeavy bool) person {
	rng := g.rng
	var first, last string
	if names, ok := langNames[lang]; ok {
		n := Pick(rng, names)
		first, last = n[0], n[1]
	} else {
		first, last = Pick(rng, firstNames), Pick(rng, lastNames)
	}
	co := Pick(rng, companies)
	created := time.Date(2009+rng.IntN(16), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), rng.IntN(60), 0, 0, time.UTC)
	p := person{First: first, Company: co.Name, Lang: lang}
	p.ExternalID = id
	p.PlatformID = userPlatformID(rng, created)
	p.DisplayName = first + " " + last
	p.Username = g.username(first, last)
	p.Verified, p.ProfileType, p.Source = "none", "personal", "cached"
	p.LastUpdatedAt = g.now.Add(-time.Duration(rng.IntN(45*24)) * time.Hour).Truncate(time.Millisecond)
	p.Context.Tags = []string{}
	p.URLEntities = []store.URLEntity{}
	p.FollowerCount = logNormal(rng, 1800, 1.6, 12, 2_400_000)
	p.FollowingCount = logNormal(rng, 600, 1.0, 3, 9000)
	p.PostCount = logNormal(rng, 3000, 1.3, 0, 250_000)
	p.Confidence = 0.3
	if nullHeavy {
		p.FollowerCount, p.FollowingCount, p.PostCount = 3, 41, 0
		return p
	}
	switch r := rng.Float64(); {
	case r < 0.08:
		// A company account: the display name is the brand.
		p.DisplayName, p.ProfileType = co.Name, "business"
		p.ProfessionalCategory = new(strconv.Itoa(100 + rng.IntN(1500)))
		if chance(rng, 0.5) {
			p.Verified = "business"
		}
	case r < 0.09:
		p.ProfileType, p.Verified = "government", "government"
		p.DisplayName = Pick(rng, []string{"City of Austin Innovation Office", "Digital Service Unit", "Small Business Agency"})
	case r < 0.25:
		p.Verified = "verified"
	}
	role := Pick(rng, roles)
	bio := role + " @" + strings.ReplaceAll(co.Name, " ", "") + ". " + Pick(rng, bioTails)
	if chance(rng, 0.2) {
		// A bio with a link: X shortens it and reports where it points.
		short := "https://t.co/" + store.MakeID(rng)[:10]
		start := len([]rune(bio)) + 1
		bio += " " + short
		p.URLEntities = []store.URLEntity{{URL: short, ExpandedURL: "https://" + co.Domain, DisplayURL: co.Domain, Start: start, End: start + len(short)}}
	}
	p.Bio = new(strings.TrimSpace(bio))
	if chance(rng, 0.9) {
		if ll, ok := langLocations[lang]; ok {
			p.Location = new(Pick(rng, ll))
		} else {
			p.Location = new(Pick(rng, locations))
		}
	}
	if chance(rng, 0.65) {
		p.WebsiteURL, p.WebsiteDomain = new("https://"+co.Domain), new(co.Domain)
	}
	if chance(rng, 0.95) {
		img := fmt.Sprintf("https://pbs.twimg.com/profile_images/%s/%s", store.MakeSnowflake(rng, created.Add(time.Duration(rng.IntN(3000))*24*time.Hour)), store.MakeID(rng)[:8])
		p.Image, p.ImageNormalized = new(img+"_normal.jpg"), new(img+".jpg")
	}
	if chance(rng, 0.7) {
		p.BannerURL = new(fmt.Sprintf("https://pbs.twimg.com/profile_banners/%s/%d", p.PlatformID, created.Unix()+int64(rng.IntN(400_000_000))))
	}
	if chance(rng, 0.95) {
		p.EngagementCount = new(logNormal(rng, 5000, 1.4, 0, 900_000))
	}
	if chance(rng, 0.95) {
		p.ListedCount = new(logNormal(rng, 20, 1.5, 0, 40_000))
	}
	if chance(rng, 0.98) {
		p.PlatformCreatedAt = new(created)
	}
	if chance(rng, 0.9) {
		p.DocumentID = new(int64(100_000_000 + rng.IntN(900_000_000)))
	}
	p.IsProtected = chance(rng, 0.03)
	if chance(rng, 0.9) {
		p.LastEnrichedAt = new(p.LastUpdatedAt)
	}
	if chance(rng, 0.85) {
		p.LastActiveAt = new(g.now.Add(-time.Duration(rng.IntN(10*24*60)) * time.Minute).Truncate(time.Millisecond))
	}
	p.Source = Pick(rng, []string{"cached", "cached", "cached", "cached", "indexed", "merged", "live"})
	age := g.now.Sub(p.LastUpdatedAt)
	switch {
	case p.Source == "live":
		p.Confidence = 1
	case age < 7*24*time.Hour:
		p.Confidence = 0.8 + float64(rng.IntN(20))/100
	case age < 30*24*time.Hour:
		p.Confidence = 0.5 + float64(rng.IntN(30))/100
	default:
		p.Confidence = 0.3 + float64(rng.IntN(20))/100
	}
	p.Confidence = math.Round(p.Confidence*100) / 100
	return p
}

// Strangers invents the profiles of the people a send reaches for the first time, with
// the generators of the data set.
var Strangers = store.Strangers{X: syntheticProspect, LinkedIn: syntheticLinkedInProfile}

// syntheticProspect invents the X profile of a user Inbox has never seen, deterministically
// from the user ID, so that sending to a new contact works in the simulator.
func syntheticProspect(platformID, id string, now time.Time) store.Prospect {
	h := fnv.New64a()
	h.Write([]byte(platformID))
	g := personGen{rng: rand.New(rand.NewPCG(h.Sum64(), 7)), now: now, taken: map[string]bool{}}
	p := g.newPerson(id, "", false)
	p.PlatformID = platformID
	suffix := platformID
	if len(suffix) > 4 {
		suffix = suffix[len(suffix)-4:]
	}
	// The suffix keeps the username unique among seeded ones, which never end in 4 digits.
	p.Username = asciiFold(p.First) + "_" + suffix
	p.Source, p.Confidence = "live", 1
	p.LastUpdatedAt, p.LastEnrichedAt = now, new(now)
	p.FirstSeenAt = new(now)
	return p.Prospect
}
