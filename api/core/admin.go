package core

import (
	"context"
	"sync"

	"minyi"
	"minyi/deadline"
	"minyi/importer"
	"minyi/routing"
)

// CrawlTrigger starts a source's crawl now, outside its schedule (立即抓取).
type CrawlTrigger interface {
	TriggerCrawl(ctx context.Context, source string) error
}

// Admin is what the admin pages show and do. cmd/ wires it from the config;
// a nil Server.Admin leaves the pages showing nothing configured.
type Admin struct {
	Router *routing.Router // in force; the pages' saves Replace its config
	// Routing is the admin-editable routing (departments, rules, fallback)
	// of the config file, shown until a version is in Settings.
	Routing routing.Config
	// Settings keeps the admin's versioned edits (key RoutingSetting); nil
	// is the Server's Store when it is one, else the pages only list.
	Settings minyi.SettingsStore
	// Generated rules (alert subscriptions that open cases) are added on
	// top of the admin's rules when the router is built; listed, not edited.
	Generated []minyi.RoutingRule
	Deadlines deadline.Policy
	Sources   []minyi.Source
	Crawls    CrawlTrigger // nil: no crawl-now button
	// Relabels tells how far the re-analysis of stored documents after a
	// change of models has come; nil: the sources page does not say.
	Relabels RelabelWatcher
	// Freshness is each source's measured publication-to-searchable
	// delay; nil shows it as not measured.
	Freshness minyi.FreshnessReader
	// Import is the importer wired as the CLI wires it; Store nil disables
	// the import page.
	Import importer.Deps
	// ImportDir holds uploads and bad-row reports; "" is a temporary directory.
	ImportDir string
	// ModelDir keeps the category models trained on imported histories;
	// "" offers no training.
	ModelDir string
	// MaxImportBytes bounds an upload; 0 is DefaultMaxImportBytes.
	MaxImportBytes int64

	saveMu sync.Mutex
}

// RelabelWatcher reads the latest re-analysis (workflowclient.Relabelings):
// nil when none ever ran.
type RelabelWatcher interface {
	Relabeling(ctx context.Context) (*minyi.Relabeling, error)
}

// DefaultMaxImportBytes bounds an uploaded history file.
const DefaultMaxImportBytes = 512 << 20
