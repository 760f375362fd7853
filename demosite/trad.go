package demosite

import "strings"

// s2t maps the simplified characters of the converted templates (titles,
// first posts, place names) to the Taiwan standard forms. It was made with
// OpenCC's s2tw table and corrected where the templates' words need another
// form than the character's first reading (煙囱, 分鐘, 衝, 簽字, 心臟, 點讚,
// 睡不著, 複核, 範圍, 裡, 採暖, 佔, 劃車位, 來回); 出, 才, 游, 峰 and 群 stay
// as they are.
// Characters that are the same in both scripts are not listed.
// trad_test compares it with OpenCC when that is installed.
var s2t = buildS2T("" +
	"为為举舉书書买買乱亂亏虧产產们們传傳偿償关關养養内內写寫击擊则則别別刹剎办辦励勵劳勞区區协協单單卫衛厅廳压壓吗嗎员員咙嚨围圍场場奖獎妇婦对對尽盡层層带帶库庫应應" +
	"废廢开開张張归歸态態执執报報挡擋挤擠捞撈换換数數断斷旧舊时時来來标標栋棟桩樁检檢楼樓没沒浅淺测測涨漲湾灣满滿烦煩烧燒热熱环環现現疗療监監砖磚积積签簽紧緊红紅约約" +
	"级級线線细細终終绒絨结結给給绣繡维維绿綠缴繳罚罰职職脏臟脸臉规規计計讨討让讓议議许許论論访訪证證评評诊診话話该該说說请請谁誰调調谈談谐諧谢謝负負责責账賬贴貼贵貴" +
	"费費资資赞讚转轉软軟辆輛过過还還这這进進连連迟遲钱錢铺鋪销銷错錯锦錦问問队隊难難静靜顶頂项項预預频頻题題飘飄饰飾验驗万萬业業东東两兩个個么麼于於从從价價会會体體" +
	"兴興冲衝决決况況准準凉涼几幾划劃务務动動医醫华華占佔厂廠发發号號后後听聽响響园園囱囪国國坏壞坛壇处處备備复複够夠头頭学學实實帮幫并並广廣异異彻徹征徵总總恒恆愿願" +
	"户戶扰擾护護挂掛据據机機条條极極样樣气氣污汙洁潔洼窪温溫滨濱灯燈灵靈点點烟煙电電盖蓋着著确確离離种種筑築纺紡织織经經网網范範药藥补補装裝见見视視设設贝貝车車输輸" +
	"边邊达達迁遷运運邻鄰采採里裡钟鐘铁鐵长長门門间間阳陽随隨风風马馬鱼魚黄黃")

func buildS2T(pairs string) map[rune]rune {
	m := map[rune]rune{}
	r := []rune(pairs)
	for i := 0; i+1 < len(r); i += 2 {
		m[r[i]] = r[i+1]
	}
	return m
}

// s2tPhrases are words whose characters take another traditional form than
// the one in s2t; they are replaced first.
var s2tPhrases = strings.NewReplacer(
	"老板", "老闆", "尽快", "儘快", "上周", "上週", "周末", "週末",
	"公布", "公佈", "标志", "標誌",
)

// toTraditional rewrites text the way a poster using a traditional input
// method would have typed it.
func toTraditional(s string) string {
	return strings.Map(func(r rune) rune {
		if t, ok := s2t[r]; ok {
			return t
		}
		return r
	}, s2tPhrases.Replace(s))
}
