package policy

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"gopkg.in/yaml.v3"
)

// fileStamp is what decides whether the policy file changed.
type fileStamp struct {
	exists bool
	mtime  time.Time
	size   int64
}

// fileRules are the parsed rules of one policy file.
type fileRules struct {
	nodes map[string]node
	src   map[string]string
}

// maybeReload stats the policy file at most once per ReloadInterval and
// reloads it if its mtime or size changed.
func (e *Enforcer) maybeReload() {
	if e.opts.File == "" {
		return
	}
	if iv := e.opts.ReloadInterval; iv > 0 {
		now := e.now().UnixNano()
		next := e.nextStat.Load()
		if now < next || !e.nextStat.CompareAndSwap(next, now+int64(iv)) {
			return
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.reloadLocked()
}

// reloadLocked re-reads the file if it changed. A missing file means no
// overrides; a file that does not parse keeps the current rules.
func (e *Enforcer) reloadLocked() {
	path := e.opts.File
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if e.stamp.exists {
			e.log.Info("policy: file removed, using defaults", "file", path)
			e.stamp = fileStamp{}
			e.rules.Store(e.build(nil))
		}
		return
	case err != nil:
		e.log.Error("policy: cannot stat file, keeping current rules", "file", path, "err", err)
		return
	}
	stamp := fileStamp{exists: true, mtime: fi.ModTime(), size: fi.Size()}
	if stamp == e.stamp {
		return
	}
	e.stamp = stamp // a bad file is reported once, not on every stat
	fr, err := e.readFile(path)
	if err != nil {
		e.log.Error("policy: cannot load file, keeping current rules", "file", path, "err", err)
		return
	}
	e.rules.Store(e.build(fr))
	e.log.Debug("policy: loaded file", "file", path, "rules", len(fr.nodes))
}

// readFile parses a YAML (or JSON) mapping of rule name to check string;
// a repeated name takes its last value, as PyYAML and json do. A rule that
// does not parse is logged and denies, as in oslo.
func (e *Enforcer) readFile(path string) (*fileRules, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	fr := &fileRules{nodes: map[string]node{}, src: map[string]string{}}
	if len(doc.Content) == 0 {
		return fr, nil // empty file: no overrides
	}
	m := doc.Content[0]
	if m.Kind == yaml.ScalarNode && m.Tag == "!!null" {
		return fr, nil
	}
	if m.Kind != yaml.MappingNode {
		return nil, errors.New("policy file is not a mapping of rule names to check strings")
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		name := m.Content[i].Value
		var v any
		if err := m.Content[i+1].Decode(&v); err != nil {
			return nil, fmt.Errorf("rule %s: %w", name, err)
		}
		fr.nodes[name], fr.src[name] = e.fileRule(path, name, v)
	}
	return fr, nil
}

// fileRule parses one rule of the file; null is the empty (allow) rule.
func (e *Enforcer) fileRule(path, name string, v any) (node, string) {
	var check string
	switch x := v.(type) {
	case nil:
	case string:
		check = x
	default:
		e.log.Error("policy: rule is not a string, it denies", "file", path, "rule", name, "value", fmt.Sprint(v))
		return constCheck(false), fmt.Sprint(v)
	}
	p, err := parse(check)
	if err != nil {
		e.log.Error("policy: rule does not parse, it denies", "file", path, "rule", name, "err", err)
		return constCheck(false), check
	}
	e.warn(name, p)
	return p.root, check
}
