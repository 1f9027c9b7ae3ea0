package org

// Type is the kind of party organisation (党组织类别).
type Type string

const (
	TypeCommittee        Type = "committee"         // 党委（基层委员会，或县委等地方委员会）
	TypeWorkingCommittee Type = "working_committee" // 党工委（街道党工委、机关工委）
	TypeLeadingGroup     Type = "leading_group"     // 党组
	TypeGeneralBranch    Type = "general_branch"    // 党总支
	TypeBranch           Type = "branch"            // 党支部
	TypeJointBranch      Type = "joint_branch"      // 联合党支部
	TypeTemporaryBranch  Type = "temporary_branch"  // 临时党支部
	TypeGroup            Type = "group"             // 党小组
)

// UnitType is the kind of unit an organisation sits in (所在单位类型), following the
// 党内统计 tables 25–31 (街道社区乡镇村 / 机关 / 事业 / 企业 / 社会组织).
type UnitType string

const (
	UnitLocal       UnitType = "local"       // 地方党委（县委等）
	UnitStreet      UnitType = "street"      // 街道
	UnitTownship    UnitType = "township"    // 乡镇
	UnitVillage     UnitType = "village"     // 建制村
	UnitCommunity   UnitType = "community"   // 社区（居委会）
	UnitOrgan       UnitType = "organ"       // 党政机关
	UnitInstitution UnitType = "institution" // 事业单位
	UnitSchool      UnitType = "school"      // 学校
	UnitSOE         UnitType = "soe"         // 国有企业
	UnitCollective  UnitType = "collective"  // 集体企业
	UnitPrivate     UnitType = "private"     // 非公有制企业
	UnitSocial      UnitType = "social"      // 社会组织
	UnitOther       UnitType = "other"       // 其他
)

// Post is a post in an organisation's leadership (班子职务).
type Post string

const (
	PostSecretary       Post = "secretary"        // 书记
	PostDeputySecretary Post = "deputy_secretary" // 副书记
	PostOrganization    Post = "organization"     // 组织委员
	PostPropaganda      Post = "propaganda"       // 宣传委员
	PostDiscipline      Post = "discipline"       // 纪检委员
	PostYouth           Post = "youth"            // 青年委员
	PostMember          Post = "member"           // 委员
	PostGroupLeader     Post = "group_leader"     // 党小组组长
)

// Option is a code with its Chinese label, as the UI shows it.
type Option struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

var typeNames = []Option{
	{string(TypeCommittee), "党委"},
	{string(TypeWorkingCommittee), "党工委"},
	{string(TypeLeadingGroup), "党组"},
	{string(TypeGeneralBranch), "党总支"},
	{string(TypeBranch), "党支部"},
	{string(TypeJointBranch), "联合党支部"},
	{string(TypeTemporaryBranch), "临时党支部"},
	{string(TypeGroup), "党小组"},
}

var unitTypeNames = []Option{
	{string(UnitLocal), "地方党委"},
	{string(UnitStreet), "街道"},
	{string(UnitTownship), "乡镇"},
	{string(UnitVillage), "建制村"},
	{string(UnitCommunity), "社区"},
	{string(UnitOrgan), "党政机关"},
	{string(UnitInstitution), "事业单位"},
	{string(UnitSchool), "学校"},
	{string(UnitSOE), "国有企业"},
	{string(UnitCollective), "集体企业"},
	{string(UnitPrivate), "非公有制企业"},
	{string(UnitSocial), "社会组织"},
	{string(UnitOther), "其他"},
}

var postNames = []Option{
	{string(PostSecretary), "书记"},
	{string(PostDeputySecretary), "副书记"},
	{string(PostOrganization), "组织委员"},
	{string(PostPropaganda), "宣传委员"},
	{string(PostDiscipline), "纪检委员"},
	{string(PostYouth), "青年委员"},
	{string(PostMember), "委员"},
	{string(PostGroupLeader), "党小组组长"},
}

func lookup(opts []Option, code string) (string, bool) {
	for _, o := range opts {
		if o.Code == code {
			return o.Name, true
		}
	}
	return "", false
}

// Name returns the Chinese label of an organisation type.
func (t Type) Name() string { n, _ := lookup(typeNames, string(t)); return n }

// Valid reports whether t is a known organisation type.
func (t Type) Valid() bool { _, ok := lookup(typeNames, string(t)); return ok }

// Name returns the Chinese label of a unit type.
func (u UnitType) Name() string { n, _ := lookup(unitTypeNames, string(u)); return n }

// Valid reports whether u is a known unit type.
func (u UnitType) Valid() bool { _, ok := lookup(unitTypeNames, string(u)); return ok }

// Name returns the Chinese label of a post.
func (p Post) Name() string { n, _ := lookup(postNames, string(p)); return n }

// Valid reports whether p is a known post.
func (p Post) Valid() bool { _, ok := lookup(postNames, string(p)); return ok }

// IsBranchLike reports whether t is one of the 支部 kinds, which the 支部工作条例 governs.
func (t Type) IsBranchLike() bool {
	return t == TypeBranch || t == TypeJointBranch || t == TypeTemporaryBranch
}
