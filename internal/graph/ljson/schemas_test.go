package ljson

// Schemas used by the tests, fuzz targets and benchmarks. They mirror the
// Graph entities the WindowsAutopilotIntune module writes to.

func i64(n int64) *int64 { return &n }

var deviceSchema = &Schema{
	Name: "windowsAutopilotDeviceIdentity",
	Props: map[string]Prop{
		"id":                  {ReadOnly: true},
		"userPrincipalName":   {MaxLen: 256},
		"addressableUserName": {MaxLen: 256},
		"groupTag":            {MaxLen: 128},
		"displayName":         {MaxLen: 256},
	},
}

var oobeSchema = &Schema{
	Name: "outOfBoxExperienceSettings",
	Props: map[string]Prop{
		"hidePrivacySettings":       {Kind: Bool},
		"hideEULA":                  {Kind: Bool},
		"userType":                  {Kind: Enum, Enum: []string{"administrator", "standard", "unknownFutureValue"}},
		"deviceUsageType":           {Kind: Enum, Enum: []string{"singleUser", "shared", "unknownFutureValue"}},
		"skipKeyboardSelectionPage": {Kind: Bool},
		"hideEscapeLink":            {Kind: Bool},
	},
}

var profileSchema = &Schema{
	Name: "azureADWindowsAutopilotDeploymentProfile",
	Props: map[string]Prop{
		"id":                         {ReadOnly: true},
		"createdDateTime":            {Kind: DateTime, ReadOnly: true},
		"lastModifiedDateTime":       {Kind: DateTime, ReadOnly: true},
		"displayName":                {MaxLen: 200},
		"description":                {MaxLen: 1500, Nullable: true},
		"language":                   {Nullable: true},
		"extractHardwareHash":        {Kind: Bool},
		"deviceNameTemplate":         {MaxLen: 15, Nullable: true},
		"deviceType":                 {Kind: Enum, Enum: []string{"windowsPc", "surfaceHub2", "holoLens", "surfaceHub2S", "virtualMachine", "unknownFutureValue"}},
		"enableWhiteGlove":           {Kind: Bool},
		"roleScopeTagIds":            {Kind: StringArray, MaxLen: 10},
		"outOfBoxExperienceSettings": {Kind: Complex, Schema: oobeSchema, Nullable: true},
	},
}

var espSchema = &Schema{
	Name: "windows10EnrollmentCompletionPageConfiguration",
	Props: map[string]Prop{
		"id":                                 {ReadOnly: true},
		"version":                            {Kind: Int, ReadOnly: true},
		"displayName":                        {},
		"description":                        {Nullable: true},
		"showInstallationProgress":           {Kind: Bool},
		"blockDeviceSetupRetryByUser":        {Kind: Bool},
		"allowDeviceResetOnInstallFailure":   {Kind: Bool},
		"allowLogCollectionOnInstallFailure": {Kind: Bool},
		"customErrorMessage":                 {Nullable: true},
		"installProgressTimeoutInMinutes":    {Kind: Int, Min: i64(-2147483648), Max: i64(2147483647)},
		"allowDeviceUseOnInstallFailure":     {Kind: Bool},
		"priority":                           {Kind: Int, Min: i64(0), Max: i64(1000)},
	},
}

var passwordProfileSchema = &Schema{
	Name: "passwordProfile",
	Props: map[string]Prop{
		"password":                      {},
		"forceChangePasswordNextSignIn": {Kind: Bool},
	},
}

var userSchema = &Schema{
	Name: "user",
	Props: map[string]Prop{
		"id":                {Kind: Guid, ReadOnly: true},
		"createdDateTime":   {Kind: DateTime, ReadOnly: true},
		"accountEnabled":    {Kind: Bool},
		"displayName":       {MaxLen: 10},
		"userPrincipalName": {},
		"usageLocation":     {Nullable: true},
		"ageGroup":          {Kind: Enum, Nullable: true, Enum: []string{"minor", "notAdult", "adult"}},
		"businessPhones":    {Kind: StringArray},
		"employeeHireDate":  {Kind: DateTime, Nullable: true},
		"passwordProfile":   {Kind: Complex, Schema: passwordProfileSchema},
		"managerId":         {Kind: Guid, Nullable: true},
	},
}

var groupSchema = &Schema{
	Name:      "group",
	AllowBind: true,
	Props: map[string]Prop{
		"displayName":     {},
		"securityEnabled": {Kind: Bool},
		"members":         {Kind: StringArray, ReadOnly: true},
	},
}

// widgetSchema exercises every Kind.
var widgetSchema = &Schema{
	Name: "widget",
	Props: map[string]Prop{
		"name":   {MaxLen: 5},
		"flag":   {Kind: Bool},
		"count":  {Kind: Int},
		"small":  {Kind: Int, Min: i64(1), Max: i64(720)},
		"ratio":  {Kind: Float, Min: i64(0), Max: i64(1)},
		"big":    {Kind: Float},
		"when":   {Kind: DateTime},
		"ref":    {Kind: Guid},
		"color":  {Kind: Enum, Enum: []string{"red", "green", "blue"}},
		"many":   {Kind: Enum, Enum: []string{"v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11"}},
		"tags":   {Kind: StringArray, MaxLen: 3, Nullable: true},
		"parts":  {Kind: ComplexArray, Schema: passwordProfileSchema},
		"extra":  {Kind: Any, Nullable: true},
		"broken": {Kind: Complex},
		"weird":  {Kind: Kind(99)},
	},
}
