package sentiment

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// Civic gives the three labels an analyst reads on city posts and
// petitions. Review corpora, the only large labelled data there is, know
// two classes; on civic text 中性 is a class of its own: news and notices,
// factual questions (咨询), suggestions. Civic decides it by the form of the
// text, not by the model being unsure:
//
//   - a complaint, report or accusing question (投诉, 举报, 质问, 凭什么,
//     到底, 为何 …), or a headline that states a problem (the lexicon
//     scores it negative: 扰民, 隐患; or it names a shortfall the way
//     petitions do: 不足, 偏低, 被拒, 不按时, 乱…), is 负面;
//   - a thank-you (感谢, 表扬, 锦旗 in the headline) is 正面;
//   - an inquiry, suggestion or notice (咨询, 请问, 建议, 通知, 召开 …) is
//     中性 unless the evidence against is strong; it is never 正面, since
//     asking and proposing is not praising;
//   - anything else is 负面 when the evidence is at most −Negative, 正面 when
//     the evidence and the lexicon's own score are at least Positive (the
//     review-trained model alone reads polite requests as praise) and the
//     text is short, else 中性. A letter (a body over Letter characters)
//     is 正面 only by its thanks: read on the 4,306 board messages,
//     praise in long letters was always said outright, while the evidence
//     over a long complaint is mostly its politeness and its hopes.
//
// The evidence is the mean of the trained model's score and the lexicon's
// over the text without its courtesies (尊敬的…您好, 百忙之中, 谢谢): a
// petition's politeness is not praise, and the review-trained model reads
// it as such. The bands are asymmetric for the same reason: praise is rare
// in petitions and weak positive evidence is mostly politeness.
//
// The first line of the text is its headline (the pipeline passes title,
// newline, body): petition titles state the form (请问…, 关于…的建议,
// 举报…), bodies wander.
type Civic struct {
	model Analyzer
	lex   *Lexicon
	// Negative and Positive are the evidence a text of no particular form
	// needs for 负面 and 正面; Strong is what turns an inquiry 负面.
	Negative, Positive, Strong float64
	// Letter is the body length in characters from which a text is a
	// letter, 正面 only by the form of thanks.
	Letter int
}

// NewCivic wraps a two- or three-class model (Default, or a city's own).
func NewCivic(model Analyzer) *Civic {
	return &Civic{model: model, lex: NewLexicon(), Negative: 0.25, Positive: 0.6, Strong: 0.6, Letter: 200}
}

// form is what a text is, as far as its wording tells.
type form int

const (
	formNone form = iota
	formThanks
	formComplaint
	formInquiry // also suggestions and notices: asking or telling, not judging
)

// Markers are matched in the headline; the first complaintInBody complaint
// markers also in the body, since a petition often says 投诉 only there.
// Complaints are looked for first: one that thanks in advance (提前感谢) is
// a complaint.
var (
	thanksMarkers = []string{"感谢", "致谢", "表扬", "点赞", "锦旗", "谢谢", "赞扬", "为民办实事", "好评"}
	// complaintMarkers name the act of complaining or accusing; words that
	// describe a problem (污染, 拖欠) are the lexicon's to score.
	complaintMarkers = []string{"投诉", "举报", "质问", "控诉", "曝光", "揭发", "状告", "质疑", "不作为", "乱作为", "推诿",
		"凭什么", "凭啥", "到底", "究竟", "难道", "为什么", "为何", "何时才能", "还要等", "谁来管", "没人管", "无人管",
		"有没有人管", "石沉大海", "敷衍", "哪里去了", "去哪了", "谁来", "合理吗", "合法吗", "不公", "反映"}
	// problemMarkers are how petition headlines state a shortfall; the
	// single characters (乱, 难, 欠, 漏 …) are safe in a headline, where they
	// are nearly always 乱收费, 办证难, 拖欠, 漏水.
	problemMarkers = []string{"不足", "太少", "太多", "过高", "过低", "太高", "太低", "偏高", "偏低", "被拒", "强迫",
		"强制", "有损", "有失", "背离", "辍学", "不到位", "不按时", "未落实", "不落实", "悲哀", "寒心", "心酸", "无奈", "痛心", "气愤",
		"失望", "堪忧", "不便", "不退", "一直不", "极低", "断头", "涉黄", "涉嫌", "误导", "捆绑", "擅自", "挪用", "狭窄",
		"降薪", "工资低", "负担", "作弊", "无资格", "不同酬", "套牌", "传销", "职务之便", "不亮", "无证", "影响", "不肯", "不停", "居然", "并不", "导致", "挡道", "有碍", "虚设", "还不", "一直没", "越来越多", "疑问", "为啥", "太", "乱", "难", "欠", "漏", "缺", "差", "脏", "堵", "违", "侵", "骗", "坑", "吵", "臭"}
	inquiryMarkers = []string{"咨询", "请问", "请教", "询问", "如何", "怎样", "怎么", "能否", "可否", "是否", "何时",
		"什么时候", "哪里", "多少", "吗", "能不能", "可不可以", "有没有", "建议", "提议", "意见", "希望", "恳请", "呼吁", "请求", "提请", "申请", "请", "盼", "要求", "需要", "应该", "应当", "关于", "对于", "通知",
		"公告", "公示", "通报", "召开", "举行", "开展", "启动", "发布", "据悉", "记者", "获悉", "印发"}
	courtesyWords = []string{"尊敬的", "您好", "你好", "谢谢", "感谢您", "感谢你", "百忙之中", "日理万机", "打扰", "辛苦了",
		"此致", "敬礼", "万分感谢"}
	courtesies = func() *strings.Replacer {
		var pairs []string
		for _, w := range courtesyWords {
			pairs = append(pairs, w, "")
		}
		return strings.NewReplacer(pairs...)
	}()
)

const complaintInBody = 6 // 投诉 举报 质问 控诉 曝光 揭发

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func (c *Civic) formOf(headline, body string) form {
	switch {
	case containsAny(headline, complaintMarkers) || containsAny(body, complaintMarkers[:complaintInBody]):
		return formComplaint
	case containsAny(headline, thanksMarkers):
		return formThanks
	case c.lex.Analyze(headline).Score <= -c.Negative || containsAny(headline, problemMarkers):
		return formComplaint
	case containsAny(headline, inquiryMarkers) || strings.ContainsAny(headline, "?？"):
		return formInquiry
	}
	return formNone
}

// Analyze labels a normalized text whose first line is its headline.
func (c *Civic) Analyze(text string) Result {
	headline, body, _ := strings.Cut(text, "\n")
	plain := courtesies.Replace(text)
	model, lexicon := c.scores(plain)
	evidence := (model + lexicon) / 2
	switch c.formOf(headline, body) {
	case formComplaint:
		return Result{Negative, math.Min(evidence, -c.Negative)}
	case formThanks:
		return Result{Positive, math.Max(evidence, c.Positive)}
	case formInquiry:
		if evidence <= -c.Strong {
			return Result{Negative, evidence}
		}
		return Result{Neutral, evidence}
	}
	switch {
	case evidence >= c.Positive && lexicon >= c.Positive && utf8.RuneCountInString(body) < c.Letter:
		return Result{Positive, evidence}
	case evidence <= -c.Negative:
		return Result{Negative, evidence}
	}
	return Result{Neutral, evidence}
}

// Version is the model's and the rules' together: a change of marker lists
// or bands relabels documents as surely as a new model.
func (c *Civic) Version() string {
	h := sha256.New()
	for _, list := range [][]string{thanksMarkers, complaintMarkers, problemMarkers, inquiryMarkers, courtesyWords} {
		fmt.Fprintln(h, strings.Join(list, " "))
	}
	fmt.Fprintln(h, c.Negative, c.Positive, c.Strong, c.Letter, complaintInBody)
	return "civic-" + hex.EncodeToString(h.Sum(nil))[:8] + "+" + c.model.Version()
}

// scores are the model's and the lexicon's scores of text; a Model has
// computed the lexicon's among its features already.
func (c *Civic) scores(text string) (model, lexicon float64) {
	if m, ok := c.model.(*Model); ok {
		r, lex := m.analyze(text)
		return r.Score, lex
	}
	return c.model.Analyze(text).Score, c.lex.Analyze(text).Score
}
