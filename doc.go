// Package minyi holds the domain of a public-opinion and online-petition
// tracker: documents crawled from city forums and mayor mailboxes, the
// sources they come from, and the interfaces of the system of record (Store)
// and the search index (Index). It imports the standard library only; every
// dependency lives in a package of its own and is wired in cmd/minyi.
package minyi
