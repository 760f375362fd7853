package notify

import (
	"bufio"
	"context"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strings"
	"testing"
	"time"

	"minyi"
)

// mailServer speaks just enough SMTP (EHLO/HELO, AUTH PLAIN, MAIL, RCPT, DATA,
// QUIT) on a loopback listener to capture what a client sends.
type mailServer struct {
	addr   string
	reject map[string]string // recipient -> reply line, e.g. "550 no such user"
	done   chan mailSession
}

type mailSession struct {
	auth  string // decoded AUTH PLAIN credentials
	from  string
	rcpts []string
	data  string
}

func newMailServer(t *testing.T, reject map[string]string) *mailServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &mailServer{addr: ln.Addr().String(), reject: reject, done: make(chan mailSession, 1)}
	t.Cleanup(func() { ln.Close() })
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		s.done <- s.serve(conn)
	}()
	return s
}

func (s *mailServer) serve(conn net.Conn) mailSession {
	var m mailSession
	r := bufio.NewReader(conn)
	say := func(line string) { io.WriteString(conn, line+"\r\n") }
	say("220 test.local ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return m
		}
		line = strings.TrimRight(line, "\r\n")
		verb := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		switch {
		case verb == "EHLO" || verb == "HELO":
			say("250-test.local")
			say("250 AUTH PLAIN")
		case verb == "AUTH":
			b, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(line, "AUTH PLAIN "))
			m.auth = string(b)
			say("235 ok")
		case strings.HasPrefix(strings.ToUpper(line), "MAIL FROM:"):
			m.from = strings.Trim(line[len("MAIL FROM:"):], "<> ")
			say("250 ok")
		case strings.HasPrefix(strings.ToUpper(line), "RCPT TO:"):
			rcpt := strings.Trim(line[len("RCPT TO:"):], "<> ")
			if reply, ok := s.reject[rcpt]; ok {
				say(reply)
				continue
			}
			m.rcpts = append(m.rcpts, rcpt)
			say("250 ok")
		case verb == "DATA":
			say("354 go ahead")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return m
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(strings.TrimPrefix(l, ".")) // dot-unstuffing
			}
			m.data = b.String()
			say("250 queued")
		case verb == "QUIT":
			say("221 bye")
			return m
		default:
			say("502 unknown")
		}
	}
}

func TestSMTPSendsChineseMail(t *testing.T) {
	srv := newMailServer(t, nil)
	s := SMTP{Addr: srv.addr, From: "民意系统 <minyi@gov.example>", To: []string{"dcb@gov.example", "督查室 <dc@gov.example>"},
		Username: "minyi", Password: "p@ss"}
	n := sample
	n.Kind = KindSupervise
	n.Text = "第一行\n.以点开头的第二行"
	if err := s.Notify(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	m := <-srv.done
	if m.from != "minyi@gov.example" || strings.Join(m.rcpts, ",") != "dcb@gov.example,dc@gov.example" || m.auth != "\x00minyi\x00p@ss" {
		t.Fatalf("envelope %+v", m)
	}
	msg, err := mail.ReadMessage(strings.NewReader(m.data))
	if err != nil {
		t.Fatal(err)
	}
	var dec mime.WordDecoder
	subj, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || subj != "【督办】道路积水问题超期未复" {
		t.Errorf("subject %q (raw %q), %v", subj, msg.Header.Get("Subject"), err)
	}
	from, err := msg.Header.AddressList("From")
	if err != nil || from[0].Name != "民意系统" {
		t.Errorf("From %v, %v", from, err)
	}
	if ct := msg.Header.Get("Content-Type"); ct != "text/plain; charset=UTF-8" || msg.Header.Get("Content-Transfer-Encoding") != "base64" {
		t.Errorf("headers %v", msg.Header)
	}
	for _, line := range strings.Split(m.data, "\r\n") {
		if len(line) > 78 {
			t.Errorf("line longer than 78: %q", line)
		}
	}
	raw, _ := io.ReadAll(msg.Body)
	body, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(string(raw), "\r\n", ""))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"承办单位：市住建局", "办理时限：2026-02-27 23:59", "第一行\n.以点开头的第二行", "查看详情：https://minyi.example.gov.cn/cases/C-2026-0042"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
}

func TestSMTPRejections(t *testing.T) {
	for _, tc := range []struct {
		reply     string
		permanent bool
	}{
		{"550 5.1.1 no such user", true},
		{"451 4.3.0 try again later", false},
	} {
		srv := newMailServer(t, map[string]string{"gone@gov.example": tc.reply})
		err := SMTP{Addr: srv.addr, From: "minyi@gov.example", To: []string{"gone@gov.example"}}.Notify(context.Background(), sample)
		if err == nil || Permanent(err) != tc.permanent {
			t.Errorf("%s: err %v, Permanent %v", tc.reply, err, Permanent(err))
		}
	}
}

func TestSMTPUnreachableAndSilentServers(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	err := SMTP{Addr: addr, From: "a@b.example", To: []string{"c@d.example"}}.Notify(context.Background(), sample)
	if err == nil || Permanent(err) {
		t.Errorf("refused: %v", err)
	}

	// A server that accepts and never greets: the context deadline must end it.
	silent, _ := net.Listen("tcp", "127.0.0.1:0")
	defer silent.Close()
	go func() {
		c, err := silent.Accept()
		if err == nil {
			defer c.Close()
			io.Copy(io.Discard, c)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = SMTP{Addr: silent.Addr().String(), From: "a@b.example", To: []string{"c@d.example"}}.Notify(ctx, sample)
	if err == nil || Permanent(err) || time.Since(start) > 3*time.Second {
		t.Errorf("silent server: %v after %s", err, time.Since(start))
	}
}

func TestSMTPBadConfig(t *testing.T) {
	for _, s := range []SMTP{
		{Addr: "mail.example", From: "a@b.example", To: []string{"c@d.example"}},
		{Addr: "mail.example:25", From: "not an address", To: []string{"c@d.example"}},
		{Addr: "mail.example:25", From: "a@b.example"},
		{Addr: "mail.example:25", From: "a@b.example", To: []string{"c@d.example\r\nBcc: x@y.example"}},
	} {
		err := s.Notify(context.Background(), sample)
		if minyi.ErrorCode(err) != minyi.EINVALID || !Permanent(err) {
			t.Errorf("%+v: %v", s, err)
		}
	}
}

func TestMessageFoldsLongSubject(t *testing.T) {
	n := Notification{Kind: KindNotice, Title: strings.Repeat("关于某街道长期噪音扰民问题的投诉", 12)}
	from := &mail.Address{Address: "minyi@gov.example"}
	raw := string(message(from, []*mail.Address{{Address: "a@gov.example"}}, n, time.Unix(0, 0)))
	for _, line := range strings.Split(raw, "\r\n") {
		if len(line) > 78 {
			t.Errorf("line longer than 78: %q", line)
		}
	}
	msg, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var dec mime.WordDecoder
	if subj, err := dec.DecodeHeader(msg.Header.Get("Subject")); err != nil || subj != "【通报】"+n.Title {
		t.Errorf("subject %q, %v", subj, err)
	}
}

// A published report goes out with its files: a multipart message whose
// parts a mail reader decodes to the same bytes and the Chinese file names.
func TestSMTPSendsAttachments(t *testing.T) {
	srv := newMailServer(t, nil)
	s := SMTP{Addr: srv.addr, From: "minyi@gov.example", To: []string{"leaders@gov.example"}}
	pdf := append([]byte("%PDF-1.7\n"), make([]byte, 5000)...)
	pdf[100] = 0xff
	docx := []byte("PK\x03\x04 a docx")
	n := Notification{Kind: KindReport, Title: "舆情日报 2026年12月6日", Text: "昨日共监测到网络舆情信息120条。",
		URL: "https://minyi.example.gov.cn/reports/daily-20261206",
		Attachments: []Attachment{{Name: "舆情日报-2026-12-06.docx", ContentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Data: docx},
			{Name: "舆情日报-2026-12-06.pdf", ContentType: "application/pdf", Data: pdf}}}
	if err := s.Notify(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	m := <-srv.done
	msg, err := mail.ReadMessage(strings.NewReader(m.data))
	if err != nil {
		t.Fatal(err)
	}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/mixed" {
		t.Fatalf("Content-Type %q: %v", msg.Header.Get("Content-Type"), err)
	}
	for _, line := range strings.Split(m.data, "\r\n") {
		if len(line) > 998 {
			t.Fatalf("a line of %d characters", len(line))
		}
	}
	r := multipart.NewReader(msg.Body, params["boundary"])
	var parts []string
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(p)
		data, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(string(raw), "\r\n", ""))
		if err != nil {
			t.Fatal(err)
		}
		switch name := p.FileName(); name {
		case "":
			if !strings.Contains(string(data), "昨日共监测到网络舆情信息120条。") || !strings.Contains(string(data), "daily-20261206") {
				t.Errorf("text part %q", data)
			}
		case "舆情日报-2026-12-06.docx":
			if string(data) != string(docx) {
				t.Error("the DOCX arrived changed")
			}
		case "舆情日报-2026-12-06.pdf":
			if string(data) != string(pdf) {
				t.Error("the PDF arrived changed")
			}
		default:
			t.Errorf("an attachment named %q", name)
		}
		parts = append(parts, p.FileName())
	}
	if len(parts) != 3 {
		t.Errorf("parts %q, want the text and two files", parts)
	}
}
