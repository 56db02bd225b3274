package compute

// vm_state values (nova.compute.vm_states).
const (
	vmActive           = "active"
	vmBuilding         = "building"
	vmPaused           = "paused"
	vmSuspended        = "suspended"
	vmStopped          = "stopped"
	vmRescued          = "rescued"
	vmResized          = "resized"
	vmSoftDeleted      = "soft-delete"
	vmDeleted          = "deleted"
	vmError            = "error"
	vmShelved          = "shelved"
	vmShelvedOffloaded = "shelved_offloaded"
)

// task_state values (nova.compute.task_states) this service uses.
const (
	taskScheduling                 = "scheduling"
	taskBlockDeviceMapping         = "block_device_mapping"
	taskNetworking                 = "networking"
	taskSpawning                   = "spawning"
	taskImageSnapshot              = "image_snapshot"
	taskImageSnapshotPending       = "image_snapshot_pending"
	taskImagePendingUpload         = "image_pending_upload"
	taskImageUploading             = "image_uploading"
	taskUpdatingPassword           = "updating_password"
	taskResizePrep                 = "resize_prep"
	taskResizeMigrating            = "resize_migrating"
	taskResizeMigrated             = "resize_migrated"
	taskResizeFinish               = "resize_finish"
	taskResizeReverting            = "resize_reverting"
	taskResizeConfirming           = "resize_confirming"
	taskRebooting                  = "rebooting"
	taskRebootPending              = "reboot_pending"
	taskRebootStarted              = "reboot_started"
	taskRebootingHard              = "rebooting_hard"
	taskRebootPendingHard          = "reboot_pending_hard"
	taskRebootStartedHard          = "reboot_started_hard"
	taskPausing                    = "pausing"
	taskUnpausing                  = "unpausing"
	taskSuspending                 = "suspending"
	taskResuming                   = "resuming"
	taskPoweringOff                = "powering-off"
	taskPoweringOn                 = "powering-on"
	taskRescuing                   = "rescuing"
	taskUnrescuing                 = "unrescuing"
	taskRebuilding                 = "rebuilding"
	taskRebuildBDM                 = "rebuild_block_device_mapping"
	taskRebuildSpawning            = "rebuild_spawning"
	taskMigrating                  = "migrating"
	taskDeleting                   = "deleting"
	taskSoftDeleting               = "soft-deleting"
	taskRestoring                  = "restoring"
	taskShelving                   = "shelving"
	taskShelvingImagePendingUpload = "shelving_image_pending_upload"
	taskShelvingImageUploading     = "shelving_image_uploading"
	taskShelvingOffloading         = "shelving_offloading"
	taskUnshelving                 = "unshelving"
)

// statusMap is Nova's _STATE_MAP: the API status of a vm_state, by
// task_state ("" is the default).
var statusMap = map[string]map[string]string{
	vmActive: {"": "ACTIVE",
		taskRebooting: "REBOOT", taskRebootPending: "REBOOT", taskRebootStarted: "REBOOT",
		taskRebootingHard: "HARD_REBOOT", taskRebootPendingHard: "HARD_REBOOT", taskRebootStartedHard: "HARD_REBOOT",
		taskUpdatingPassword: "PASSWORD",
		taskRebuilding:       "REBUILD", taskRebuildBDM: "REBUILD", taskRebuildSpawning: "REBUILD",
		taskMigrating:  "MIGRATING",
		taskResizePrep: "RESIZE", taskResizeMigrating: "RESIZE", taskResizeMigrated: "RESIZE", taskResizeFinish: "RESIZE"},
	vmBuilding: {"": "BUILD"},
	vmStopped: {"": "SHUTOFF",
		taskResizePrep: "RESIZE", taskResizeMigrating: "RESIZE", taskResizeMigrated: "RESIZE", taskResizeFinish: "RESIZE",
		taskRebuilding: "REBUILD", taskRebuildBDM: "REBUILD", taskRebuildSpawning: "REBUILD"},
	vmResized:          {"": "VERIFY_RESIZE", taskResizeReverting: "REVERT_RESIZE"},
	vmPaused:           {"": "PAUSED", taskMigrating: "MIGRATING"},
	vmSuspended:        {"": "SUSPENDED"},
	vmRescued:          {"": "RESCUE"},
	vmError:            {"": "ERROR", taskRebuilding: "REBUILD", taskRebuildBDM: "REBUILD", taskRebuildSpawning: "REBUILD"},
	vmDeleted:          {"": "DELETED"},
	vmSoftDeleted:      {"": "SOFT_DELETED"},
	vmShelved:          {"": "SHELVED"},
	vmShelvedOffloaded: {"": "SHELVED_OFFLOADED"},
}

// statusOf is the API status of a vm_state and task_state.
func statusOf(vmState, taskState string) string {
	m, ok := statusMap[vmState]
	if !ok {
		return "UNKNOWN"
	}
	if s, ok := m[taskState]; ok {
		return s
	}
	return m[""]
}

// statesOfStatus inverts statusMap for the status filter: the vm_states
// and task_states ("" meaning none) that show as any of statuses.
func statesOfStatus(status string) (vmStates []string, taskStates []string) {
	seenVM, seenTask := map[string]bool{}, map[string]bool{}
	for vm, m := range statusMap {
		for task, s := range m {
			if s != status {
				continue
			}
			if !seenVM[vm] {
				seenVM[vm] = true
				vmStates = append(vmStates, vm)
			}
			if !seenTask[task] {
				seenTask[task] = true
				taskStates = append(taskStates, task)
			}
		}
	}
	return vmStates, taskStates
}
