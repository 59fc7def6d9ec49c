package content

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestReadPackageValid(t *testing.T) {
	dotSlash := []tEntry{{name: "./", kind: 'd'}}
	for _, e := range validEntries() {
		e.name = "./" + e.name
		dotSlash = append(dotSlash, e)
	}
	for name, data := range map[string][]byte{
		"zip":            buildZip(t, validEntries()),
		"tar.gz":         buildTarGz(t, validEntries()),
		"tar.gz with ./": buildTarGz(t, dotSlash),
	} {
		t.Run(name, func(t *testing.T) {
			p, err := ReadPackage(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.Fields(name)[0]; p.Format != want {
				t.Errorf("Format = %q, want %q", p.Format, want)
			}
			if p.Manifest.Installer != testInstaller || p.Manifest.Detection == nil || p.Manifest.Detection.Type != "msi" {
				t.Errorf("Manifest = %+v", p.Manifest)
			}
			var want []File
			var total int64
			for _, e := range validEntries() {
				if e.kind == 0 {
					sum := sha256.Sum256([]byte(e.body))
					want = append(want, File{Name: e.name, Size: int64(len(e.body)), SHA256: hex.EncodeToString(sum[:])})
					total += int64(len(e.body))
				}
			}
			if len(p.Files) != len(want) {
				t.Fatalf("Files = %+v, want %+v", p.Files, want)
			}
			for i := range want {
				if p.Files[i] != want[i] {
					t.Errorf("Files[%d] = %+v, want %+v", i, p.Files[i], want[i])
				}
			}
			if p.Size != total {
				t.Errorf("Size = %d, want %d", p.Size, total)
			}
		})
	}
}

// zeros returns n zero bytes as a string: compresses about 1000:1.
func zeros(n int) string { return string(make([]byte, n)) }

func TestReadPackageInvalid(t *testing.T) {
	small := Limits{MaxEntries: 6, MaxFileSize: 1000, MaxTotalSize: 2000}
	bothFormats := []struct {
		name    string
		entries []tEntry
		lim     Limits
		want    string // substring of the error
		large   bool   // also wraps ErrTooLarge
	}{
		{"dot-dot", with(tEntry{name: "../evil.txt", body: "x"}), Limits{}, `".." would escape`, false},
		{"nested dot-dot", with(tEntry{name: "a/../../evil.txt", body: "x"}), Limits{}, `".." would escape`, false},
		{"absolute", with(tEntry{name: "/etc/cron.d/evil", body: "x"}), Limits{}, "absolute path", false},
		{"backslash", with(tEntry{name: `..\..\evil.exe`, body: "x"}), Limits{}, "backslash", false},
		{"drive letter", with(tEntry{name: "C:/Windows/evil.exe", body: "x"}), Limits{}, `character ':'`, false},
		{"unclean", with(tEntry{name: "a//b.txt", body: "x"}), Limits{}, "empty or", false},
		{"reserved name", with(tEntry{name: "docs/CON.txt", body: "x"}), Limits{}, "reserved device name", false},
		{"trailing dot", with(tEntry{name: "docs/a.", body: "x"}), Limits{}, "ends with a dot", false},
		{"control char", with(tEntry{name: "a\nb", body: "x"}), Limits{}, "not allowed in Windows", false},
		{"symlink escape", with(tEntry{name: "link", kind: 's', link: "../../etc/passwd"}), Limits{}, "links are not allowed", false},
		{"symlink inside", with(tEntry{name: "link", kind: 's', link: "docs/readme.txt"}), Limits{}, "links are not allowed", false},
		{"fifo", with(tEntry{name: "pipe", kind: 'p'}), Limits{}, "not allowed", false},
		{"duplicate", with(tEntry{name: testInstaller, body: "other"}), Limits{}, "duplicate entry", false},
		{"duplicate ignoring case", with(tEntry{name: "DOCS/README.TXT", body: "x"}), Limits{}, "duplicate entry", false},
		{"duplicate manifest", with(tEntry{name: ManifestName, body: testManifest(testInstaller)}), Limits{}, "duplicate entry", false},
		{"file under a file", with(tEntry{name: "docs/readme.txt/x", body: "x"}), Limits{}, "is a file", false},
		{"file over a directory", with(tEntry{name: "docs", body: "x"}), Limits{}, "directory in another entry", false},
		{"missing manifest", validEntries()[1:], Limits{}, "no whiteglove-app.json", false},
		{"manifest not at root", append([]tEntry{{name: "sub/" + ManifestName, body: testManifest(testInstaller)}}, validEntries()[1:]...), Limits{}, "no whiteglove-app.json", false},
		{"missing installer", withManifest(testManifest("setup/missing.msi")), Limits{}, "not a file in the package", false},
		{"installer is a directory", withManifest(testManifest("setup")), Limits{}, "not a file in the package", false},
		{"installer escapes", withManifest(testManifest("../x.msi")), Limits{}, "not a clean relative path", false},
		{"installer is manifest", withManifest(testManifest(ManifestName)), Limits{}, "not a file in the package", false},
		{"manifest not JSON", withManifest("installer=x"), Limits{}, "not valid JSON", false},
		{"manifest unknown field", withManifest(`{"schema":1,"installer":"setup/installer.msi","installCommand":"x","instalCommand":"y"}`), Limits{}, "unknown field", false},
		{"manifest trailing data", withManifest(`{"schema":1,"installer":"setup/installer.msi","installCommand":"x"} {}`), Limits{}, "data after", false},
		{"manifest without schema", withManifest(`{"installer":"setup/installer.msi","installCommand":"x"}`), Limits{}, `"schema" is missing`, false},
		{"manifest schema 2", withManifest(`{"schema":2,"installer":"setup/installer.msi","installCommand":"x"}`), Limits{}, "schema 2 is not supported", false},
		{"manifest without command", withManifest(`{"schema":1,"installer":"setup/installer.msi"}`), Limits{}, `"installCommand" is missing`, false},
		{"manifest command with newline", withManifest(`{"schema":1,"installer":"setup/installer.msi","installCommand":"a\nb"}`), Limits{}, "control character", false},
		{"manifest too large", withManifest(`{"schema":1,"name":"` + strings.Repeat("x", maxManifestSize) + `"}`), Limits{}, "manifest is over", false},
		{"detection bad type", withManifest(`{"schema":1,"installer":"setup/installer.msi","installCommand":"x","detection":{"type":"wmi"}}`), Limits{}, `"type" must be`, false},
		{"detection bad GUID", withManifest(`{"schema":1,"installer":"setup/installer.msi","installCommand":"x","detection":{"type":"msi","productCode":"1234"}}`), Limits{}, "productCode", false},
		{"detection relative path", withManifest(`{"schema":1,"installer":"setup/installer.msi","installCommand":"x","detection":{"type":"file","path":"app.exe"}}`), Limits{}, `type "file"`, false},
		{"detection bad hive", withManifest(`{"schema":1,"installer":"setup/installer.msi","installCommand":"x","detection":{"type":"registry","keyPath":"HKU\\x"}}`), Limits{}, `type "registry"`, false},
		{"detection bad version", withManifest(`{"schema":1,"installer":"setup/installer.msi","installCommand":"x","detection":{"type":"file","path":"%ProgramFiles%\\a.exe","minVersion":"1.x"}}`), Limits{}, "minVersion", false},
		{"too many entries", with(tEntry{name: "a", body: "1"}, tEntry{name: "b", body: "2"}, tEntry{name: "c", body: "3"}), small, "entries", true},
		{"file over limit", with(tEntry{name: "big.bin", body: strings.Repeat("x", 1001)}), small, "per-file limit", true},
		{"total over limit", with(tEntry{name: "a.bin", body: strings.Repeat("x", 900)}, tEntry{name: "b.bin", body: strings.Repeat("y", 900)}), small, "add up to more than the limit", true},
		{"zip bomb ratio", with(tEntry{name: "zeros.bin", body: zeros(8 << 20)}), Limits{}, "(a zip bomb?)", true},
	}
	for _, tc := range bothFormats {
		for format, build := range map[string]func(testing.TB, []tEntry) []byte{"zip": buildZip, "tar.gz": buildTarGz} {
			t.Run(format+"/"+tc.name, func(t *testing.T) {
				_, err := readPkg(build(t, tc.entries), tc.lim)
				checkPkgErr(t, err, tc.want, tc.large)
			})
		}
	}
}

func checkPkgErr(t *testing.T, err error, want string, large bool) {
	t.Helper()
	if err == nil {
		t.Fatalf("accepted; want an error containing %q", want)
	}
	t.Log(err)
	if !errors.Is(err, ErrInvalidPackage) {
		t.Errorf("error %v does not wrap ErrInvalidPackage", err)
	}
	if large != errors.Is(err, ErrTooLarge) {
		t.Errorf("error %v: wraps ErrTooLarge = %v, want %v", err, !large, large)
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not contain %q", err, want)
	}
}

func TestReadPackageBroken(t *testing.T) {
	zipData := buildZip(t, validEntries())
	tgz := buildTarGz(t, validEntries())
	// A tar.gz whose gzip stream goes on with 8 MiB of zeros after the tar:
	// the drain at the end must stop at the stream limit (about 2 MiB with
	// 10 entries allowed).
	var tarRaw bytes.Buffer
	tarRaw.Write(ungzip(t, tgz))
	tarRaw.Write(make([]byte, 8<<20))
	trailingBomb := gzipOf(t, tarRaw.Bytes())
	// A zip entry claiming encryption.
	encrypted := buildZip(t, with(tEntry{name: "secret.bin", body: "x", flags: 0x1}))

	tests := []struct {
		name  string
		data  []byte
		want  string
		large bool
	}{
		{"empty", nil, "too short", false},
		{"not an archive", []byte("#!/bin/sh\necho hello\n"), "not a zip or tar.gz", false},
		{"truncated zip", zipData[:len(zipData)/2], "not a readable zip", false},
		{"zip cut before the directory end", zipData[:len(zipData)-10], "not a readable zip", false},
		{"truncated tar.gz", tgz[:len(tgz)/2], "", false},
		{"tar.gz without its trailer", tgz[:len(tgz)-4], "", false},
		{"corrupt gzip checksum", flipByte(tgz, len(tgz)-6), "", false},
		{"gzip bomb after the tar", trailingBomb, "gzip bomb", true},
		{"encrypted zip entry", encrypted, "encrypted", false},
		{"corrupt zip content", corruptZipContent(t), "reading content", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readPkg(tc.data, Limits{MaxEntries: 10})
			checkPkgErr(t, err, tc.want, tc.large)
		})
	}
}

func ungzip(t *testing.T, data []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func flipByte(data []byte, i int) []byte {
	out := bytes.Clone(data)
	out[i] ^= 0xff
	return out
}

// corruptZipContent stores the installer uncompressed and changes a byte of
// it, so the CRC-32 check fails while reading.
func corruptZipContent(t *testing.T) []byte {
	es := validEntries()
	es[2].stored = true
	es[2].body = "UNIQUE-MARKER-installer"
	data := buildZip(t, es)
	i := bytes.Index(data, []byte("UNIQUE-MARKER"))
	return flipByte(data, i)
}
