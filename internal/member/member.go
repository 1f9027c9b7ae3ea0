// Package member is the member registry (党员信息库): the official 党员基本信息 record of 16
// items plus the extended set a real system keeps, its repeatable histories, validation
// against the rules that govern it, protection of personal data (公民身份号码, phone, address
// encrypted at rest, masked by default, every full view audited), member self-service with
// approval of key fields, and the structure statistics of any subtree. Every query is scoped to
// the caller's subtree through access.Filter on the member's org path.
package member

import (
	"time"

	"github.com/dangjian/dangjian/internal/civil"
)

// Category is 人员类别, derived from the dates: a member with a 转为正式党员日期 is 正式党员,
// one without is 预备党员.
type Category string

const (
	CategoryFull         Category = "full"         // 正式党员
	CategoryProbationary Category = "probationary" // 预备党员
)

// Status is 党籍状态. Changing it is a deliberate act with a date and a reason
// (member_status_changes); the lifecycle issue adds the procedures around it.
type Status string

const (
	StatusNormal    Status = "normal"    // 正常
	StatusSuspended Status = "suspended" // 停止党籍
	StatusLeft      Status = "left"      // 已出党（开除、除名、退党、取消预备党员资格等）
	StatusDeceased  Status = "deceased"  // 已去世
)

// Member is a member's record as the API shows it. IDNumber, Phone and Address are masked
// unless the caller asked for and was allowed the full values (Revealed).
type Member struct {
	ID       int64  `json:"id"`
	OrgID    int64  `json:"org_id" doc:"所在党支部"`
	OrgCode  string `json:"org_code"`
	OrgName  string `json:"org_name"`
	Name     string `json:"name"`
	Gender   string `json:"gender" doc:"GB/T 2261.1：1 男，2 女"`
	IDNumber string `json:"id_number" doc:"公民身份号码；默认脱敏"`
	// The 16 official items, continued.
	Ethnicity     string     `json:"ethnicity" doc:"GB/T 3304 民族代码"`
	BirthDate     civil.Date `json:"birth_date"`
	Education     string     `json:"education" doc:"GB/T 4658 学历代码"`
	Category      Category   `json:"category" doc:"人员类别：由转正日期推出"`
	JoinedOn      civil.Date `json:"joined_on" doc:"加入党组织日期（支部大会通过之日）"`
	FullOn        civil.Date `json:"full_on" doc:"转为正式党员日期"`
	Job           string     `json:"job" doc:"工作岗位（党内统计工作岗位代码）"`
	Phone         string     `json:"phone" doc:"联系电话；默认脱敏"`
	Address       string     `json:"address" doc:"家庭住址；默认脱敏"`
	Status        Status     `json:"status" doc:"党籍状态"`
	StatusOn      civil.Date `json:"status_on"`
	LostContact   bool       `json:"lost_contact" doc:"是否为失联党员"`
	LostOn        civil.Date `json:"lost_on" doc:"失去联系日期"`
	LostSituation string     `json:"lost_situation" doc:"失联情形代码 1–7"`
	Mobile        bool       `json:"mobile" doc:"是否为流动党员"`
	MobileTo      string     `json:"mobile_to" doc:"外出流向"`
	// The extended set.
	NativePlace   string     `json:"native_place" doc:"籍贯"`
	Degree        string     `json:"degree" doc:"学位"`
	TechTitle     string     `json:"tech_title" doc:"专业技术职务"`
	PartyPost     string     `json:"party_post" doc:"党内职务"`
	WorkStartedOn civil.Date `json:"work_started_on" doc:"参加工作日期"`
	Hardship      bool       `json:"hardship" doc:"生活困难"`
	Introducers   string     `json:"introducers" doc:"入党介绍人"`
	HasPhoto      bool       `json:"has_photo"`
	UserID        *int64     `json:"user_id" doc:"关联的党员账号（自助服务）"`
	Revealed      bool       `json:"revealed" doc:"是否为完整（未脱敏）信息"`
	Age           int        `json:"age"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	Version       int        `json:"version" doc:"修改时原样带回，用于发现并发修改"`
	// Labels of the codes, for tables and exports.
	GenderName    string `json:"gender_name"`
	EthnicityName string `json:"ethnicity_name"`
	EducationName string `json:"education_name"`
	CategoryName  string `json:"category_name"`
	JobName       string `json:"job_name"`
	StatusName    string `json:"status_name"`
}

// Input is a member to create, or a row of an imported roster. Strings are the codes of the
// code tables (gender "1"/"2", ethnicity "01"…, education "21"…, job "011"…), already
// normalised by the caller (an importer maps labels to codes first).
type Input struct {
	OrgID         int64      `json:"org_id"`
	Name          string     `json:"name"`
	Gender        string     `json:"gender"`
	IDNumber      string     `json:"id_number"`
	Ethnicity     string     `json:"ethnicity"`
	BirthDate     civil.Date `json:"birth_date" doc:"可不填：由公民身份号码推出"`
	Education     string     `json:"education"`
	JoinedOn      civil.Date `json:"joined_on"`
	FullOn        civil.Date `json:"full_on"`
	Job           string     `json:"job"`
	Phone         string     `json:"phone"`
	Address       string     `json:"address"`
	LostContact   bool       `json:"lost_contact"`
	LostOn        civil.Date `json:"lost_on"`
	LostSituation string     `json:"lost_situation"`
	Mobile        bool       `json:"mobile"`
	MobileTo      string     `json:"mobile_to"`
	NativePlace   string     `json:"native_place"`
	Degree        string     `json:"degree"`
	TechTitle     string     `json:"tech_title"`
	PartyPost     string     `json:"party_post"`
	WorkStartedOn civil.Date `json:"work_started_on"`
	Hardship      bool       `json:"hardship"`
	Introducers   string     `json:"introducers"`
	// AddedAs is 增加方式, how the member came to count here: "" lets the date decide (新发展
	// when the 加入党组织日期 is in the current year, otherwise 补录 of someone who was already a
	// member), or one of the Added* values.
	AddedAs  string     `json:"added_as,omitempty" doc:"增加方式：register 补录、develop 新发展、rejoin 重新入党、transfer_in 从系统外转入；不填按入党日期判断"`
	AddedOn  civil.Date `json:"added_on,omitempty" doc:"重新入党或转入之日；不填为今天（新发展以加入党组织日期为准）"`
	AddedRef string     `json:"-"` // the act behind it, for the ledger (e.g. "development:3")
}

// 增加方式 (Input.AddedAs).
const (
	AddedRegister   = "register"    // 补录：已是党员，首次录入系统，不计入本年增加
	AddedDevelop    = "develop"     // 新发展
	AddedRejoin     = "rejoin"      // 重新入党
	AddedTransferIn = "transfer_in" // 从系统外转入组织关系
)

// ListFilter narrows a roster. Under is the subtree (0: the caller's whole scope).
type ListFilter struct {
	Under       int64
	Q           string // name (contains), a full 公民身份号码 or phone number (exact, via the keyed hash)
	Category    Category
	Status      Status // "" means the members counted in the roster: normal and suspended
	AgeBand     string // one of the age band codes of the statistics, e.g. "31-35"
	Education   string // a 党统 bucket code (1–6)
	Gender      string
	Mobile      *bool
	LostContact *bool
	Sort        string // name, birth_date, joined_on, org; a leading "-" sorts descending
}
