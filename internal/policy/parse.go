package policy

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/monostack/monostack/internal/pyrepr"
)

type tokKind int

const (
	tokLParen tokKind = iota
	tokRParen
	tokAnd
	tokOr
	tokNot
	tokCheck
	tokString // a whole quoted token: never valid, as in oslo
)

type token struct {
	kind  tokKind
	check node
	text  string
}

// parsed is a check string's tree plus the checks in it that could not be
// understood and were made false (oslo logs these and carries on).
type parsed struct {
	root     node
	warnings []string
}

// parse turns a check string into a tree. The empty string always allows;
// an error means the whole rule is unusable (the caller makes it deny).
func parse(rule string) (parsed, error) {
	if rule == "" {
		return parsed{root: constCheck(true)}, nil
	}
	var p parser
	p.toks = p.tokenize(rule)
	if len(p.toks) == 0 {
		return parsed{}, errors.New("empty rule")
	}
	root, err := p.or()
	if err == nil && p.pos < len(p.toks) {
		err = fmt.Errorf("unexpected %q", p.toks[p.pos].text)
	}
	if err != nil {
		return parsed{}, fmt.Errorf("could not parse rule %q: %w", rule, err)
	}
	return parsed{root: root, warnings: p.warnings}, nil
}

type parser struct {
	toks     []token
	pos      int
	warnings []string
}

// tokenize splits on whitespace and peels parentheses off each word's ends;
// parentheses inside a word belong to it ("%(project_id)s").
func (p *parser) tokenize(rule string) []token {
	var toks []token
	for _, word := range strings.Fields(rule) {
		clean := strings.TrimLeft(word, "(")
		for range len(word) - len(clean) {
			toks = append(toks, token{kind: tokLParen, text: "("})
		}
		if clean == "" {
			continue
		}
		word = clean
		clean = strings.TrimRight(word, ")")
		switch lower := strings.ToLower(clean); {
		case lower == "and":
			toks = append(toks, token{kind: tokAnd, text: clean})
		case lower == "or":
			toks = append(toks, token{kind: tokOr, text: clean})
		case lower == "not":
			toks = append(toks, token{kind: tokNot, text: clean})
		case clean == "":
		case len(word) >= 2 && (word[0] == '"' || word[0] == '\'') && word[len(word)-1] == word[0]:
			toks = append(toks, token{kind: tokString, text: word})
		default:
			toks = append(toks, token{kind: tokCheck, check: p.check(clean), text: clean})
		}
		for range len(word) - len(clean) {
			toks = append(toks, token{kind: tokRParen, text: ")"})
		}
	}
	return toks
}

func (p *parser) peek() (tokKind, bool) {
	if p.pos >= len(p.toks) {
		return 0, false
	}
	return p.toks[p.pos].kind, true
}

// or := and ("or" and)*
func (p *parser) or() (node, error) {
	return p.nary(tokOr, p.and, func(ns []node) node { return orCheck(ns) })
}

// and := unary ("and" unary)*
func (p *parser) and() (node, error) {
	return p.nary(tokAnd, p.unary, func(ns []node) node { return andCheck(ns) })
}

func (p *parser) nary(op tokKind, operand func() (node, error), build func([]node) node) (node, error) {
	first, err := operand()
	if err != nil {
		return nil, err
	}
	ns := []node{first}
	for k, ok := p.peek(); ok && k == op; k, ok = p.peek() {
		p.pos++
		n, err := operand()
		if err != nil {
			return nil, err
		}
		ns = append(ns, n)
	}
	if len(ns) == 1 {
		return first, nil
	}
	return build(ns), nil
}

// unary := "not" unary | "(" or ")" | check
func (p *parser) unary() (node, error) {
	k, ok := p.peek()
	if !ok {
		return nil, errors.New("unexpected end of rule")
	}
	tok := p.toks[p.pos]
	p.pos++
	switch k {
	case tokNot:
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		return notCheck{n}, nil
	case tokLParen:
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if k, ok := p.peek(); !ok || k != tokRParen {
			return nil, errors.New("missing )")
		}
		p.pos++
		return n, nil
	case tokCheck:
		return tok.check, nil
	}
	return nil, fmt.Errorf("unexpected %q", tok.text)
}

// check parses one "kind:match" (or "@", "!").
func (p *parser) check(s string) node {
	switch s {
	case "!":
		return constCheck(false)
	case "@":
		return constCheck(true)
	}
	kind, match, ok := strings.Cut(s, ":")
	if !ok {
		p.warnings = append(p.warnings, fmt.Sprintf("check %q has no kind: treated as false", s))
		return constCheck(false)
	}
	tmpl := parseTemplate(match)
	if tmpl.bad {
		p.warnings = append(p.warnings, fmt.Sprintf("check %q has a malformed %%-format: treated as false", s))
	}
	switch kind {
	case "rule":
		return ruleCheck{name: match}
	case "role":
		return roleCheck{match: tmpl}
	case "http", "https":
		p.warnings = append(p.warnings, fmt.Sprintf("check %q: remote checks are not supported: treated as false", s))
		return constCheck(false)
	}
	if lit, ok := pyLiteral(kind); ok {
		return genericCheck{kind: kind, literal: lit, isLit: true, match: tmpl}
	}
	return genericCheck{kind: kind, path: strings.Split(kind, "."), match: tmpl}
}

// pyLiteral is str(ast.literal_eval(s)) for the literals a kind can be:
// quoted strings, True/False/None, integers and floats.
func pyLiteral(s string) (string, bool) {
	switch s {
	case "True", "False", "None":
		return s, true
	case "":
		return "", false
	}
	if q := s[0]; len(s) >= 2 && (q == '\'' || q == '"') && s[len(s)-1] == q {
		inner := s[1 : len(s)-1]
		if !strings.ContainsRune(inner, '\\') {
			return inner, true
		}
		if u, err := strconv.Unquote(`"` + strings.ReplaceAll(inner, `"`, `\"`) + `"`); err == nil {
			return u, true
		}
		return inner, true
	}
	num := strings.TrimLeft(s, "+-")
	if num == "" || !(num[0] >= '0' && num[0] <= '9' || num[0] == '.') {
		return "", false
	}
	neg := strings.Count(s[:len(s)-len(num)], "-")%2 == 1
	if !strings.ContainsAny(num, ".eE") || strings.ContainsAny(num, "xX") {
		if len(num) > 1 && num[0] == '0' && num[1] >= '0' && num[1] <= '9' {
			return "", false // Python 3 has no leading-zero integers
		}
		i, err := strconv.ParseInt(num, 0, 64)
		if err != nil {
			return "", false
		}
		if neg {
			i = -i
		}
		return strconv.FormatInt(i, 10), true
	}
	if f, err := strconv.ParseFloat(num, 64); err == nil {
		if neg {
			f = -f
		}
		return pyrepr.Float(f), true
	}
	return "", false
}
