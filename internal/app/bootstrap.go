package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/monostack/monostack/internal/identity"
	"github.com/monostack/monostack/internal/image"
)

// Credentials are the admin credentials bootstrap ensured.
type Credentials struct {
	AuthURL  string
	Username string
	Password string
	Project  string
	Region   string
}

// Bootstrap ensures the admin user, roles, projects, region and catalog
// (idempotent), and returns the admin credentials.
func (a *App) Bootstrap(ctx context.Context) (*Credentials, *identity.BootstrapResult, error) {
	pw, err := a.AdminPassword()
	if err != nil {
		return nil, nil, err
	}
	res, err := a.Identity.Bootstrap(ctx, identity.BootstrapOptions{AdminUser: a.cfg.AdminUser, AdminPassword: pw,
		AdminProject: a.cfg.AdminProject, Region: a.cfg.Region, Catalog: a.Catalog()})
	if err != nil {
		return nil, nil, fmt.Errorf("bootstrap: %w", err)
	}
	if err := a.Compute.Bootstrap(ctx); err != nil {
		return nil, nil, fmt.Errorf("bootstrap compute: %w", err)
	}
	if err := a.bootstrapTestImage(ctx, res.AdminProjectID); err != nil {
		return nil, nil, fmt.Errorf("bootstrap test image: %w", err)
	}
	// Shared, so every project can boot on it as on the stub it replaces.
	if err := a.Network.EnsureNetwork(ctx, res.AdminProjectID, "private", "10.0.0.0/24", true); err != nil {
		return nil, nil, fmt.Errorf("bootstrap network: %w", err)
	}
	return &Credentials{AuthURL: a.URL("identity") + "/v3", Username: a.cfg.AdminUser, Password: pw,
		Project: a.cfg.AdminProject, Region: a.cfg.Region}, res, nil
}

// AdminPassword is the configured admin password, or the one generated on
// first start and kept in STATE_DIR/admin-password.
func (a *App) AdminPassword() (string, error) {
	if a.cfg.AdminPassword != "" {
		return a.cfg.AdminPassword, nil
	}
	path := filepath.Join(a.cfg.StateDir, "admin-password")
	b, err := os.ReadFile(path)
	if err == nil {
		return strings.TrimSpace(string(b)), nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	var raw [18]byte
	_, _ = rand.Read(raw[:])
	pw := base64.RawURLEncoding.EncodeToString(raw[:])
	return pw, os.WriteFile(path, []byte(pw+"\n"), 0o600)
}

// WriteClientFiles writes STATE_DIR/openrc and STATE_DIR/clouds.yaml for
// the admin user.
func (a *App) WriteClientFiles(c *Credentials) error {
	openrc := fmt.Sprintf(`# monostack admin credentials: source this file, then use the openstack CLI
export OS_AUTH_URL=%s
export OS_USERNAME=%s
export OS_PASSWORD=%s
export OS_PROJECT_NAME=%s
export OS_USER_DOMAIN_NAME=Default
export OS_PROJECT_DOMAIN_NAME=Default
export OS_IDENTITY_API_VERSION=3
export OS_REGION_NAME=%s
export OS_INTERFACE=public
`, c.AuthURL, shellQuote(c.Username), shellQuote(c.Password), shellQuote(c.Project), shellQuote(c.Region))
	clouds := fmt.Sprintf(`# monostack admin credentials: openstack --os-cloud monostack ...
clouds:
  monostack:
    auth:
      auth_url: %s
      username: %q
      password: %q
      project_name: %q
      user_domain_name: Default
      project_domain_name: Default
    region_name: %q
    interface: public
    identity_api_version: 3
`, c.AuthURL, c.Username, c.Password, c.Project, c.Region)
	if err := writeFileAtomic(filepath.Join(a.cfg.StateDir, "openrc"), openrc); err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(a.cfg.StateDir, "clouds.yaml"), clouds)
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func writeFileAtomic(path, content string) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// bootstrapTestImage creates the public test image once. With the fake
// hypervisor its content is a placeholder: a small raw disk of zeros.
func (a *App) bootstrapTestImage(ctx context.Context, adminProject string) error {
	name := a.cfg.TestImageName
	if name == "" {
		return nil
	}
	if found, err := a.Image.PublicNamed(ctx, name); err != nil || found {
		return err
	}
	info, err := a.Image.CreateQueued(ctx, image.Info{Name: name, Owner: adminProject, Visibility: "public",
		DiskFormat: "raw", ContainerFormat: "bare", Properties: map[string]string{"monostack_test_image": "placeholder"}})
	if err != nil {
		return err
	}
	return a.Image.UploadData(ctx, info.ID, adminProject, bytes.NewReader(make([]byte, 1<<20)))
}
