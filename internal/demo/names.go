package demo

import (
	"math/rand/v2"
	"strings"
	"unicode/utf8"
)

// Personal names: a surname drawn by its rough frequency (the 100 most common surnames cover
// about 85% of people) and a one- or two-character given name.

var surnames = []struct {
	s string
	w int // per mille, roughly
}{
	{"王", 71}, {"李", 70}, {"张", 68}, {"刘", 54}, {"陈", 46}, {"杨", 31}, {"黄", 25}, {"赵", 23}, {"吴", 20}, {"周", 19},
	{"徐", 15}, {"孙", 15}, {"马", 12}, {"朱", 12}, {"胡", 11}, {"郭", 11}, {"何", 10}, {"高", 10}, {"林", 10}, {"罗", 9},
	{"郑", 8}, {"梁", 8}, {"谢", 7}, {"宋", 6}, {"唐", 6}, {"许", 6}, {"韩", 6}, {"冯", 6}, {"邓", 6}, {"曹", 5},
	{"彭", 5}, {"曾", 5}, {"肖", 5}, {"田", 5}, {"董", 5}, {"袁", 4}, {"潘", 4}, {"于", 4}, {"蒋", 4}, {"蔡", 4},
	{"余", 4}, {"杜", 4}, {"叶", 4}, {"程", 4}, {"苏", 3}, {"魏", 3}, {"吕", 3}, {"丁", 3}, {"任", 3}, {"沈", 3},
	{"姚", 3}, {"卢", 3}, {"姜", 3}, {"崔", 3}, {"钟", 3}, {"谭", 3}, {"陆", 3}, {"汪", 3}, {"范", 3}, {"金", 3},
	{"石", 3}, {"廖", 3}, {"贾", 2}, {"夏", 2}, {"韦", 2}, {"付", 2}, {"方", 2}, {"白", 2}, {"邹", 2}, {"孟", 2},
	{"熊", 2}, {"秦", 2}, {"邱", 2}, {"江", 2}, {"尹", 2}, {"薛", 2}, {"闫", 2}, {"段", 2}, {"雷", 2}, {"侯", 2},
	{"龙", 2}, {"史", 2}, {"陶", 1}, {"黎", 1}, {"贺", 1}, {"顾", 1}, {"毛", 1}, {"郝", 1}, {"龚", 1}, {"邵", 1},
	{"万", 1}, {"钱", 1}, {"严", 1}, {"覃", 1}, {"武", 1}, {"戴", 1}, {"莫", 1}, {"孔", 1}, {"向", 1}, {"汤", 1},
}

var surnameTotal = func() int {
	n := 0
	for _, s := range surnames {
		n += s.w
	}
	return n
}()

var (
	givenMale   = runes("伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆旭宁龙林阳建国志文海峰东亮成新光春德永荣立良福庆祥兵松江山云胜利军民生喜发忠贵")
	givenFemale = runes("芳娜敏静丽艳娟霞秀英玲燕婷雪慧琳颖倩洁萍梅莉琴兰凤丹莹晶佳欣怡悦婧薇蓉璐瑶红霞芬翠琼娥桂")
	givenFirst  = runes("建国志文海晓小春永立德红丽秀玉桂金明俊子家思雨佳欣宇浩嘉美雅梦天新云亚淑振少卫长世正洪宏爱学")
)

func runes(s string) []string {
	var out []string
	for _, r := range s {
		out = append(out, string(r))
	}
	return out
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// surname draws a surname by its frequency.
func surname(r *rand.Rand) string {
	n := r.IntN(surnameTotal)
	for _, s := range surnames {
		if n < s.w {
			return s.s
		}
		n -= s.w
	}
	return surnames[0].s
}

// person returns a plausible Chinese personal name.
func person(r *rand.Rand) string {
	sur := surname(r)
	pool := givenMale
	if r.IntN(10) < 4 {
		pool = givenFemale
	}
	last := pick(r, pool)
	if r.IntN(10) < 3 {
		return sur + last
	}
	first := pick(r, givenFirst)
	if first == last {
		first = pick(r, givenFirst)
	}
	return sur + first + last
}

// The first characters of two-character given names that read as a man's or a woman's.
var (
	givenFirstMale   = runes("建国志文海永立德明俊子家宇浩天振少卫长世正洪宏学新云军伟晓春")
	givenFirstFemale = runes("秀玉桂丽红美雅梦思雨佳欣晓小春亚淑爱静慧婉彩金凤月素翠海艳")
	femaleLast       = func() map[string]bool {
		m := map[string]bool{}
		for _, s := range givenFemale {
			m[s] = true
		}
		return m
	}()
)

// personOf returns a name that reads as a woman's (female) or a man's.
func personOf(r *rand.Rand, female bool) string {
	sur := surname(r)
	last, firsts := pick(r, givenMale), givenFirstMale
	if female {
		last, firsts = pick(r, givenFemale), givenFirstFemale
	}
	if r.IntN(10) < 3 {
		return sur + last
	}
	first := pick(r, firsts)
	if first == last {
		first = pick(r, firsts)
	}
	return sur + first + last
}

// looksFemale guesses from a generated name whether it is a woman's: its last character is
// one of the women's given-name characters.
func looksFemale(name string) bool {
	_, size := utf8.DecodeLastRuneInString(name)
	return femaleLast[name[len(name)-size:]]
}

var numerals = runes("一二三四五六七八九十")

// ordinal is 第一, 第二, … 第十, 第十一 ….
func ordinal(i int) string { return "第" + cn(i) }

// cn writes 1–99 in Chinese numerals.
func cn(i int) string {
	switch {
	case i <= 10:
		return numerals[i-1]
	case i < 20:
		return "十" + numerals[i-11]
	case i%10 == 0:
		return numerals[i/10-1] + "十"
	default:
		return numerals[i/10-1] + "十" + numerals[i%10-1]
	}
}

// base strips a place-type suffix: "启明街道" → "启明", "河洑镇" → "河洑", "常德市" → "常德".
func base(name string, suffixes ...string) string {
	for _, s := range suffixes {
		if b, ok := strings.CutSuffix(name, s); ok && utf8.RuneCountInString(b) >= 2 {
			return b
		}
	}
	return name
}

// townBase is the name of a 乡镇/街道 without its type: 启明, 河洑, 芦荻山.
func townBase(name string) string {
	return base(name, "街道办事处", "街道", "办事处", "民族乡", "民族镇", "镇", "乡", "苏木", "地区")
}

var ethnic = []string{"土家族", "苗族", "朝鲜族", "布依族", "藏族", "羌族", "彝族", "傣族", "景颇族", "白族", "哈尼族",
	"壮族", "傈僳族", "回族", "哈萨克", "蒙古", "柯尔克孜", "侗族"}

// cityBase is the short name of a 地级 division: 常德, 湘西, 黔西南, 阿克苏, 阿拉善.
func cityBase(name string) string {
	for _, e := range ethnic {
		if i := strings.Index(name, e); i > 0 {
			return name[:i]
		}
	}
	return base(name, "市", "地区", "盟", "自治州")
}

var provinceShort = map[string]string{
	"11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古", "21": "辽宁", "22": "吉林", "23": "黑龙江",
	"31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建", "36": "江西", "37": "山东", "41": "河南",
	"42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南", "50": "重庆", "51": "四川", "52": "贵州",
	"53": "云南", "54": "西藏", "61": "陕西", "62": "甘肃", "63": "青海", "64": "宁夏", "65": "新疆",
}

// Company names: 地名 + 字号 + 行业 + 组织形式, e.g. 常德鑫源建材有限公司.
var (
	brands = runesPairs("华泰鑫源恒达永兴金盛宏远天成瑞丰中联德润新华正泰博达安泰汇通兴业隆昌富民康健众诚" +
		"鼎盛嘉禾金鹏顺发利民建华万通长青亿达盛世宏图福瑞锦程和顺昌隆旺达精诚联创同心佳美信达腾飞" +
		"金桥华宇金源广源大成弘毅宏发东方润泽立信")
	industries = []string{"建材", "物流", "商贸", "食品", "科技", "置业", "机械制造", "医药", "纺织", "电子", "建筑工程",
		"物业服务", "餐饮管理", "农业开发", "信息技术", "汽车销售", "新材料", "环保科技", "印务", "家具", "酒店管理",
		"电气设备", "生物科技", "服饰", "文化传媒", "旅游开发", "粮油", "水产", "茶业", "装饰工程", "包装材料", "化工"}
	companyForms = []string{"有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司"}
	coopProducts = []string{"蔬菜种植", "水稻种植", "果业", "茶叶", "生猪养殖", "水产养殖", "农机", "油茶", "花卉苗木",
		"中药材种植", "蛋鸡养殖", "食用菌", "葡萄种植", "黄桃种植"}
	estates = runesPairs("阳光锦绣金色翠湖和谐御景滨江东方世纪碧桂丽景怡园华府幸福新城")
	estateK = []string{"花园", "家园", "小区", "苑", "华庭", "新村", "名都", "雅居"}
)

func runesPairs(s string) []string {
	rs := []rune(s)
	var out []string
	for i := 0; i+1 < len(rs); i += 2 {
		out = append(out, string(rs[i:i+2]))
	}
	return out
}

// estate returns a residential compound name: 阳光花园, 翠湖家园.
func estate(r *rand.Rand) string { return pick(r, estates) + pick(r, estateK) }

// Names of peoples who mostly do not take Han names: 维吾尔 and its neighbours (given name ·
// father's name), 哈萨克, 藏 (two elements, the second often telling a woman), 蒙古.
var (
	uyghurMale    = strings.Fields("买买提 艾力 阿不都热合曼 吐尔逊 艾合买提 亚森 依明 卡德尔 热合曼 司马义 玉素甫 艾尼瓦尔 阿迪力 麦麦提 吾斯曼 阿布力孜")
	uyghurFemale  = strings.Fields("阿依古丽 古丽娜尔 热依拉 帕提古丽 迪丽拜尔 米热古丽 努尔古丽 祖丽菲亚 阿依努尔 热孜万古丽 再努尔 阿娜尔古丽")
	kazakhMale    = strings.Fields("叶尔兰 努尔兰 别克 阿斯哈尔 哈那提 加那提 波拉提 叶尔江 赛力克 马合沙提 达吾列提 阿合买提")
	kazakhFemale  = strings.Fields("阿依努尔 古丽巴哈尔 阿娜尔 玛依拉 沙吾列 阿丽米拉 努尔加玛丽 哈丽旦 阿依达娜")
	tibetanMale   = strings.Fields("扎西 多吉 平措 顿珠 旺堆 罗布 边巴 旺久 强巴 贡布")
	tibetanFemale = strings.Fields("卓玛 央金 拉姆 曲珍 德吉 央宗 措姆 次珍 玉珍 卓嘎")
	tibetanAny    = strings.Fields("次仁 格桑 尼玛 达瓦 普布 洛桑 丹增 索朗 白玛 益西")
	mongolMale    = strings.Fields("巴特尔 朝鲁 额尔敦 苏和 宝音 那顺 乌力吉 巴图 毕力格 孟和 吉日嘎拉")
	mongolFemale  = strings.Fields("其其格 萨仁 乌兰 斯琴 娜仁 托娅 高娃 图雅 塔娜 乌云")
)

// styledName reports whether people of the 民族 code mostly bear names of their own.
func styledName(code string) bool {
	switch code {
	case "04", "05", "17", "29", "41", "43", "50", "54", "55":
		return true
	}
	return false
}

// ethnicPerson returns a name as people of the 民族 code bear it, or a Han-style one.
func ethnicPerson(r *rand.Rand, code string, female bool) string {
	switch code {
	case "05", "29", "41", "43", "50": // 维吾尔, 柯尔克孜, 塔吉克, 乌孜别克, 塔塔尔
		given := pick(r, uyghurMale)
		if female {
			given = pick(r, uyghurFemale)
		}
		return given + "·" + pick(r, uyghurMale)
	case "17": // 哈萨克
		given := pick(r, kazakhMale)
		if female {
			given = pick(r, kazakhFemale)
		}
		return given + "·" + pick(r, kazakhMale)
	case "04", "54", "55": // 藏, 门巴, 珞巴
		second := pick(r, tibetanMale)
		if female {
			second = pick(r, tibetanFemale)
		}
		if r.IntN(5) == 0 {
			return second
		}
		return pick(r, tibetanAny) + second
	case "02": // 蒙古: many bear Han names too
		if r.IntN(10) < 4 {
			if female {
				return pick(r, mongolFemale)
			}
			return pick(r, mongolMale)
		}
	}
	return personOf(r, female)
}
