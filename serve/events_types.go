package serve

// The EventBridge API's request and answer shapes (JSON 1.1), as far as
// serve reads and writes them; field names are the API model's.

type apiTag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

type apiCondition struct {
	Type  string `json:"Type"`
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

type apiDeadLetterConfig struct {
	Arn string `json:"Arn,omitempty"`
}

type apiRetryPolicy struct {
	MaximumRetryAttempts     *int `json:"MaximumRetryAttempts,omitempty"`
	MaximumEventAgeInSeconds *int `json:"MaximumEventAgeInSeconds,omitempty"`
}

type apiInputTransformer struct {
	InputPathsMap map[string]string `json:"InputPathsMap,omitempty"`
	InputTemplate string            `json:"InputTemplate"`
}

// apiTarget is a Target; members serve does not model are kept and
// listed back as they came.
type apiTarget struct {
	Id                          string               `json:"Id"`
	Arn                         string               `json:"Arn"`
	RoleArn                     string               `json:"RoleArn,omitempty"`
	Input                       *string              `json:"Input,omitempty"`
	InputPath                   *string              `json:"InputPath,omitempty"`
	InputTransformer            *apiInputTransformer `json:"InputTransformer,omitempty"`
	DeadLetterConfig            *apiDeadLetterConfig `json:"DeadLetterConfig,omitempty"`
	RetryPolicy                 *apiRetryPolicy      `json:"RetryPolicy,omitempty"`
	SqsParameters               map[string]any       `json:"SqsParameters,omitempty"`
	KinesisParameters           map[string]any       `json:"KinesisParameters,omitempty"`
	HttpParameters              map[string]any       `json:"HttpParameters,omitempty"`
	AppSyncParameters           map[string]any       `json:"AppSyncParameters,omitempty"`
	EcsParameters               map[string]any       `json:"EcsParameters,omitempty"`
	BatchParameters             map[string]any       `json:"BatchParameters,omitempty"`
	RedshiftDataParameters      map[string]any       `json:"RedshiftDataParameters,omitempty"`
	SageMakerPipelineParameters map[string]any       `json:"SageMakerPipelineParameters,omitempty"`
	RunCommandParameters        map[string]any       `json:"RunCommandParameters,omitempty"`
}

type apiReplayDestination struct {
	Arn        string   `json:"Arn"`
	FilterArns []string `json:"FilterArns,omitempty"`
}

type putEventsEntry struct {
	Time         *epochTime `json:"Time"`
	Source       *string    `json:"Source"`
	Resources    []string   `json:"Resources"`
	DetailType   *string    `json:"DetailType"`
	Detail       *string    `json:"Detail"`
	EventBusName *string    `json:"EventBusName"`
	TraceHeader  *string    `json:"TraceHeader"`
}

type putEventsIn struct {
	Entries    []putEventsEntry `json:"Entries"`
	EndpointId *string          `json:"EndpointId"`
}

type putEventsResultEntry struct {
	EventId      string `json:"EventId,omitempty"`
	ErrorCode    string `json:"ErrorCode,omitempty"`
	ErrorMessage string `json:"ErrorMessage,omitempty"`
}

type putEventsOut struct {
	FailedEntryCount int                    `json:"FailedEntryCount"`
	Entries          []putEventsResultEntry `json:"Entries"`
}

type busNameIn struct {
	Name         string `json:"Name"`
	EventBusName string `json:"EventBusName"`
	Description  string `json:"Description"`
	Tags         []apiTag
	Limit        int     `json:"Limit"`
	NextToken    *string `json:"NextToken"`
	NamePrefix   string  `json:"NamePrefix"`
}

type apiEventBus struct {
	Name             string     `json:"Name"`
	Arn              string     `json:"Arn"`
	Description      string     `json:"Description,omitempty"`
	Policy           string     `json:"Policy,omitempty"`
	CreationTime     *epochTime `json:"CreationTime,omitempty"`
	LastModifiedTime *epochTime `json:"LastModifiedTime,omitempty"`
}

type permissionIn struct {
	EventBusName         string        `json:"EventBusName"`
	Action               string        `json:"Action"`
	Principal            string        `json:"Principal"`
	StatementId          string        `json:"StatementId"`
	Condition            *apiCondition `json:"Condition"`
	Policy               string        `json:"Policy"`
	RemoveAllPermissions bool          `json:"RemoveAllPermissions"`
}

type ruleIn struct {
	Name               string   `json:"Name"`
	EventBusName       string   `json:"EventBusName"`
	EventPattern       *string  `json:"EventPattern"`
	ScheduleExpression *string  `json:"ScheduleExpression"`
	State              string   `json:"State"`
	Description        *string  `json:"Description"`
	RoleArn            *string  `json:"RoleArn"`
	Tags               []apiTag `json:"Tags"`
	Force              bool     `json:"Force"`
	NamePrefix         string   `json:"NamePrefix"`
	Limit              int      `json:"Limit"`
	NextToken          *string  `json:"NextToken"`
	TargetArn          string   `json:"TargetArn"`
}

type apiRule struct {
	Name               string `json:"Name"`
	Arn                string `json:"Arn"`
	EventPattern       string `json:"EventPattern,omitempty"`
	State              string `json:"State"`
	Description        string `json:"Description,omitempty"`
	ScheduleExpression string `json:"ScheduleExpression,omitempty"`
	RoleArn            string `json:"RoleArn,omitempty"`
	ManagedBy          string `json:"ManagedBy,omitempty"`
	EventBusName       string `json:"EventBusName"`
	CreatedBy          string `json:"CreatedBy,omitempty"`
}

type targetsIn struct {
	Rule         string      `json:"Rule"`
	EventBusName string      `json:"EventBusName"`
	Targets      []apiTarget `json:"Targets"`
	Ids          []string    `json:"Ids"`
	Force        bool        `json:"Force"`
	Limit        int         `json:"Limit"`
	NextToken    *string     `json:"NextToken"`
}

type failedTarget struct {
	TargetId     string `json:"TargetId"`
	ErrorCode    string `json:"ErrorCode"`
	ErrorMessage string `json:"ErrorMessage"`
}

type testPatternIn struct {
	EventPattern string `json:"EventPattern"`
	Event        string `json:"Event"`
}

type archiveIn struct {
	ArchiveName    string  `json:"ArchiveName"`
	EventSourceArn string  `json:"EventSourceArn"`
	Description    string  `json:"Description"`
	EventPattern   *string `json:"EventPattern"`
	RetentionDays  int     `json:"RetentionDays"`
	NamePrefix     string  `json:"NamePrefix"`
	State          string  `json:"State"`
	Limit          int     `json:"Limit"`
	NextToken      *string `json:"NextToken"`
}

type replayIn struct {
	ReplayName     string               `json:"ReplayName"`
	Description    string               `json:"Description"`
	EventSourceArn string               `json:"EventSourceArn"`
	EventStartTime *epochTime           `json:"EventStartTime"`
	EventEndTime   *epochTime           `json:"EventEndTime"`
	Destination    apiReplayDestination `json:"Destination"`
}

type tagsIn struct {
	ResourceARN string   `json:"ResourceARN"`
	Tags        []apiTag `json:"Tags"`
	TagKeys     []string `json:"TagKeys"`
}
