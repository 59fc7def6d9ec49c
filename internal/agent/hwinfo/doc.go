// Package hwinfo collects the Windows Autopilot hardware hash of the machine
// it runs on, from Linux's view of the hardware, and writes it the way
// Get-WindowsAutopilotInfo does.
//
// Collect reads SMBIOS strings from /sys/class/dmi/id, network adapters from
// /sys/class/net, internal disks from /sys/block, memory from /proc/meminfo
// and the CPU from /proc/cpuinfo, all under Options.SysRoot so tests can use
// a fake tree. The TPM is not read here: the caller passes the endorsement
// key's modulus and the TPM's identification, which it already has.
//
// Conventions where Linux and Windows differ:
//
//   - SMBIOS placeholders ("To Be Filled By O.E.M.", "Default string",
//     "System Serial Number", "0123456789", …) are treated as missing. A
//     missing serial number or SMBIOS UUID is an error (Autopilot cannot
//     identify the device without them); a missing manufacturer falls back
//     to the board vendor and is an error only when both are missing; other
//     missing values are left empty.
//   - /sys/class/dmi/id/product_uuid already prints the UUID the way
//     Windows does (the first three groups little-endian), so it is used as
//     is, in lower case.
//   - Network adapters are the non-virtual interfaces (not under
//     /sys/devices/virtual, not lo) with a 6-byte, non-zero MAC, sorted by
//     interface name; wireless ones (a "wireless" or "phy80211" entry) get
//     NDIS medium 9, others 14 (802.3).
//   - Disks are the non-removable block devices that are not loop, ram,
//     zram, dm-, md, nbd, sr, fd or eMMC boot/RPMB partitions. Capacity is
//     in decimal GB (as Windows reports it); memory is MemTotal rounded up
//     to whole GiB.
//   - Strings are reduced to what the hash can carry (Windows-1252): other
//     characters become '?'.
//   - Without a TPM the offline device ID uses method 3
//     (UEFI_VARIABLE_RANDOMSEED), as no-TPM Windows VMs do, with a seed
//     derived from the SMBIOS UUID and serial number so it is stable.
package hwinfo
