package compute

import (
	"context"
	"crypto/rand"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

const gib = int64(1) << 30

// bootPlan is what a create request resolves to before anything is
// written.
type bootPlan struct {
	req           *createRequest
	image         *ImageMeta // nil when booted from a volume-destined root
	imageID       string
	volumeBacked  bool
	az            string
	forceHost     string
	forceNode     string
	password      string
	sameHost      []string
	differentHost []string
	group         string
}

// createServer is POST /servers.
func (s *Service) createServer(w http.ResponseWriter, r *http.Request) error {
	body, err := decodeObject(r)
	if err != nil {
		return err
	}
	req, err := parseCreate(body, version(r))
	if err != nil {
		return err
	}
	plan, err := s.planBoot(r, req)
	if err != nil {
		return err
	}
	insts, err := s.writeBoot(r, plan)
	if err != nil {
		return err
	}
	uuids := make([]string, len(insts))
	for i, inst := range insts {
		uuids[i] = inst.UUID
	}
	if err := s.castBuild(r.Context(), uuids); err != nil {
		s.log.Error("cast build", "instances", uuids, "err", err)
	}
	if req.ReturnReservationID {
		return httpx.WriteJSON(w, http.StatusAccepted, map[string]any{"reservation_id": insts[0].ReservationID})
	}
	return s.writeCreated(w, r, insts[0], plan)
}

// writeCreated is the 202 body: id, links, disk config, security groups
// and the admin password.
func (s *Service) writeCreated(w http.ResponseWriter, r *http.Request, inst *instance, plan *bootPlan) error {
	sgs := make([]map[string]string, 0, len(inst.SecurityGroups))
	for _, g := range inst.SecurityGroups {
		sgs = append(sgs, map[string]string{"name": g})
	}
	srv := map[string]any{"id": inst.UUID, "links": s.serverLinks(r, inst.UUID),
		"OS-DCF:diskConfig": plan.req.DiskConfig, "security_groups": sgs, "adminPass": plan.password}
	w.Header().Set("Location", s.baseURL(r)+"/v2.1/servers/"+inst.UUID)
	return httpx.WriteJSON(w, http.StatusAccepted, map[string]any{"server": srv})
}

// planBoot runs the policy checks and the checks that need other
// services (image, network), as Nova does before its database work.
func (s *Service) planBoot(r *http.Request, req *createRequest) (*bootPlan, error) {
	plan := &bootPlan{req: req}
	if err := s.authorizeBoot(r, req, plan); err != nil {
		return nil, err
	}
	if err := plan.resolveImageRef(); err != nil {
		return nil, err
	}
	if err := s.checkBootNetworks(r, req); err != nil {
		return nil, err
	}
	if plan.imageID != "" {
		img, err := s.bootImage(r.Context(), projectOf(r), s.isAdmin(r), plan.imageID)
		if err != nil {
			return nil, err
		}
		plan.image = img
	}
	if req.AdminPass != nil {
		plan.password = *req.AdminPass
	} else {
		plan.password = generatePassword()
	}
	var err error
	if plan.sameHost, err = hintUUIDs(req.Hints, "same_host"); err != nil {
		return nil, err
	}
	if plan.differentHost, err = hintUUIDs(req.Hints, "different_host"); err != nil {
		return nil, err
	}
	plan.group, _ = req.Hints["group"].(string)
	return plan, nil
}

// authorizeBoot applies the create policies and parses the zone.
func (s *Service) authorizeBoot(r *http.Request, req *createRequest, plan *bootPlan) error {
	target := callerTarget(r)
	target["availability_zone"] = req.AvailabilityZone
	if err := s.enforce(r, "os_compute_api:servers:create", target); err != nil {
		return err
	}
	if len(req.TrustedCerts) > 0 {
		if err := s.enforce(r, "os_compute_api:servers:create:trusted_certs", target); err != nil {
			return err
		}
	}
	az, host, node, err := parseAvailabilityZone(req.AvailabilityZone)
	if err != nil {
		return err
	}
	plan.az, plan.forceHost, plan.forceNode = az, host, node
	if host != "" || node != "" {
		if err := s.enforce(r, "os_compute_api:servers:create:forced_host", target); err != nil {
			return err
		}
	}
	if req.Host != "" || req.HypervisorHost != "" {
		if err := s.enforce(r, "compute:servers:create:requested_destination", target); err != nil {
			return err
		}
		if host != "" || node != "" {
			return errs.BadRequestf("One mechanism with host and/or hypervisor_hostname and another mechanism with zone:host:node are mutually exclusive.")
		}
	}
	if len(req.BlockDevices) > 0 {
		if err := s.enforce(r, "os_compute_api:servers:create:attach_volume", target); err != nil {
			return err
		}
	}
	if len(req.Networks) > 0 {
		return s.enforce(r, "os_compute_api:servers:create:attach_network", target)
	}
	return nil
}

// parseAvailabilityZone splits Nova's "az", "az:host", "az:host:node" and
// "az::node".
func parseAvailabilityZone(az string) (zone, host, node string, err error) {
	switch strings.Count(az, ":") {
	case 0:
		return az, "", "", nil
	case 1:
		zone, host, _ = strings.Cut(az, ":")
		return zone, host, "", nil
	case 2:
		if z, n, ok := strings.Cut(az, "::"); ok {
			return z, "", n, nil
		}
		parts := strings.Split(az, ":")
		return parts[0], parts[1], parts[2], nil
	}
	return "", "", "", errs.BadRequestf("Invalid input received: Unable to parse availability_zone")
}

// resolveImageRef finds the boot image: imageRef, or the image of the
// boot_index 0 block device.
func (p *bootPlan) resolveImageRef() error {
	p.imageID = p.req.ImageRef
	for _, bd := range p.req.BlockDevices {
		if bd.BootIndex == nil || *bd.BootIndex != 0 {
			continue
		}
		if bd.SourceType == "image" {
			if p.imageID == "" {
				p.imageID = bd.UUID
			}
			p.volumeBacked = bd.DestinationType == "volume"
		}
	}
	if p.imageID == "" {
		if len(p.req.BlockDevices) > 0 {
			return errs.BadRequestf("Block Device Mapping is Invalid: Boot sequence for the instance and image/block device mapping combination is not valid.")
		}
		return errs.BadRequestf("Missing imageRef attribute")
	}
	return nil
}

// checkBootNetworks applies multi-create rules and asks the network
// service whether the requested networks exist.
func (s *Service) checkBootNetworks(r *http.Request, req *createRequest) error {
	if req.MaxCount > 1 {
		for _, n := range req.Networks {
			if n.NetworkID != "" && n.FixedIP != "" {
				return errs.BadRequestf("Failed to launch instances: max_count cannot be greater than 1 if an fixed_ip is specified.")
			}
			if n.PortID != "" {
				return errs.BadRequestf("Unable to launch multiple instances with a single configured port ID. Please launch your instance one by one with different ports.")
			}
		}
	}
	if len(req.Networks) == 0 {
		return nil
	}
	return s.opts.Network.Validate(r.Context(), projectOf(r), req.Networks)
}

// bootImage loads an image the caller may boot: it must exist and be
// active.
func (s *Service) bootImage(ctx context.Context, project string, admin bool, id string) (*ImageMeta, error) {
	if s.opts.Images == nil {
		return nil, errs.BadRequestf("Can not find requested image")
	}
	img, err := s.opts.Images.Image(ctx, project, admin, id)
	if errs.Is(err, errs.NotFound) || errs.Is(err, errs.Forbidden) {
		return nil, errs.BadRequestf("Can not find requested image")
	}
	if err != nil {
		return nil, err
	}
	if img.Status != "active" {
		return nil, errs.BadRequestf("Image %s is not active.", id)
	}
	return img, nil
}

// checkFlavorFitsImage is Nova's _validate_flavor_image_nostatus.
func (s *Service) checkFlavorFitsImage(r *http.Request, f *computerpc.Flavor, img *ImageMeta, volumeBacked bool) error {
	if img == nil {
		return nil
	}
	if f.MemoryMB < img.MinRAMMB {
		return errs.BadRequestf("Flavor's memory is too small for requested image.")
	}
	if volumeBacked {
		return nil
	}
	dest := int64(f.RootGB) * gib
	if dest == 0 {
		if !s.policy.Check("os_compute_api:servers:create:zero_disk_flavor", creds(r), callerTarget(r)) {
			return errs.Forbiddenf("Only volume-backed servers are allowed for flavors with zero disk.")
		}
		return nil
	}
	if img.Size > dest {
		return errs.BadRequestf("Flavor's disk is too small for requested image. Flavor disk is %d bytes, image is %d bytes.", dest, img.Size)
	}
	if minDisk := int64(img.MinDiskGB) * gib; minDisk > dest {
		return errs.BadRequestf("Flavor's disk is smaller than the minimum size specified in image metadata. Flavor disk is %d bytes, minimum size is %d bytes.", dest, minDisk)
	}
	return nil
}

// writeBoot does the database part of a create: the remaining checks,
// then the instance rows, all in one transaction.
func (s *Service) writeBoot(r *http.Request, plan *bootPlan) ([]*instance, error) {
	var out []*instance
	tok := caller(r)
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		out = nil
		flavor, err := flavorForBoot(tx, plan.req.FlavorRef, tok.ProjectID(), s.isAdmin(r))
		if err != nil {
			return err
		}
		if err := s.checkFlavorFitsImage(r, flavor, plan.image, plan.volumeBacked); err != nil {
			return err
		}
		keyData, err := s.bootKey(tx, tok.UserID, plan.req.KeyName)
		if err != nil {
			return err
		}
		if err := s.checkBootInTx(tx, r, plan); err != nil {
			return err
		}
		n := plan.req.MaxCount
		if err := checkInstanceQuota(tx, tok.ProjectID(), tok.UserID, n, n*flavor.VCPUs, n*flavor.MemoryMB); err != nil {
			return err
		}
		out, err = s.insertBoot(tx, r, plan, flavor, keyData)
		return err
	})
	return out, err
}

func (s *Service) bootKey(tx *db.Tx, userID string, name *string) (*string, error) {
	if name == nil {
		return nil, nil
	}
	key, err := keypairForBoot(tx, userID, *name)
	if errs.Is(err, errs.NotFound) {
		return nil, errs.BadRequestf("Invalid key_name provided.")
	}
	if err != nil {
		return nil, err
	}
	return &key, nil
}

// checkBootInTx checks what lives in compute's own tables: zone, metadata
// quota, server group and hinted instances.
func (s *Service) checkBootInTx(tx *db.Tx, r *http.Request, plan *bootPlan) error {
	if plan.az != "" && plan.forceHost == "" {
		ok, err := s.zoneAvailable(tx, plan.az)
		if err != nil {
			return err
		}
		if !ok {
			return errs.BadRequestf("The requested availability zone is not available")
		}
	}
	if err := checkMetadataQuota(tx, projectOf(r), len(plan.req.Metadata)); err != nil {
		return err
	}
	for _, id := range append(append([]string{}, plan.sameHost...), plan.differentHost...) {
		if _, err := loadLiveInstance(tx, id); err != nil {
			return errs.BadRequestf("Instance %s could not be found.", id)
		}
	}
	if plan.group == "" {
		return nil
	}
	g, err := loadServerGroup(tx, plan.group)
	if err != nil {
		return errs.BadRequestf("Instance group %s could not be found.", plan.group)
	}
	return checkGroupMemberQuota(tx, g, plan.req.MaxCount)
}

// insertBoot writes the instances, their block devices, group
// membership and "create" actions.
func (s *Service) insertBoot(tx *db.Tx, r *http.Request, plan *bootPlan, flavor *computerpc.Flavor, keyData *string) ([]*instance, error) {
	now := s.now().UnixMicro()
	resID := "r-" + strings.ReplaceAll(s.newID(), "-", "")[:8]
	tok := caller(r)
	var out []*instance
	for idx := 0; idx < plan.req.MaxCount; idx++ {
		inst := s.newInstance(plan, flavor, keyData, idx, resID, now)
		inst.ProjectID, inst.UserID = tok.ProjectID(), tok.UserID
		if err := insertInstance(tx, inst); err != nil {
			return nil, err
		}
		if err := insertBlockDevices(tx, inst.UUID, plan); err != nil {
			return nil, err
		}
		if plan.group != "" {
			if _, err := tx.Exec(`INSERT INTO compute_server_group_members (group_uuid, instance_uuid) VALUES (?, ?)`,
				plan.group, inst.UUID); err != nil {
				return nil, err
			}
		}
		if _, err := recordAction(tx, inst.UUID, "create", httpx.RequestID(r.Context()), inst.ProjectID, inst.UserID, now); err != nil {
			return nil, err
		}
		out = append(out, inst)
	}
	return out, nil
}

// newInstance builds the idx-th instance row of a create.
func (s *Service) newInstance(plan *bootPlan, flavor *computerpc.Flavor, keyData *string, idx int, resID string, now int64) *instance {
	req := plan.req
	inst := &instance{UUID: s.newID(), DisplayName: req.Name, Description: req.Description,
		FlavorID: flavor.ID, Flavor: *flavor, VMState: vmBuilding, TaskState: ptr(taskScheduling),
		KeyName: req.KeyName, KeyData: keyData, UserData: req.UserData, AccessIPv4: req.AccessIPv4,
		AccessIPv6: req.AccessIPv6, LaunchIndex: idx, ReservationID: resID, CreatedAt: now, UpdatedAt: now,
		Metadata: req.Metadata, Tags: req.Tags, SecurityGroups: req.SecurityGroups}
	if !plan.volumeBacked {
		inst.ImageRef = plan.imageID
	}
	if req.ConfigDrive {
		inst.ConfigDrive = "True"
	}
	if plan.az != "" {
		inst.AvailabilityZone = ptr(plan.az)
	}
	if len(inst.SecurityGroups) == 0 {
		inst.SecurityGroups = []string{"default"}
	}
	inst.Hostname = sanitizeHostname(req.Name)
	if inst.Hostname == "" {
		inst.Hostname = "Server-" + inst.UUID
	} else if req.MaxCount > 1 {
		inst.Hostname += "-" + strconv.Itoa(idx+1)
	}
	if req.MaxCount > 1 {
		inst.DisplayName += "-" + strconv.Itoa(idx+1)
	}
	inst.SystemMetadata = bootSystemMetadata(plan)
	inst.Requested = s.bootRequestSpec(plan)
	return inst
}

// bootSystemMetadata keeps image properties and API choices the views
// show later (Nova's instance system_metadata).
func bootSystemMetadata(plan *bootPlan) map[string]string {
	sm := map[string]string{"auto_disk_config": strconv.FormatBool(plan.req.DiskConfig == "AUTO")}
	if img := plan.image; img != nil {
		sm["image_base_image_ref"] = img.ID
		sm["image_min_disk"] = strconv.Itoa(img.MinDiskGB)
		sm["image_min_ram"] = strconv.Itoa(img.MinRAMMB)
		sm["image_disk_format"] = img.DiskFormat
		sm["image_container_format"] = img.ContainerFormat
		for k, v := range img.Properties {
			sm["image_"+k] = v
		}
	}
	if len(plan.req.TrustedCerts) > 0 {
		sm[trustedCertsKey] = strings.Join(plan.req.TrustedCerts, "\n")
	}
	return sm
}

// trustedCertsKey holds the 2.63 trusted certificate ids, one a line.
const trustedCertsKey = "trusted_image_certificates"

func (s *Service) bootRequestSpec(plan *bootPlan) requestSpec {
	req := plan.req
	hints := map[string]any{}
	for k, v := range req.Hints {
		if !strings.HasPrefix(k, "_nova") {
			hints[k] = v
		}
	}
	if req.Host != "" {
		hints["requested_host"] = req.Host
	}
	if req.HypervisorHost != "" {
		hints["requested_hypervisor_hostname"] = req.HypervisorHost
	}
	spec := requestSpec{NumInstances: req.MaxCount, ImageID: plan.imageID, AvailabilityZone: plan.az,
		ForceHost: plan.forceHost, ForceNode: plan.forceNode, Networks: req.Networks, NetworksMode: req.NetworksMode,
		GroupUUID: plan.group, SameHost: plan.sameHost, DifferentHost: plan.differentHost, Hints: hints,
		BlockDevices: req.BlockDevices, AdminPassword: plan.password}
	if plan.image != nil {
		spec.ImageProperties = plan.image.Properties
	}
	return spec
}

// insertBlockDevices records the block device mappings: those asked for,
// or the image root disk Nova adds for an image boot.
func insertBlockDevices(tx *db.Tx, uuid string, plan *bootPlan) error {
	bds := plan.req.BlockDevices
	if len(bds) == 0 {
		bds = []blockDevice{{BootIndex: ptr(0), SourceType: "image", DestinationType: "local", UUID: plan.imageID,
			DeleteOnTermination: true}}
	}
	for _, bd := range bds {
		id, err := nextCounter(tx, "bdm")
		if err != nil {
			return err
		}
		var imageID *string
		if bd.SourceType == "image" {
			imageID = &bd.UUID
		}
		dest := bd.DestinationType
		if dest == "" {
			dest = "local"
		}
		if _, err := tx.Exec(`INSERT INTO compute_block_device_mappings (id, instance_uuid, boot_index, source_type,
			destination_type, image_id, volume_size, device_name, device_type, disk_bus, guest_format,
			delete_on_termination, tag, volume_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, uuid, bd.BootIndex, bd.SourceType, dest, imageID, nullIfZero(bd.VolumeSize), nullIfEmpty(bd.DeviceName),
			nullIfEmpty(bd.DeviceType), nullIfEmpty(bd.DiskBus), nullIfEmpty(bd.GuestFormat), bd.DeleteOnTermination,
			nullIfEmpty(bd.Tag), nullIfEmpty(bd.VolumeType)); err != nil {
			return err
		}
	}
	return nil
}

func nullIfZero(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

var (
	hostnameSeparators = regexp.MustCompile(`[ _.]`)
	hostnameInvalid    = regexp.MustCompile(`[^\w.-]+`)
)

// sanitizeHostname is Nova's utils.sanitize_hostname.
func sanitizeHostname(name string) string {
	var b strings.Builder
	for _, c := range name {
		if c <= 0xff {
			b.WriteRune(c)
		}
	}
	h := []rune(b.String())
	if len(h) > 63 {
		h = h[:63]
	}
	out := hostnameSeparators.ReplaceAllString(string(h), "-")
	out = hostnameInvalid.ReplaceAllString(out, "")
	return strings.Trim(strings.ToLower(out), ".-")
}

// generatePassword is Nova's generate_password: 12 characters without
// look-alikes.
func generatePassword() string {
	const symbols = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = symbols[int(b[i])%len(symbols)]
	}
	return string(b)
}

// zoneAvailable says whether a requested availability zone exists: the
// default zone, or one an aggregate names.
func (s *Service) zoneAvailable(tx *db.Tx, az string) (bool, error) {
	if az == s.opts.DefaultAZ {
		return true, nil
	}
	return aggregateZoneExists(tx, az)
}
