// Package format is the disk image inspector the image service runs on
// every upload: it detects an image's real format, computes its virtual
// size, and refuses images that would make qemu-img or a hypervisor read
// files outside the image (CVE-2022-47951, CVE-2024-32498 and their kin).
// It imports only the standard library.
//
// It owns three things:
//
//   - Inspect reads only the headers each format defines, at most 1 MiB at
//     a time, whatever the image claims; a multi-GiB upload costs a few KiB
//     of reads. Every probe runs on every image, so a polyglot that matches
//     two formats is refused.
//   - Info.Check refuses, whatever the disk_format: a qcow2 backing file,
//     external data file (feature bit or header extension), unknown
//     incompatible feature or version other than 2 and 3; a VMDK descriptor
//     file (its data lives in other files), a sparse VMDK whose embedded
//     descriptor has a createType other than monolithicSparse or
//     streamOptimized, more or less than one SPARSE extent, an extent path
//     with / or \, a parentFileNameHint, an unknown line or a bad
//     streamOptimized footer; VMDK3 (COWD); VHD other than fixed or dynamic;
//     a VHDX with a parent; VDI undo and differencing images; QED; LUKS
//     other than version 1; an MBR/GPT with bad partition entries; and any
//     header too truncated or contradictory to parse.
//   - Matches is the rule for which declared disk_format accepts which
//     detected format.
//
// # The disk_format rule
//
// Upstream has two gates, and an image that passes only the first is
// stored by Glance but refused by Nova at boot:
//
//   - Glance upload (glance/location.py ImageProxy.set_data, with
//     [image_format] require_image_format_match, default true): detected ==
//     disk_format passes; detected raw passes when disk_format has no
//     inspector (ami, ari, aki, ploop); disk_format raw passes anything, with
//     the byte count as virtual size; anything else is refused. The detected
//     format's safety check always runs. Only container_format=bare is
//     inspected.
//   - Nova boot (nova/virt/images.py do_image_deep_inspection): disk_format
//     must have an inspector unless it is ami, aki or ari; detected must equal
//     disk_format, except that raw accepts gpt and ami, aki and ari accept
//     anything.
//
// Both take "iso" when the content matches exactly iso and gpt (a hybrid
// ISO; oslo.utils InspectWrapper.formats and nova get_image_format), and
// refuse every other multiple match.
//
// This package accepts what both gates accept, so nothing is stored that
// cannot boot, except ploop, which follows Glance:
//
//	disk_format          accepted detected formats
//	raw                  raw, gpt
//	ami, ari, aki, ploop raw
//	qcow2, vmdk, vhd, vhdx, vdi, iso, gpt, luks   the same format
//	anything else        none
//
// So a qcow2 declared raw is refused here, as Nova refuses it, although
// Glance alone stores it. Whether to inspect container formats other than
// bare is the caller's choice.
//
// # Beyond upstream
//
// Compared with oslo.utils imageutils/format_inspector.py this package also
// refuses: a qcow2 "DATA" header extension without the feature bit; every
// VMDK descriptor file (oslo.utils' check passes one that claims
// monolithicSparse with a relative extent), a createType that appears more than once, a
// parentFileNameHint anywhere in the descriptor (QEMU's vmdk_parent_open
// finds it with strstr), extents other than exactly one SPARSE, a \ in an
// extent, and VMDK3 (COWD); VHD differencing disks; VHDX with a parent; VDI
// undo and differencing images; and recognised headers that do not parse
// (oslo.utils drops the format or reports size 0). It detects text
// descriptors by QEMU's vmdk_probe rule as well as by oslo.utils' printable
// rule, UDF volumes that start with BEA01, and a fixed VHD's footer at the
// end of the file, whose payload (partition table, ISO) is not a second
// format. VHD virtual size follows QEMU's block/vpc.c (CHS geometry or
// current_size by creator), not original_size.
package format
