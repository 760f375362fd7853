package demosite

import "hash/fnv"

// reactions are the 支持/点赞 and 反对 readers gave a thread or letter. They
// derive from its key and event, not from the site's random source, so
// adding them changed no seeded content; and they change only with the
// page's own content, which keeps ETags stable between crawls. Letters and
// threads about an event draw more of them: people react to what they
// recognise.
func reactions(key, event string) (likes, dislikes int) {
	h := fnv.New32a()
	h.Write([]byte(key))
	n := int(h.Sum32())
	likes, dislikes = n%12, n/12%3
	if event != "" {
		likes += 20 + n/36%180
		dislikes += n / 6480 % 15
	}
	return likes, dislikes
}
