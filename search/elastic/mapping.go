package elastic

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// indexDefinition is the settings and mapping of every index version. Its
// source is deploy/elasticsearch/minyi-index.json, where operators read it;
// this copy exists because go:embed cannot reach outside the package, and a
// test fails when the two differ.
//
//go:generate cp ../../deploy/elasticsearch/minyi-index.json mapping.json
//go:embed mapping.json
var indexDefinition []byte

// metaKey is where an index records the mapping it was created from, in
// the mapping's _meta, which Elasticsearch stores and returns verbatim.
const metaKey = "minyi_mapping"

// mappingVersion identifies indexDefinition: the first 12 hex digits of the
// SHA-256 of its canonical JSON, so reformatting the file changes nothing
// and any change to a field or setting does. Comparing versions rather than
// the mappings Elasticsearch echoes back avoids false alarms from the
// defaults it adds or omits.
var mappingVersion = versionOf(indexDefinition)

func versionOf(definition []byte) string {
	var v any
	if err := json.Unmarshal(definition, &v); err != nil {
		panic("elastic: mapping.json: " + err.Error()) // a build defect; the tests parse it too
	}
	canonical, _ := json.Marshal(v) // maps marshal with sorted keys
	sum := sha256.Sum256(canonical)
	return hex.EncodeToString(sum[:6])
}

// createBody is indexDefinition with the mapping version in _meta and,
// when alias is set, the alias, so that an index is never visible under
// the alias without the version that says what it holds.
func createBody(alias string, settings map[string]any) ([]byte, error) {
	var def map[string]any
	if err := json.Unmarshal(indexDefinition, &def); err != nil {
		return nil, err
	}
	mappings, _ := def["mappings"].(map[string]any)
	if mappings == nil {
		return nil, fmt.Errorf("mapping.json has no mappings")
	}
	mappings["_meta"] = map[string]any{metaKey: mappingVersion}
	if len(settings) > 0 {
		s, _ := def["settings"].(map[string]any)
		if s == nil {
			s = map[string]any{}
			def["settings"] = s
		}
		for k, v := range settings {
			s[k] = v
		}
	}
	if alias != "" {
		def["aliases"] = map[string]any{alias: map[string]any{}}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(def)
	return buf.Bytes(), err
}

// Index versions are named <alias>-<mapping version>, and a rebuild of the
// same mapping adds when it started: <alias>-<version>-<UTC time>. The first
// name is fixed so that two processes opening an empty cluster at once
// create one index, not two behind one alias.
func firstVersionName(alias string) string { return alias + "-" + mappingVersion }

func rebuildName(alias string, now time.Time) string {
	return firstVersionName(alias) + "-" + strings.ToLower(now.UTC().Format("20060102t150405"))
}
