package directory

import (
	"context"
	"log/slog"
	"runtime"
	"sync"

	"github.com/whiteglove/whiteglove/internal/directory/rule"
)

// Service is the directory's behaviour over a Store.
type Service struct {
	store Store
	log   *slog.Logger
	rules ruleCache
	hooks []MembershipHook

	// hashSlots bounds concurrent argon2id checks (19 MiB each), so a flood
	// of sign-in attempts cannot exhaust memory.
	hashSlots chan struct{}
	dummyOnce sync.Once
	dummy     string // hash checked for unknown names, to equalise timing
}

// MembershipChange is one membership added or removed.
type MembershipChange struct {
	GroupID    string
	MemberID   string
	MemberType string // MemberUser or MemberDevice
	Added      bool
}

// MembershipHook runs inside the transaction that changed memberships, after
// the change, so what depends on membership (profile assignment) is updated
// atomically with it. An error rolls the whole write back.
type MembershipHook func(ctx context.Context, tx Tx, changes []MembershipChange) error

// OnMembershipChange registers h; call it before serving.
func (s *Service) OnMembershipChange(h MembershipHook) { s.hooks = append(s.hooks, h) }

// notify runs the hooks for a non-empty change set.
func (s *Service) notify(ctx context.Context, tx Tx, changes []MembershipChange) error {
	if len(changes) == 0 {
		return nil
	}
	for _, h := range s.hooks {
		if err := h(ctx, tx, changes); err != nil {
			return err
		}
	}
	return nil
}

// New returns a directory service over st. A nil logger discards logs.
func New(st Store, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: st, log: log, hashSlots: make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))}
}

// Store returns the underlying store for reads.
func (s *Service) Store() Store { return s.store }

// ruleCache keeps the compiled rules of every dynamic group, tagged with the
// rules version it was built from. The version lives in the database, so a
// replica notices another replica's rule change on its next write.
type ruleCache struct {
	mu      sync.Mutex
	version int64
	set     *rule.Set
	subject map[string]rule.Subject
}

// get returns the rule set for version, reloading it from tx when stale.
func (c *ruleCache) get(ctx context.Context, tx Tx, version int64) (*rule.Set, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.set != nil && c.version == version {
		return c.set, nil
	}
	rows, err := tx.DynamicRules(ctx)
	if err != nil {
		return nil, err
	}
	set := rule.NewSet()
	for _, r := range rows {
		parsed, err := rule.Parse(r.Rule)
		if err != nil {
			// Stored rules were validated on write; a rule this build cannot
			// parse matches nothing rather than stopping every write.
			continue
		}
		set.Put(r.GroupID, parsed)
	}
	c.set, c.version = set, version
	return set, nil
}
