package compute

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/httpx"
)

// serverTime is Nova's utils.isotime: "2012-08-20T21:11:09Z".
func serverTime(us int64) string {
	return time.UnixMicro(us).UTC().Format("2006-01-02T15:04:05Z")
}

// microTime is how Nova serializes a bare datetime: with microseconds, no
// zone ("2012-08-20T21:11:09.000000").
func microTime(us int64) string {
	return time.UnixMicro(us).UTC().Format("2006-01-02T15:04:05.000000")
}

func microTimeOrNil(us *int64) any {
	if us == nil {
		return nil
	}
	return microTime(*us)
}

// viewCtx is what every server in one response is shown with.
type viewCtx struct {
	r          *http.Request
	v          httpx.Microversion
	base       string
	admin      bool // context.is_admin: fault details
	extended   bool // os-extended-server-attributes
	extraSpecs bool // 2.47 flavor extra_specs
	hostStatus bool // 2.16 host_status
	netNames   map[string]string
}

// newViewCtx evaluates the view policies once for a response.
func (s *Service) newViewCtx(r *http.Request, target map[string]any) *viewCtx {
	c := creds(r)
	vc := &viewCtx{r: r, v: version(r), base: s.baseURL(r), admin: s.isAdmin(r)}
	vc.extended = s.policy.Check("os_compute_api:os-extended-server-attributes", c, target)
	vc.extraSpecs = vc.v.AtLeast(47) && s.policy.Check("os_compute_api:servers:show:flavor-extra-specs", c, target)
	vc.hostStatus = vc.v.AtLeast(16) && s.policy.Check("os_compute_api:servers:show:host_status", c, target)
	vc.netNames = s.networkNames(r.Context(), projectOf(r))
	return vc
}

// networkNames maps network ids to the labels addresses are listed under.
func (s *Service) networkNames(ctx context.Context, project string) map[string]string {
	out := map[string]string{}
	nets, err := s.opts.Network.Networks(ctx, project)
	if err != nil {
		return out
	}
	for _, n := range nets {
		out[n.ID] = firstNonEmpty(n.Label, n.Name)
	}
	return out
}

// serverLinks are a server's self and bookmark links.
func (s *Service) serverLinks(r *http.Request, id string) []map[string]string {
	return linksFor(s.baseURL(r), "servers", id)
}

func linksFor(base, collection, id string) []map[string]string {
	return []map[string]string{
		{"rel": "self", "href": base + "/v2.1/" + collection + "/" + id},
		{"rel": "bookmark", "href": base + "/" + collection + "/" + id}}
}

func bookmark(base, collection, id string) []map[string]string {
	return []map[string]string{{"rel": "bookmark", "href": base + "/" + collection + "/" + id}}
}

// serverBrief is the GET /servers entry.
func (vc *viewCtx) serverBrief(i *instance) map[string]any {
	return map[string]any{"id": i.UUID, "name": i.DisplayName, "links": linksFor(vc.base, "servers", i.UUID)}
}

// serverExtras are the joined rows a detailed server shows.
type serverExtras struct {
	fault      *instanceFault
	groups     []string // 2.71 show
	showGroups bool
	hostStatus string
}

var progressStatuses = map[string]bool{"ACTIVE": true, "BUILD": true, "REBUILD": true, "RESIZE": true,
	"VERIFY_RESIZE": true, "MIGRATING": true}

// serverDetail is the detailed view of one server at vc's microversion.
func (vc *viewCtx) serverDetail(i *instance, x serverExtras) map[string]any {
	status := i.status()
	if i.Deleted {
		status = "DELETED"
	}
	srv := map[string]any{"id": i.UUID, "name": i.DisplayName, "status": status, "tenant_id": i.ProjectID,
		"user_id": i.UserID, "metadata": nonNilMap(i.Metadata), "hostId": hostID(i.ProjectID, deref(i.Host)),
		"image": vc.imageRef(i), "flavor": vc.flavorView(i), "created": serverTime(i.CreatedAt),
		"updated": serverTime(i.UpdatedAt), "addresses": vc.addresses(i), "accessIPv4": deref(i.AccessIPv4),
		"accessIPv6": deref(i.AccessIPv6), "links": linksFor(vc.base, "servers", i.UUID),
		"OS-DCF:diskConfig": diskConfigOf(i), "OS-EXT-AZ:availability_zone": deref(i.AvailabilityZone),
		"config_drive": i.ConfigDrive, "key_name": i.KeyName,
		"OS-SRV-USG:launched_at": microTimeOrNil(i.LaunchedAt), "OS-SRV-USG:terminated_at": microTimeOrNil(i.TerminatedAt),
		"OS-EXT-STS:task_state": i.TaskState, "OS-EXT-STS:vm_state": i.VMState, "OS-EXT-STS:power_state": i.PowerState,
		"os-extended-volumes:volumes_attached": vc.volumesAttached(i)}
	if (status == "ERROR" || status == "DELETED") && x.fault != nil {
		srv["fault"] = x.fault.view(vc.admin)
	}
	if progressStatuses[status] {
		srv["progress"] = i.Progress
	}
	if len(i.SecurityGroups) > 0 {
		sgs := make([]map[string]string, len(i.SecurityGroups))
		for n, g := range i.SecurityGroups {
			sgs[n] = map[string]string{"name": g}
		}
		srv["security_groups"] = sgs
	}
	if vc.extended {
		vc.addExtendedAttrs(srv, i)
	}
	vc.addVersioned(srv, i, x)
	return srv
}

// addExtendedAttrs adds OS-EXT-SRV-ATTR:* (admins by default).
func (vc *viewCtx) addExtendedAttrs(srv map[string]any, i *instance) {
	srv["OS-EXT-SRV-ATTR:host"] = i.Host
	srv["OS-EXT-SRV-ATTR:instance_name"] = i.guestName()
	srv["OS-EXT-SRV-ATTR:hypervisor_hostname"] = i.Node
	if vc.v.AtLeast(3) {
		srv["OS-EXT-SRV-ATTR:reservation_id"] = i.ReservationID
		srv["OS-EXT-SRV-ATTR:launch_index"] = i.LaunchIndex
		srv["OS-EXT-SRV-ATTR:hostname"] = i.Hostname
		srv["OS-EXT-SRV-ATTR:kernel_id"] = ""
		srv["OS-EXT-SRV-ATTR:ramdisk_id"] = ""
		srv["OS-EXT-SRV-ATTR:root_device_name"] = i.RootDeviceName
		srv["OS-EXT-SRV-ATTR:user_data"] = i.UserData
	}
}

// addVersioned adds the fields later microversions brought.
func (vc *viewCtx) addVersioned(srv map[string]any, i *instance, x serverExtras) {
	v := vc.v
	if vc.hostStatus {
		srv["host_status"] = x.hostStatus
	}
	if v.AtLeast(9) {
		srv["locked"] = i.Locked
	}
	if v.AtLeast(73) {
		srv["locked_reason"] = i.LockedReason
	}
	if v.AtLeast(19) {
		srv["description"] = i.Description
	}
	if v.AtLeast(26) {
		srv["tags"] = nonNil(i.Tags)
	}
	if v.AtLeast(63) {
		srv["trusted_image_certificates"] = trustedCertsOf(i)
	}
	if x.showGroups {
		srv["server_groups"] = nonNil(x.groups)
	}
}

func trustedCertsOf(i *instance) any {
	raw := i.SystemMetadata[trustedCertsKey]
	if raw == "" {
		return nil
	}
	return strings.Split(raw, "\n")
}

func diskConfigOf(i *instance) string {
	if i.SystemMetadata["auto_disk_config"] == "true" {
		return "AUTO"
	}
	return "MANUAL"
}

// hostID is Nova's generate_hostid: sha224 of project and host.
func hostID(project, host string) string {
	if host == "" {
		return ""
	}
	sum := sha256.Sum224([]byte(project + host))
	return hex.EncodeToString(sum[:])
}

func (vc *viewCtx) imageRef(i *instance) any {
	if i.ImageRef == "" {
		return ""
	}
	return map[string]any{"id": i.ImageRef, "links": bookmark(vc.base, "images", i.ImageRef)}
}

// flavorView is the flavor id and link, or at 2.47+ the embedded flavor.
func (vc *viewCtx) flavorView(i *instance) map[string]any {
	f := i.Flavor
	if !vc.v.AtLeast(47) {
		return map[string]any{"id": i.FlavorID, "links": bookmark(vc.base, "flavors", i.FlavorID)}
	}
	out := map[string]any{"vcpus": f.VCPUs, "ram": f.MemoryMB, "disk": f.RootGB, "ephemeral": f.EphemeralGB,
		"swap": f.SwapMB, "original_name": f.Name}
	if vc.extraSpecs {
		out["extra_specs"] = nonNilMap(f.ExtraSpecs)
	}
	return out
}

func (vc *viewCtx) volumesAttached(*instance) []map[string]any {
	// Volumes need the block storage service; none are attached yet.
	return []map[string]any{}
}

// addresses groups the instance's fixed IPs by network label; a building
// instance shows none.
func (vc *viewCtx) addresses(i *instance) map[string][]map[string]any {
	out := map[string][]map[string]any{}
	if i.VMState == vmBuilding {
		return out
	}
	for _, nic := range i.NetworkInfo {
		label := firstNonEmpty(vc.netNames[nic.NetworkID], nic.NetworkID)
		for _, ip := range nic.IPs {
			out[label] = append(out[label], addressEntry(nic, ip, "fixed"))
			for _, f := range nic.FloatingIPs {
				if f.FixedIP == ip {
					out[label] = append(out[label], addressEntry(nic, f.Address, "floating"))
				}
			}
		}
	}
	return out
}

func addressEntry(nic computerpc.NIC, ip, kind string) map[string]any {
	ver := 4
	if strings.Contains(ip, ":") {
		ver = 6
	}
	return map[string]any{"version": ver, "addr": ip, "OS-EXT-IPS:type": kind, "OS-EXT-IPS-MAC:mac_addr": nic.MAC}
}

// collectionLinks is Nova's servers_links: a "next" link when the page
// is full.
func collectionLinks(r *http.Request, base, path string, n, limit int, lastID string) []map[string]string {
	if limit == 0 || n != limit {
		return nil
	}
	q := url.Values{}
	for k, v := range r.URL.Query() {
		q[k] = v
	}
	q.Set("marker", lastID)
	return []map[string]string{{"rel": "next", "href": base + path + "?" + q.Encode()}}
}
