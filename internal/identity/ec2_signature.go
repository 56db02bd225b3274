package identity

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"net/url"
	"regexp"
	"sort"
	"strings"

	api "github.com/monostack/monostack/api/identity"
)

// The AWS request signatures an EC2 secret makes, computed as
// keystoneclient's Ec2Signer computes them (what upstream Keystone checks):
// signature versions 0, 1, 2 (over the canonical query string) and 4.

const awsV4Algorithm = "AWS4-HMAC-SHA256"

// ec2ExpectedSignature is the signature req must carry when signed with
// secret.
func ec2ExpectedSignature(secret string, req *api.EC2Request) (string, error) {
	version, versioned := req.Params["SignatureVersion"]
	switch {
	case versioned && version == "0":
		return base64HMAC(sha1.New, secret, req.Params["Action"]+req.Params["Timestamp"]), nil
	case versioned && version == "1":
		return signatureV1(secret, req.Params), nil
	case versioned && version == "2":
		return signatureV2(secret, req), nil
	case isSignatureV4(req):
		return signatureV4(secret, req)
	case versioned:
		return "", fmt.Errorf("unknown signature version: %s", version)
	}
	return "", errors.New("unexpected signature format")
}

func hmacSum(h func() hash.Hash, key []byte, msg string) []byte {
	m := hmac.New(h, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

func base64HMAC(h func() hash.Hash, secret, msg string) string {
	return base64.StdEncoding.EncodeToString(hmacSum(h, []byte(secret), msg))
}

// signatureV1 signs every parameter name and value, sorted without regard
// to case.
func signatureV1(secret string, params map[string]string) string {
	keys := sortedKeys(params)
	sort.SliceStable(keys, func(i, j int) bool { return strings.ToLower(keys[i]) < strings.ToLower(keys[j]) })
	var msg strings.Builder
	for _, k := range keys {
		msg.WriteString(k + params[k])
	}
	return base64HMAC(sha1.New, secret, msg.String())
}

// signatureV2 signs verb, host, path and the canonical query string with
// HMAC-SHA256, as upstream does whatever SignatureMethod says; a request
// that names HmacSHA1 is signed with HMAC-SHA1 instead.
func signatureV2(secret string, req *api.EC2Request) string {
	params := make(map[string]string, len(req.Params)+1)
	for k, v := range req.Params {
		params[k] = v
	}
	h, method := sha256.New, "HmacSHA256"
	if params["SignatureMethod"] == "HmacSHA1" {
		h, method = sha1.New, "HmacSHA1"
	}
	params["SignatureMethod"] = method
	msg := req.Verb + "\n" + req.Host + "\n" + req.Path + "\n" + canonicalQuery(params)
	return base64HMAC(h, secret, msg)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// canonicalQuery is the sorted, percent-encoded query string AWS signs.
func canonicalQuery(params map[string]string) string {
	pairs := make([]string, 0, len(params))
	for _, k := range sortedKeys(params) {
		pairs = append(pairs, awsEscape(k)+"="+awsEscape(params[k]))
	}
	return strings.Join(pairs, "&")
}

// awsEscape percent-encodes everything but RFC 3986's unreserved
// characters (Python's quote with safe "-_~").
func awsEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("-_.~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// isSignatureV4 detects a v4 request by its Authorization header or, when
// there is none, its X-Amz-Algorithm parameter.
func isSignatureV4(req *api.EC2Request) bool {
	if a, ok := req.Headers["Authorization"]; ok {
		return strings.HasPrefix(a, awsV4Algorithm)
	}
	return req.Params["X-Amz-Algorithm"] == awsV4Algorithm
}

// v4Param reads an authorization parameter from the Authorization header
// or, when there is none, from the X-Amz-<name> query parameter.
func v4Param(req *api.EC2Request, name string) (string, bool) {
	if a, ok := req.Headers["Authorization"]; ok {
		_, after, _ := strings.Cut(a, name+"=")
		v, _, _ := strings.Cut(after, ",")
		return v, true
	}
	v, ok := req.Params["X-Amz-"+name]
	return v, ok
}

// signatureV4 is AWS signature version 4 over the canonical request.
func signatureV4(secret string, req *api.EC2Request) (string, error) {
	signed, okSigned := v4Param(req, "SignedHeaders")
	cred, okCred := v4Param(req, "Credential")
	date, okDate := req.Headers["X-Amz-Date"]
	if !okDate {
		date, okDate = req.Params["X-Amz-Date"]
	}
	scope := strings.Split(cred, "/")
	if !okSigned || !okCred || !okDate || len(scope) < 4 {
		return "", errors.New("incomplete v4 signature")
	}
	if !strings.HasPrefix(date, scope[1]) {
		return "", errors.New("request date mismatch")
	}
	query := ""
	if strings.ToUpper(req.Verb) != "POST" { // POST parameters travel in the body
		query = canonicalQuery(req.Params)
	}
	canonical := strings.Join([]string{strings.ToUpper(req.Verb), req.Path, query,
		canonicalHeaders(req.Headers, signed), signed, req.BodyHash}, "\n")
	sum := sha256.Sum256([]byte(canonical))
	toSign := strings.Join([]string{awsV4Algorithm, date, strings.Join(scope[1:], "/"), hex.EncodeToString(sum[:])}, "\n")
	key := []byte("AWS4" + secret)
	for _, part := range []string{scope[1], scope[2], scope[3], "aws4_request"} {
		key = hmacSum(sha256.New, key, part)
	}
	return hex.EncodeToString(hmacSum(sha256.New, key, toSign)), nil
}

// oldBoto matches the user agent of boto releases that signed the host
// header without its port.
var oldBoto = regexp.MustCompile(`^Boto/2\.[0-9]\.[0-2]`)

// canonicalHeaders lists the signed headers as "name:value" lines.
func canonicalHeaders(headers map[string]string, signed string) string {
	lower := make(map[string]string, len(headers))
	for k, v := range headers {
		lower[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
	}
	stripPort := oldBoto.MatchString(lower["user-agent"])
	var lines []string
	for _, h := range strings.Split(signed, ";") {
		v, ok := lower[h]
		if !ok {
			continue
		}
		if h == "host" && stripPort {
			v, _, _ = strings.Cut(v, ":")
		}
		lines = append(lines, h+":"+v)
	}
	return strings.Join(lines, "\n") + "\n"
}

// hostWithoutPort is host without its port, as some clients sign it.
func hostWithoutPort(host string) string {
	u, err := url.Parse("//" + host)
	if err != nil {
		return host
	}
	return strings.ToLower(u.Hostname())
}

// ec2SignatureMatches compares the request's signature with the one secret
// makes, in constant time, retrying without the host's port as upstream.
func ec2SignatureMatches(secret string, req *api.EC2Request) bool {
	matches := func(r *api.EC2Request) bool {
		want, err := ec2ExpectedSignature(secret, r)
		return err == nil && hmac.Equal([]byte(want), []byte(req.Signature))
	}
	if matches(req) {
		return true
	}
	if !strings.Contains(req.Host, ":") {
		return false
	}
	portless := *req
	portless.Host = hostWithoutPort(req.Host)
	return matches(&portless)
}
