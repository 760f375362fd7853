package routing_test

import (
	"slices"
	"testing"

	"minyi"
	"minyi/routing"
)

func TestInferType(t *testing.T) {
	cases := []struct {
		title, body string
		want        minyi.MessageType
	}{
		{"举报华兴化工厂夜间偷排废气", "", minyi.TypeReport},
		{"關於工地夜間施工的投訴", "", minyi.TypeComplaint}, // traditional
		{"街道办不作为", "", minyi.TypeComplaint},
		{"", "我想反映一下小区停车的问题。", minyi.TypeComplaint},
		{"求助追讨拖欠的工资", "", minyi.TypeHelp},
		{"", "老人摔倒了，请帮忙联系社区。", minyi.TypeHelp},
		{"关于优化3路公交班次的建议", "", minyi.TypeSuggestion},
		{"", "希望在学府路增设一个公交站。", minyi.TypeSuggestion},
		{"咨询社保断缴后补缴问题", "", minyi.TypeInquiry},
		{"", "请问居住证要办多久？", minyi.TypeInquiry},
		{"", "新生入学怎么办理？", minyi.TypeInquiry},
		{"", "多次信访无果。", minyi.TypePetition},
		// The title is read before the body: a suggestion that complains in its body.
		{"关于修复滨江路破损路面的建议", "我要投诉施工单位。", minyi.TypeSuggestion},
		// More specific asks first: a report that also asks a question.
		{"", "请问哪里可以举报？", minyi.TypeReport},
		// 希望 and 增设 in different sentences do not make a suggestion.
		{"", "希望早日解决。物业增设了收费项目", minyi.TypeHelp},
		{"", "反映了好几次。", minyi.TypeHelp},
		// No cue: the documented default.
		{"滨江路的路灯不亮", "晚上很黑", routing.DefaultType},
		{"", "", routing.DefaultType},
	}
	for _, c := range cases {
		if got := routing.InferType(c.title, c.body); got != c.want {
			t.Errorf("InferType(%q, %q) = %s, want %s", c.title, c.body, got, c.want)
		}
	}
}

func TestParseType(t *testing.T) {
	cases := []struct {
		in   string
		want minyi.MessageType
	}{
		{"咨询", minyi.TypeInquiry},
		{"【投诉】", minyi.TypeComplaint},
		{" [举报] ", minyi.TypeReport},
		{"（建议）", minyi.TypeSuggestion},
		{"投訴", minyi.TypeComplaint},
		{"諮詢類", minyi.TypeInquiry},
		{"求助", minyi.TypeHelp},
		{"信访", minyi.TypePetition},
		{"inquiry", minyi.TypeInquiry},
		{"Help", minyi.TypeHelp},
		{" SUGGESTION ", minyi.TypeSuggestion},
		{"complaint", minyi.TypeComplaint},
		{"report", minyi.TypeReport},
		{"petition", minyi.TypePetition},
		{"", ""},
		{"【】", ""},
		{"意见", ""},
		{"投诉举报", ""},
		{"complaints", ""},
	}
	for _, c := range cases {
		got, ok := routing.ParseType(c.in)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("ParseType(%q) = %q, %v; want %q", c.in, got, ok, c.want)
		}
	}
}

func FuzzParseType(f *testing.F) {
	for _, s := range []string{"【投诉】", "inquiry", "諮詢類", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := routing.ParseType(s)
		if ok != (got != "") || (ok && !slices.Contains(minyi.MessageTypes, got)) {
			t.Fatalf("ParseType(%q) = %q, %v", s, got, ok)
		}
		if ok {
			if again, ok2 := routing.ParseType(string(got)); !ok2 || again != got {
				t.Fatalf("ParseType(%q) = %q, but ParseType(%q) = %q, %v", s, got, got, again, ok2)
			}
		}
	})
}

func FuzzInferType(f *testing.F) {
	f.Add("关于优化3路公交班次的建议", "希望增设站点。请问何时")
	f.Add("", "反映\n问题")
	f.Fuzz(func(t *testing.T, title, body string) {
		if got := routing.InferType(title, body); !slices.Contains(minyi.MessageTypes, got) {
			t.Fatalf("InferType(%q, %q) = %q, not a message type", title, body, got)
		}
	})
}
