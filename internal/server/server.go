// Package server assembles the whiteglove service: storage, directory, token
// service, Graph API, health and metrics, behind one http.Handler.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"crypto/x509"

	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/attest"
	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/content"
	"github.com/whiteglove/whiteglove/internal/demo"
	"github.com/whiteglove/whiteglove/internal/deviceapi"
	"github.com/whiteglove/whiteglove/internal/directory"
	"github.com/whiteglove/whiteglove/internal/enroll"
	"github.com/whiteglove/whiteglove/internal/esp"
	"github.com/whiteglove/whiteglove/internal/graph"
	"github.com/whiteglove/whiteglove/internal/manifest"
	"github.com/whiteglove/whiteglove/internal/planner"
	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/sqlstore"
	"github.com/whiteglove/whiteglove/internal/token"
	"github.com/whiteglove/whiteglove/internal/tpm"
)

// Config is everything the service needs; only main fills it in.
type Config struct {
	Listen        string // address to listen on, e.g. 127.0.0.1:8080
	DataDir       string // where embedded SQLite lives
	DB            string // postgres://… DSN; empty for embedded SQLite
	ContentDir    string // app packages; empty = DataDir/content (replicas: a shared filesystem)
	MaxUpload     int64  // largest app package accepted; 0 = 8 GiB
	Issuer        string // token issuer base URL; empty = PublicURL, else derived from each request
	PublicURL     string // the service's URL as clients reach it (behind a proxy); empty = each request's host
	TokenLifetime time.Duration

	TenantName   string // organization name on first start
	TenantDomain string // verified domain on first start
	Seats        int    // licences in the subscription on first start

	BootstrapClientID     string // registered with every admin role when set
	BootstrapClientSecret string

	Demo bool // seed demo users and groups
	// DemoDeployment also seeds the demo deployment (profile, ESP, apps,
	// policies); needs Demo.
	DemoDeployment bool

	// TrustSimulatedTPMs trusts whiteglove's INSECURE simulation TPM
	// manufacturer CA (demo, tests, the fleet simulator).
	TrustSimulatedTPMs bool
	// TPMRootsDir holds trusted TPM manufacturer root certificates.
	TPMRootsDir string
}

// Server is a running whiteglove service.
type Server struct {
	cfg     Config
	log     *slog.Logger
	db      *store.DB
	st      *sqlstore.Store
	dir     *directory.Service
	ap      *autopilot.Service
	esp     *esp.Service
	catalog *apps.Service
	mf      *manifest.Service
	content *content.Store
	uploads *content.Uploads
	tokens  *token.Service
	router  *graph.Router
	enroll  *enroll.Service
	plans   *planner.Planner
	devAPI  http.Handler
	metrics *metrics
	handler http.Handler
	Tenant  directory.Tenant
	// Deployment is the demo deployment (with Config.Demo).
	Deployment demo.Deployment

	stop func()         // ends background work
	bg   sync.WaitGroup // background goroutines
}

// New opens storage, applies migrations, bootstraps the tenant, and wires the
// handlers. Messages meant for the operator (a generated admin credential)
// are written to out once, never to the log.
func New(ctx context.Context, cfg Config, log *slog.Logger, out io.Writer) (*Server, error) {
	db, err := store.Open(ctx, store.Config{DSN: cfg.DB, DataDir: cfg.DataDir})
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: log, db: db, st: sqlstore.New(db), metrics: newMetrics()}
	s.dir = directory.New(s.st, log)
	s.ap = autopilot.New(s.st, s.dir, log)
	if err := s.bootstrap(ctx, out); err != nil {
		db.Close()
		return nil, err
	}
	s.esp = esp.New(s.st.ESP(), s.st, s.Tenant.ID, log)
	if _, err := s.esp.EnsureDefault(ctx); err != nil {
		db.Close()
		return nil, err
	}
	var public *url.URL
	if cfg.PublicURL != "" {
		if public, err = url.Parse(cfg.PublicURL); err != nil || (public.Scheme != "http" && public.Scheme != "https") || public.Host == "" {
			db.Close()
			return nil, fmt.Errorf("--public-url %q must be an http(s) URL", cfg.PublicURL)
		}
		if cfg.Issuer == "" {
			cfg.Issuer = strings.TrimRight(cfg.PublicURL, "/")
		}
	}
	s.tokens, err = token.New(token.Config{
		Issuer: cfg.Issuer, Lifetime: cfg.TokenLifetime,
		Authn: s.dir, Tenants: s.dir, Keys: keyStore{st: s.st}, Logger: log,
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	contentDir := cfg.ContentDir
	if contentDir == "" {
		contentDir = filepath.Join(cfg.DataDir, "content")
	}
	if s.content, err = content.New(contentDir); err != nil {
		db.Close()
		return nil, fmt.Errorf("opening the content store: %w", err)
	}
	maxUpload := cfg.MaxUpload
	if maxUpload <= 0 {
		maxUpload = 8 << 30
	}
	if s.uploads, err = content.NewUploads(s.content, content.UploadsConfig{MaxSize: maxUpload}); err != nil {
		db.Close()
		return nil, fmt.Errorf("opening upload sessions: %w", err)
	}
	s.router = graph.NewRouter(s.tokens, log)
	s.router.CheckPrincipal(s.dir.CurrentPrincipal)
	if public != nil {
		s.router.SetPublicURL(public)
	}
	s.router.Observe(func(r *http.Request, pattern string, status int, elapsed time.Duration) {
		s.metrics.observe(pattern, r.Method, status, elapsed)
	})
	graph.NewDirectory(s.dir, log).Register(s.router)
	graph.NewESP(s.esp, log).Register(s.router)
	s.catalog = apps.New(s.st.Catalog(), s.st, log)
	graph.NewApps(s.catalog, log).Register(s.router)
	graph.NewPolicies(s.catalog, log).Register(s.router)
	cat := &planner.AppsCatalog{Apps: s.catalog}
	plans := &planner.Planner{Devices: s.st, Directory: s.st, ESP: s.esp, Catalog: cat}
	s.plans = plans
	graph.NewPlans(plans, log).Register(s.router)
	s.mf = manifest.New(s.st, cat, s.catalog, s.esp, log)
	s.dir.OnMembershipChange(s.mf.MembershipHook)
	s.ap.OnDeviceChange(s.mf.DeviceHook)
	graph.NewManifests(s.mf, log).Register(s.router)
	apAPI := graph.NewAutopilot(s.ap, log)
	apAPI.Register(s.router)
	apAPI.RegisterCSV(s.router)
	graph.NewContent(s.content, s.uploads, log).Register(s.router)
	var roots []*x509.Certificate
	if cfg.TPMRootsDir != "" {
		if roots, err = attest.LoadRoots(cfg.TPMRootsDir); err != nil {
			db.Close()
			return nil, fmt.Errorf("--tpm-roots: %w", err)
		}
	}
	if cfg.TrustSimulatedTPMs {
		roots = append(roots, tpm.SimulationCA())
		log.Warn("trusting the INSECURE simulated TPM manufacturer CA: software and simulated TPMs can enroll (demo and tests only)")
	}
	if len(roots) == 0 {
		log.Warn("no TPM manufacturer roots are trusted: no device can pass attestation (set --tpm-roots DIR)")
	}
	s.enroll, err = enroll.New(ctx, enroll.Config{Store: s.st, Verifier: attest.NewVerifier(roots), ESP: s.esp, Manifests: s.mf, Catalog: s.catalog, Users: s.dir, Planner: plans, Devices: s.dir, Log: log})
	if err != nil {
		db.Close()
		return nil, err
	}
	graph.NewManagedDevices(s.enroll, log).Register(s.router)
	s.devAPI = deviceapi.New(s.enroll, s.content, log)
	if cfg.Demo && cfg.DemoDeployment {
		if s.Deployment, err = demo.SeedDeployment(ctx, demo.Services{Directory: s.dir, Autopilot: s.ap, ESP: s.esp, Catalog: s.catalog, Content: s.content}); err != nil {
			db.Close()
			return nil, fmt.Errorf("seeding the demo deployment: %w", err)
		}
	}
	s.handler = s.routes()

	// Import processing runs on every replica; leases keep it from running twice.
	bgCtx, cancel := context.WithCancel(context.Background())
	s.stop = cancel
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		s.ap.Run(bgCtx, time.Second)
	}()
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		s.mf.Run(bgCtx, 2*time.Second)
	}()
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		t := time.NewTicker(time.Hour)
		defer t.Stop()
		for {
			select {
			case <-bgCtx.Done():
				return
			case <-t.C:
				if n, err := s.uploads.Cleanup(bgCtx); err != nil {
					log.Warn("cleaning up upload sessions", "err", err)
				} else if n > 0 {
					log.Info("expired upload sessions removed", "count", n)
				}
			}
		}
	}()
	return s, nil
}

// Handler is the whole service as one handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Router exposes the Graph router (for tests that walk every route).
func (s *Server) Router() *graph.Router { return s.router }

// Directory exposes the directory service.
func (s *Server) Directory() *directory.Service { return s.dir }

// Manifests exposes the per-device desired state.
func (s *Server) Manifests() *manifest.Service { return s.mf }

// Catalog exposes the app and policy catalog.
func (s *Server) Catalog() *apps.Service { return s.catalog }

// ESP exposes the Enrollment Status Page service (profile resolution).
func (s *Server) ESP() *esp.Service { return s.esp }

// Autopilot exposes the Autopilot registration service.
func (s *Server) Autopilot() *autopilot.Service { return s.ap }

// Planner exposes the planner (what a device gets, and why).
func (s *Server) Planner() *planner.Planner { return s.plans }

// Content exposes the content store.
func (s *Server) Content() *content.Store { return s.content }

// Services are the services the demo seeds through.
func (s *Server) Services() demo.Services {
	return demo.Services{Directory: s.dir, Autopilot: s.ap, ESP: s.esp, Catalog: s.catalog, Content: s.content}
}

// Claims exposes the once-only claims (demo seeding).
func (s *Server) Claims() *sqlstore.Store { return s.st }

// Enroll exposes enrollment and provisioning sessions.
func (s *Server) Enroll() *enroll.Service { return s.enroll }

// Close stops background work and releases the database.
func (s *Server) Close() error {
	if s.stop != nil {
		s.stop()
		s.bg.Wait()
	}
	return s.db.Close()
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := s.db.Ping(ctx); err != nil {
			s.log.Warn("readiness check failed", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, "database unreachable\n")
			return
		}
		_, _ = io.WriteString(w, "ready\n")
	})
	mux.Handle("GET /metrics", s.metrics.handler())
	tokens := s.tokens.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.ToLower(r.URL.Path)
		switch {
		case strings.HasPrefix(p, "/v1.0/"), strings.HasPrefix(p, "/beta/"), strings.HasPrefix(p, "/api/"), p == "/v1.0", p == "/beta":
			s.router.ServeHTTP(w, r)
		case p == "/healthz", p == "/readyz", p == "/metrics":
			mux.ServeHTTP(w, r)
		case strings.HasPrefix(p, "/device/"):
			start := time.Now()
			sw := &codeWriter{ResponseWriter: w, code: http.StatusOK}
			s.devAPI.ServeHTTP(sw, r)
			s.metrics.observe("device", r.Method, sw.code, time.Since(start))
		default:
			start := time.Now()
			sw := &codeWriter{ResponseWriter: w, code: http.StatusOK}
			tokens.ServeHTTP(sw, r)
			route := "unmatched"
			if strings.Contains(p, "/oauth2/") || strings.Contains(p, "/.well-known/") || strings.Contains(p, "/discovery/") {
				route = "token"
			}
			s.metrics.observe(route, r.Method, sw.code, time.Since(start))
		}
	})
}

// Run serves until ctx is cancelled, then shuts down gracefully.
func (s *Server) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", s.cfg.Listen, err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln until ctx is cancelled.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.log.Info("whiteglove serving", "addr", ln.Addr().String(), "database", string(s.db.Dialect), "tenant", s.Tenant.ID)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

type codeWriter struct {
	http.ResponseWriter
	code int
}

// Unwrap lets http.ResponseController reach the connection.
func (c *codeWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

func (c *codeWriter) WriteHeader(code int) {
	c.code = code
	c.ResponseWriter.WriteHeader(code)
}
