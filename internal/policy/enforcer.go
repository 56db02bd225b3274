package policy

import (
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/monostack/monostack/internal/errs"
)

// Default is one registered rule: its upstream name, its check string, and
// the deprecated check string it replaced ("" if none).
type Default struct{ Name, Check, Deprecated, Description string }

// Options configure an Enforcer.
type Options struct {
	File               string        // policy.yaml (or JSON) with overrides; "" or missing file = no overrides
	EnforceNewDefaults bool          // false: a non-overridden rule with a Deprecated string is "(Check) or (Deprecated)"
	ReloadInterval     time.Duration // min time between stat() calls on File; 0 stats on every Enforce
	Log                *slog.Logger  // nil = slog.Default()
}

// Enforcer evaluates named rules: registered defaults overlaid with the
// rules of an optional policy file, which is reloaded when it changes.
// It is safe for concurrent use.
type Enforcer struct {
	defaults []compiled
	opts     Options
	log      *slog.Logger
	now      func() time.Time

	rules    atomic.Pointer[ruleSet]
	nextStat atomic.Int64 // unix nanoseconds before which File is not stat()ed

	mu    sync.Mutex // serialises reloads; guards stamp
	stamp fileStamp
}

// compiled is a default with its check strings parsed.
type compiled struct {
	Default
	check, deprecated node // deprecated is nil when it adds nothing
}

// ruleSet is one immutable generation of effective rules.
type ruleSet struct {
	nodes map[string]node
	src   map[string]string
}

// lookup finds a rule; unknown names fall back to "default" if defined,
// as oslo's Rules.__missing__ does with policy_default_rule.
func (rs *ruleSet) lookup(name string) (node, bool) {
	if n, ok := rs.nodes[name]; ok {
		return n, true
	}
	n, ok := rs.nodes["default"]
	return n, ok
}

// New parses defaults and loads opts.File. It fails only when a default
// check string does not parse; a bad policy file is logged and ignored.
func New(defaults []Default, opts Options) (*Enforcer, error) {
	e := &Enforcer{opts: opts, log: opts.Log, now: time.Now}
	if e.log == nil {
		e.log = slog.Default()
	}
	for _, d := range defaults {
		c, err := e.compile(d)
		if err != nil {
			return nil, err
		}
		e.defaults = append(e.defaults, c)
	}
	e.rules.Store(e.build(nil))
	if opts.File != "" {
		e.mu.Lock()
		e.reloadLocked()
		e.mu.Unlock()
		e.nextStat.Store(e.now().Add(opts.ReloadInterval).UnixNano())
	}
	return e, nil
}

func (e *Enforcer) compile(d Default) (compiled, error) {
	c := compiled{Default: d}
	p, err := parse(d.Check)
	if err != nil {
		return c, fmt.Errorf("policy default %s: %w", d.Name, err)
	}
	e.warn(d.Name, p)
	c.check = p.root
	if d.Deprecated == "" || d.Deprecated == d.Check {
		return c, nil
	}
	p, err = parse(d.Deprecated)
	if err != nil {
		return c, fmt.Errorf("policy default %s (deprecated): %w", d.Name, err)
	}
	e.warn(d.Name, p)
	c.deprecated = p.root
	return c, nil
}

func (e *Enforcer) warn(name string, p parsed) {
	for _, w := range p.warnings {
		e.log.Warn("policy: "+w, "rule", name)
	}
}

// build makes the effective rules: file rules replace defaults of the same
// name outright and add new names; other defaults OR in their deprecated
// check unless EnforceNewDefaults.
func (e *Enforcer) build(file *fileRules) *ruleSet {
	rs := &ruleSet{nodes: map[string]node{}, src: map[string]string{}}
	for _, d := range e.defaults {
		rs.nodes[d.Name], rs.src[d.Name] = d.check, d.Check
		if d.deprecated != nil && !e.opts.EnforceNewDefaults {
			rs.nodes[d.Name] = orCheck{d.check, d.deprecated}
			rs.src[d.Name] = "(" + d.Check + ") or (" + d.Deprecated + ")"
		}
	}
	if file != nil {
		for name, n := range file.nodes {
			rs.nodes[name] = n
			rs.src[name] = file.src[name]
		}
	}
	return rs
}

// Check reports whether rule allows creds to act on target. Unknown rules
// deny (and are logged: a caller naming a rule that does not exist is a bug).
func (e *Enforcer) Check(rule string, creds Creds, target map[string]any) bool {
	e.maybeReload()
	rs := e.rules.Load()
	n, ok := rs.lookup(rule)
	if !ok {
		e.log.Warn("policy: unknown rule denied", "rule", rule)
		return false
	}
	return n.eval(rs, creds, target, 0)
}

// Enforce is Check returning errs.PolicyForbidden(rule) on denial.
func (e *Enforcer) Enforce(rule string, creds Creds, target map[string]any) error {
	if !e.Check(rule, creds, target) {
		return errs.PolicyForbidden(rule)
	}
	return nil
}

// Rules returns the effective check string of every rule, after overrides.
func (e *Enforcer) Rules() map[string]string {
	e.maybeReload()
	src := e.rules.Load().src
	out := make(map[string]string, len(src))
	for k, v := range src {
		out[k] = v
	}
	return out
}
