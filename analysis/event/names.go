package event

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind tells what a name extracted from a text stands for.
type Kind uint8

const (
	// Site is where a problem is: a housing estate, road, school, company,
	// village. Two documents that each name sites are about the same event
	// only if they share one.
	Site Kind = iota + 1
	// Region is an administrative area (区, 县, 镇, 街道). Regions are too
	// coarse to tell events apart; they are shown, not required to agree.
	Region
	// Crowd is the group of people affected (业主, 村民, 学生): shown with
	// an event, never used to profile anyone.
	Crowd
)

func (k Kind) String() string {
	switch k {
	case Site:
		return "site"
	case Region:
		return "region"
	case Crowd:
		return "crowd"
	}
	return "unknown"
}

// Names are the sites, regions and crowds of one text, in canonical form,
// each list sorted and without repeats.
type Names struct {
	Sites   []string `json:"sites,omitempty"`
	Regions []string `json:"regions,omitempty"`
	Crowds  []string `json:"crowds,omitempty"`
}

// suffix is a word that ends a name of its kind. minName is how many
// characters must come before it for the whole to be a name rather than a
// common word: 道路 and 政府 end in 路 and 府 but have no name before them.
type suffix struct {
	word    string
	kind    Kind
	minName int
}

// suffixes are tried longest first at every position (see newMatcher). The
// single characters 城, 园, 苑, 府, 湾 end most estate names (丽发新城,
// 伊景园滨河苑) and also common words, hence a name of two characters at
// least and the stop lists below.
var suffixes = []suffix{
	{"省", Region, 2}, {"市", Region, 1}, {"区", Region, 1}, {"县", Region, 1},
	{"镇", Region, 2}, {"乡", Region, 2}, {"街道", Region, 2}, {"新区", Region, 2},
	{"开发区", Region, 2}, {"经开区", Region, 0}, {"高新区", Region, 0},

	{"小区", Site, 2}, {"社区", Site, 2}, {"花园", Site, 2}, {"新城", Site, 2}, {"家园", Site, 2},
	{"公寓", Site, 2}, {"大厦", Site, 2}, {"广场", Site, 2}, {"新村", Site, 2}, {"村", Site, 2},
	{"苑", Site, 2}, {"府", Site, 2}, {"城", Site, 2}, {"湾", Site, 2}, {"园", Site, 2}, {"郡", Site, 2},
	{"路", Site, 2}, {"大道", Site, 2}, {"街", Site, 2}, {"巷", Site, 2}, {"大桥", Site, 2},
	{"高速", Site, 2}, {"号线", Region, 1}, {"站", Site, 2}, {"公园", Site, 2},
	{"小学", Site, 2}, {"中学", Site, 2}, {"大学", Site, 2}, {"学院", Site, 2}, {"学校", Site, 2},
	{"幼儿园", Site, 2}, {"医院", Site, 2}, {"卫生院", Site, 2},
	{"公司", Site, 2}, {"集团", Site, 2}, {"市场", Site, 2}, {"酒店", Site, 2}, {"驾校", Site, 2},
	{"工厂", Site, 2}, {"厂", Site, 2},
}

// stopRunes end a name when met walking left from its suffix: particles,
// pronouns, prepositions and measure words never inside a place name.
const stopRunes = "的了着过在于与及或是对从向把被给为将我你他她它们这那该此其个每各有无不也都就还又很太最再请问说要让使由以及并且但而到去系"

// stopWords end a name the same way: the verbs and nouns that introduce a
// place in petitions (投诉丽发新城, 家住山水湾, 附近搅拌站) and the generic
// modifiers of a facility (一个大型搅拌站).
var stopWords = []string{
	"投诉", "反映", "反应", "关于", "建议", "咨询", "举报", "请求", "要求", "希望", "恳请", "强烈", "感谢", "点赞", "表扬", "一下",
	"位于", "地处", "家住", "居住", "住在", "靠近", "附近", "旁边", "周边", "对面", "门口", "隔壁", "紧挨", "离",
	"普惠", "普惠性", "配套", "公办", "民办", "公立", "私立", "大型", "小型", "新建", "在建", "修建", "建设", "违建", "违规", "非法", "一个", "一座", "一家", "一所", "一条",
	"业主", "居民", "村民", "市民", "学生", "家长", "职工", "领导", "书记", "市长", "县长", "局长", "政府",
	"目前", "现在", "今年", "去年", "每天", "晚上", "白天", "凌晨", "夜间", "为什么", "什么", "哪里", "如何",
	"东边", "西边", "南边", "北边", "东侧", "西侧", "南侧", "北侧", "东面", "西面", "南面", "北面", "距", "距离",
	"修建", "建有", "建了", "建个", "建一", "进行", "改成", "改为", "进入", "改变", "发挥", "安装", "前往", "上班", "下班", "回家", "整个", "所有", "全体", "部分", "多个", "几个", "导致", "严重", "影响", "通往", "连接", "经过", "沿线", "沿",
}

// notNames are words that end like a name but are common nouns.
var notNames = map[string]bool{
	"城市": true, "城管": true, "进城": true, "县城": true, "城区": true, "城乡": true, "全城": true,
	"政府": true, "省府": true, "市府": true, "校园": true, "公园": true, "花园": true, "家园": true, "乐园": true, "田园": true, "校区": true,
	"跑路": true, "走路": true, "修路": true, "让路": true, "带路": true, "迷路": true, "上路": true, "退路": true, "堵路": true,
	"道路": true, "马路": true, "公路": true, "出路": true, "线路": true, "铁路": true, "电路": true, "思路": true, "网路": true,
	"车站": true, "网站": true, "地铁站": true, "公交站": true, "加油站": true, "垃圾站": true, "变电站": true, "搅拌站": true, "中转站": true, "服务站": true, "收费站": true, "派出所": true,
	"农村": true, "乡村": true, "山村": true, "新村": true, "本村": true, "全村": true, "该村": true,
	"社区": true, "小区": true, "本小区": true, "该小区": true, "我小区": true, "老小区": true, "新小区": true,
	"市场": true, "广场": true, "工厂": true, "学校": true, "医院": true, "公司": true, "集团": true, "酒店": true, "驾校": true,
	"小学": true, "中学": true, "大学": true, "学院": true, "幼儿园": true, "高速": true, "大道": true, "大街": true, "街道": true,
	"开发商": true, "物业公司": true, "开发公司": true, "上市公司": true, "国有公司": true, "有限公司": true, "分公司": true, "子公司": true,
	"全市": true, "本市": true, "我市": true, "全省": true, "我省": true, "本省": true, "外省": true, "全县": true, "我县": true, "本县": true,
	"我区": true, "本区": true, "全区": true, "该区": true, "郊区": true, "景区": true, "园区": true, "片区": true, "辖区": true, "市区": true, "新区": true, "小镇": true, "城镇": true, "乡镇": true, "家乡": true, "下乡": true,
	"港湾": true, "海湾": true, "台湾": true, "商城": true, "长城": true, "古城": true, "新城": true, "满城": true, "城": true,
}

// kindsOfSite are the companies a petition names by their trade alone
// (评估公司给的价格, 打了供热公司电话) and the kinds of school (说好配套一所
// 九年制学校): no name, so no place. Unlike notNames they do not end a
// longer name (新奥燃气公司 is one).
var kindsOfSite = map[string]bool{
	"评估公司": true, "供热公司": true, "热力公司": true, "燃气公司": true, "自来水公司": true, "供水公司": true,
	"供电公司": true, "电力公司": true, "保险公司": true, "中介公司": true, "快递公司": true, "施工公司": true,
	"九年制学校": true, "寄宿制学校": true, "一贯制学校": true,
}

// notSuffixes are words that start with a suffix and are something else:
// the 路 of 破损路面 ends no road, the 广场 of 广场舞 no square.
var notSuffixes = []string{"路面", "路灯", "城管", "城市", "城区", "城乡", "市民", "区域", "村民", "村委", "广场舞", "站点", "园区", "府办"}

// regionCommonNouns end words that end in 区 and name no administrative
// area: the 学区 of 宿舍学区划分 (a school's catchment), 校区, 景区.
var regionCommonNouns = []string{"学区", "校区", "园区", "景区", "片区", "辖区", "市区", "郊区", "营区", "分区"}

// roadFacilities follow a road's name in the name of a facility called
// after it: 学府路小学 is a school, not the road 学府路.
var roadFacilities = []string{"小学", "中学", "学校", "幼儿园", "医院", "卫生院"}

// crowds are the groups of people a petition speaks for.
var crowds = []string{
	"业主", "居民", "村民", "市民", "学生", "家长", "职工", "员工", "教师", "老师", "农民工", "民工", "工人",
	"老人", "残疾人", "患者", "司机", "商户", "租户", "拆迁户", "购房者", "消费者", "退休人员", "退役军人",
	"乘客", "儿童", "孩子", "受害人", "出借人", "投资人", "考生", "医生", "护士", "环卫工", "外卖员", "快递员",
}

// canonicalEndings are dropped from a site's end when a name remains:
// 丽发新城小区, 丽发新城社区 and 丽发新城 are one place.
var canonicalEndings = []string{"小区", "社区", "片区", "项目", "楼盘", "一期", "二期", "三期", "四期", "五期", "六期"}

func isNameRune(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.IsDigit(r) || ('a' <= r && r <= 'z')
}

// canonical is the form in which two mentions of one site compare equal.
func canonical(name string) string {
	for changed := true; changed; {
		changed = false
		for _, e := range canonicalEndings {
			if rest, ok := strings.CutSuffix(name, e); ok && utf8.RuneCountInString(rest) >= 3 {
				name, changed = rest, true
			}
		}
	}
	// A leading administrative prefix (a市, a2区) is not part of a site.
	for {
		i := strings.IndexAny(name, "市区县省")
		if i <= 0 || i+3 >= len(name) || utf8.RuneCountInString(name[:i]) > 3 || !isASCIIAlnum(name[:i]) {
			break
		}
		name = name[i+3:]
	}
	return name
}

func isASCIIAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return s != ""
}

// SameSite tells whether two canonical site names are one place: equal, or
// one ends with the other and the shorter has three characters or more:
// 涉外经济学院 and 经济学院, or a name whose left edge the rules placed too
// far (左拐进入金星路) and the name itself. Two characters (东路) are too
// short to be a name.
func SameSite(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) < len(b) {
		a, b = b, a
	}
	return utf8.RuneCountInString(b) >= 3 && strings.HasSuffix(a, b)
}

func sortedUnique(xs []string) []string {
	slices.Sort(xs)
	return slices.Compact(xs)
}
