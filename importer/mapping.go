package importer

import (
	"log/slog"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/width"

	"minyi"
)

// Mapping names the file's column headers for each field. A value may list
// alternatives separated by "|" ("答复时间|回复时间"); the first header the
// file has wins. Title, Body and Received are required.
type Mapping struct {
	ID, Title, Body, Received, Type, Category, Region, ReplyUnit, ReplyText, ReplyTime, Department string

	// lenient lets optional columns be absent. A mapping a person typed is
	// strict, so a misspelt reply_time column fails the import instead of
	// silently producing a history in which nothing was ever answered.
	lenient bool
}

// mappingKeys are the keys ParseMapping accepts, in the order an error lists them.
var mappingKeys = []string{"id", "title", "body", "received", "type", "category", "region",
	"reply_unit", "reply_text", "reply_time", "department"}

func (m *Mapping) field(key string) *string {
	switch key {
	case "id":
		return &m.ID
	case "title":
		return &m.Title
	case "body":
		return &m.Body
	case "received":
		return &m.Received
	case "type":
		return &m.Type
	case "category":
		return &m.Category
	case "region":
		return &m.Region
	case "reply_unit":
		return &m.ReplyUnit
	case "reply_text":
		return &m.ReplyText
	case "reply_time":
		return &m.ReplyTime
	case "department":
		return &m.Department
	}
	return nil
}

// ParseMapping reads "title=标题,body=内容,received=来信时间,reply_time=答复时间".
// Keys are those of Mapping in snake case; full-width "，" and "＝" are
// accepted because people type mappings with a Chinese input method on.
// Every column it names must exist in the file.
func ParseMapping(s string) (Mapping, error) {
	var m Mapping
	s = width.Fold.String(s)
	if strings.TrimSpace(s) == "" {
		return m, minyi.Errorf(minyi.EINVALID, "column mapping is empty; expected e.g. title=标题,body=内容,received=来信时间")
	}
	for _, pair := range strings.Split(s, ",") {
		if strings.TrimSpace(pair) == "" {
			continue
		}
		key, value, ok := strings.Cut(pair, "=")
		key, value = strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(value)
		if !ok || value == "" {
			return m, minyi.Errorf(minyi.EINVALID, "column mapping entry %q is not key=column header", strings.TrimSpace(pair))
		}
		f := m.field(key)
		if f == nil {
			return m, minyi.Errorf(minyi.EINVALID, "unknown column mapping key %q; known keys: %s", key, strings.Join(mappingKeys, ", "))
		}
		if *f != "" {
			return m, minyi.Errorf(minyi.EINVALID, "column mapping key %q is given twice", key)
		}
		*f = value
	}
	for _, key := range []string{"title", "body", "received"} {
		if *m.field(key) == "" {
			return m, minyi.Errorf(minyi.EINVALID, "column mapping has no %q; title, body and received are required", key)
		}
	}
	return m, nil
}

// DefaultMapping knows the headers Chinese mailbox and 12345 hotline exports
// commonly use. Optional columns the file lacks are simply not imported.
func DefaultMapping() Mapping {
	return Mapping{
		ID:         "编号|信件编号|留言编号|工单编号",
		Title:      "标题|信件标题|留言标题|主题",
		Body:       "内容|信件内容|留言内容|来信内容",
		Received:   "来信时间|受理时间|留言时间|提交时间",
		Type:       "类型|信件类型|留言类型",
		Category:   "分类|问题分类|类别",
		Region:     "区域|所属区域|地区",
		ReplyUnit:  "答复单位|回复单位",
		ReplyText:  "答复内容|回复内容|答复意见",
		ReplyTime:  "答复时间|回复时间",
		Department: "承办单位|承办部门",
		lenient:    true,
	}
}

// columns holds the index in a row of each mapped field, -1 when absent,
// and the header as the file spells it, for error messages.
type columns struct {
	id, title, body, received, typ, category, region, replyUnit, replyText, replyTime, department int
	names                                                                                         []string
}

// normHeader makes header matching tolerant of what spreadsheets and input
// methods do to a header: full-width letters and digits, spaces anywhere
// (including U+3000 and NBSP), a BOM, letter case.
func normHeader(s string) string {
	s = width.Fold.String(s)
	return strings.ToLower(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\ufeff' || r == '\u200b' {
			return -1
		}
		return r
	}, s))
}

// resolve finds each mapped column in the header row.
func (m Mapping) resolve(header []string) (columns, error) {
	index := make(map[string]int, len(header))
	for i, h := range header {
		n := normHeader(h)
		if n == "" {
			continue
		}
		if _, dup := index[n]; dup {
			slog.Warn("importer: header appears twice; using the first", "header", h, "column", i+1)
			continue
		}
		index[n] = i
	}
	c := columns{names: make([]string, len(header))}
	for i, h := range header {
		c.names[i] = strings.TrimSpace(h)
	}
	var missing []string
	find := func(key, spec string, required bool) int {
		if strings.TrimSpace(spec) == "" {
			if required {
				missing = append(missing, key+" (not mapped)")
			}
			return -1
		}
		for alt := range strings.SplitSeq(spec, "|") {
			if i, ok := index[normHeader(alt)]; ok {
				return i
			}
		}
		if required || !m.lenient {
			missing = append(missing, key+"="+spec)
		}
		return -1
	}
	c.id = find("id", m.ID, false)
	c.title = find("title", m.Title, true)
	c.body = find("body", m.Body, true)
	c.received = find("received", m.Received, true)
	c.typ = find("type", m.Type, false)
	c.category = find("category", m.Category, false)
	c.region = find("region", m.Region, false)
	c.replyUnit = find("reply_unit", m.ReplyUnit, false)
	c.replyText = find("reply_text", m.ReplyText, false)
	c.replyTime = find("reply_time", m.ReplyTime, false)
	c.department = find("department", m.Department, false)
	if len(missing) > 0 {
		have := make([]string, 0, len(header))
		for _, h := range c.names {
			if h != "" {
				have = append(have, h)
			}
		}
		sort.Strings(missing)
		return c, minyi.Errorf(minyi.EINVALID, "the file has no column for %s; its headers are: %s",
			strings.Join(missing, ", "), strings.Join(have, ", "))
	}
	return c, nil
}

// name is the header of column i as the file spells it.
func (c *columns) name(i int) string {
	if i < 0 || i >= len(c.names) {
		return ""
	}
	return c.names[i]
}
