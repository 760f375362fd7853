package sentiment

import (
	"strings"
	"testing"
)

// TestCivicForms: the label follows the form of the text. Each case is
// written so that the form, not the wording's sentiment alone, decides:
// a polite complaint, a question about a problem, a notice of something
// good.
func TestCivicForms(t *testing.T) {
	c := NewCivic(Default())
	long := strings.Repeat("我们小区的道路去年修好了，绿化也做得不错，居民都很满意，大家休息得很好。", 6)
	cases := []struct {
		headline, body string
		want           Label
	}{
		{"感谢A7县泉塘街道拆除废弃油烟管道", "几天前我反映了油烟问题，街道很快就拆除了，效率很高。", Positive},
		{"致市第二人民医院医生的感谢信", "医生耐心细致，孩子检查很顺利。", Positive},
		{"投诉某装饰公司拖欠农民工工资", "尊敬的领导您好，百忙之中打扰了，谢谢您！", Negative},
		{"某小区物业管理", "我要举报物业公司乱收停车费。", Negative},
		{"为何日月星城KTV扰民这么久", "相关部门却不闻不问。", Negative},
		{"A市辖区内学位严重不足", "孩子无法入学。", Negative},
		{"请问公积金怎么提取？", "本人在A市缴纳公积金五年，想了解提取流程。", Neutral},
		{"关于加快白田特色小城镇建设的建议", "白田镇资源丰富、景观秀美，建议加大投入。", Neutral},
		{"市政府召开城市更新工作会议", "会议部署了下一阶段的老旧小区改造工作。", Neutral},
		{"请问为什么投诉了三次还没人处理", "", Negative},
		{"", "味道不错，送得也快，好评", Positive},
		{"", "太难吃了，再也不点了", Negative},
		{"", "明天上午九点在市民中心办理业务", Neutral},
		// A letter praising without saying thanks is not read as praise:
		// over long petitions that evidence is mostly politeness.
		{"小区情况说明", long, Neutral},
	}
	for _, tc := range cases {
		if got := c.Analyze(tc.headline + "\n" + tc.body); got.Label != tc.want {
			t.Errorf("Civic(%q | %q) = %+v, want %s", tc.headline, tc.body, got, tc.want)
		}
	}
}

func TestCivicScoreAgreesWithLabel(t *testing.T) {
	c := NewCivic(Default())
	for _, text := range []string{"投诉\n服务很好很满意", "感谢信\n太差了，难吃", "请问\n", "\n", "好\n好"} {
		r := c.Analyze(text)
		if (r.Label == Positive && r.Score <= 0) || (r.Label == Negative && r.Score >= 0) || r.Score < -1 || r.Score > 1 {
			t.Errorf("Civic(%q) = %+v: score and label disagree", text, r)
		}
	}
}

func TestCivicVersion(t *testing.T) {
	c := NewCivic(Default())
	v := c.Version()
	if !strings.Contains(v, Default().Version()) {
		t.Errorf("version %q does not name the model's %q", v, Default().Version())
	}
	c.Strong = 0.9
	if c.Version() == v {
		t.Errorf("changing a band kept version %q", v)
	}
}
