// Package check holds what every store backend must accept, refuse and
// normalise identically: validation of documents, cases, events, filters and
// analyses before anything is written, and the storage form of times. It is
// internal to store/ so that backends share it without importing each other.
package check
