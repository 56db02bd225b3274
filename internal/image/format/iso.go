package format

// ISO 9660 / UDF volume recognition (ECMA-119, ECMA-167): 2 KiB
// descriptors from sector 16, each with a five-byte identifier at byte 1.
const (
	isoSector     = 2048
	isoFirstVD    = 16
	isoMaxVDs     = 32
	isoTypePVD    = 1
	isoPVDSizeEnd = 132
)

// isoIDs are the identifiers of the recognition sequence, true for those
// that make a volume (ISO 9660, UDF) rather than frame one.
var isoIDs = map[string]bool{
	"CD001": true, "NSR02": true, "NSR03": true,
	"BEA01": false, "TEA01": false, "BOOT2": false, "CDW02": false,
}

// probeISO walks the volume recognition sequence. oslo.utils looks only at
// sector 16; walking on also finds UDF volumes that start with BEA01.
func probeISO(s *source) (match, bool) {
	info := Info{Format: ISO}
	found := false
	for i := int64(0); i < isoMaxVDs; i++ {
		d, ok := s.read((isoFirstVD+i)*isoSector, isoPVDSizeEnd)
		if !ok {
			break
		}
		id := string(d[1:6])
		volume, known := isoIDs[id]
		if !known {
			break
		}
		found = found || volume
		if id == "CD001" && d[0] == isoTypePVD && info.VirtualSize == 0 {
			info.VirtualSize = int64(le32(d[80:84])) * int64(le16(d[128:130]))
		}
	}
	if !found {
		return match{}, false
	}
	// A hybrid ISO carries an MBR or GPT so it also boots as a disk.
	return match{info: info, contains: []string{GPT}}, true
}
