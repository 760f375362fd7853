package routing

import "minyi"

// Department ids of DemoConfig.
const (
	DemoCityOffice = "city-office" // 市政府办公室 (12345 热线): the fallback
	DemoMailbox    = "mailbox-office"
)

// DemoConfig fits the bundled demo city (demosite, 临江市): the departments
// that reply to its mailbox letters, its five districts, and rules that send
// every demo letter to the department the demo site shows as 回复单位.
//
// The rules are layered the way a real city writes them:
//   - priority 100: thank-you letters go to the mailbox office that
//     acknowledges them, whichever department is thanked;
//   - 60-90: topic keywords, the most specific topics first (a 拆迁 letter
//     also talks about roads, a noise letter asks for 城管);
//   - 20: the classifier's first-level category, for messages no keyword
//     catches;
//   - 10: the district mentioned (属地), for what is left;
//   - the 12345 office takes the rest.
//
// Forum posts open a case only for illegal discharge and unpaid wages,
// which need an answer whether or not anyone wrote to the mailbox.
func DemoConfig() Config {
	dept := func(id, name, parent string, regions ...string) minyi.Department {
		return minyi.Department{ID: id, Name: name, Parent: parent, Regions: regions}
	}
	return Config{
		Fallback: DemoCityOffice,
		Departments: []minyi.Department{
			dept(DemoCityOffice, "市政府办公室", ""),
			dept(DemoMailbox, "市长信箱办公室", DemoCityOffice),
			dept("housing", "市住建局", DemoCityOffice),
			dept("expropriation", "市房屋征收办", "housing"),
			dept("ecology", "市生态环境局", DemoCityOffice),
			dept("urban", "市城管局", DemoCityOffice),
			dept("police", "市公安局", DemoCityOffice),
			dept("traffic-police", "市公安局交警支队", "police"),
			dept("education", "市教育局", DemoCityOffice),
			dept("health", "市卫生健康委", DemoCityOffice),
			dept("hrss", "市人社局", DemoCityOffice),
			dept("transport", "市交通运输局", DemoCityOffice),
			dept("jiangbei", "江北区人民政府", DemoCityOffice, "江北区"),
			dept("chengnan", "城南区人民政府", DemoCityOffice, "城南区"),
			dept("xingang", "新港区人民政府", DemoCityOffice, "新港区"),
			dept("gaoxin", "高新区管委会", DemoCityOffice, "高新区"),
			dept("laocheng", "老城区人民政府", DemoCityOffice, "老城区"),
		},
		Rules: []minyi.RoutingRule{
			{Name: "thanks", Priority: 100, Department: DemoMailbox, Keywords: []string{"感谢", "点赞", "为民办实事"}},
			{Name: "expropriation", Priority: 90, Department: "expropriation", Keywords: []string{"拆迁", "征收", "补偿款", "过渡费"}},
			{Name: "pollution", Priority: 80, Department: "ecology", Posts: true, Keywords: []string{"偷排", "排污", "废气", "黑臭", "污水"}},
			{Name: "noise", Priority: 80, Department: "ecology", Keywords: []string{"噪音", "噪声", "扰民", "夜间施工", "广场舞", "分贝"}},
			{Name: "wages", Priority: 80, Department: "hrss", Posts: true, Keywords: []string{"拖欠", "欠薪", "工资", "劳动监察"}},
			{Name: "social-insurance", Priority: 80, Department: "hrss", Keywords: []string{"社保", "医保", "参保", "养老保险", "灵活就业"}},
			{Name: "heating", Priority: 70, Department: "housing", Keywords: []string{"暖气", "供暖", "供热", "采暖"}},
			{Name: "property", Priority: 70, Department: "housing", Keywords: []string{"物业", "电梯", "业委会", "维修资金"}},
			{Name: "schools", Priority: 85, Department: "education", Keywords: []string{"学区", "划片", "入学", "招生", "配套学校", "学位", "一年级"}},
			{Name: "hospitals", Priority: 70, Department: "health", Keywords: []string{"挂号", "医院", "急诊", "门诊", "看病"}},
			{Name: "buses", Priority: 70, Department: "transport", Keywords: []string{"公交", "班次", "末班车"}},
			{Name: "parking", Priority: 65, Department: "traffic-police", Keywords: []string{"停车", "车位"}},
			{Name: "roads", Priority: 60, Department: "urban", Keywords: []string{"路面", "人行道", "坑", "井盖", "路灯", "破损"}},

			{Name: "category-environment", Priority: 20, Department: "ecology", Categories: []string{"环境保护"}},
			{Name: "category-transport", Priority: 20, Department: "transport", Categories: []string{"交通运输"}},
			{Name: "category-education", Priority: 20, Department: "education", Categories: []string{"教育文体"}},
			{Name: "category-health", Priority: 20, Department: "health", Categories: []string{"卫生计生"}},
			{Name: "category-labour", Priority: 20, Department: "hrss", Categories: []string{"劳动和社会保障"}},
			{Name: "category-construction", Priority: 20, Department: "housing", Categories: []string{"城乡建设"}},

			{Name: "district-jiangbei", Priority: 10, Department: "jiangbei", Regions: []string{"江北区"}},
			{Name: "district-chengnan", Priority: 10, Department: "chengnan", Regions: []string{"城南区"}},
			{Name: "district-xingang", Priority: 10, Department: "xingang", Regions: []string{"新港区"}},
			{Name: "district-gaoxin", Priority: 10, Department: "gaoxin", Regions: []string{"高新区"}},
			{Name: "district-laocheng", Priority: 10, Department: "laocheng", Regions: []string{"老城区"}},
		},
	}
}
