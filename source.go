package minyi

import "time"

// SourceKind names a site adapter in crawler/.
type SourceKind string

const (
	SourceDiscuz  SourceKind = "discuz"  // Discuz! X forum: forumdisplay lists, viewthread pages
	SourceMailbox SourceKind = "mailbox" // 市长信箱 / 留言板: list and detail pages described by selectors
)

// Source is one site minyi crawls, as an admin configures it.
type Source struct {
	Name      string        `json:"name" yaml:"name"`
	Kind      SourceKind    `json:"kind" yaml:"kind"`
	StartURLs []string      `json:"start_urls" yaml:"start_urls"`
	Interval  time.Duration `json:"interval" yaml:"interval"` // how often a crawl starts
	// PollInterval is how often the list pages (the start URLs) are
	// fetched, conditionally, to crawl as soon as they change rather than
	// at the next Interval; zero turns polling off. It is raised to
	// MinPollInterval and to what RateLimit allows for the start URLs.
	PollInterval time.Duration `json:"poll_interval,omitempty" yaml:"poll_interval"`
	RateLimit    float64       `json:"rate_limit" yaml:"rate_limit"` // requests per second per host
	// Parallelism is the number of requests in flight per host.
	Parallelism  int               `json:"parallelism" yaml:"parallelism"`
	MaxPages     int               `json:"max_pages" yaml:"max_pages"`
	MaxDepth     int               `json:"max_depth" yaml:"max_depth"`
	MaxBodyBytes int               `json:"max_body_bytes" yaml:"max_body_bytes"`
	UserAgent    string            `json:"user_agent,omitempty" yaml:"user_agent"`
	Selectors    *MailboxSelectors `json:"selectors,omitempty" yaml:"selectors"`
	// ChangedListsOnly is set for one crawl, never configured: list pages
	// are asked for conditionally and one the site answers 304 is not
	// followed, since nothing it links to changed since a crawl that went
	// through all of it. The crawl a poll starts sets it; the scheduled
	// crawl leaves it off and checks every document.
	ChangedListsOnly bool `json:"-" yaml:"-"`
}

// MailboxSelectors describe a message board's list and detail pages with CSS
// selectors, because every city's board is laid out differently.
type MailboxSelectors struct {
	DetailLink string `json:"detail_link" yaml:"detail_link"` // on list pages: links to messages
	NextPage   string `json:"next_page" yaml:"next_page"`     // on list pages: link to the next list page
	ID         string `json:"id,omitempty" yaml:"id"`         // the board's own message number
	Title      string `json:"title" yaml:"title"`
	Body       string `json:"body" yaml:"body"`
	Time       string `json:"time" yaml:"time"`
	Type       string `json:"type,omitempty" yaml:"type"`
	Status     string `json:"status,omitempty" yaml:"status"`
	ReplyUnit  string `json:"reply_unit,omitempty" yaml:"reply_unit"`
	ReplyText  string `json:"reply_text,omitempty" yaml:"reply_text"`
	ReplyTime  string `json:"reply_time,omitempty" yaml:"reply_time"`
	// Likes and Dislikes: readers' 点赞 and 反对 counts, where the board
	// shows them; the first number in the element counts.
	Likes    string `json:"likes,omitempty" yaml:"likes"`
	Dislikes string `json:"dislikes,omitempty" yaml:"dislikes"`
}

// Defaults applied to a source that leaves a setting out; polite enough for a
// small government site.
const (
	DefaultInterval     = 10 * time.Minute
	DefaultRateLimit    = 2.0
	DefaultParallelism  = 2
	DefaultMaxPages     = 500
	DefaultMaxDepth     = 6
	DefaultMaxBodyBytes = 4 << 20
	// MinPollInterval keeps polling of a list page polite however a
	// source is configured.
	MinPollInterval = 5 * time.Second
)

// WithDefaults returns the source with every unset limit filled in.
func (s Source) WithDefaults() Source {
	if s.Interval <= 0 {
		s.Interval = DefaultInterval
	}
	if s.RateLimit <= 0 {
		s.RateLimit = DefaultRateLimit
	}
	if s.Parallelism <= 0 {
		s.Parallelism = DefaultParallelism
	}
	if s.MaxPages <= 0 {
		s.MaxPages = DefaultMaxPages
	}
	if s.MaxDepth <= 0 {
		s.MaxDepth = DefaultMaxDepth
	}
	if s.MaxBodyBytes <= 0 {
		s.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if s.PollInterval < 0 {
		s.PollInterval = 0
	}
	if s.PollInterval > 0 {
		// One poll fetches every start URL: at most RateLimit of them a second.
		perPoll := time.Duration(float64(len(s.StartURLs)) / s.RateLimit * float64(time.Second))
		s.PollInterval = max(s.PollInterval, MinPollInterval, perPoll)
	}
	return s
}

// Validate reports a configuration mistake in terms an admin understands.
func (s *Source) Validate() error {
	switch {
	case s.Name == "":
		return Errorf(EINVALID, "source has no name")
	case s.Kind != SourceDiscuz && s.Kind != SourceMailbox:
		return Errorf(EINVALID, "source %q: kind %q is neither %q nor %q", s.Name, s.Kind, SourceDiscuz, SourceMailbox)
	case len(s.StartURLs) == 0:
		return Errorf(EINVALID, "source %q has no start_urls", s.Name)
	case s.Kind == SourceMailbox && (s.Selectors == nil || s.Selectors.DetailLink == "" || s.Selectors.Title == "" || s.Selectors.Body == "" || s.Selectors.Time == ""):
		return Errorf(EINVALID, "source %q: a mailbox needs selectors detail_link, title, body and time", s.Name)
	}
	return nil
}
