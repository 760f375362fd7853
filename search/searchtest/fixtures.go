package searchtest

import (
	"time"

	"minyi"
)

// Source names of the fixture documents.
const (
	Forum   = "city-forum"
	Mailbox = "mayor-mailbox"
)

func at(day, clock string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", day+" "+clock, minyi.ChinaTime)
	if err != nil {
		panic(err)
	}
	return t
}

// Fixture ids, so assertions read as what they are about.
const (
	idCompensation = "forum-compensation" // 拆迁补偿 as one phrase
	idScattered    = "forum-scattered"    // 拆迁 … 补偿 far apart, and 拆 and 补 alone
	idParking      = "mailbox-parking"    // traditional characters
	idScript       = "mailbox-script"     // <script> in the body
	idMedical      = "mailbox-medical"
	idEnvironment  = "forum-environment" // the match is only in a comment
	idLateNight    = "forum-late-night"  // 00:30 China time: the next day in UTC terms is the previous one
)

// Documents returns the fixture corpus: forum threads and mailbox messages
// from two sources over three China-time days.
func Documents() []minyi.Document {
	docs := []minyi.Document{
		{
			ID: idCompensation, Source: Forum, Kind: minyi.KindPost, Board: "民生热线",
			URL:    "https://bbs.example.cn/thread-1001-1-1.html",
			Title:  "关于拆迁补偿款迟迟不到位的问题",
			Body:   "我们小区去年就签了协议，拆迁补偿款到现在还没有发放，请问什么时候能到位？很多老人等着这笔钱租房。",
			Author: "老城居民", Published: at("2024-05-01", "09:15"),
			Comments: []minyi.Comment{{Author: "路人甲", Published: at("2024-05-01", "10:00"), Body: "同问，我们那边也一样。"}},
		},
		{
			ID: idScattered, Source: Forum, Kind: minyi.KindPost, Board: "民生热线",
			URL:    "https://bbs.example.cn/thread-1002-1-1.html",
			Title:  "老城区拆迁进度怎么样了",
			Body:   "听说拆迁工作下个月开始，施工队已经进场拆了围墙。至于具体的补偿标准，街道说另行公布，大家补充一下消息。",
			Author: "热心网友", Published: at("2024-05-01", "20:40"),
		},
		{
			ID: idParking, Source: Mailbox, Kind: minyi.KindMessage, MessageType: "咨询",
			URL:       "https://xinxiang.example.gov.cn/letter/2024-0502-07",
			Title:     "請問社區停車問題何時解決",
			Body:      "本社區停車位嚴重不足，晚上車輛佔用消防通道，請問相關部門何時能規劃新的停車場？",
			Published: at("2024-05-02", "08:30"),
		},
		{
			ID: idScript, Source: Mailbox, Kind: minyi.KindMessage, MessageType: "投诉",
			URL:       "https://xinxiang.example.gov.cn/letter/2024-0502-11",
			Title:     "学校门口夜间施工噪声扰民",
			Body:      "<script>alert('xss')</script>学校门口的工地每天夜里施工到两点，噪声很大，孩子无法休息。",
			Published: at("2024-05-02", "21:05"),
		},
		{
			ID: idMedical, Source: Mailbox, Kind: minyi.KindMessage, MessageType: "建议",
			URL:       "https://xinxiang.example.gov.cn/letter/2024-0503-02",
			Title:     "建议社区医院增加夜间门诊",
			Body:      "社区医疗服务只到下午五点，上班族看病的时间不够，建议增加夜间门诊，也希望改善停车条件。",
			Published: at("2024-05-03", "11:20"),
		},
		{
			ID: idEnvironment, Source: Forum, Kind: minyi.KindPost, Board: "城市建设",
			URL:       "https://bbs.example.cn/thread-1003-1-1.html",
			Title:     "河边的垃圾没人管",
			Body:      "河道两侧堆满了建筑垃圾，下雨天气味很重。",
			Published: at("2024-05-03", "07:45"),
			Comments: []minyi.Comment{
				{Author: "路人乙", Published: at("2024-05-03", "08:00"), Body: "这里的环境卫生确实需要整治。"},
			},
		},
		{
			ID: idLateNight, Source: Forum, Kind: minyi.KindPost, Board: "民生热线",
			URL:       "https://bbs.example.cn/thread-1004-1-1.html",
			Title:     "小区停车费又涨价了",
			Body:      "物业的通知说下个月起停车费上涨，业主们都不知情。",
			Published: at("2024-05-03", "00:30"),
		},
	}
	for i := range docs {
		docs[i].Fetched = docs[i].Published.Add(time.Hour)
		docs[i].ExternalID = docs[i].ID
		docs[i].ContentHash = docs[i].Hash()
	}
	return docs
}
