package portal_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"minyi"
	"minyi/api/portal"
	"minyi/store/sqlite"
)

// fixture is a portal over a real SQLite store. Intake records what it is
// handed; tests play the pipeline's part (a case in the store) where they
// need one. The case workflow itself is exercised by cmd/minyi's browser
// test.
type fixture struct {
	t      *testing.T
	store  *sqlite.Store
	srv    *httptest.Server
	intake *recordingIntake
	rater  *storeRater
	photos *recordingPhotos
	asked  *recordingFollowUps
	files  *keptReplyFiles
	now    time.Time
}

// keptReplyFiles stands for the case files the staff pages keep.
type keptReplyFiles struct{ byCase map[string]map[string]string }

func (k *keptReplyFiles) ReplyFiles(caseID string) []string {
	var out []string
	for name := range k.byCase[caseID] {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

func (k *keptReplyFiles) OpenReplyFile(caseID, name string) (io.ReadCloser, error) {
	body, ok := k.byCase[caseID][name]
	if !ok {
		return nil, minyi.Errorf(minyi.ENOTFOUND, "no file %q", name)
	}
	return io.NopCloser(strings.NewReader(body)), nil
}

// recordingFollowUps stands for the department's webhook and mail.
type recordingFollowUps struct {
	mu    sync.Mutex
	asked []string // case id: text
}

func (r *recordingFollowUps) FollowedUp(_ context.Context, c minyi.Case, e minyi.CaseEvent) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.asked = append(r.asked, c.ID+": "+e.Detail)
	return nil
}

type recordingIntake struct {
	mu   sync.Mutex
	docs []minyi.Document
}

func (r *recordingIntake) Ingest(_ context.Context, d minyi.Document) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.docs = append(r.docs, d)
	return nil
}

// storeRater rates as the case workflow does for a first rating that is
// not dissatisfied: the case closes with the rating.
type storeRater struct{ s *sqlite.Store }

func (r storeRater) Rate(ctx context.Context, id string, rating minyi.Rating, comment string) (minyi.Case, error) {
	c, err := r.s.Case(ctx, id)
	if err != nil {
		return minyi.Case{}, err
	}
	if c.Status != minyi.CaseAnswered {
		return minyi.Case{}, minyi.Errorf(minyi.ECONFLICT, "not answered")
	}
	c.Rating, c.Status = rating, minyi.CaseClosed
	return *c, r.s.PutCase(ctx, *c)
}

type fixedDeadlines struct{}

func (fixedDeadlines) Plan(t minyi.MessageType, received time.Time) (int, time.Time) {
	return 5, received.AddDate(0, 0, 7)
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "minyi.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f := &fixture{t: t, store: s, intake: &recordingIntake{}, rater: &storeRater{s}, photos: &recordingPhotos{},
		asked: &recordingFollowUps{}, files: &keptReplyFiles{byCase: map[string]map[string]string{}}, now: time.Date(2026, 12, 7, 10, 0, 0, 0, minyi.ChinaTime)}
	p := &portal.Portal{Store: s, Intake: f.intake, Rater: f.rater, Deadlines: fixedDeadlines{},
		Departments: func() []minyi.Department { return []minyi.Department{{ID: "housing", Name: "市住建局"}} },
		PublicStats: true, Open311Keys: []string{"open311-test-key-0001"}, Now: func() time.Time { return f.now },
		Photos: f.photos, FollowUps: f.asked, Files: f.files}
	f.srv = httptest.NewServer(p.Handler())
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fixture) get(path string) (int, string) {
	f.t.Helper()
	resp, err := http.Get(f.srv.URL + path)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (f *fixture) post(path string, form url.Values) (int, string) {
	f.t.Helper()
	resp, err := http.PostForm(f.srv.URL+path, form)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var (
	tokenPattern    = regexp.MustCompile(`name="challenge" value="([^"]+)"`)
	questionPattern = regexp.MustCompile(`验证：(\d+) 加 (\d+) 等于几`)
	numberPattern   = regexp.MustCompile(`id="letter-number">([^<]+)<`)
	codePattern     = regexp.MustCompile(`id="letter-code">([^<]+)<`)
)

// challenge fetches the form and solves its challenge as a person would.
func (f *fixture) challenge() (token, answer string) {
	f.t.Helper()
	_, body := f.get("/write")
	m, q := tokenPattern.FindStringSubmatch(body), questionPattern.FindStringSubmatch(body)
	if m == nil || q == nil {
		f.t.Fatalf("no challenge on the form:\n%s", body)
	}
	a, _ := strconv.Atoi(q[1])
	b, _ := strconv.Atoi(q[2])
	return m[1], strconv.Itoa(a + b)
}

func letterForm(title, body, phone string) url.Values {
	return url.Values{"type": {"投诉"}, "title": {title}, "body": {body}, "place": {"江北区滨江路"},
		"name": {"王小明"}, "phone": {phone}, "email": {"wang@example.com"}, "publish": {"yes"}}
}

// write sends a letter with a solved challenge and returns number and code.
func (f *fixture) write(form url.Values) (string, string, int, string) {
	f.t.Helper()
	token, answer := f.challenge()
	form.Set("challenge", token)
	form.Set("answer", answer)
	status, body := f.post("/write", form)
	n, c := numberPattern.FindStringSubmatch(body), codePattern.FindStringSubmatch(body)
	if n == nil || c == nil {
		return "", "", status, body
	}
	return n[1], c[1], status, body
}

func TestWriteGoesThroughIntake(t *testing.T) {
	f := newFixture(t)
	number, code, status, body := f.write(letterForm("滨江路路灯不亮", "滨江路路灯坏了一个月，晚上很黑。", "13812345678"))
	if status != http.StatusCreated || number == "" {
		t.Fatalf("write: %d\n%s", status, body)
	}
	for _, want := range []string{"5 个工作日内答复", "2026-12-14", "只显示这一次"} {
		if !strings.Contains(body, want) {
			t.Errorf("receipt lacks %q", want)
		}
	}
	ctx := context.Background()
	l, err := f.store.PortalLetter(ctx, number)
	if err != nil || l.State != minyi.LetterAccepted || strings.Contains(l.CodeHash, code) || !l.Publish {
		t.Fatalf("letter kept: %+v %v", l, err)
	}
	doc, err := f.store.Document(ctx, l.DocumentID)
	if err != nil || doc.Source != minyi.PortalSource || doc.MessageType != "投诉" || doc.Contact.Phone != "13812345678" ||
		!strings.Contains(doc.Body, "江北区滨江路") {
		t.Fatalf("document: %+v %v", doc, err)
	}
	pending, _ := f.store.PendingDocuments(ctx, time.Now().Add(time.Minute), 10)
	if len(pending) != 1 || pending[0].ID != doc.ID {
		t.Errorf("outbox: %v, want the letter (the reconcile ingests it if the start fails)", pending)
	}
	if len(f.intake.docs) != 1 || f.intake.docs[0].ID != doc.ID {
		t.Errorf("intake got %d documents", len(f.intake.docs))
	}
	audit, _ := f.store.Audit(ctx, 10)
	if len(audit) == 0 || audit[0].Action != "portal_write" || audit[0].Target != number ||
		strings.Contains(audit[0].Detail+audit[0].Address, "王小明") || audit[0].Address != "127.0.0.0/24" {
		t.Errorf("audit: %+v", audit)
	}
}

func TestWriteRefusals(t *testing.T) {
	f := newFixture(t)
	good := letterForm("标题", "正常的内容，路面坑洼。", "13812345678")
	cases := []struct {
		name   string
		change func(url.Values)
		want   string
	}{
		{"no name", func(v url.Values) { v.Del("name") }, "都要填写"},
		{"bad phone", func(v url.Values) { v.Set("phone", "12345") }, "电话号码格式不对"},
		{"bad type", func(v url.Values) { v.Set("type", "信访") }, "请选择信件类型"},
		{"bad email", func(v url.Values) { v.Set("email", "x@") }, "电子邮箱格式不对"},
		{"long title", func(v url.Values) { v.Set("title", strings.Repeat("长", 61)) }, "不能超过 60 个字"},
	}
	for _, c := range cases {
		v := url.Values{}
		for k, vs := range good {
			v[k] = vs
		}
		c.change(v)
		_, _, status, body := f.write(v)
		if status != http.StatusBadRequest || !strings.Contains(body, c.want) || !strings.Contains(body, "正常的内容，路面坑洼。</textarea>") {
			t.Errorf("%s: %d, want 400 with %q and the form kept", c.name, status, c.want)
		}
	}
	// The challenge: wrong answer, forged token, and a token used twice.
	v := letterForm("标题", "正常的内容", "13812345678")
	token, answer := f.challenge()
	v.Set("challenge", token)
	v.Set("answer", "999")
	if status, body := f.post("/write", v); status != http.StatusBadRequest || !strings.Contains(body, "答案不对") {
		t.Errorf("wrong answer: %d", status)
	}
	v.Set("answer", answer)
	v.Set("challenge", token[:len(token)-2]+"xx")
	if status, _ := f.post("/write", v); status != http.StatusBadRequest {
		t.Errorf("forged challenge: %d", status)
	}
	v.Set("challenge", token)
	if status, _ := f.post("/write", v); status != http.StatusCreated {
		t.Errorf("solved challenge: %d", status)
	}
	if status, body := f.post("/write", v); status != http.StatusBadRequest || !strings.Contains(body, "已使用过") {
		t.Errorf("challenge used twice: %d", status)
	}
	// Another site's form.
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/write", strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin post: %v %v", resp.StatusCode, err)
	}
	// A body over the limit.
	big := url.Values{"body": {strings.Repeat("a", 300<<10)}}
	if status, _ := f.post("/write", big); status != http.StatusRequestEntityTooLarge {
		t.Errorf("huge body: %d", status)
	}
}

func TestRateLimitsPerPhoneAndAddress(t *testing.T) {
	f := newFixture(t)
	for i := range 3 {
		if n, _, status, _ := f.write(letterForm("标题"+strconv.Itoa(i), "路面坑洼需要修补。", "13900000001")); n == "" {
			t.Fatalf("letter %d: %d", i, status)
		}
	}
	if _, _, status, body := f.write(letterForm("第四封", "路面坑洼需要修补。", "13900000001")); status != http.StatusTooManyRequests ||
		!strings.Contains(body, "该电话号码今天") {
		t.Errorf("fourth letter of a phone in a day: %d", status)
	}
	f.write(letterForm("第五封", "路面坑洼需要修补。", "13900000002"))
	f.write(letterForm("第六封", "路面坑洼需要修补。", "13900000003"))
	if _, _, status, _ := f.write(letterForm("第七封", "路面坑洼需要修补。", "13900000004")); status != http.StatusTooManyRequests {
		t.Errorf("sixth letter from an address in an hour: %d", status)
	}
	f.now = f.now.Add(time.Hour + time.Second)
	if n, _, status, _ := f.write(letterForm("一小时后", "路面坑洼需要修补。", "13900000004")); n == "" {
		t.Errorf("an hour later: %d", status)
	}
}

func TestSpamIsHeldNotDropped(t *testing.T) {
	f := newFixture(t)
	number, code, status, body := f.write(letterForm("优惠", "代开发票，加微信 http://a.com http://b.com", "13812345678"))
	if status != http.StatusCreated || !strings.Contains(body, "待审") {
		t.Fatalf("spam: %d\n%s", status, body)
	}
	l, err := f.store.PortalLetter(context.Background(), number)
	if err != nil || l.State != minyi.LetterHeld || l.Held == nil {
		t.Fatalf("held letter: %+v %v", l, err)
	}
	if len(f.intake.docs) != 0 {
		t.Errorf("a held letter went to intake")
	}
	_, body = f.post("/track", url.Values{"number": {number}, "code": {code}})
	if !strings.Contains(body, "待审") {
		t.Errorf("track of a held letter does not say 待审")
	}
}

// answer plays the pipeline and the department: a case for the letter,
// routed, answered with a reply.
func (f *fixture) answer(number, reply string) minyi.Case {
	f.t.Helper()
	ctx := context.Background()
	l, err := f.store.PortalLetter(ctx, number)
	if err != nil {
		f.t.Fatal(err)
	}
	doc, err := f.store.Document(ctx, l.DocumentID)
	if err != nil {
		f.t.Fatal(err)
	}
	c := minyi.Case{ID: minyi.CaseIDFor(doc.ID), DocumentID: doc.ID, Source: doc.Source, Title: doc.Title,
		MessageType: minyi.MessageType(doc.MessageType), Department: "housing", Status: minyi.CaseAnswered,
		Received: doc.Published, Due: doc.Published.AddDate(0, 0, 7), Answered: f.now, Region: "江北区", Updated: f.now}
	events := []minyi.CaseEvent{
		{CaseID: c.ID, Key: "000-opened", Type: minyi.EventOpened, At: doc.Published, Actor: "system"},
		{CaseID: c.ID, Key: "001-routed", Type: minyi.EventRouted, At: doc.Published, Actor: "system", Department: "housing"},
		{CaseID: c.ID, Key: "002-replied", Type: minyi.EventReplied, At: f.now, Actor: "housing", Department: "housing", Detail: reply},
	}
	if err := f.store.PutCase(ctx, c); err != nil {
		f.t.Fatal(err)
	}
	if err := f.store.AppendCaseEvents(ctx, events); err != nil {
		f.t.Fatal(err)
	}
	return c
}

func TestTrackRateFollowUp(t *testing.T) {
	f := newFixture(t)
	number, code, _, _ := f.write(letterForm("滨江路路灯不亮", "我叫王小明，电话13812345678，路灯坏了。", "13812345678"))
	_, body := f.post("/track", url.Values{"number": {number}, "code": {strings.ToLower(code)}})
	if !strings.Contains(body, "受理") || !strings.Contains(body, "正在交办") || strings.Contains(body, "13812345678") {
		t.Errorf("track before the case:\n%s", body)
	}
	c := f.answer(number, "王小明您好，路灯已修复。")
	_, body = f.post("/track", url.Values{"number": {number}, "code": {code}})
	for _, want := range []string{"市住建局", "已答复", "路灯已修复", "评价答复", "追问"} {
		if !strings.Contains(body, want) {
			t.Errorf("track after the reply lacks %q", want)
		}
	}
	for _, never := range []string{"13812345678", "wang@example.com"} {
		if strings.Contains(body, never) {
			t.Errorf("track shows %q", never)
		}
	}
	status, body := f.post("/rate", url.Values{"number": {number}, "code": {code}, "rating": {"satisfied"}, "reason": {"很快"}})
	if status != http.StatusOK || !strings.Contains(body, "感谢您的评价") {
		t.Errorf("rate: %d", status)
	}
	if got, _ := f.store.Case(context.Background(), c.ID); got.Rating != minyi.RatingSatisfied {
		t.Errorf("case rating %q", got.Rating)
	}
	if status, _ := f.post("/rate", url.Values{"number": {number}, "code": {code}, "rating": {"satisfied"}}); status != http.StatusConflict {
		t.Errorf("second rating: %d, want 409", status)
	}
	status, body = f.post("/followup", url.Values{"number": {number}, "code": {code}, "text": {"另一盏也坏了"}})
	if status != http.StatusOK || !strings.Contains(body, "另一盏也坏了") {
		t.Errorf("follow-up: %d", status)
	}
	events, _ := f.store.CaseEvents(context.Background(), c.ID)
	if last := events[len(events)-1]; last.Type != minyi.EventFollowUp || last.Detail != "另一盏也坏了" || last.Department != "housing" {
		t.Errorf("follow-up event: %+v", last)
	}
	if want := []string{c.ID + ": 另一盏也坏了"}; !slices.Equal(f.asked.asked, want) {
		t.Errorf("the department was told %q, want %q", f.asked.asked, want)
	}
	f.now = f.now.AddDate(0, 0, 16)
	if status, _ := f.post("/followup", url.Values{"number": {number}, "code": {code}, "text": {"还有"}}); status != http.StatusConflict {
		t.Errorf("follow-up after the window: %d", status)
	}
}

func TestWrongCodeIsThrottled(t *testing.T) {
	f := newFixture(t)
	number, code, _, _ := f.write(letterForm("标题", "路面坑洼需要修补。", "13812345678"))
	for i := range 5 {
		if status, body := f.post("/track", url.Values{"number": {number}, "code": {"WRONG" + strconv.Itoa(i)}}); status != http.StatusNotFound ||
			!strings.Contains(body, "编号或查询码不对") {
			t.Fatalf("wrong code %d: %d", i, status)
		}
	}
	if status, body := f.post("/track", url.Values{"number": {number}, "code": {code}}); status != http.StatusTooManyRequests ||
		!strings.Contains(body, "15 分钟") {
		t.Errorf("right code after five wrong ones: %d, want the letter locked", status)
	}
	f.now = f.now.Add(16 * time.Minute)
	if status, _ := f.post("/track", url.Values{"number": {number}, "code": {code}}); status != http.StatusOK {
		t.Errorf("after the lock: %d", status)
	}
	// Unknown numbers count against the address.
	for i := range 10 {
		f.post("/track", url.Values{"number": {"X" + strconv.Itoa(i)}, "code": {"Y"}})
	}
	if status, _ := f.post("/track", url.Values{"number": {number}, "code": {code}}); status != http.StatusTooManyRequests {
		t.Errorf("address after ten misses: %d, want locked", status)
	}
}

func TestPublicLettersMaskedAndOnlyPublished(t *testing.T) {
	f := newFixture(t)
	pub, _, _, _ := f.write(letterForm("公开的信", "我叫王小明，电话13812345678，身份证110101199003077777，邮箱wang@example.com。", "13812345678"))
	priv := letterForm("不公开的信", "路面坑洼需要修补。", "13812345679")
	priv.Set("publish", "no")
	private, _, _, _ := f.write(priv)
	open, _, _, _ := f.write(letterForm("尚未答复", "路面坑洼需要修补。", "13812345670"))
	f.answer(pub, "王小明您好，已处理。")
	f.answer(private, "已处理。")
	_, body := f.get("/letters")
	if !strings.Contains(body, "公开的信") || strings.Contains(body, "不公开的信") || strings.Contains(body, "尚未答复") {
		t.Errorf("board lists the wrong letters:\n%s", body)
	}
	status, body := f.get("/letters/" + pub)
	if status != http.StatusOK || !strings.Contains(body, "已处理") {
		t.Fatalf("published letter: %d", status)
	}
	for _, never := range []string{"王小明", "13812345678", "110101199003077777", "wang@example.com", "滨江路"} {
		if strings.Contains(body, never) {
			t.Errorf("published letter shows %q", never)
		}
	}
	for _, n := range []string{private, open, "20261207-NOSUCH"} {
		if status, _ := f.get("/letters/" + n); status != http.StatusNotFound {
			t.Errorf("letter %s on the board: %d, want 404", n, status)
		}
	}
	if _, body := f.get("/letters?q=公开&type=投诉&department=housing"); !strings.Contains(body, "公开的信") {
		t.Errorf("search by words, type and department misses the letter")
	}
	if _, body := f.get("/letters?q=没有这个"); strings.Contains(body, "公开的信") {
		t.Errorf("search finds a letter without the words")
	}
	// The search reads the letter as the board shows it: what masking hid
	// (the name, the phone, the place) does not find it.
	for _, hidden := range []string{"王小明", "13812345678", "滨江路"} {
		if _, body := f.get("/letters?q=" + url.QueryEscape(hidden)); strings.Contains(body, "公开的信") {
			t.Errorf("search for %q finds the letter that masks it", hidden)
		}
	}
	if _, body := f.get("/letters?q=" + url.QueryEscape("我叫**")); !strings.Contains(body, "公开的信") {
		t.Errorf("search for the masked text misses the letter")
	}
	if status, body := f.get("/stats"); status != http.StatusOK || !strings.Contains(body, "市住建局") {
		t.Errorf("通报: %d", status)
	}
}

func TestOpen311(t *testing.T) {
	f := newFixture(t)
	var services []map[string]any
	status, body := f.get("/open311/v2/services.json")
	if err := json.Unmarshal([]byte(body), &services); err != nil || status != http.StatusOK || len(services) != 5 {
		t.Fatalf("services.json: %d %v %s", status, err, body)
	}
	// GeoReport v2 services: service_code, service_name, description,
	// metadata (boolean), type (realtime|batch|blackbox), keywords, group.
	for _, k := range []string{"service_code", "service_name", "description", "metadata", "type", "keywords", "group"} {
		if _, ok := services[0][k]; !ok {
			t.Errorf("service lacks %s", k)
		}
	}
	if services[0]["metadata"] != false || services[0]["type"] != "realtime" {
		t.Errorf("service: %v", services[0])
	}
	var sx struct {
		XMLName  xml.Name `xml:"services"`
		Services []struct {
			Code string `xml:"service_code"`
		} `xml:"service"`
	}
	_, body = f.get("/open311/v2/services.xml")
	if err := xml.Unmarshal([]byte(body), &sx); err != nil || len(sx.Services) != 5 || sx.Services[3].Code != "complaint" {
		t.Errorf("services.xml: %v %s", err, body)
	}

	post := url.Values{"api_key": {"open311-test-key-0001"}, "service_code": {"complaint"}, "description": {"江北区滨江路路灯不亮，晚上很黑。"},
		"address_string": {"江北区滨江路"}, "first_name": {"小明"}, "last_name": {"王"}, "phone": {"13812345678"}, "publish": {"true"}}
	status, body = f.post("/open311/v2/requests.json", post)
	var created []map[string]any
	if err := json.Unmarshal([]byte(body), &created); err != nil || status != http.StatusCreated || len(created) != 1 {
		t.Fatalf("POST requests.json: %d %v %s", status, err, body)
	}
	id, _ := created[0]["service_request_id"].(string)
	if id == "" || !strings.Contains(created[0]["service_notice"].(string), "查询码") {
		t.Errorf("created: %v", created[0])
	}
	if _, ok := created[0]["account_id"]; !ok {
		t.Errorf("created lacks account_id")
	}
	bad := url.Values{"api_key": {"wrong"}, "service_code": {"complaint"}}
	status, body = f.post("/open311/v2/requests.json", bad)
	var errs []map[string]any
	if json.Unmarshal([]byte(body), &errs); status != http.StatusForbidden || len(errs) != 1 || errs[0]["code"] != float64(403) {
		t.Errorf("bad key: %d %s", status, body)
	}
	post.Set("service_code", "nope")
	if status, _ := f.post("/open311/v2/requests.xml", post); status != http.StatusBadRequest {
		t.Errorf("unknown service: %d", status)
	}

	// Open, published: listed as open; then answered: closed with the reply.
	var reqs []map[string]any
	_, body = f.get("/open311/v2/requests.json?status=open")
	if json.Unmarshal([]byte(body), &reqs); len(reqs) != 0 {
		t.Errorf("a letter without its case yet is listed: %s", body)
	}
	f.answer(id, "王小明您好，路灯已修复。")
	_, body = f.get("/open311/v2/requests/" + id + ".json")
	if err := json.Unmarshal([]byte(body), &reqs); err != nil || len(reqs) != 1 {
		t.Fatalf("requests/{id}.json: %v %s", err, body)
	}
	r := reqs[0]
	for _, k := range []string{"service_request_id", "status", "status_notes", "service_name", "service_code", "description",
		"agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime", "address",
		"address_id", "zipcode", "lat", "long", "media_url"} {
		if _, ok := r[k]; !ok {
			t.Errorf("request lacks %s", k)
		}
	}
	if r["service_request_id"] != id || r["status"] != "closed" || r["service_code"] != "complaint" || r["service_name"] != "投诉" ||
		r["agency_responsible"] != "市住建局" || r["address"] != "江北区" || !strings.Contains(r["status_notes"].(string), "路灯已修复") {
		t.Errorf("request: %v", r)
	}
	if _, err := time.Parse(time.RFC3339, r["requested_datetime"].(string)); err != nil {
		t.Errorf("requested_datetime: %v", err)
	}
	if strings.Contains(body, "王小明") || strings.Contains(body, "13812345678") {
		t.Errorf("request shows the writer: %s", body)
	}
	_, body = f.get("/open311/v2/requests.json?status=closed&service_code=complaint&start_date=2026-12-01T00:00:00%2B08:00&end_date=2026-12-31")
	if json.Unmarshal([]byte(body), &reqs); len(reqs) != 1 {
		t.Errorf("filtered list: %s", body)
	}
	for _, q := range []string{"status=closed&service_code=inquiry", "status=open", "start_date=2026-12-08", "page=2"} {
		if _, body := f.get("/open311/v2/requests.json?" + q); body != "[]" && !strings.HasPrefix(body, "[]") {
			t.Errorf("%s: %s, want none", q, body)
		}
	}
	for _, q := range []string{"status=maybe", "start_date=yesterday", "page_size=1000", "page=0", "start_date=2026-12-08&end_date=2026-12-01"} {
		if status, _ := f.get("/open311/v2/requests.json?" + q); status != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", q, status)
		}
	}
	var rx struct {
		XMLName  xml.Name `xml:"service_requests"`
		Requests []struct {
			ID     string `xml:"service_request_id"`
			Status string `xml:"status"`
		} `xml:"request"`
	}
	_, body = f.get("/open311/v2/requests/" + id + ".xml")
	if err := xml.Unmarshal([]byte(body), &rx); err != nil || len(rx.Requests) != 1 || rx.Requests[0].Status != "closed" {
		t.Errorf("requests/{id}.xml: %v %s", err, body)
	}
	_, body = f.get("/open311/v2/requests.json?service_request_id=" + id + ",NOPE")
	if json.Unmarshal([]byte(body), &reqs); len(reqs) != 1 {
		t.Errorf("by service_request_id: %s", body)
	}
	// An unpublished letter is not there, by id or in a list.
	priv := letterForm("不公开", "路面坑洼需要修补。", "13812345679")
	priv.Set("publish", "no")
	private, _, _, _ := f.write(priv)
	f.answer(private, "已处理。")
	if status, _ := f.get("/open311/v2/requests/" + private + ".json"); status != http.StatusNotFound {
		t.Errorf("unpublished request: %d", status)
	}
}

func TestMaskFullWidthAndSpaced(t *testing.T) {
	f := newFixture(t)
	pub, _, _, _ := f.write(letterForm("公开", "座机０２８－８５１２３４５６，手机 138 1234 5678，联系人：李四。", "13812345678"))
	f.answer(pub, "已处理")
	_, body := f.get("/letters/" + pub)
	for _, never := range []string{"８５１２３４５６", "1234 5678", "李四"} {
		if strings.Contains(body, never) {
			t.Errorf("published letter shows %q", never)
		}
	}
}

// The files a department sent with its reply are the writer's to read with
// the 查询码, as the reply is: listed under the reply, sent as a download,
// never before the reply, never to a wrong code, never another case's.
func TestReplyFilesWithTheCode(t *testing.T) {
	f := newFixture(t)
	number, code, _, _ := f.write(letterForm("滨江路路灯不亮", "路灯坏了一周。", "13812345678"))
	other, otherCode, _, _ := f.write(letterForm("公园厕所没水", "厕所没水。", "13912345678"))
	c := f.answer(number, "路灯已修复，附维修单。")
	f.files.byCase[c.ID] = map[string]string{"1765100000000000000-维修单.pdf": "%PDF-维修单"}
	f.files.byCase[minyi.CaseIDFor("elsewhere")] = map[string]string{"1-secret.pdf": "secret"}

	_, body := f.post("/track", url.Values{"number": {number}, "code": {code}})
	if !strings.Contains(body, `id="reply-files"`) || !strings.Contains(body, ">维修单.pdf</button>") {
		t.Fatalf("the status page lists no reply file:\n%s", body)
	}
	resp, err := http.PostForm(f.srv.URL+"/track/file", url.Values{"number": {number}, "code": {code}, "file": {"1765100000000000000-维修单.pdf"}})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(got) != "%PDF-维修单" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") || resp.Header.Get("Content-Type") != "application/octet-stream" {
		t.Errorf("download: %d %q %q %q", resp.StatusCode, got, resp.Header.Get("Content-Disposition"), resp.Header.Get("Content-Type"))
	}
	for name, form := range map[string]url.Values{
		"wrong code":       {"number": {number}, "code": {"WRONGCOD"}, "file": {"1765100000000000000-维修单.pdf"}},
		"another case's":   {"number": {number}, "code": {code}, "file": {"1-secret.pdf"}},
		"a path":           {"number": {number}, "code": {code}, "file": {"../1765100000000000000-维修单.pdf"}},
		"before the reply": {"number": {other}, "code": {otherCode}, "file": {"1765100000000000000-维修单.pdf"}},
	} {
		if status, body := f.post("/track/file", form); status == http.StatusOK || strings.Contains(body, "PDF-") || strings.Contains(body, "secret") {
			t.Errorf("%s: %d %.80q", name, status, body)
		}
	}
	if _, body := f.post("/track", url.Values{"number": {other}, "code": {otherCode}}); strings.Contains(body, "reply-files") {
		t.Errorf("an unanswered letter lists reply files")
	}
}
