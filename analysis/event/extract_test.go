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
	} {
		got := x.Names(c.text).Sites
		if !slices.Equal(got, c.want) {
			t.Errorf("Names(%q).Sites = %q, want %q", c.text, got, c.want)
		}
	}
}
