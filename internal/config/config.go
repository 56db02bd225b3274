package config

import "time"

// Config is every setting of monostack. The `key` tag is the flag name, the
// YAML key and (upper-cased, dashes to underscores, MONOSTACK_ prefix) the
// environment variable; `default` and `help` feed flags and docs/config.md.
type Config struct {
	ConfigFile string `key:"config" help:"YAML file with settings (keys are the flag names)"`
	StateDir   string `key:"state-dir" help:"directory that holds every byte of state (default /var/lib/monostack as root, else $XDG_DATA_HOME/monostack)"`
	DB         string `key:"db" help:"database: empty for SQLite in the state directory, or a postgres:// DSN"`

	BindHost   string   `key:"bind-host" default:"127.0.0.1" help:"address the APIs listen on"`
	PublicHost string   `key:"public-host" help:"host put in catalog URLs (default: bind-host, or 127.0.0.1 when bind-host is a wildcard)"`
	Region     string   `key:"region" default:"RegionOne" help:"region of the catalog entries created at bootstrap"`
	Roles      []string `key:"roles" default:"api,scheduler,conductor" help:"roles this process serves: api, scheduler, conductor (serve); compute (agent)"`
	Host       string   `key:"host" help:"this host's name in the compute service list and for compute agents (default: the machine's host name)"`

	IdentityPort  int `key:"identity-port" default:"5000" help:"identity (Keystone) API port; 0 picks a free port"`
	ImagePort     int `key:"image-port" default:"9292" help:"image (Glance) API port; 0 picks a free port"`
	ComputePort   int `key:"compute-port" default:"8774" help:"compute (Nova) API port; 0 picks a free port"`
	PlacementPort int `key:"placement-port" default:"8778" help:"placement API port; 0 picks a free port"`
	NetworkPort   int `key:"network-port" default:"9696" help:"network (Neutron) API port; 0 picks a free port"`

	Bus     string `key:"bus" help:"NATS URL of the message bus (nats://host:4222); empty in up: an embedded server on 127.0.0.1"`
	BusPort int    `key:"bus-port" default:"4222" help:"port of up's embedded NATS server on 127.0.0.1; 0 picks a free port"`

	LogLevel  string `key:"log-level" default:"info" help:"debug, info, warn or error"`
	LogFormat string `key:"log-format" default:"text" help:"text or json"`

	AdminUser     string `key:"admin-user" default:"admin" help:"name of the bootstrap admin user"`
	AdminPassword string `key:"admin-password" help:"bootstrap admin password (default: generated once and kept in the state directory)"`
	AdminProject  string `key:"admin-project" default:"admin" help:"name of the bootstrap admin project"`

	TokenExpiration     time.Duration `key:"token-expiration" default:"1h" help:"lifetime of issued tokens"`
	FernetMaxActiveKeys int           `key:"fernet-max-active-keys" default:"3" help:"fernet keys kept by rotation (staged + primary + secondaries)"`
	BcryptCost          int           `key:"bcrypt-cost" default:"12" help:"bcrypt cost for password hashes (4-31)"`
	MaxRequestBodySize  int64         `key:"max-request-body-size" default:"114688" help:"largest accepted JSON request body in bytes"`
	ListLimit           int           `key:"list-limit" default:"0" help:"most entries one identity list returns (0: no limit)"`

	PolicyFile         string `key:"policy-file" help:"policy.yaml with rule overrides, re-read when it changes (default: STATE_DIR/policy.yaml when present)"`
	EnforceNewDefaults bool   `key:"enforce-new-defaults" default:"false" help:"use only the new scope-aware policy defaults, not new-or-deprecated"`

	LockoutFailureAttempts     int           `key:"lockout-failure-attempts" default:"0" help:"failed password authentications before a user is locked out (0: off)"`
	LockoutDuration            time.Duration `key:"lockout-duration" default:"30m" help:"how long a locked-out user stays locked"`
	PasswordExpiresDays        int           `key:"password-expires-days" default:"0" help:"days a password stays valid (0: forever)"`
	MinimumPasswordAge         int           `key:"minimum-password-age" default:"0" help:"days before a user may change their password again"`
	UniqueLastPasswordCount    int           `key:"unique-last-password-count" default:"0" help:"a new password must differ from this many most recent ones, the current included (0: off)"`
	PasswordRegex              string        `key:"password-regex" help:"regular expression every new password must match"`
	PasswordRegexDescription   string        `key:"password-regex-description" help:"human description of password-regex, shown when it fails"`
	ChangePasswordUponFirstUse bool          `key:"change-password-upon-first-use" default:"false" help:"users must change a password an admin set before using it"`

	ImageSizeCap          int64    `key:"image-size-cap" default:"1099511627776" help:"largest image in bytes (Glance's image_size_cap)"`
	ImageQuotaImages      int64    `key:"image-quota-images" default:"0" help:"images a project may own (Keystone limit image_count_total); 0: unlimited"`
	ImageQuotaBytes       int64    `key:"image-quota-bytes" default:"0" help:"bytes a project's images and staged data may hold (Glance's user_storage_quota); 0: unlimited"`
	ImageMemberQuota      int      `key:"image-member-quota" default:"128" help:"most members one image may have (Glance's image_member_quota); negative: unlimited"`
	ImagePropertyQuota    int      `key:"image-property-quota" default:"128" help:"most properties one image may have (Glance's image_property_quota); negative: unlimited"`
	ImageTagQuota         int      `key:"image-tag-quota" default:"128" help:"most tags one image may have (Glance's image_tag_quota); negative: unlimited"`
	ImageImportMethods    []string `key:"image-import-methods" default:"glance-direct" help:"enabled interoperable import methods (Glance's enabled_import_methods); web-download needs image-web-download too"`
	ImageWebDownload      bool     `key:"image-web-download" default:"false" help:"enable the web-download import method"`
	ImageWebDownloadAllow []string `key:"image-web-download-allow" help:"what web-download may fetch: host or host:port (trusted at any address) or URL prefixes (public addresses only)"`

	ComputeDriver         string        `key:"compute-driver" default:"fake" help:"hypervisor driver of compute agents: fake"`
	FakeHosts             int           `key:"fake-hosts" default:"1" help:"compute hosts one agent serves with the fake driver (HOST-1 … HOST-N when more than one)"`
	FakeVCPUs             int           `key:"fake-vcpus" default:"16" help:"vCPUs of each fake compute host"`
	FakeMemoryMB          int           `key:"fake-memory-mb" default:"32768" help:"memory of each fake compute host in MB"`
	FakeDiskGB            int           `key:"fake-disk-gb" default:"200" help:"local disk of each fake compute host in GB"`
	FakeFailures          []string      `key:"fake-failures" help:"failures the fake driver injects, e.g. spawn:2 (fail the next two spawns)"`
	ReportInterval        time.Duration `key:"report-interval" default:"10s" help:"how often services send heartbeats (Nova's report_interval)"`
	ServiceDownTime       time.Duration `key:"service-down-time" default:"60s" help:"a service with no heartbeat for this long is down (Nova's service_down_time)"`
	CPUAllocationRatio    float64       `key:"cpu-allocation-ratio" default:"4.0" help:"VCPU allocation ratio of new compute nodes (Nova's initial_cpu_allocation_ratio)"`
	RAMAllocationRatio    float64       `key:"ram-allocation-ratio" default:"1.0" help:"MEMORY_MB allocation ratio of new compute nodes"`
	DiskAllocationRatio   float64       `key:"disk-allocation-ratio" default:"1.0" help:"DISK_GB allocation ratio of new compute nodes"`
	ReservedHostMemoryMB  int           `key:"reserved-host-memory-mb" default:"512" help:"memory kept for the host on every compute node"`
	DefaultAZ             string        `key:"default-availability-zone" default:"nova" help:"availability zone of hosts in no zoned aggregate"`
	SchedulerMaxAttempts  int           `key:"scheduler-max-attempts" default:"3" help:"hosts a build is tried on before it fails (Nova's max_attempts)"`
	AllowResizeToSameHost bool          `key:"allow-resize-to-same-host" default:"true" help:"resize may stay on the same host (DevStack's setting; upstream's default is false)"`

	QuotaInstances          int `key:"quota-instances" default:"10" help:"instances per project (Nova's [quota]instances)"`
	QuotaCores              int `key:"quota-cores" default:"20" help:"vCPUs per project"`
	QuotaRAM                int `key:"quota-ram" default:"51200" help:"MB of RAM per project"`
	QuotaMetadataItems      int `key:"quota-metadata-items" default:"128" help:"metadata items per server"`
	QuotaKeyPairs           int `key:"quota-key-pairs" default:"100" help:"keypairs per user"`
	QuotaServerGroups       int `key:"quota-server-groups" default:"10" help:"server groups per project"`
	QuotaServerGroupMembers int `key:"quota-server-group-members" default:"10" help:"members per server group"`

	QuotaNetwork           int `key:"quota-network" default:"100" help:"networks per project (Neutron's [QUOTAS]quota_network); -1: unlimited"`
	QuotaSubnet            int `key:"quota-subnet" default:"100" help:"subnets per project"`
	QuotaPort              int `key:"quota-port" default:"500" help:"ports per project"`
	QuotaRouter            int `key:"quota-router" default:"10" help:"routers per project"`
	QuotaFloatingIP        int `key:"quota-floatingip" default:"50" help:"floating IPs per project"`
	QuotaSecurityGroup     int `key:"quota-security-group" default:"10" help:"security groups per project"`
	QuotaSecurityGroupRule int `key:"quota-security-group-rule" default:"100" help:"security group rules per project"`
	QuotaRBACPolicy        int `key:"quota-rbac-policy" default:"10" help:"RBAC policies per project"`

	SchedulerEnabledFilters []string `key:"scheduler-enabled-filters" default:"AvailabilityZoneFilter,ComputeFilter,ComputeCapabilitiesFilter,ImagePropertiesFilter,ServerGroupAntiAffinityFilter,ServerGroupAffinityFilter,SameHostFilter,DifferentHostFilter" help:"scheduler filters, in order (Nova's enabled_filters)"`
	SchedulerRAMWeight      float64  `key:"scheduler-ram-weight-multiplier" default:"1.0" help:"free RAM weight: positive spreads, negative stacks"`
	SchedulerCPUWeight      float64  `key:"scheduler-cpu-weight-multiplier" default:"1.0" help:"free vCPU weight"`
	SchedulerDiskWeight     float64  `key:"scheduler-disk-weight-multiplier" default:"1.0" help:"free disk weight"`
	SchedulerHostSubsetSize int      `key:"scheduler-host-subset-size" default:"1" help:"pick the host at random among the best N"`

	TestImageName string `key:"test-image-name" default:"cirros" help:"public image created at bootstrap for booting test servers; empty: none (a placeholder disk until the QEMU driver brings a real guest image)"`

	ShutdownTimeout time.Duration `key:"shutdown-timeout" default:"30s" help:"how long SIGTERM waits for in-flight requests"`
}
