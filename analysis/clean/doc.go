// Package clean turns the text of a post or message into the text analysis
// should see: site boilerplate, quoted replies and pinyin annotations removed,
// whitespace collapsed. The original text is kept elsewhere for display; the
// output of this package is never shown to a reader.
package clean
