package portal

import (
	"crypto/subtle"
	"encoding/xml"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/labels"
)

// Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2): the
// services are the letter types, a request is a letter. GET shows only
// letters whose writers allowed publication, masked as on the board; POST
// takes a letter through the same intake as the 写信 form, with an API key.

// service311 is one entry of services.json / services.xml.
type service311 struct {
	XMLName     xml.Name `json:"-" xml:"service"`
	ServiceCode string   `json:"service_code" xml:"service_code"`
	ServiceName string   `json:"service_name" xml:"service_name"`
	Description string   `json:"description" xml:"description"`
	Metadata    bool     `json:"metadata" xml:"metadata"`
	Type        string   `json:"type" xml:"type"`
	Keywords    string   `json:"keywords" xml:"keywords"`
	Group       string   `json:"group" xml:"group"`
}

// serviceCodes name the letter types in Open311.
var serviceCodes = map[minyi.MessageType]string{
	minyi.TypeInquiry: "inquiry", minyi.TypeHelp: "help", minyi.TypeSuggestion: "suggestion",
	minyi.TypeComplaint: "complaint", minyi.TypeReport: "report",
}

func typeOfService(code string) (minyi.MessageType, bool) {
	for _, t := range letterTypes {
		if serviceCodes[t] == code {
			return t, true
		}
	}
	return "", false
}

// request311 is one service request as GET requests returns it. Fields
// the portal never knows (a location it would have to geocode, media)
// are empty, as the spec allows; address is the district the letter was
// routed by, never the writer's.
type request311 struct {
	XMLName           xml.Name `json:"-" xml:"request"`
	ServiceRequestID  string   `json:"service_request_id" xml:"service_request_id"`
	Status            string   `json:"status" xml:"status"`
	StatusNotes       string   `json:"status_notes" xml:"status_notes"`
	ServiceName       string   `json:"service_name" xml:"service_name"`
	ServiceCode       string   `json:"service_code" xml:"service_code"`
	Description       string   `json:"description" xml:"description"`
	AgencyResponsible string   `json:"agency_responsible" xml:"agency_responsible"`
	ServiceNotice     string   `json:"service_notice" xml:"service_notice"`
	RequestedDatetime string   `json:"requested_datetime" xml:"requested_datetime"`
	UpdatedDatetime   string   `json:"updated_datetime" xml:"updated_datetime"`
	ExpectedDatetime  string   `json:"expected_datetime" xml:"expected_datetime"`
	Address           string   `json:"address" xml:"address"`
	AddressID         string   `json:"address_id" xml:"address_id"`
	Zipcode           string   `json:"zipcode" xml:"zipcode"`
	Lat               *float64 `json:"lat" xml:"lat,omitempty"`
	Long              *float64 `json:"long" xml:"long,omitempty"`
	MediaURL          string   `json:"media_url" xml:"media_url"`
}

// created311 answers POST requests.
type created311 struct {
	XMLName          xml.Name `json:"-" xml:"request"`
	ServiceRequestID string   `json:"service_request_id" xml:"service_request_id"`
	ServiceNotice    string   `json:"service_notice" xml:"service_notice"`
	AccountID        *string  `json:"account_id" xml:"account_id"`
}

type error311 struct {
	XMLName     xml.Name `json:"-" xml:"error"`
	Code        int      `json:"code" xml:"code"`
	Description string   `json:"description" xml:"description"`
}

func (p *Portal) open311Routes(g *echo.Group) {
	for _, f := range []string{"json", "xml"} {
		g.GET("/services."+f, p.services311)
		g.GET("/requests."+f, p.requests311)
		g.POST("/requests."+f, p.post311)
	}
	g.GET("/requests/:id", p.request311)
}

func isOpen311(c echo.Context) bool { return strings.HasPrefix(c.Request().URL.Path, "/open311/") }

// format311 is the format a path ends in: json or xml.
func format311(path string) (string, bool) {
	switch {
	case strings.HasSuffix(path, ".json"):
		return "json", true
	case strings.HasSuffix(path, ".xml"):
		return "xml", true
	}
	return "", false
}

// write311 answers in the path's format: JSON arrays, or XML lists under
// the spec's root elements.
func write311[T any](c echo.Context, status int, root string, items []T) error {
	if f, _ := format311(c.Request().URL.Path); f == "xml" {
		c.Response().Header().Set(echo.HeaderContentType, "text/xml; charset=utf-8")
		c.Response().WriteHeader(status)
		c.Response().Write([]byte(xml.Header))
		enc := xml.NewEncoder(c.Response())
		return enc.Encode(struct {
			XMLName xml.Name
			Items   []T
		}{XMLName: xml.Name{Local: root}, Items: items})
	}
	if items == nil {
		items = []T{}
	}
	return c.JSON(status, items)
}

func (p *Portal) open311Error(c echo.Context, status int, msg string) {
	if err := write311(c, status, "errors", []error311{{Code: status, Description: msg}}); err != nil {
		p.Logger.Error("portal: writing an Open311 error", "err", err)
	}
}

func (p *Portal) services311(c echo.Context) error {
	out := make([]service311, 0, len(letterTypes))
	for _, t := range letterTypes {
		out = append(out, service311{ServiceCode: serviceCodes[t], ServiceName: string(t),
			Description: labels.T("portal.open311." + serviceCodes[t]), Type: "realtime", Group: labels.T("portal.open311.group")})
	}
	return write311(c, http.StatusOK, "services", out)
}

// Paging of GET requests: the spec returns at most 1000 and leaves paging to
// the endpoint; page and page_size are what most endpoints take.
const (
	defaultPage311 = 50
	maxPage311     = 100
)

func (p *Portal) requests311(c echo.Context) error {
	f, err := p.filter311(c)
	if err != nil {
		return err
	}
	if ids := c.QueryParam("service_request_id"); ids != "" {
		var out []request311
		for i, id := range strings.Split(ids, ",") {
			if i == maxPage311 {
				break
			}
			l, events, err := p.publishedLetter(c.Request().Context(), strings.ToUpper(strings.TrimSpace(id)), true)
			if minyi.ErrorCode(err) == minyi.ENOTFOUND {
				continue
			} else if err != nil {
				return err
			}
			out = append(out, p.request(l, events))
		}
		return write311(c, http.StatusOK, "service_requests", out)
	}
	ls, _, err := p.Store.PublicLetters(c.Request().Context(), f)
	if err != nil {
		return err
	}
	out := make([]request311, 0, len(ls))
	for _, l := range ls {
		events, err := p.Store.CaseEvents(c.Request().Context(), l.Case.ID)
		if err != nil {
			return err
		}
		out = append(out, p.request(l, events))
	}
	return write311(c, http.StatusOK, "service_requests", out)
}

// filter311 reads GET requests' filters: service_code, status (open,
// closed), start_date and end_date (W3C date-times; the last 90 days by
// default, as the spec says), page and page_size.
func (p *Portal) filter311(c echo.Context) (minyi.PublicLetterFilter, error) {
	f := minyi.PublicLetterFilter{Open: true, Limit: defaultPage311}
	if code := c.QueryParam("service_code"); code != "" {
		t, ok := typeOfService(code)
		if !ok {
			return f, refuse(minyi.EINVALID, "portal.open311.bad_service")
		}
		f.Type = t
	}
	var err error
	if f.From, err = time311(c.QueryParam("start_date")); err != nil {
		return f, err
	}
	if f.To, err = time311(c.QueryParam("end_date")); err != nil {
		return f, err
	}
	switch {
	case f.From.IsZero() && f.To.IsZero():
		f.From = p.Now().AddDate(0, 0, -90)
	case !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To):
		return f, refuse(minyi.EINVALID, "portal.open311.bad_dates")
	}
	status := c.QueryParam("status")
	if status != "" && status != "open" && status != "closed" && status != "open,closed" && status != "closed,open" {
		return f, refuse(minyi.EINVALID, "portal.open311.bad_status")
	}
	if status == "closed" {
		f.Open = false // answered or closed
	}
	if size := c.QueryParam("page_size"); size != "" {
		n, err := strconv.Atoi(size)
		if err != nil || n < 1 || n > maxPage311 {
			return f, refuse(minyi.EINVALID, "portal.open311.bad_page", maxPage311)
		}
		f.Limit = n
	}
	if pg := c.QueryParam("page"); pg != "" {
		n, err := strconv.Atoi(pg)
		if err != nil || n < 1 || n > maxPage {
			return f, refuse(minyi.EINVALID, "portal.open311.bad_page", maxPage311)
		}
		f.Offset = (n - 1) * f.Limit
	}
	f.Unanswered = status == "open"
	return f, nil
}

// time311 reads a W3C date-time (2026-12-07T09:00:00+08:00, or a date).
func time311(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, minyi.ChinaTime); err == nil {
			return t, nil
		}
	}
	return time.Time{}, refuse(minyi.EINVALID, "portal.open311.bad_date")
}

func w3c(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(minyi.ChinaTime).Format(time.RFC3339)
}

// request is a public letter as an Open311 request: closed once answered,
// the reply in status_notes, all text masked.
func (p *Portal) request(l minyi.PublicLetter, events []minyi.CaseEvent) request311 {
	c := l.Case
	r := request311{ServiceRequestID: l.Number, Status: "open", ServiceName: string(c.MessageType),
		ServiceCode: serviceCodes[c.MessageType], Description: mask(l.Title+"\n"+withoutPlace(l.Body), l.Contact),
		AgencyResponsible: p.departmentName(c.Department), RequestedDatetime: w3c(c.Received),
		UpdatedDatetime: w3c(c.Updated), ExpectedDatetime: w3c(c.Due), Address: c.Region}
	if c.Status == minyi.CaseAnswered || c.Status == minyi.CaseClosed {
		r.Status = "closed"
		if reply := lastReply(events); reply != nil {
			r.StatusNotes = mask(reply.Detail, l.Contact)
		}
	}
	return r
}

func (p *Portal) request311(c echo.Context) error {
	id := c.Param("id")
	if _, ok := format311(id); !ok {
		return refuse(minyi.ENOTFOUND, "portal.error.not_found")
	}
	id = strings.ToUpper(strings.TrimSuffix(strings.TrimSuffix(id, ".json"), ".xml"))
	if len(id) > 40 {
		return refuse(minyi.ENOTFOUND, "portal.letters.not_found")
	}
	l, events, err := p.publishedLetter(c.Request().Context(), id, true)
	if err != nil {
		return err
	}
	return write311(c, http.StatusOK, "service_requests", []request311{p.request(l, events)})
}

// post311 takes a letter from an Open311 client (an app, a kiosk) that
// holds an API key: the same checks, limits and intake as the 写信 form,
// the challenge aside (the key stands for it). The writer's name and
// phone are required as on the form; the location is the address_string
// (or lat/long), kept as the letter's place.
func (p *Portal) post311(c echo.Context) error {
	key := c.FormValue("api_key")
	if !p.validKey(key) {
		return refuse(minyi.EFORBIDDEN, "portal.open311.bad_key")
	}
	if !p.limits.add("key:"+key, open311PerKey, p.Now()) {
		return errTooMany{labels.T("portal.limit.address")}
	}
	t, ok := typeOfService(c.FormValue("service_code"))
	if !ok {
		return refuse(minyi.EINVALID, "portal.open311.bad_service")
	}
	desc := strings.TrimSpace(c.FormValue("description"))
	title := strings.TrimSpace(c.FormValue("title"))
	if title == "" {
		title = clip(strings.SplitN(desc, "\n", 2)[0], 30)
	}
	place := strings.TrimSpace(c.FormValue("address_string"))
	if place == "" && c.FormValue("lat") != "" && c.FormValue("long") != "" {
		lat, errLat := strconv.ParseFloat(c.FormValue("lat"), 64)
		long, errLong := strconv.ParseFloat(c.FormValue("long"), 64)
		if errLat != nil || errLong != nil || lat < -90 || lat > 90 || long < -180 || long > 180 {
			return refuse(minyi.EINVALID, "portal.open311.bad_location")
		}
		place = strconv.FormatFloat(lat, 'f', 6, 64) + "," + strconv.FormatFloat(long, 'f', 6, 64)
	}
	if place == "" {
		return refuse(minyi.EINVALID, "portal.open311.no_location")
	}
	name := strings.TrimSpace(c.FormValue("last_name") + c.FormValue("first_name"))
	if utf8.RuneCountInString(desc) > maxBody {
		return refuse(minyi.EINVALID, "portal.write.too_long", labels.T("portal.write.field_body"), maxBody)
	}
	r, err := p.submit(c, letterForm{Type: string(t), Title: title, Body: desc, Place: place, Name: name,
		Phone: c.FormValue("phone"), Email: c.FormValue("email"), Publish: c.FormValue("publish") == "true"}, nil)
	if err != nil {
		return err
	}
	notice := labels.Tf("portal.open311.notice", r.Code, r.Workdays)
	if r.Held {
		notice = labels.Tf("portal.open311.notice_held", r.Code)
	}
	return write311(c, http.StatusCreated, "service_requests", []created311{{ServiceRequestID: r.Number, ServiceNotice: notice}})
}

func (p *Portal) validKey(key string) bool {
	if key == "" {
		return false
	}
	return slices.ContainsFunc(p.Open311Keys, func(k string) bool {
		return len(k) >= 16 && subtle.ConstantTimeCompare([]byte(k), []byte(key)) == 1
	})
}
