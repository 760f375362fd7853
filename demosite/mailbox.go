package demosite

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The mailbox is a typical government portal column: UTF-8, list pages of
// letters newest first and one detail page per letter with the department's
// published reply.

const mailboxLayout = `{{define "layout"}}<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="SiteName" content="临江市人民政府">
<meta name="ColumnName" content="市长信箱">
<title>{{.Title}} - 市长信箱 - 临江市人民政府</title>
<link rel="stylesheet" href="/mailbox/static/gov.css">
</head>
<body>
<div class="top-bar"><div class="container"><span>欢迎访问临江市人民政府门户网站</span><a href="javascript:;" class="elder">长者模式</a><a href="javascript:;" class="barrier-free">无障碍</a></div></div>
<div class="header"><div class="container"><a href="/" class="logo">临江市人民政府</a>
<form class="site-search" action="/search" method="get"><input type="text" name="q" placeholder="请输入关键词"><button type="submit">搜索</button></form></div></div>
<div class="nav"><div class="container"><a href="/">首页</a><a href="/mailbox/list?page=1" class="active">市长信箱</a><a href="/forum.php">临江论坛</a></div></div>
<div class="container main">
<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/mailbox/list?page=1">市长信箱</a>{{if .Crumb}} &gt; {{.Crumb}}{{end}}</div>
{{template "content" .}}
</div>
<div class="footer"><div class="container">
<p>主办：临江市人民政府办公室　承办：临江市大数据中心</p>
<p>网站标识码：3205000001　<a href="https://beian.miit.gov.cn/" target="_blank">江ICP备05001234号</a>　公安机关备案号：32050202000123</p>
<p>来信须知：请如实反映问题，不得捏造、歪曲事实；涉及诉讼、仲裁等法定途径解决的事项请依法处理。</p>
</div></div>
</body>
</html>
{{end}}`

const letterListContent = `{{define "content"}}<div class="mailbox-intro"><h2>市长信箱</h2><p>共 {{.Total}} 封公开来信，已回复 {{.Answered}} 封。</p></div>
<ul class="letter-list">
{{range .Letters}}<li><a class="letter-link" href="/mailbox/letter/{{.No}}">{{.Title}}</a><span class="type">{{.Type}}</span><span class="date">{{.Date}}</span><span class="status">{{.Status}}</span></li>
{{end}}</ul>
<div class="pager"><span class="info">第 {{.Page}} / {{.Pages}} 页</span>{{if gt .Page 1}}<a class="prev" href="/mailbox/list?page={{.Prev}}">上一页</a>{{end}}{{if .Next}}<a class="next" href="/mailbox/list?page={{.Next}}">下一页</a>{{end}}</div>
{{end}}`

const letterContent = `{{define "content"}}<div class="letter">
<h2 class="letter-title">{{.Title}}</h2>
<div class="letter-meta">
<span class="label">信件编号：</span><span class="letter-no">{{.No}}</span>
<span class="label">信件类型：</span><span class="letter-type">{{.Type}}</span>
<span class="label">来信时间：</span><span class="letter-time">{{.Time}}</span>
<span class="label">办理状态：</span><span class="letter-status">{{.Status}}</span>
<span class="label">点赞：</span><span class="letter-likes">{{.Likes}}</span>
<span class="label">反对：</span><span class="letter-dislikes">{{.Dislikes}}</span>
</div>
<div class="letter-body">{{.Body}}</div>
{{if .Answered}}<div class="reply"><h3>答复内容</h3>
<p class="reply-meta">答复单位：<span class="reply-unit">{{.ReplyUnit}}</span>　答复时间：<span class="reply-time">{{.ReplyTime}}</span></p>
<div class="reply-text">{{.ReplyText}}</div></div>
{{else}}<div class="pending">该信件正在办理中，请耐心等待答复。</div>
{{end}}<div class="back"><a href="/mailbox/list?page=1">返回列表</a></div>
</div>
{{end}}`

const homeContent = `{{define "content"}}<div class="portal">
<h2>临江市民意互动平台（演示站点）</h2>
<ul>
<li><a href="/forum.php">临江论坛</a>：市民讨论民生话题的论坛（Discuz! 风格，GBK 编码）</li>
<li><a href="/mailbox/list?page=1">市长信箱</a>：市民来信及部门答复</li>
</ul>
</div>
{{end}}`

var (
	mailboxBase = template.Must(template.New("base").Parse(mailboxLayout))
	letterListT = template.Must(template.Must(mailboxBase.Clone()).Parse(letterListContent))
	letterT     = template.Must(template.Must(mailboxBase.Clone()).Parse(letterContent))
	homeT       = template.Must(template.Must(mailboxBase.Clone()).Parse(homeContent))
)

type letterRow struct{ No, Title, Type, Date, Status string }

func (s *Site) serveHome(w http.ResponseWriter, r *http.Request) {
	renderUTF8(w, r, homeT, struct{ Title, Crumb string }{"首页", ""}, time.Time{})
}

func (s *Site) serveLetterList(w http.ResponseWriter, r *http.Request) {
	page := 1
	if p := r.URL.Query().Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			http.Error(w, "page must be a positive number", http.StatusBadRequest)
			return
		}
		page = n
	}
	s.mu.RLock()
	per := s.opts.LettersPerPage
	total := len(s.letters)
	pages := max(1, (total+per-1)/per)
	if page > pages {
		s.mu.RUnlock()
		http.NotFound(w, r)
		return
	}
	data := struct {
		Title, Crumb                             string
		Total, Answered, Page, Pages, Prev, Next int
		Letters                                  []letterRow
	}{Title: "来信列表", Total: total, Page: page, Pages: pages, Prev: page - 1}
	if page < pages {
		data.Next = page + 1
	}
	for i := total - 1 - (page-1)*per; i >= 0 && i > total-1-page*per; i-- {
		l := s.letters[i]
		data.Letters = append(data.Letters, letterRow{l.No, l.Title, l.Type, l.Published.Format("2006-01-02"), l.Status})
	}
	// Every page shows the count answered, so a letter or a reply anywhere
	// is a change of every list page, and its time their Last-Modified.
	var modified time.Time
	for _, l := range s.letters {
		if !l.ReplyTime.IsZero() {
			data.Answered++
		}
		modified = latest(modified, l.Published, l.ReplyTime)
	}
	s.mu.RUnlock()
	renderUTF8(w, r, letterListT, data, modified)
}

func (s *Site) serveLetter(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	l, ok := s.byNo[r.PathValue("no")]
	var copyOf Letter
	if ok {
		copyOf = *l
	}
	s.mu.RUnlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	l = &copyOf
	data := struct {
		Title, Crumb, No, Type, Time, Status string
		Body, ReplyText                      template.HTML
		Answered                             bool
		ReplyUnit, ReplyTime                 string
		Likes, Dislikes                      int
	}{
		Likes: l.Likes, Dislikes: l.Dislikes,
		Title: l.Title, Crumb: "信件详情", No: l.No, Type: l.Type,
		Time: l.Published.Format(letterTime), Status: l.Status,
		Body: paragraphs(l.Body), Answered: !l.ReplyTime.IsZero(),
	}
	modified := l.Published
	if data.Answered {
		data.ReplyUnit, data.ReplyText, data.ReplyTime = l.ReplyUnit, paragraphs(l.ReplyText), l.ReplyTime.Format(letterTime)
		modified = l.ReplyTime
	}
	renderUTF8(w, r, letterT, data, modified)
}

const letterTime = "2006-01-02 15:04:05"

// paragraphs renders one <p> per line, separated by newlines so that the
// element's text content reads back as the lines of the ground truth.
func paragraphs(text string) template.HTML {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = "<p>" + template.HTMLEscapeString(l) + "</p>"
	}
	return template.HTML(strings.Join(lines, "\n"))
}

func renderUTF8(w http.ResponseWriter, r *http.Request, t *template.Template, data any, modified time.Time) {
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		http.Error(w, "template error: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	serveCached(w, r, buf.Bytes(), modified)
}

func latest(ts ...time.Time) time.Time {
	var last time.Time
	for _, t := range ts {
		if t.After(last) {
			last = t
		}
	}
	return last
}
