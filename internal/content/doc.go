// Package content stores app content (whiteglove app packages and any other
// blob) content-addressed by SHA-256 on local disk, takes it in over
// resumable HTTP uploads, serves it with HTTP range requests so devices can
// resume downloads, and reads and extracts whiteglove app packages safely.
//
// # Blobs
//
// A [Store] keeps each blob under its root as blobs/sha256/ab/abcdef… (the
// first two hex digits, then the whole digest). [Store.Put] streams into a
// temporary file under tmp/, hashing on the way, fsyncs it and renames it
// into place, so no partial blob is ever visible under its final name; a
// crash leaves only temporary files, which [New] removes when they are older
// than an hour. Digests are validated (64 lower-case hex digits, see
// [ValidSHA256]) before they become paths, so no name can escape the root.
//
// # Resumable uploads
//
// [Uploads] keeps each session as uploads/<id>.part (the bytes received so
// far) and uploads/<id>.json (size, expected SHA-256, offset and the SHA-256
// state of the bytes received), so a session survives a restart and Commit
// does not re-read the content. [Uploads.Append] accepts bytes only at the
// session's current offset: a client that lost a response asks for the
// offset ([Uploads.Status], or the [*OffsetError] of a rejected chunk) and
// sends again from there. [UploadHandler] speaks this over HTTP in the shape
// of Microsoft Graph upload sessions: PUT or PATCH with Content-Range, and
// answers {"expirationDateTime":…,"nextExpectedRanges":["N-"]}.
//
// # App packages
//
// A whiteglove app package is a zip or a gzip-compressed tar archive with a
// whiteglove-app.json manifest at its root; FORMAT.md in this directory is
// the specification. [ReadPackage] validates an archive (names, entry types,
// duplicates, sizes, compression ratio, manifest, installer) and lists its
// files with their SHA-256; [Extract] writes a validated package into a new
// directory atomically, through an [os.Root] so nothing lands outside it.
//
// # Errors
//
// Missing blobs and sessions wrap [apperr.ErrNotFound]. Bad input wraps one
// of [ErrInvalidDigest], [ErrTooLarge], [ErrDigestMismatch], [ErrIncomplete]
// or [ErrInvalidPackage], or is an [*OffsetError]; [HTTPStatus] maps any of
// them to a status code.
package content
