package identity

import (
	"encoding/json"
	"testing"

	api "github.com/monostack/monostack/api/identity"
)

// upstreamSignatureVectors were made with keystoneclient's Ec2Signer (the
// signer upstream Keystone checks with) for the secret "s3cr3t-key".
const upstreamSignatureVectors = `[{"name": "v0", "req": {"host": "h", "verb": "GET", "path": "/", "params": {"SignatureVersion": "0", "Action": "DescribeImages", "Timestamp": "2026-01-01T00:00:00Z"}, "headers": {}, "body_hash": ""}, "sig": "nBIcWUnzutBiKR8yjAH80VCqfZ8="}, {"name": "v1", "req": {"host": "h", "verb": "GET", "path": "/", "params": {"SignatureVersion": "1", "Action": "DescribeImages", "b": "2", "A": "1", "Timestamp": "2026-01-01T00:00:00Z"}, "headers": {}, "body_hash": ""}, "sig": "Avv/VKYf3EQc9Co+j6EqdmCW7dg="}, {"name": "v2 sha256", "req": {"host": "ec2.example.com:8773", "verb": "GET", "path": "/services/Cloud", "params": {"SignatureVersion": "2", "SignatureMethod": "HmacSHA256", "Action": "DescribeInstances", "AWSAccessKeyId": "AK", "Filter.1 Name": "a b/c~d*eé", "Timestamp": "2026-01-01T00:00:00Z"}, "headers": {}, "body_hash": ""}, "sig": "IhhmQeTdV8LbfM3ZVMv8+6CUH3GwUiCsVgACSP4QAbs="}, {"name": "v2 no method", "req": {"host": "ec2.example.com", "verb": "POST", "path": "/", "params": {"SignatureVersion": "2", "Action": "RunInstances"}, "headers": {}, "body_hash": ""}, "sig": "OqCji9CQ8qLhxpDcKy144GE65EE9pzbwv9kSlnoc8pM="}, {"name": "v4 header", "req": {"host": "", "verb": "GET", "path": "/bucket/key", "params": {"list-type": "2", "prefix": "a b"}, "headers": {"Host": "s3.example.com:8080", "X-Amz-Date": "20260101T000000Z", "X-Amz-Content-Sha256": "e3b0", "Authorization": "AWS4-HMAC-SHA256 Credential=AK/20260101/RegionOne/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=xyz"}, "body_hash": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}, "sig": "1d969ad9c371f754dac74476edfe3f5651d7c500863a9a63ba2737d5128ed664"}, {"name": "v4 query", "req": {"host": "", "verb": "GET", "path": "/", "params": {"X-Amz-Algorithm": "AWS4-HMAC-SHA256", "X-Amz-Credential": "AK/20260101/us-east-1/ec2/aws4_request", "X-Amz-Date": "20260101T101010Z", "X-Amz-SignedHeaders": "host", "Action": "DescribeRegions"}, "headers": {"Host": "ec2.example.com"}, "body_hash": "abc"}, "sig": "d2b8f1917074322c42e7e17cde4b0b236f19f96956f14a4b650ba03d39ef3045"}, {"name": "v4 post", "req": {"host": "", "verb": "post", "path": "/", "params": {"Action": "DescribeRegions"}, "headers": {"host": " ec2.example.com ", "X-Amz-Date": "20260101T101010Z", "User-Agent": "Boto/2.9.1 Python", "Authorization": "AWS4-HMAC-SHA256 Credential=AK/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature=x"}, "body_hash": "abc"}, "sig": "f79291fdcb5d1f7a1c2ac54b798e7e6f5666b52e1ea1af4c77a44d56df6b8db4"}]`

func TestEC2SignatureMatchesUpstreamSigner(t *testing.T) {
	var vectors []struct {
		Name string
		Req  api.EC2Request
		Sig  string
	}
	if err := json.Unmarshal([]byte(upstreamSignatureVectors), &vectors); err != nil {
		t.Fatal(err)
	}
	for _, v := range vectors {
		got, err := ec2ExpectedSignature("s3cr3t-key", &v.Req)
		if err != nil || got != v.Sig {
			t.Errorf("%s: signature %q, %v; upstream %q", v.Name, got, err, v.Sig)
		}
		v.Req.Signature = v.Sig
		if !ec2SignatureMatches("s3cr3t-key", &v.Req) || ec2SignatureMatches("other-secret", &v.Req) {
			t.Errorf("%s: the check does not depend on the secret alone", v.Name)
		}
	}
}

func TestEC2SignatureV2Variants(t *testing.T) {
	req := &api.EC2Request{Verb: "GET", Host: "ec2.example.com:8773", Path: "/", Params: map[string]string{
		"SignatureVersion": "2", "SignatureMethod": "HmacSHA1", "Action": "DescribeInstances", "Timestamp": "2026-01-01T00:00:00Z"}}
	// HMAC-SHA1 over the canonical string, computed with Python's hmac
	req.Signature = "vjSh758Zxl/EVBjGiJWi4+SufwE="
	if !ec2SignatureMatches("s3cr3t-key", req) {
		t.Fatal("HmacSHA1 v2 signature refused")
	}
	// a client that signed the host without its port is accepted too
	portless := *req
	portless.Host = "ec2.example.com"
	portless.Signature, _ = ec2ExpectedSignature("s3cr3t-key", &portless)
	portless.Host = "EC2.example.com:8773"
	if !ec2SignatureMatches("s3cr3t-key", &portless) {
		t.Fatal("signature over the host without its port refused")
	}
}

func TestEC2SignatureRefusesMalformedRequests(t *testing.T) {
	cases := map[string]api.EC2Request{
		"no version":            {Params: map[string]string{"Action": "x"}},
		"unknown version":       {Params: map[string]string{"SignatureVersion": "9"}},
		"v4 without credential": {Headers: map[string]string{"Authorization": "AWS4-HMAC-SHA256 SignedHeaders=host", "X-Amz-Date": "20260101T000000Z"}},
		"v4 date mismatch": {Headers: map[string]string{"X-Amz-Date": "20250101T000000Z",
			"Authorization": "AWS4-HMAC-SHA256 Credential=AK/20260101/r/s/aws4_request, SignedHeaders=host, Signature=x"}},
	}
	for name, req := range cases {
		if sig, err := ec2ExpectedSignature("s", &req); err == nil {
			t.Errorf("%s: signature %q, want an error", name, sig)
		}
	}
}

func TestAWSEscape(t *testing.T) {
	if got := awsEscape("a b/c~d*e.f-g_h\u00e9"); got != "a%20b%2Fc~d%2Ae.f-g_h%C3%A9" {
		t.Fatalf("awsEscape = %q", got)
	}
	if got := hostWithoutPort("EC2.Example.com:8773"); got != "ec2.example.com" {
		t.Fatalf("hostWithoutPort = %q", got)
	}
}
