// Package input validates and normalises what callers hand to a store, the
// same way for every backend: documents, cases, events, filters, windows and
// analyses are checked before anything is written, and times are brought to
// the form the store keeps (UTC, whole seconds). It is internal to store/ so
// that backends share it without importing each other.
package input
