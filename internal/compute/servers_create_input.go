package compute

import (
	"encoding/base64"
	"slices"
	"strings"

	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// createRequest is a checked POST /servers body.
type createRequest struct {
	Name                 string
	ImageRef             string
	FlavorRef            string
	AdminPass            *string
	Metadata             map[string]string
	Networks             []NetworkRequest
	NetworksMode         string // "auto", "none" or "" for the explicit list
	DiskConfig           string
	AccessIPv4           *string
	AccessIPv6           *string
	AvailabilityZone     string
	BlockDevices         []blockDevice
	ConfigDrive          bool
	KeyName              *string
	MinCount, MaxCount   int
	ReturnReservationID  bool
	SecurityGroups       []string
	UserData             *string
	Description          *string
	Tags                 []string
	TrustedCerts         []string
	Host, HypervisorHost string
	Hints                jsonObject
}

// createKeys are the server keys each microversion accepts.
func createKeys(v httpx.Microversion) []string {
	keys := []string{"name", "imageRef", "flavorRef", "adminPass", "metadata", "networks", "OS-DCF:diskConfig",
		"accessIPv4", "accessIPv6", "availability_zone", "block_device_mapping", "block_device_mapping_v2",
		"config_drive", "key_name", "min_count", "max_count", "return_reservation_id", "security_groups", "user_data"}
	if !v.AtLeast(57) {
		keys = append(keys, "personality")
	}
	if v.AtLeast(19) {
		keys = append(keys, "description")
	}
	if v.AtLeast(52) {
		keys = append(keys, "tags")
	}
	if v.AtLeast(63) {
		keys = append(keys, "trusted_image_certificates")
	}
	if v.AtLeast(74) {
		keys = append(keys, "host", "hypervisor_hostname")
	}
	return keys
}

// parseCreate checks a create body against the microversion's schema.
func parseCreate(body jsonObject, v httpx.Microversion) (*createRequest, error) {
	srv, err := requireBody(body, "server", "os:scheduler_hints", "OS-SCH-HNT:scheduler_hints")
	if err != nil {
		return nil, err
	}
	if err := onlyKeys("server", srv, createKeys(v)); err != nil {
		return nil, err
	}
	required := []string{"name", "flavorRef"}
	if v.AtLeast(37) {
		required = append(required, "networks")
	}
	if err := requireKeys("server", srv, required...); err != nil {
		return nil, err
	}
	c := &createRequest{MinCount: 1}
	steps := []func(jsonObject, httpx.Microversion) error{c.parseBasics, c.parseCounts, c.parseNetworks,
		c.parseBlockDevices, c.parseExtras}
	for _, step := range steps {
		if err := step(srv, v); err != nil {
			return nil, err
		}
	}
	hints, err := parseHints(body)
	if err != nil {
		return nil, err
	}
	c.Hints = hints
	return c, nil
}

func (c *createRequest) parseBasics(srv jsonObject, v httpx.Microversion) error {
	var err error
	if c.Name, err = schemaName("name", srv["name"]); err != nil {
		return err
	}
	if ref, ok := srv["imageRef"]; ok {
		s, isStr := ref.(string)
		if !isStr || (s != "" && !isUUID(s)) {
			return invalidInput("imageRef", ref, pyRepr(ref)+" is not valid under any of the given schemas")
		}
		c.ImageRef = s
	}
	switch f := srv["flavorRef"].(type) {
	case string:
		if f == "" {
			return invalidInput("flavorRef", f, "'' should be non-empty")
		}
		c.FlavorRef = idFromHref(f)
	default:
		if n, isNum := f.(interface{ String() string }); isNum && !isBoolOrNil(f) {
			c.FlavorRef = n.String()
		} else {
			return invalidInput("flavorRef", f, pyRepr(f)+" is not of type 'string', 'integer'")
		}
	}
	if p, ok := srv["adminPass"]; ok {
		s, err := schemaString("adminPass", p, 0, 0)
		if err != nil {
			return err
		}
		c.AdminPass = &s
	}
	if m, ok := srv["metadata"]; ok {
		if c.Metadata, err = schemaMetadata("metadata", m); err != nil {
			return err
		}
	}
	if d, ok := srv["description"]; ok {
		if c.Description, err = schemaDescription("description", d); err != nil {
			return err
		}
	} else if !v.AtLeast(19) {
		c.Description = &c.Name // before 2.19 the description is the name
	}
	return nil
}

func isBoolOrNil(v any) bool {
	switch v.(type) {
	case bool, nil:
		return true
	}
	return false
}

// idFromHref is Nova's common.get_id_from_href: the last path segment.
func idFromHref(ref string) string {
	ref, _, _ = strings.Cut(ref, "?")
	ref = strings.TrimRight(ref, "/")
	if i := strings.LastIndex(ref, "/"); i >= 0 {
		return ref[i+1:]
	}
	return ref
}

func (c *createRequest) parseCounts(srv jsonObject, _ httpx.Microversion) error {
	var err error
	if m, ok := srv["min_count"]; ok {
		if c.MinCount, err = schemaInt("min_count", m, 1); err != nil {
			return err
		}
	}
	c.MaxCount = c.MinCount
	if m, ok := srv["max_count"]; ok {
		if c.MaxCount, err = schemaInt("max_count", m, 1); err != nil {
			return err
		}
	}
	if c.MinCount > c.MaxCount {
		return errs.BadRequestf("min_count must be <= max_count")
	}
	if r, ok := srv["return_reservation_id"]; ok {
		if c.ReturnReservationID, err = schemaBool("return_reservation_id", r); err != nil {
			return err
		}
	}
	return nil
}

// parseNetworks reads "networks": a list, or "auto"/"none" at 2.37+;
// before 2.37 an omitted list means auto.
func (c *createRequest) parseNetworks(srv jsonObject, v httpx.Microversion) error {
	raw, ok := srv["networks"]
	if !ok {
		c.NetworksMode = "auto"
		return nil
	}
	if s, isStr := raw.(string); isStr && v.AtLeast(37) {
		if s != "auto" && s != "none" {
			return invalidInput("networks", raw, pyRepr(raw)+" is not valid under any of the given schemas")
		}
		c.NetworksMode = s
		return nil
	}
	list, err := schemaArray("networks", raw)
	if err != nil {
		if v.AtLeast(37) {
			return invalidInput("networks", raw, pyRepr(raw)+" is not valid under any of the given schemas")
		}
		return err
	}
	keys := []string{"fixed_ip", "port", "uuid"}
	if v.AtLeast(32) {
		keys = append(keys, "tag")
	}
	var ports []string
	for _, item := range list {
		n, err := c.parseNetwork(item, keys, v, ports)
		if err != nil {
			return err
		}
		if n.PortID != "" {
			ports = append(ports, n.PortID)
		}
		c.Networks = append(c.Networks, n)
	}
	return nil
}

func (c *createRequest) parseNetwork(item any, keys []string, v httpx.Microversion, ports []string) (NetworkRequest, error) {
	var n NetworkRequest
	obj, ok := item.(jsonObject)
	if !ok {
		return n, invalidInput("networks", item, pyRepr(item)+" is not of type 'object'")
	}
	if err := onlyKeys("networks", obj, keys); err != nil {
		return n, err
	}
	if ip, ok := obj["fixed_ip"]; ok {
		s, err := schemaIP("fixed_ip", ip, "")
		if err != nil {
			return n, err
		}
		n.FixedIP = s
	}
	if p, ok := obj["port"]; ok && p != nil {
		s, err := schemaUUID("port", p)
		if err != nil {
			return n, invalidInput("port", p, pyRepr(p)+" is not valid under any of the given schemas")
		}
		n.PortID = s
	}
	if t, ok := obj["tag"]; ok {
		s, err := schemaTag("tag", t)
		if err != nil {
			return n, err
		}
		n.Tag = s
	}
	if n.PortID != "" {
		if slices.Contains(ports, n.PortID) {
			return n, errs.BadRequestf("Port ID '%s' was specified twice: you cannot attach a port multiple times.", n.PortID)
		}
		if n.FixedIP != "" {
			return n, errs.BadRequestf("Specified Fixed IP '%s' cannot be used with port '%s': the two cannot be specified together.", n.FixedIP, n.PortID)
		}
		return n, nil
	}
	id, ok := obj["uuid"]
	if !ok {
		return n, errs.BadRequestf("Bad network format: missing 'uuid'")
	}
	s, isStr := id.(string)
	if !isStr {
		return n, invalidInput("uuid", id, pyRepr(id)+" is not of type 'string'")
	}
	if !isUUID(s) {
		if v.AtLeast(37) {
			return n, invalidInput("uuid", id, pyRepr(id)+" is not a 'uuid'")
		}
		return n, errs.BadRequestf("Bad networks format: network uuid is not in proper format (%s)", s)
	}
	n.NetworkID = s
	return n, nil
}

// bdmKeys are the block_device_mapping_v2 item keys a microversion takes.
func bdmKeys(v httpx.Microversion) []string {
	keys := []string{"virtual_name", "volume_id", "snapshot_id", "volume_size", "device_name",
		"delete_on_termination", "no_device", "connection_info", "source_type", "uuid", "image_id",
		"destination_type", "guest_format", "device_type", "disk_bus", "boot_index"}
	if v.AtLeast(42) || (v.AtLeast(32) && !v.AtLeast(33)) {
		keys = append(keys, "tag")
	}
	if v.AtLeast(67) {
		keys = append(keys, "volume_type")
	}
	return keys
}

func (c *createRequest) parseBlockDevices(srv jsonObject, v httpx.Microversion) error {
	_, legacy := srv["block_device_mapping"]
	raw, ok := srv["block_device_mapping_v2"]
	if legacy && ok {
		return errs.BadRequestf("Using different block_device_mapping syntaxes is not allowed in the same request.")
	}
	if legacy {
		return errs.BadRequestf("Block Device Mapping is Invalid: volumes need the block storage service, which this cloud does not run.")
	}
	if !ok {
		return nil
	}
	list, err := schemaArray("block_device_mapping_v2", raw)
	if err != nil {
		return err
	}
	for _, item := range list {
		bd, err := parseBlockDevice(item, bdmKeys(v))
		if err != nil {
			return err
		}
		c.BlockDevices = append(c.BlockDevices, bd)
	}
	return nil
}

func parseBlockDevice(item any, keys []string) (blockDevice, error) {
	var bd blockDevice
	obj, ok := item.(jsonObject)
	if !ok {
		return bd, invalidInput("block_device_mapping_v2", item, pyRepr(item)+" is not of type 'object'")
	}
	if err := onlyKeys("block_device_mapping_v2", obj, keys); err != nil {
		return bd, err
	}
	str := func(k string) string { s, _ := obj[k].(string); return s }
	bd.SourceType, bd.DestinationType, bd.UUID = str("source_type"), str("destination_type"), str("uuid")
	bd.DeviceName, bd.DeviceType, bd.DiskBus, bd.GuestFormat = str("device_name"), str("device_type"), str("disk_bus"), str("guest_format")
	bd.Tag, bd.VolumeType = str("tag"), str("volume_type")
	if bd.UUID == "" {
		bd.UUID = str("image_id")
	}
	if d, ok := obj["delete_on_termination"]; ok {
		b, err := schemaBool("delete_on_termination", d)
		if err != nil {
			return bd, err
		}
		bd.DeleteOnTermination = b
	}
	if s, ok := obj["volume_size"]; ok && s != nil {
		n, err := schemaInt("volume_size", s, 1)
		if err != nil {
			return bd, err
		}
		bd.VolumeSize = n
	}
	if b, ok := obj["boot_index"]; ok && b != nil {
		n, err := parseBootIndex(b)
		if err != nil {
			return bd, err
		}
		bd.BootIndex = &n
	}
	return bd, checkBlockDevice(bd, obj)
}

func parseBootIndex(v any) (int, error) {
	s := pyStr(v)
	neg := strings.HasPrefix(s, "-")
	n, err := schemaInt("boot_index", strings.TrimPrefix(s, "-"), 0)
	if err != nil {
		return 0, invalidInput("boot_index", v, pyRepr(v)+" does not match '^-?[0-9]+$'")
	}
	if neg {
		n = -n
	}
	return n, nil
}

// checkBlockDevice accepts what this cloud can build: images to a local
// disk (or a volume-destined root, kept as a local disk) and blank local
// disks. Volumes and snapshots need block storage.
func checkBlockDevice(bd blockDevice, obj jsonObject) error {
	_, hasVolume := obj["volume_id"]
	_, hasSnapshot := obj["snapshot_id"]
	switch {
	case bd.SourceType == "volume" || bd.SourceType == "snapshot" || hasVolume || hasSnapshot:
		return errs.BadRequestf("Block Device Mapping is Invalid: %s sources need the block storage service, which this cloud does not run.",
			firstNonEmpty(bd.SourceType, "volume"))
	case bd.SourceType == "image":
		if bd.UUID == "" {
			return errs.BadRequestf("Block Device Mapping is Invalid: Missing device UUID.")
		}
	case bd.SourceType == "blank":
		if bd.DestinationType == "volume" {
			return errs.BadRequestf("Block Device Mapping is Invalid: blank volumes need the block storage service, which this cloud does not run.")
		}
	default:
		return errs.BadRequestf("Block Device Mapping is Invalid: Missing source_type field.")
	}
	if bd.DestinationType == "" {
		return nil
	}
	return nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func (c *createRequest) parseExtras(srv jsonObject, v httpx.Microversion) error {
	parsers := []func(jsonObject, httpx.Microversion) error{c.parseAccess, c.parsePlacementHints, c.parseGuestData}
	for _, p := range parsers {
		if err := p(srv, v); err != nil {
			return err
		}
	}
	return nil
}

func (c *createRequest) parseAccess(srv jsonObject, _ httpx.Microversion) error {
	if a, ok := srv["accessIPv4"]; ok {
		s, err := schemaIP("accessIPv4", a, "ipv4")
		if err != nil {
			return err
		}
		c.AccessIPv4 = &s
	}
	if a, ok := srv["accessIPv6"]; ok {
		s, err := schemaIP("accessIPv6", a, "ipv6")
		if err != nil {
			return err
		}
		c.AccessIPv6 = &s
	}
	c.DiskConfig = "MANUAL"
	if d, ok := srv["OS-DCF:diskConfig"]; ok {
		s, _ := d.(string)
		if s != "AUTO" && s != "MANUAL" {
			return invalidInput("OS-DCF:diskConfig", d, pyRepr(d)+" is not one of ['AUTO', 'MANUAL']")
		}
		c.DiskConfig = s
	}
	if sgs, ok := srv["security_groups"]; ok {
		list, err := schemaArray("security_groups", sgs)
		if err != nil {
			return err
		}
		for _, item := range list {
			obj, ok := item.(jsonObject)
			if !ok {
				return invalidInput("security_groups", item, pyRepr(item)+" is not of type 'object'")
			}
			if err := onlyKeys("security_groups", obj, []string{"name"}); err != nil {
				return err
			}
			if n, ok := obj["name"]; ok {
				name, err := schemaName("name", n)
				if err != nil {
					return err
				}
				if !slices.Contains(c.SecurityGroups, name) {
					c.SecurityGroups = append(c.SecurityGroups, name)
				}
			}
		}
	}
	return nil
}

func (c *createRequest) parsePlacementHints(srv jsonObject, _ httpx.Microversion) error {
	if az, ok := srv["availability_zone"]; ok {
		s, err := schemaName("availability_zone", az)
		if err != nil {
			return err
		}
		c.AvailabilityZone = s
	}
	for _, f := range []struct {
		key string
		dst *string
	}{{"host", &c.Host}, {"hypervisor_hostname", &c.HypervisorHost}} {
		raw, ok := srv[f.key]
		if !ok {
			continue
		}
		s, err := schemaString(f.key, raw, 1, 255)
		if err != nil {
			return err
		}
		if strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._") != "" {
			return invalidInput(f.key, raw, pyRepr(raw)+" does not match '^[a-zA-Z0-9-._]*$'")
		}
		*f.dst = s
	}
	return nil
}

func (c *createRequest) parseGuestData(srv jsonObject, _ httpx.Microversion) error {
	var err error
	if k, ok := srv["key_name"]; ok {
		s, err := schemaName("key_name", k)
		if err != nil {
			return err
		}
		c.KeyName = &s
	}
	if d, ok := srv["config_drive"]; ok {
		if c.ConfigDrive, err = schemaBool("config_drive", d); err != nil {
			return err
		}
	}
	if u, ok := srv["user_data"]; ok {
		s, err := schemaString("user_data", u, 0, 65535)
		if err != nil {
			return err
		}
		if _, err := base64.StdEncoding.DecodeString(s); err != nil {
			return invalidInput("user_data", u, pyRepr(u)+" is not a 'base64'")
		}
		c.UserData = &s
	}
	if t, ok := srv["tags"]; ok {
		list, err := schemaArray("tags", t)
		if err != nil {
			return err
		}
		if len(list) > maxTagsPerInstance {
			return invalidInput("tags", t, pyRepr(t)+" is too long")
		}
		for _, item := range list {
			tag, err := schemaTag("tags", item)
			if err != nil {
				return err
			}
			if !slices.Contains(c.Tags, tag) {
				c.Tags = append(c.Tags, tag)
			}
		}
	}
	if tc, ok := srv["trusted_image_certificates"]; ok && tc != nil {
		if c.TrustedCerts, err = parseTrustedCerts(tc); err != nil {
			return err
		}
	}
	return nil
}

// parseTrustedCerts checks parameter_types.trusted_certs.
func parseTrustedCerts(tc any) ([]string, error) {
	list, err := schemaArray("trusted_image_certificates", tc)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, invalidInput("trusted_image_certificates", tc, "[] is too short")
	}
	if len(list) > 50 {
		return nil, invalidInput("trusted_image_certificates", tc, pyRepr(tc)+" is too long")
	}
	var out []string
	for _, item := range list {
		s, err := schemaString("trusted_image_certificates", item, 1, 0)
		if err != nil {
			return nil, err
		}
		if slices.Contains(out, s) {
			return nil, invalidInput("trusted_image_certificates", tc, pyRepr(tc)+" has non-unique elements")
		}
		out = append(out, s)
	}
	return out, nil
}

// parseHints reads os:scheduler_hints (or the old OS-SCH-HNT name).
func parseHints(body jsonObject) (jsonObject, error) {
	raw, ok := body["os:scheduler_hints"]
	if !ok {
		raw, ok = body["OS-SCH-HNT:scheduler_hints"]
	}
	if !ok {
		return jsonObject{}, nil
	}
	hints, isObj := raw.(jsonObject)
	if !isObj {
		return nil, invalidInput("os:scheduler_hints", raw, pyRepr(raw)+" is not of type 'object'")
	}
	if g, ok := hints["group"]; ok {
		if _, err := schemaUUID("group", g); err != nil {
			return nil, err
		}
	}
	for _, k := range []string{"same_host", "different_host"} {
		if _, err := hintUUIDs(hints, k); err != nil {
			return nil, err
		}
	}
	return hints, nil
}

// hintUUIDs reads a same_host/different_host hint: a uuid or a list.
func hintUUIDs(hints jsonObject, key string) ([]string, error) {
	raw, ok := hints[key]
	if !ok {
		return nil, nil
	}
	if s, isStr := raw.(string); isStr {
		if !isUUID(s) {
			return nil, invalidInput(key, raw, pyRepr(raw)+" is not a 'uuid'")
		}
		return []string{s}, nil
	}
	list, err := schemaArray(key, raw)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(list))
	for _, item := range list {
		s, err := schemaUUID(key, item)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}
