package clean

import (
	"regexp"
	"strings"
)

// boilerplate matches whole lines that sites add around every post: hosting
// disclaimers, share buttons, copyright and ICP registration footers, and
// Discuz's "last edited" stamps. A line is dropped only when it is short
// (see isBoilerplate), so a citizen's long sentence that happens to contain
// "免责声明" is kept.
var boilerplate = regexp.MustCompile(strings.Join([]string{
	`^本站是提供个人知识管理的网络存储空间`,
	`^本站(仅|只)?提供(存储|信息存储)`,
	`免责声明`,
	`^(声明|特别声明)[:：]`,
	`^分享到[:：]?`,
	`^(分享|转发|收藏|点赞|举报|回复|打印|关闭|返回顶部|返回列表|上一篇|下一篇|扫一扫|微信扫一扫)([ |/·]+(分享|转发|收藏|点赞|举报|回复|打印|关闭|返回顶部|返回列表|上一篇|下一篇)|[:：].*)?$`,
	`(分享|转发)到(微信|朋友圈|微博|新浪微博|QQ|QQ空间|腾讯微博)`,
	`(ICP|icp)(备案|备|证)?[:：]?.{0,4}\d{5,}`,
	`[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]ICP`,
	`公网安备`,
	`^(Copyright|copyright|COPYRIGHT|©|版权所有)`,
	`^本帖最后由.{0,40}编辑$`,
	`^(来源|责任编辑|编辑)[:：].{0,20}$`,
}, "|"))

// maxBoilerplateRunes bounds the lines the boilerplate patterns may drop.
const maxBoilerplateRunes = 120

func isBoilerplate(line string) bool {
	return len([]rune(line)) <= maxBoilerplateRunes && boilerplate.MatchString(line)
}

// quoteHeader is the line Discuz prints above a quoted reply:
// "张三 发表于 2020-5-1 10:23" or "回复 3# 张三 的帖子".
var quoteHeader = regexp.MustCompile(`^.{0,40}发表于 ?\d{4}[-/年]\d{1,2}[-/月]\d{1,2}.{0,12}$`)

func isQuoteHeader(line string) bool {
	return quoteHeader.MatchString(line)
}

var replyTo = regexp.MustCompile(`^回复 ?(\d+ ?[#楼] ?)?.{0,40}的帖子$`)

// isQuoteLine reports mail-style quotes ("> text") and quote markers
// ("引用:", "原帖由 … 发表", "回复 3# … 的帖子").
func isQuoteLine(line string) bool {
	switch {
	case strings.HasPrefix(line, ">"), strings.HasPrefix(line, "＞"):
		return true
	case strings.HasPrefix(line, "引用:"), strings.HasPrefix(line, "引用："), line == "引用":
		return true
	case strings.HasPrefix(line, "原帖由") && strings.HasSuffix(line, "发表"):
		return true
	}
	return replyTo.MatchString(line)
}
