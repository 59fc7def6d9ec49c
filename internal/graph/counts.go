package graph

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/whiteglove/whiteglove/internal/directory"
)

// writeCount answers /…/$count with a plain-text number, as Graph does.
func writeCount(w http.ResponseWriter, n int) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(strconv.Itoa(n)))
}

func (d *Directory) countUsers(w http.ResponseWriter, r *http.Request, _ Params) {
	us, err := d.dir.Store().Users(r.Context())
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	writeCount(w, len(us))
}

func (d *Directory) countDevices(w http.ResponseWriter, r *http.Request, _ Params) {
	ds, err := d.dir.Store().Devices(r.Context())
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	writeCount(w, len(ds))
}

func (d *Directory) countGroups(w http.ResponseWriter, r *http.Request, _ Params) {
	gs, err := d.dir.Store().Groups(r.Context())
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	writeCount(w, len(gs))
}

// getDirectoryObject resolves the @odata.id links the API hands out.
func (d *Directory) getDirectoryObject(w http.ResponseWriter, r *http.Request, p Params) {
	ctx := r.Context()
	st := d.dir.Store()
	if u, err := st.User(ctx, p["id"]); err == nil {
		t, err := st.Tenant(ctx)
		if err != nil {
			writeServiceError(w, r, d.log, err)
			return
		}
		writeEntity(w, r, http.StatusOK, "directoryObjects", userJSON(u, t))
		return
	} else if !errors.Is(err, directory.ErrNotFound) {
		writeServiceError(w, r, d.log, err)
		return
	}
	if dev, err := st.Device(ctx, p["id"]); err == nil {
		writeEntity(w, r, http.StatusOK, "directoryObjects", deviceJSON(dev))
		return
	} else if !errors.Is(err, directory.ErrNotFound) {
		writeServiceError(w, r, d.log, err)
		return
	}
	g, err := st.Group(ctx, p["id"])
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	writeEntity(w, r, http.StatusOK, "directoryObjects", groupJSON(g))
}
