package compute

import (
	"crypto/md5" //nolint:gosec // Nova's ssh fingerprint is MD5
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // Nova's x509 fingerprint is SHA-1
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"math/big"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/monostack/monostack/internal/errs"
)

// Keypair crypto as nova.crypto does it: MD5 fingerprints of ssh keys,
// SHA-1 fingerprints of x509 certificates, 2048-bit RSA generation.

// colonHex spells a digest as aa:bb:cc.
func colonHex(sum []byte) string {
	h := hex.EncodeToString(sum)
	parts := make([]string, 0, len(sum))
	for i := 0; i+1 < len(h); i += 2 {
		parts = append(parts, h[i:i+2])
	}
	return strings.Join(parts, ":")
}

// sshFingerprint checks an OpenSSH public key line and returns the MD5
// of its key blob.
func sshFingerprint(public string) (string, error) {
	invalid := errs.BadRequestf("Keypair data is invalid: failed to generate fingerprint")
	fields := strings.Split(strings.TrimSpace(public), " ")
	if len(fields) < 2 {
		return "", invalid
	}
	blob, err := base64.StdEncoding.DecodeString(fields[1])
	if err != nil {
		return "", invalid
	}
	key, err := ssh.ParsePublicKey(blob)
	if err != nil || key.Type() != fields[0] {
		return "", invalid
	}
	sum := md5.Sum(blob) //nolint:gosec
	return colonHex(sum[:]), nil
}

// x509Fingerprint checks a PEM certificate and returns its SHA-1.
func x509Fingerprint(public string) (string, error) {
	block, _ := pem.Decode([]byte(public))
	if block == nil || block.Type != "CERTIFICATE" {
		return "", errs.BadRequestf("Keypair data is invalid: failed to generate X509 fingerprint. Error message: " +
			"Unable to load PEM file. See https://cryptography.io/en/latest/faq/#why-can-t-i-import-my-pem-file for more details. MalformedFraming")
	}
	if _, err := x509.ParseCertificate(block.Bytes); err != nil {
		return "", errs.BadRequestf("Keypair data is invalid: failed to generate X509 fingerprint. Error message: %s", err)
	}
	sum := sha1.Sum(block.Bytes) //nolint:gosec
	return colonHex(sum[:]), nil
}

// keyFingerprint is nova's _generate_fingerprint for the key type.
func keyFingerprint(public, keyType string) (string, error) {
	if keyType == "x509" {
		return x509Fingerprint(public)
	}
	return sshFingerprint(public)
}

// generateSSHKey makes an RSA key: the PEM private key, the public line
// ("ssh-rsa … Generated-by-Nova") and its fingerprint.
func generateSSHKey() (private, public, fingerprint string, err error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return "", "", "", err
	}
	pub, err := ssh.NewPublicKey(&key.PublicKey)
	if err != nil {
		return "", "", "", err
	}
	private = string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
	public = pub.Type() + " " + base64.StdEncoding.EncodeToString(pub.Marshal()) + " Generated-by-Nova"
	sum := md5.Sum(pub.Marshal()) //nolint:gosec
	return private, public, colonHex(sum[:]), nil
}

// upnOID is Microsoft's User Principal Name otherName.
var upnOID = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 311, 20, 2, 3}

// generateX509Key makes a WinRM client certificate for userID as nova's
// generate_winrm_x509_cert: CN=<user>, clientAuth, UPN <user>@localhost,
// ten years. The private key is the base64 of its PKCS#8 DER (Nova's is
// a PKCS#12 bundle).
func generateX509Key(userID string, now time.Time) (private, public, fingerprint string, err error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return "", "", "", err
	}
	san, err := upnSubjectAltName(userID + "@localhost")
	if err != nil {
		return "", "", "", err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return "", "", "", err
	}
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: userID},
		NotBefore: now, NotAfter: now.AddDate(0, 0, 3650), ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		ExtraExtensions: []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 17}, Value: san}}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return "", "", "", err
	}
	pk, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", "", "", err
	}
	public = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	sum := sha1.Sum(der) //nolint:gosec
	return base64.StdEncoding.EncodeToString(pk), public, colonHex(sum[:]), nil
}

// upnSubjectAltName is a subjectAltName holding one UPN otherName.
func upnSubjectAltName(upn string) ([]byte, error) {
	value, err := asn1.MarshalWithParams(upn, "utf8")
	if err != nil {
		return nil, err
	}
	explicit, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: value})
	if err != nil {
		return nil, err
	}
	oid, err := asn1.Marshal(upnOID)
	if err != nil {
		return nil, err
	}
	other, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true,
		Bytes: append(oid, explicit...)})
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSequence, IsCompound: true, Bytes: other})
}
