package crawler

import (
	"testing"

	"minyi"
)

func TestCanonicalize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"HTTP://BBS.Example.COM:80/forum.php?mod=viewthread&tid=7", "http://bbs.example.com/forum.php?mod=viewthread&tid=7"},
		{"https://bbs.example.com:443/forum.php#pid88", "https://bbs.example.com/forum.php"},
		{"https://bbs.example.com:8443/a", "https://bbs.example.com:8443/a"},
		{"http://x.cn/forum.php?tid=7&mod=viewthread&extra=page%3D1", "http://x.cn/forum.php?mod=viewthread&tid=7"},
		{"http://x.cn/forum.php?mod=viewthread&tid=7&from=portal&formhash=abc123", "http://x.cn/forum.php?mod=viewthread&tid=7"},
		{"http://x.cn/list.do?PHPSESSID=deadbeef&page=2&sid=Xy9", "http://x.cn/list.do?page=2"},
		{"http://x.cn/list.do;jsessionid=0A1B2C?page=2&sessionid=9", "http://x.cn/list.do?page=2"},
		{"http://x.cn/a;JSESSIONID=0A1B/b.do", "http://x.cn/a/b.do"},
		{"http://x.cn", "http://x.cn/"},
		{"http://x.cn/?", "http://x.cn/"},
		{"http://x.cn/s?b=2&a=1&b=1", "http://x.cn/s?a=1&b=2&b=1"},
		{"http://x.cn/s?q=%E6%B0%91%E6%84%8F&a", "http://x.cn/s?a&q=%E6%B0%91%E6%84%8F"},
		{"http://x.cn/s?q=a;b=c", "http://x.cn/s?q=a%3Bb%3Dc"},
		{"http://user:pw@x.cn/", "http://x.cn/"},
	} {
		got, err := Canonicalize(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("Canonicalize(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "javascript:alert(1)", "mailto:a@b.cn", "/relative/path", "http://%zz", "ftp://x.cn/a"} {
		if _, err := Canonicalize(bad); minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("Canonicalize(%q) error = %v, want EINVALID", bad, err)
		}
	}
}

func TestDiscuzURLsOfOneThreadAgree(t *testing.T) {
	same := []string{
		"https://bbs.example.com/forum.php?mod=viewthread&tid=1024&extra=page%3D1",
		"https://BBS.example.com:443/forum.php?tid=1024&mod=viewthread#pid88001",
		"https://bbs.example.com/thread-1024-1-1.html",
		"https://bbs.example.com/thread-1024-1-3.html",
		"https://bbs.example.com/forum.php?mod=viewthread&tid=1024&page=1&sid=abc",
	}
	for _, raw := range same {
		canon, err := Canonicalize(raw)
		if err != nil {
			t.Fatal(err)
		}
		ref, ok := parseDiscuzURL(canon)
		if !ok || ref.kind != discuzThread {
			t.Fatalf("%s: not understood as a thread", raw)
		}
		if got, want := ref.url(), "https://bbs.example.com/forum.php?mod=viewthread&tid=1024"; got != want {
			t.Errorf("%s → %s, want %s", raw, got, want)
		}
	}
	for raw, want := range map[string]string{
		"https://bbs.example.com/bbs/forum-2-3.html":                               "https://bbs.example.com/bbs/forum.php?fid=2&mod=forumdisplay&page=3",
		"https://bbs.example.com/bbs/forum.php?mod=forumdisplay&fid=2&page=1":      "https://bbs.example.com/bbs/forum.php?fid=2&mod=forumdisplay",
		"https://bbs.example.com/bbs/thread-9-2-1.html":                            "https://bbs.example.com/bbs/forum.php?mod=viewthread&page=2&tid=9",
		"https://bbs.example.com/forum.php":                                        "https://bbs.example.com/forum.php",
		"https://bbs.example.com/forum.php?mod=forumdisplay&fid=2&filter=typeid&x": "https://bbs.example.com/forum.php?fid=2&mod=forumdisplay",
	} {
		canon, _ := Canonicalize(raw)
		ref, ok := parseDiscuzURL(canon)
		if !ok || ref.url() != want {
			t.Errorf("%s → %v %s, want %s", raw, ok, ref.url(), want)
		}
	}
	for _, raw := range []string{
		"https://bbs.example.com/misc.php?mod=calendar&month=4",
		"https://bbs.example.com/forum.php?mod=redirect&tid=7&goto=lastpost",
		"https://bbs.example.com/home.php?mod=space&uid=501",
		"https://bbs.example.com/forum.php?mod=viewthread&tid=abc",
		"https://bbs.example.com/forum.php?gid=1",
	} {
		if ref, ok := parseDiscuzURL(raw); ok {
			t.Errorf("%s understood as %+v; the adapter must not follow it", raw, ref)
		}
	}
}
