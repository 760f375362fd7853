package portal

// PublicText is publicText, for tests that load letters in bulk.
var PublicText = publicText
