package web

import (
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"

	"minyi/api/labels"
	"minyi/api/openapi"
)

// apiDocPath is the contract as a page: the same document the server
// serves at /api/openapi.json, as tables, for anyone logged in.
const apiDocPath = "/docs/api"

type apiDoc struct {
	Description string
	Groups      []apiDocGroup
	Schemas     []apiDocSchema
}

type apiDocGroup struct {
	Tag string
	Ops []apiDocOp
}

type apiDocOp struct {
	Method, Path, Summary, Anchor string
	Params                        []apiDocField
	Body                          apiDocType
	Responses                     []apiDocResponse
}

type apiDocResponse struct {
	Status, Description string
	Types               []apiDocType // one per content type
	Headers             []string
}

type apiDocSchema struct {
	Name, Description string
	Fields            []apiDocField
}

// apiDocField is a parameter or a schema property.
type apiDocField struct {
	Name, In, Description string
	Required              bool
	Type                  apiDocType
}

// apiDocType names a schema for a reader: a link to a named schema, or a
// short text such as "string (date-time)" or "day | week | month", with
// the value taken when it is left out.
type apiDocType struct {
	Text, Ref, Media, Default string
}

func (s *server) apiDocPage(c echo.Context) error {
	doc, err := openapi.Contract()
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "apidoc", labels.T("apidoc.title"), buildAPIDoc(doc))
}

func buildAPIDoc(doc *openapi3.T) apiDoc {
	d := apiDoc{Description: doc.Info.Description}
	// Groups in the document's tag order; an operation without a declared
	// tag gets a group of its own at the end.
	group := map[string]int{}
	for _, tag := range doc.Tags {
		group[tag.Name] = len(d.Groups)
		d.Groups = append(d.Groups, apiDocGroup{Tag: tag.Name})
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			tag := firstOr(op.Tags, "")
			i, ok := group[tag]
			if !ok {
				i = len(d.Groups)
				group[tag] = i
				d.Groups = append(d.Groups, apiDocGroup{Tag: tag})
			}
			d.Groups[i].Ops = append(d.Groups[i].Ops, docOperation(method, path, op))
		}
	}
	for i := range d.Groups {
		slices.SortFunc(d.Groups[i].Ops, func(a, b apiDocOp) int {
			return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Method, b.Method))
		})
	}
	for _, name := range slices.Sorted(maps.Keys(doc.Components.Schemas)) {
		sc := doc.Components.Schemas[name].Value
		if !sc.Type.Is(openapi3.TypeObject) {
			continue
		}
		ds := apiDocSchema{Name: name, Description: sc.Description}
		for _, prop := range slices.Sorted(maps.Keys(sc.Properties)) {
			ds.Fields = append(ds.Fields, apiDocField{Name: prop, Required: slices.Contains(sc.Required, prop),
				Type: docType(sc.Properties[prop]), Description: propDescription(sc.Properties[prop])})
		}
		d.Schemas = append(d.Schemas, ds)
	}
	return d
}

func docOperation(method, path string, op *openapi3.Operation) apiDocOp {
	o := apiDocOp{Method: method, Path: path, Summary: op.Summary, Anchor: op.OperationID}
	for _, p := range op.Parameters {
		pv := p.Value
		o.Params = append(o.Params, apiDocField{Name: pv.Name, In: pv.In, Required: pv.Required,
			Description: pv.Description, Type: docType(pv.Schema)})
	}
	if op.RequestBody != nil {
		for media, mt := range op.RequestBody.Value.Content {
			o.Body = docType(mt.Schema)
			o.Body.Media = media
		}
	}
	statuses := slices.Sorted(maps.Keys(op.Responses.Map()))
	for _, status := range statuses {
		rv := op.Responses.Value(status).Value
		r := apiDocResponse{Status: status, Description: deref(rv.Description)}
		for _, media := range slices.Sorted(maps.Keys(rv.Content)) {
			t := docType(rv.Content[media].Schema)
			t.Media = media
			r.Types = append(r.Types, t)
		}
		for _, h := range slices.Sorted(maps.Keys(rv.Headers)) {
			r.Headers = append(r.Headers, h)
		}
		o.Responses = append(o.Responses, r)
	}
	return o
}

func docType(ref *openapi3.SchemaRef) apiDocType {
	if ref == nil {
		return apiDocType{}
	}
	if name, ok := strings.CutPrefix(ref.Ref, "#/components/schemas/"); ok {
		if ref.Value.Type.Is(openapi3.TypeObject) {
			return apiDocType{Text: name, Ref: "schema-" + name}
		}
		ref = &openapi3.SchemaRef{Value: ref.Value} // an enum: show its values
	}
	s := ref.Value
	if len(s.AllOf) == 1 {
		t := docType(s.AllOf[0])
		if s.Nullable {
			t.Text += " | null"
		}
		return t
	}
	var text string
	switch {
	case len(s.Enum) > 0:
		var vals []string
		for _, v := range s.Enum {
			vals = append(vals, fmt.Sprint(v))
		}
		text = strings.Join(vals, " | ")
	case s.Type.Is(openapi3.TypeArray):
		item := docType(s.Items)
		return apiDocType{Text: "[]" + item.Text + nullable(s), Ref: item.Ref}
	case s.Type.Is(openapi3.TypeObject) && s.AdditionalProperties.Schema != nil:
		item := docType(s.AdditionalProperties.Schema)
		text = "map[string]" + item.Text
	default:
		text = strings.Join(s.Type.Slice(), "|")
		if s.Format != "" {
			text += " (" + s.Format + ")"
		}
	}
	if s.Pattern != "" {
		text += " ~ " + s.Pattern
	}
	t := apiDocType{Text: text + nullable(s)}
	if s.Default != nil {
		t.Default = fmt.Sprint(s.Default)
	}
	return t
}

func nullable(s *openapi3.Schema) string {
	if s.Nullable {
		return " | null"
	}
	return ""
}

func propDescription(ref *openapi3.SchemaRef) string {
	if ref.Ref != "" && ref.Value.Type.Is(openapi3.TypeObject) {
		return "" // the linked schema describes itself
	}
	return ref.Value.Description
}

func firstOr(s []string, def string) string {
	if len(s) > 0 {
		return s[0]
	}
	return def
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
