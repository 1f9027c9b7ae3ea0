package development

import (
	"time"

	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/rules"
)

// Phase is where an applicant stands, derived from the recorded steps.
type Phase string

const (
	PhaseApplicant    Phase = "applicant"    // 入党申请人
	PhaseActivist     Phase = "activist"     // 入党积极分子
	PhaseCandidate    Phase = "candidate"    // 发展对象
	PhaseProbationary Phase = "probationary" // 预备党员
	PhaseFull         Phase = "full"         // 正式党员
	PhaseCancelled    Phase = "cancelled"    // 取消预备党员资格
)

var phaseNames = map[Phase]string{PhaseApplicant: "入党申请人", PhaseActivist: "入党积极分子", PhaseCandidate: "发展对象",
	PhaseProbationary: "预备党员", PhaseFull: "正式党员", PhaseCancelled: "取消预备党员资格"}

// Name is the Chinese label of p.
func (p Phase) Name() string { return phaseNames[p] }

// Valid reports whether p is a known phase.
func (p Phase) Valid() bool { _, ok := phaseNames[p]; return ok }

// Outcomes of the 转正 discussion (step s23, approved by s24).
const (
	OutcomeFull   = "full"   // 按期转正
	OutcomeExtend = "extend" // 延长预备期
	OutcomeCancel = "cancel" // 取消预备党员资格
)

// OrgRef is a short reference to an organisation.
type OrgRef struct {
	ID       int64    `json:"id"`
	Code     string   `json:"code"`
	Name     string   `json:"name"`
	Type     org.Type `json:"type"`
	TypeName string   `json:"type_name"`
}

// Person is someone named in a step: 谈话人, 培养联系人, 入党介绍人 …
type Person struct {
	Role     string `json:"role" doc:"talker 谈话人、contact 培养联系人、introducer 入党介绍人；可不填（按步骤推定）"`
	MemberID *int64 `json:"member_id" doc:"党员名册中的编号；填写后系统可核对其是否为正式党员"`
	Name     string `json:"name"`
}

// Vote is the count of a 支部大会 表决: counts only, never who voted how.
type Vote struct {
	Entitled        int  `json:"entitled" doc:"应到会有表决权的正式党员人数"`
	PresentEntitled int  `json:"present_entitled" doc:"到会有表决权人数（含会前正式提出书面意见的）"`
	Yes             int  `json:"yes"`
	No              int  `json:"no"`
	Abstain         int  `json:"abstain"`
	Passed          bool `json:"passed" doc:"赞成人数超过应到会有表决权的正式党员的半数"`
}

// StepData is what a step records besides its date.
type StepData struct {
	People        []Person   `json:"people,omitempty"`
	Vote          *Vote      `json:"vote,omitempty"`
	Documents     []string   `json:"documents,omitempty" doc:"材料（文字说明或档号）；上传不是必需的"`
	TrainingDays  float64    `json:"training_days,omitempty" doc:"集中培训天数（s11）"`
	TrainingHours float64    `json:"training_hours,omitempty" doc:"集中培训学时（s11）"`
	ApproverOrgID int64      `json:"approver_org_id,omitempty" doc:"预审、审批的党委（s13、s17、s24）；不填时取最近的具有审批权限的上级党委"`
	ApproverName  string     `json:"approver_name,omitempty"`
	DelayReason   string     `json:"delay_reason,omitempty" doc:"审批超过三个月的原因"`
	PublicityFrom civil.Date `json:"publicity_from,omitzero" doc:"公示开始日期（s08、s23）"`
	PublicityTo   civil.Date `json:"publicity_to,omitzero" doc:"公示结束日期"`
	Outcome       string     `json:"outcome,omitempty" doc:"s23：full 按期转正、extend 延长预备期、cancel 取消预备党员资格；s24 批准 s23 的决议"`
	ExtendMonths  int        `json:"extend_months,omitempty" doc:"延长预备期月数（6–12）"`
	LeavingSoon   bool       `json:"leaving_soon,omitempty" doc:"s13：未来3个月内将离开工作、学习单位"`
	MeetingID     *int64     `json:"meeting_id,omitempty" doc:"组织生活中记录的支部大会（可不填）"`
	PublicityDays int        `json:"publicity_working_days,omitempty"`
	ProbationEnds civil.Date `json:"probation_ends,omitzero"`
}

// StepInput records one step.
type StepInput struct {
	Step    string     `json:"step" doc:"步骤代码 s01–s25"`
	On      civil.Date `json:"on" doc:"完成日期"`
	Version int        `json:"version" doc:"读取案例时的版本号，原样带回"`
	Note    string     `json:"note"`
	// Profile completes the 党员信息 in the same act (the 审批 form): never stored in the step.
	Profile *Profile `json:"profile,omitempty" doc:"审批接收预备党员时一并补充的党员信息（不写入步骤记录）"`
	StepData
}

// Finding is a rule broken by an entry: refused (block) or accepted with a warning (warn).
type Finding struct {
	Rule    string      `json:"rule"`
	Title   string      `json:"title"`
	Article string      `json:"article"`
	Source  string      `json:"source"`
	Message string      `json:"message"`
	Level   rules.Level `json:"level"`
}

// StepRecord is a recorded step.
type StepRecord struct {
	ID        int64      `json:"id"`
	Seq       int        `json:"seq"`
	Step      string     `json:"step"`
	Name      string     `json:"name"`
	On        civil.Date `json:"on"`
	Note      string     `json:"note"`
	StepData  `json:"data"`
	Warnings  []Finding `json:"warnings"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// Next is what is due next on a case.
type Next struct {
	Step       string     `json:"step"`
	Name       string     `json:"name"`
	Stage      string     `json:"stage"`
	Actor      string     `json:"actor"`
	ActorLevel string     `json:"actor_level"`
	NotBefore  civil.Date `json:"not_before" doc:"最早可办日期（如确定发展对象须培养一年以上）"`
	DueOn      civil.Date `json:"due_on" doc:"应办日期"`
	Limit      civil.Date `json:"limit" doc:"最迟不得超过的日期（如审批不超过六个月）"`
	Overdue    bool       `json:"overdue"`
	Rule       string     `json:"rule"`
	Article    string     `json:"article"`
	Text       string     `json:"text"`
	Approver   string     `json:"approver,omitempty" doc:"预审、审批的办理党委：只有该党委的用户能登记"`
}

// Case is one applicant's development.
type Case struct {
	ID            int64        `json:"id"`
	Org           OrgRef       `json:"org"`
	Name          string       `json:"name"`
	Gender        string       `json:"gender"`
	GenderName    string       `json:"gender_name"`
	IDNumber      string       `json:"id_number" doc:"公民身份号码，只保存脱敏形式供显示（原文加密保存）"`
	BirthDate     civil.Date   `json:"birth_date"`
	RuleVersion   string       `json:"rule_version"`
	Status        string       `json:"status" doc:"open 进行中、closed 已结束"`
	Phase         Phase        `json:"phase"`
	PhaseName     string       `json:"phase_name"`
	AppliedOn     civil.Date   `json:"applied_on"`
	JoinedOn      civil.Date   `json:"joined_on" doc:"支部大会通过为预备党员之日（经上级党委批准后）"`
	ProbationEnds civil.Date   `json:"probation_ends" doc:"预备期满之日：从支部大会通过之日起一年（延长的加上延长期）"`
	FullOn        civil.Date   `json:"full_on" doc:"转为正式党员之日（预备期满之日）"`
	Extended      bool         `json:"extended" doc:"是否已延长过预备期"`
	MemberID      *int64       `json:"member_id" doc:"党员名册中的记录：上级党委审批接收预备党员时自动建立"`
	Profile       CaseProfile  `json:"profile" doc:"建立党员名册记录所需的党员信息（联系电话、家庭住址脱敏显示）"`
	Next          *Next        `json:"next"`
	Letters       []LetterRef  `json:"letters" doc:"可以生成的文书（GET …/letters/{kind}）"`
	Steps         []StepRecord `json:"steps,omitempty"`
	CreatedAt     time.Time    `json:"created_at"`
	UpdatedAt     time.Time    `json:"updated_at"`
	Version       int          `json:"version" doc:"修改时原样带回，用于发现并发修改"`
}

// CaseInput opens a case with the application (step s01).
type CaseInput struct {
	OrgID     int64      `json:"org_id" doc:"党支部"`
	Name      string     `json:"name"`
	Gender    string     `json:"gender" doc:"1 男、2 女；填写公民身份号码时可不填"`
	IDNumber  string     `json:"id_number" doc:"公民身份号码（加密保存）"`
	BirthDate civil.Date `json:"birth_date" doc:"填写公民身份号码时可不填"`
	AppliedOn civil.Date `json:"applied_on" doc:"递交入党申请书日期"`
	Documents []string   `json:"documents"`
	Note      string     `json:"note"`
	ProfileFields
}

// ProfileFields are the 党员信息 a case collects for the registry (codes of the member
// registry's code tables; labels are accepted and normalised).
type ProfileFields struct {
	Ethnicity   string `json:"ethnicity" doc:"民族（GB/T 3304 代码或名称）"`
	Education   string `json:"education" doc:"学历（GB/T 4658 代码或名称）"`
	Job         string `json:"job" doc:"工作岗位（党内统计工作岗位代码或名称）"`
	NativePlace string `json:"native_place" doc:"籍贯"`
	Phone       string `json:"phone" doc:"联系电话（加密保存，脱敏显示）"`
	Address     string `json:"address" doc:"家庭住址（加密保存，脱敏显示）"`
}

// Profile changes the 党员信息 of a case; absent (empty) fields stay as they are.
type Profile struct {
	IDNumber string `json:"id_number" doc:"公民身份号码：案例尚未登记时填写（加密保存）"`
	ProfileFields
}

// CaseProfile is the 党员信息 of a case as shown: phone and address masked.
type CaseProfile struct {
	Ethnicity     string   `json:"ethnicity"`
	EthnicityName string   `json:"ethnicity_name"`
	Education     string   `json:"education"`
	EducationName string   `json:"education_name"`
	Job           string   `json:"job"`
	JobName       string   `json:"job_name"`
	NativePlace   string   `json:"native_place"`
	Phone         string   `json:"phone" doc:"脱敏"`
	Address       string   `json:"address" doc:"脱敏"`
	Missing       []string `json:"missing" doc:"建立党员名册记录前还须补充的项目（字段名）"`
}

// StepAnswer is what recording a step returns.
type StepAnswer struct {
	Case     *Case     `json:"case"`
	Warnings []Finding `json:"warnings" doc:"不阻止保存、但应核对的规则提示"`
}

// TodoItem is one thing due on a case.
type TodoItem struct {
	CaseID    int64  `json:"case_id"`
	Name      string `json:"name" doc:"申请人姓名（下一步的名称见 step_name）"`
	StepName  string `json:"step_name" doc:"下一步的名称"`
	Org       OrgRef `json:"org"`
	Phase     Phase  `json:"phase"`
	PhaseName string `json:"phase_name"`
	Next
	branchPath string // the 党支部's path, for who must act
}

// LetterRef names a letter a case can generate.
type LetterRef struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
}
