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
	ID, Title, Body, Received, Type, Category, Region, ReplyUnit, ReplyText, ReplyTime, Department, Rating string
	// Likes and Dislikes are readers' 点赞 and 反对 on a public board.
	Likes, Dislikes string

	// lenient lets optional columns be absent. A mapping a person typed is
	// strict, so a misspelt reply_time column fails the import instead of
	// silently producing a history in which nothing was ever answered.
	lenient bool
}

// mappingKeys are the keys ParseMapping accepts, in the order an error lists them.
var mappingKeys = []string{"id", "title", "body", "received", "type", "category", "region",
	"reply_unit", "reply_text", "reply_time", "department", "rating", "likes", "dislikes"}

// MappingKeys are the fields a column can be mapped to, in display order.
func MappingKeys() []string { return append([]string(nil), mappingKeys...) }

// Field returns the mapped header spec of key ("" when unmapped or unknown).
func (m Mapping) Field(key string) string {
	if f := m.field(key); f != nil {
		return *f
	}
	return ""
}

// Set maps key to spec; false for an unknown key.
func (m *Mapping) Set(key, spec string) bool {
	f := m.field(key)
	if f == nil {
		return false
	}
	*f = strings.TrimSpace(spec)
	return true
}

// Lenient returns m with optional columns the file lacks allowed to be absent.
func (m Mapping) Lenient() Mapping { m.lenient = true; return m }

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
	case "rating":
		return &m.Rating
	case "likes":
		return &m.Likes
	case "dislikes":
		return &m.Dislikes
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

// HeaderSet is one family of export files and the headers it uses for
// each field, alternatives separated by "|".
type HeaderSet struct {
	Name    string  // the family, as the README lists it
	Mapping Mapping // its headers
	// Ignored are headers the family has that are deliberately not
	// imported: minyi tracks issues, not the people who raised them.
	Ignored []string
}

// HeaderSets is the one table of the export headers minyi recognises
// without a --map: mayor mailboxes (信件, 来信), leader message boards
// (留言 … 答复 …), 12345 hotline work orders (工单, 诉求) and the generic
// headers. README.md lists it; a new family is a new entry here.
var HeaderSets = []HeaderSet{
	{Name: "通用 generic", Mapping: Mapping{
		ID: "编号|ID", Title: "标题|主题", Body: "内容", Received: "受理时间|提交时间",
		Type: "类型", Category: "分类|问题分类|类别", Region: "区域|所属区域|地区",
		ReplyUnit: "答复单位|回复单位", ReplyText: "答复内容|回复内容", ReplyTime: "答复时间|回复时间",
		Department: "承办部门", Rating: "满意度|评价", Likes: "点赞数|点赞|支持数|likes", Dislikes: "反对数|反对|dislikes"}},
	{Name: "留言板 message board (留言… / 答复…)", Mapping: Mapping{
		ID: "留言编号", Title: "留言主题|留言标题", Body: "留言详情|留言内容", Received: "留言时间|留言日期",
		Type: "留言类型", Category: "留言分类", Region: "留言地区",
		ReplyUnit: "答复机构|回复机构", ReplyText: "答复意见|回复意见", ReplyTime: "答复日期|回复日期"},
		Ignored: []string{"留言用户", "留言人"}},
	{Name: "信件 mayor mailbox (信件… / 来信…)", Mapping: Mapping{
		ID: "信件编号|来信编号", Title: "信件标题|来信标题|信件主题", Body: "信件内容|来信内容",
		Received: "来信时间|写信时间|来信日期", Type: "信件类型|来信类型", Category: "信件分类|来信分类",
		Region: "来信地区"},
		Ignored: []string{"来信人", "写信人", "姓名", "联系电话"}},
	{Name: "12345 工单 work orders (工单… / 诉求…)", Mapping: Mapping{
		ID: "工单编号|工单号|诉求编号", Title: "工单标题|诉求标题|诉求主题", Body: "诉求内容|工单内容|问题描述",
		Received: "诉求时间|来电时间|登记时间|派单时间", Type: "诉求类型|工单类型|来电类型",
		Category: "诉求分类|问题类别|业务分类", Region: "所属区县|区县|诉求区域",
		ReplyText: "办理结果|办结意见|处理结果|回复结果", ReplyTime: "办结时间|办理时间|处理时间",
		Department: "承办单位|办理单位|责任单位", Rating: "满意度评价|回访满意度|评价结果|满意度结果"},
		Ignored: []string{"来电人", "来电号码", "诉求人"}},
}

// DefaultMapping knows every header of HeaderSets. Optional columns the
// file lacks are simply not imported.
func DefaultMapping() Mapping {
	m := Mapping{lenient: true}
	for _, key := range mappingKeys {
		var alts []string
		seen := map[string]bool{}
		for _, set := range HeaderSets {
			for alt := range strings.SplitSeq(set.Mapping.Field(key), "|") {
				if alt != "" && !seen[normHeader(alt)] {
					seen[normHeader(alt)] = true
					alts = append(alts, alt)
				}
			}
		}
		*m.field(key) = strings.Join(alts, "|")
	}
	return m
}

// columns holds the index in a row of each mapped field, -1 when absent,
// and the header as the file spells it, for error messages.
type columns struct {
	id, title, body, received, typ, category, region, replyUnit, replyText, replyTime, department, rating int
	likes, dislikes                                                                                       int
	names                                                                                                 []string
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
	c.rating = find("rating", m.Rating, false)
	c.likes = find("likes", m.Likes, false)
	c.dislikes = find("dislikes", m.Dislikes, false)
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
