package notify

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"strings"
	"time"

	"minyi"
)

// SMTP sends a notification as a UTF-8 plain-text email. It uses STARTTLS
// when the server offers it; net/smtp refuses PLAIN auth over an unencrypted
// connection to anything but localhost, so a password never goes out in clear.
type SMTP struct {
	Addr               string // host:port
	From               string
	To                 []string
	Username, Password string // empty Username: no AUTH
}

// smtpTimeout bounds a whole delivery when ctx has no deadline of its own.
const smtpTimeout = 30 * time.Second

func (s SMTP) Notify(ctx context.Context, n Notification) error {
	host, from, to, err := s.check()
	if err != nil {
		return err
	}
	msg := message(from, to, n, time.Now())
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, smtpTimeout)
		defer cancel()
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return retryable(fmt.Errorf("notify smtp: %w", err))
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { conn.Close() }) // cancellation interrupts a blocked read
	defer stop()

	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return smtpError("greeting", err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host}); err != nil {
			return smtpError("STARTTLS", err)
		}
	}
	if s.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, host)); err != nil {
			return smtpError("AUTH", err)
		}
	}
	if err := c.Mail(from.Address); err != nil {
		return smtpError("MAIL FROM", err)
	}
	for _, rcpt := range to {
		if err := c.Rcpt(rcpt.Address); err != nil {
			return smtpError("RCPT TO "+rcpt.Address, err)
		}
	}
	wc, err := c.Data()
	if err != nil {
		return smtpError("DATA", err)
	}
	if _, err := wc.Write(msg); err != nil {
		return smtpError("DATA", err)
	}
	if err := wc.Close(); err != nil {
		return smtpError("DATA", err)
	}
	// The message is accepted once DATA is acknowledged: a failed QUIT must
	// not cause a retry that sends it twice.
	_ = c.Quit()
	return nil
}

// check validates the configuration: bad config is permanent (EINVALID).
func (s SMTP) check() (host string, from *mail.Address, to []*mail.Address, err error) {
	host, _, err = net.SplitHostPort(s.Addr)
	if err != nil || host == "" {
		return "", nil, nil, minyi.Errorf(minyi.EINVALID, "notify smtp: address %q is not host:port", s.Addr)
	}
	if from, err = mail.ParseAddress(s.From); err != nil {
		return "", nil, nil, minyi.Errorf(minyi.EINVALID, "notify smtp: From %q: %v", s.From, err)
	}
	if len(s.To) == 0 {
		return "", nil, nil, minyi.Errorf(minyi.EINVALID, "notify smtp: no recipients")
	}
	for _, r := range s.To {
		a, err := mail.ParseAddress(r)
		if err != nil {
			return "", nil, nil, minyi.Errorf(minyi.EINVALID, "notify smtp: To %q: %v", r, err)
		}
		to = append(to, a)
	}
	return host, from, to, nil
}

// message is the RFC 5322 message: RFC 2047 encoded subject and display
// names, and a base64 body, so Chinese text survives any 7-bit relay.
// Addresses are re-serialised from their parsed form, so config cannot inject
// header lines.
func message(from *mail.Address, to []*mail.Address, n Notification, now time.Time) []byte {
	var id [12]byte
	rand.Read(id[:])
	_, domain, _ := strings.Cut(from.Address, "@")
	rcpts := make([]string, len(to))
	for i, a := range to {
		rcpts[i] = a.String()
	}
	h := [][2]string{
		{"From", from.String()},
		{"To", strings.Join(rcpts, ",\r\n ")},
		{"Subject", foldedSubject(subject(n))},
		{"Date", now.In(minyi.ChinaTime).Format(time.RFC1123Z)},
		{"Message-ID", "<" + hex.EncodeToString(id[:]) + "@" + domain + ">"},
		{"MIME-Version", "1.0"},
	}
	boundary := "minyi-" + hex.EncodeToString(id[:])
	if len(n.Attachments) == 0 {
		h = append(h, [2]string{"Content-Type", "text/plain; charset=UTF-8"}, [2]string{"Content-Transfer-Encoding", "base64"})
	} else {
		h = append(h, [2]string{"Content-Type", `multipart/mixed; boundary="` + boundary + `"`})
	}
	var b strings.Builder
	for _, kv := range h {
		sep := ": "
		if strings.HasPrefix(kv[1], "\r\n") {
			sep = ":" // the value starts on a folded line
		}
		b.WriteString(kv[0] + sep + kv[1] + "\r\n")
	}
	b.WriteString("\r\n")
	if len(n.Attachments) == 0 {
		writeBase64(&b, []byte(plainText(n)))
		return []byte(b.String())
	}
	b.WriteString("--" + boundary + "\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	writeBase64(&b, []byte(plainText(n)))
	for _, a := range n.Attachments {
		// RFC 2231 names the file in UTF-8; the RFC 2047 name is for the
		// clients that read only that.
		name := mime.FormatMediaType("attachment", map[string]string{"filename": a.Name})
		b.WriteString("--" + boundary + "\r\n")
		b.WriteString("Content-Type: " + mime.FormatMediaType(a.ContentType, map[string]string{"name": mime.BEncoding.Encode("UTF-8", a.Name)}) + "\r\n")
		b.WriteString("Content-Disposition: " + name + "\r\nContent-Transfer-Encoding: base64\r\n\r\n")
		writeBase64(&b, a.Data)
	}
	b.WriteString("--" + boundary + "--\r\n")
	return []byte(b.String())
}

// writeBase64 writes data base64-encoded in lines of 76 characters.
func writeBase64(b *strings.Builder, data []byte) {
	body := base64.StdEncoding.EncodeToString(data)
	for len(body) > 76 {
		b.WriteString(body[:76] + "\r\n")
		body = body[76:]
	}
	b.WriteString(body + "\r\n")
}

// foldedSubject B-encodes s and puts each encoded word on a line of its
// own: encoded words hold no spaces, so folding between them is safe, and it
// keeps lines under 78 characters for the long subjects Chinese titles make.
func foldedSubject(s string) string {
	enc := mime.BEncoding.Encode("UTF-8", s)
	if enc == s {
		return s
	}
	return "\r\n " + strings.ReplaceAll(enc, "?= =?", "?=\r\n =?")
}

func plainText(n Notification) string {
	var b strings.Builder
	b.WriteString(subject(n) + "\n\n")
	for _, f := range facts(n) {
		b.WriteString(f[0] + "：" + f[1] + "\n")
	}
	if text := strings.TrimSpace(n.Text); text != "" {
		b.WriteString("\n" + text + "\n")
	}
	if n.URL != "" {
		b.WriteString("\n查看详情：" + n.URL + "\n")
	}
	return b.String()
}

// smtpError classifies a server reply: 4xx is transient by definition
// (RFC 5321), 5xx permanent; anything else is a broken connection, worth a retry.
func smtpError(step string, err error) error {
	err = fmt.Errorf("notify smtp %s: %w", step, err)
	var tp *textproto.Error
	if errors.As(err, &tp) {
		if tp.Code >= 500 {
			return permanent(err)
		}
		return retryable(err)
	}
	var cert *tls.CertificateVerificationError
	if errors.As(err, &cert) || strings.Contains(err.Error(), "unencrypted connection") {
		// An untrusted certificate or net/smtp's refusal to send a password
		// in clear: configuration problems a retry will not fix.
		return permanent(err)
	}
	return retryable(err)
}
