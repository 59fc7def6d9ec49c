package content

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"io/fs"
	"testing"
)

// tEntry describes one entry of a test archive.
type tEntry struct {
	name   string
	body   string
	kind   byte   // 0 file, 'd' directory, 's' symlink, 'h' hard link, 'p' fifo
	link   string // link target
	stored bool   // zip: no compression
	flags  uint16 // zip: extra general-purpose flags
}

const testInstaller = "setup/installer.msi"

func testManifest(installer string) string {
	return `{"schema":1,"name":"Contoso Tools","version":"1.2.3","installer":"` + installer + `",
	"installCommand":"msiexec /i setup\\installer.msi /qn","uninstallCommand":"msiexec /x {12345678-1234-1234-1234-123456789ABC} /qn",
	"detection":{"type":"msi","productCode":"{12345678-1234-1234-1234-123456789ABC}","minVersion":"1.2.3"}}`
}

// validEntries is a good package: manifest, installer, a directory, a file.
func validEntries() []tEntry {
	return []tEntry{
		{name: ManifestName, body: testManifest(testInstaller)},
		{name: "setup/", kind: 'd'},
		{name: testInstaller, body: "MSI\x00installer bytes"},
		{name: "docs/readme.txt", body: "read me"},
	}
}

// with returns validEntries plus extra.
func with(extra ...tEntry) []tEntry { return append(validEntries(), extra...) }

// withManifest returns validEntries with another manifest.
func withManifest(m string) []tEntry {
	es := validEntries()
	es[0].body = m
	return es
}

func buildZip(tb testing.TB, entries []tEntry) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		fh := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Flags: e.flags}
		body := e.body
		switch e.kind {
		case 'd':
			fh.Method = zip.Store
			fh.SetMode(fs.ModeDir | 0o755)
		case 's':
			fh.SetMode(fs.ModeSymlink | 0o777)
			body = e.link
		case 'p':
			fh.SetMode(fs.ModeNamedPipe | 0o644)
		default:
			fh.SetMode(0o644)
		}
		if e.stored {
			fh.Method = zip.Store
		}
		w, err := zw.CreateHeader(fh)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func buildTarGz(tb testing.TB, entries []tEntry) []byte {
	tb.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.name, Mode: 0o644, Size: int64(len(e.body)), Typeflag: tar.TypeReg}
		switch e.kind {
		case 'd':
			hdr.Typeflag, hdr.Size, hdr.Mode = tar.TypeDir, 0, 0o755
		case 's':
			hdr.Typeflag, hdr.Size, hdr.Linkname = tar.TypeSymlink, 0, e.link
		case 'h':
			hdr.Typeflag, hdr.Size, hdr.Linkname = tar.TypeLink, 0, e.link
		case 'p':
			hdr.Typeflag, hdr.Size = tar.TypeFifo, 0
		}
		if err := tw.WriteHeader(hdr); err != nil {
			tb.Fatal(err)
		}
		if hdr.Size > 0 {
			if _, err := tw.Write([]byte(e.body)); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// gzipOf compresses raw bytes (for hand-made tar streams).
func gzipOf(tb testing.TB, raw []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	gz.Write(raw)
	if err := gz.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// readPkg reads data as a package with the given limits.
func readPkg(data []byte, lim Limits) (Package, error) {
	return ReadPackageWithLimits(context.Background(), bytes.NewReader(data), int64(len(data)), lim)
}
