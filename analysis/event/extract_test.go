package event

import (
	"slices"
	"testing"
)

func TestSites(t *testing.T) {
	x := NewExtractor(nil)
	for _, c := range []struct {
		text string
		want []string
	}{
		{"投诉a2区丽发新城附近建搅拌站噪音扰民", []string{"丽发新城"}},
		{"a市暮云街道丽发新城社区（丽发新城小区）搅拌站灰尘", []string{"丽发新城"}},
		{"a4区绿地海外滩小区距长赣高铁最近只有30米不到", []string{"绿地海外滩"}},
		{"a5区劳动东路魅力之城小区油烟扰民", []string{"劳动东路", "魅力之城"}},
		{"咨询a7县山水湾小区幼儿园性质问题", []string{"山水湾"}},
		{"强烈请求在a2区怡海星城小区东边月塘路装隔音板", []string{"怡海星城", "月塘路"}},
		{"希望政府管一管道路和城市卫生", nil},
		{"a市地铁三号线文体中心站开元路南出入口何时施工", []string{"开元路", "文体中心站"}},
		// A school called after its road; a bus route by its number.
		{"请问今年学府路小学的学位还够吗", []string{"学府路小学"}},
		{"关于优化101路公交班次的建议，坐k2路也要等半小时", []string{"101路", "k2路"}},
		// A trade or a kind of school is no name; thanks and 一下 end one.
		{"评估公司给的价格太低，打了供热公司电话也没用", nil},
		{"点赞社区网格员！感谢市城管局", nil},
		{"说好配套一所九年制学校", nil},
		{"人民路路灯不亮", []string{"人民路"}},
	} {
		got := x.Names(c.text).Sites
		if !slices.Equal(got, c.want) {
			t.Errorf("Names(%q).Sites = %q, want %q", c.text, got, c.want)
		}
	}
}

func TestRegions(t *testing.T) {
	x := NewExtractor(nil)
	for _, c := range []struct {
		text string
		want []string
	}{
		{"问一下城南区这次拆迁补偿是按什么算的", []string{"城南区"}},
		{"问一下新港区这次拆迁补偿", []string{"新港区"}},
		// A school's catchment is no district.
		{"咨询纺织厂宿舍学区划分问题", nil},
	} {
		if got := x.Names(c.text).Regions; !slices.Equal(got, c.want) {
			t.Errorf("Names(%q).Regions = %q, want %q", c.text, got, c.want)
		}
	}
}
