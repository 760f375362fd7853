package crawler

import (
	"testing"
	"time"

	"minyi"
)

// demoSelectors are the selectors of the lead's demo mailbox.
var demoSelectors = minyi.MailboxSelectors{
	DetailLink: "ul.letter-list li a.letter-link",
	NextPage:   "div.pager a.next",
	ID:         "span.letter-no",
	Title:      "h2.letter-title",
	Body:       "div.letter-body",
	Time:       "span.letter-time",
	Type:       "span.letter-type",
	Status:     "span.letter-status",
	ReplyUnit:  "span.reply-unit",
	ReplyText:  "div.reply-text",
	ReplyTime:  "span.reply-time",
	Likes:      "span.letter-likes",
	Dislikes:   "span.letter-dislikes",
}

func TestExtractLetter(t *testing.T) {
	m, err := newMailbox(demoSelectors)
	if err != nil {
		t.Fatal(err)
	}
	d, errs := m.extractLetter(fixtureDoc(t, "mailbox_letter.html"), "https://www.example.gov.cn/mailbox/letter?id=1")
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	want := minyi.Document{
		Kind:        minyi.KindMessage,
		URL:         "https://www.example.gov.cn/mailbox/letter?id=1",
		ExternalID:  "SC20240305001",
		Title:       "关于城东路夜间施工噪音的投诉",
		Body:        "市长您好：\n\n城东路人民路至建设路段夜间施工持续一个月，每晚十一点后仍有渣土车通行，\n噪音严重影响周边居民休息。\n\n请问该工程是否办理了夜间施工许可？",
		Published:   time.Date(2024, 3, 5, 21, 40, 0, 0, minyi.ChinaTime),
		MessageType: "投诉",
		Status:      "已回复",
		Likes:       12,
	}
	if d.Kind != want.Kind || d.URL != want.URL || d.ExternalID != want.ExternalID || d.Title != want.Title ||
		d.Body != want.Body || !d.Published.Equal(want.Published) || d.MessageType != want.MessageType || d.Status != want.Status ||
		d.Likes != want.Likes || d.Dislikes != want.Dislikes {
		t.Errorf("got  %+v\nwant %+v", d, want)
	}
	if d.Reply == nil {
		t.Fatal("no official reply")
	}
	if d.Reply.Unit != "石城市住房和城乡建设局" || !d.Reply.Published.Equal(time.Date(2024, 3, 8, 16, 30, 0, 0, minyi.ChinaTime)) ||
		d.Reply.Body != "您好！经核查，该工程已办理夜间施工许可，许可时段为22时至次日6时。\n\n我局已责令施工单位落实降噪措施，渣土车辆须在24时前完成运输。" {
		t.Errorf("reply %+v", d.Reply)
	}
}

func TestMailboxRejectsBadSelector(t *testing.T) {
	sel := demoSelectors
	sel.Title = "h2[unclosed"
	if _, err := newMailbox(sel); minyi.ErrorCode(err) != minyi.EINVALID {
		t.Fatalf("error %v, want EINVALID", err)
	}
}

func TestStripLabel(t *testing.T) {
	for in, want := range map[string]string{"信件编号：SC1": "SC1", "类型: 投诉": "投诉", "投诉": "投诉", "编号：": "", "": ""} {
		if got := stripLabel(in); got != want {
			t.Errorf("stripLabel(%q) = %q, want %q", in, got, want)
		}
	}
}
