package demosite

// What citizens of a Chinese city actually write to forums and mailboxes
// about. Placeholders in braces are filled per document by slots(); every
// character must be encodable in GBK (the forum's charset) and have an entry
// in the traditional table when it differs (trad.go; trad_test checks both).
//
// The search tests rely on two topics:
//   - "demolition": every first post has the phrase 拆迁补偿 (each opening
//     sentence carries it);
//   - "road": every first post has 拆 and 补 apart but never 拆迁补偿 (each
//     opening sentence carries both).
// No other template uses 拆 together with 补.

type topic struct {
	key          string
	category     string // first-level category of the official taxonomy (categories.go)
	fid          int
	dept         string   // the department that answers letters on this topic
	types        []string // letter types that fit the topic
	positive     bool     // a thank-you: no angry closing
	titles       []string // forum titles
	letterTitles []string
	openings     []string
	details      []string
	demands      []string
	replies      []string // forum replies specific to the topic
	answers      []string // the department's finding in a mailbox reply
}

var topics = []*topic{
	{
		key: "property", category: "城乡建设", fid: 2, dept: "市住建局", types: []string{"投诉"},
		titles: []string{
			"{community}的物业到底还管不管事？",
			"{community}物业费年年涨，服务越来越差",
			"求助：{community}电梯又坏了，{floor}楼老人下不了楼",
			"{district}{community}物业乱收停车费，业主该找谁？",
		},
		letterTitles: []string{
			"关于{community}物业服务问题的投诉",
			"投诉{district}{community}物业公司乱收费",
			"{community}电梯长期故障无人维修",
		},
		openings: []string{
			"本人是{district}{community}的业主，入住已经{n}年了。",
			"我家住在{community}{n}栋，今天实在忍不住来说几句。",
			"{community}的物业是{pm}，这两年问题越来越多。",
		},
		details: []string{
			"小区电梯这{months}个月坏了不下{n}次，每次报修都要等好几天。",
			"物业费从每平方米1.2元涨到了1.8元，可是保洁和绿化一点没见改善。",
			"地下车库的灯坏了一半，晚上回家黑漆漆的，老人孩子都不敢下去。",
			"垃圾桶经常满了没人清，夏天臭味飘到{floor}楼。",
			"业主群里问了很多次，物业经理就是一句“在协调”。",
			"前年收的公共维修资金，到现在也没有公示明细。",
		},
		demands: []string{
			"希望住建部门管一管，督促物业公开收支。",
			"请问业主能不能自己成立业委会换掉这家物业？",
			"要求物业在{days}天内把电梯修好，并给个书面说明。",
		},
		replies: []string{
			"我们小区也一样，物业就是收钱不办事。",
			"建议先找街道和社区，再不行打12345。",
			"成立业委会流程很复杂，我们小区搞了{months}个月还没成。",
		},
		answers: []string{
			"经核查，{pm}确实存在电梯维保不及时的问题，我局已责令其限期整改，并将整改情况纳入物业服务企业信用考核。",
			"我局已约谈{community}物业负责人，要求其按规定公示物业费收支及公共维修资金使用情况。",
		},
	},
	{
		key: "demolition", category: "城乡建设", fid: 36, dept: "市房屋征收办", types: []string{"投诉", "咨询"},
		titles: []string{
			"{district}{road}旧城改造，拆迁补偿标准到底是多少？",
			"{road}片区拆迁补偿太低，住户都不愿意签字",
			"问一下{district}这次拆迁补偿是按什么算的",
			"拆迁补偿款拖了{months}个月还没到账",
		},
		letterTitles: []string{
			"关于{road}片区拆迁补偿标准的咨询",
			"反映{district}拆迁补偿款迟迟未发放",
		},
		openings: []string{
			"我家在{district}{road}的老房子这次划进了征收范围，想问问拆迁补偿的事。",
			"{road}片区去年就贴了征收公告，今年开始谈拆迁补偿。",
			"关于{district}的拆迁补偿，我们这些老住户有几个问题想反映。",
		},
		details: []string{
			"评估公司给的价格是每平方米{price}元，周边二手房都要一万多。",
			"我家房子{area}平方米，算下来连买个小两居都不够。",
			"签了协议已经{months}个月，说好的{money}元到现在还没到账。",
			"过渡费每个月只有{rent}元，在外面租房根本不够。",
			"有的邻居说早签的有奖励，晚签的没有，不知道真假。",
		},
		demands: []string{
			"希望征收部门把标准和评估报告公开出来。",
			"请问对评估结果不服可以申请复核吗？找哪个部门？",
			"要求尽快把钱发下来，不要再拖了。",
		},
		replies: []string{
			"我们那片也在谈，评估价确实偏低。",
			"可以申请重新评估，要在规定时间内提出。",
			"签之前一定要看清楚协议条款。",
		},
		answers: []string{
			"经核查，{road}片区征收评估由依法选定的评估机构实施，评估结果已在片区公示；如对评估结果有异议，可在收到评估报告之日起10日内申请复核评估。",
			"经了解，{district}征收项目补偿资金已拨付到位，剩余款项将于{days}个工作日内发放到户，请您留意查收。",
		},
	},
	{
		key: "noise", category: "环境保护", fid: 38, dept: "市生态环境局", types: []string{"投诉", "举报"},
		titles: []string{
			"{road}工地半夜还在施工，吵得人睡不着",
			"{community}楼下广场舞音响太大了，有没有人管",
			"举报：{district}{road}烧烤店噪音扰民到凌晨{late}点",
			"{community}噪音扰民问题反映了{n}次都没用",
		},
		letterTitles: []string{
			"关于{road}工地夜间施工噪音扰民的投诉",
			"举报{community}附近商铺噪音扰民",
		},
		openings: []string{
			"我住在{community}，紧挨着{road}的一个工地。",
			"{community}楼下每天晚上都有广场舞，音箱开得震天响。",
			"{road}上新开了几家烧烤店和KTV，就在我们{community}门口。",
		},
		details: []string{
			"每天晚上{hour}点以后还在打桩、运渣土，一直搞到凌晨{late}点。",
			"我用手机软件测了一下，关着窗室内还有{db}分贝，国标要求居住区夜间<45分贝。",
			"家里孩子马上要中考，老人心脏也不好，天天被吵得睡不着。",
			"打过110和12345，来人看一眼就走了，第二天照旧。",
			"工地门口说有夜间施工许可，但许可上写的时间根本不包括半夜。",
		},
		demands: []string{
			"请环保和城管部门晚上来现场执法，不要只是白天来看看。",
			"希望相关部门核查夜间施工许可，依法处罚。",
			"能不能规定一下广场舞的时间和音量？",
		},
		replies: []string{
			"同住附近，每天晚上都被吵醒。",
			"夜间施工噪音可以打12369环保热线。",
			"广场舞的问题哪个小区都有，互相体谅一下吧。",
		},
		answers: []string{
			"接件后，我局执法人员于夜间赴现场检查，该工地存在超时施工行为，已依法立案查处，并责令其严格遵守作业时间。",
			"经核查，该路段商户存在噪声超标情况，已会同城管部门责令整改，后续将加强夜间巡查。",
		},
	},
	{
		key: "road", category: "城乡建设", fid: 36, dept: "市城管局", types: []string{"建议", "投诉"},
		titles: []string{
			"{road}的坑什么时候能修好？",
			"{district}{road}人行道几个月没人管",
			"{road}路面坑坑洼洼，电动车已经摔了好几个",
		},
		letterTitles: []string{
			"关于修复{road}破损路面的建议",
			"{district}{road}人行道长期未修复",
		},
		openings: []string{
			"{road}靠近{community}的那段路，去年被拆开铺管线，到现在都没补好。",
			"{district}{road}的人行道砖被拆了一大片，说是要修补，结果{months}个月没动静。",
			"{road}路面挖了又拆、拆了又挖，坑坑洼洼一直没人来补。",
		},
		details: []string{
			"下雨天坑里全是积水，看不出深浅，这周已经有{n}辆电动车在这里摔倒。",
			"旁边就是{school}，每天上学放学孩子们只能走机动车道。",
			"施工围挡倒了一半，晚上也没有警示灯。",
			"打电话问过，市政说是管线单位的事，管线单位又说归市政，互相推。",
		},
		demands: []string{
			"建议尽快修复路面，至少先设置警示标志。",
			"请明确到底由哪个部门负责，给老百姓一个说法。",
		},
		replies: []string{
			"那段路我天天走，确实太危险了。",
			"上次我骑车差点摔了。",
			"拍照发给城管的微信公众号试试。",
		},
		answers: []string{
			"经现场核实，{road}该路段破损系管线施工后未及时恢复所致，我局已督促施工单位于{days}日内完成路面修复。",
			"我局已安排市政养护队对{road}坑槽进行临时处置，并设置警示标志，后续将纳入年度维修计划。",
		},
	},
	{
		key: "parking", category: "交通运输", fid: 36, dept: "市公安局交警支队", types: []string{"建议"},
		titles: []string{
			"{community}周边停车太难了，每天下班找车位半小时",
			"{road}两边划了收费车位，一小时{fee}元合理吗？",
			"建议{district}多建几个公共停车场",
		},
		letterTitles: []string{
			"关于缓解{community}周边停车难问题的建议",
			"咨询{road}路边停车收费标准",
		},
		openings: []string{
			"{community}是老小区，只有{spaces}个车位，住了{households}户人家。",
			"我每天在{road}上班，停车成了最头疼的事。",
		},
		details: []string{
			"晚上八点以后回家，小区里外都停满了，只能停到{road2}去。",
			"消防通道也被占了，真出了事消防车都进不来。",
			"路边新划的收费车位一小时{fee}元，周边上班族一个月停车费比油费还贵。",
			"贴罚单倒是很积极，可就是不想办法增加车位。",
		},
		demands: []string{
			"建议利用{road2}附近的空地建一个立体停车场。",
			"能不能晚上开放周边单位的停车场给居民错时停车？",
		},
		replies: []string{
			"老小区停车难是通病。",
			"错时停车这个建议好，别的城市早就在做了。",
			"车越来越多，车位就那么几个。",
		},
		answers: []string{
			"您提出的错时共享停车建议很好，我支队已会同{district}相关部门排查周边单位停车资源，计划于近期试点开放。",
			"经核实，{road}路内停车收费标准经价格主管部门核定，实行首小时{fee}元。我们将结合您的建议优化收费时段。",
		},
	},
	{
		key: "school", category: "教育文体", fid: 37, dept: "市教育局", types: []string{"咨询"},
		titles: []string{
			"{community}的孩子到底划到哪个学校？",
			"请问今年{school}的学位还够吗",
			"{district}新小区配套学校迟迟不开学",
			"{school}一年级招生要准备哪些材料？求懂的人",
		},
		letterTitles: []string{
			"咨询{community}学区划分问题",
			"关于{district}新建小区配套学校建设进度的咨询",
		},
		openings: []string{
			"孩子明年上一年级，我们家在{community}，房子是{buyyear}年买的。",
			"听说今年{school}报名人数比学位多了{over}个，家长们都很着急。",
			"{community}交房的时候说好配套一所九年制学校。",
		},
		details: []string{
			"开发商宣传的时候说是{school}的学区，现在公布的划片又不一样了。",
			"租房户能不能入学？需要交几年社保？问了学校也说不清楚。",
			"学校主体早就盖好了，就是不开学，孩子每天要坐{minutes}分钟公交去上学。",
			"户口和房产都在这里，要准备哪些材料？居住证要办多久？",
		},
		demands: []string{
			"希望教育局把今年的划片范围和招生细则早点公布。",
			"请问配套学校到底什么时候能投入使用？",
		},
		replies: []string{
			"去年我们也是这样，最后按户籍和房产顺序录取的。",
			"可以打教育局招生办电话问，比较准确。",
			"同问，坐等官方回复。",
		},
		answers: []string{
			"您好，{district}今年义务教育招生划片方案将于5月在区教育局网站公布，{community}对口{school}，具体以公布方案为准。",
			"经了解，该配套学校已完成竣工验收，正在办理移交手续，预计秋季开学投入使用。",
		},
	},
	{
		key: "hospital", category: "卫生计生", fid: 37, dept: "市卫生健康委", types: []string{"投诉", "建议"},
		titles: []string{
			"{hospital}挂号太难了，早上六点排队都挂不上",
			"在{hospital}看个病排了{hours}个小时",
			"{hospital}的医生态度能不能好一点",
		},
		letterTitles: []string{
			"关于{hospital}挂号难问题的建议",
			"投诉{hospital}急诊科服务态度",
		},
		openings: []string{
			"上周带家里老人去{hospital}看病，真是一肚子气。",
			"{hospital}是我们{district}最大的医院，但看病体验越来越差。",
		},
		details: []string{
			"网上预约号放出来几秒就没了，现场窗口说号都给网上了。",
			"从挂号到拿药排了{n}个队，一共花了{hours}个小时。",
			"急诊护士说话很冲，问两句就不耐烦。",
			"检查结果要等{days}天，来回跑了好几趟。",
			"老人不会用手机，自助机前也没有志愿者帮忙。",
		},
		demands: []string{
			"建议给老年人保留一部分现场号源。",
			"希望卫健部门督促医院改进服务，增加周末门诊。",
		},
		replies: []string{
			"大医院都这样，小病还是去社区医院吧。",
			"上次我去也是，等了三个小时。",
			"医生一天看上百个病人，也不容易。",
		},
		answers: []string{
			"我委已将您反映的情况转{hospital}核查，医院已对相关科室进行通报批评，并开设老年人绿色通道，保留现场号源。",
			"您好！{hospital}已于本月起增设周末门诊，并在门诊大厅安排志愿者协助老年患者自助挂号。",
		},
	},
	{
		key: "pollution", category: "环境保护", fid: 38, dept: "市生态环境局", types: []string{"举报", "投诉"},
		titles: []string{
			"{district}{factory}晚上偷排废气，味道刺鼻",
			"{road}旁边的河又黑又臭",
			"举报：{factory}往河里排污水",
		},
		letterTitles: []string{
			"举报{factory}夜间偷排废气",
			"关于{road}附近河道黑臭问题的投诉",
		},
		openings: []string{
			"我们{community}离{factory}不到一公里。",
			"{road}边上的那条河，小时候还能下去游泳。",
		},
		details: []string{
			"一到晚上{hour}点以后烟囱就开始冒黄烟，满屋子都是刺鼻的味道。",
			"河面上漂着一层油花，还有死鱼，夏天根本不敢开窗。",
			"白天检查的时候好好的，检查的人一走就开始排。",
			"小区里好几个孩子最近咳嗽、喉咙痛，不知道是不是跟这个有关。",
			"拍了视频发给12369环保热线，到现在没有回音。",
		},
		demands: []string{
			"请环保部门晚上突击检查，公开监测数据。",
			"希望彻底整治这条河，不要只是表面打捞一下。",
		},
		replies: []string{
			"晚上确实有味道，我还以为是谁家烧东西。",
			"支持举报，环境是大家的。",
			"这个厂之前就被查过，怎么又开始了。",
		},
		answers: []string{
			"接到举报后，我局执法人员于夜间对{factory}开展突击检查，发现其废气处理设施未正常运行，已依法立案查处并责令停产整改。",
			"{road}段河道已列入今年黑臭水体整治计划，截污纳管工程正在施工，预计{months}个月内完成。",
		},
	},
	{
		key: "wages", category: "劳动和社会保障", fid: 2, dept: "市人社局", types: []string{"求助"},
		titles: []string{
			"{employer}拖欠工资{months}个月，我们该怎么办？",
			"求助：做了一年工拿不到工钱",
			"{employer}老板跑路了，{workers}个工人的工资谁来管",
		},
		letterTitles: []string{
			"求助追讨{employer}拖欠的工资",
			"{employer}拖欠{workers}名农民工工资",
		},
		openings: []string{
			"我是{employer}的工人，在{district}的工地上做了大半年。",
			"我们{workers}个人都是外地来的，在{employer}上班。",
		},
		details: []string{
			"老板从{months}个月前开始就说资金紧张，工资一拖再拖。",
			"我一个人就被欠了{money}元，家里老人看病、孩子上学都等着用钱。",
			"去找项目经理，他说总包没给钱；找总包，总包说钱早就付了。",
			"快过年了，大家连回家的路费都没有。",
		},
		demands: []string{
			"请劳动监察部门帮我们讨个公道。",
			"希望政府出面协调，先把工资发了。",
		},
		replies: []string{
			"可以去劳动监察大队投诉，带上考勤和聊天记录。",
			"农民工工资有保证金制度，找住建和人社。",
			"太气人了，辛辛苦苦做一年拿不到钱。",
		},
		answers: []string{
			"我局劳动保障监察支队已立案调查，经协调，{employer}已于近日支付拖欠工资{money}元，剩余部分约定分期支付，我局将跟踪督办。",
			"您好！请您携带身份证及劳动关系证明材料到{district}劳动保障监察大队投诉立案，我们将依法处理。",
		},
	},
	{
		key: "insurance", category: "劳动和社会保障", fid: 2, dept: "市人社局", types: []string{"咨询"},
		titles: []string{
			"社保断缴了{months}个月，还能补缴吗？",
			"老人在外地住院花了{money}元，异地医保报销怎么这么麻烦",
			"在{district}做灵活就业，怎么交社保？求指点",
		},
		letterTitles: []string{
			"咨询社保断缴后补缴问题",
			"关于灵活就业人员参保的咨询",
		},
		openings: []string{
			"之前在{employer}上班，公司一直给交社保，去年离职了。",
			"我在{district}做个体，想自己交社保。",
		},
		details: []string{
			"中间断了{months}个月，听说会影响买房和孩子上学。",
			"去{district}社保中心问，窗口让网上办，网上又提示信息不符。",
			"家里老人在外地住院花了{money}元，回来报销要跑好几个地方。",
			"每个月要交多少钱？能不能只交养老不交医疗？",
		},
		demands: []string{
			"希望能有个明确的办事指南。",
			"请问具体流程是什么，需要带哪些材料？",
		},
		replies: []string{
			"现在手机上就能办，搜一下临江人社公众号。",
			"断缴影响不大，补上就行。",
			"异地报销要先备案，不然比例很低。",
		},
		answers: []string{
			"您好，灵活就业人员可通过“临江人社”公众号或各区社保经办窗口办理参保登记，缴费基数可在当年公布的上下限之间自主选择。",
			"根据现行规定，职工养老保险断缴期间可按规定补缴，请携带身份证到{district}社保经办窗口办理。",
		},
	},
	{
		key: "heating", category: "城乡建设", fid: 2, dept: "市住建局", types: []string{"投诉", "求助"},
		titles: []string{
			"{community}暖气不热，室内才{temp}度",
			"都{date}了，{community}怎么还这么冷",
			"{community}交了供暖费，暖气片还是冰凉的",
		},
		letterTitles: []string{
			"关于{community}供暖温度不达标的投诉",
		},
		openings: []string{
			"我家住{community}{n}栋顶楼，今年冬天特别难熬。",
			"{community}这个采暖季从开始到现在暖气就没热过。",
		},
		details: []string{
			"温度计放在客厅，白天只有{temp}度，晚上更低，老人孩子都穿着羽绒服。",
			"打了供热公司电话{n}次，都说是管道有气，放了气还是不热。",
			"供暖费一平方米二十多元，一分没少交。",
			"楼下几户还好，越往上越不热，应该是管网压力不够。",
		},
		demands: []string{
			"请供热公司上门检测，温度不达标应该退费。",
			"希望主管部门督促尽快解决，天越来越冷了。",
		},
		replies: []string{
			"我家也是，开着空调才暖和点。",
			"温度不到18度可以要求退费。",
			"供热公司的电话根本打不进去。",
		},
		answers: []string{
			"接件后，我局督促供热企业上门检测，确认该楼栋存在管网失衡问题，已完成调节，目前室温已达到18度以上。",
			"经核查，{community}换热站设备故障已修复，对温度不达标期间的供暖费将按规定予以核减。",
		},
	},
	{
		key: "bus", category: "交通运输", fid: 36, dept: "市交通运输局", types: []string{"建议"},
		titles: []string{
			"{bus}公交等了{minutes}分钟才来一趟",
			"建议{bus}延长末班车时间",
			"{community}附近什么时候能通公交？",
		},
		letterTitles: []string{
			"关于优化{bus}公交班次的建议",
			"建议开通{community}至市区的公交线路",
		},
		openings: []string{
			"我每天坐{bus}上下班，从{community}到{road}。",
			"{community}入住好几千人了，附近一条公交线路都没有。",
		},
		details: []string{
			"早高峰车很少，经常等{minutes}分钟，来了还挤不上去。",
			"末班车晚上八点就没了，加班的人只能打车。",
			"最近的公交站要走{walk}分钟，老人和孩子很不方便。",
			"司机开车很猛，上周急刹车把一个老人摔倒了。",
		},
		demands: []string{
			"建议高峰期加密班次，末班车延长到晚上十点。",
			"希望能在{road}设一个站点，或者开一条社区巴士。",
		},
		replies: []string{
			"{bus}确实难等，我都改骑电动车了。",
			"支持，晚上加班回家太难了。",
			"可以在交通局网站上提建议。",
		},
		answers: []string{
			"感谢您的建议。经客流调查，我局已协调公交集团自下月起将{bus}高峰发车间隔缩短至8分钟，末班车延至21:30。",
			"我局已将{community}周边公交线路纳入今年线网优化方案，拟开通社区微循环线路，届时将向社会公布。",
		},
	},
	{
		key: "thanks", category: "党务政务", fid: 2, dept: "{thanked}", types: []string{"建议"}, positive: true,
		titles: []string{
			"点赞{thanked}！反映的问题三天就解决了",
			"感谢{thanked}，{road}的路灯终于亮了",
			"给{district}社区工作人员点个赞",
		},
		letterTitles: []string{
			"感谢{thanked}为民办实事",
		},
		openings: []string{
			"之前在论坛和市长信箱反映过{road}路灯不亮的问题。",
			"上个月家里老人突发疾病，多亏了{community}社区的工作人员。",
		},
		details: []string{
			"没想到第二天就有工作人员打电话回访，第三天就派人来修好了。",
			"工作人员态度很好，还留了电话，说有问题随时找他们。",
			"现在晚上出门亮堂多了，大家都很高兴。",
		},
		demands: []string{
			"真心为他们点个赞，希望这样的作风一直保持下去！",
			"特此发帖表示感谢！",
		},
		replies: []string{
			"为办实事的人点赞！",
			"这样的好事要多宣传。",
			"我们小区反映的问题也解决了，效率确实提高了。",
		},
		answers: []string{
			"感谢您对我们工作的肯定，我们将继续努力，做好为民服务工作。",
		},
	},
}

var (
	boards = []board{
		{2, "民生热线"},
		{36, "城建交通"},
		{37, "教育医疗"},
		{38, "环境保护"},
	}

	politeClosings = []string{
		"麻烦相关部门关注一下，谢谢大家！",
		"希望有关部门重视，先谢过了。",
		"有了解情况的朋友麻烦告知一下，感激不尽。",
	}
	angryClosings = []string{
		"到底有没有人管？！",
		"交了钱还受这种气，太让人寒心了！",
		"再没人管我们就只能去市政府门口讨说法了！",
		"这种事情拖了这么久，相关部门不脸红吗？",
	}
	letterClosings = []string{
		"盼复，谢谢！",
		"恳请领导过问此事，盼复！",
		"以上情况属实，请领导核查。",
	}
	angryLetterClosings = []string{
		"如果再得不到解决，我将继续向上级部门反映。",
		"多次反映无果，希望这次能有个答复。",
	}
	genericReplies = []string{
		"顶一下，希望早点解决。",
		"支持楼主，同样遇到过这个问题。",
		"建议直接打12345热线，比发帖管用。",
		"可以去市长信箱留言，一般半个月内有回复。",
		"mark，关注后续。",
		"楼主说的是真的，我昨天路过还看到了。",
		"理性讨论，不信谣不传谣。",
		"这个问题说了好几年了，一直没解决。",
		"帮顶！让更多人看到。",
		"已经有人向{dept}反映了，等消息吧。",
		"楼上说得对。",
		"我也是{district}的，情况差不多。",
		"听说下个月就会处理，不知道是不是真的。",
	}
	followUps = []string{
		"更新一下：{dept}的同志今天打电话来了，说会尽快处理。",
		"楼主更新：还是没人来管，继续等。",
		"谢谢大家的建议，已经在市长信箱留言了。",
		"问题解决了，感谢大家帮顶，也感谢{dept}！",
	}
	answerOpenings = []string{
		"您好！您反映的问题已收悉。",
		"您好！来信收悉，现答复如下。",
		"尊敬的市民朋友：您好！感谢您的来信。",
	}
	answerClosings = []string{
		"感谢您对我市工作的关心和支持！",
		"如有疑问，请拨打12345政务服务热线咨询。",
		"再次感谢您的理解与支持。",
	}
	repostIntros = []string{
		"转一个朋友发的，大家看看：",
		"转自本地业主群：",
		"看到别人发的，转过来让更多人看到：",
	}
	repostOutros = []string{
		"大家帮忙转发，让更多人看到！",
		"希望这次能引起重视。",
	}

	handles = []string{
		"老街坊", "城南小王", "阳光路人", "xiaoli2008", "风过无痕", "开心就好",
		"江畔人家", "老兵张叔", "二中家长", "宝妈一枚", "上班族阿杰", "退休老李",
		"吃瓜群众", "路见不平", "滨江居民", "linjiang_tom", "月光宝盒", "一杯清茶",
		"骑电动车的", "老房子", "新港打工人", "王大姐", "zhang_wei88", "听雨轩",
		"小区业主", "热心市民陈先生", "高新区码农", "爱吃火锅", "平凡人生", "秋天的枫叶",
		"江北老刘", "晴天", "sunny_day", "不吐不快", "果果妈妈", "匿名用户8812",
	}
	signatures = []string{
		"理性发言，文明上网。",
		"生活不易，且行且珍惜。",
		"关心身边事，做个好市民。",
	}

	districts   = []string{"江北区", "城南区", "新港区", "高新区", "老城区"}
	roads       = []string{"人民路", "解放大道", "滨江路", "建设北路", "学府路", "长青街", "望江路", "和平街", "工业大道", "文化路"}
	communities = []string{"锦绣花园", "阳光新城", "翠湖小区", "幸福里小区", "金港湾", "滨江一号", "书香苑", "和谐家园", "纺织厂宿舍", "铁路新村"}
	schools     = []string{"市实验小学", "第二中学", "城南小学", "新港初级中学", "学府路小学"}
	hospitals   = []string{"市第一人民医院", "市中医院", "江北区人民医院", "市妇幼保健院"}
	managers    = []string{"恒泰物业", "万家物业", "安居物业"}
	factories   = []string{"华兴化工厂", "鑫源电子厂", "永盛建材厂"}
	employers   = []string{"宏达建筑公司", "金鼎装饰公司", "东方劳务公司"}
	busLines    = []string{"3路", "15路", "26路", "101路", "K2路"}
	thankedDept = []string{"市城管局", "市住建局", "市交通运输局", "社区网格员", "12345热线"}
)
