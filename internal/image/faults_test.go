package image

import (
	"net/http/httptest"
	"testing"

	"github.com/monostack/monostack/internal/errs"
)

// TestFaultBodiesFollowAccept pins webob's three error forms.
func TestFaultBodiesFollowAccept(t *testing.T) {
	cases := []struct{ accept, contentType, body string }{
		{"", "text/plain; charset=UTF-8", "404 Not Found\n\nNo image found with ID x\n\n   "},
		{"application/json", "application/json", `{"message": "No image found with ID x<br /><br />\n\n\n", "code": "404 Not Found", "title": "Not Found"}`},
		{"*/*", "text/html; charset=UTF-8", "<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n  <h1>404 Not Found</h1>\n  No image found with ID x<br /><br />\n\n\n\n </body>\n</html>"},
		{"text/html;q=0.5, application/json", "application/json", ""},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/v2/images/x", nil)
		if c.accept != "" {
			r.Header.Set("Accept", c.accept)
		}
		w := httptest.NewRecorder()
		faults{identityURL: func() string { return "" }}.Render(w, r, errs.NotFoundf("No image found with ID x"))
		if w.Code != 404 || w.Header().Get("Content-Type") != c.contentType || (c.body != "" && w.Body.String() != c.body) {
			t.Errorf("Accept %q: %d %q %q", c.accept, w.Code, w.Header().Get("Content-Type"), w.Body)
		}
	}
}
